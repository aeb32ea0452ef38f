using Dapper;

namespace CodeMigrations.TestHost.Sets.Pooled;

// 1001-1030 for runners through a connection pooler: each creates a table (a second run of it fails with 42P07) and
// records itself in pooled_effects (a second run of it shows as a second row). pooled-nontransactional adds 1031.

[Migration(1001)]
public sealed class Pooled1001 : Migration
{
    public override void Up() => Execute("""
        CREATE TABLE pooled_effects (version bigint NOT NULL, backend int NOT NULL DEFAULT pg_backend_pid());
        INSERT INTO pooled_effects (version) VALUES (1001);
        """);

    public override void Down() => Execute("DROP TABLE pooled_effects");
}

[Migration(1002)]
public sealed class Pooled1002 : Migration
{
    public override void Up() => Execute("""
        CREATE TABLE pooled_1002 (id int PRIMARY KEY);
        INSERT INTO pooled_effects (version) VALUES (1002);
        """);

    public override void Down() => Execute("DROP TABLE pooled_1002; DELETE FROM pooled_effects WHERE version = 1002");
}

[Migration(1003)]
public sealed class Pooled1003 : Migration
{
    public override void Up() => Execute("""
        CREATE TABLE pooled_1003 (id int PRIMARY KEY);
        INSERT INTO pooled_effects (version) VALUES (1003);
        """);

    public override void Down() => Execute("DROP TABLE pooled_1003; DELETE FROM pooled_effects WHERE version = 1003");
}

[Migration(1004)]
public sealed class Pooled1004 : Migration
{
    public override void Up() => Execute("""
        CREATE TABLE pooled_1004 (id int PRIMARY KEY);
        INSERT INTO pooled_effects (version) VALUES (1004);
        """);

    public override void Down() => Execute("DROP TABLE pooled_1004; DELETE FROM pooled_effects WHERE version = 1004");
}

[Migration(1005)]
public sealed class Pooled1005 : Migration
{
    public override void Up()
    {
        Execute("CREATE TABLE pooled_1005 (id int PRIMARY KEY)");
        Execute(async context => await context.Connection.ExecuteAsync(new CommandDefinition("INSERT INTO pooled_effects (version) VALUES (1005)", null, context.Transaction, cancellationToken: context.CancellationToken)));
    }

    public override void Down() => Execute("DROP TABLE pooled_1005; DELETE FROM pooled_effects WHERE version = 1005");
}

[Migration(1006)]
public sealed class Pooled1006 : Migration
{
    public override void Up() => Execute("""
        CREATE TABLE pooled_1006 (id int PRIMARY KEY);
        INSERT INTO pooled_effects (version) VALUES (1006);
        """);

    public override void Down() => Execute("DROP TABLE pooled_1006; DELETE FROM pooled_effects WHERE version = 1006");
}

[Migration(1007)]
public sealed class Pooled1007 : Migration
{
    public override void Up() => Execute("""
        CREATE TABLE pooled_1007 (id int PRIMARY KEY);
        INSERT INTO pooled_effects (version) VALUES (1007);
        """);

    public override void Down() => Execute("DROP TABLE pooled_1007; DELETE FROM pooled_effects WHERE version = 1007");
}

[Migration(1008)]
public sealed class Pooled1008 : Migration
{
    public override void Up() => Execute("""
        CREATE TABLE pooled_1008 (id int PRIMARY KEY);
        INSERT INTO pooled_effects (version) VALUES (1008);
        """);

    public override void Down() => Execute("DROP TABLE pooled_1008; DELETE FROM pooled_effects WHERE version = 1008");
}

[Migration(1009)]
public sealed class Pooled1009 : Migration
{
    public override void Up() => Execute("""
        CREATE TABLE pooled_1009 (id int PRIMARY KEY);
        INSERT INTO pooled_effects (version) VALUES (1009);
        """);

    public override void Down() => Execute("DROP TABLE pooled_1009; DELETE FROM pooled_effects WHERE version = 1009");
}

[Migration(1010)]
public sealed class Pooled1010 : Migration
{
    public override void Up()
    {
        Execute("CREATE TABLE pooled_1010 (id int PRIMARY KEY)");
        Execute(async context => await context.Connection.ExecuteAsync(new CommandDefinition("INSERT INTO pooled_effects (version) VALUES (1010)", null, context.Transaction, cancellationToken: context.CancellationToken)));
    }

