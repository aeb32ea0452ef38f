namespace CodeMigrations.Schema;

/// <summary>What kind of database object a <see cref="SchemaObject"/> describes.</summary>
public enum SchemaObjectKind
{
    /// <summary>A schema (namespace).</summary>
    Schema,

    /// <summary>An installed extension; the objects it owns are left out of the snapshot.</summary>
    Extension,

    /// <summary>An enum type.</summary>
    Enum,

    /// <summary>One label of an enum type, with its place in the order.</summary>
    EnumValue,

    /// <summary>A domain.</summary>
    Domain,

    /// <summary>A check constraint of a domain.</summary>
    DomainConstraint,

    /// <summary>A composite type made with <c>CREATE TYPE … AS (…)</c>.</summary>
    CompositeType,

    /// <summary>A range type.</summary>
    RangeType,

    /// <summary>A sequence (identity columns' own sequences are described by their column instead).</summary>
    Sequence,

    /// <summary>An ordinary table.</summary>
    Table,

    /// <summary>A partitioned table.</summary>
    PartitionedTable,

    /// <summary>A foreign table.</summary>
    ForeignTable,

    /// <summary>A column of a table.</summary>
    Column,

    /// <summary>A primary key constraint.</summary>
    PrimaryKey,

    /// <summary>A unique constraint.</summary>
    UniqueConstraint,

    /// <summary>A foreign key constraint.</summary>
    ForeignKey,

    /// <summary>A check constraint of a table.</summary>
    CheckConstraint,

    /// <summary>An exclusion constraint.</summary>
    ExclusionConstraint,

    /// <summary>An index that does not back a primary key, unique or exclusion constraint.</summary>
    Index,

    /// <summary>A view.</summary>
    View,

    /// <summary>A materialized view.</summary>
    MaterializedView,

    /// <summary>A function (including window functions).</summary>
    Function,

    /// <summary>A procedure.</summary>
    Procedure,

    /// <summary>An aggregate function.</summary>
    Aggregate,

    /// <summary>A trigger (not the internal ones PostgreSQL makes for foreign keys).</summary>
    Trigger,

    /// <summary>A row-level security policy.</summary>
    Policy,

    /// <summary>
    /// What one role (or <c>PUBLIC</c>) is granted on one object beyond the object's default privileges, or revoked from
    /// them: named <c>table books to app_reader</c>.
    /// </summary>
    Privilege,

    /// <summary>Default privileges (<c>ALTER DEFAULT PRIVILEGES</c>) of a role, in a schema or everywhere, for one kind of object.</summary>
    DefaultPrivileges,

    /// <summary>An extended statistics object (<c>CREATE STATISTICS</c>).</summary>
    Statistics,

    /// <summary>A rewrite rule (<c>CREATE RULE</c>; not the rule behind a view).</summary>
    Rule,

    /// <summary>A collation.</summary>
    Collation,

    /// <summary>A cast made with <c>CREATE CAST</c>.</summary>
    Cast,

    /// <summary>An operator.</summary>
    Operator,

    /// <summary>A text search configuration.</summary>
    TextSearchConfiguration,

    /// <summary>A text search dictionary.</summary>
    TextSearchDictionary,

    /// <summary>A publication (logical replication).</summary>
    Publication,

    /// <summary>An event trigger.</summary>
    EventTrigger,

    /// <summary>A foreign server.</summary>
    ForeignServer,

    /// <summary>A foreign data wrapper.</summary>
    ForeignDataWrapper,

    /// <summary>A user mapping of a foreign server: the names of its options, never their values (a password is one).</summary>
    UserMapping,

    /// <summary>An operator class, with its family and types.</summary>
    OperatorClass,

    /// <summary>An operator family, with its operators and support functions.</summary>
    OperatorFamily,
}

/// <summary>One property of a <see cref="SchemaObject"/>: a name such as <c>type</c> or <c>definition</c>, and its value.</summary>
/// <param name="Name">The property's name, e.g. <c>default</c>.</param>
/// <param name="Value">Its value as PostgreSQL prints it, e.g. <c>0</c> or a whole <c>CREATE FUNCTION</c> text.</param>
public sealed record SchemaProperty(string Name, string Value);

