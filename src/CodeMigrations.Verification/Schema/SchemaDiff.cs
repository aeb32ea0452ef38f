namespace CodeMigrations.Schema;

/// <summary>How an object differs between the expected and the found schema.</summary>
public enum SchemaDifferenceKind
{
    /// <summary>Expected, not found.</summary>
    Missing,

    /// <summary>Found, not expected.</summary>
    Unexpected,

    /// <summary>Found on both sides, with a property that differs.</summary>
    Changed,
}

/// <summary>One difference between two <see cref="SchemaSnapshot"/>s.</summary>
/// <param name="Kind">Missing, unexpected, or changed.</param>
/// <param name="ObjectKind">The kind of object.</param>
/// <param name="ObjectName">The object's name, as the snapshot writes it.</param>
/// <param name="Property">For <see cref="SchemaDifferenceKind.Changed"/>, the property that differs; else <see langword="null"/>.</param>
/// <param name="Expected">For <see cref="SchemaDifferenceKind.Changed"/>, the expected value (<see langword="null"/>: none).</param>
/// <param name="Found">For <see cref="SchemaDifferenceKind.Changed"/>, the value found (<see langword="null"/>: none).</param>
public sealed record SchemaDifference(
    SchemaDifferenceKind Kind,
    SchemaObjectKind ObjectKind,
    string ObjectName,
    string? Property = null,
    string? Expected = null,
    string? Found = null)
{
    /// <summary>The object, as messages name it: <c>column books.isbn</c>.</summary>
    public string Object => $"{SchemaObject.Describe(ObjectKind)} {ObjectName}";

    /// <summary>
    /// One sentence: "column books.isbn is missing", "index ix_books_title exists but should not",
    /// "default of column books.price differs: expected 0, found none".
    /// </summary>
    /// <returns>The sentence.</returns>
    public override string ToString() => Kind switch
    {
        SchemaDifferenceKind.Missing => $"{Object} is missing",
        SchemaDifferenceKind.Unexpected => $"{Object} exists but should not",
        _ => DescribeChange("expected", "found"),
    };

    /// <summary>
    /// For a <see cref="SchemaDifferenceKind.Changed"/> difference, the sentence with the given words before each value:
    /// "default of column books.price differs: expected 0, found none"; for values of several lines (definitions), the
    /// first line that differs: "definition of function touch() differs at line 6: expected `RETURN NEW;`, found `RETURN NULL;`".
    /// </summary>
    /// <param name="expectedLabel">The words before the expected value, e.g. <c>expected</c>.</param>
    /// <param name="foundLabel">The words before the value found, e.g. <c>found</c>.</param>
    /// <returns>The sentence.</returns>
    public string DescribeChange(string expectedLabel, string foundLabel)
    {
        var subject = $"{Property} of {Object} differs";
        if (Expected is { } expected && Found is { } found
            && (expected.Contains('\n', StringComparison.Ordinal) || found.Contains('\n', StringComparison.Ordinal)))
        {
            var expectedLines = expected.Split('\n');
            var foundLines = found.Split('\n');
            var line = 0;
            while (line < expectedLines.Length && line < foundLines.Length && expectedLines[line] == foundLines[line])
                line++;
            return $"{subject} at line {line + 1}: {expectedLabel} {Line(expectedLines, line)}, {foundLabel} {Line(foundLines, line)}";
        }

        return $"{subject}: {expectedLabel} {Expected ?? "none"}, {foundLabel} {Found ?? "none"}";
    }

    private static string Line(string[] lines, int index) => index < lines.Length ? $"`{lines[index].Trim()}`" : "the end";
}

/// <summary>Compares two schema snapshots.</summary>
public static class SchemaDiff
{
    private static readonly HashSet<SchemaObjectKind> Owners =
    [
        SchemaObjectKind.Table, SchemaObjectKind.PartitionedTable, SchemaObjectKind.ForeignTable, SchemaObjectKind.View,
        SchemaObjectKind.MaterializedView, SchemaObjectKind.Enum, SchemaObjectKind.Domain,
    ];

