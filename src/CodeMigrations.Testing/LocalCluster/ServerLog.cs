namespace CodeMigrations.Testing.LocalCluster;

/// <summary>Reads the server's log file for error messages: what one start attempt wrote, and its last lines.</summary>
internal static class ServerLog
{
    /// <summary>The log's current length, where the next attempt's lines begin; 0 when there is no log yet.</summary>
    public static long LengthOf(string file)
    {
        try
        {
            return File.Exists(file) ? new FileInfo(file).Length : 0;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    /// <summary>What the log holds from <paramref name="offset"/> on, or why it could not be read.</summary>
    public static string ReadFrom(string file, long offset)
    {
        try
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            stream.Seek(Math.Min(offset, stream.Length), SeekOrigin.Begin);
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"(could not read {file}: {e.Message})";
        }
    }

    /// <summary>The last <paramref name="lines"/> lines of <paramref name="text"/>.</summary>
    public static string Tail(string text, int lines)
    {
        var all = text.TrimEnd().Split('\n');
        return string.Join('\n', all.Skip(Math.Max(0, all.Length - lines)));
    }
}
