namespace CodeMigrations.Loading;

/// <summary>A valid set of migrations, ordered by version.</summary>
public sealed class MigrationCatalog
{
    private readonly Dictionary<long, MigrationInfo> _byVersion;

    /// <summary>A catalog of migrations already validated and ordered by version (the loader makes them).</summary>
    /// <param name="ordered">The migrations, oldest first, versions unique.</param>
    public MigrationCatalog(IReadOnlyList<MigrationInfo> ordered)
    {
        Migrations = ordered;
        _byVersion = ordered.ToDictionary(m => m.Version);
    }

    /// <summary>Every migration, oldest first.</summary>
    public IReadOnlyList<MigrationInfo> Migrations { get; }

    /// <summary>Whether a migration with <paramref name="version"/> is in the catalog.</summary>
    /// <param name="version">The version to look for.</param>
    /// <returns><see langword="true"/> when the catalog has it.</returns>
    public bool Contains(long version) => _byVersion.ContainsKey(version);

    /// <summary>The migration with <paramref name="version"/>.</summary>
    /// <param name="version">The version to look for.</param>
    /// <returns>The migration, or <see langword="null"/> when the catalog has none with that version.</returns>
    public MigrationInfo? Find(long version) => _byVersion.GetValueOrDefault(version);
}
