using System.Globalization;
using System.Numerics;
using System.Reflection;
using CodeMigrations.Execution;
using CodeMigrations.History;
using CodeMigrations.Loading;
using CodeMigrations.Running;
using Microsoft.Extensions.DependencyInjection;

namespace CodeMigrations.Importing;

/// <summary>
/// Adopts a database another tool migrated: reads that tool's history table and records the migrations it applied in
/// the CodeMigrations history, as <c>baseline</c> rows (in place, never run by us), so that <c>up</c> runs only the rest.
/// </summary>
/// <remarks>
/// <para>
/// A row of the other tool names a migration class by its <see cref="ImportedMigrationAttribute"/> (written by
/// <c>import</c>: exact whatever the version mapping), else by the number of its version; DbUp rows by script file name,
/// else by the version at the start of the script's name. golang-migrate stores only its current version: every class up
/// to it is recorded; a Flyway baseline row likewise records every class up to its version. Rows that name no loaded
/// class are reported in <see cref="HistoryImportResult.Skipped"/>, never recorded.
/// </para>
/// <para>
/// Refused, recording nothing: a dirty golang-migrate version, a failed Flyway migration (<c>success = false</c>), a
/// missing table or one not shaped as the tool makes it (<see cref="HistoryImportException"/>). Runs under the migration
/// lock in one transaction; rows already in the history are left as they are.
/// </para>
/// </remarks>
public sealed class MigrationHistoryImporter
{
    private readonly CodeMigrationsOptions _options;
    private readonly IServiceProvider _services;
    private readonly MigrationActivator _activator = new();

    /// <summary>Creates the importer for the configured database, history table and migration assemblies.</summary>
    /// <param name="options">The connection, the assemblies holding the migration classes, the history table.</param>
    /// <param name="services">Creates the migrations (to record their checksums); <see langword="null"/> for classes with parameterless constructors.</param>
    public MigrationHistoryImporter(CodeMigrationsOptions options, IServiceProvider? services = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _services = services ?? EmptyServices.Instance;
    }

    /// <summary>Reads <paramref name="tool"/>'s history and records the matching migrations as applied.</summary>
    /// <param name="tool">The tool that migrated the database.</param>
    /// <param name="table">Its history table when not the tool's default (<c>flyway_schema_history</c>...), as <c>[schema.]name</c>.</param>
    /// <param name="cancellationToken">Cancels the import: nothing is recorded.</param>
    /// <exception cref="HistoryImportException">The tool's table is missing, not shaped as the tool makes it, or records a dirty or failed migration.</exception>
    /// <exception cref="InvalidMigrationSetException">The migration classes are not a valid set.</exception>
    /// <exception cref="MigrationDatabaseException">The database could not be reached or used.</exception>
    public async Task<HistoryImportResult> ImportAsync(ForeignMigrationTool tool, string? table = null, CancellationToken cancellationToken = default)
    {
        var catalog = new MigrationCatalogSource(_options, _services.GetService<IServiceProviderIsService>()).Catalog;
        var history = new MigrationHistory(_options.HistorySchema, _options.HistoryTable);
        await using var connections = new MigrationConnectionFactory(_options);
        // The history is read under the lock; the table is created, and the rows recorded, in one transaction with
        // reading the other tool's table: a refused import leaves nothing behind.
        return await HistorySession.RunAsync(connections, history, _options.LockTimeout, onWaiting: null, createTable: false, async session =>
        {
            var recording = $"Recording in the history table {history.QualifiedName}";
            session.Stage = recording;
            var transaction = await session.BeginTransactionAsync(cancellationToken);
            session.Stage = $"Reading {ForeignMigrationTools.NameOf(tool)}'s history";
            var name = table ?? ForeignHistoryReader.DefaultTable(tool);
            var found = await ForeignHistoryReader.FindTableAsync(session.Connection, transaction, name, cancellationToken) ?? throw new HistoryImportException(
                $"No table {name} in {connections.Target} (looked up through the search_path): this is not a database {ForeignMigrationTools.NameOf(tool)} migrated, " +
                "or its history table is elsewhere: give it with --table SCHEMA.NAME. Nothing was recorded.");
            var entries = await ForeignHistoryReader.ReadAsync(session.Connection, transaction, tool, found, cancellationToken);

            var (matched, skipped) = Match(tool, entries, catalog);
            session.Stage = recording;
            var existing = session.Rows.Select(r => r.Version).ToHashSet();
            var toRecord = matched
                .Where(m => !existing.Contains(m.Migration.Version))
                .Select(m => new BaselineEntry(m.Migration, Checksum(m.Migration))
                {
                    AppliedAt = m.Entry.AppliedAt,
                    ExecutionTime = m.Entry.ExecutionMs is { } ms ? TimeSpan.FromMilliseconds(ms) : null,
                    AppliedBy = m.Entry.AppliedBy,
                })
                .ToList();
            var recorded = await history.RecordBaselineAsync(session.Connection, toRecord, transaction, cancellationToken);
            await transaction.CommitAsync(cancellationToken);

            var applied = existing.Concat(recorded.Select(m => m.Version)).ToHashSet();
            return new HistoryImportResult(tool, found.Name)
            {
                Recorded = recorded,
                AlreadyRecorded = matched.Select(m => m.Migration).Where(m => existing.Contains(m.Version)).ToList(),
                Skipped = skipped,
                Pending = catalog.Migrations.Where(m => !applied.Contains(m.Version)).ToList(),
            };
        }, cancellationToken);
    }

