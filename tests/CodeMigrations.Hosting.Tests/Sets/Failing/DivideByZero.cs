namespace CodeMigrations.Hosting.Tests.Sets.Failing;

/// <summary>Fails with SQLSTATE 22012 after the two tables of the set before it.</summary>
[Migration(3)]
public sealed class DivideByZero : Migration
{
    public override void Up() => Execute("SELECT 1/0");

    public override void Down() => Execute("SELECT 1");
}
