using BenchmarkDotNet.Attributes;
using MdevCore.Mediated;

namespace MdevCore.Benchmarks;

/// <summary>Targets 1-2: create+remove through the C# API against a Dictionary insert+remove, at 16 and 65,536 devices.</summary>
[MemoryDiagnoser]
public class CreateRemoveBenchmarks
{
    private readonly Dictionary<Guid, object> _anchor = [];
    private readonly object _value = new();
    private BenchHost _bench = null!;
    private Guid _uuid;

    [Params(16, 65_536)]
    public int Existing { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _bench = new BenchHost(Existing, vendorAttributes: false);
        _uuid = BenchHost.Uuid(Existing + 1);
        for (int i = 0; i < 1000; i++)
        {
            _anchor[BenchHost.Uuid(i)] = _value;
        }
    }

    [Benchmark(Baseline = true, Description = "anchor: Dictionary<Guid,T> TryAdd+Remove")]
    public bool DictionaryAddRemove() => _anchor.TryAdd(_uuid, _value) && _anchor.Remove(_uuid);

    [Benchmark(Description = "mdev create+remove (API)")]
    public Errno CreateRemove()
    {
        MdevDevice mdev = _bench.Host.Mdev.CreateDevice(_bench.Type, _uuid).Value;
        return _bench.Host.Mdev.RemoveDevice(mdev);
    }

    [Benchmark(Description = "mdev lookup by UUID")]
    public bool Lookup() => _bench.Host.Mdev.TryGetDevice(BenchHost.Uuid(Existing / 2), out _);

    [Benchmark(Description = "anchor: Dictionary<Guid,T>.TryGetValue")]
    public bool DictionaryLookup() => _anchor.TryGetValue(BenchHost.Uuid(500), out _);
}