/// <summary>
/// One object of a <see cref="SchemaSnapshot"/>: its kind, its name and its properties. Objects are identified by kind
/// and name; names are quoted like SQL identifiers where needed and qualified by schema, except in <c>public</c>.
/// </summary>
public sealed class SchemaObject
{
    private static readonly string[] KindNames =
    [
        "schema", "extension", "enum", "enum value", "domain", "domain constraint", "composite type", "range type",
        "sequence", "table", "partitioned table", "foreign table", "column", "primary key", "unique constraint",
        "foreign key", "check constraint", "exclusion constraint", "index", "view", "materialized view", "function",
        "procedure", "aggregate", "trigger", "policy", "privilege", "default privileges", "statistics", "rule", "collation", "cast",
        "operator", "text search configuration", "text search dictionary", "publication", "event trigger", "foreign server",
        "foreign data wrapper", "user mapping", "operator class", "operator family",
    ];

    internal SchemaObject(SchemaObjectKind kind, string name, IReadOnlyList<SchemaProperty> properties, SchemaSortKey sortKey)
    {
        Kind = kind;
        Name = name;
        Properties = properties;
        SortKey = sortKey;
    }

    /// <summary>What the object is.</summary>
    public SchemaObjectKind Kind { get; }

    /// <summary>
    /// Its name: <c>books</c>, <c>sales.orders</c>; for objects that belong to a table or type, prefixed by it
    /// (<c>books.isbn</c> for a column, <c>books.books_pkey</c> for a constraint, <c>mood.'ok'</c> for an enum value);
    /// for functions, with their argument types (<c>touch_updated_at()</c>).
    /// </summary>
    public string Name { get; }

    /// <summary>Its properties, in a fixed order per kind; a property that does not apply (no default, no comment) is absent.</summary>
    public IReadOnlyList<SchemaProperty> Properties { get; }

    /// <summary>The kind as words, e.g. <c>materialized view</c>.</summary>
    public string KindName => Describe(Kind);

    internal SchemaSortKey SortKey { get; }

    /// <summary>For a table, its columns in their order ("id, title, price"): compared only for a note, never a difference.</summary>
    internal string? ColumnOrder { get; init; }

    /// <summary>The value of the property named <paramref name="name"/>, or <see langword="null"/> when the object has none.</summary>
    /// <param name="name">The property name, e.g. <c>default</c>.</param>
    /// <returns>The value, or <see langword="null"/>.</returns>
    public string? this[string name]
    {
        get
        {
            foreach (var property in Properties)
            {
                if (property.Name == name)
                    return property.Value;
            }

            return null;
        }
    }

    /// <summary>The kind as words, e.g. <c>foreign key</c>.</summary>
    /// <param name="kind">The kind.</param>
    /// <returns>Its name in messages and in the snapshot text.</returns>
    public static string Describe(SchemaObjectKind kind) => KindNames[(int)kind];

    /// <summary>"column books.isbn": how messages and the snapshot text name the object.</summary>
    /// <returns>The kind and the name.</returns>
    public override string ToString() => $"{KindName} {Name}";
}

/// <summary>
/// Where an object goes in the snapshot text: grouped by section (schemas, types, sequences, tables, views, routines),
/// then by the table or type it belongs to, the owner first, then by kind and name.
/// </summary>
internal readonly record struct SchemaSortKey(int Section, string Group, int Rank, string Order) : IComparable<SchemaSortKey>
{
    public int CompareTo(SchemaSortKey other)
    {
        var c = Section.CompareTo(other.Section);
        if (c == 0)
            c = string.CompareOrdinal(Group, other.Group);
        if (c == 0)
            c = Rank.CompareTo(other.Rank);
        if (c == 0)
            c = string.CompareOrdinal(Order, other.Order);
        return c;
    }
}
