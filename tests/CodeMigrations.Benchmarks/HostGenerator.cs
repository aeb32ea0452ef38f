using System.Globalization;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text;
using System.Xml.Linq;

namespace CodeMigrations.Benchmarks;

/// <summary>The generated programs and scripts of a run, built and ready to time.</summary>
internal sealed class GeneratedHosts
{
    /// <summary>Host assemblies by name (e.g. <c>cm-heavy</c>, <c>dbup</c>), each run as <c>dotnet &lt;dll&gt;</c>.</summary>
    public Dictionary<string, string> Dlls { get; } = new(StringComparer.Ordinal);

    /// <summary>The folder of one script per migration, by workload key (DbUp, Evolve and the Npgsql program read it).</summary>
    public Dictionary<string, string> ScriptFolders { get; } = new(StringComparer.Ordinal);

    /// <summary>psql input files by workload key and file kind (<c>up-each</c>, <c>up-all</c>, <c>down-each</c>).</summary>
    public Dictionary<(string Workload, string File), string> PsqlFiles { get; } = [];

    /// <summary>Why the CodeMigrations hosts could not be generated, when they could not.</summary>
    public string? CodeMigrationsUnavailable { get; set; }

    /// <summary>Why the ReadyToRun-published CodeMigrations hosts are missing: not asked for, or the publish failed.</summary>
    public string? ReadyToRunUnavailable { get; set; } = "not published (add codemigrations-r2r to --tools, or run every tool)";
}

/// <summary>
/// Writes, outside the repository's build settings, every host the benchmark times and the psql input files, then builds
/// the hosts once in Release. Files are rewritten only when their text changes, so a second run rebuilds nothing.
/// </summary>
internal sealed class HostGenerator
{
    public const string FluentMigratorVersion = "8.0.1";
    public const string DbUpCoreVersion = "6.1.1";
    public const string DbUpPostgresVersion = "7.0.1";
    public const string EvolveVersion = "3.2.0";
    private const string FallbackNpgsqlVersion = "10.0.3";
    private const int ClassesPerFile = 1000;

    private readonly string _workRoot;
    private readonly string _npgsqlVersion;
    private readonly List<string> _projects = [];

    public HostGenerator(string repositoryRoot, string workRoot, string? cliProject)
    {
        CliProject = Path.GetFullPath(cliProject ?? Path.Combine(repositoryRoot, "src", "CodeMigrations.Cli", "CodeMigrations.Cli.csproj"));
        _workRoot = workRoot;
        _npgsqlVersion = ReadCentralVersion(repositoryRoot, "Npgsql") ?? FallbackNpgsqlVersion;
    }

    /// <summary>The Npgsql version every generated host uses: the repository's central one (Evolve 3.2 brings none of its own).</summary>
    public string NpgsqlVersion => _npgsqlVersion;

    /// <summary>The CodeMigrations console host library the generated CodeMigrations hosts reference.</summary>
    public string CliProject { get; }

    public async Task<GeneratedHosts> GenerateAsync(IReadOnlyCollection<Workload> workloads, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(_workRoot);
        var result = new GeneratedHosts();

        // Isolation: the generated projects are ordinary user projects, not part of the repository's build.
        await WriteAsync("Directory.Build.props", "<Project />\n", cancellationToken);
        await WriteAsync("Directory.Build.targets", "<Project />\n", cancellationToken);
        await WriteAsync("Directory.Packages.props",
            "<Project>\n  <PropertyGroup>\n    <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>\n  </PropertyGroup>\n</Project>\n",
            cancellationToken);
        await WriteAsync(".editorconfig", "root = true\n", cancellationToken);

        foreach (var workload in workloads)
        {
            result.ScriptFolders[workload.Key] = await WriteScriptsAsync(workload, cancellationToken);
            if (workload.HasFloorScripts)
            {
                foreach (var (file, path) in await WritePsqlFilesAsync(workload, cancellationToken))
                    result.PsqlFiles[(workload.Key, file)] = path;
            }
        }

        if (File.Exists(CliProject))
        {
            foreach (var workload in workloads)
                result.Dlls["cm-" + workload.Key] = await WriteCodeMigrationsHostAsync(workload, cancellationToken);
        }
        else
        {
            result.CodeMigrationsUnavailable = $"the CLI project {CliProject} does not exist (yet)";
        }

        foreach (var workload in workloads)
            result.Dlls["fm-" + workload.Key] = await WriteFluentMigratorHostAsync(workload, cancellationToken);
        result.Dlls["dbup"] = await WriteDbUpHostAsync(cancellationToken);
        result.Dlls["evolve"] = await WriteEvolveHostAsync(cancellationToken);
        result.Dlls["npgsql"] = await WriteNpgsqlHostAsync(cancellationToken);

        var solution = new StringBuilder("<Solution>\n");
        foreach (var project in _projects)
            solution.Append("  <Project Path=\"").Append(project).Append("\" />\n");
        solution.Append("</Solution>\n");
        await WriteAsync("bench.slnx", solution.ToString(), cancellationToken);
        return result;
    }

