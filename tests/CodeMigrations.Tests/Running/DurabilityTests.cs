using CodeMigrations.Testing;
using CodeMigrations.Testing.LocalCluster;
using Dapper;
using Npgsql;

namespace CodeMigrations.Tests.Running;

/// <summary>
/// A run is durable at its end: each migration commits atomically with its history row, but only the commit before the
/// run reports success, and the one before a migration without a transaction, wait for the disk. These tests watch the
/// setting each transaction commits with, and crash a real server in the middle of a run.
/// </summary>
public sealed class DurabilityTests
{
    /// <summary>Records the <c>synchronous_commit</c> each migration's transaction runs with, in a table.</summary>
    public static class Recorded
    {
        private const string Record = "INSERT INTO seen VALUES ({0}, current_setting('synchronous_commit'))";

        [Migration(1)]
        public sealed class Pipelined : Migration
        {
            public override void Up() => Execute("CREATE TABLE seen (version bigint, sync text); " + string.Format(null, Record, 1));

            public override void Down() => Execute("DROP TABLE seen");
        }

        [Migration(2)]
        public sealed class StepByStep : Migration
        {
            public override void Up() => Execute("INSERT INTO seen VALUES (@v, current_setting('synchronous_commit'))", new { v = 2 });

            public override void Down() => Execute("SELECT 1");
        }

        [Migration(3)]
        public sealed class PipelinedAgain : Migration
        {
            public override void Up() => Execute(string.Format(null, Record, 3));

            public override void Down() => Execute("SELECT 1");
        }

        [Migration(4)]
        public sealed class BeforeOneWithoutTransaction : Migration
        {
            public override void Up() => Execute(string.Format(null, Record, 4));

            public override void Down() => Execute("SELECT 1");
        }

        [Migration(5, UseTransaction = false)]
        public sealed class WithoutTransaction : Migration
        {
            public override void Up() => Execute(string.Format(null, Record, 5));

            public override void Down() => Execute("SELECT 1");
        }

        [Migration(6)]
        public sealed class Last : Migration
        {
            public override void Up() => Execute(string.Format(null, Record, 6));

            public override void Down() => Execute("SELECT 1");
        }
    }

    [Test]
    public async Task By_default_only_the_last_commit_and_the_one_before_a_migration_without_a_transaction_use_the_servers_setting()
    {
        await using var test = await CreateWithServerSettingAsync(durableEach: false);

        await test.Runner.UpAsync();

        Assert.That(await SeenAsync(test), Is.EqualTo(new[] { "1 off", "2 off", "3 off", "4 remote_apply", "5 remote_apply", "6 remote_apply" }));
    }

    [Test]
    public async Task With_durable_each_every_migration_commits_with_the_servers_setting()
    {
        await using var test = await CreateWithServerSettingAsync(durableEach: true);

        await test.Runner.UpAsync();

        Assert.That(await SeenAsync(test), Is.EqualTo(Enumerable.Range(1, 6).Select(v => $"{v} remote_apply")));
    }

    /// <summary>A runner whose database's own <c>synchronous_commit</c> is one no run would set (remote_apply), to tell it apart from off.</summary>
    private static async Task<TestRunner> CreateWithServerSettingAsync(bool durableEach)
    {
        var test = await TestRunner.CreateAsync(typeof(Recorded), o => o.DurableEach = durableEach);
        await test.QueryScalarAsync<int>("DO $$BEGIN EXECUTE format('ALTER DATABASE %I SET synchronous_commit = remote_apply', current_database()); END$$");
        return test;
    }

    private static async Task<IReadOnlyList<string>> SeenAsync(TestRunner test) =>
        await test.QueryAsync<string>("SELECT version || ' ' || sync FROM seen ORDER BY version");

    /// <summary>Each migration inserts its version into kv, after a short sleep, so that a run of them lasts a few seconds.</summary>
    public abstract class SlowRow : Migration
    {
        private long Version => ((MigrationAttribute)Attribute.GetCustomAttribute(GetType(), typeof(MigrationAttribute))!).Version;

        public override void Up() => Execute($"CREATE TABLE IF NOT EXISTS kv (k bigint PRIMARY KEY); SELECT pg_sleep(0.02); INSERT INTO kv VALUES ({Version})");

        public override void Down() => Execute($"DELETE FROM kv WHERE k = {Version}");
    }

