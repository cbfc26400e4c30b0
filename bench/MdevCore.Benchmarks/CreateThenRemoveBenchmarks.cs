using BenchmarkDotNet.Attributes;

namespace MdevCore.Benchmarks;

/// <summary>Target 1 (remove ≤ 2× create): create and remove measured apart, 4,096 devices per iteration.</summary>
[MemoryDiagnoser]
public class CreateThenRemoveBenchmarks
{
    private const int Batch = 4096;
    private BenchHost _bench = null!;

    [Params(16, 65_536)]
    public int Existing { get; set; }

    [GlobalSetup]
    public void Setup() => _bench = new BenchHost(Existing, vendorAttributes: false);

    [IterationSetup(Target = nameof(Remove))]
    public void CreateBatch() => Create();

    [IterationCleanup(Target = nameof(Create))]
    public void RemoveBatch() => Remove();

    [Benchmark(OperationsPerInvoke = Batch, Description = "create")]
    public void Create()
    {
        for (int i = 0; i < Batch; i++)
        {
            _ = _bench.Host.Mdev.CreateDevice(_bench.Type, BenchHost.Uuid(10_000_000 + i)).Value;
        }
    }

    [Benchmark(OperationsPerInvoke = Batch, Description = "remove")]
    public void Remove()
    {
        for (int i = 0; i < Batch; i++)
        {
            _ = _bench.Host.Mdev.RemoveDevice(BenchHost.Uuid(10_000_000 + i));
        }
    }
}
