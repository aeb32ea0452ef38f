namespace CodeMigrations.Tool.Launching;

/// <summary>
/// The tool's command line split in two: the tool's own options (where the migrations are, how to build them), which
/// may appear anywhere, and everything else, which goes to the console host unchanged and in order.
/// </summary>
internal sealed record ToolArguments
{
    private static readonly string[] HelpOrVersion = ["-h", "--help", "-?", "/?", "/h", "--version"];

    /// <summary><c>--assembly PATH.dll</c>: a built assembly to run as it is.</summary>
    public string? Assembly { get; private init; }

    /// <summary><c>--project PATH</c>: a project file, or a folder with one, to build first.</summary>
    public string? Project { get; private init; }

    /// <summary><c>--configuration NAME</c> for that build.</summary>
    public string? Configuration { get; private init; }

    /// <summary><c>--framework TFM</c> for that build.</summary>
    public string? Framework { get; private init; }

    /// <summary>What the console host gets: the verb and its options.</summary>
    public IReadOnlyList<string> HostArguments { get; private init; } = [];

    /// <summary>
    /// Whether the command line asks only for usage or the version (or is empty, which shows the usage): answered
    /// without any assembly, since the verbs and options do not depend on it.
    /// </summary>
    public bool AsksForUsage => HostArguments.Count == 0 || HostArguments.Any(a => HelpOrVersion.Contains(a, StringComparer.Ordinal));

    /// <summary>Whether the host will print its runner's log, and so the tool its own steps.</summary>
    public bool Verbose => HostArguments.Any(a => a is "--verbose" or "-v");

    /// <summary>Takes the tool's options out of <paramref name="args"/>.</summary>
    /// <exception cref="ToolUsageException">An option without its value, given twice, or a contradiction.</exception>
    public static ToolArguments Parse(IReadOnlyList<string> args)
    {
        string? assembly = null, project = null, configuration = null, framework = null;
        var rest = new List<string>(args.Count);
        for (var i = 0; i < args.Count; i++)
        {
            var (name, value) = Split(args[i]);
            switch (name)
            {
                case "--assembly":
                    assembly = Take(name, value ?? Next(args, ref i, name, "PATH.dll"), assembly);
                    break;
                case "--project":
                    project = Take(name, value ?? Next(args, ref i, name, "PATH"), project);
                    break;
                case "--configuration":
                    configuration = Take(name, value ?? Next(args, ref i, name, "NAME"), configuration);
                    break;
                case "--framework":
                    framework = Take(name, value ?? Next(args, ref i, name, "TFM"), framework);
                    break;
                default:
                    rest.Add(args[i]);
                    break;
            }
        }

        if (assembly is not null && project is not null)
            throw new ToolUsageException("Give either --assembly PATH.dll (run a built assembly) or --project PATH (build it first), not both.");
        if (assembly is not null && (configuration ?? framework) is not null)
        {
            throw new ToolUsageException(
                $"{(configuration is not null ? "--configuration" : "--framework")} chooses what --project builds; with --assembly the assembly is already built: leave it out.");
        }

        return new ToolArguments
        {
            Assembly = assembly,
            Project = project,
            Configuration = configuration,
            Framework = framework,
            HostArguments = rest,
        };
    }

    /// <summary>"--name=value" and "--name:value", as System.CommandLine accepts them, or the name alone.</summary>
    private static (string Name, string? Value) Split(string arg)
    {
        if (!arg.StartsWith("--", StringComparison.Ordinal))
            return (arg, null);
        var separator = arg.IndexOfAny(['=', ':']);
        return separator < 0 ? (arg, null) : (arg[..separator], arg[(separator + 1)..]);
    }

    private static string Next(IReadOnlyList<string> args, ref int i, string name, string valueName)
    {
        if (i + 1 >= args.Count || args[i + 1].Length == 0 || args[i + 1].StartsWith("--", StringComparison.Ordinal))
            throw new ToolUsageException($"{name} needs a value: {name} {valueName}.");
        return args[++i];
    }

    private static string Take(string name, string value, string? previous)
    {
        if (value.Length == 0)
            throw new ToolUsageException($"{name} needs a value.");
        if (previous is not null)
            throw new ToolUsageException($"{name} is given twice ('{previous}' and '{value}'): give it once.");
        return value;
    }
}
