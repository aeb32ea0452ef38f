using Npgsql;

namespace CodeMigrations.Benchmarks;

/// <summary>Every program the benchmark times.</summary>
internal enum ToolId
{
    /// <summary>psql, one file, each migration <c>BEGIN; up; INSERT INTO history; COMMIT;</c>: the floor of heavy and tiny (and, with the downs, of revert).</summary>
    PsqlEach,

    /// <summary><c>psql -1</c>: every up and history row in one transaction.</summary>
    PsqlOne,

    /// <summary>
    /// psql, each migration in its own transaction as <see cref="PsqlEach"/>, with the group commit CodeMigrations uses:
    /// <c>synchronous_commit = off</c> for every commit but the last.
    /// </summary>
    PsqlGroup,

    /// <summary>A plain Npgsql program sending each migration and its history row in one transaction, in one round trip.</summary>
    NpgsqlApply,

    /// <summary>A minimal .NET program: open one Npgsql connection, run one query. The floor of no-op and status.</summary>
    NpgsqlProbe,

    CodeMigrations,

    /// <summary>CodeMigrations with <c>--durable-each</c>: every migration's commit waits for the disk.</summary>
    CodeMigrationsDurableEach,

    /// <summary>CodeMigrations from a ReadyToRun-published host (<c>dotnet publish -p:PublishReadyToRun=true</c>): less JIT at start-up.</summary>
    CodeMigrationsReadyToRun,

    FluentMigrator,
    DbUp,
    Evolve,
}

/// <summary>What a timed run asks a tool to do.</summary>
internal enum Operation
{
    Up,
    Down,
    Status,

    /// <summary><c>verify</c>; for psql, every Up then every Down in one session, a transaction each.</summary>
    Verify,

    /// <summary><c>verify --from</c> the last migration; for psql, the same as <see cref="Verify"/>.</summary>
    VerifyFrom,
}

internal sealed record ToolCommand(string FileName, IReadOnlyList<string> Arguments);

/// <summary>How to run each tool, what it keeps as history, and what it cannot do.</summary>
internal sealed class ToolCatalog
{
    private readonly string _dotnet;
    private readonly string _psql;
    private readonly GeneratedHosts _hosts;
    private readonly BenchDatabase _database;
    private readonly NpgsqlConnectionStringBuilder _server;

    public ToolCatalog(string dotnet, string psql, GeneratedHosts hosts, BenchDatabase database, string maintenanceConnectionString)
    {
        _dotnet = dotnet;
        _psql = psql;
        _hosts = hosts;
        _database = database;
        _server = new NpgsqlConnectionStringBuilder(maintenanceConnectionString);
    }

    public static IReadOnlyList<ToolId> Peers { get; } = [ToolId.CodeMigrations, ToolId.FluentMigrator, ToolId.DbUp, ToolId.Evolve];

    /// <summary>The name used by <c>--tools</c> and in the JSON file.</summary>
    public static string Key(ToolId tool) => tool switch
    {
        ToolId.PsqlEach => "psql",
        ToolId.PsqlOne => "psql-1",
        ToolId.PsqlGroup => "psql-group",
        ToolId.NpgsqlApply => "npgsql",
        ToolId.NpgsqlProbe => "npgsql-probe",
        ToolId.CodeMigrations => "codemigrations",
        ToolId.CodeMigrationsDurableEach => "codemigrations-durable-each",
        ToolId.CodeMigrationsReadyToRun => "codemigrations-r2r",
        ToolId.FluentMigrator => "fluentmigrator",
        ToolId.DbUp => "dbup",
        ToolId.Evolve => "evolve",
        _ => throw new ArgumentOutOfRangeException(nameof(tool)),
    };

    public static string DisplayName(ToolId tool, Operation operation) => tool switch
    {
        ToolId.PsqlEach when operation == Operation.Down => "psql, downs, txn per migration",
        ToolId.PsqlEach when operation is Operation.Verify or Operation.VerifyFrom => "psql, every up then every down, txn each, one session",
        ToolId.PsqlEach => "psql, txn per migration",
        ToolId.PsqlOne => "psql -1, one txn",
        ToolId.PsqlGroup when operation == Operation.Down => "psql, downs, txn per migration, group commit",
        ToolId.PsqlGroup => "psql, txn per migration, group commit (async but the last)",
        ToolId.NpgsqlApply => "Npgsql program, 1 round trip per migration",
        ToolId.NpgsqlProbe => "Npgsql program, open + 1 query",
        ToolId.CodeMigrations => "CodeMigrations",
        ToolId.CodeMigrationsDurableEach => "CodeMigrations --durable-each",
        ToolId.CodeMigrationsReadyToRun => "CodeMigrations, ReadyToRun host",
        ToolId.FluentMigrator => $"FluentMigrator {HostGenerator.FluentMigratorVersion}",
        ToolId.DbUp => $"DbUp {HostGenerator.DbUpPostgresVersion}",
        ToolId.Evolve => $"Evolve {HostGenerator.EvolveVersion}",
        _ => throw new ArgumentOutOfRangeException(nameof(tool)),
    };

    /// <summary>Why a tool cannot take part in an operation, or null when it can.</summary>
    public string? Unsupported(ToolId tool, Operation operation) =>
        tool switch
        {
            ToolId.CodeMigrations or ToolId.CodeMigrationsDurableEach or ToolId.CodeMigrationsReadyToRun when _hosts.CodeMigrationsUnavailable is not null =>
                _hosts.CodeMigrationsUnavailable,
            ToolId.CodeMigrationsReadyToRun when _hosts.ReadyToRunUnavailable is not null => _hosts.ReadyToRunUnavailable,
            _ => UnsupportedByDesign(tool, operation),
        };

