using CodeMigrations.Testing;
using CodeMigrations.Verification;
using Npgsql;

namespace CodeMigrations.Tests.Verification;

[Parallelizable(ParallelScope.All)]
public sealed class ScratchSessionTests
{
    [Test]
    public void The_scratch_session_commits_without_waiting_for_the_disk_and_keeps_the_users_options()
    {
        var builder = new NpgsqlConnectionStringBuilder("Host=h;Options=-c search_path=app");

        ScratchDatabase.WithoutWaitingForFlush(builder);

        Assert.That(builder.Options, Is.EqualTo("-c search_path=app -c synchronous_commit=off"));
    }

    [Test]
    public async Task Migrations_on_the_scratch_database_commit_without_waiting_for_the_disk_even_when_the_target_asks_to()
    {
        var target = new NpgsqlConnectionStringBuilder(TestServer.Server.ConnectionString) { Options = "-c synchronous_commit=on" };
        var options = MigrationVerifierTests.Options(typeof(ChecksItsSession), target.ConnectionString);

        var result = await new MigrationVerifier(options).VerifyAsync();

        Assert.That(result.Problems, Is.Empty);
        Assert.That(result.Migrations.Select(m => m.Outcome), Is.EqualTo(new[] { MigrationVerificationOutcome.Ok }));
    }

    public static class ChecksItsSession
    {
        [Migration(1)]
        public sealed class FailsWhenCommitsWait : Migration
        {
            public override void Up() => Execute("""
                DO $$ BEGIN
                    IF current_setting('synchronous_commit') <> 'off' THEN
                        RAISE EXCEPTION 'synchronous_commit is %', current_setting('synchronous_commit');
                    END IF;
                END $$;
                CREATE TABLE checked (id int)
                """);

            public override void Down() => Execute("DROP TABLE checked");
        }
    }
}
