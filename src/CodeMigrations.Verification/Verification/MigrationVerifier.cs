using System.Diagnostics;
using CodeMigrations.Execution;
using CodeMigrations.History;
using CodeMigrations.Loading;
using CodeMigrations.Running;
using CodeMigrations.Schema;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CodeMigrations.Verification;

/// <summary>
/// Proves that every Down reverses its Up. On a scratch database, never the target, for each migration in version
/// order: snapshot the schema, Up, snapshot, Down, snapshot (it must equal the first), Up again, snapshot (it must
/// equal the second), then on to the next. Every migration is judged: after a failure, the schema the next migration
/// needs is restored (see <see cref="VerifyAsync"/>). One connection for the whole run; no history table is written.
/// </summary>
/// <remarks>
/// Create it with the configured options (it is registered by <c>AddCodeMigrations</c>), or directly with
/// <see cref="MigrationVerifier(CodeMigrationsOptions, IServiceProvider?)"/>. The schema comparison covers what
/// <see cref="SchemaSnapshot"/> describes; data is not compared.
/// </remarks>
public sealed class MigrationVerifier
{
    private readonly ScratchRunParts _parts;

    /// <summary>Creates a verifier for the migrations, server and history table of <paramref name="options"/>.</summary>
    /// <param name="options">The connection (its server hosts the scratch database), the assemblies, the type filter.</param>
    /// <param name="services">Creates migrations whose constructors take services; <see langword="null"/> when none do.</param>
    public MigrationVerifier(CodeMigrationsOptions options, IServiceProvider? services = null) => _parts = ScratchRunParts.For(options, services);

    internal MigrationVerifier(ScratchRunParts parts) => _parts = parts;

    /// <summary>
    /// Verifies every migration (or those from <see cref="VerificationOptions.From"/> on), oldest first, on a scratch
    /// database; see <see cref="MigrationVerifier"/>. A migration with a transaction runs its Down and its second Up
    /// inside one transaction that is rolled back afterwards, so whatever they do, the next migration starts from the
    /// schema the first Up left. After a failed round trip of a migration without a transaction, the scratch database
    /// is rebuilt by applying the migrations so far again. Only an Up that fails on its own leaves the migrations after
    /// it unverified.
    /// </summary>
    /// <param name="options">The scratch database to use instead of a created one, the version to start judging at, a progress listener.</param>
    /// <param name="cancellationToken">Stops the run; the created scratch database is dropped all the same.</param>
    /// <returns>Each migration's outcome; <see cref="VerificationResult.Succeeded"/> tells whether all passed.</returns>
    /// <exception cref="InvalidMigrationSetException">The migration classes are not a valid set; nothing touched a database.</exception>
    /// <exception cref="MigrationDatabaseException">The scratch database could not be created, reached or read.</exception>
    /// <exception cref="MigrationException">
    /// The scratch database named in the options holds the history table; or a migration below
    /// <see cref="VerificationOptions.From"/> failed, so the schema to judge from cannot be built.
    /// </exception>
    public async Task<VerificationResult> VerifyAsync(VerificationOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new VerificationOptions();
        var migrations = _parts.Catalog.Catalog.Migrations;
        var clock = Stopwatch.StartNew();
        await using var lease = _parts.LeaseConnections();
        var connections = lease.Factory;
        NpgsqlConnection? server = null;
        try
        {
            ScratchDatabase scratch;
            if (options.ScratchConnectionString is { } given)
            {
                scratch = await ScratchDatabase.OpenAsync(given, _parts.Options.ApplicationName, _parts.History, cancellationToken);
            }
            else
            {
                server = await connections.OpenAsync(cancellationToken);
                scratch = await ScratchDatabase.CreateAsync(server, "verify", cancellationToken);
            }

            var notes = new List<string>();
            var run = new VerificationRun(migrations, options.From);
            try
            {
                await using var runner = _parts.CreateMigrations();
                scratch = await RunAsync(scratch, new MigrationRoundTrip(runner), run, options.Progress, notes, cancellationToken);
                if (!scratch.IsOwned && await RevertAllAsync(scratch.Connection, runner, run.Applied, cancellationToken) is { } cleanup)
                    notes.Add(cleanup);
            }
            catch (NpgsqlException e) when (!cancellationToken.IsCancellationRequested)
            {
                await scratch.CloseAsync();
                throw new MigrationDatabaseException(
                    $"Verification failed on the scratch database {scratch.Name}: {MigrationExecutor.DescribeError(e)}", e);
            }
            catch
            {
                await scratch.CloseAsync();
                throw;
            }

            if (await scratch.CloseAsync() is { } dropProblem)
                notes.Add(dropProblem);
            var notVerified = run.ToJudge.Skip(run.Verified.Count).ToList();
            return new VerificationResult(run.Verified, notVerified, scratch.Name, notes, clock.Elapsed, run.AppliedOnly);
        }
        finally
        {
            if (server is not null)
                await server.DisposeAsync();
        }
    }

    /// <summary>What a run goes through and what it has found so far.</summary>
    private sealed class VerificationRun(IReadOnlyList<MigrationInfo> migrations, long? from)
    {
        public List<MigrationInfo> AppliedOnly { get; } = from is { } f ? migrations.Where(m => m.Version < f).ToList() : [];