    [Test]
    public async Task A_server_crash_in_the_middle_of_a_run_leaves_a_prefix_of_whole_migrations_and_the_next_run_applies_the_rest()
    {
        var parent = Path.Combine("/tmp", "codemigrations-crash-" + Guid.NewGuid().ToString("N")[..8]);
        var dataDirectory = Path.Combine(parent, "cluster");
        var durable = new LocalClusterOptions { Fsync = true };
        try
        {
            await using (var cluster = await LocalPostgresCluster.StartPersistentAsync(dataDirectory, durable))
            {
                await using var test = TestRunner.For(cluster.ConnectionString + ";Pooling=false", typeof(ManyRows));
                var run = Task.Run(() => test.Runner.UpAsync());

                // Crash once part of the run is committed (visible), long before its end.
                await using (var watcher = new NpgsqlConnection(cluster.ConnectionString + ";Pooling=false"))
                {
                    await watcher.OpenAsync();
                    while (await CountAsync(watcher) < 30)
                    {
                        Assert.That(run.IsCompleted, Is.False, "the run ended before the crash: make it longer");
                        await Task.Delay(5);
                    }
                }

                Assert.That(await new ClusterControl(cluster.BinariesDirectory).StopAsync(cluster.DataDirectory, ShutdownMode.Immediate, CancellationToken.None), Is.Null);
                await Assert.CatchAsync(async () => await run, "the run lost its server: it must not report success");
            }

            await using (var restarted = await LocalPostgresCluster.StartPersistentAsync(dataDirectory, durable))
            {
                await using var test = TestRunner.For(restarted.ConnectionString + ";Pooling=false", typeof(ManyRows));
                var history = await test.AppliedVersionsAsync();
                var rows = await test.QueryAsync<long>("SELECT k FROM kv ORDER BY k");
                Assert.That(history, Is.EqualTo(Enumerable.Range(1, history.Length).Select(i => (long)i)), "a prefix of the run");
                Assert.That(history.Length, Is.LessThan(ManyRows.Count), "the crash came before the end");
                Assert.That(rows, Is.EqualTo(history), "each migration whole with its history row");

                var result = await test.Runner.UpAsync();

                Assert.That(result.Migrations, Has.Count.EqualTo(ManyRows.Count - history.Length));
                Assert.That(await test.QueryAsync<long>("SELECT k FROM kv ORDER BY k"), Is.EqualTo(Enumerable.Range(1, ManyRows.Count).Select(i => (long)i)));
            }
        }
        finally
        {
            if (Directory.Exists(parent))
                Directory.Delete(parent, recursive: true);
        }
    }

    private static async Task<long> CountAsync(NpgsqlConnection connection)
    {
        try
        {
            return await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM public.migration_history");
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            return 0;
        }
    }

    /// <summary>150 slow one-row migrations: about three seconds of run.</summary>
    public static class ManyRows
    {
        public const int Count = 150;


        [Migration(1)]
        public sealed class M1 : SlowRow;

        [Migration(2)]
        public sealed class M2 : SlowRow;

        [Migration(3)]
        public sealed class M3 : SlowRow;

        [Migration(4)]
        public sealed class M4 : SlowRow;

        [Migration(5)]
        public sealed class M5 : SlowRow;

        [Migration(6)]
        public sealed class M6 : SlowRow;

        [Migration(7)]
        public sealed class M7 : SlowRow;

        [Migration(8)]
        public sealed class M8 : SlowRow;

        [Migration(9)]
        public sealed class M9 : SlowRow;

        [Migration(10)]
        public sealed class M10 : SlowRow;

        [Migration(11)]
        public sealed class M11 : SlowRow;

        [Migration(12)]
        public sealed class M12 : SlowRow;

        [Migration(13)]
        public sealed class M13 : SlowRow;

        [Migration(14)]
        public sealed class M14 : SlowRow;

        [Migration(15)]
        public sealed class M15 : SlowRow;

        [Migration(16)]
        public sealed class M16 : SlowRow;

        [Migration(17)]
        public sealed class M17 : SlowRow;

        [Migration(18)]
        public sealed class M18 : SlowRow;

        [Migration(19)]
        public sealed class M19 : SlowRow;

        [Migration(20)]
        public sealed class M20 : SlowRow;

        [Migration(21)]
        public sealed class M21 : SlowRow;

        [Migration(22)]
        public sealed class M22 : SlowRow;

