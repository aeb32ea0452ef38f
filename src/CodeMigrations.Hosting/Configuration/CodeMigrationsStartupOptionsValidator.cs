using Microsoft.Extensions.Options;

namespace CodeMigrations.Hosting.Configuration;

/// <summary>Refuses an on-start setting that cannot work, at start, naming the key.</summary>
internal sealed class CodeMigrationsStartupOptionsValidator : IValidateOptions<CodeMigrationsStartupOptions>
{
    public ValidateOptionsResult Validate(string? name, CodeMigrationsStartupOptions options)
    {
        var section = CodeMigrationsConfiguration.SectionName;
        var failures = new List<string>();
        if (!Enum.IsDefined(options.OnStartup))
            failures.Add($"{section}:{nameof(options.OnStartup)} is {options.OnStartup}: use one of {string.Join(", ", Enum.GetNames<MigrationStartupMode>())}.");
        if (options.WaitTimeout <= TimeSpan.Zero)
            failures.Add($"{section}:{nameof(options.WaitTimeout)} is {options.WaitTimeout}: it must be positive, a TimeSpan such as 00:05:00.");
        if (options.WaitPollInterval <= TimeSpan.Zero)
            failures.Add($"{section}:{nameof(options.WaitPollInterval)} is {options.WaitPollInterval}: it must be positive, a TimeSpan such as 00:00:01.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