    public override void Down() => Execute("DROP TABLE pooled_1010; DELETE FROM pooled_effects WHERE version = 1010");
}

[Migration(1011)]
public sealed class Pooled1011 : Migration
{
    public override void Up() => Execute("""
        CREATE TABLE pooled_1011 (id int PRIMARY KEY);
        INSERT INTO pooled_effects (version) VALUES (1011);
        """);

    public override void Down() => Execute("DROP TABLE pooled_1011; DELETE FROM pooled_effects WHERE version = 1011");
}

[Migration(1012)]
public sealed class Pooled1012 : Migration
{
    public override void Up() => Execute("""
        CREATE TABLE pooled_1012 (id int PRIMARY KEY);
        INSERT INTO pooled_effects (version) VALUES (1012);
        """);

    public override void Down() => Execute("DROP TABLE pooled_1012; DELETE FROM pooled_effects WHERE version = 1012");
}

[Migration(1013)]
public sealed class Pooled1013 : Migration
{
    public override void Up() => Execute("""
        CREATE TABLE pooled_1013 (id int PRIMARY KEY);
        INSERT INTO pooled_effects (version) VALUES (1013);
        """);

    public override void Down() => Execute("DROP TABLE pooled_1013; DELETE FROM pooled_effects WHERE version = 1013");
}

[Migration(1014)]
public sealed class Pooled1014 : Migration
{
    public override void Up() => Execute("""
        CREATE TABLE pooled_1014 (id int PRIMARY KEY);
        INSERT INTO pooled_effects (version) VALUES (1014);
        """);

    public override void Down() => Execute("DROP TABLE pooled_1014; DELETE FROM pooled_effects WHERE version = 1014");
}

[Migration(1015)]
public sealed class Pooled1015 : Migration
{
    public override void Up()
    {
        Execute("CREATE TABLE pooled_1015 (id int PRIMARY KEY)");
        Execute(async context => await context.Connection.ExecuteAsync(new CommandDefinition("INSERT INTO pooled_effects (version) VALUES (1015)", null, context.Transaction, cancellationToken: context.CancellationToken)));
    }

    public override void Down() => Execute("DROP TABLE pooled_1015; DELETE FROM pooled_effects WHERE version = 1015");
}

[Migration(1016)]
public sealed class Pooled1016 : Migration
{
    public override void Up() => Execute("""
        CREATE TABLE pooled_1016 (id int PRIMARY KEY);
        INSERT INTO pooled_effects (version) VALUES (1016);
        """);

    public override void Down() => Execute("DROP TABLE pooled_1016; DELETE FROM pooled_effects WHERE version = 1016");
}

[Migration(1017)]
public sealed class Pooled1017 : Migration
{
    public override void Up() => Execute("""
        CREATE TABLE pooled_1017 (id int PRIMARY KEY);
        INSERT INTO pooled_effects (version) VALUES (1017);
        """);

    public override void Down() => Execute("DROP TABLE pooled_1017; DELETE FROM pooled_effects WHERE version = 1017");
}

[Migration(1018)]
public sealed class Pooled1018 : Migration
{
    public override void Up() => Execute("""
        CREATE TABLE pooled_1018 (id int PRIMARY KEY);
        INSERT INTO pooled_effects (version) VALUES (1018);
        """);

    public override void Down() => Execute("DROP TABLE pooled_1018; DELETE FROM pooled_effects WHERE version = 1018");
}

[Migration(1019)]
public sealed class Pooled1019 : Migration
{
    public override void Up() => Execute("""
        CREATE TABLE pooled_1019 (id int PRIMARY KEY);
        INSERT INTO pooled_effects (version) VALUES (1019);
        """);

    public override void Down() => Execute("DROP TABLE pooled_1019; DELETE FROM pooled_effects WHERE version = 1019");
}

[Migration(1020)]
public sealed class Pooled1020 : Migration
{
    public override void Up()
    {
        Execute("CREATE TABLE pooled_1020 (id int PRIMARY KEY)");
        Execute(async context => await context.Connection.ExecuteAsync(new CommandDefinition("INSERT INTO pooled_effects (version) VALUES (1020)", null, context.Transaction, cancellationToken: context.CancellationToken)));
    }

