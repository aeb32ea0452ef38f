using System.Text;
using CodeMigrations.History;
using Npgsql;

namespace CodeMigrations.Schema;

/// <summary>
/// A normalised, comparable description of a database's schema, read from the PostgreSQL catalogs: schemas, extensions,
/// enums, domains, composite and range types, sequences, tables and their columns, constraints, indexes, triggers,
/// row-level security policies and rules, views, materialized views, functions, procedures and aggregates, extended
/// statistics, privileges and default privileges, owners, collations, casts, operators, text search objects,
/// publications, event triggers, foreign data wrappers, foreign servers and their user mappings (option names only),
/// operator classes and families, with their comments.
/// </summary>
/// <remarks>
/// <para>
/// Left out: the system schemas (<c>pg_catalog</c>, <c>information_schema</c>, <c>pg_toast</c>, temporary schemas),
/// the objects that belong to an extension (the extension and its version stand for them), and the history table.
/// Also not described: tablespaces, subscriptions, the values of user mappings' options, and data
/// (including sequences' current values). Column order is recorded but not a difference (see <see cref="SchemaDiff"/>).
/// </para>
/// <para>
/// Deterministic: the same schema gives the same snapshot whatever the creation order, the OIDs or the session's
/// <c>search_path</c>. Compare two snapshots with <see cref="SchemaDiff.Compare"/>; print one with <see cref="ToText"/>.
/// </para>
/// </remarks>
public sealed class SchemaSnapshot
{
    private readonly Dictionary<(SchemaObjectKind, string), SchemaObject> _byKey;

    internal SchemaSnapshot(IEnumerable<SchemaObject> objects)
    {
        var sorted = objects.ToList();
        sorted.Sort((a, b) =>
        {
            var c = a.SortKey.CompareTo(b.SortKey);
            return c != 0 ? c : a.Kind.CompareTo(b.Kind);
        });
        Objects = sorted;
        _byKey = new Dictionary<(SchemaObjectKind, string), SchemaObject>(sorted.Count);
        foreach (var item in sorted)
            _byKey.TryAdd((item.Kind, item.Name), item);
    }

    /// <summary>Every object, in the order of <see cref="ToText"/>.</summary>
    public IReadOnlyList<SchemaObject> Objects { get; }

    /// <summary>
    /// Reads the schema of the database <paramref name="connection"/> is open on. One round trip: every kind of object
    /// is read by one query of a single batch. The session's settings are left as they were.
    /// </summary>
    /// <param name="connection">An open connection. It may be in a transaction: the snapshot then sees that transaction's changes.</param>
    /// <param name="options">Which history table to leave out; <c>public.migration_history</c> when null.</param>
    /// <param name="cancellationToken">Cancels the reading.</param>
    /// <returns>The snapshot.</returns>
    /// <exception cref="NpgsqlException">The catalogs could not be read.</exception>
    public static Task<SchemaSnapshot> CaptureAsync(NpgsqlConnection connection, SchemaSnapshotOptions? options = null,
        CancellationToken cancellationToken = default) =>
        CaptureCoreAsync(connection, options, prepare: false, cancellationToken);

    /// <summary>Reads the schema; with <paramref name="prepare"/>, prepares the catalog queries on the connection, which keeps them.</summary>
    internal static async Task<SchemaSnapshot> CaptureCoreAsync(NpgsqlConnection connection, SchemaSnapshotOptions? options, bool prepare,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        options ??= new SchemaSnapshotOptions();
        // The history table and the record of the build validated against it, next to it (both CodeMigrations' own).
        IReadOnlyList<string> history = options.HistoryTable is { } table
            ? [$"{MigrationHistory.QuoteIdentifier(options.HistorySchema)}.{MigrationHistory.QuoteIdentifier(table)}",
                $"{MigrationHistory.QuoteIdentifier(options.HistorySchema)}.{MigrationHistory.QuoteIdentifier(MigrationHistory.ValidatedBuildTable)}"]
            : [];
        return new SchemaSnapshot(await SchemaCatalogReader.ReadAsync(connection, history, prepare, cancellationToken));
    }

    /// <summary>The object of that kind and name, or <see langword="null"/>.</summary>
    /// <param name="kind">The kind of object.</param>
    /// <param name="name">Its name as the snapshot writes it, e.g. <c>books.isbn</c> for a column.</param>
    /// <returns>The object, or <see langword="null"/>.</returns>
    public SchemaObject? Find(SchemaObjectKind kind, string name) => _byKey.GetValueOrDefault((kind, name));

    /// <summary>
    /// The snapshot as text, a file a team can commit and review: one line per object (<c>column books.isbn</c>) and one
    /// per property (<c>column books.isbn type: text</c>), sorted, grouped by table, with a blank line between groups.
    /// A value of several lines (a view's or a function's definition) follows its property line, indented by four spaces.
    /// Lines end with <c>\n</c>.
    /// </summary>
    /// <returns>The text.</returns>
    public string ToText()
    {
        var text = new StringBuilder("-- Schema snapshot by CodeMigrations: one line per object and per property.\n");
        SchemaSortKey? previous = null;
        foreach (var item in Objects)
        {
            if (previous is not { } p || p.Section != item.SortKey.Section || p.Group != item.SortKey.Group)
                text.Append('\n');
            previous = item.SortKey;
            var header = item.ToString();
            text.Append(header).Append('\n');
            foreach (var property in item.Properties)
            {
                text.Append(header).Append(' ').Append(property.Name).Append(':');
                if (property.Value.Contains('\n', StringComparison.Ordinal))
                {
                    text.Append('\n');
                    foreach (var line in property.Value.Split('\n'))
                    {
                        if (line.Length > 0)
                            text.Append("    ").Append(line);
                        text.Append('\n');
                    }
                }
                else
                {
                    text.Append(' ').Append(property.Value).Append('\n');
                }
            }
        }

        return text.ToString();
    }

    /// <summary>"schema snapshot: 42 objects".</summary>
    /// <returns>A short description.</returns>
    public override string ToString() => $"schema snapshot: {Objects.Count} objects";
}
