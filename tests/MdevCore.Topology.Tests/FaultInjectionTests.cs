using MdevCore.Mediated;

namespace MdevCore.Topology.Tests;

/// <summary>Faults on every vendor path of the declarative driver: an errno, optionally after N calls or for one UUID.</summary>
public sealed class FaultInjectionTests
{
    private const string U1 = "83b8f4f2-509f-382f-3c1e-e6bfe0fa1001";
    private const string U2 = "83b8f4f2-509f-382f-3c1e-e6bfe0fa1002";
    private const string Type = "/sys/class/mdev_bus/0000:00:02.0/mdev_supported_types/i915-GVTg_V5_4/";

    private static MdevHost Host(string faults, string kernel = "modern") => TopologyLoader.Parse($$"""
        { "kernel": "{{kernel}}", "parents": [ { "pci": { "address": "0000:00:02.0" }, "driver": "i915",
            "types": [ { "name": "GVTg_V5_4", "device_api": "vfio-pci", "max_instances": 4 },
                       { "name": "GVTg_V5_8", "device_api": "vfio-pci", "max_instances": 4 } ],
            "device_attributes": [ { "name": "knob", "access": "rw", "value": "0" } ],
            "faults": [ {{faults}} ] } ] }
        """, "faults.json").Build();

    private static MdevDevice Create(MdevHost host, string uuid)
    {
        host.Sysfs.Write(Type + "create", uuid).Succeeded.Should().BeTrue();
        host.Mdev.TryGetDevice(Guid.Parse(uuid), out MdevDevice? mdev).Should().BeTrue();
        return mdev!;
    }

    [Fact]
    public void Create_fault_after_one_call_lets_the_first_create_through_and_fails_the_second()
    {
        MdevHost host = Host("""{ "on": "create", "errno": "EIO", "after": 1 }""");

        host.Sysfs.Write(Type + "create", U1).Succeeded.Should().BeTrue();
        host.Sysfs.Write(Type + "create", U2).Error.Should().Be(Errno.EIO);
        host.Mdev.DeviceCount.Should().Be(1);
    }

    [Fact]
    public void Create_fault_for_one_uuid_fails_only_that_device()
    {
        MdevHost host = Host($$"""{ "on": "create", "errno": "EEXIST", "uuid": "{{U2}}" }""");

        host.Sysfs.Write(Type + "create", U1).Succeeded.Should().BeTrue();
        host.Sysfs.Write(Type + "create", U2).Error.Should().Be(Errno.EEXIST);
    }

    [Fact]
    public void Remove_fault_is_the_seed_cores_veto_and_the_device_stays()
    {
        MdevHost host = Host("""{ "on": "remove", "errno": "EBUSY" }""", kernel: "seed");
        Create(host, U1);

        host.Sysfs.Write($"/sys/bus/mdev/devices/{U1}/remove", "1").Error.Should().Be(Errno.EBUSY);

        host.Sysfs.Exists($"/sys/bus/mdev/devices/{U1}").Should().BeTrue();
    }

    [Fact]
    public void Remove_fault_in_a_modern_topology_is_rejected_because_the_6x_core_ignores_it()
    {
        Action load = () => Host("""{ "on": "remove", "errno": "EBUSY" }""");

        load.Should().Throw<TopologyException>().Which.Problem.Should().Contain("\"kernel\": \"seed\"");
    }

    [Fact]
    public void Open_fault_fails_the_open_with_the_errno()
    {
        MdevHost host = Host("""{ "on": "open", "errno": "EPERM", "after": 1 }""");
        MdevDevice mdev = Create(host, U1);
        mdev.Open().Value.Dispose();

        mdev.Open().Error.Should().Be(Errno.EPERM);
    }

    [Fact]
    public void Release_fault_shows_as_the_next_open_failing_until_the_device_is_removed()
    {
        MdevHost host = Host("""{ "on": "release", "errno": "EBUSY" }""");
        MdevDevice mdev = Create(host, U1);
        mdev.Open().Value.Dispose();

        mdev.Open().Error.Should().Be(Errno.EBUSY);
        host.Sysfs.Write($"/sys/bus/mdev/devices/{U1}/remove", "1").Succeeded.Should().BeTrue();
        Create(host, U1).Open().Succeeded.Should().BeTrue("a new device of the same UUID starts clean");
    }

