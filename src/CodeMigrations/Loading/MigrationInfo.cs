namespace CodeMigrations;

/// <summary>What the loader knows of a migration class without creating it: version, name, type and transaction mode.</summary>
/// <param name="Version">The version from <see cref="MigrationAttribute"/>.</param>
/// <param name="Name">The description from the attribute, else derived from the class name.</param>
/// <param name="Type">The migration class.</param>
/// <param name="UseTransaction">Whether it runs in a transaction with its history row.</param>
public sealed record MigrationInfo(long Version, string Name, Type Type, bool UseTransaction)
{
    // The loader reads migrations from metadata without loading their classes (loading 10,000 types is most of a
    // status run's reflection cost): the type is then resolved on first use of Type, and the names come from metadata.
    private System.Type? _type = Type;
    private System.Reflection.Module? _module;
    private readonly int _typeToken;
    private string? _typeFullName;
    private string? _typeName;

    /// <summary>A migration whose class, the type definition <paramref name="typeToken"/> of <paramref name="module"/>, is loaded only when <see cref="Type"/> is first read.</summary>
    internal MigrationInfo(long version, string name, System.Reflection.Module module, int typeToken, string typeFullName, string typeName, bool useTransaction)
        : this(version, name, null!, useTransaction)
    {
        _module = module;
        _typeToken = typeToken;
        _typeFullName = typeFullName;
        _typeName = typeName;
    }

    /// <summary>The migration class; loaded on first use when the migration was read from the assembly's metadata.</summary>
    public Type Type
    {
        get => _type ?? (_module is null ? null! : _type = _module.ResolveType(_typeToken));
        init
        {
            _type = value;
            _module = null;
            _typeFullName = null;
            _typeName = null;
        }
    }

    /// <summary>Why the migration cannot be reverted, from <see cref="IrreversibleAttribute"/>; <see langword="null"/> when it can.</summary>
    public string? IrreversibleReason { get; init; }

    /// <summary>The migration's own <c>lock_timeout</c> from its attribute, or <see langword="null"/> for the run's default.</summary>
    public string? DdlLockTimeout { get; init; }

    /// <summary>The migration's own <c>statement_timeout</c> from its attribute, or <see langword="null"/> for the run's default.</summary>
    public string? StatementTimeout { get; init; }

    /// <summary>The migration's own lock-timeout retries from its attribute, or <see langword="null"/> for the run's default.</summary>
    public int? DdlLockRetries { get; init; }

    /// <summary>The class's full name (<see cref="System.Type.FullName"/>), without loading the class.</summary>
    public string TypeFullName => _typeFullName ?? Type.FullName ?? Type.Name;

    /// <summary>The class's simple name (<see cref="System.Reflection.MemberInfo.Name"/>), without loading the class.</summary>
    public string TypeName => _typeName ?? Type.Name;

    /// <summary>Whether both describe the same class with the same settings.</summary>
    /// <param name="other">The other migration.</param>
    /// <returns><see langword="true"/> when every member is equal.</returns>
    public bool Equals(MigrationInfo? other) =>
        other is not null
        && Version == other.Version
        && string.Equals(Name, other.Name, StringComparison.Ordinal)
        && UseTransaction == other.UseTransaction
        && string.Equals(IrreversibleReason, other.IrreversibleReason, StringComparison.Ordinal)
        && string.Equals(DdlLockTimeout, other.DdlLockTimeout, StringComparison.Ordinal)
        && string.Equals(StatementTimeout, other.StatementTimeout, StringComparison.Ordinal)
        && DdlLockRetries == other.DdlLockRetries
        && Type == other.Type;

    /// <summary>A hash of the version, the name and the class.</summary>
    /// <returns>The hash.</returns>
    public override int GetHashCode() => HashCode.Combine(Version, Name, TypeFullName);

    /// <summary>"20230915120000 CreateUsersTable": how messages name a migration.</summary>
    public override string ToString() => $"{Version} {TypeName}";
}
