using MdevCore.Topology;

namespace MdevCore.Fuse.Tests.Fuse;

/// <summary>The translation layer alone: path → SysfsView call → 0 or -errno, without a mount.</summary>
public sealed class SysfsFuseOperationsTests
{
    private const string Type2 = "/class/mdev_bus/mtty/mdev_supported_types/mtty-2";
    private const string Uuid = "83b8f4f2-509f-382f-3c1e-e6bfe0fa1001";
    private readonly MdevHost _host = TopologyLoader.LoadDefault().Build();
    private readonly SysfsFuseOperations _ops;

    public SysfsFuseOperationsTests() => _ops = new SysfsFuseOperations(_host.Sysfs, DateTimeOffset.UnixEpoch);

    [Theory]
    [InlineData("/", 0x4000 | 0b111_101_101, 0)]
    [InlineData(Type2 + "/available_instances", 0x8000 | 0b100_100_100, 4096)]
    [InlineData(Type2 + "/create", 0x8000 | 0b010_000_000, 4096)]
    [InlineData("/class/mdev_bus/mtty", 0xA000 | 0b111_111_111, 31)]
    public void GetAttr_ReportsTypeModeAndSizeLikeSysfs(string path, int mode, long size)
    {
        _ops.GetAttr(path, out SysfsFuseOperations.EntryAttributes a).Should().Be(0);

        a.Mode.Should().Be((uint)mode);
        a.Size.Should().Be(size);
    }

    [Fact]
    public void GetAttr_Missing_ReturnsMinusEnoent() =>
        _ops.GetAttr("/nope", out _).Should().Be(-2);

    [Fact]
    public void Open_WriteOnlyForReading_ReturnsMinusEacces() =>
        _ops.Open(Type2 + "/create", 0, out _).Should().Be(-13);

    [Fact]
    public void Open_ReadOnlyForWriting_ReturnsMinusEacces() =>
        _ops.Open(Type2 + "/available_instances", 1, out _).Should().Be(-13);

    [Fact]
    public void Write_DuplicateUuid_ReturnsMinusEexist()
    {
        _ops.Open(Type2 + "/create", 1, out SysfsFuseOperations.OpenAttribute? h).Should().Be(0);
        byte[] data = System.Text.Encoding.ASCII.GetBytes(Uuid + "\n");
        _ops.Write(h!, data).Should().Be(37);

        _ops.Write(h!, data).Should().Be(-17);
    }

    [Fact]
    public void Read_AtOffset_ReturnsTheRestOfTheSameSnapshot()
    {
        _ops.Open(Type2 + "/name", 0, out SysfsFuseOperations.OpenAttribute? h).Should().Be(0);
        byte[] buffer = new byte[4096];

        int first = _ops.Read(h!, buffer.AsSpan(0, 4), 0);
        int rest = _ops.Read(h!, buffer.AsSpan(4), 4);

        first.Should().Be(4);
        System.Text.Encoding.ASCII.GetString(buffer, 0, 4 + rest).Should().Be("Dual port serial\n");
        _ops.Read(h!, buffer, 4 + rest).Should().Be(0);
    }

    [Fact]
    public void Read_AtOffsetZero_RendersAfresh()
    {
        _ops.Open(Type2 + "/available_instances", 0, out SysfsFuseOperations.OpenAttribute? h).Should().Be(0);
        byte[] buffer = new byte[4096];
        _ops.Read(h!, buffer, 0).Should().Be(3);
        _host.Sysfs.Write("/sys" + Type2 + "/create", Uuid).Succeeded.Should().BeTrue();

        int n = _ops.Read(h!, buffer, 0);

        System.Text.Encoding.ASCII.GetString(buffer, 0, n).Should().Be("11\n");
    }

    [Fact]
    public void Truncate_WritableAttribute_IsANoOp() => _ops.Truncate(Type2 + "/create").Should().Be(0);

    [Fact]
    public void Truncate_ReadOnlyAttribute_ReturnsMinusEacces() => _ops.Truncate(Type2 + "/name").Should().Be(-13);

    [Fact]
    public void Truncate_Directory_ReturnsMinusEisdir() => _ops.Truncate(Type2).Should().Be(-21);

    [Fact]
    public void Create_Anywhere_ReturnsMinusEacces() => _ops.Create().Should().Be(-13);

    [Fact]
    public void ReadLink_ReturnsTheCoreTarget()
    {
        _ops.ReadLink("/class/mdev_bus/mtty", out string? target).Should().Be(0);

        target.Should().Be("../../devices/virtual/mtty/mtty");
    }

    [Fact]
    public void ReadDir_ListsTheViewsNames()
    {
        _ops.ReadDir("/class/mdev_bus/mtty/mdev_supported_types", out IReadOnlyList<string>? names).Should().Be(0);

        names.Should().Equal("mtty-1", "mtty-2");
    }

    [Fact]
    public void RequestCount_CountsEveryCall()
    {
        _ = _ops.GetAttr("/", out _);
        _ = _ops.ReadDir("/", out _);

        _ops.RequestCount.Should().Be(2);
    }
}
