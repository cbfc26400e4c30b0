using System.Text;
using MdevCore.Cli.Output;
using MdevCore.DriverModel;

namespace MdevCore.Cli.Commands;

/// <summary>
/// <c>mdevsim run --uevents FILE</c>: every uevent of the run, as JSON lines in the shape of
/// <c>demo --json</c> (<see cref="UEventJson"/>), from the host's first event to its last.
/// </summary>
/// <remarks>
/// Opened by the server before anything under the temporary directory is hidden. Each line is flushed as
/// the event happens, so the file is complete up to the last event however the run ends.
/// Thread safety: events arrive on whichever thread raised them; lines are written one at a time.
/// </remarks>
internal sealed class RunUEventFile : IDisposable
{
    private readonly Lock _lock = new();
    private readonly StreamWriter _writer;
    private IDisposable? _subscription;
    private bool _closed;

    private RunUEventFile(StreamWriter writer) => _writer = writer;

    /// <summary>Creates (or truncates) <paramref name="path"/>, writes the events raised so far and follows the rest.</summary>
    /// <param name="uevents">The host's uevents.</param>
    /// <param name="path">The file.</param>
    /// <returns>The open log; dispose it to stop following and close the file.</returns>
    /// <exception cref="IOException">The file cannot be created.</exception>
    /// <exception cref="UnauthorizedAccessException">The file cannot be created.</exception>
    public static RunUEventFile Open(UEventLog uevents, string path)
    {
        var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read);
        var log = new RunUEventFile(new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)) { AutoFlush = true });
        // Nothing else touches the host yet (nothing is mounted), so no event falls between the two.
        foreach (UEvent e in uevents.Drain())
        {
            log.Write(e);
        }

        log._subscription = uevents.Subscribe(log.Write);
        return log;
    }

    /// <summary>Checks, before the namespace is set up, that <paramref name="path"/> can be written.</summary>
    /// <returns>One message line naming the path, or <see langword="null"/>.</returns>
    public static string? Problem(string path)
    {
        try
        {
            using var probe = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.ReadWrite);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"--uevents {path}: open: {e.Message}";
        }
    }

    private void Write(UEvent e)
    {
        lock (_lock)
        {
            if (!_closed)
            {
                _writer.WriteLine(UEventJson.ToLine(e));
            }
        }
    }

    /// <summary>Stops following the host and closes the file.</summary>
    public void Dispose()
    {
        _subscription?.Dispose();
        lock (_lock)
        {
            _closed = true;
            _writer.Dispose();
        }
    }
}
