using System.Buffers.Binary;
using MdevCore.Samples.Tests.Mtty;
using MdevCore.Samples.Tests.Support;
using MdevCore.Vfio;
using static MdevCore.Vfio.VfioMigrationIoctls;
using static MdevCore.Vfio.VfioMigrationState;

namespace MdevCore.Samples.Tests.Vfio;

/// <summary>
/// The errno of every misuse of VFIO_DEVICE_FEATURE (<c>vfio_ioctl_device_feature</c>, <c>vfio_check_feature</c>)
/// and the arcs of <c>vfio_mig_get_next_state</c>, against mtty (STOP_COPY | P2P | PRE_COPY).
/// </summary>
public sealed class DeviceFeatureTests
{
    private static byte[] Arg(uint argsz, uint flags, int length = 16)
    {
        byte[] arg = new byte[length];
        BinaryPrimitives.WriteUInt32LittleEndian(arg, argsz);
        BinaryPrimitives.WriteUInt32LittleEndian(arg.AsSpan(4), flags);
        return arg;
    }

    private static Errno Feature(Vmm vmm, byte[] arg)
    {
        Result<long> result = vmm.Device.Ioctl(DeviceFeature, arg);
        return result.Succeeded ? Errno.None : result.Error;
    }

    [Theory]
    [InlineData(7u, FeatureGet | FeatureMigration, Errno.EINVAL, "argsz below the 8-byte header")]
    [InlineData(16u, FeatureGet | FeatureMigration | (1u << 19), Errno.EINVAL, "an unknown flag bit")]
    [InlineData(16u, FeatureGet | FeatureSet | FeatureMigDeviceState, Errno.EINVAL, "GET and SET without PROBE")]
    [InlineData(16u, FeatureSet | FeatureMigration, Errno.EINVAL, "MIGRATION supports GET only")]
    [InlineData(16u, FeatureSet | FeatureMigDataSize, Errno.EINVAL, "MIG_DATA_SIZE supports GET only")]
    [InlineData(16u, FeatureProbe | FeatureSet | FeatureMigration, Errno.EINVAL, "a probe of an unsupported SET")]
    [InlineData(16u, FeatureMigration, Errno.EINVAL, "neither GET nor SET nor PROBE")]
    [InlineData(15u, FeatureGet | FeatureMigration, Errno.EINVAL, "a payload shorter than struct vfio_device_feature_migration")]
    [InlineData(12u, FeatureSet | FeatureMigDeviceState, Errno.EINVAL, "a payload shorter than struct vfio_device_feature_mig_state")]
    [InlineData(16u, FeatureGet | 3u, Errno.EINVAL, "an unknown feature (no device_feature op)")]
    [InlineData(16u, FeatureGet | 6u, Errno.EINVAL, "DMA logging is not modelled")]
    [InlineData(16u, FeatureProbe | FeatureGet | FeatureMigration, Errno.None, "a probe of GET")]
    [InlineData(8u, FeatureProbe | FeatureGet | FeatureSet | FeatureMigDeviceState, Errno.None, "a probe needs no payload and may ask GET and SET")]
    public void VFIO_DEVICE_FEATURE_misuse_returns_the_errno_of_vfio_ioctl_device_feature(uint argsz, uint flags, Errno expected, string why)
    {
        using Vmm vmm = MttyFixture.StartDual();

        Feature(vmm, Arg(argsz, flags)).Should().Be(expected, why);
    }

    [Fact]
    public void A_buffer_shorter_than_the_header_or_the_payload_returns_EFAULT()
    {
        using Vmm vmm = MttyFixture.StartDual();

        Feature(vmm, Arg(16, FeatureGet | FeatureMigration)[..4]).Should().Be(Errno.EFAULT);
        Feature(vmm, Arg(16, FeatureGet | FeatureMigration, length: 12)).Should().Be(Errno.EFAULT);
    }

