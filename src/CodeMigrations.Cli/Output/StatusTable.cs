using System.Text;

namespace CodeMigrations.Cli.Output;

/// <summary>Writes <c>status</c> as an aligned table, the failed marks' errors and hints under their rows, and a summary line.</summary>
internal static class StatusTable
{
    private static readonly string[] Headers = ["version", "name", "state", "applied_at", "duration"];

    public static void Write(CliConsole console, IReadOnlyList<MigrationStatus> lines)
    {
        if (lines.Count == 0)
        {
            console.WriteLine("No migrations: the assemblies hold none and the history table is empty or absent.");
            return;
        }

        var rows = new string[lines.Count][];
        var widths = Headers.Select(h => h.Length).ToArray();
        for (var i = 0; i < rows.Length; i++)
        {
            var l = lines[i];
            var row = rows[i] =
            [
                l.Version.ToString(System.Globalization.CultureInfo.InvariantCulture),
                OneLine.Of(l.Name),
                StateText(l.State),
                l.AppliedAt is { } at ? Durations.LocalTime(at) : "",
                l.ExecutionTime is { } time ? Durations.Format(time) : "",
            ];
            for (var c = 0; c < row.Length; c++)
                widths[c] = Math.Max(widths[c], row[c].Length);
        }

        console.WriteBuffered(output => Write(console, output, lines, rows, widths));
    }

    private static void Write(CliConsole console, TextWriter output, IReadOnlyList<MigrationStatus> lines, string[][] rows, int[] widths)
    {
        output.WriteLine(console.Paint(Join(Headers, widths), CliColour.Bold));
        var text = new StringBuilder();
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            var cells = rows[i];
            text.Clear();
            for (var c = 0; c < cells.Length; c++)
            {
                if (c > 0)
                    text.Append("  ");
                var cell = cells[c];
                var padding = c == cells.Length - 1 ? 0 : Math.Max(0, widths[c] - cell.Length);
                if (c == 2 && console.OutColour)
                    text.Append(console.Paint(cell.PadRight(widths[c]), StateColour(line.State)));
                else
                    text.Append(cell).Append(' ', padding);
            }

            // As TrimEnd: a row without duration (or applied_at) ends in padding.
            var length = text.Length;
            while (length > 0 && char.IsWhiteSpace(text[length - 1]))
                length--;
            text.Length = length;
            output.WriteLine(text);
            if (line.IrreversibleReason is { } reason)
                output.WriteLine($"{new string(' ', widths[0] + 2)}{console.Paint("irreversible:", CliColour.Yellow)} {OneLine.Of(reason)}; down cannot revert it");
            if (line.State is MigrationState.FailedUp or MigrationState.FailedDown)
            {
                var indent = new string(' ', widths[0] + 2);
                var what = line.State == MigrationState.FailedUp ? "applying" : "reverting";
                output.WriteLine($"{indent}{console.Paint("error:", CliColour.Red)} {line.Error ?? $"interrupted while {what} (the process stopped before it finished)"}");
                output.WriteLine($"{indent}It runs without a transaction, so its changes may be partly in place: complete or undo them by hand, then run " +
                    $"'resolve {line.Version} --applied' or 'resolve {line.Version} --not-applied'.");
            }
            else if (line.RunningIn is { } holder)
            {
                var indent = new string(' ', widths[0] + 2);
                var what = line.State == MigrationState.RunningUp ? "applied" : "reverted";
                output.WriteLine($"{indent}{console.Paint("running:", CliColour.Yellow)} being {what} now, without a transaction, by the run holding the migration lock ({OneLine.Of(holder.ToString())}). " +
                    "Leave it to finish; if that run is stuck, end its session, then resolve the migration.");
            }
        }

        output.WriteLine("");
        output.WriteLine(Summary(lines));
    }

    public static string StateText(MigrationState state) => state switch
    {
        MigrationState.Applied => "applied",
        MigrationState.Pending => "pending",
        MigrationState.Missing => "MISSING",
        MigrationState.FailedUp => "FAILED (up)",
        MigrationState.FailedDown => "FAILED (down)",
        MigrationState.RunningUp => "running (up)",
        MigrationState.RunningDown => "running (down)",
        _ => state.ToString(),
    };

    /// <summary>"3 applied, 2 pending." plus the missing and failed counts and what they mean, when there are any.</summary>
    public static string Summary(IReadOnlyList<MigrationStatus> lines)
    {
        var applied = lines.Count(l => l.State == MigrationState.Applied);
        var pending = lines.Count(l => l.State == MigrationState.Pending);
        var missing = lines.Count(l => l.State == MigrationState.Missing);
        var failed = lines.Count(l => l.State is MigrationState.FailedUp or MigrationState.FailedDown);
        var running = lines.Count(l => l.State is MigrationState.RunningUp or MigrationState.RunningDown);
        var text = new StringBuilder($"{applied} applied, {pending} pending");
        if (running > 0)
            text.Append($", {running} running");
        if (missing > 0)
            text.Append($", {missing} missing");
        if (failed > 0)
            text.Append($", {failed} failed");
        text.Append(pending == 0 && missing == 0 && failed == 0 && running == 0 ? ": the database is up to date." : ".");
        if (missing > 0)
            text.Append(Environment.NewLine).Append(missing == 1
                ? "MISSING: applied according to the history, but no class in the loaded assemblies has its version; down refuses to revert it."
                : "MISSING: applied according to the history, but no class in the loaded assemblies has their versions; down refuses to revert them.");
        if (failed > 0)
            text.Append(Environment.NewLine).Append("Every up and down is blocked until each FAILED migration is resolved (see above).");
        return text.ToString();
    }

    private static CliColour StateColour(MigrationState state) => state switch
    {
        MigrationState.Applied => CliColour.Green,
        MigrationState.Pending or MigrationState.RunningUp or MigrationState.RunningDown => CliColour.Yellow,
        _ => CliColour.Red,
    };

    private static string Join(string[] cells, int[] widths) =>
        string.Join("  ", cells.Select((c, i) => i == cells.Length - 1 ? c : c.PadRight(widths[i])));
}
