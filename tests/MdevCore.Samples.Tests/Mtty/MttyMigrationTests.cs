using System.Buffers.Binary;
using MdevCore.Samples.Tests.Support;
using MdevCore.Vfio;
using static MdevCore.Vfio.VfioMigrationState;

namespace MdevCore.Samples.Tests.Mtty;

/// <summary>
/// mtty's live migration (6.7+): <c>mtty_set_state</c> / <c>mtty_step_state</c>, <c>mtty_save_device_data</c>,
/// <c>mtty_save_read</c>, <c>mtty_precopy_ioctl</c>, <c>mtty_resume_write</c>, <c>mtty_load_state</c>, through the
/// core's VFIO_DEVICE_FEATURE (<c>vfio_ioctl_device_feature_mig_device_state</c>).
/// </summary>
public sealed class MttyMigrationTests
{
    private static VfioMigrationStream? Set(Vmm vmm, VfioMigrationState state) =>
        vmm.Device.SetMigrationState(vmm.Host.Vfio.Files, state).Value;

    private static byte[] ReadAll(VfioMigrationStream stream)
    {
        var bytes = new List<byte>();
        byte[] chunk = new byte[7]; // odd-sized reads: the stream must not care
        int n;
        while ((n = stream.Read(chunk)) > 0)
        {
            bytes.AddRange(chunk.AsSpan(0, n).ToArray());
        }

        return [.. bytes];
    }

    private static void ProgramGuest(Vmm vmm)
    {
        vmm.SetReg(0, Uart.Lcr, 0x80);
        vmm.SetReg(0, Uart.Data, 0x0c);        // divisor 12: 9600 baud
        vmm.SetReg(0, Uart.Lcr, 0x1b);         // 8E1
        vmm.SetReg(0, Uart.Fcr, 0x07);
        vmm.SetReg(0, Uart.Mcr, 0x0b);
        vmm.SetReg(0, Uart.Scr, 0x5a);
        foreach (byte b in "migrate"u8.ToArray())
        {
            vmm.SetReg(0, Uart.Data, b);
        }

        _ = vmm.Reg(0, Uart.Data);             // 'm' consumed before migration: tail != 0
        vmm.SetReg(0, Uart.Ier, 0x05);         // received data and line status interrupts
        vmm.SetReg(1, Uart.Fcr, 0x07);
        vmm.SetReg(1, Uart.Scr, 0x11);
        vmm.SetReg(1, Uart.Data, 0x99);
    }

    [Fact]
    public void A_running_device_migrates_to_another_host_with_fifo_registers_and_pending_interrupt_intact()
    {
        // arrange: source and destination are separate simulated machines in one process
        var (sourceHost, _, _, sourceType) = MttyFixture.Load();
        var (targetHost, _, _, targetType) = MttyFixture.Load();
        using Vmm source = Vmm.Start(sourceHost, sourceType, Vmm.Uuid(1));
        using Vmm target = Vmm.Start(targetHost, targetType, Vmm.Uuid(1));
        ProgramGuest(source);
        byte iirBefore = source.Reg(0, Uart.Iir);

        // act: pre-copy while running, then stop-and-copy, then resume on the destination
        source.Device.GetMigrationFlags().Value.Should().Be(VfioMigrationCapabilities.StopCopy | VfioMigrationCapabilities.P2P | VfioMigrationCapabilities.PreCopy);
        VfioMigrationStream stream = Set(source, PreCopy)!;
        stream.QueryPrecopyInfo().Value.Should().Be(new VfioPrecopyInfo(24, 0), "PRE_COPY holds the header only");
        var data = new List<byte>(ReadAll(stream));
        stream.QueryPrecopyInfo().Value.InitialBytes.Should().Be(0);
        source.Device.GetMigrationDataSize().Value.Should().Be(96);
        Set(source, StopCopy).Should().BeNull("PRE_COPY_P2P -> STOP_COPY fills the PRE_COPY file and opens no new one");
        data.AddRange(ReadAll(stream));
        Set(source, Stop).Should().BeNull();

        Set(target, Stop).Should().BeNull();
        VfioMigrationStream resume = Set(target, Resuming)!;
        resume.Write(data.ToArray());
        Set(target, Running).Should().BeNull();

        // assert
        data.Should().HaveCount(96);
        BinaryPrimitives.ReadUInt64LittleEndian(data.ToArray()).Should().Be(0x7e9d09898c3e2c4e, "MTTY_MAGIC");
        target.Device.GetMigrationState().Value.Should().Be(Running);
        target.Reg(0, Uart.Iir).Should().Be(iirBefore).And.Be(0xc4, "the received-data interrupt is still pending");
        target.Reg(0, Uart.Lcr).Should().Be(0x1b);
        target.Reg(0, Uart.Scr).Should().Be(0x5a);
        target.Reg(0, Uart.Mcr).Should().Be(0x0b);
        target.Reg(1, Uart.Scr).Should().Be(0x11);
        var received = new List<byte>();
        while ((target.Reg(0, Uart.Lsr) & 0x01) != 0)
        {
            received.Add(target.Reg(0, Uart.Data));
        }

        System.Text.Encoding.ASCII.GetString([.. received]).Should().Be("igrate");
        target.Reg(1, Uart.Data).Should().Be(0x99);
        target.SetReg(0, Uart.Lcr, 0x9b);
        target.Reg(0, Uart.Data).Should().Be(0, "DLAB written again clears the divisor, as on the source");
    }

