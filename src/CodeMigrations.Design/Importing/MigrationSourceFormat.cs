namespace CodeMigrations.Importing;

/// <summary>The folder layouts of other tools that <c>import</c> reads (see <see cref="MigrationSourceReader"/>).</summary>
public enum MigrationSourceFormat
{
    /// <summary>
    /// <c>updown</c>: one <c>.sql</c> file per migration, <c>VERSION_name.sql</c> (letters may precede the number:
    /// <c>Script0001 - Create tables.sql</c>), with <c>-- Up</c> and <c>-- Down</c> marker lines; a file without markers is
    /// all Up.
    /// </summary>
    UpDown,

    /// <summary><c>golang-migrate</c>: <c>VERSION_name.up.sql</c> and <c>VERSION_name.down.sql</c>.</summary>
    GolangMigrate,

    /// <summary><c>dbmate</c>: <c>VERSION_name.sql</c> with <c>-- migrate:up</c> and <c>-- migrate:down</c> lines.</summary>
    Dbmate,

    /// <summary><c>diesel</c>: folders <c>VERSION_name/</c> (version like <c>2023-09-15-120000</c>) holding <c>up.sql</c> and <c>down.sql</c>.</summary>
    Diesel,

    /// <summary>
    /// <c>flyway</c>: <c>V1__name.sql</c>, <c>V1.2__name.sql</c> (any folder depth), with <c>U1__name.sql</c> as the Down
    /// where present. Repeatable (<c>R__</c>), baseline (<c>B</c>) and callback files are reported as unsupported.
    /// </summary>
    Flyway,
}

/// <summary>The command-line names of <see cref="MigrationSourceFormat"/>: <c>updown</c>, <c>golang-migrate</c>, <c>dbmate</c>, <c>diesel</c>, <c>flyway</c>.</summary>
public static class MigrationSourceFormats
{
    private static readonly (string Name, MigrationSourceFormat Format)[] Names =
    [
        ("updown", MigrationSourceFormat.UpDown),
        ("golang-migrate", MigrationSourceFormat.GolangMigrate),
        ("dbmate", MigrationSourceFormat.Dbmate),
        ("diesel", MigrationSourceFormat.Diesel),
        ("flyway", MigrationSourceFormat.Flyway),
    ];

    /// <summary>Every format's name, in the order help text lists them.</summary>
    public static IReadOnlyList<string> All { get; } = Names.Select(n => n.Name).ToArray();

    /// <summary>The command-line name of <paramref name="format"/>, e.g. <c>golang-migrate</c>.</summary>
    public static string NameOf(MigrationSourceFormat format) =>
        Names.FirstOrDefault(n => n.Format == format).Name ?? throw new ArgumentOutOfRangeException(nameof(format), format, null);

    /// <summary>The format called <paramref name="name"/> (case-insensitive; <c>golang</c> and <c>migrate</c> name golang-migrate).</summary>
    /// <exception cref="MigrationImportException">No format has that name; the message lists the formats.</exception>
    public static MigrationSourceFormat Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var wanted = name.Trim().ToLowerInvariant();
        if (wanted is "golang" or "migrate" or "golang_migrate")
            wanted = "golang-migrate";
        foreach (var (known, format) in Names)
        {
            if (known == wanted)
                return format;
        }

        throw new MigrationImportException($"'{name}' is not a format import can read: use one of {string.Join(", ", All)}.");
    }
}
