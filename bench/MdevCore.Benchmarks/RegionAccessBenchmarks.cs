using BenchmarkDotNet.Attributes;
using MdevCore.Mediated;
using MdevCore.Samples.Mtty;
using MdevCore.Vfio;

namespace MdevCore.Benchmarks;

/// <summary>
/// Target 6: one region access through a vendor's emulation, on the device-file path a VMM uses
/// (<see cref="MdevDeviceHandle.Read"/>/<see cref="MdevDeviceHandle.Write"/> of an open mtty device, at the
/// offsets GET_REGION_INFO reports), beside a <see cref="Lock"/> enter+exit measured in the same run.
/// </summary>
[MemoryDiagnoser]
public class RegionAccessBenchmarks
{
    private readonly Lock _anchor = new();
    private readonly byte[] _four = new byte[4];
    private readonly byte[] _one = new byte[1];
    private MdevHost _host = null!;
    private VfioGroup _group = null!;
    private MdevDeviceHandle _device = null!;
    private long _config;
    private long _uart;

    [GlobalSetup]
    public void Setup()
    {
        _host = new MdevHost(new MdevHostOptions { UEventBacklogCapacity = 0 });
        var driver = new MttyDriver();
        MdevParent parent = driver.Register(_host).GetValueOrThrow();
        MdevDevice mdev = _host.Mdev.CreateDevice(parent.Types[1], Guid.Parse("83b8f4f2-509f-382f-3c1e-e6bfe0fa1001")).GetValueOrThrow();
        _group = _host.Vfio.OpenGroup(mdev.IommuGroup!.Id).GetValueOrThrow();
        VfioContainer container = VfioHost.CreateContainer();
        _group.SetContainer(container).ThrowIfFailed();
        container.SetIommu(VfioIommuType.Type1v2).ThrowIfFailed();
        _device = _group.GetDevice(mdev.Name).GetValueOrThrow();
        var client = new VfioDeviceClient(_device);
        _config = (long)client.GetRegionInfo(VfioFlags.PciConfigRegionIndex).GetValueOrThrow().Offset;
        _uart = (long)client.GetRegionInfo(0).GetValueOrThrow().Offset;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _device.Dispose();
        _group.Dispose();
    }

    [Benchmark(Baseline = true, Description = "anchor: Lock enter+exit")]
    public void LockEnterExit()
    {
        _anchor.Enter();
        _anchor.Exit();
    }

    [Benchmark(Description = "mtty config read (4 B, vendor/device id)")]
    public int ConfigRead() => _device.Read(_four, _config).Value;

    [Benchmark(Description = "mtty UART scratch write (1 B)")]
    public int UartWrite() => _device.Write(_one, _uart + 7).Value;

    [Benchmark(Description = "mtty UART scratch read (1 B)")]
    public int UartRead() => _device.Read(_one, _uart + 7).Value;

    [Benchmark(Description = "mtty UART loopback: TX write + RX read")]
    public int UartLoopback()
    {
        _ = _device.Write(_one, _uart).Value;
        return _device.Read(_one, _uart).Value;
    }
}
