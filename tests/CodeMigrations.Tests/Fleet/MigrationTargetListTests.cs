using CodeMigrations.Fleet;

namespace CodeMigrations.Tests.Fleet;

public sealed class MigrationTargetListTests
{
    [Test]
    public void Lines_are_connection_strings_or_named_ones_and_comments_and_blank_lines_are_ignored()
    {
        var targets = MigrationTargetList.Parse(
            "# tenants\n\nHost=db1;Port=5433;Database=t1;Username=u;Password=secret\r\n  tenant-2 = Host=db2;Database=t2;Username=u\n#Host=db3;Database=t3\n", "targets.txt");

        Assert.That(targets.Select(t => t.Label), Is.EqualTo(new[] { "db1:5433/t1", "tenant-2" }));
        Assert.That(targets[1].ConnectionString, Is.EqualTo("Host=db2;Database=t2;Username=u"));
        Assert.That(targets[0].Name, Is.Null);
    }

    [Test]
    public void A_malformed_line_is_named_by_its_number_without_echoing_its_password()
    {
        var error = Assert.Throws<MigrationTargetListException>(() =>
            MigrationTargetList.Parse("Host=db1;Database=t1\nHots=db2;Password=hunter2;Database=t2\n", "targets.txt"))!;

        Assert.That(error.Message, Does.StartWith("targets.txt, line 2: not a target"));
        Assert.That(error.Message, Does.Contain("hots").IgnoreCase);
        Assert.That(error.Message, Does.Not.Contain("hunter2"));
    }

    [Test]
    public void A_line_that_is_no_connection_string_at_all_is_refused()
    {
        var error = Assert.Throws<MigrationTargetListException>(() => MigrationTargetList.Parse("just some words", "list"))!;

        Assert.That(error.Message, Does.StartWith("list, line 1:"));
    }

    [Test]
    public void The_same_database_twice_is_refused()
    {
        var error = Assert.Throws<MigrationTargetListException>(() =>
            MigrationTargetList.Parse("Host=db1;Database=t1\na=Host=DB1;Database=t1;Password=x", "targets.txt"))!;

        Assert.That(error.Message, Does.Contain("line 2").And.Contain("line 1"));
        Assert.That(error.Message, Does.Not.Contain("Password"));
    }

    [Test]
    public void A_label_never_holds_the_password()
    {
        var target = new MigrationTarget("Host=h;Port=6000;Database=d;Username=u;Password=hunter2");

        Assert.That(target.Label, Is.EqualTo("h:6000/d"));
        Assert.That(target.ToString(), Does.Not.Contain("hunter2"));
    }
}