    /// <summary>What a tool cannot do at all, whatever was built.</summary>
    public static string? UnsupportedByDesign(ToolId tool, Operation operation) => (tool, operation) switch
    {
        (ToolId.DbUp, Operation.Down) => "DbUp has no down migrations",
        (ToolId.Evolve, Operation.Down) => "Evolve has no down migrations (only erase, which drops the schema)",
        _ => null,
    };

    /// <summary>The history table a tool keeps, for verification: (table, condition).</summary>
    public static (string Table, string? Where)? History(ToolId tool) => tool switch
    {
        ToolId.PsqlEach or ToolId.PsqlOne or ToolId.PsqlGroup or ToolId.NpgsqlApply => ("public.history", null),
        ToolId.CodeMigrations or ToolId.CodeMigrationsDurableEach or ToolId.CodeMigrationsReadyToRun => ("public.migration_history", null),
        ToolId.FluentMigrator => ("public.\"VersionInfo\"", null),
        ToolId.DbUp => ("public.schemaversions", null),
        ToolId.Evolve => ("public.changelog", "type = 0 AND success"),
        _ => null,
    };

    /// <summary>Untimed set-up of a fresh database before a tool first applies to it: the floors' history table.</summary>
    public async Task PrepareEmptyAsync(ToolId tool, string database, CancellationToken cancellationToken)
    {
        if (tool is ToolId.PsqlEach or ToolId.PsqlOne or ToolId.PsqlGroup or ToolId.NpgsqlApply)
        {
            await _database.ExecuteAsync(database,
                "CREATE TABLE history (version bigint PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())",
                cancellationToken);
        }
    }

    public ToolCommand Command(ToolId tool, Operation operation, Workload workload, string database)
    {
        var connection = _database.ToolConnectionStringFor(database);
        string Dll(string name) => _hosts.Dlls.TryGetValue(name, out var dll) ? dll : throw new InvalidOperationException($"No host {name} was generated.");
        ToolCommand Dotnet(string host, params string[] args) => new(_dotnet, [Dll(host), .. args]);
        var scripts = _hosts.ScriptFolders[workload.Key];
        var verb = operation switch
        {
            Operation.Up => "up",
            Operation.Down => "down",
            Operation.Status => "status",
            Operation.Verify or Operation.VerifyFrom => "verify",
            _ => throw new ArgumentOutOfRangeException(nameof(operation)),
        };

        return (tool, operation) switch
        {
            (ToolId.PsqlEach, Operation.Up) => Psql(database, _hosts.PsqlFiles[(workload.Key, "up-each")], singleTransaction: false),
            (ToolId.PsqlEach, Operation.Down) => Psql(database, _hosts.PsqlFiles[(workload.Key, "down-each")], singleTransaction: false),
            (ToolId.PsqlEach, Operation.Verify or Operation.VerifyFrom) => Psql(database, _hosts.PsqlFiles[(workload.Key, "up-down-each")], singleTransaction: false),
            (ToolId.CodeMigrations, Operation.VerifyFrom) => Dotnet("cm-" + workload.Key, "verify", "--from",
                Workload.Version(workload.Count).ToString(System.Globalization.CultureInfo.InvariantCulture), "--connection", connection),
            (ToolId.PsqlGroup, Operation.Up) => Psql(database, _hosts.PsqlFiles[(workload.Key, "up-each-group")], singleTransaction: false),
            (ToolId.PsqlGroup, Operation.Down) => Psql(database, _hosts.PsqlFiles[(workload.Key, "down-each-group")], singleTransaction: false),
            (ToolId.PsqlOne, Operation.Up) => Psql(database, _hosts.PsqlFiles[(workload.Key, "up-all")], singleTransaction: true),
            (ToolId.NpgsqlApply, Operation.Up) => Dotnet("npgsql", "apply", connection, scripts),
            (ToolId.NpgsqlProbe, _) => Dotnet("npgsql", "probe", connection),
            (ToolId.CodeMigrations, Operation.Down) => Dotnet("cm-" + workload.Key, "down", "--to", "0", "--connection", connection),
            (ToolId.CodeMigrations, _) => Dotnet("cm-" + workload.Key, verb, "--connection", connection),
            (ToolId.CodeMigrationsReadyToRun, Operation.Down) => Dotnet(HostGenerator.ReadyToRunName(workload), "down", "--to", "0", "--connection", connection),
            (ToolId.CodeMigrationsReadyToRun, _) => Dotnet(HostGenerator.ReadyToRunName(workload), verb, "--connection", connection),
            (ToolId.CodeMigrationsDurableEach, Operation.Down) => Dotnet("cm-" + workload.Key, "down", "--to", "0", "--durable-each", "--connection", connection),
            (ToolId.CodeMigrationsDurableEach, _) => Dotnet("cm-" + workload.Key, verb, "--durable-each", "--connection", connection),
            (ToolId.FluentMigrator, _) => Dotnet("fm-" + workload.Key, verb, connection),
            (ToolId.DbUp, Operation.Up or Operation.Status) => Dotnet("dbup", verb, connection, scripts),
            (ToolId.Evolve, Operation.Up or Operation.Status) => Dotnet("evolve", verb, connection, scripts),
            _ => throw new InvalidOperationException($"{tool} cannot {verb}."),
        };
    }

    private ToolCommand Psql(string database, string file, bool singleTransaction)
    {
        List<string> args = ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", _server.Host!, "-p", _server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-U", _server.Username!, "-d", database];
        if (singleTransaction)
            args.Add("-1");
        args.AddRange(["-f", file]);
        return new ToolCommand(_psql, args);
    }
}