    /// <summary>Builds every generated host in Release, in one MSBuild invocation.</summary>
    public async Task BuildAsync(string dotnet, CancellationToken cancellationToken)
    {
        var run = await ProcessTimer.RunAsync(dotnet,
            [
                "build", Path.Combine(_workRoot, "bench.slnx"), "-c", "Release", "-nologo", "-v:q", "--disable-build-servers", "-clp:ErrorsOnly",
                // A solution build unsets Configuration for project references outside the solution (here src/CodeMigrations.Cli
                // and src/CodeMigrations), which then build in Debug: keep them in Release like everything else.
                "-p:ShouldUnsetParentConfigurationAndPlatform=false",
            ],
            new ProcessTimer.Settings { Timeout = TimeSpan.FromMinutes(15), WorkingDirectory = _workRoot, MeasureMemory = false, KeepOutputLines = 200 },
            cancellationToken);
        if (run.ExitCode != 0)
        {
            throw new InvalidOperationException($"Building the generated hosts failed (exit {run.ExitCode}):\n{run.OutputTail}\n{run.ErrorTail}");
        }
    }

    /// <summary>The host name of a workload's ReadyToRun-published CodeMigrations host.</summary>
    public static string ReadyToRunName(Workload workload) => "cm-r2r-" + workload.Key;

    /// <summary>
    /// Publishes each CodeMigrations host ReadyToRun for this machine's runtime, as a user would
    /// (<c>dotnet publish -c Release -r RID --self-contained false -p:PublishReadyToRun=true</c>): the framework-dependent
    /// host with its assemblies precompiled. A failure (no crossgen package reachable, say) leaves that tool out, with the reason.
    /// </summary>
    public async Task PublishReadyToRunAsync(string dotnet, GeneratedHosts hosts, IEnumerable<Workload> workloads, CancellationToken cancellationToken)
    {
        if (hosts.CodeMigrationsUnavailable is not null)
            return;
        var rid = System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier;
        foreach (var workload in workloads)
        {
            var name = "cm-" + workload.Key;
            var output = Path.Combine(_workRoot, "r2r", name);
            var run = await ProcessTimer.RunAsync(dotnet,
                [
                    "publish", Path.Combine(_workRoot, "hosts", name, name + ".csproj"), "-c", "Release", "-r", rid, "--self-contained", "false",
                    "-p:PublishReadyToRun=true", "-o", output, "-nologo", "-v:q", "--disable-build-servers", "-clp:ErrorsOnly",
                ],
                new ProcessTimer.Settings { Timeout = TimeSpan.FromMinutes(15), WorkingDirectory = _workRoot, MeasureMemory = false, KeepOutputLines = 200 },
                cancellationToken);
            if (run.ExitCode != 0)
            {
                hosts.ReadyToRunUnavailable = $"the ReadyToRun publish of {name} failed (exit {run.ExitCode}): {run.ErrorTail.Trim()} {run.OutputTail.Trim()}";
                return;
            }

            hosts.Dlls[ReadyToRunName(workload)] = Path.Combine(output, name + ".dll");
        }

        hosts.ReadyToRunUnavailable = null;
    }