    /// <summary>
    /// The differences between <paramref name="expected"/> and <paramref name="found"/>, in snapshot order; empty when
    /// they describe the same schema. When a table, view, enum or domain is missing or unexpected as a whole, its
    /// columns, constraints, indexes, triggers, policies and values are not listed one by one. Not differences: the
    /// order of a table's columns, and timestamp literals PostgreSQL folded into a definition when it was created
    /// (<c>'now'::timestamp</c> in a view); <c>verify</c> reports them as notes.
    /// </summary>
    /// <param name="expected">The schema there should be.</param>
    /// <param name="found">The schema there is.</param>
    /// <returns>The differences.</returns>
    public static IReadOnlyList<SchemaDifference> Compare(SchemaSnapshot expected, SchemaSnapshot found) => CompareWithNotes(expected, found).Differences;

    /// <summary>
    /// The differences, and apart from them what differs only in column order (property <see cref="ColumnOrder"/>) or
    /// in folded timestamp literals: notes, not differences.
    /// </summary>
    internal static (IReadOnlyList<SchemaDifference> Differences, IReadOnlyList<SchemaDifference> Notes) CompareWithNotes(SchemaSnapshot expected,
        SchemaSnapshot found)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(found);

        var differences = new List<(SchemaSortKey Key, SchemaDifference Difference)>();
        var notes = new List<SchemaDifference>();
        var missingOwners = new HashSet<(int, string)>();
        var unexpectedOwners = new HashSet<(int, string)>();

        foreach (var item in expected.Objects)
        {
            if (found.Find(item.Kind, item.Name) is not { } other)
            {
                if (Owners.Contains(item.Kind))
                    missingOwners.Add((item.SortKey.Section, item.SortKey.Group));
                differences.Add((item.SortKey, new SchemaDifference(SchemaDifferenceKind.Missing, item.Kind, item.Name)));
                continue;
            }

            foreach (var name in item.Properties.Select(p => p.Name).Union(other.Properties.Select(p => p.Name)))
            {
                var expectedValue = item[name];
                var foundValue = other[name];
                if (string.Equals(expectedValue, foundValue, StringComparison.Ordinal))
                    continue;
                var difference = new SchemaDifference(SchemaDifferenceKind.Changed, item.Kind, item.Name, name, expectedValue, foundValue);
                if (TimeLiterals.OnlyDiffer(expectedValue, foundValue))
                    notes.Add(difference);
                else
                    differences.Add((item.SortKey, difference));
            }

            if (!string.Equals(item.ColumnOrder, other.ColumnOrder, StringComparison.Ordinal) && item.ColumnOrder is not null && other.ColumnOrder is not null
                && SameColumns(item.ColumnOrder, other.ColumnOrder))
            {
                notes.Add(new SchemaDifference(SchemaDifferenceKind.Changed, item.Kind, item.Name, ColumnOrder, item.ColumnOrder, other.ColumnOrder));
            }
        }

        foreach (var item in found.Objects)
        {
            if (expected.Find(item.Kind, item.Name) is null)
            {
                if (Owners.Contains(item.Kind))
                    unexpectedOwners.Add((item.SortKey.Section, item.SortKey.Group));
                differences.Add((item.SortKey, new SchemaDifference(SchemaDifferenceKind.Unexpected, item.Kind, item.Name)));
            }
        }

        var listed = differences
            .Where(d => !IsPartOfWholeDifference(d.Key, d.Difference, missingOwners, unexpectedOwners))
            .OrderBy(d => d.Key)
            .ThenBy(d => d.Difference.Kind)
            .Select(d => d.Difference)
            .ToList();
        return (listed, notes);
    }

    /// <summary>The property a column-order note names: <c>column order</c>.</summary>
    internal const string ColumnOrder = "column order";

    /// <summary>Whether two column lists hold the same columns (in any order): otherwise the columns differ, and say so themselves.</summary>
    private static bool SameColumns(string a, string b) =>
        a.Split(", ").Order(StringComparer.Ordinal).SequenceEqual(b.Split(", ").Order(StringComparer.Ordinal), StringComparer.Ordinal);

    private static bool IsPartOfWholeDifference(SchemaSortKey key, SchemaDifference difference, HashSet<(int, string)> missingOwners,
        HashSet<(int, string)> unexpectedOwners)
    {
        if (key.Rank == 0)
            return false;
        var owners = difference.Kind switch
        {
            SchemaDifferenceKind.Missing => missingOwners,
            SchemaDifferenceKind.Unexpected => unexpectedOwners,
            _ => null,
        };
        return owners is not null && owners.Contains((key.Section, key.Group));
    }
}
