using Microsoft.Extensions.DependencyInjection;

namespace CodeMigrations;

/// <summary>
/// Registers the services your migrations take in their constructors, when no <c>Program.cs</c> of yours does it:
/// the <c>codemigrations</c> dotnet tool looks in the migrations assembly for one public, non-abstract class (or
/// struct) that implements this interface itself, and calls <see cref="ConfigureServices"/> before each command that
/// needs the database, exactly as a console host's <c>MigrationCliOptions.ConfigureServices</c> would.
/// </summary>
/// <remarks>
/// <para>
/// Only one such type per assembly: with two, the tool refuses to guess and says which ones it found. Without one,
/// migrations can still take the services CodeMigrations itself registers. The connection, the history table and the
/// timeouts come from the command line (<c>--connection</c> or <c>CODEMIGRATIONS_CONNECTION</c>,
/// <c>--history-schema</c>...), not from here. Register CodeMigrations itself nowhere in this method.
/// </para>
/// <para>
/// A console host can pass the same method along, so both ways of running share one registration:
/// <c>MigrationCli.RunAsync(args, MigrationServices.ConfigureServices, typeof(Program).Assembly)</c>.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// public sealed class MigrationServices : IMigrationServices
/// {
///     public static void ConfigureServices(IServiceCollection services) =&gt;
///         services.AddSingleton&lt;ISlugGenerator, SlugGenerator&gt;();
/// }
/// </code>
/// </example>
public interface IMigrationServices
{
    /// <summary>Registers the services the migrations' constructors need; called once per command.</summary>
    /// <param name="services">The collection the migrations are created from.</param>
    static abstract void ConfigureServices(IServiceCollection services);
}
