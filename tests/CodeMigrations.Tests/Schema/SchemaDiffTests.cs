using CodeMigrations.Schema;

namespace CodeMigrations.Tests.Schema;

[Parallelizable(ParallelScope.All)]
public sealed class SchemaDiffTests
{
    private const string Books = """
        CREATE TABLE books (id int PRIMARY KEY, title text NOT NULL, isbn text, price numeric DEFAULT 0);
        CREATE INDEX ix_books_title ON books (title);
        CREATE FUNCTION book_count() RETURNS bigint LANGUAGE plpgsql AS $$
        BEGIN
            RETURN (SELECT count(*) FROM books);
        END $$;
        """;

    [Test]
    public async Task Equal_schemas_have_no_difference()
    {
        Assert.That(SchemaDiff.Compare(await SchemaSnapshotTests.CaptureAsync(Books), await SchemaSnapshotTests.CaptureAsync(Books)), Is.Empty);
    }

    [Test]
    public async Task Each_difference_reads_as_a_sentence_naming_the_object()
    {
        var expected = await SchemaSnapshotTests.CaptureAsync(Books);
        var found = await SchemaSnapshotTests.CaptureAsync("""
            CREATE TABLE books (id int PRIMARY KEY, title text NOT NULL, price numeric, subtitle text);
            CREATE INDEX ix_books_price ON books (price);
            CREATE FUNCTION book_count() RETURNS bigint LANGUAGE plpgsql AS $$
            BEGIN
                RETURN (SELECT count(*) + 0 FROM books);
            END $$;
            """);

        var differences = SchemaDiff.Compare(expected, found);

        Assert.That(differences.Select(d => d.ToString()), Is.EqualTo(new[]
        {
            "column books.isbn is missing",
            "default of column books.price differs: expected 0, found none",
            "column books.subtitle exists but should not",
            "index ix_books_price exists but should not",
            "index ix_books_title is missing",
            "definition of function book_count() differs at line 6: expected `RETURN (SELECT count(*) FROM books);`, found `RETURN (SELECT count(*) + 0 FROM books);`",
        }));
        Assert.That(differences[1], Is.EqualTo(new SchemaDifference(SchemaDifferenceKind.Changed, SchemaObjectKind.Column, "books.price", "default", "0", null)));
    }

    [Test]
    public async Task A_table_missing_as_a_whole_is_one_difference_not_one_per_column_and_index()
    {
        var expected = await SchemaSnapshotTests.CaptureAsync(Books);
        var found = await SchemaSnapshotTests.CaptureAsync("""
            CREATE FUNCTION book_count() RETURNS bigint LANGUAGE plpgsql AS $$
            BEGIN
                RETURN (SELECT count(*) FROM books);
            END $$;
            """);

        Assert.That(SchemaDiff.Compare(expected, found).Select(d => d.ToString()), Is.EqualTo(new[] { "table books is missing" }));
        Assert.That(SchemaDiff.Compare(found, expected).Select(d => d.ToString()), Is.EqualTo(new[] { "table books exists but should not" }));
    }

    [Test]
    public async Task Enum_values_are_compared_by_label_and_place()
    {
        var expected = await SchemaSnapshotTests.CaptureAsync("CREATE TYPE mood AS ENUM ('sad', 'happy')");
        var found = await SchemaSnapshotTests.CaptureAsync("CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy')");

        Assert.That(SchemaDiff.Compare(expected, found).Select(d => d.ToString()), Is.EqualTo(new[]
        {
            "enum value mood.'ok' exists but should not",
            "position of enum value mood.'happy' differs: expected after 'sad', found after 'ok'",
        }));
    }
}
