namespace CodeMigrations.Tool.Launching;

/// <summary>Where NuGet keeps the packages a plain <c>dotnet build</c> does not copy next to a class library.</summary>
internal static class PackageFolder
{
    /// <summary><c>NUGET_PACKAGES</c> when set, else <c>~/.nuget/packages</c>, as NuGet itself decides by default.</summary>
    public static string Default() =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? Path.GetFullPath(configured)
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
}
