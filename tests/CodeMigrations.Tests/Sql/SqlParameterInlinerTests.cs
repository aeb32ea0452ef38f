using CodeMigrations.Sql;

namespace CodeMigrations.Tests.Sql;

public sealed class SqlParameterInlinerTests
{
    [Test]
    public void Only_parameters_outside_strings_identifiers_comments_and_operators_are_written_in()
    {
        const string Sql = "SELECT '{1}'::int[] @> ARRAY[@x], '@x', \"@x\", $$ @x $$ /* @x */ -- @x\n, @X";

        var inlined = SqlParameterInliner.TryInline(Sql, new { x = 5 }, out var problem);

        Assert.That(problem, Is.Null);
        Assert.That(inlined, Is.EqualTo("SELECT '{1}'::int[] @> ARRAY[5::integer], '@x', \"@x\", $$ @x $$ /* @x */ -- @x\n, 5::integer"));
    }

    [Test]
    public void A_parameter_the_sql_never_names_or_a_name_without_a_value_is_refused()
    {
        Assert.That(SqlParameterInliner.TryInline("SELECT :x", new { x = 1 }, out var unused), Is.Null);
        Assert.That(unused, Does.Contain("parameter x is not written as @x"));
        Assert.That(SqlParameterInliner.TryInline("SELECT @y", new { x = 1 }, out var missing), Is.Null);
        Assert.That(missing, Does.Contain("names @y, which its parameters do not hold"));
    }

    [Test]
    public void A_dictionary_of_values_is_read_too() =>
        Assert.That(SqlParameterInliner.TryInline("SELECT @a", new Dictionary<string, object?> { ["a"] = "it's" }, out _), Is.EqualTo("SELECT 'it''s'::text"));
}
