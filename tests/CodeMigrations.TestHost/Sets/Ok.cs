using Dapper;

namespace CodeMigrations.TestHost.Sets.Ok;

// side_effects gets one row per migration run: two runners applying one migration would show as two rows.

[Migration(101)]
public sealed class CreateSideEffects : Migration
{
    public override void Up() => Execute("""
        CREATE TABLE side_effects (version bigint NOT NULL, at timestamptz NOT NULL DEFAULT clock_timestamp());
        INSERT INTO side_effects (version) VALUES (101);
        """);

    public override void Down() => Execute("DROP TABLE side_effects");
}

[Migration(102, Description = "Create notes")]
public sealed class CreateNotes : Migration
{
    public override void Up() => Execute("""
        CREATE TABLE notes (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, body text NOT NULL);
        INSERT INTO side_effects (version) VALUES (102);
        SELECT pg_sleep(0.05);
        """);

    public override void Down() => Execute("DROP TABLE notes; DELETE FROM side_effects WHERE version = 102");
}

[Migration(103)]
public sealed class SeedNotes : Migration
{
    private readonly INoteSource _notes;

    public SeedNotes(INoteSource notes) => _notes = notes;

    public override void Up()
    {
        Execute(async context =>
        {
            foreach (var note in _notes.Notes)
            {
                await context.Connection.ExecuteAsync(new CommandDefinition(
                    "INSERT INTO notes (body) VALUES (@note)", new { note }, context.Transaction, cancellationToken: context.CancellationToken));
            }
        }, "insert the notes");
        Execute("INSERT INTO side_effects (version) VALUES (103)");
    }

    public override void Down() => Execute("DELETE FROM notes; DELETE FROM side_effects WHERE version = 103");
}
