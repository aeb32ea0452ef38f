using System.Reflection;

namespace CodeMigrations.Tool.Launching;

/// <summary>
/// Refuses an assembly whose CodeMigrations (or CodeMigrations.Cli, if it references that too) is older than the one
/// this tool was built with: the tool's code calls what that version has, and the user's version is the one that runs.
/// </summary>
internal sealed class VersionCheck
{
    public VersionCheck(string toolVersion)
    {
        ToolVersion = PackageVersion.TryParse(toolVersion) ?? throw new ArgumentException($"'{toolVersion}' is not a version.", nameof(toolVersion));
    }

    /// <summary>The CodeMigrations version this tool was built with.</summary>
    public PackageVersion ToolVersion { get; }

    /// <summary>The check for this build of the tool: the version of the CodeMigrations assembly it ships with.</summary>
    public static VersionCheck ForThisTool()
    {
        var core = typeof(Migration).Assembly;
        var version = core.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? core.GetName().Version?.ToString(3)
            ?? "0.0.0";
        return new VersionCheck(version);
    }

    /// <exception cref="ToolUsageException">The assembly does not use CodeMigrations, or an older one.</exception>
    public void Verify(MigrationsAssembly assembly)
    {
        var core = assembly.VersionOf(MigrationsAssembly.CorePackage);
        if (core is null)
        {
            throw new ToolUsageException(
                $"{assembly.Name}.dll does not reference {MigrationsAssembly.CorePackage} (its {Path.GetFileName(assembly.DepsFile)} does not list it), so it holds no migrations: " +
                $"pass the assembly of the project that holds them, or add the package to this one (dotnet add package {MigrationsAssembly.CorePackage}).");
        }

        Verify(assembly, MigrationsAssembly.CorePackage, core);
        if (assembly.VersionOf(MigrationsAssembly.CliPackage) is { } cli)
            Verify(assembly, MigrationsAssembly.CliPackage, cli);
    }

    private void Verify(MigrationsAssembly assembly, string package, string version)
    {
        var theirs = PackageVersion.TryParse(version);
        if (theirs is not null && theirs.CompareTo(ToolVersion) >= 0)
            return;
        throw new ToolUsageException(
            $"{assembly.Name}.dll uses {package} {version}, older than the {ToolVersion} this {ToolInfo.CommandName} tool was built with: " +
            $"update the package (dotnet add package {package} --version {ToolVersion}) and rebuild, " +
            $"or install the tool that matches it (dotnet tool update {ToolInfo.PackageId} --version {version}).");
    }
}