    [Fact]
    public void A_failed_SET_still_writes_data_fd_minus_one_and_a_GET_writes_it_too()
    {
        using Vmm vmm = MttyFixture.StartDual();
        byte[] arg = Arg(16, FeatureSet | FeatureMigDeviceState);
        BinaryPrimitives.WriteUInt32LittleEndian(arg.AsSpan(8), 9);
        BinaryPrimitives.WriteInt32LittleEndian(arg.AsSpan(12), 1234);

        Feature(vmm, arg).Should().Be(Errno.EINVAL);
        BinaryPrimitives.ReadInt32LittleEndian(arg.AsSpan(12)).Should().Be(-1);

        byte[] get = Arg(16, FeatureGet | FeatureMigDeviceState);
        Feature(vmm, get).Should().Be(Errno.None);
        (BinaryPrimitives.ReadUInt32LittleEndian(get.AsSpan(8)), BinaryPrimitives.ReadInt32LittleEndian(get.AsSpan(12))).Should().Be(((uint)Running, -1));
    }

    [Fact]
    public void Under_the_seed_profile_VFIO_DEVICE_FEATURE_reaches_the_driver_and_returns_ENOTTY()
    {
        var (host, _, _, dual) = MttyFixture.Load(profile: KernelProfile.Seed);
        _ = host.Mdev.RegisterDriver(new VfioMdevDriver()).Value;
        using Vmm vmm = Vmm.Start(host, dual, Vmm.Uuid(1));

        Feature(vmm, Arg(16, FeatureGet | FeatureMigration)).Should().Be(Errno.ENOTTY, "v4.10 had no VFIO_DEVICE_FEATURE");
        vmm.Device.GetMigrationFlags().Error.Should().Be(Errno.ENOTTY);
    }

    [Fact]
    public void Without_migration_ops_the_migration_features_return_ENOTTY()
    {
        VfioDeviceFeature.Dispatch(null, new VfioFileTable(), Arg(16, FeatureGet | FeatureMigration)).Error.Should().Be(Errno.ENOTTY);
        VfioDeviceFeature.Dispatch(null, new VfioFileTable(), Arg(16, FeatureProbe | FeatureGet | FeatureMigDataSize)).Error.Should().Be(Errno.ENOTTY);
    }

    private const VfioMigrationCapabilities All = VfioMigrationCapabilities.StopCopy | VfioMigrationCapabilities.P2P | VfioMigrationCapabilities.PreCopy;

    [Theory]
    [InlineData(Running, Stop, RunningP2P)]
    [InlineData(Running, StopCopy, RunningP2P)]
    [InlineData(Running, PreCopy, PreCopy)]
    [InlineData(Running, PreCopyP2P, RunningP2P)]
    [InlineData(Stop, Running, RunningP2P)]
    [InlineData(Stop, PreCopy, RunningP2P)]
    [InlineData(StopCopy, Running, Stop)]
    [InlineData(Resuming, PreCopyP2P, Stop)]
    [InlineData(RunningP2P, PreCopy, Running)]
    [InlineData(RunningP2P, PreCopyP2P, PreCopyP2P)]
    [InlineData(PreCopy, StopCopy, PreCopyP2P)]
    [InlineData(PreCopy, Resuming, Running)]
    [InlineData(PreCopyP2P, StopCopy, StopCopy)]
    [InlineData(PreCopyP2P, Stop, RunningP2P)]
    public void The_next_arc_follows_vfio_from_fsm_table(VfioMigrationState from, VfioMigrationState to, VfioMigrationState next) =>
        VfioMigrationStateMachine.GetNextState(All, from, to).Value.Should().Be(next);

    [Fact]
    public void Without_P2P_and_PRE_COPY_the_optional_states_are_skipped_or_refused()
    {
        const VfioMigrationCapabilities stopCopy = VfioMigrationCapabilities.StopCopy;

        VfioMigrationStateMachine.GetNextState(stopCopy, Running, Stop).Value.Should().Be(Stop, "RUNNING_P2P is stepped over");
        VfioMigrationStateMachine.GetNextState(stopCopy, Stop, Running).Value.Should().Be(Running);
        VfioMigrationStateMachine.GetNextState(stopCopy, Running, RunningP2P).Error.Should().Be(Errno.EINVAL);
        VfioMigrationStateMachine.GetNextState(stopCopy, Running, PreCopy).Error.Should().Be(Errno.EINVAL);
        VfioMigrationStateMachine.GetNextState(All, Error, Running).Error.Should().Be(Errno.EINVAL, "ERROR is left only by reset");
        VfioMigrationStateMachine.GetNextState(All, StopCopy, PreCopy).Error.Should().Be(Errno.EINVAL);
    }
}
