using CodeMigrations.Hosting.HealthChecks;
using CodeMigrations.Running;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the CodeMigrations health check to <c>AddHealthChecks()</c>.</summary>
public static class CodeMigrationsHealthCheckBuilderExtensions
{
    /// <summary>The check's default name: <c>codemigrations</c>.</summary>
    public const string DefaultName = "codemigrations";

    /// <summary>
    /// Adds <see cref="CodeMigrationsHealthCheck"/>: healthy when the database has every migration this build knows and
    /// history and code agree. Needs the runner (<c>AddCodeMigrations</c>).
    /// </summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="name">The check's name; default <see cref="DefaultName"/>.</param>
    /// <param name="failureStatus">What a failing check reports; <see langword="null"/> means <see cref="HealthStatus.Unhealthy"/>.</param>
    /// <param name="tags">Tags to filter checks by, for example <c>["ready"]</c> for a readiness endpoint.</param>
    /// <param name="timeout">How long a probe may take; <see langword="null"/> for the default.</param>
    /// <returns>The same builder, for chaining.</returns>
    public static IHealthChecksBuilder AddCodeMigrations(
        this IHealthChecksBuilder builder,
        string? name = default,
        HealthStatus? failureStatus = default,
        IEnumerable<string>? tags = default,
        TimeSpan? timeout = default)
    {
        ArgumentNullException.ThrowIfNull(builder);
        // One instance for the application, over the core's probe, which keeps what the build knows between probes.
        builder.Services.TryAddSingleton<CodeMigrationsHealthCheck>();
        return builder.Add(new HealthCheckRegistration(
            name ?? DefaultName,
            provider => provider.GetRequiredService<CodeMigrationsHealthCheck>(),
            failureStatus,
            tags,
            timeout));
    }

    /// <summary>
    /// Adds a <see cref="CodeMigrationsHealthCheck"/> for the database registered under <paramref name="serviceKey"/>
    /// (<c>AddCodeMigrations(serviceKey, o => ...)</c>): healthy when that database has every migration of its
    /// registration and its history and code agree. Call it once per key; each check reads its own database only.
    /// </summary>
    /// <remarks>
    /// Named apart from <see cref="AddCodeMigrations"/> on purpose: an overload taking the key would be silently
    /// bound to the unkeyed check's <c>name</c> parameter by <c>AddCodeMigrations("billing")</c>.
    /// </remarks>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="serviceKey">The database's key, as given to <c>AddCodeMigrations</c>, e.g. <c>"billing"</c>.</param>
    /// <param name="name">The check's name; default <c>codemigrations-</c> and the key, e.g. <c>codemigrations-billing</c>.</param>
    /// <param name="failureStatus">What a failing check reports; <see langword="null"/> means <see cref="HealthStatus.Unhealthy"/>.</param>
    /// <param name="tags">Tags to filter checks by, for example <c>["ready"]</c> for a readiness endpoint.</param>
    /// <param name="timeout">How long a probe may take; <see langword="null"/> for the default.</param>
    /// <returns>The same builder, for chaining.</returns>
    public static IHealthChecksBuilder AddKeyedCodeMigrations(
        this IHealthChecksBuilder builder,
        object serviceKey,
        string? name = default,
        HealthStatus? failureStatus = default,
        IEnumerable<string>? tags = default,
        TimeSpan? timeout = default)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(serviceKey);
        // One check per key for the application, over that key's probe, which keeps what the build knows between probes.
        builder.Services.TryAddKeyedSingleton(serviceKey, (provider, key) => new CodeMigrationsHealthCheck(provider.GetRequiredKeyedService<MigrationStatusProbe>(key)));
        return builder.Add(new HealthCheckRegistration(
            name ?? $"{DefaultName}-{CodeMigrationsHostingServiceCollectionExtensions.OptionsName(serviceKey)}",
            provider => provider.GetRequiredKeyedService<CodeMigrationsHealthCheck>(serviceKey),
            failureStatus,
            tags,
            timeout));
    }
}
