namespace CodeMigrations.Loading;

/// <summary>A valid set of migrations, ordered by version.</summary>
internal sealed class MigrationCatalog
{
    private readonly Dictionary<long, MigrationInfo> _byVersion;

    public MigrationCatalog(IReadOnlyList<MigrationInfo> ordered)
    {
        Migrations = ordered;
        _byVersion = ordered.ToDictionary(m => m.Version);
    }

    /// <summary>Every migration, oldest first.</summary>
    public IReadOnlyList<MigrationInfo> Migrations { get; }

    public bool Contains(long version) => _byVersion.ContainsKey(version);

    public MigrationInfo? Find(long version) => _byVersion.GetValueOrDefault(version);
}