    public override void Down() => Execute("DROP TABLE pooled_1020; DELETE FROM pooled_effects WHERE version = 1020");
}

[Migration(1021)]
public sealed class Pooled1021 : Migration
{
    public override void Up() => Execute("""
        CREATE TABLE pooled_1021 (id int PRIMARY KEY);
        INSERT INTO pooled_effects (version) VALUES (1021);
        """);

    public override void Down() => Execute("DROP TABLE pooled_1021; DELETE FROM pooled_effects WHERE version = 1021");
}

[Migration(1022)]
public sealed class Pooled1022 : Migration
{
    public override void Up() => Execute("""
        CREATE TABLE pooled_1022 (id int PRIMARY KEY);
        INSERT INTO pooled_effects (version) VALUES (1022);
        """);

    public override void Down() => Execute("DROP TABLE pooled_1022; DELETE FROM pooled_effects WHERE version = 1022");
}

[Migration(1023)]
public sealed class Pooled1023 : Migration
{
    public override void Up() => Execute("""
        CREATE TABLE pooled_1023 (id int PRIMARY KEY);
        INSERT INTO pooled_effects (version) VALUES (1023);
        """);

    public override void Down() => Execute("DROP TABLE pooled_1023; DELETE FROM pooled_effects WHERE version = 1023");
}

[Migration(1024)]
public sealed class Pooled1024 : Migration
{
    public override void Up() => Execute("""
        CREATE TABLE pooled_1024 (id int PRIMARY KEY);
        INSERT INTO pooled_effects (version) VALUES (1024);
        """);

    public override void Down() => Execute("DROP TABLE pooled_1024; DELETE FROM pooled_effects WHERE version = 1024");
}

[Migration(1025)]
public sealed class Pooled1025 : Migration
{
    public override void Up()
    {
        Execute("CREATE TABLE pooled_1025 (id int PRIMARY KEY)");
        Execute(async context => await context.Connection.ExecuteAsync(new CommandDefinition("INSERT INTO pooled_effects (version) VALUES (1025)", null, context.Transaction, cancellationToken: context.CancellationToken)));
    }

    public override void Down() => Execute("DROP TABLE pooled_1025; DELETE FROM pooled_effects WHERE version = 1025");
}

[Migration(1026)]
public sealed class Pooled1026 : Migration
{
    public override void Up() => Execute("""
        CREATE TABLE pooled_1026 (id int PRIMARY KEY);
        INSERT INTO pooled_effects (version) VALUES (1026);
        """);

    public override void Down() => Execute("DROP TABLE pooled_1026; DELETE FROM pooled_effects WHERE version = 1026");
}

[Migration(1027)]
public sealed class Pooled1027 : Migration
{
    public override void Up() => Execute("""
        CREATE TABLE pooled_1027 (id int PRIMARY KEY);
        INSERT INTO pooled_effects (version) VALUES (1027);
        """);

    public override void Down() => Execute("DROP TABLE pooled_1027; DELETE FROM pooled_effects WHERE version = 1027");
}

[Migration(1028)]
public sealed class Pooled1028 : Migration
{
    public override void Up() => Execute("""
        CREATE TABLE pooled_1028 (id int PRIMARY KEY);
        INSERT INTO pooled_effects (version) VALUES (1028);
        """);

    public override void Down() => Execute("DROP TABLE pooled_1028; DELETE FROM pooled_effects WHERE version = 1028");
}

[Migration(1029)]
public sealed class Pooled1029 : Migration
{
    public override void Up() => Execute("""
        CREATE TABLE pooled_1029 (id int PRIMARY KEY);
        INSERT INTO pooled_effects (version) VALUES (1029);
        """);

    public override void Down() => Execute("DROP TABLE pooled_1029; DELETE FROM pooled_effects WHERE version = 1029");
}

[Migration(1030)]
public sealed class Pooled1030 : Migration
{
    public override void Up()
    {
        Execute("CREATE TABLE pooled_1030 (id int PRIMARY KEY)");
        Execute(async context => await context.Connection.ExecuteAsync(new CommandDefinition("INSERT INTO pooled_effects (version) VALUES (1030)", null, context.Transaction, cancellationToken: context.CancellationToken)));
    }

    public override void Down() => Execute("DROP TABLE pooled_1030; DELETE FROM pooled_effects WHERE version = 1030");
}