    [Fact]
    public void The_destination_raises_the_migrated_pending_cause_once_the_vmm_rewires_its_interrupt()
    {
        var (sourceHost, _, _, sourceType) = MttyFixture.Load();
        var (targetHost, _, _, targetType) = MttyFixture.Load();
        using Vmm source = Vmm.Start(sourceHost, sourceType, Vmm.Uuid(1));
        using Vmm target = Vmm.Start(targetHost, targetType, Vmm.Uuid(1));
        ProgramGuest(source);
        VfioMigrationStream saved = Set(source, StopCopy)!;
        byte[] data = ReadAll(saved);
        Set(target, Resuming)!.Write(data);
        Set(target, Running);
        var msi = new EventTrigger();

        target.WireInterrupt(VfioFlags.PciMsiIrqIndex, msi).Should().Be(Errno.None, "eventfds are not migrated: the VMM wires them again");
        for (int i = 0; i < 11; i++)
        {
            target.SetReg(0, Uart.Data, 0);    // 6 in the ring + 10 fill it; the 17th overruns
        }

        msi.TotalSignals.Should().Be(1, "overrun with the migrated IER line-status bit");
        (target.Reg(0, Uart.Lsr) & 0x02).Should().Be(0x02);
    }

    [Fact]
    public void STOP_COPY_from_RUNNING_hands_out_header_and_ports_and_a_single_port_card_carries_one()
    {
        var (host, _, single, _) = MttyFixture.Load();
        using Vmm vmm = Vmm.Start(host, single, Vmm.Uuid(1));

        vmm.Device.GetMigrationDataSize().Value.Should().Be(60, "24-byte header + one 36-byte serial_port");
        byte[] data = ReadAll(Set(vmm, StopCopy)!);

        data.Should().HaveCount(60);
        BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(8)).Should().Be(1, "major version");
        BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(12)).Should().Be(0, "minor version");
        BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(16)).Should().Be(1, "nr_ports");
        data[24 + 33].Should().Be(16, "max_fifo_size of the port image");
        vmm.Device.GetMigrationState().Value.Should().Be(StopCopy);
    }

    [Theory]
    [InlineData(Error, "ERROR is never a valid target")]
    [InlineData((VfioMigrationState)8, "past PRE_COPY_P2P")]
    [InlineData((VfioMigrationState)0xffff, "far past the table")]
    public void Setting_an_unknown_or_ERROR_state_returns_EINVAL_and_leaves_the_state_vfio_mig_get_next_state(VfioMigrationState state, string why)
    {
        using Vmm vmm = MttyFixture.StartDual();

        vmm.Device.SetMigrationState(vmm.Host.Vfio.Files, state).Error.Should().Be(Errno.EINVAL, why);
        vmm.Device.GetMigrationState().Value.Should().Be(Running);
    }

    [Theory]
    [InlineData(PreCopy)]
    [InlineData(PreCopyP2P)]
    public void STOP_COPY_to_a_pre_copy_state_is_blocked_with_EINVAL(VfioMigrationState target)
    {
        using Vmm vmm = MttyFixture.StartDual();
        _ = Set(vmm, StopCopy);

        vmm.Device.SetMigrationState(vmm.Host.Vfio.Files, target).Error.Should().Be(Errno.EINVAL);
        vmm.Device.GetMigrationState().Value.Should().Be(StopCopy);
    }

    [Fact]
    public void Leaving_RESUMING_before_all_data_arrived_returns_EINVAL_and_stays_RESUMING_mtty_load_state()
    {
        using Vmm vmm = MttyFixture.StartDual();
        VfioMigrationStream resume = Set(vmm, Resuming)!;
        byte[] header = new byte[24];
        BinaryPrimitives.WriteUInt64LittleEndian(header, 0x7e9d09898c3e2c4e);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(8), 1);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(16), 2);
        resume.TryWrite(header).Value.Should().Be(24);

        vmm.Device.SetMigrationState(vmm.Host.Vfio.Files, Running).Error.Should().Be(Errno.EINVAL);
        vmm.Device.GetMigrationState().Value.Should().Be(Resuming);
    }

    [Fact]
    public void A_resume_header_of_another_port_count_fails_with_EFAULT_yet_the_bytes_count_mtty_resume_write()
    {
        using Vmm vmm = MttyFixture.StartDual();
        VfioMigrationStream resume = Set(vmm, Resuming)!;
        byte[] data = new byte[96];
        BinaryPrimitives.WriteUInt64LittleEndian(data, 0x7e9d09898c3e2c4e);
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(8), 1);
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(16), 1); // one port, the device has two

        resume.TryWrite(data.AsSpan(0, 30)).Error.Should().Be(Errno.EFAULT);
        resume.TryWrite(data.AsSpan(30)).Value.Should().Be(66, "the failed write still advanced the position");
        resume.TryWrite(data.AsSpan(0, 1)).Error.Should().Be(Errno.ENOMEM, "past mtty_data_size");
        Set(vmm, Stop).Should().BeNull("mtty_load_state checks only the length, not the header again");
    }

    [Fact]
    public void Files_closed_by_a_transition_answer_ENODEV_and_the_wrong_direction_EBADF()
    {
        using Vmm vmm = MttyFixture.StartDual();
        VfioMigrationStream saved = Set(vmm, StopCopy)!;
        saved.TryWrite([1]).Error.Should().Be(Errno.EBADF, "the saving file is read-only");
        Set(vmm, Stop);
        saved.TryRead(new byte[8]).Error.Should().Be(Errno.ENODEV);

        VfioMigrationStream resume = Set(vmm, Resuming)!;
        resume.TryRead(new byte[8]).Error.Should().Be(Errno.EBADF, "the resuming file is write-only");
        resume.QueryPrecopyInfo().Error.Should().Be(Errno.ENOTTY, "it has no ioctl");
        vmm.Client.Reset().Should().Be(Errno.None);
        vmm.Device.GetMigrationState().Value.Should().Be(Running, "VFIO_DEVICE_RESET returns migration to RUNNING");
        resume.TryWrite([1]).Error.Should().Be(Errno.ENODEV);
    }

    [Fact]
    public void PRECOPY_INFO_outside_pre_copy_is_EINVAL_and_another_ioctl_on_the_file_ENOTTY_mtty_precopy_ioctl()
    {
        using Vmm vmm = MttyFixture.StartDual();
        VfioMigrationStream stream = Set(vmm, PreCopy)!;
        stream.Ioctl(0x3B64, new byte[24]).Error.Should().Be(Errno.ENOTTY);
        byte[] shortArg = new byte[24];
        BinaryPrimitives.WriteUInt32LittleEndian(shortArg, 16);
        stream.Ioctl(VfioMigrationIoctls.MigGetPrecopyInfo, shortArg).Error.Should().Be(Errno.EINVAL, "argsz < 24");
        stream.Ioctl(VfioMigrationIoctls.MigGetPrecopyInfo, new byte[16]).Error.Should().Be(Errno.EFAULT);

        Set(vmm, StopCopy);

        stream.QueryPrecopyInfo().Error.Should().Be(Errno.EINVAL, "the device is in STOP_COPY");
        ReadAll(stream).Should().HaveCount(96, "nothing was read in PRE_COPY: header and ports");
    }

    [Fact]
    public void Closing_the_device_closes_its_migration_files_but_keeps_the_state_mtty_close()
    {
        using Vmm vmm = MttyFixture.StartDual();
        VfioMigrationStream stream = Set(vmm, StopCopy)!;

        vmm.Reopen(Vmm.Uuid(1));

        stream.TryRead(new byte[4]).Error.Should().Be(Errno.ENODEV);
        vmm.Device.GetMigrationState().Value.Should().Be(StopCopy);
    }
}
