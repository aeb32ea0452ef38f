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
/// equal the second), then on to the next. One connection for the whole run; no history table is written.
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

    /// <summary>Verifies every migration, oldest first, on a scratch database; see <see cref="MigrationVerifier"/>.</summary>
    /// <param name="options">The scratch database to use instead of a created one, and a progress listener.</param>
    /// <param name="cancellationToken">Stops the run; the created scratch database is dropped all the same.</param>
    /// <returns>Each migration's outcome; <see cref="VerificationResult.Succeeded"/> tells whether all passed.</returns>
    /// <exception cref="InvalidMigrationSetException">The migration classes are not a valid set; nothing touched a database.</exception>
    /// <exception cref="MigrationDatabaseException">The scratch database could not be created, reached or read.</exception>
    /// <exception cref="MigrationException">The scratch database named in the options holds the history table.</exception>
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
            (List<MigrationVerification> Verified, List<MigrationInfo> Applied) run;
            try
            {
                await using var runner = _parts.CreateMigrations();
                run = await RunAsync(scratch, runner, migrations, options.Progress, cancellationToken);
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
            var notVerified = migrations.Skip(run.Verified.Count).ToList();
            return new VerificationResult(run.Verified, notVerified, scratch.Name, notes, clock.Elapsed);
        }
        finally
        {
            if (server is not null)
                await server.DisposeAsync();
        }
    }

    private static async Task<(List<MigrationVerification> Verified, List<MigrationInfo> Applied)> RunAsync(ScratchDatabase scratch,
        ScratchMigrations runner, IReadOnlyList<MigrationInfo> migrations, IProgress<MigrationVerification>? progress,
        CancellationToken cancellationToken)
    {
        var connection = scratch.Connection;
        var verified = new List<MigrationVerification>(migrations.Count);
        var applied = new List<MigrationInfo>(migrations.Count);
        var before = await SchemaSnapshot.CaptureCoreAsync(connection, null, prepare: true, cancellationToken);

        foreach (var migration in migrations)
        {
            var clock = Stopwatch.StartNew();
            var (verification, after) = await VerifyOneAsync(connection, runner, migration, before, applied, clock, cancellationToken);
            verified.Add(verification);
            progress?.Report(verification);
            if (after is null)
                break;
            before = after;
        }

        return (verified, applied);
    }

    /// <summary>Verifies one migration; returns the schema to go on from, or <see langword="null"/> when verification must stop.</summary>
    private static async Task<(MigrationVerification, SchemaSnapshot?)> VerifyOneAsync(NpgsqlConnection connection, ScratchMigrations runner,
        MigrationInfo migration, SchemaSnapshot beforeUp, List<MigrationInfo> applied, Stopwatch clock, CancellationToken cancellationToken)
    {
        MigrationVerification Result(MigrationVerificationOutcome outcome, IReadOnlyList<SchemaDifference>? down = null,
            IReadOnlyList<SchemaDifference>? reapply = null, string? error = null) =>
            new(migration, outcome, down ?? [], reapply ?? [], error, clock.Elapsed);

        if (await TryRunAsync(connection, runner, migration, MigrationDirection.Up, cancellationToken) is { } upError)
            return (Result(MigrationVerificationOutcome.UpFailed, error: upError), null);
        applied.Add(migration);
        var afterUp = await SchemaSnapshot.CaptureCoreAsync(connection, null, prepare: true, cancellationToken);
        if (migration.IrreversibleReason is not null)
            return (Result(MigrationVerificationOutcome.Irreversible), afterUp);

        if (await TryRunAsync(connection, runner, migration, MigrationDirection.Down, cancellationToken) is { } downError)
        {
            // A Down in a transaction was rolled back: the schema is the one after Up, so the next migration can be
            // verified. Without a transaction, part of it may have run: nothing after it can be trusted.
            return (Result(MigrationVerificationOutcome.DownFailed, error: downError), migration.UseTransaction ? afterUp : null);
        }

        applied.Remove(migration);
        var afterDown = await SchemaSnapshot.CaptureCoreAsync(connection, null, prepare: true, cancellationToken);
        var downDifferences = SchemaDiff.Compare(beforeUp, afterDown);

        if (await TryRunAsync(connection, runner, migration, MigrationDirection.Up, cancellationToken) is { } againError)
            return (Result(MigrationVerificationOutcome.UpFailedAfterDown, downDifferences, error: againError), null);
        applied.Add(migration);
        var afterUpAgain = await SchemaSnapshot.CaptureCoreAsync(connection, null, prepare: true, cancellationToken);
        var reapplyDifferences = SchemaDiff.Compare(afterUp, afterUpAgain);

        var outcome = downDifferences.Count > 0 ? MigrationVerificationOutcome.DownLeavesDifferences
            : reapplyDifferences.Count > 0 ? MigrationVerificationOutcome.UpDiffersAfterDown
            : MigrationVerificationOutcome.Ok;
        return (Result(outcome, downDifferences, reapplyDifferences), afterUpAgain);
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
