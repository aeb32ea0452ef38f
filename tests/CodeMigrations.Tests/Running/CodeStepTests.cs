using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace CodeMigrations.Tests.Running;

public sealed class CodeStepTests
{
    public interface IGreeting
    {
        string Text { get; }
    }

    public sealed class Greeting : IGreeting
    {
        public string Text => "hello from DI";
    }

    public static class Injected
    {
        [Migration(1)]
        public sealed class SeedGreeting(IGreeting greeting) : Migration
        {
            public override void Up()
            {
                Execute("CREATE TABLE greetings (text text NOT NULL)");
                Execute("INSERT INTO greetings (text) VALUES (@text)", new { text = greeting.Text });
            }

            public override void Down() => Execute("DROP TABLE greetings");
        }
    }

    [Test]
    public async Task A_migration_receives_its_constructor_services_from_dependency_injection()
    {
        await using var test = await TestRunner.CreateAsync(typeof(Injected), register: s => s.AddSingleton<IGreeting, Greeting>());

        await test.Runner.UpAsync();

        Assert.That(await test.QueryScalarAsync<string>("SELECT text FROM greetings"), Is.EqualTo("hello from DI"));
    }

    [Test]
    public async Task A_migration_whose_constructor_service_is_not_registered_is_refused_as_an_invalid_set()
    {
        var services = new ServiceCollection().AddCodeMigrations(o =>
        {
            o.ConnectionString = "Host=127.0.0.1;Port=1";
            o.Assemblies.Add(typeof(Injected).Assembly);
            o.TypeFilter = t => t.DeclaringType == typeof(Injected);
        }).BuildServiceProvider();

        var error = (await Assert.ThrowsAsync<InvalidMigrationSetException>(() => services.GetRequiredService<IMigrationRunner>().UpAsync()))!;

        Assert.That(error.Message, Does.Contain("SeedGreeting cannot be constructed: no service is registered for constructor parameter IGreeting greeting"));
    }

    public static class DataMigration
    {
        [Migration(1)]
        public sealed class CreateNames : Migration
        {
            public override void Up() => Execute("""
                CREATE TABLE people (id int PRIMARY KEY, full_name text NOT NULL, first_name text, last_name text);
                INSERT INTO people (id, full_name) VALUES (1, 'Ada Lovelace'), (2, 'Alan Turing');
                """);

            public override void Down() => Execute("DROP TABLE people");
        }

        [Migration(2)]
        public sealed class SplitNames : Migration
        {
            public override void Up() => Execute(async context =>
            {
                var people = await context.Connection.QueryAsync<(int Id, string FullName)>(
                    new CommandDefinition("SELECT id, full_name FROM people", transaction: context.Transaction, cancellationToken: context.CancellationToken));
                foreach (var (id, fullName) in people)
                {
                    var parts = fullName.Split(' ', 2);
                    await context.Connection.ExecuteAsync(new CommandDefinition(
                        "UPDATE people SET first_name = @first, last_name = @last WHERE id = @id",
                        new { first = parts[0], last = parts[1], id }, context.Transaction, cancellationToken: context.CancellationToken));
                }

                var application = await context.Connection.ExecuteScalarAsync<string>("SELECT current_setting('application_name')", transaction: context.Transaction);
                await context.Connection.ExecuteAsync("CREATE TABLE seen_as (name text); INSERT INTO seen_as VALUES (@application)", new { application }, context.Transaction);
            }, "split full names");

            public override void Down() => Execute("UPDATE people SET first_name = NULL, last_name = NULL; DROP TABLE seen_as");
        }

        [Migration(3)]
        public sealed class FailsAfterWriting : Migration
        {
            public override void Up()
            {
                Execute("UPDATE people SET full_name = 'changed'");
                Execute(_ => throw new InvalidOperationException("the data is not what we expected"), "check data");
            }

            public override void Down()
            {
            }
        }
    }

    [Test]
    public async Task A_code_step_reads_and_writes_data_with_Dapper_in_the_migration_transaction()
    {
        await using var test = await TestRunner.CreateAsync(typeof(DataMigration));

        await test.Runner.UpAsync(target: 2);

        var people = await test.QueryAsync<(string First, string Last)>("SELECT first_name, last_name FROM people ORDER BY id");
        Assert.That(people, Is.EqualTo(new[] { ("Ada", "Lovelace"), ("Alan", "Turing") }));
        Assert.That(await test.QueryScalarAsync<string>("SELECT name FROM seen_as"), Is.EqualTo("CodeMigrations"), "connections identify themselves");
    }

    [Test]
    public async Task A_code_step_that_throws_rolls_back_its_migration_and_names_the_step()
    {
        await using var test = await TestRunner.CreateAsync(typeof(DataMigration));
        await test.Runner.UpAsync(target: 2);

        var error = (await Assert.ThrowsAsync<MigrationFailedException>(() => test.Runner.UpAsync()))!;

        Assert.That(error.Message, Does.Contain("Migration 3 FailsAfterWriting failed while applying, at step 2 of 2 (code step 'check data')")
            .And.Contain("InvalidOperationException: the data is not what we expected"));
        Assert.That(await test.QueryScalarAsync<int>("SELECT count(*) FROM people WHERE full_name = 'changed'"), Is.Zero);
        Assert.That(await test.AppliedVersionsAsync(), Is.EqualTo(new long[] { 1, 2 }));
    }

    [Test]
    public async Task A_code_step_failure_carries_the_step_and_no_statement()
    {
        await using var test = await TestRunner.CreateAsync(typeof(DataMigration));
        await test.Runner.UpAsync(target: 2);

        var error = (await Assert.ThrowsAsync<MigrationFailedException>(() => test.Runner.UpAsync()))!;

        Assert.That(error.FailedStep?.Step, Is.InstanceOf<CodeStep>().With.Property(nameof(CodeStep.Name)).EqualTo("check data"));
        Assert.That(error.FailedStep?.Number, Is.EqualTo(2));
        Assert.That(error.FailedStep?.Statement, Is.Null);
        Assert.That(error.FailedStep?.Line, Is.Null);
        Assert.That(error.PostgresError, Is.Null);
        Assert.That(error.InnerException, Is.InstanceOf<InvalidOperationException>());
    }

    public static class DiesInTransaction
    {
        public static int Attempts;

        [Migration(1)]
        public sealed class DiesOnce : Migration
        {
            public override void Up()
            {
                Execute("CREATE TABLE half (id int)");
                Execute(context => Interlocked.Increment(ref Attempts) == 1
                    ? context.Connection.ExecuteAsync("SELECT pg_terminate_backend(pg_backend_pid())", transaction: context.Transaction)
                    : Task.CompletedTask, "die the first time");
            }

            public override void Down() => Execute("DROP TABLE half");
        }
    }

    [Test]
    public async Task A_transactional_migration_whose_session_dies_leaves_no_trace_and_the_next_run_applies_it()
    {
        await using var test = await TestRunner.CreateAsync(typeof(DiesInTransaction));

        await Assert.ThrowsAsync<MigrationFailedException>(() => test.Runner.UpAsync());
        Assert.That(await test.TableExistsAsync("half"), Is.False);
        Assert.That(await test.AppliedVersionsAsync(), Is.Empty);

        await using var next = test.Sibling(typeof(DiesInTransaction));
        await next.Runner.UpAsync();
        Assert.That(await test.TableExistsAsync("half"), Is.True);
    }
}
