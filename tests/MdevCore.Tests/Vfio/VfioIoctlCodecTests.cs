using System.Buffers.Binary;
using MdevCore.Mediated;
using MdevCore.Tests.Support;
using MdevCore.Vfio;

namespace MdevCore.Tests.Vfio;

/// <summary>kernel-mdev.md §8 and §11 item 13: the VFIO device uAPI through the raw and typed forms.</summary>
public sealed class VfioIoctlCodecTests
{
    private static (VfioTestVendor Vendor, MdevDeviceHandle Handle, VfioDeviceClient Client) Open()
    {
        MdevHost host = TestHosts.Create();
        var vendor = new VfioTestVendor();
        MdevParent parent = TestHosts.Register(host, TestHosts.AddGpu(host), vendor);
        MdevDeviceHandle handle = host.Mdev.CreateDevice(parent.Types[0], Guid.Parse(TestHosts.Uuid1)).Value.Open().Value;
        return (vendor, handle, new VfioDeviceClient(handle));
    }

    [Fact]
    public void Get_info_reports_a_pci_device_with_9_regions_and_5_irq_indexes()
    {
        var (_, _, client) = Open();
        client.GetInfo().Value.Should().Be(new VfioDeviceInfo(VfioFlags.DevicePci, 9, 5));
    }

    [Fact]
    public void Get_info_with_short_argsz_returns_EINVAL_and_a_short_buffer_EFAULT()
    {
        var (_, handle, _) = Open();
        byte[] arg = new byte[16];
        BinaryPrimitives.WriteUInt32LittleEndian(arg, 15);
        handle.Ioctl(VfioIoctls.DeviceGetInfo, arg).Error.Should().Be(Errno.EINVAL);
        BinaryPrimitives.WriteUInt32LittleEndian(arg, 16);
        handle.Ioctl(VfioIoctls.DeviceGetInfo, arg.AsSpan(0, 12)).Error.Should().Be(Errno.EFAULT);
    }

    [Fact]
    public void Unknown_ioctl_returns_ENOTTY()
    {
        var (_, handle, _) = Open();
        handle.Ioctl(0x3B70, new byte[16]).Error.Should().Be(Errno.ENOTTY);
        handle.Ioctl(0xdead, new byte[16]).Error.Should().Be(Errno.ENOTTY);
    }

    [Fact]
    public void Get_region_info_encodes_size_offset_and_flags_in_the_kernel_layout()
    {
        var (_, handle, client) = Open();
        byte[] arg = new byte[32];
        BinaryPrimitives.WriteUInt32LittleEndian(arg, 32);
        BinaryPrimitives.WriteUInt32LittleEndian(arg.AsSpan(8), 7);
        handle.Ioctl(VfioIoctls.DeviceGetRegionInfo, arg).Value.Should().Be(0);
        BinaryPrimitives.ReadUInt32LittleEndian(arg.AsSpan(4)).Should().Be(VfioFlags.RegionRead | VfioFlags.RegionWrite);
        BinaryPrimitives.ReadUInt64LittleEndian(arg.AsSpan(16)).Should().Be(0xff);
        BinaryPrimitives.ReadUInt64LittleEndian(arg.AsSpan(24)).Should().Be(7UL << 40);
        client.GetRegionInfo(5).Value.Size.Should().Be(0, "an unimplemented region reports size 0");
    }

    [Fact]
    public void Get_region_info_with_short_argsz_returns_EINVAL_and_an_unknown_index_the_drivers_errno()
    {
        var (_, handle, client) = Open();
        byte[] arg = new byte[32];
        BinaryPrimitives.WriteUInt32LittleEndian(arg, 31);
        handle.Ioctl(VfioIoctls.DeviceGetRegionInfo, arg).Error.Should().Be(Errno.EINVAL);
        client.GetRegionInfo(10).Error.Should().Be(Errno.EINVAL);
    }

    [Fact]
    public void Capabilities_that_do_not_fit_make_the_driver_report_the_needed_argsz()
    {
        var (_, handle, _) = Open();
        byte[] arg = new byte[32];
        BinaryPrimitives.WriteUInt32LittleEndian(arg, 32);
        BinaryPrimitives.WriteUInt32LittleEndian(arg.AsSpan(8), 0);
        handle.Ioctl(VfioIoctls.DeviceGetRegionInfo, arg).Succeeded.Should().BeTrue();
        BinaryPrimitives.ReadUInt32LittleEndian(arg).Should().Be(32 + 48u, "a sparse-mmap capability with two areas is 48 bytes");
        BinaryPrimitives.ReadUInt32LittleEndian(arg.AsSpan(4)).Should().Be(VfioFlags.RegionRead | VfioFlags.RegionWrite | VfioFlags.RegionMmap | VfioFlags.RegionCaps);
        BinaryPrimitives.ReadUInt32LittleEndian(arg.AsSpan(12)).Should().Be(0, "no chain was written");
    }

    [Fact]
    public void Capability_chains_decode_to_sparse_mmap_areas_and_region_types()
    {
        var (_, _, client) = Open();
        VfioRegionInfo bar0 = client.GetRegionInfo(0).Value;
        bar0.Offset.Should().Be(0x1000);
        bar0.Capabilities.Should().ContainSingle().Which.Should().BeOfType<VfioSparseMmapCapability>()
            .Which.Areas.Should().Equal((0x0UL, 0x8000UL), (0xc000UL, 0x4000UL));
        client.GetRegionInfo(9).Value.Capabilities.Should().Equal(new VfioRegionTypeCapability(1, 1));
    }