    [Theory]
    [InlineData("read", Errno.EFAULT)]
    [InlineData("write", Errno.EIO)]
    [InlineData("ioctl", Errno.ENOTTY)]
    public void Region_and_ioctl_faults_replace_the_answer_of_a_driver_without_regions(string path, Errno errno)
    {
        MdevHost host = Host($$"""{ "on": "{{path}}", "errno": "{{errno}}", "type": "GVTg_V5_4" }""");
        using MdevDeviceHandle handle = Create(host, U1).Open().Value;
        byte[] buffer = new byte[4];

        Errno read = handle.Read(buffer, 0).Error;
        Errno write = handle.Write(buffer, 0).Error;
        Errno ioctl = handle.Ioctl(0x3B6B, buffer).Error;

        (path switch { "read" => read, "write" => write, _ => ioctl }).Should().Be(errno);
        new[] { read, write, ioctl }.Where(e => e != errno).Should().AllBeEquivalentTo(Errno.EINVAL, "the other paths answer as the core does without vendor support");
    }

    [Fact]
    public void Store_fault_for_one_attribute_keeps_the_old_value()
    {
        MdevHost host = Host("""{ "on": "store", "errno": "EINVAL", "attribute": "knob", "after": 1 }""");
        Create(host, U1);
        string knob = $"/sys/bus/mdev/devices/{U1}/knob";

        host.Sysfs.Write(knob, "1\n").Succeeded.Should().BeTrue();
        host.Sysfs.Write(knob, "2\n").Error.Should().Be(Errno.EINVAL);

        host.Sysfs.ReadText(knob).Value.Should().Be("1\n");
    }

    [Fact]
    public void Available_instances_fault_reports_the_count_for_its_type_only()
    {
        MdevHost host = Host("""{ "on": "available_instances", "count": 0, "type": "GVTg_V5_4" }""");

        host.Sysfs.ReadText(Type + "available_instances").Value.Should().Be("0\n");
        host.Sysfs.ReadText("/sys/class/mdev_bus/0000:00:02.0/mdev_supported_types/i915-GVTg_V5_8/available_instances").Value.Should().Be("4\n");
    }

    [Theory]
    [InlineData("""{ "on": "mmap", "errno": "EIO" }""", "$.parents[0].faults[0].on", "is not a vendor path")]
    [InlineData("""{ "on": "open" }""", "$.parents[0].faults[0].errno", "required")]
    [InlineData("""{ "on": "open", "errno": "EWHAT" }""", "$.parents[0].faults[0].errno", "not an errno name")]
    [InlineData("""{ "on": "available_instances", "errno": "EIO" }""", "$.parents[0].faults[0].errno", "get_available returns a count")]
    [InlineData("""{ "on": "available_instances", "count": 1, "uuid": "83b8f4f2-509f-382f-3c1e-e6bfe0fa1001" }""", "$.parents[0].faults[0].uuid", "belongs to a type")]
    [InlineData("""{ "on": "open", "errno": "EIO", "after": -1 }""", "$.parents[0].faults[0].after", "zero or more")]
    [InlineData("""{ "on": "open", "errno": "EIO", "type": "GVTg_V5_1" }""", "$.parents[0].faults[0].type", "not a type of this parent")]
    [InlineData("""{ "on": "open", "errno": "EIO", "attribute": "knob" }""", "$.parents[0].faults[0].attribute", "only a store fault")]
    [InlineData("""{ "on": "store", "errno": "EIO", "attribute": "dial" }""", "$.parents[0].faults[0].attribute", "not a writable device attribute")]
    [InlineData("""{ "on": "open", "errno": "EIO", "uuid": "not-a-uuid" }""", "$.parents[0].faults[0].uuid", "not a UUID")]
    public void A_bad_fault_is_reported_with_its_json_path(string fault, string path, string problem)
    {
        TopologyException e = FluentActions.Invoking(() => Host(fault)).Should().Throw<TopologyException>().Which;

        e.JsonPath.Should().Be(path);
        e.Problem.Should().Contain(problem);
    }
}
