using System.Diagnostics;
using System.Globalization;

namespace CodeMigrations.Benchmarks;

/// <summary>Runs a program as its own process and times it whole, start to exit, with its peak resident memory.</summary>
internal static class ProcessTimer
{
    private const string GnuTime = "/usr/bin/time";

    public sealed record Settings
    {
        public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(10);

        public string? WorkingDirectory { get; init; }

        /// <summary>
        /// Read the peak RSS: under <c>/usr/bin/time -f %M</c> when present (the kernel's own maximum, exact to the end), else by
        /// polling <c>/proc/&lt;pid&gt;/status</c> VmHWM. The timed process is the program itself (for <c>dotnet x.dll</c>,
        /// dotnet hosts the runtime in-process), so either way its RSS is the tool's.
        /// </summary>
        public bool MeasureMemory { get; init; } = true;

        public int KeepOutputLines { get; init; } = 20;

        public IReadOnlyDictionary<string, string?>? Environment { get; init; }
    }

    public sealed record Result(int ExitCode, TimeSpan Elapsed, long? PeakRssKb, int OutputLines, string OutputTail, string ErrorTail, bool TimedOut);

    public static async Task<Result> RunAsync(string fileName, IReadOnlyList<string> arguments, Settings settings,
        CancellationToken cancellationToken)
    {
        var underTime = settings.MeasureMemory && File.Exists(GnuTime);
        var rssFile = underTime ? Path.Combine(Path.GetTempPath(), "cm-bench-rss-" + Guid.NewGuid().ToString("N") + ".txt") : null;
        var start = new ProcessStartInfo(underTime ? GnuTime : fileName)
        {
            UseShellExecute = false,
            RedirectStandardInput = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = settings.WorkingDirectory ?? Directory.GetCurrentDirectory(),
        };
        if (underTime)
        {
            foreach (var arg in new[] { "-f", "%M", "-o", rssFile!, fileName })
                start.ArgumentList.Add(arg);
        }

        foreach (var arg in arguments)
            start.ArgumentList.Add(arg);
        if (settings.Environment is not null)
        {
            foreach (var (name, value) in settings.Environment)
            {
                if (value is null)
                    start.Environment.Remove(name);
                else
                    start.Environment[name] = value;
            }
        }

        var output = new Tail(settings.KeepOutputLines);
        var errors = new Tail(settings.KeepOutputLines);
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => output.Add(e.Data);
        process.ErrorDataReceived += (_, e) => errors.Add(e.Data);

        long polledPeak = 0;
        var stopwatch = Stopwatch.StartNew();
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var stopPolling = new CancellationTokenSource();
        var poller = settings.MeasureMemory && !underTime
            ? Task.Run(async () =>
            {
                while (!stopPolling.IsCancellationRequested)
                {
                    var hwm = ReadVmHwm(process.Id);
                    if (hwm > polledPeak)
                        Interlocked.Exchange(ref polledPeak, hwm);
                    try
                    {
                        await Task.Delay(5, stopPolling.Token);
                    }
                    catch (OperationCanceledException)
                    {
                        break;
                    }
                }
            }, CancellationToken.None)
            : Task.CompletedTask;

        var timedOut = false;
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            timeout.CancelAfter(settings.Timeout);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                timedOut = !cancellationToken.IsCancellationRequested;
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(CancellationToken.None);
            }
        }

        stopwatch.Stop();
        await stopPolling.CancelAsync();
        await poller;
        cancellationToken.ThrowIfCancellationRequested();

        long? peak = settings.MeasureMemory ? (polledPeak > 0 ? polledPeak : null) : null;
        if (rssFile is not null)
        {
            peak = ReadGnuTimeOutput(rssFile);
            File.Delete(rssFile);
        }

        return new Result(timedOut ? -1 : process.ExitCode, stopwatch.Elapsed, peak, output.Count, output.Text, errors.Text, timedOut);
    }

    private static long ReadVmHwm(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                    return long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture);
            }
        }
        catch (IOException)
        {
            // The process ended between two reads.
        }
        catch (UnauthorizedAccessException)
        {
        }

        return 0;
    }

    private static long? ReadGnuTimeOutput(string path)
    {
        // "Command exited with non-zero status N" may precede the figure; the figure is the last line.
        if (!File.Exists(path))
            return null;
        var last = File.ReadLines(path).LastOrDefault(l => !string.IsNullOrWhiteSpace(l));
        return long.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out var kb) ? kb : null;
    }

    /// <summary>Counts lines and keeps the last few.</summary>
    private sealed class Tail(int keep)
    {
        private readonly Queue<string> _lines = new();
        private readonly Lock _lock = new();
        private int _count;

        public int Count
        {
            get
            {
                lock (_lock)
                    return _count;
            }
        }

        public string Text
        {
            get
            {
                lock (_lock)
                    return string.Join('\n', _lines);
            }
        }

        public void Add(string? line)
        {
            if (line is null)
                return;
            lock (_lock)
            {
                _count++;
                _lines.Enqueue(line);
                while (_lines.Count > keep)
                    _lines.Dequeue();
            }
        }
    }
}
