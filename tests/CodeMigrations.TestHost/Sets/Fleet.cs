namespace CodeMigrations.TestHost.Sets.Fleet;

// Five small migrations for fleets of databases; 803 fails on a database holding a table named fleet_poison.

[Migration(801)]
public sealed class CreateTenants : Migration
{
    public override void Up() => Execute("CREATE TABLE fleet_tenants (id int PRIMARY KEY)");

    public override void Down() => Execute("DROP TABLE fleet_tenants");
}

[Migration(802)]
public sealed class CreateUsers : Migration
{
    public override void Up() => Execute("CREATE TABLE fleet_users (id int PRIMARY KEY, tenant int REFERENCES fleet_tenants)");

    public override void Down() => Execute("DROP TABLE fleet_users");
}

[Migration(803)]
public sealed class FailsWherePoisoned : Migration
{
    public override void Up() => Execute("""
        DO $$ BEGIN
          IF to_regclass('fleet_poison') IS NOT NULL THEN RAISE EXCEPTION 'this database holds fleet_poison'; END IF;
        END $$;
        CREATE TABLE fleet_orders (id int PRIMARY KEY);
        """);

    public override void Down() => Execute("DROP TABLE fleet_orders");
}

[Migration(804)]
public sealed class IndexUsers : Migration
{
    public override void Up() => Execute("CREATE INDEX fleet_users_tenant ON fleet_users (tenant)");

    public override void Down() => Execute("DROP INDEX fleet_users_tenant");
}

[Migration(805)]
public sealed class AddEmail : Migration
{
    public override void Up() => Execute("ALTER TABLE fleet_users ADD COLUMN email text");

    public override void Down() => Execute("ALTER TABLE fleet_users DROP COLUMN email");
}