        [Migration(23)]
        public sealed class M23 : SlowRow;

        [Migration(24)]
        public sealed class M24 : SlowRow;

        [Migration(25)]
        public sealed class M25 : SlowRow;

        [Migration(26)]
        public sealed class M26 : SlowRow;

        [Migration(27)]
        public sealed class M27 : SlowRow;

        [Migration(28)]
        public sealed class M28 : SlowRow;

        [Migration(29)]
        public sealed class M29 : SlowRow;

        [Migration(30)]
        public sealed class M30 : SlowRow;

        [Migration(31)]
        public sealed class M31 : SlowRow;

        [Migration(32)]
        public sealed class M32 : SlowRow;

        [Migration(33)]
        public sealed class M33 : SlowRow;

        [Migration(34)]
        public sealed class M34 : SlowRow;

        [Migration(35)]
        public sealed class M35 : SlowRow;

        [Migration(36)]
        public sealed class M36 : SlowRow;

        [Migration(37)]
        public sealed class M37 : SlowRow;

        [Migration(38)]
        public sealed class M38 : SlowRow;

        [Migration(39)]
        public sealed class M39 : SlowRow;

        [Migration(40)]
        public sealed class M40 : SlowRow;

        [Migration(41)]
        public sealed class M41 : SlowRow;

        [Migration(42)]
        public sealed class M42 : SlowRow;

        [Migration(43)]
        public sealed class M43 : SlowRow;

        [Migration(44)]
        public sealed class M44 : SlowRow;

        [Migration(45)]
        public sealed class M45 : SlowRow;

        [Migration(46)]
        public sealed class M46 : SlowRow;

        [Migration(47)]
        public sealed class M47 : SlowRow;

        [Migration(48)]
        public sealed class M48 : SlowRow;

        [Migration(49)]
        public sealed class M49 : SlowRow;

        [Migration(50)]
        public sealed class M50 : SlowRow;

        [Migration(51)]
        public sealed class M51 : SlowRow;

        [Migration(52)]
        public sealed class M52 : SlowRow;

        [Migration(53)]
        public sealed class M53 : SlowRow;

        [Migration(54)]
        public sealed class M54 : SlowRow;

        [Migration(55)]
        public sealed class M55 : SlowRow;

        [Migration(56)]
        public sealed class M56 : SlowRow;

        [Migration(57)]
        public sealed class M57 : SlowRow;

        [Migration(58)]
        public sealed class M58 : SlowRow;

        [Migration(59)]
        public sealed class M59 : SlowRow;

        [Migration(60)]
        public sealed class M60 : SlowRow;

        [Migration(61)]
        public sealed class M61 : SlowRow;

        [Migration(62)]
        public sealed class M62 : SlowRow;

        [Migration(63)]
        public sealed class M63 : SlowRow;

        [Migration(64)]
        public sealed class M64 : SlowRow;

        [Migration(65)]
        public sealed class M65 : SlowRow;

        [Migration(66)]
        public sealed class M66 : SlowRow;

        [Migration(67)]
        public sealed class M67 : SlowRow;

        [Migration(68)]
        public sealed class M68 : SlowRow;

        [Migration(69)]
        public sealed class M69 : SlowRow;

        [Migration(70)]
        public sealed class M70 : SlowRow;

        [Migration(71)]
        public sealed class M71 : SlowRow;

        [Migration(72)]
        public sealed class M72 : SlowRow;

        [Migration(73)]
        public sealed class M73 : SlowRow;

        [Migration(74)]
        public sealed class M74 : SlowRow;

        [Migration(75)]
        public sealed class M75 : SlowRow;

        [Migration(76)]
        public sealed class M76 : SlowRow;

        [Migration(77)]
        public sealed class M77 : SlowRow;

        [Migration(78)]
        public sealed class M78 : SlowRow;

        [Migration(79)]
        public sealed class M79 : SlowRow;

        [Migration(80)]
        public sealed class M80 : SlowRow;

        [Migration(81)]
        public sealed class M81 : SlowRow;

        [Migration(82)]
        public sealed class M82 : SlowRow;

        [Migration(83)]
        public sealed class M83 : SlowRow;

        [Migration(84)]
        public sealed class M84 : SlowRow;

        [Migration(85)]
        public sealed class M85 : SlowRow;

        [Migration(86)]
        public sealed class M86 : SlowRow;