    /// <summary>Pairs each row of the other tool with the class it names; a row naming none is skipped with the reason.</summary>
    internal static (List<(MigrationInfo Migration, ForeignHistoryEntry Entry)> Matched, List<SkippedHistoryEntry> Skipped) Match(
        ForeignMigrationTool tool, IReadOnlyList<ForeignHistoryEntry> entries, MigrationCatalog catalog)
    {
        var format = ForeignMigrationTools.ImportFormat(tool) is { } f ? MigrationSourceFormats.NameOf(f) : null;
        var imported = catalog.Migrations
            .Select(m => (Migration: m, Attribute: m.Type.GetCustomAttribute<ImportedMigrationAttribute>(inherit: false)))
            .ToList();
        // The version a class has in the other tool: its imported source version, else its own.
        string ToolVersion(MigrationInfo m, ImportedMigrationAttribute? a) =>
            a is not null && a.Format == format ? a.SourceVersion : m.Version.ToString(CultureInfo.InvariantCulture);

        var matched = new List<(MigrationInfo, ForeignHistoryEntry)>();
        var skipped = new List<SkippedHistoryEntry>();
        var seen = new HashSet<long>();
        foreach (var entry in entries)
        {
            if (entry.Version is null)
            {
                skipped.Add(new SkippedHistoryEntry(null, entry.Description, tool == ForeignMigrationTool.Flyway
                    ? "a Flyway repeatable migration: CodeMigrations has none"
                    : "no version in its name"));
                continue;
            }

            var version = Normalize(tool, entry.Version);
            MigrationInfo? exact = null;
            if (tool == ForeignMigrationTool.DbUp && entry.Description is { } script)
            {
                exact = imported.FirstOrDefault(i => i.Attribute is { Source: { } source } a && a.Format == format && NamesFile(script, source)).Migration;
            }

            exact ??= imported.FirstOrDefault(i => i.Attribute is { } a && a.Format == format && Same(Normalize(tool, a.SourceVersion), version)).Migration;
            if (exact is null && long.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && catalog.Find(number) is { } byNumber)
            {
                // Numbers match only classes not imported from this tool: those carry their own version above.
                var attribute = imported.First(i => i.Migration == byNumber).Attribute;
                if (attribute is null || attribute.Format != format)
                    exact = byNumber;
            }

            if (entry.UpTo)
            {
                foreach (var (migration, attribute) in imported)
                {
                    if (ImportVersionMapping.Compare(Normalize(tool, ToolVersion(migration, attribute)), version) is <= 0 && seen.Add(migration.Version))
                        matched.Add((migration, entry));
                }
            }

            if (exact is not null)
            {
                if (seen.Add(exact.Version))
                    matched.Add((exact, entry));
            }
            else
            {
                skipped.Add(new SkippedHistoryEntry(entry.Version, entry.Description, entry.UpTo
                    ? "no loaded class has this version (the classes below it are recorded)"
                    : "no loaded class has this version"));
            }
        }

        matched.Sort((a, b) => a.Item1.Version.CompareTo(b.Item1.Version));
        return (matched, skipped);
    }

