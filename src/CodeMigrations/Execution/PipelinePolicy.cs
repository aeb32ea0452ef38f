namespace CodeMigrations.Execution;

/// <summary>
/// How a run sends its migrations: consecutive migrations that run in a transaction and are made only of SQL without
/// parameters go as one pipeline (<c>MigrationExecutor.ExecutePipelineAsync</c>: one round trip, each still its
/// own transaction), cut at bounded sizes; every other migration goes on its own. It also decides which commits wait for
/// the disk (<see cref="DurableCommits"/>). Pure: unit-tested without a database.
/// </summary>
internal static class PipelinePolicy
{
    // A pipeline is cut at these sizes: the batch stays a bounded amount of memory, and nothing is lost by it (a round
    // trip per 200 migrations).
    public const int MaxMigrations = 200;
    public const long MaxSqlChars = 4_000_000;

    /// <summary>Whether <paramref name="migration"/> can join a pipeline: it runs in a transaction and is made only of SQL without parameters.</summary>
    public static bool CanPipeline(PreparedMigration migration) => migration.Info.UseTransaction && MigrationExecutor.IsPlainSql(migration);

    /// <summary>
    /// Which of a run's commits wait for the disk (the server's <c>synchronous_commit</c>); the others commit with
    /// <c>synchronous_commit = off</c>. Durable: every commit when <paramref name="durableEach"/>; else the last migration
    /// of the run (the commit before the run reports success and releases the lock), the last transactional migration
    /// before one without a transaction (whose statements commit on their own), and every migration without a
    /// transaction (its marks use the server's setting). PostgreSQL writes the WAL in order, so one durable commit makes
    /// every earlier commit of the session durable: a crash loses at most the end of a run that never reported success,
    /// never half of a migration.
    /// </summary>
    /// <returns>One flag per migration, in order: <see langword="true"/> when its commit waits for the disk.</returns>
    public static bool[] DurableCommits(IReadOnlyList<PreparedMigration> migrations, bool durableEach)
    {
        var durable = new bool[migrations.Count];
        for (var i = 0; i < migrations.Count; i++)
        {
            durable[i] = durableEach || !migrations[i].Info.UseTransaction || i == migrations.Count - 1 || !migrations[i + 1].Info.UseTransaction;
        }

        return durable;
    }

    /// <summary>Cuts <paramref name="migrations"/>, in order, into pipelines and migrations that run alone, every commit durable.</summary>
    public static IEnumerable<PipelineSegment> Split(IReadOnlyList<PreparedMigration> migrations) => Split(migrations, durableEach: true);

    /// <summary>
    /// Cuts <paramref name="migrations"/>, in order, into pipelines and migrations that run alone, each segment with the
    /// durability of its commits (<see cref="DurableCommits"/>).
    /// </summary>
    public static IEnumerable<PipelineSegment> Split(IReadOnlyList<PreparedMigration> migrations, bool durableEach)
    {
        var durable = DurableCommits(migrations, durableEach);
        for (var start = 0; start < migrations.Count;)
        {
            var end = start;
            var size = 0L;
            while (end < migrations.Count && end - start < MaxMigrations && size < MaxSqlChars && CanPipeline(migrations[end]))
                size += SqlLength(migrations[end++]);
            if (end == start)
            {
                yield return new PipelineSegment([migrations[start]], Pipelined: false, [durable[start]]);
                start++;
                continue;
            }

            yield return new PipelineSegment(migrations.Skip(start).Take(end - start).ToList(), Pipelined: true, durable[start..end]);
            start = end;
        }
    }

    private static long SqlLength(PreparedMigration migration)
    {
        var length = 0L;
        foreach (var step in migration.Steps)
            length += step is SqlStep sql ? sql.Sql.Length : 0;
        return length;
    }
}

/// <summary>Migrations sent together: a pipeline, or one migration that runs alone.</summary>
/// <param name="Migrations">The migrations, in order.</param>
/// <param name="Pipelined">Whether they go as one pipeline; otherwise it is one migration, run on its own.</param>
/// <param name="Durable">Per migration, whether its commit waits for the disk (see <see cref="PipelinePolicy.DurableCommits"/>).</param>
internal sealed record PipelineSegment(IReadOnlyList<PreparedMigration> Migrations, bool Pipelined, IReadOnlyList<bool> Durable);
