using CodeMigrations.Tests.Running;

namespace CodeMigrations.Tests.Safety;

/// <summary>
/// A SQL step with Dapper parameters is scripted with its values written in as typed literals: psql running the script
/// leaves the same rows and history as <c>up</c>.
/// </summary>
public sealed class ScriptParameterTests
{
    public enum Colour
    {
        Red = 1,
        Blue = 7,
    }

    public static class WithParameters
    {
        [Migration(1)]
        public sealed class Create : Migration
        {
            public override void Up() => Execute("""
                CREATE TABLE typed (
                    name text, missing text, small smallint, whole integer, big bigint, exact numeric, approx double precision, odd double precision,
                    flag boolean, id uuid, at_utc timestamptz, at_local timestamp, at_offset timestamptz, day date, clock time, span interval,
                    raw bytea, colour integer, numbers integer[], words text[], doc jsonb, letter text)
                """);

            public override void Down() => Execute("DROP TABLE typed");
        }

        [Migration(2)]
        public sealed class Insert : Migration
        {
            public override void Up() => Execute("""
                INSERT INTO typed VALUES (@name, @missing, @small, @whole, @big, @exact, @approx, @odd, @flag, @id, @atUtc, @atLocal, @atOffset,
                    @day, @clock, @span, @raw, @colour, @numbers, @words, @doc::jsonb, @letter);
                UPDATE typed SET missing = '@notAParameter' WHERE whole = @whole AND missing IS NULL
                """, new
            {
                name = "O'Brien \\ back'slash; DROP TABLE typed; --",
                missing = (string?)null,
                small = (short)-7,
                whole = 42,
                big = 9_007_199_254_740_993L,
                exact = 12345.678901234567890123m,
                approx = 0.1,
                odd = double.NaN,
                flag = true,
                id = Guid.Parse("6f9619ff-8b86-d011-b42d-00cf4fc964ff"),
                atUtc = new DateTime(2024, 1, 5, 9, 0, 0, 123, DateTimeKind.Utc).AddTicks(4567),
                atLocal = new DateTime(2024, 2, 29, 23, 59, 59, DateTimeKind.Unspecified),
                atOffset = new DateTimeOffset(2024, 3, 1, 12, 30, 0, TimeSpan.Zero),
                day = new DateOnly(1999, 12, 31),
                clock = new TimeOnly(13, 14, 15, 16),
                span = TimeSpan.FromHours(26.5),
                raw = new byte[] { 0, 1, 0xfe, 0xff },
                colour = Colour.Blue,
                numbers = new[] { 1, -2, 3 },
                words = new[] { "a'b", null, "c\\d" },
                doc = """{"k": [1, "two", null]}""",
                letter = 'x',
            });

            public override void Down() => Execute("DELETE FROM typed WHERE whole = @whole", new { whole = 42 });
        }
    }

    public sealed class Unwritable;

    public static class WithUnwritableParameter
    {
        [Migration(1)]
        public sealed class Insert : Migration
        {
            public override void Up() => Execute("SELECT @value", new { value = new Unwritable() });

            public override void Down() => Execute("SELECT 1");
        }
    }

    [Test]
    public async Task Parameters_are_written_as_typed_literals_and_psql_leaves_the_same_rows_and_history_as_up()
    {
        await using var scripted = await TestRunner.CreateAsync(typeof(WithParameters));
        await using var applied = await TestRunner.CreateAsync(typeof(WithParameters));

        var script = await scripted.Runner.ScriptAsync(MigrationDirection.Up, new MigrationScriptOptions { Idempotent = true });
        Assert.That(script.UnscriptableSteps, Is.Empty);
        await SafetyTests.RunPsqlAsync(scripted.ConnectionString, script.Sql);
        await SafetyTests.RunPsqlAsync(scripted.ConnectionString, script.Sql);
        await applied.Runner.UpAsync();

        const string Rows = "SELECT row_to_json(t)::text FROM typed t";
        var expected = await applied.QueryAsync<string>(Rows);
        Assert.That(expected, Has.Count.EqualTo(1));
        Assert.That(await scripted.QueryAsync<string>(Rows), Is.EqualTo(expected));
        Assert.That(script.Sql, Does.Contain("E'O''Brien \\\\ back''slash; DROP TABLE typed; --'::text").And.Contain("SET missing = '@notAParameter' WHERE whole = 42::integer"));
        const string History = "SELECT version, checksum, state FROM migration_history ORDER BY version";
        Assert.That(await scripted.QueryAsync<(long, string, string)>(History), Is.EqualTo(await applied.QueryAsync<(long, string, string)>(History)));
        Assert.That(await scripted.Runner.ValidateAsync(), Is.Empty);

        var down = await scripted.Runner.ScriptAsync(MigrationDirection.Down, new MigrationScriptOptions { Target = 1 });
        Assert.That(down.UnscriptableSteps, Is.Empty);
        await SafetyTests.RunPsqlAsync(scripted.ConnectionString, down.Sql);
        Assert.That(await scripted.QueryScalarAsync<long>("SELECT count(*) FROM typed"), Is.Zero);
    }

    [Test]
    public async Task A_parameter_without_a_faithful_literal_is_refused_naming_it()
    {
        await using var test = await TestRunner.CreateAsync(typeof(WithUnwritableParameter));

        var script = await test.Runner.ScriptAsync(MigrationDirection.Up, new MigrationScriptOptions());

        Assert.That(script.UnscriptableSteps, Has.Count.EqualTo(1));
        Assert.That(script.UnscriptableSteps[0], Does.Contain("parameter @value: a Unwritable has no literal"));
        Assert.That(script.Sql, Does.Contain("-- NOT SCRIPTED: 1 Insert step 1"));
    }
}