    /// <summary>Fails when an assembly next to a host was compiled without optimizations (a Debug build would be timed).</summary>
    public static void RequireOptimized(GeneratedHosts hosts)
    {
        foreach (var dll in hosts.Dlls.Values)
        {
            var folder = Path.GetDirectoryName(dll)!;
            foreach (var assembly in Directory.GetFiles(folder, "*.dll"))
            {
                if (!IsOptimized(assembly))
                    throw new InvalidOperationException($"{assembly} was built without optimizations (Debug): the benchmark would time a Debug build.");
            }
        }
    }

    private static bool IsOptimized(string path)
    {
        using var stream = File.OpenRead(path);
        using var pe = new PEReader(stream);
        if (!pe.HasMetadata)
            return true;
        var metadata = pe.GetMetadataReader();
        if (!metadata.IsAssembly)
            return true;
        foreach (var handle in metadata.GetAssemblyDefinition().GetCustomAttributes())
        {
            var attribute = metadata.GetCustomAttribute(handle);
            var typeName = attribute.Constructor.Kind switch
            {
                HandleKind.MemberReference when metadata.GetMemberReference((MemberReferenceHandle)attribute.Constructor).Parent.Kind == HandleKind.TypeReference =>
                    metadata.GetString(metadata.GetTypeReference((TypeReferenceHandle)metadata.GetMemberReference((MemberReferenceHandle)attribute.Constructor).Parent).Name),
                _ => null,
            };
            if (typeName != "DebuggableAttribute")
                continue;

            // DebuggableAttribute(DebuggingModes): prolog 01 00, then the int32 modes; DisableOptimizations = 0x100.
            var blob = metadata.GetBlobReader(attribute.Value);
            if (blob.Length < 6 || blob.ReadUInt16() != 1)
                return true;
            return (blob.ReadInt32() & 0x100) == 0;
        }

        return true;
    }

    private async Task<string> WriteScriptsAsync(Workload workload, CancellationToken cancellationToken)
    {
        var folder = Path.Combine("scripts", workload.Key);
        foreach (var i in workload.Indexes)
            await WriteAsync(Path.Combine(folder, Workload.ScriptFileName(i)), workload.Up(i) + "\n", cancellationToken);
        return Path.Combine(_workRoot, folder);
    }

    private async Task<List<(string File, string Path)>> WritePsqlFilesAsync(Workload workload, CancellationToken cancellationToken)
    {
        // The floors: psql sends each statement on its own; the history row is what any tool must also record.
        var each = new StringBuilder();
        var all = new StringBuilder();
        var downs = new StringBuilder();
        // The group-commit floors: every commit without waiting for the disk but the last, which makes them all durable.
        var eachGroup = new StringBuilder("SET synchronous_commit = off;\n");
        var downsGroup = new StringBuilder("SET synchronous_commit = off;\n");
        var last = workload.Indexes.Last();
        var first = workload.Indexes.First();
        foreach (var i in workload.Indexes)
        {
            if (i == last)
                eachGroup.Append("RESET synchronous_commit;\n");
            eachGroup.Append("BEGIN;\n").Append(workload.Up(i)).Append('\n')
                .Append(CultureInfo.InvariantCulture, $"INSERT INTO history (version, name) VALUES ({Workload.Version(i)}, '{Workload.Name(i)}');").Append("\nCOMMIT;\n");
        }

        foreach (var i in workload.Indexes.Reverse())
        {
            if (i == first)
                downsGroup.Append("RESET synchronous_commit;\n");
            downsGroup.Append("BEGIN;\n").Append(workload.Down(i)).Append('\n')
                .Append(CultureInfo.InvariantCulture, $"DELETE FROM history WHERE version = {Workload.Version(i)};").Append("\nCOMMIT;\n");
        }

        foreach (var i in workload.Indexes)
        {
            var record = string.Create(CultureInfo.InvariantCulture, $"INSERT INTO history (version, name) VALUES ({Workload.Version(i)}, '{Workload.Name(i)}');");
            each.Append("BEGIN;\n").Append(workload.Up(i)).Append('\n').Append(record).Append("\nCOMMIT;\n");
            all.Append(workload.Up(i)).Append('\n').Append(record).Append('\n');
        }

        foreach (var i in workload.Indexes.Reverse())
        {
            downs.Append("BEGIN;\n").Append(workload.Down(i)).Append('\n')
                .Append(CultureInfo.InvariantCulture, $"DELETE FROM history WHERE version = {Workload.Version(i)};").Append("\nCOMMIT;\n");
        }

        var folder = Path.Combine("psql", workload.Key);
        var files = new List<(string, string)>();
        var upDown = new StringBuilder().Append(each).Append(downs);
        foreach (var (name, text) in new[] { ("up-each", each), ("up-all", all), ("down-each", downs), ("up-down-each", upDown), ("up-each-group", eachGroup), ("down-each-group", downsGroup) })
        {
            var path = Path.Combine(folder, name + ".sql");
            await WriteAsync(path, text.ToString(), cancellationToken);
            files.Add((name, Path.Combine(_workRoot, path)));
        }

        return files;
    }

