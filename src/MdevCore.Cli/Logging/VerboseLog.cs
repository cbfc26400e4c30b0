using MdevCore.DriverModel;
using Microsoft.Extensions.Logging;

namespace MdevCore.Cli.Logging;

/// <summary>
/// What <c>-v</c>/<c>--verbose</c> prints to standard error: every log message of the host from Debug up
/// (parent registration, create, remove, failures) and every uevent, one line each, as they happen.
/// </summary>
/// <remarks>Lines are written synchronously, so they interleave with a command's own output in the order things happened.
/// Format: <c>mdevsim: debug: MDEV: created 83b8f4f2-… of type mtty-2</c> and
/// <c>mdevsim: uevent 3: add /devices/virtual/mtty/mtty/83b8f4f2-… SUBSYSTEM=mdev MDEV_TYPE=… </c>.</remarks>
internal sealed class VerboseLog(TextWriter writer) : ILoggerFactory, ILoggerProvider
{
    private readonly Lock _lock = new();

    /// <summary>Prints every uevent of <paramref name="host"/> from now on.</summary>
    /// <param name="host">The host.</param>
    /// <returns>The subscription.</returns>
    public IDisposable Follow(MdevHost host) => host.UEvents.Subscribe(Write);

    /// <inheritdoc/>
    public ILogger CreateLogger(string categoryName) => new Logger(this);

    /// <inheritdoc/>
    public void AddProvider(ILoggerProvider provider)
    {
    }

    /// <inheritdoc/>
    public void Dispose()
    {
    }

    private void Write(UEvent e)
    {
        IEnumerable<string> variables = e.Environment
            .Where(p => p.Key is not ("ACTION" or "DEVPATH" or "SEQNUM"))
            .Select(p => p.Key + "=" + p.Value);
        WriteLine($"uevent {e.SequenceNumber}: {e.Action.ToKernelString()} {e.DevPath} {string.Join(' ', variables)}".TrimEnd());
    }

    private void WriteLine(string line)
    {
        lock (_lock)
        {
            writer.WriteLine("mdevsim: " + line);
        }
    }

    private sealed class Logger(VerboseLog log) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug && logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            string level = logLevel switch
            {
                LogLevel.Debug => "debug",
                LogLevel.Information => "info",
                LogLevel.Warning => "warning",
                LogLevel.Error => "error",
                _ => "critical",
            };
            log.WriteLine($"{level}: {formatter(state, exception)}{(exception is null ? "" : " (" + exception.GetType().Name + ": " + exception.Message + ")")}");
        }
    }
}
