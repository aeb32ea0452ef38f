using System.Numerics;

namespace CodeMigrations.Importing;

// How each format names its files and cuts them into Up and Down: one reader per format.
public static partial class MigrationSourceReader
{
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
}
