using CodeMigrations.Testing;
using Npgsql;
using NUnit.Framework;
using static CodeMigrations.Tests.Testing.Queries;

namespace CodeMigrations.Tests.Testing;

[Parallelizable(ParallelScope.All)]
public sealed class LocalPostgresClusterTests
{
    private static readonly LocalClusterOptions Fast = new() { Fsync = false };

    [Test]
    public async Task A_throwaway_cluster_listens_on_localhost_and_is_removed_on_dispose()
    {
        var cluster = await LocalPostgresCluster.StartTemporaryAsync(Fast);
        var folder = Path.GetDirectoryName(cluster.DataDirectory)!;
        try
        {
            Assert.That(cluster.ConnectionString, Is.EqualTo($"Host=127.0.0.1;Port={cluster.Port};Username=postgres;Database=postgres"));
            Assert.That(cluster.Version, Does.Match(@"^\d+$"));
            Assert.That(await ScalarAsync<string>(cluster.ConnectionString, "SHOW fsync"), Is.EqualTo("off"));
            Assert.That(await ScalarAsync<string>(cluster.ConnectionString, "SHOW listen_addresses"), Is.EqualTo("127.0.0.1"));
            Assert.That(Directory.Exists(folder), Is.True);
        }
        finally
        {
            await cluster.DisposeAsync();
        }

        Assert.That(Directory.Exists(folder), Is.False);
    }

    [Test]
    public async Task A_persistent_cluster_keeps_its_data_across_stop_and_start_and_a_running_one_is_reused()
    {
        var parent = Path.Combine("/tmp", "codemigrations-test-" + Guid.NewGuid().ToString("N")[..8]);
        var dataDirectory = Path.Combine(parent, "cluster");
        try
        {
            int firstPort;
            await using (var first = await LocalPostgresCluster.StartPersistentAsync(dataDirectory, Fast))
            {
                firstPort = first.Port;
                Assert.That(first.DataDirectory, Is.EqualTo(dataDirectory));
                Assert.That(first.OwnsServer, Is.True);
                await ExecuteAsync(first.ConnectionString, "CREATE TABLE kept (value text); INSERT INTO kept VALUES ('still here')");

                // A second command on the same folder while it runs: same server, and leaving does not stop it.
                await using (var second = await LocalPostgresCluster.StartPersistentAsync(dataDirectory, Fast))
                {
                    Assert.That(second.Port, Is.EqualTo(first.Port));
                    Assert.That(second.OwnsServer, Is.False);
                }

                Assert.That(await ScalarAsync<string>(first.ConnectionString, "SELECT value FROM kept"), Is.EqualTo("still here"));
            }

            Assert.That(File.Exists(Path.Combine(dataDirectory, "postmaster.pid")), Is.False, "stopped on dispose");
            await Assert.ThrowsAsync(Is.InstanceOf<NpgsqlException>(), async () =>
                await ScalarAsync<int>($"Host=127.0.0.1;Port={firstPort};Username=postgres;Timeout=2", "SELECT 1"));

            await using (var again = await LocalPostgresCluster.StartPersistentAsync(dataDirectory, Fast))
            {
                Assert.That(again.OwnsServer, Is.True);
                Assert.That(await ScalarAsync<string>(again.ConnectionString, "SELECT value FROM kept"), Is.EqualTo("still here"));
            }
        }
        finally
        {
            if (Directory.Exists(parent))
            {
                Directory.Delete(parent, recursive: true);
            }
        }
    }

    [Test]
    public async Task A_persistent_cluster_in_a_folder_the_server_user_cannot_reach_lives_under_var_tmp_instead()
    {
        var privateParent = Directory.CreateTempSubdirectory("codemigrations-private-"); // mode 700: closed to the postgres user
        var requested = Path.Combine(privateParent.FullName, "cluster");
        LocalPostgresCluster? cluster = null;
        try
        {
            cluster = await LocalPostgresCluster.StartPersistentAsync(requested, Fast);

            if (Environment.IsPrivilegedProcess)
            {
                Assert.That(cluster.DataDirectory, Does.StartWith("/var/tmp/codemigrations/"));
            }
            else
            {
                Assert.That(cluster.DataDirectory, Is.EqualTo(requested), "a regular user runs the server itself and reaches its own folders");
            }

            Assert.That(await ScalarAsync<int>(cluster.ConnectionString, "SELECT 1"), Is.EqualTo(1));
        }
        finally
        {
            if (cluster is not null)
            {
                await cluster.DisposeAsync();
                if (Directory.Exists(cluster.DataDirectory))
                {
                    Directory.Delete(cluster.DataDirectory, recursive: true);
                }
            }

            privateParent.Delete(recursive: true);
        }
    }

    [Test]
    public void Binaries_named_explicitly_are_the_only_ones_considered()
    {
        Assert.That(LocalPostgresCluster.FindBinaries("/nonexistent/codemigrations-bin"), Is.Null);
    }
}
