namespace CodeMigrations.Packaging.Tests;

/// <summary>What a finished process printed and returned.</summary>
public sealed record ProcessResult(string CommandLine, int ExitCode, string Stdout, string Stderr, TimeSpan Elapsed)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>Both streams, standard output first.</summary>
    public string Output => Stdout + Stderr;

    /// <summary>For assertion messages: the whole run.</summary>
    public override string ToString() =>
        $"`{CommandLine}` exited with {ExitCode} after {Elapsed.TotalSeconds:0.00} s{Environment.NewLine}" +
        $"stdout:{Environment.NewLine}{Stdout}stderr:{Environment.NewLine}{Stderr}";
}
