namespace CodeMigrations.Execution;

/// <summary>
/// How a run sends its migrations: consecutive migrations that run in a transaction and are made only of SQL without
/// parameters go as one pipeline (<see cref="MigrationExecutor.ExecutePipelineAsync"/>: one round trip, each still its
/// own transaction), cut at bounded sizes; every other migration goes on its own. Pure: unit-tested without a database.
/// </summary>
internal static class PipelinePolicy
{
    // A pipeline is cut at these sizes: the batch stays a bounded amount of memory, and nothing is lost by it (a round
    // trip per 200 migrations).
    public const int MaxMigrations = 200;
    public const long MaxSqlChars = 4_000_000;

    /// <summary>Whether <paramref name="migration"/> can join a pipeline: it runs in a transaction and is made only of SQL without parameters.</summary>
    public static bool CanPipeline(PreparedMigration migration) => migration.Info.UseTransaction && MigrationExecutor.IsPlainSql(migration);

    /// <summary>Cuts <paramref name="migrations"/>, in order, into pipelines and migrations that run alone.</summary>
    public static IEnumerable<PipelineSegment> Split(IReadOnlyList<PreparedMigration> migrations)
    {
        for (var start = 0; start < migrations.Count;)
        {
            var end = start;
            var size = 0L;
            while (end < migrations.Count && end - start < MaxMigrations && size < MaxSqlChars && CanPipeline(migrations[end]))
                size += SqlLength(migrations[end++]);
            if (end == start)
            {
                yield return new PipelineSegment([migrations[start++]], Pipelined: false);
                continue;
            }

            yield return new PipelineSegment(migrations.Skip(start).Take(end - start).ToList(), Pipelined: true);
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
internal sealed record PipelineSegment(IReadOnlyList<PreparedMigration> Migrations, bool Pipelined);
