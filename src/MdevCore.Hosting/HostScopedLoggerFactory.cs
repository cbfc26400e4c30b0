using System.Collections;
using Microsoft.Extensions.Logging;

namespace MdevCore.Hosting;

/// <summary>The application's logger factory as one named host sees it: every record the host writes carries a scope
/// <c>MdevHost = name</c>, so the logs of several hosts in one application can be told apart (and filtered) by any provider
/// that records scopes.</summary>
/// <remarks>Not disposed with the host: the application owns the inner factory.</remarks>
internal sealed class HostScopedLoggerFactory(ILoggerFactory inner, string name) : ILoggerFactory
{
    private readonly HostLogScope _scope = new(name);

    public ILogger CreateLogger(string categoryName) => new ScopedLogger(inner.CreateLogger(categoryName), _scope);

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    public void Dispose()
    {
    }

    private sealed class ScopedLogger(ILogger inner, HostLogScope scope) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            using IDisposable? _ = inner.BeginScope(scope);
            inner.Log(logLevel, eventId, state, exception, formatter);
        }
    }
}

/// <summary>The scope of a named host's records: one property, <c>MdevHost</c>, the host's name; printed as <c>MdevHost:name</c>.</summary>
internal sealed class HostLogScope(string name) : IReadOnlyList<KeyValuePair<string, object?>>
{
    /// <summary>The scope property that names the host.</summary>
    public const string PropertyName = "MdevHost";

    private readonly KeyValuePair<string, object?> _property = new(PropertyName, name);

    public int Count => 1;

    public KeyValuePair<string, object?> this[int index] => index == 0 ? _property : throw new ArgumentOutOfRangeException(nameof(index));

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        yield return _property;
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => $"{PropertyName}:{_property.Value}";
}
