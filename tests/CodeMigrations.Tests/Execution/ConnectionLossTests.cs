using CodeMigrations.Execution;
using Npgsql;

namespace CodeMigrations.Tests.Execution;

public sealed class ConnectionLossTests
{
    [Test]
    public void A_broken_stream_is_a_lost_connection() =>
        Assert.That(MigrationExecutor.IsConnectionLoss(new NpgsqlException("Exception while reading from stream", new EndOfStreamException())), Is.True);

    [Test]
    public void A_command_timeout_is_not_a_lost_connection() =>
        Assert.That(MigrationExecutor.IsConnectionLoss(new NpgsqlException("Exception while reading from stream", new TimeoutException())), Is.False);

    [Test]
    public void A_plain_error_is_not_a_lost_connection() =>
        Assert.That(MigrationExecutor.IsConnectionLoss(new InvalidOperationException("no")), Is.False);
}
