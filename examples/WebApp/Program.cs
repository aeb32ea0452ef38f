using CodeMigrations.Hosting;
using ConsoleHost;
using ConsoleHost.Migrations;
using Dapper;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Npgsql;
using WebApp;

// The blog of examples/ConsoleHost as a web app that migrates its own database when it starts.
//   ConnectionStrings__Default   the database; without it, the console example's local PostgreSQL (examples/ConsoleHost/.pgdata)
//   CodeMigrations__OnStartup    Migrate (default), Wait, Validate or None
//   ASPNETCORE_URLS              where it listens, e.g. http://127.0.0.1:5080
// GET /posts lists the posts; GET /health is 200 "Healthy" when the database has every migration, else 503 with the counts.
var builder = WebApplication.CreateBuilder(args);

await using var localDatabase = string.IsNullOrEmpty(builder.Configuration.GetConnectionString("Default"))
    ? await ExampleDatabase.StartLocalAsync("set ConnectionStrings__Default to use your own server", CancellationToken.None)
    : null;
if (localDatabase is not null)
    builder.Configuration["ConnectionStrings:Default"] = localDatabase.ConnectionString;

// The application's pool; CodeMigrations finds it in the container and takes its connections from it too.
builder.Services.AddNpgsqlDataSource(builder.Configuration.GetConnectionString("Default")!);
// The data migration AddPostSlugs takes an ISlugGenerator in its constructor.
builder.Services.AddSingleton<ISlugGenerator, SlugGenerator>();

builder.Services.AddCodeMigrations(builder.Configuration, o => o.Assemblies.Add(typeof(CreatePosts).Assembly));
builder.Services.AddCodeMigrationsOnStartup();
builder.Services.AddHealthChecks().AddCodeMigrations();

var app = builder.Build();
app.MapGet("/posts", async (NpgsqlDataSource database, CancellationToken cancellationToken) =>
{
    await using var connection = await database.OpenConnectionAsync(cancellationToken);
    return await connection.QueryAsync<Post>(new CommandDefinition(
        "SELECT id AS Id, title AS Title, slug AS Slug, published_at AS PublishedAt FROM posts ORDER BY id", cancellationToken: cancellationToken));
});
app.MapHealthChecks("/health", new HealthCheckOptions { ResponseWriter = HealthResponse.WriteAsync });

// Taken before RunAsync, which disposes the app's services when it ends.
var started = app.Lifetime.ApplicationStarted;
try
{
    await app.RunAsync();
    return 0;
}
catch (Exception) when (!started.IsCancellationRequested)
{
    // The host has logged why it did not start ("Hosting failed to start"): fail without saying it a second time.
    return 1;
}
