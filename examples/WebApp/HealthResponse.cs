using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace WebApp;

/// <summary>
/// The /health body: "Healthy", or the status and what each failing check said ("Unhealthy: 2 pending migrations").
/// The default writer prints only the status.
/// </summary>
public static class HealthResponse
{
    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "text/plain; charset=utf-8";
        var failing = report.Entries.Values.Where(e => e.Status != HealthStatus.Healthy).Select(e => e.Description ?? e.Exception?.Message).OfType<string>().ToList();
        var text = failing.Count == 0 ? report.Status.ToString() : $"{report.Status}: {string.Join("; ", failing)}";
        return context.Response.WriteAsync(text, context.RequestAborted);
    }
}