    private async Task<string> WriteCodeMigrationsHostAsync(Workload workload, CancellationToken cancellationToken)
    {
        var name = "cm-" + workload.Key;
        var project = $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
                <AssemblyName>{name}</AssemblyName>
                <RootNamespace>Bench</RootNamespace>
              </PropertyGroup>
              <ItemGroup>
                <ProjectReference Include="{CliProject}" />
              </ItemGroup>
            </Project>

            """;
        const string program = "return await CodeMigrations.Cli.MigrationCli.RunAsync(args, typeof(Program).Assembly);\n";
        return await WriteHostAsync(name, project, program, workload, CodeMigrationsClass, cancellationToken);
    }

    private async Task<string> WriteFluentMigratorHostAsync(Workload workload, CancellationToken cancellationToken)
    {
        var name = "fm-" + workload.Key;
        var project = PackageProject(name,
            ("FluentMigrator.Runner.Core", FluentMigratorVersion),
            ("FluentMigrator.Runner.Postgres", FluentMigratorVersion),
            ("Npgsql", _npgsqlVersion));
        const string program = """
            using FluentMigrator.Runner;
            using Microsoft.Extensions.DependencyInjection;

            // FluentMigrator's in-process runner as its documentation sets it up, logging to the console.
            if (args.Length != 2)
            {
                Console.Error.WriteLine("usage: up|down|status CONNECTION");
                return 2;
            }

            try
            {
                using var services = new ServiceCollection()
                    .AddFluentMigratorCore()
                    .ConfigureRunner(rb => rb.AddPostgres().WithGlobalConnectionString(args[1]).ScanIn(typeof(Program).Assembly).For.Migrations())
                    .AddLogging(lb => lb.AddFluentMigratorConsole())
                    .BuildServiceProvider(false);
                using var scope = services.CreateScope();
                var runner = scope.ServiceProvider.GetRequiredService<IMigrationRunner>();
                switch (args[0])
                {
                    case "up": runner.MigrateUp(); break;
                    case "down": runner.MigrateDown(0); break;
                    case "status": runner.ListMigrations(); break;
                    default: return 2;
                }

                return 0;
            }
            catch (Exception e)
            {
                Console.Error.WriteLine(e);
                return 1;
            }

            """;
        return await WriteHostAsync(name, project, program, workload, FluentMigratorClass, cancellationToken);
    }

    private Task<string> WriteDbUpHostAsync(CancellationToken cancellationToken)
    {
        var project = PackageProject("bench-dbup", ("dbup-core", DbUpCoreVersion), ("dbup-postgresql", DbUpPostgresVersion), ("Npgsql", _npgsqlVersion));
        const string program = """
            using DbUp;

            // DbUp as its documentation sets it up: one script per migration from a folder, a transaction per script.
            // DbUp has no status command: "status" lists every discovered script as applied or pending, from its journal.
            if (args.Length != 3)
            {
                Console.Error.WriteLine("usage: up|status CONNECTION SCRIPT_FOLDER");
                return 2;
            }

            try
            {
                var upgrader = DeployChanges.To
                    .PostgresqlDatabase(args[1])
                    .WithScriptsFromFileSystem(args[2])
                    .WithTransactionPerScript()
                    .LogToConsole()
                    .Build();
                switch (args[0])
                {
                    case "up":
                        var result = upgrader.PerformUpgrade();
                        if (!result.Successful)
                        {
                            Console.Error.WriteLine(result.Error);
                            return 1;
                        }

                        return 0;
                    case "status":
                        var executed = upgrader.GetExecutedScripts().ToHashSet(StringComparer.Ordinal);
                        foreach (var script in upgrader.GetDiscoveredScripts())
                            Console.WriteLine($"{script.Name} {(executed.Contains(script.Name) ? "applied" : "pending")}");
                        return 0;
                    default:
                        return 2;
                }
            }
            catch (Exception e)
            {
                Console.Error.WriteLine(e);
                return 1;
            }

            """;
        return WriteHostAsync("bench-dbup", project, program, workload: null, classes: null, cancellationToken);
    }

    private Task<string> WriteEvolveHostAsync(CancellationToken cancellationToken)
    {
        // Evolve 3.2 targets netstandard2.0 and depends on no Npgsql: it drives the connection it is given, here Npgsql 10.
        var project = PackageProject("bench-evolve", ("Evolve", EvolveVersion), ("Npgsql", _npgsqlVersion));
        const string program = """
            using EvolveDb;
            using Npgsql;

            // Evolve as its documentation sets it up: SQL files V<version>__<name>.sql from a folder, logging to the console.
            if (args.Length != 3)
            {
                Console.Error.WriteLine("usage: up|status CONNECTION SCRIPT_FOLDER");
                return 2;
            }

            try
            {
                using var connection = new NpgsqlConnection(args[1]);
                var evolve = new Evolve(connection, Console.WriteLine)
                {
                    Locations = [args[2]],
                    IsEraseDisabled = true,
                };
                switch (args[0])
                {
                    case "up":
                        evolve.Migrate();
                        return 0;
                    case "status":
                        foreach (var migration in evolve.Info())
                            Console.WriteLine($"{migration.Version} {migration.Description} {migration.Category} {migration.InstalledOn}");
                        return 0;
                    default:
                        return 2;
                }
            }
            catch (Exception e)
            {
                Console.Error.WriteLine(e);
                return 1;
            }

            """;
        return WriteHostAsync("bench-evolve", project, program, workload: null, classes: null, cancellationToken);
    }

    private Task<string> WriteNpgsqlHostAsync(CancellationToken cancellationToken)
    {
        var project = PackageProject("bench-npgsql", ("Npgsql", _npgsqlVersion));
        const string program = """
            using Npgsql;

            // The floors a .NET tool can reach.
            //   probe CONNECTION          open one connection, run one query: the least a .NET tool pays to start
            //   apply CONNECTION FOLDER   each script and its history row in one transaction, sent in one round trip
            if (args.Length < 2)
            {
                Console.Error.WriteLine("usage: probe CONNECTION | apply CONNECTION SCRIPT_FOLDER");
                return 2;
            }

            try
            {
                using var connection = new NpgsqlConnection(args[1]);
                connection.Open();
                if (args[0] == "probe")
                {
                    using var probe = new NpgsqlCommand("SELECT 1", connection);
                    Console.WriteLine(probe.ExecuteScalar());
                    return 0;
                }

                if (args[0] != "apply" || args.Length != 3)
                    return 2;

                var scripts = Directory.GetFiles(args[2], "*.sql");
                Array.Sort(scripts, StringComparer.Ordinal);
                foreach (var script in scripts)
                {
                    var file = Path.GetFileNameWithoutExtension(script);
                    var version = long.Parse(file.AsSpan(1, file.IndexOf("__", StringComparison.Ordinal) - 1), System.Globalization.CultureInfo.InvariantCulture);
                    using var command = new NpgsqlCommand(
                        $"BEGIN;\n{File.ReadAllText(script)}\nINSERT INTO history (version, name) VALUES ({version}, 'M{version}');\nCOMMIT;",
                        connection);
                    command.ExecuteNonQuery();
                    Console.WriteLine($"applied {file}");
                }

                return 0;
            }
            catch (Exception e)
            {
                Console.Error.WriteLine(e);
                return 1;
            }

            """;
        return WriteHostAsync("bench-npgsql", project, program, workload: null, classes: null, cancellationToken);
    }

    private static string PackageProject(string assemblyName, params (string Id, string Version)[] packages)
    {
        var references = string.Concat(packages.Select(p => $"    <PackageReference Include=\"{p.Id}\" Version=\"{p.Version}\" />\n"));
        return $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
                <AssemblyName>{assemblyName}</AssemblyName>
                <RootNamespace>Bench</RootNamespace>
              </PropertyGroup>
              <ItemGroup>
            {references}  </ItemGroup>
            </Project>

            """;
    }

