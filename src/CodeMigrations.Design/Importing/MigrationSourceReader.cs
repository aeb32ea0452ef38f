using System.Text;
using System.Text.RegularExpressions;
using CodeMigrations.Sql;

namespace CodeMigrations.Importing;

/// <summary>
/// Reads another tool's folder of SQL migrations: versions, names, what Up and Down run, which migrations are
/// irreversible. Reads files only; writes nothing.
/// </summary>
/// <remarks>
/// <para>Formats (see <see cref="MigrationSourceFormat"/>):</para>
/// <list type="bullet">
/// <item><c>updown</c>: <c>VERSION_name.sql</c>, the version being the number at the start of the name (after optional
/// letters: <c>V3_x.sql</c>, <c>Script0003 - x.sql</c>). <c>-- Up</c> / <c>-- Down</c> marker lines split the file as
/// <c>ExecuteScript</c> does; a file without markers is all Up.</item>
/// <item><c>golang-migrate</c>: <c>VERSION_name.up.sql</c> and <c>VERSION_name.down.sql</c>.</item>
/// <item><c>dbmate</c>: <c>VERSION_name.sql</c> with <c>-- migrate:up</c> and <c>-- migrate:down</c> lines;
/// <c>transaction:false</c> on either line imports the migration without a transaction.</item>
/// <item><c>diesel</c>: folders <c>VERSION_name</c> with <c>up.sql</c> and <c>down.sql</c>; the version is the digits of
/// the part before the first <c>_</c> (<c>2023-09-15-120000</c> → <c>20230915120000</c>), as diesel records it;
/// <c>run_in_transaction = false</c> in <c>metadata.toml</c> is kept.</item>
/// <item><c>flyway</c>: <c>V&lt;version&gt;__name.sql</c> in the folder and below, <c>U&lt;version&gt;__name.sql</c> as the
/// Down; <c>executeInTransaction=false</c> in a <c>.sql.conf</c> file is kept. Repeatable (<c>R__</c>), baseline
/// (<c>B</c>) migrations and callbacks are listed in <see cref="MigrationSource.Unsupported"/>.</item>
/// </list>
/// <para>
/// A migration without a down (no down file, or a down without any statement) becomes irreversible with the reason
/// <c>imported from FORMAT without a down migration</c>. One whose statements PostgreSQL refuses in a transaction
/// (<c>CREATE INDEX CONCURRENTLY</c>, or its own <c>BEGIN</c>/<c>COMMIT</c>) is imported with
/// <c>UseTransaction = false</c>, and a warning says so.
/// </para>
/// <para>
/// Versions: a version that is one positive number is kept (timestamps stay timestamps). Flyway's dotted versions are
/// mapped in order: with K the most components any version of the folder has, the first component followed by each
/// further one as four digits (K = 3: <c>1.2.10</c> → <c>1_0002_0010</c>, <c>1</c> → <c>1_0000_0000</c>). Version 0
/// becomes 1 when 1 is free. Two files that end with one version are refused, naming both.
/// </para>
/// </remarks>
public static partial class MigrationSourceReader
{
    /// <summary>Reads the migrations of <paramref name="directory"/> as <paramref name="format"/>.</summary>
    /// <param name="directory">The other tool's migrations folder.</param>
    /// <param name="format">Its layout.</param>
    /// <param name="cancellationToken">Cancels the reading.</param>
    /// <exception cref="MigrationImportException">
    /// The folder does not exist or holds no migration of that format, or some files cannot be imported (two with one
    /// version, an up missing, a version too large); the message lists every problem.
    /// </exception>
    public static async Task<MigrationSource> ReadAsync(string directory, MigrationSourceFormat format, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        var root = Path.GetFullPath(directory);
        if (!Directory.Exists(root))
            throw new MigrationImportException(File.Exists(root)
                ? $"{root} is a file: give the folder that holds the {MigrationSourceFormats.NameOf(format)} migrations."
                : $"the folder {root} does not exist.");

        var context = new ReadContext(root, format);
        var candidates = format switch
        {
            MigrationSourceFormat.UpDown => await ReadUpDownAsync(context, cancellationToken),
            MigrationSourceFormat.GolangMigrate => await ReadGolangMigrateAsync(context, cancellationToken),
            MigrationSourceFormat.Dbmate => await ReadDbmateAsync(context, cancellationToken),
            MigrationSourceFormat.Diesel => await ReadDieselAsync(context, cancellationToken),
            MigrationSourceFormat.Flyway => await ReadFlywayAsync(context, cancellationToken),
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
        };

        var versions = ImportVersionMapping.Map(
            candidates.Select(c => new ImportVersionMapping.Entry(c.SourceVersion, c.Components, c.Source)).ToList(), context.Problems);
        foreach (var clash in candidates.SelectMany(c => c.Files).GroupBy(f => f.FileName, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
        {
            context.Problems.Add($"{string.Join(" and ", clash.Select(f => context.Relative(f.SourcePath)).Distinct())} would both be copied as Sql/{clash.Key}: " +
                "rename one of them (file names must be unique across the folder).");
        }

        if (context.Problems.Count > 0)
            throw new MigrationImportException(context.Problems);
        if (candidates.Count == 0)
        {
            throw new MigrationImportException(
                $"{root} holds no {MigrationSourceFormats.NameOf(format)} migration: expected {Expected(format)}" +
                (context.Ignored.Count > 0 ? $"; it has {string.Join(", ", context.Ignored.Take(5))}{(context.Ignored.Count > 5 ? $" and {context.Ignored.Count - 5} more" : "")}." : "."));
        }

        var migrations = candidates
            .Select((c, i) => new SourceMigration(versions[i]!.Value, c.SourceVersion, c.Name, c.Source, c.Up, c.Down)
            {
                IrreversibleReason = c.IrreversibleReason,
                UseTransaction = c.UseTransaction,
                Files = c.Files,
            })
            .OrderBy(m => m.Version)
            .ToList();
        if (context.Ignored.Count > 0)
        {
            context.Warnings.Insert(0, $"Ignored {context.Ignored.Count} file{(context.Ignored.Count == 1 ? "" : "s")} not named as {MigrationSourceFormats.NameOf(format)} migrations are: " +
                $"{string.Join(", ", context.Ignored.Take(10))}{(context.Ignored.Count > 10 ? $" and {context.Ignored.Count - 10} more" : "")}.");
        }

        return new MigrationSource(format, root, migrations, context.Unsupported, context.Warnings);
    }

    private static string Expected(MigrationSourceFormat format) => format switch
    {
        MigrationSourceFormat.UpDown => "files such as 20230915120000_create_users.sql with '-- Up' and '-- Down' lines",
        MigrationSourceFormat.GolangMigrate => "files such as 1_create_users.up.sql and 1_create_users.down.sql",
        MigrationSourceFormat.Dbmate => "files such as 20230915120000_create_users.sql with '-- migrate:up' and '-- migrate:down' lines",
        MigrationSourceFormat.Diesel => "folders such as 2023-09-15-120000_create_users holding up.sql and down.sql",
        _ => "files such as V1__create_users.sql (and U1__create_users.sql as its down)",
    };

    /// <summary>The text of a section, as <c>MigrationScripts.Section</c> cuts it.</summary>
    private static string Body(string text, Match wanted, Match? other)
    {
        var start = wanted.Index + wanted.Length;
        var end = other is not null && other.Index > wanted.Index ? other.Index : text.Length;
        return text[start..end];
    }

    /// <summary>The <c>-- migrate:up</c> / <c>-- migrate:down</c> lines, found on the bytes: their byte offsets are where a file is cut.</summary>
    private static List<(bool Up, int Offset, string? Line)> DbmateMarkers(byte[] bytes)
    {
        var markers = new List<(bool, int, string?)>();
        var start = 0;
        while (start < bytes.Length)
        {
            var end = Array.IndexOf(bytes, (byte)'\n', start);
            var stop = end < 0 ? bytes.Length : end;
            var line = Encoding.UTF8.GetString(bytes, start, stop - start).TrimEnd('\r');
            if (start == 0)
                line = line.TrimStart('\uFEFF');
            var match = DbmateMarker().Match(line);
            if (match.Success)
                markers.Add((match.Groups["dir"].Value.Equals("up", StringComparison.OrdinalIgnoreCase), start, line));
            start = stop + 1;
        }

        return markers;
    }

    private static string Decode(byte[] bytes)
    {
        using var reader = new StreamReader(new MemoryStream(bytes), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return reader.ReadToEnd();
    }

    private static string Trimmed(string digits)
    {
        var trimmed = digits.TrimStart('0');
        return trimmed.Length == 0 ? "0" : trimmed;
    }

    private static SqlAnalysis Analyze(string text)
    {
        var hasStatements = SqlScript.Split(text).Count > 0;
        return new SqlAnalysis(hasStatements,
            !hasStatements && text.Split('\n').Any(l => CommentedStatement().IsMatch(l)),
            hasStatements ? SqlScript.FindNonTransactional(text)?.Command : null);
    }

    private readonly record struct SqlAnalysis(bool HasStatements, bool CommentedOut, string? NonTransactionalCommand);

    // The same marker rule as ExecuteScript's: "-- Up", "-- up: apply", "--DOWN" on a line of their own.
    [GeneratedRegex(@"^[ \t]*--[ \t]*(?<dir>up|down)\b[^\n]*$", RegexOptions.IgnoreCase | RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex SectionMarker();

    [GeneratedRegex(@"^[ \t]*--[ \t]*(CREATE|DROP|ALTER|INSERT|UPDATE|DELETE|TRUNCATE|GRANT|REVOKE|COMMENT)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex CommentedStatement();

    [GeneratedRegex(@"^[A-Za-z]*(?<v>[0-9]+)(?:[ _\-.]+(?<name>.*))?$", RegexOptions.CultureInvariant)]
    private static partial Regex UpDownName();

    [GeneratedRegex(@"^(?<v>[0-9]+)_(?<name>.*)\.(?<dir>up|down)\.sql$", RegexOptions.CultureInvariant)]
    private static partial Regex GolangMigrateName();

    [GeneratedRegex(@"^(?<v>[0-9]+)(?:_(?<name>.*))?\.sql$", RegexOptions.CultureInvariant)]
    private static partial Regex DbmateName();

    [GeneratedRegex(@"^--\s*migrate:(?<dir>up|down)(?:\s.*)?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DbmateMarker();

    [GeneratedRegex(@"\btransaction:false\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DbmateNoTransaction();

    [GeneratedRegex(@"^(?<v>[^_]+)(?:_(?<name>.*))?$", RegexOptions.CultureInvariant)]
    private static partial Regex DieselName();

    [GeneratedRegex(@"^\s*run_in_transaction\s*=\s*false\b", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex DieselNoTransaction();

    [GeneratedRegex(@"^(?<kind>[VU])(?<v>[0-9]+(?:[._][0-9]+)*)__(?<name>.*)\.sql$", RegexOptions.CultureInvariant)]
    private static partial Regex FlywayName();

    [GeneratedRegex(@"^B[0-9]+(?:[._][0-9]+)*__.*\.sql$", RegexOptions.CultureInvariant)]
    private static partial Regex FlywayBaselineName();

    [GeneratedRegex(@"^(before|after)[A-Za-z]*(__.*)?\.sql$", RegexOptions.CultureInvariant)]
    private static partial Regex FlywayCallbackName();

    [GeneratedRegex(@"^\s*executeInTransaction\s*=\s*false\b", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex FlywayNoTransaction();

    [GeneratedRegex(@"\$\{[A-Za-z0-9_.:\-]+\}", RegexOptions.CultureInvariant)]
    private static partial Regex FlywayPlaceholder();
}