        public List<MigrationInfo> ToJudge { get; } = from is { } f ? migrations.Where(m => m.Version >= f).ToList() : [.. migrations];

        public List<MigrationVerification> Verified { get; } = new(migrations.Count);

        /// <summary>What is applied on the scratch database now, oldest first.</summary>
        public List<MigrationInfo> Applied { get; } = new(migrations.Count);
    }

    /// <summary>Judges the migrations; returns the scratch database in use at the end (a rebuild replaces it).</summary>
    private static async Task<ScratchDatabase> RunAsync(ScratchDatabase scratch, MigrationRoundTrip roundTrip, VerificationRun run,
        IProgress<MigrationVerification>? progress, List<string> notes, CancellationToken cancellationToken)
    {
        if (await roundTrip.ApplyAllAsync(scratch.Connection, run.AppliedOnly, cancellationToken) is { } failure)
        {
            run.Applied.AddRange(run.AppliedOnly.TakeWhile(m => m != failure.Migration));
            throw new MigrationException(
                $"Could not build the schema to verify from: migration {failure.Migration}, older than the version to start at, failed on the scratch " +
                $"database {scratch.Name}: {failure.Error}. Verify from an older version, or fix that migration first.");
        }

        run.Applied.AddRange(run.AppliedOnly);

        var before = await MigrationRoundTrip.SnapshotAsync(scratch.Connection, cancellationToken);
        foreach (var migration in run.ToJudge)
        {
            var judgement = await roundTrip.JudgeAsync(scratch.Connection, migration, before, cancellationToken);
            run.Verified.Add(judgement.Verification);
            progress?.Report(judgement.Verification);
            if (judgement.AfterUp is not { } afterUp)
                break;
            run.Applied.Add(migration);
            if (!judgement.Intact)
            {
                if (!scratch.IsOwned)
                {
                    notes.Add($"Migration {migration} runs without a transaction and its round trip failed, so the scratch database {scratch.Name} " +
                        "no longer holds the schema the next migrations need; it was given, so it cannot be rebuilt. Let verify create its own " +
                        "scratch database to have the migrations after it judged.");
                    run.Applied.Remove(migration);
                    break;
                }

                scratch = await RebuildAsync(scratch, roundTrip, run.Applied, cancellationToken);
                before = await MigrationRoundTrip.SnapshotAsync(scratch.Connection, cancellationToken);
                continue;
            }

            before = afterUp;
        }

        return scratch;
    }

    /// <summary>Replaces the scratch database with a new one on which the migrations applied so far are applied again.</summary>
    private static async Task<ScratchDatabase> RebuildAsync(ScratchDatabase scratch, MigrationRoundTrip roundTrip, List<MigrationInfo> applied,
        CancellationToken cancellationToken)
    {
        var fresh = await scratch.RecreateAsync("verify", cancellationToken);
        foreach (var migration in applied)
        {
            if (await roundTrip.ApplyAsync(fresh.Connection, migration, cancellationToken) is { } error)
            {
                await fresh.CloseAsync();
                throw new MigrationException(
                    $"Rebuilding the scratch database after a failed round trip: migration {migration}, which applied before, failed: {error}.");
            }
        }

        return fresh;
    }

    /// <summary>Runs one direction; returns the error in one line, or <see langword="null"/> when it succeeded.</summary>
    private static async Task<string?> TryRunAsync(NpgsqlConnection connection, ScratchMigrations runner, MigrationInfo migration,
        MigrationDirection direction, CancellationToken cancellationToken)
    {
        try
        {
            await runner.RunAsync(connection, migration, direction, cancellationToken);
            return null;
        }
        catch (MigrationFailedException e)
        {
            return DescribeFailure(e);
        }
        catch (InvalidMigrationException e)
        {
            return e.Message;
        }
    }

    /// <summary>Reverts, newest first, what a run left applied on a scratch database the user lent us.</summary>
    internal static async Task<string?> RevertAllAsync(NpgsqlConnection connection, ScratchMigrations runner, List<MigrationInfo> applied,
        CancellationToken cancellationToken)
    {
        for (var i = applied.Count - 1; i >= 0; i--)
        {
            if (applied[i].IrreversibleReason is { } reason)
            {
                return $"The scratch database {connection.Database} was not left empty: migration {applied[i]} is irreversible ({reason}), " +
                    "so it and the migrations before it stay applied; clean it by hand before the next run.";
            }

            if (await TryRunAsync(connection, runner, applied[i], MigrationDirection.Down, cancellationToken) is { } error)
            {
                return $"The scratch database {connection.Database} was not left empty: reverting migration {applied[i]} failed ({error}); " +
                    "clean it by hand before the next run.";
            }
        }

        return null;
    }

    /// <summary>
    /// "at step 2 of 3 (SQL: DROP TABLE books): 42P01: table "books" does not exist": where the migration failed and
    /// PostgreSQL's error, from the failure's data. The problem it goes into names the migration, and a scratch run has
    /// no history to give advice about.
    /// </summary>
    internal static string DescribeFailure(MigrationFailedException failure)
    {
        var error = MigrationExecutor.DescribeError(failure.InnerException ?? failure);
        return failure.FailedStep is { } step ? $"at {step}: {error}" : error;
    }
}