    private async Task<string> WriteHostAsync(string name, string project, string program, Workload? workload,
        Func<Workload, int, string>? classes, CancellationToken cancellationToken)
    {
        var folder = Path.Combine("hosts", name);
        var projectPath = Path.Combine(folder, name + ".csproj");
        await WriteAsync(projectPath, project, cancellationToken);
        await WriteAsync(Path.Combine(folder, "Program.cs"), program, cancellationToken);
        if (workload is not null && classes is not null)
        {
            var files = 0;
            foreach (var chunk in workload.Indexes.Chunk(ClassesPerFile))
            {
                var source = new StringBuilder("namespace Bench;\n");
                foreach (var i in chunk)
                    source.Append('\n').Append(classes(workload, i));
                await WriteAsync(Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"Migrations{files++:D3}.cs")), source.ToString(), cancellationToken);
            }
        }

        _projects.Add(projectPath.Replace('\\', '/'));
        return Path.Combine(_workRoot, folder, "bin", "Release", "net10.0", name + ".dll");
    }

    private static string CodeMigrationsClass(Workload workload, int i) => $$"""
        [CodeMigrations.Migration({{Workload.Version(i)}})]
        public sealed class {{Workload.Name(i)}} : CodeMigrations.Migration
        {
            public override void Up() => Execute({{Literal(workload.Up(i))}});

            public override void Down() => Execute({{Literal(workload.Down(i))}});
        }

        """;

    private static string FluentMigratorClass(Workload workload, int i) => $$"""
        [FluentMigrator.Migration({{Workload.Version(i)}})]
        public sealed class {{Workload.Name(i)}} : FluentMigrator.Migration
        {
            public override void Up() => Execute.Sql({{Literal(workload.Up(i))}});

            public override void Down() => Execute.Sql({{Literal(workload.Down(i))}});
        }

        """;

    private static string Literal(string text) => "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    /// <summary>Writes a file under the work folder unless it already holds exactly this text (so builds stay incremental).</summary>
    private async Task WriteAsync(string relativePath, string text, CancellationToken cancellationToken)
    {
        var path = Path.Combine(_workRoot, relativePath);
        if (File.Exists(path) && string.Equals(await File.ReadAllTextAsync(path, cancellationToken), text, StringComparison.Ordinal))
            return;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllTextAsync(path, text, cancellationToken);
    }

    private static string? ReadCentralVersion(string repositoryRoot, string package)
    {
        var props = Path.Combine(repositoryRoot, "Directory.Packages.props");
        if (!File.Exists(props))
            return null;
        return XDocument.Load(props).Descendants("PackageVersion")
            .FirstOrDefault(e => string.Equals((string?)e.Attribute("Include"), package, StringComparison.OrdinalIgnoreCase))
            ?.Attribute("Version")?.Value;
    }
}
