using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace CodeMigrations.Cli.Commands;

/// <summary>The options and arguments that several verbs take, each verb with its own instance, and how a version parses.</summary>
internal static class VerbOptions
{
    /// <summary>An option naming a version, e.g. <c>--to VERSION</c>.</summary>
    public static Option<long?> Version(string name, string description) => new(name)
    {
        Description = description,
        HelpName = "VERSION",
        CustomParser = ParseVersion,
    };

    /// <summary>A required <c>VERSION</c> argument.</summary>
    public static Argument<long> VersionArgument(string description) => new("VERSION")
    {
        Description = description,
        CustomParser = result => ParseVersion(result) ?? 0,
    };

    /// <summary>A count of migrations, at least 1.</summary>
    public static Option<int?> Steps(string description)
    {
        var steps = new Option<int?>("--steps")
        {
            Description = description,
            HelpName = "N",
        };
        steps.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int?>() is < 1)
                result.AddError("--steps must be at least 1.");
        });
        return steps;
    }

    public static Option<bool> DryRun() => new("--dry-run")
    {
        Description = "Run the migrations for real inside one transaction and roll it back: proves they apply now, and how long each takes, without changing anything. Migrations without a transaction cannot be dry-run and are listed.",
    };

    public static Option<string?> ScratchConnection() => new("--scratch-connection")
    {
        Description = "A database to work in instead of a new scratch database created (and dropped) next to the target; it must not hold migration history.",
        HelpName = "CONNECTION_STRING",
    };

    /// <summary>Where an option writes its output instead of standard output.</summary>
    public static Option<string?> Output(string description) => new("--output", "-o")
    {
        Description = description,
        HelpName = "FILE",
    };

    /// <summary>A version is a number: say so, rather than naming .NET types.</summary>
    private static long? ParseVersion(ArgumentResult result)
    {
        var token = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        if (long.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var version))
            return version;
        result.AddError($"'{token}' is not a version: a version is the number in a migration's [Migration(...)] attribute, e.g. 20240105090000.");
        return null;
    }
}