    [Fact]
    public void Get_irq_info_reports_intx_as_maskable_and_automasked()
    {
        var (_, _, client) = Open();
        client.GetIrqInfo(0).Value.Should().Be(new VfioIrqInfo(0, VfioFlags.IrqEventfd | VfioFlags.IrqMaskable | VfioFlags.IrqAutomasked, 1));
        client.GetIrqInfo(2).Value.Count.Should().Be(0);
        client.GetIrqInfo(5).Error.Should().Be(Errno.EINVAL);
    }

    [Fact]
    public void Set_irqs_with_an_eventfd_then_a_loopback_trigger_signals_it()
    {
        var (vendor, _, client) = Open();
        var trigger = new EventTrigger();
        int fd = vendor.Fds.Add(trigger);
        byte[] payload = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(payload, fd);

        client.SetIrqs(VfioFlags.IrqSetDataEventfd | VfioFlags.IrqSetActionTrigger, 0, 0, 1, payload).Should().Be(Errno.None);
        client.SetIrqs(VfioFlags.IrqSetDataNone | VfioFlags.IrqSetActionTrigger, 0, 0, 1, []).Should().Be(Errno.None);
        client.SetIrqs(VfioFlags.IrqSetDataBool | VfioFlags.IrqSetActionTrigger, 0, 0, 1, [1]).Should().Be(Errno.None);

        trigger.TryRead(out long count).Should().BeTrue();
        count.Should().Be(2);
        trigger.TryRead(out _).Should().BeFalse("a read resets the counter");
        trigger.WaitAsync().IsCompleted.Should().BeFalse();
    }

    [Theory]
    [InlineData(VfioFlags.IrqSetDataNone | VfioFlags.IrqSetActionTrigger, 5u, 0u, 1u, "index out of range")]
    [InlineData(VfioFlags.IrqSetDataNone | VfioFlags.IrqSetActionTrigger, 0u, 1u, 1u, "start beyond the vectors")]
    [InlineData(VfioFlags.IrqSetDataNone | VfioFlags.IrqSetActionTrigger, 0u, 0u, 2u, "start+count beyond the vectors")]
    [InlineData(VfioFlags.IrqSetDataNone | VfioFlags.IrqSetActionTrigger, 2u, 0u, 1u, "an index with no vectors")]
    [InlineData(VfioFlags.IrqSetDataNone | VfioFlags.IrqSetDataBool | VfioFlags.IrqSetActionTrigger, 0u, 0u, 1u, "two data types")]
    [InlineData(VfioFlags.IrqSetActionTrigger, 0u, 0u, 1u, "no data type")]
    [InlineData(1u << 6 | VfioFlags.IrqSetDataNone | VfioFlags.IrqSetActionTrigger, 0u, 0u, 1u, "an unknown flag")]
    [InlineData(VfioFlags.IrqSetDataEventfd | VfioFlags.IrqSetActionTrigger, 0u, 0u, 1u, "argsz too small for the payload")]
    public void Set_irqs_validation_returns_EINVAL(uint flags, uint index, uint start, uint count, string because)
    {
        var (_, _, client) = Open();
        client.SetIrqs(flags, index, start, count, []).Should().Be(Errno.EINVAL, because);
    }

    [Fact]
    public void Set_irqs_does_not_require_exactly_one_action_the_driver_decides()
    {
        var (_, _, client) = Open();
        client.SetIrqs(VfioFlags.IrqSetDataNone | VfioFlags.IrqSetActionMask | VfioFlags.IrqSetActionUnmask, 0, 0, 1, []).Should().Be(Errno.ENOTTY);
    }

    [Fact]
    public void Irq_set_validate_computes_the_payload_size()
    {
        new VfioIrqSet(20 + 12, VfioFlags.IrqSetDataEventfd | VfioFlags.IrqSetActionTrigger, 1, 0, 3).Validate(3, 5, out int size).Should().Be(Errno.None);
        size.Should().Be(12);
        new VfioIrqSet(19, VfioFlags.IrqSetDataNone | VfioFlags.IrqSetActionTrigger, 0, 0, 0).Validate(1, 5, out _).Should().Be(Errno.EINVAL);
        new VfioIrqSet(20, VfioFlags.IrqSetDataNone | VfioFlags.IrqSetActionTrigger, 0, 5, uint.MaxValue - 5).Validate(1, 5, out _).Should().Be(Errno.EINVAL);
    }

    [Fact]
    public void Reset_reaches_the_driver_and_a_closed_handle_returns_EBADF()
    {
        var (vendor, handle, client) = Open();
        client.Reset().Should().Be(Errno.None);
        vendor.Resets.Should().Be(1);
        handle.Dispose();
        client.Reset().Should().Be(Errno.EBADF);
    }

    [Fact]
    public async Task An_awaited_trigger_completes_on_signal()
    {
        var trigger = new EventTrigger();
        Task wait = trigger.WaitAsync();
        wait.IsCompleted.Should().BeFalse();
        trigger.Signal();
        await wait.WaitAsync(TimeSpan.FromSeconds(10));
        trigger.TotalSignals.Should().Be(1);
        new EventTriggerTable().Get(3).Error.Should().Be(Errno.EBADF);
    }
}