    /// <summary>A version as digits and dots only: diesel's dashes go (as diesel itself drops them), leading zeros of each component too.</summary>
    private static string Normalize(ForeignMigrationTool tool, string version)
    {
        var text = tool == ForeignMigrationTool.Diesel ? version.Replace("-", "", StringComparison.Ordinal) : version;
        return ImportVersionMapping.Components(text) is { } parts
            ? string.Join('.', parts.Select(p => BigInteger.Parse(p, NumberStyles.None, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture)))
            : text;
    }

    private static bool Same(string a, string b) => ImportVersionMapping.Compare(a, b) is 0 || a == b;

    /// <summary>Whether a DbUp script name (<c>MyApp.Scripts.001_init.sql</c>, <c>Scripts/001_init.sql</c>) is the file <paramref name="file"/>.</summary>
    private static bool NamesFile(string scriptName, string file)
    {
        var name = scriptName.Replace('\\', '/');
        return name == file || name.EndsWith("/" + file, StringComparison.Ordinal) || name.EndsWith("." + file, StringComparison.Ordinal);
    }

    /// <summary>The checksum <c>up</c> would record, so that <c>validate</c> checks imported rows too; null when the class cannot be described.</summary>
    private string? Checksum(MigrationInfo migration)
    {
        try
        {
            return _activator.DescribeUp(migration, _services).Checksum;
        }
        catch (InvalidMigrationException)
        {
            return null;
        }
    }

    private sealed class EmptyServices : IServiceProvider
    {
        public static readonly EmptyServices Instance = new();

        public object? GetService(Type serviceType) => null;
    }
}

/// <summary>What <see cref="MigrationHistoryImporter.ImportAsync"/> did.</summary>
/// <param name="Tool">The tool whose history was read.</param>
/// <param name="SourceTable">Its table, as PostgreSQL names it.</param>
public sealed record HistoryImportResult(ForeignMigrationTool Tool, string SourceTable)
{
    /// <summary>The migrations recorded as applied (state <c>baseline</c>), by version.</summary>
    public IReadOnlyList<MigrationInfo> Recorded { get; init; } = [];

    /// <summary>The migrations the other tool applied that the history held already: left as they are.</summary>
    public IReadOnlyList<MigrationInfo> AlreadyRecorded { get; init; } = [];

    /// <summary>The other tool's rows that name no loaded class: not recorded.</summary>
    public IReadOnlyList<SkippedHistoryEntry> Skipped { get; init; } = [];

    /// <summary>The loaded migrations that are still not applied: <c>up</c> runs them.</summary>
    public IReadOnlyList<MigrationInfo> Pending { get; init; } = [];
}

/// <summary>A row of the other tool's history that was not recorded.</summary>
/// <param name="SourceVersion">Its version, or <see langword="null"/> when it has none.</param>
/// <param name="Description">Its description or script name, when the tool keeps one.</param>
/// <param name="Reason">Why it was not recorded.</param>
public sealed record SkippedHistoryEntry(string? SourceVersion, string? Description, string Reason);
