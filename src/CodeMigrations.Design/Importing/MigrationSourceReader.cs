using System.Numerics;
using System.Text;
using System.Text.RegularExpressions;
using CodeMigrations.Scripts;
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

    private static async Task<List<Candidate>> ReadUpDownAsync(ReadContext context, CancellationToken ct)
    {
        var candidates = new List<Candidate>();
        foreach (var path in context.TopLevelSqlFiles())
        {
            var file = Path.GetFileName(path);
            var match = UpDownName().Match(Path.GetFileNameWithoutExtension(file));
            if (!match.Success)
            {
                context.Ignored.Add(file);
                continue;
            }

            var text = Decode(await File.ReadAllBytesAsync(path, ct));
            var markers = SectionMarker().Matches(text);
            var up = markers.FirstOrDefault(m => m.Groups["dir"].Value.Equals("up", StringComparison.OrdinalIgnoreCase));
            var down = markers.FirstOrDefault(m => m.Groups["dir"].Value.Equals("down", StringComparison.OrdinalIgnoreCase));
            var copy = new SourceFile(path, file);
            var version = match.Groups["v"].Value;
            var name = match.Groups["name"].Value;
            if (up is null && down is not null)
            {
                context.Problems.Add($"{file} has a '-- Down' line but no '-- Up' line: add a line '-- Up' above its first statement.");
                continue;
            }

            if (up is null)
            {
                // No markers: the whole file applies the change (a DbUp script, a psql -f file), and nothing reverts it.
                var whole = Analyze(text);
                candidates.Add(context.Candidate(version, [Trimmed(version)], name, file,
                    new SourceScript(file, ScriptSection.Whole, !whole.HasStatements), null, [copy], text, null));
                continue;
            }

            var upBody = Body(text, up, down);
            var downBody = down is null ? null : Body(text, down, up);
            var upAnalysis = Analyze(upBody);
            if (upAnalysis.HasStatements)
                context.CheckSection(text, ScriptSection.Up, file);
            var hasDown = downBody is not null && Analyze(downBody).HasStatements;
            if (hasDown)
                context.CheckSection(text, ScriptSection.Down, file);
            candidates.Add(context.Candidate(version, [Trimmed(version)], name, file,
                new SourceScript(file, ScriptSection.Up, !upAnalysis.HasStatements),
                hasDown ? new SourceScript(file, ScriptSection.Down) : null, [copy], upBody, downBody));
        }

        return candidates;
    }

    private static async Task<List<Candidate>> ReadGolangMigrateAsync(ReadContext context, CancellationToken ct)
    {
        var files = new List<(string Path, string Version, string Name, bool Up)>();
        foreach (var path in context.TopLevelSqlFiles())
        {
            var match = GolangMigrateName().Match(Path.GetFileName(path));
            if (match.Success)
                files.Add((path, match.Groups["v"].Value, match.Groups["name"].Value, match.Groups["dir"].Value == "up"));
            else
                context.Ignored.Add(Path.GetFileName(path));
        }

        var candidates = new List<Candidate>();
        foreach (var group in files.GroupBy(f => Trimmed(f.Version)).OrderBy(g => BigInteger.Parse(g.Key, System.Globalization.CultureInfo.InvariantCulture)))
        {
            var ups = group.Where(f => f.Up).ToList();
            var downs = group.Where(f => !f.Up).ToList();
            if (ups.Count > 1 || downs.Count > 1)
            {
                context.Problems.Add($"Version {group.Key} has several {(ups.Count > 1 ? "up" : "down")} files ({string.Join(", ", (ups.Count > 1 ? ups : downs).Select(f => Path.GetFileName(f.Path)))}): golang-migrate refuses that too; keep one.");
                continue;
            }

            if (ups.Count == 0)
            {
                context.Problems.Add($"{Path.GetFileName(downs[0].Path)} has no matching .up.sql file: a migration needs its up.");
                continue;
            }

            var upFile = ups[0];
            var downFile = downs.Count == 1 ? downs[0] : ((string Path, string Version, string Name, bool Up)?)null;
            var upText = Decode(await File.ReadAllBytesAsync(upFile.Path, ct));
            var downText = downFile is { } d ? Decode(await File.ReadAllBytesAsync(d.Path, ct)) : null;
            var upName = Path.GetFileName(upFile.Path);
            var downName = downFile is { } dn ? Path.GetFileName(dn.Path) : null;
            var copies = new List<SourceFile> { new(upFile.Path, upName) };
            if (downFile is { } df)
                copies.Add(new SourceFile(df.Path, downName!));
            candidates.Add(context.Candidate(upFile.Version, [Trimmed(upFile.Version)], upFile.Name, upName,
                new SourceScript(upName, ScriptSection.Whole, !Analyze(upText).HasStatements),
                downText is not null && Analyze(downText).HasStatements ? new SourceScript(downName!, ScriptSection.Whole) : null,
                copies, upText, downText));
        }

        return candidates;
    }

    private static async Task<List<Candidate>> ReadDbmateAsync(ReadContext context, CancellationToken ct)
    {
        var candidates = new List<Candidate>();
        foreach (var path in context.TopLevelSqlFiles())
        {
            var file = Path.GetFileName(path);
            var match = DbmateName().Match(file);
            if (!match.Success)
            {
                context.Ignored.Add(file);
                continue;
            }

            var bytes = await File.ReadAllBytesAsync(path, ct);
            var markers = DbmateMarkers(bytes);
            var up = markers.FirstOrDefault(m => m.Up);
            var down = markers.FirstOrDefault(m => !m.Up);
            if (up.Line is null)
            {
                context.Problems.Add($"{file} has no '-- migrate:up' line: dbmate requires one before the statements that apply the migration.");
                continue;
            }

            var stem = Path.GetFileNameWithoutExtension(file);
            var useTransaction = !markers.Any(m => DbmateNoTransaction().IsMatch(m.Line!));
            string upText;
            string? downText = null;
            SourceScript upScript;
            SourceScript? downScript = null;
            var copies = new List<SourceFile>();
            if (down.Line is null)
            {
                upText = Decode(bytes);
                copies.Add(new SourceFile(path, file));
                upScript = new SourceScript(file, ScriptSection.Whole, !Analyze(upText).HasStatements);
            }
            else
            {
                // ExecuteScript's sections are marked '-- Up' / '-- Down', not dbmate's '-- migrate:up': the file is cut at
                // the start of its second marker line into two files that, put back together, are the original byte for byte.
                var cut = Math.Max(up.Offset, down.Offset);
                var (upPart, downPart) = up.Offset < down.Offset ? ("up", "down") : ("down", "up");
                var first = new SourceFile(path, $"{stem}.{upPart}.sql") { Offset = 0, Length = cut };
                var second = new SourceFile(path, $"{stem}.{downPart}.sql") { Offset = cut };
                copies.Add(up.Offset < down.Offset ? first : second);
                copies.Add(up.Offset < down.Offset ? second : first);
                upText = Decode(up.Offset < down.Offset ? bytes[..cut] : bytes[cut..]);
                downText = Decode(up.Offset < down.Offset ? bytes[cut..] : bytes[..cut]);
                upScript = new SourceScript($"{stem}.up.sql", ScriptSection.Whole, !Analyze(upText).HasStatements);
                if (Analyze(downText).HasStatements)
                    downScript = new SourceScript($"{stem}.down.sql", ScriptSection.Whole);
            }

            var version = match.Groups["v"].Value;
            var candidate = context.Candidate(version, [Trimmed(version)], match.Groups["name"].Value, file, upScript, downScript, copies, upText, downText);
            if (!useTransaction && candidate.UseTransaction)
            {
                context.Warnings.Add($"{file} says transaction:false: imported with UseTransaction = false.");
                candidate = candidate with { UseTransaction = false };
            }

            candidates.Add(candidate);
        }

        return candidates;
    }

    private static async Task<List<Candidate>> ReadDieselAsync(ReadContext context, CancellationToken ct)
    {
        var candidates = new List<Candidate>();
        foreach (var folder in Directory.GetDirectories(context.Root).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(folder);
            var match = DieselName().Match(name);
            var digits = match.Success ? match.Groups["v"].Value.Replace("-", "", StringComparison.Ordinal) : "";
            if (!match.Success || digits.Length == 0 || !digits.All(char.IsAsciiDigit))
            {
                context.Ignored.Add(name + "/");
                continue;
            }

            var upPath = Path.Combine(folder, "up.sql");
            var downPath = Path.Combine(folder, "down.sql");
            if (!File.Exists(upPath))
            {
                if (File.Exists(downPath))
                    context.Problems.Add($"{name}/ has a down.sql but no up.sql: a migration needs its up.");
                else
                    context.Ignored.Add(name + "/");
                continue;
            }

            var upText = Decode(await File.ReadAllBytesAsync(upPath, ct));
            var downText = File.Exists(downPath) ? Decode(await File.ReadAllBytesAsync(downPath, ct)) : null;
            var copies = new List<SourceFile> { new(upPath, $"{name}.up.sql") };
            if (downText is not null)
                copies.Add(new SourceFile(downPath, $"{name}.down.sql"));
            var candidate = context.Candidate(match.Groups["v"].Value, [Trimmed(digits)], match.Groups["name"].Value, name,
                new SourceScript($"{name}.up.sql", ScriptSection.Whole, !Analyze(upText).HasStatements),
                downText is not null && Analyze(downText).HasStatements ? new SourceScript($"{name}.down.sql", ScriptSection.Whole) : null,
                copies, upText, downText);
            var metadata = Path.Combine(folder, "metadata.toml");
            if (candidate.UseTransaction && File.Exists(metadata) && DieselNoTransaction().IsMatch(await File.ReadAllTextAsync(metadata, ct)))
            {
                context.Warnings.Add($"{name}/metadata.toml says run_in_transaction = false: imported with UseTransaction = false.");
                candidate = candidate with { UseTransaction = false };
            }

            candidates.Add(candidate);
        }

        return candidates;
    }

    private static async Task<List<Candidate>> ReadFlywayAsync(ReadContext context, CancellationToken ct)
    {
        var versioned = new List<(string Path, string Version, string Name)>();
        var undos = new List<(string Path, string Version, string Name)>();
        foreach (var path in Directory.GetFiles(context.Root, "*.sql", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var file = Path.GetFileName(path);
            var match = FlywayName().Match(file);
            if (match.Success)
            {
                (match.Groups["kind"].Value == "V" ? versioned : undos).Add((path, match.Groups["v"].Value, match.Groups["name"].Value));
            }
            else if (file.StartsWith("R__", StringComparison.Ordinal))
            {
                context.Unsupported.Add(new UnsupportedSourceFile(path,
                    $"{context.Relative(path)} is a Flyway repeatable migration (R__), re-run whenever it changes: CodeMigrations has no repeatable migrations. " +
                    "Put its statements (CREATE OR REPLACE ...) in a new versioned migration after the imported ones, and write a new migration for each later change."));
            }
            else if (FlywayBaselineName().IsMatch(file))
            {
                context.Unsupported.Add(new UnsupportedSourceFile(path,
                    $"{context.Relative(path)} is a Flyway baseline migration (B): the versioned migrations up to its version are imported instead; " +
                    "to start a new database from it, apply it by hand and use 'baseline VERSION'."));
            }
            else if (FlywayCallbackName().IsMatch(file))
            {
                context.Unsupported.Add(new UnsupportedSourceFile(path,
                    $"{context.Relative(path)} is a Flyway callback, run around every migrate: CodeMigrations has no callbacks. Run it yourself around 'up' if you need it."));
            }
            else
            {
                context.Ignored.Add(context.Relative(path));
            }
        }

        var candidates = new List<Candidate>();
        foreach (var (path, version, name) in versioned)
        {
            var undo = undos.Where(u => ImportVersionMapping.SameVersion(u.Version, version)).ToList();
            if (undo.Count > 1)
            {
                context.Problems.Add($"Version {version} has several undo files ({string.Join(", ", undo.Select(u => context.Relative(u.Path)))}): keep one.");
                continue;
            }

            var upText = Decode(await File.ReadAllBytesAsync(path, ct));
            var downText = undo.Count == 1 ? Decode(await File.ReadAllBytesAsync(undo[0].Path, ct)) : null;
            var file = Path.GetFileName(path);
            var undoFile = undo.Count == 1 ? Path.GetFileName(undo[0].Path) : null;
            var copies = new List<SourceFile> { new(path, file) };
            if (undoFile is not null)
                copies.Add(new SourceFile(undo[0].Path, undoFile));
            var candidate = context.Candidate(version, ImportVersionMapping.Components(version)!, name, context.Relative(path),
                new SourceScript(file, ScriptSection.Whole, !Analyze(upText).HasStatements),
                downText is not null && Analyze(downText).HasStatements ? new SourceScript(undoFile!, ScriptSection.Whole) : null,
                copies, upText, downText);
            var conf = path + ".conf";
            if (candidate.UseTransaction && File.Exists(conf) && FlywayNoTransaction().IsMatch(await File.ReadAllTextAsync(conf, ct)))
            {
                context.Warnings.Add($"{context.Relative(conf)} says executeInTransaction=false: imported with UseTransaction = false.");
                candidate = candidate with { UseTransaction = false };
            }

            if (FlywayPlaceholder().Match(upText + "\n" + downText) is { Success: true } placeholder)
            {
                context.Warnings.Add($"{context.Relative(path)} uses Flyway placeholders ({placeholder.Value}), which CodeMigrations sends as they are: " +
                    "replace them in the copied file, or pass the values as Dapper parameters.");
            }

            candidates.Add(candidate);
        }

        foreach (var orphan in undos.Where(u => !versioned.Any(v => ImportVersionMapping.SameVersion(u.Version, v.Version))))
            context.Warnings.Add($"Ignored {context.Relative(orphan.Path)}: no versioned migration V{orphan.Version}__ to undo.");
        return candidates;
    }

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

    private sealed record Candidate(string SourceVersion, string[] Components, string Name, string Source, SourceScript Up, SourceScript? Down,
        IReadOnlyList<SourceFile> Files, bool UseTransaction, string? IrreversibleReason);

    private sealed class ReadContext
    {
        public ReadContext(string root, MigrationSourceFormat format)
        {
            Root = root;
            Format = format;
        }

        public string Root { get; }

        public MigrationSourceFormat Format { get; }

        public List<string> Problems { get; } = [];

        public List<string> Warnings { get; } = [];

        public List<string> Ignored { get; } = [];

        public List<UnsupportedSourceFile> Unsupported { get; } = [];

        public IEnumerable<string> TopLevelSqlFiles() => Directory.GetFiles(Root, "*.sql").Order(StringComparer.Ordinal);

        public string Relative(string path) => Path.GetRelativePath(Root, path).Replace('\\', '/');

        /// <summary>Checks that <c>ExecuteScript</c> will accept the section at run time, as the generated class reads it.</summary>
        public void CheckSection(string text, ScriptSection section, string file)
        {
            try
            {
                MigrationScripts.Section(text, section, file);
            }
            catch (MigrationScriptException e)
            {
                Problems.Add(e.Message);
            }
        }

        /// <summary>
        /// A migration from what its up and down hold: irreversible without a down statement, without a transaction when
        /// a statement needs that.
        /// </summary>
        public Candidate Candidate(string sourceVersion, string[] components, string name, string source, SourceScript up, SourceScript? down,
            IReadOnlyList<SourceFile> files, string upText, string? downText)
        {
            var formatName = MigrationSourceFormats.NameOf(Format);
            string? irreversible = null;
            if (down is null)
            {
                var downAnalysis = downText is null ? default : Analyze(downText);
                if (downAnalysis.CommentedOut)
                {
                    irreversible = $"imported from {formatName}: its down migration is commented out";
                    Warnings.Add($"{source}: the down migration's statements are commented out, so it is imported as irreversible. " +
                        "To make it reversible, uncomment them in the copied file and remove the [Irreversible] attribute.");
                }
                else
                {
                    irreversible = $"imported from {formatName} without a down migration";
                }
            }

            if (up.IsEmpty)
                Warnings.Add($"{source}: the up migration holds no statement; it is imported with an empty Up.");

            // Statements PostgreSQL refuses in a transaction. A part wrapped in its own BEGIN ... COMMIT runs without those two
            // statements, inside the migration's transaction; any other transaction control, or CREATE INDEX CONCURRENTLY
            // and the like, needs a migration without a transaction.
            var useTransaction = true;
            var notes = new List<string>();
            var wrapped = new List<string>();
            foreach (var direction in new[] { "up", "down" })
            {
                var text = direction == "up" ? upText : down is null ? null : downText;
                if (text is null)
                    continue;
                if (ImportedScripts.Unwrap(text) is { } unwrapped)
                {
                    wrapped.Add(direction);
                    if (direction == "up")
                        up = up with { WithoutOwnTransaction = true };
                    else
                        down = down! with { WithoutOwnTransaction = true };
                    text = unwrapped;
                }

                if (Analyze(text).NonTransactionalCommand is not { } command)
                    continue;
                useTransaction = false;
                notes.Add(ImportedScripts.IsTransactionControl(command)
                    ? $"its {direction} runs {command} itself"
                    : $"its {direction} holds {command}, which PostgreSQL refuses in a transaction");
            }

            if (wrapped.Count > 0)
            {
                Warnings.Add($"{source}: its {string.Join(" and ", wrapped)} {(wrapped.Count == 1 ? "wraps its" : "wrap their")} statements in BEGIN ... COMMIT: " +
                    "the class runs them without those two statements (ImportedScripts.ReadWithoutOwnTransaction), in the migration's own transaction.");
            }

            if (notes.Count > 0)
            {
                Warnings.Add($"{source}: {string.Join("; ", notes)}: imported with UseTransaction = false, so each statement runs on its own, " +
                    "and a failure leaves a mark to resolve.");
            }

            return new Candidate(sourceVersion, components, name, source, up, down, files, useTransaction, irreversible);
        }
    }

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
