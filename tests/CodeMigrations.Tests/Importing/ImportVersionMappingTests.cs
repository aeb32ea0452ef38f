using CodeMigrations.Importing;

namespace CodeMigrations.Tests.Importing;

[Parallelizable(ParallelScope.All)]
public sealed class ImportVersionMappingTests
{
    private static (long?[] Versions, List<string> Problems) Map(params string[] versions)
    {
        var problems = new List<string>();
        var entries = versions.Select(v => new ImportVersionMapping.Entry(v, ImportVersionMapping.Components(v)!, $"V{v}__x.sql")).ToList();
        return (ImportVersionMapping.Map(entries, problems), problems);
    }

    [Test]
    public void Integer_versions_and_timestamps_are_kept_as_they_are()
    {
        var (versions, problems) = Map("20230915120000", "000042", "7");

        Assert.That(versions, Is.EqualTo(new long?[] { 20230915120000, 42, 7 }));
        Assert.That(problems, Is.Empty);
    }

    [Test]
    public void Dotted_versions_become_the_first_component_followed_by_each_further_one_in_four_digits()
    {
        var (versions, problems) = Map("1", "1.2", "1.2.10", "1_3", "2.0.1", "10");

        Assert.That(versions, Is.EqualTo(new long?[] { 1_0000_0000, 1_0002_0000, 1_0002_0010, 1_0003_0000, 2_0000_0001, 10_0000_0000 }));
        Assert.That(problems, Is.Empty);
    }

    [Test]
    public void The_mapping_keeps_flyway_order_for_any_two_versions()
    {
        string[] ordered = ["0.9", "1", "1.0.1", "1.1", "1.2", "1.2.1", "1.10", "2", "10.0.3", "10.1"];
        var (versions, _) = Map(ordered);

        Assert.That(versions, Is.Ordered.Ascending);
        for (var i = 1; i < ordered.Length; i++)
            Assert.That(ImportVersionMapping.Compare(ordered[i - 1], ordered[i]), Is.Negative, $"{ordered[i - 1]} < {ordered[i]}");
    }

    [Test]
    public void Version_0_becomes_1_when_1_is_free_and_is_refused_otherwise()
    {
        Assert.That(Map("00000000000000", "20240110080000").Versions, Is.EqualTo(new long?[] { 1, 20240110080000 }));

        var (versions, problems) = Map("0", "1");
        Assert.That(versions, Is.EqualTo(new long?[] { null, 1 }));
        Assert.That(problems, Is.EqualTo(new[] { "V0__x.sql: version 0 is 0, which CodeMigrations does not allow, and 1 is taken, so it cannot be mapped. Renumber it." }));
    }

    [Test]
    public void A_component_of_five_digits_or_a_result_beyond_a_long_is_refused()
    {
        var (versions, problems) = Map("1.10000", "922337203685478.1", "2");

        Assert.That(versions, Is.EqualTo(new long?[] { null, null, 2_0000 }));
        Assert.That(problems, Is.EqualTo(new[]
        {
            "V1.10000__x.sql: component '10000' of version 1.10000 has more than 4 digits, so the version cannot be mapped to one number in order. Renumber it.",
            "V922337203685478.1__x.sql: version 922337203685478.1 maps to 9223372036854780001, beyond the largest version CodeMigrations can store (9223372036854775807), " +
                "because the folder mixes large and dotted versions. Renumber it.",
        }));
    }

    [Test]
    public void Versions_that_meet_are_refused_naming_both()
    {
        var (versions, problems) = Map("1", "01", "2");

        Assert.That(versions, Is.EqualTo(new long?[] { null, null, 2 }));
        Assert.That(problems, Is.EqualTo(new[] { "V1__x.sql (version 1) and V01__x.sql (version 01) both become version 1: every migration needs its own version. Renumber one of them." }));
    }
}
