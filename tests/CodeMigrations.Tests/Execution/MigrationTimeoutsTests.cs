using CodeMigrations.Execution;

namespace CodeMigrations.Tests.Execution;

public sealed class MigrationTimeoutsTests
{
    [TestCase("0")]
    [TestCase("500ms")]
    [TestCase("1.5s")]
    [TestCase("10min")]
    [TestCase("24d")]
    [TestCase("2147483647ms")]
    [TestCase("2147483647")]
    [TestCase("2147483s")]
    public void An_interval_PostgreSQL_accepts_is_valid(string value) =>
        Assert.That(MigrationTimeouts.IsValidInterval(value), Is.True);

    [TestCase("soon")]
    [TestCase("5s'; DROP TABLE users; --")]
    [TestCase("-1s")]
    [TestCase("2147483648ms")]
    [TestCase("2147484s")]
    [TestCase("25d")]
    [TestCase("99999999999s")]
    [TestCase("999999999999999999999999999999h")]
    public void An_interval_PostgreSQL_refuses_is_invalid(string value) =>
        Assert.That(MigrationTimeouts.IsValidInterval(value), Is.False);
}
