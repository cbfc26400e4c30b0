using BenchmarkDotNet.Attributes;
using MdevCore.Sysfs;
using Microsoft.Win32.SafeHandles;

namespace MdevCore.Benchmarks;

/// <summary>Target 4: attribute read/write on an open handle against pread/pwrite on a real sysfs file.</summary>
[MemoryDiagnoser]
public class AttributeBenchmarks
{
    private const string RealAttribute = "/sys/class/net/lo/mtu";
    private readonly byte[] _buffer = new byte[4096];
    private BenchHost _bench = null!;
    private SysfsOpenFile _available = null!;
    private SysfsOpenFile _knob = null!;
    private string _availablePath = null!;
    private SafeFileHandle? _real;
    private byte[] _realValue = [];

    [GlobalSetup]
    public void Setup()
    {
        _bench = new BenchHost(16);
        _availablePath = _bench.Type.SysfsPath + "/available_instances";
        _available = _bench.Host.Sysfs.Open(_availablePath, SysfsAccess.Read).Value;
        string knob = _bench.Host.Mdev.GetDevices()[0].SysfsPath + "/vendor/knob";
        _knob = _bench.Host.Sysfs.Open(knob, SysfsAccess.ReadWrite).Value;
        _real = File.OpenHandle(RealAttribute, FileMode.Open, FileAccess.ReadWrite);
        int n = RandomAccess.Read(_real, _buffer, 0);
        _realValue = _buffer[..n];
    }

    [GlobalCleanup]
    public void Cleanup() => _real?.Dispose();

    [Benchmark(Baseline = true, Description = "anchor: real sysfs pread")]
    public int RealPread() => RandomAccess.Read(_real!, _buffer, 0);

    [Benchmark(Description = "anchor: real sysfs pwrite (same value)")]
    public void RealPwrite() => RandomAccess.Write(_real!, _realValue, 0);

    [Benchmark(Description = "read available_instances (open handle, bytes)")]
    public int ReadHandle() => _available.Read(_buffer, 0).Value;

    [Benchmark(Description = "read available_instances (open handle, string)")]
    public string ReadHandleText() => _available.ReadText().Value;

    [Benchmark(Description = "write vendor attribute (open handle)")]
    public int WriteHandle() => _knob.Write("1\n"u8).Value;

    [Benchmark(Description = "cat available_instances (path: open+read)")]
    public string ReadByPath() => _bench.Host.Sysfs.ReadText(_availablePath).Value;
}
