namespace CodeMigrations.Fleet;

/// <summary>Receives the progress of a fleet run; called from several targets at once, so implementations must be thread-safe. Every method has an empty default.</summary>
public interface IMigrationFleetObserver
{
    /// <summary>The observer of one target's migrations (each call tagged with that target by construction), or <see langword="null"/> for none.</summary>
    /// <param name="target">The target about to start.</param>
    IMigrationObserver? ForTarget(MigrationTarget target) => null;

    /// <summary>A target starts: the fleet connects to it.</summary>
    void OnTargetStarting(MigrationTarget target)
    {
    }

    /// <summary>A target ended, however it ended.</summary>
    void OnTargetCompleted(MigrationTargetResult result)
    {
    }
}
