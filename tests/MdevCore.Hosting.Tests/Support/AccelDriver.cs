using MdevCore.Mediated;

namespace MdevCore.Hosting.Tests.Support;

/// <summary>An application's service the driver takes from dependency injection: how many devices it allows.</summary>
public sealed record AccelBudget(int Devices);

/// <summary>An application's own vendor driver: one type, a budget it counts itself and gets from the application's services.</summary>
public sealed class AccelDriver(AccelBudget budget) : IMdevParentOps, IMdevAvailableInstances
{
    private int _used;

    public IReadOnlyList<MdevTypeInfo> SupportedTypes { get; } = [new MdevTypeInfo("accel", MdevTypeInfo.VfioPci)];

    public Errno Create(MdevDevice mdev) => Interlocked.Increment(ref _used) <= budget.Devices ? Errno.None : Release(Errno.ENOSPC);

    public Errno Remove(MdevDevice mdev) => Release(Errno.None);

    public int GetAvailableInstances(MdevType type) => budget.Devices - Volatile.Read(ref _used);

    private Errno Release(Errno result)
    {
        Interlocked.Decrement(ref _used);
        return result;
    }
}

/// <summary>A file under the temp folder for one test, deleted after it.</summary>
public sealed class TempFile : IDisposable
{
    public TempFile(string text)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"mdevcore-hosting-{Environment.ProcessId}-{Guid.NewGuid():N}.json");
        File.WriteAllText(Path, text);
    }

    public string Path { get; }

    public void Dispose() => File.Delete(Path);
}