        [Migration(87)]
        public sealed class M87 : SlowRow;

        [Migration(88)]
        public sealed class M88 : SlowRow;

        [Migration(89)]
        public sealed class M89 : SlowRow;

        [Migration(90)]
        public sealed class M90 : SlowRow;

        [Migration(91)]
        public sealed class M91 : SlowRow;

        [Migration(92)]
        public sealed class M92 : SlowRow;

        [Migration(93)]
        public sealed class M93 : SlowRow;

        [Migration(94)]
        public sealed class M94 : SlowRow;

        [Migration(95)]
        public sealed class M95 : SlowRow;

        [Migration(96)]
        public sealed class M96 : SlowRow;

        [Migration(97)]
        public sealed class M97 : SlowRow;

        [Migration(98)]
        public sealed class M98 : SlowRow;

        [Migration(99)]
        public sealed class M99 : SlowRow;

        [Migration(100)]
        public sealed class M100 : SlowRow;

        [Migration(101)]
        public sealed class M101 : SlowRow;

        [Migration(102)]
        public sealed class M102 : SlowRow;

        [Migration(103)]
        public sealed class M103 : SlowRow;

        [Migration(104)]
        public sealed class M104 : SlowRow;

        [Migration(105)]
        public sealed class M105 : SlowRow;

        [Migration(106)]
        public sealed class M106 : SlowRow;

        [Migration(107)]
        public sealed class M107 : SlowRow;

        [Migration(108)]
        public sealed class M108 : SlowRow;

        [Migration(109)]
        public sealed class M109 : SlowRow;

        [Migration(110)]
        public sealed class M110 : SlowRow;

        [Migration(111)]
        public sealed class M111 : SlowRow;

        [Migration(112)]
        public sealed class M112 : SlowRow;

        [Migration(113)]
        public sealed class M113 : SlowRow;

        [Migration(114)]
        public sealed class M114 : SlowRow;

        [Migration(115)]
        public sealed class M115 : SlowRow;

        [Migration(116)]
        public sealed class M116 : SlowRow;

        [Migration(117)]
        public sealed class M117 : SlowRow;

        [Migration(118)]
        public sealed class M118 : SlowRow;

        [Migration(119)]
        public sealed class M119 : SlowRow;

        [Migration(120)]
        public sealed class M120 : SlowRow;

        [Migration(121)]
        public sealed class M121 : SlowRow;

        [Migration(122)]
        public sealed class M122 : SlowRow;

        [Migration(123)]
        public sealed class M123 : SlowRow;

        [Migration(124)]
        public sealed class M124 : SlowRow;

        [Migration(125)]
        public sealed class M125 : SlowRow;

        [Migration(126)]
        public sealed class M126 : SlowRow;

        [Migration(127)]
        public sealed class M127 : SlowRow;

        [Migration(128)]
        public sealed class M128 : SlowRow;

        [Migration(129)]
        public sealed class M129 : SlowRow;

        [Migration(130)]
        public sealed class M130 : SlowRow;

        [Migration(131)]
        public sealed class M131 : SlowRow;

        [Migration(132)]
        public sealed class M132 : SlowRow;

        [Migration(133)]
        public sealed class M133 : SlowRow;

        [Migration(134)]
        public sealed class M134 : SlowRow;

        [Migration(135)]
        public sealed class M135 : SlowRow;

        [Migration(136)]
        public sealed class M136 : SlowRow;

        [Migration(137)]
        public sealed class M137 : SlowRow;

        [Migration(138)]
        public sealed class M138 : SlowRow;

        [Migration(139)]
        public sealed class M139 : SlowRow;

        [Migration(140)]
        public sealed class M140 : SlowRow;

        [Migration(141)]
        public sealed class M141 : SlowRow;

        [Migration(142)]
        public sealed class M142 : SlowRow;

        [Migration(143)]
        public sealed class M143 : SlowRow;

        [Migration(144)]
        public sealed class M144 : SlowRow;

        [Migration(145)]
        public sealed class M145 : SlowRow;

        [Migration(146)]
        public sealed class M146 : SlowRow;

        [Migration(147)]
        public sealed class M147 : SlowRow;

        [Migration(148)]
        public sealed class M148 : SlowRow;

        [Migration(149)]
        public sealed class M149 : SlowRow;

        [Migration(150)]
        public sealed class M150 : SlowRow;
    }
}
