using System.Diagnostics;

namespace MdevCore.Reliability.Stress;

/// <summary>
/// Notices workers that stop making progress: each worker beats before every operation, and a worker whose last beat is
/// older than the limit while it has not finished counts as hung (once), with the operation it was in.
/// </summary>
/// <param name="workers">How many workers beat.</param>
/// <param name="limit">How long one operation may take before it counts as a hang.</param>
public sealed class Watchdog(int workers, TimeSpan limit)
{
    private readonly long[] _beats = new long[workers];
    private readonly string?[] _operations = new string?[workers];
    private readonly bool[] _reported = new bool[workers];
    private readonly List<string> _hangs = [];

    /// <summary>The hangs seen so far.</summary>
    public IReadOnlyList<string> Hangs
    {
        get
        {
            lock (_hangs)
            {
                return [.. _hangs];
            }
        }
    }

    /// <summary>Worker <paramref name="worker"/> starts <paramref name="operation"/>; null when it has finished.</summary>
    /// <param name="worker">The worker's index.</param>
    /// <param name="operation">What it does now.</param>
    public void Beat(int worker, string? operation)
    {
        Volatile.Write(ref _operations[worker], operation);
        Volatile.Write(ref _beats[worker], Stopwatch.GetTimestamp());
    }

    /// <summary>Runs <paramref name="work"/> on the workers and watches them until all finish, or until every hung
    /// worker has been given <paramref name="giveUpAfter"/> past the limit (then the rest are abandoned).</summary>
    /// <param name="work">The body of worker <c>i</c>.</param>
    /// <param name="giveUpAfter">How long to wait for hung workers after reporting them.</param>
    /// <returns>Whether every worker finished.</returns>
    public bool Run(Action<int> work, TimeSpan giveUpAfter)
    {
        ArgumentNullException.ThrowIfNull(work);
        for (int i = 0; i < _beats.Length; i++)
        {
            Beat(i, "starting");
        }

        Thread[] threads = [.. Enumerable.Range(0, _beats.Length).Select(i => new Thread(() => work(i)) { IsBackground = true, Name = "stress-" + i })];
        foreach (Thread thread in threads)
        {
            thread.Start();
        }

        long? hungSince = null;
        while (true)
        {
            if (threads.All(t => t.Join(TimeSpan.FromMilliseconds(100))))
            {
                return true;
            }

            if (Scan() && hungSince is null)
            {
                hungSince = Stopwatch.GetTimestamp();
            }

            if (hungSince is { } since && Stopwatch.GetElapsedTime(since) > giveUpAfter)
            {
                return false;
            }
        }
    }

    private bool Scan()
    {
        bool any = false;
        for (int i = 0; i < _beats.Length; i++)
        {
            string? operation = Volatile.Read(ref _operations[i]);
            if (operation is not null && !_reported[i] && Stopwatch.GetElapsedTime(Volatile.Read(ref _beats[i])) > limit)
            {
                _reported[i] = true;
                any = true;
                lock (_hangs)
                {
                    _hangs.Add($"worker {i} made no progress for {limit.TotalSeconds:0} s in {operation}");
                }
            }
        }

        return any;
    }
}
