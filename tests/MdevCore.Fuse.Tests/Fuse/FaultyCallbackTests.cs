using MdevCore.DriverModel;
using MdevCore.Fuse.Tests.Support;
using MdevCore.Mediated;
using MdevCore.Sysfs;

namespace MdevCore.Fuse.Tests.Fuse;

/// <summary>A vendor callback that throws must become EIO for the reader, never an exception across the native boundary.</summary>
public sealed class FaultyCallbackTests : IDisposable
{
    private readonly MdevHost _host = new();
    private readonly string _dir;
    private readonly SysfsFuseMount _mount;

    public FaultyCallbackTests()
    {
        FuseTestMount.RequireFuse();
        Device device = _host.DeviceModel.AddVirtualDevice("faulty", "faulty").GetValueOrThrow();
        _ = _host.Mdev.RegisterParent(device, new ThrowingVendor(), new MdevParentOptions { MaxInstances = 1 }).GetValueOrThrow();
        _dir = Directory.CreateTempSubdirectory("mdevsim-test-").FullName;
        _mount = SysfsFuseMount.Start(_host.Sysfs, _dir, new FuseMountOptions { StopTimeout = TimeSpan.FromSeconds(5) });
    }

    public void Dispose()
    {
        _mount.Dispose();
        Directory.Delete(_dir);
    }

    [Fact]
    public void ThrowingShowAndStore_ReachTheCallerAsEio_AndTheServerKeepsServing()
    {
        ProcessResult r = ProcessRunner.Bash($"""
            cd {_dir}/devices/virtual/faulty/faulty
            cat boom; echo "rc=$?"
            echo x > boom; echo "rc=$?"
            cat mdev_supported_types/faulty-1/name
            """);

        r.Stdout.Should().Be("rc=1\nrc=1\n1\n");
        r.Stderr.Should().Be("cat: boom: Input/output error\nbash: line 3: echo: write error: Input/output error\n");
        _mount.IsServing.Should().BeTrue();
    }

    private sealed class ThrowingVendor : IMdevParentOps, IMdevParentAttributeGroups
    {
        public IReadOnlyList<MdevTypeInfo> SupportedTypes { get; } = [new MdevTypeInfo("1", MdevTypeInfo.VfioPci)];

        public IReadOnlyList<AttributeGroup> ParentAttributeGroups { get; } =
        [
            new AttributeGroup(null, [SysfsAttribute.ReadWrite("boom", _ => throw new InvalidOperationException("show"), (_, _) => throw new InvalidOperationException("store"))]),
        ];

        public Errno Create(MdevDevice mdev) => Errno.None;

        public Errno Remove(MdevDevice mdev) => Errno.None;
    }
}
