using MdevCore.Diagnostics;
using MdevCore.Mediated;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MdevCore.Hosting.Tests;

/// <summary>Named hosts in a generic-host application: built from options or topology files, validated at start,
/// logging through the application's logger factory, and a FUSE mount kept for the application's lifetime.</summary>
public sealed class GenericHostTests
{
    private static readonly string Topologies = Path.Combine(AppContext.BaseDirectory, "topologies");

    private static IHost BuildApp(FakeLogCollector? logs, Action<IServiceCollection> configure)
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        if (logs is not null)
        {
            builder.Logging.SetMinimumLevel(LogLevel.Debug).AddProvider(new FakeLoggerProvider(logs));
        }

        configure(builder.Services);
        return builder.Build();
    }

    [Fact]
    public async Task Two_named_hosts_from_a_topology_file_and_from_options_are_independent()
    {
        using IHost app = BuildApp(null, s =>
        {
            s.AddMdevHosting("gpu", o => o.TopologyFile = Path.Combine(Topologies, "gvtg.json"));
            s.AddMdevHosting("legacy", o => o.Profile = KernelProfile.Seed);
        });
        await app.StartAsync();

        MdevHost gpu = app.Services.GetRequiredKeyedService<MdevHost>("gpu");
        MdevHost legacy = app.Services.GetRequiredKeyedService<MdevHost>("legacy");
        gpu.Should().NotBeSameAs(legacy);
        gpu.Mdev.GetParents().Should().ContainSingle().Which.Device.Name.Should().Be("0000:00:02.0");
        legacy.Profile.Should().Be(KernelProfile.Seed);
        legacy.Mdev.GetParents().Should().BeEmpty();
        app.Services.GetRequiredKeyedService<MdevHost>("gpu").Should().BeSameAs(gpu, "a named host is a singleton");

        await app.StopAsync();
    }

    [Fact]
    public async Task A_relative_topology_file_is_found_from_the_content_root_not_the_current_directory()
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = Topologies });
        builder.Services.AddMdevHosting("gpu", o => o.TopologyFile = "gvtg.json");
        using IHost app = builder.Build();
        File.Exists(Path.Combine(Environment.CurrentDirectory, "gvtg.json")).Should().BeFalse("the test needs a file the current directory lacks");

        await app.StartAsync();

        app.Services.GetRequiredKeyedService<MdevHost>("gpu").Mdev.GetParents().Should().ContainSingle().Which.Device.Name.Should().Be("0000:00:02.0");
        await app.StopAsync();
    }

    [Fact]
    public async Task A_bad_topology_file_fails_the_start_naming_the_file_and_the_json_path()
    {
        string file = Path.Combine(Path.GetTempPath(), $"bad-topology-{Environment.ProcessId}-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, """{ "parents": [ { "virtual": { "class": "acme" }, "shared_instances": 2, "types": [ { "name": "x" } ] } ] }""");
        try
        {
            using IHost app = BuildApp(null, s => s.AddMdevHosting("lab", o => o.TopologyFile = file));

            Func<Task> start = () => app.StartAsync();

            (await start.Should().ThrowAsync<OptionsValidationException>())
                .Which.Message.Should().Contain(file).And.Contain("$.parents[0].types[0].device_api").And.Contain("mdev host \"lab\"");
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task A_missing_mount_point_fails_the_start()
    {
        using IHost app = BuildApp(null, s => s.AddMdevHosting("lab", o => o.MountPoint = "/nonexistent/mdevcore-mount"));

        Func<Task> start = () => app.StartAsync();

        (await start.Should().ThrowAsync<OptionsValidationException>()).Which.Message.Should().Contain("/nonexistent/mdevcore-mount");
    }

    [Fact]
    public void Registering_a_name_twice_throws()
    {
        var services = new ServiceCollection();
        services.AddMdevHosting("lab");

        Action again = () => services.AddMdevHosting("lab");

        again.Should().Throw<InvalidOperationException>().WithMessage("*'lab'*");
    }

    [Fact]
    public async Task Library_logs_go_to_the_application_logger_factory_with_stable_categories()
    {
        var logs = new FakeLogCollector();
        using IHost app = BuildApp(logs, s => s.AddMdevHosting("gpu", o => o.TopologyFile = Path.Combine(Topologies, "gvtg.json")));
        await app.StartAsync();
        MdevHost host = app.Services.GetRequiredKeyedService<MdevHost>("gpu");
        MdevType type = host.Mdev.GetParents()[0].Types[0];

        host.Mdev.CreateDevice(type, Guid.Parse("6a3b1c2d-0000-4000-8000-00000000a001")).Succeeded.Should().BeTrue();

        IReadOnlyList<FakeLogRecord> records = logs.GetSnapshot();
        records.Should().Contain(r => r.Category == "MdevCore.Mediated" && r.Id.Id == MdevEventIds.ParentRegistered && r.Message.Contains("MDEV: Registered", StringComparison.Ordinal));
        records.Should().Contain(r => r.Category == "MdevCore.Mediated" && r.Id.Id == MdevEventIds.DeviceCreated && r.Level == LogLevel.Debug);
        await app.StopAsync();
    }

    [Fact]
    public async Task The_fuse_mount_serves_the_host_for_the_application_lifetime_and_is_gone_after_stop()
    {
        string mount = Directory.CreateTempSubdirectory("mdevcore-hosting-").FullName;
        try
        {
            var logs = new FakeLogCollector();
            using IHost app = BuildApp(logs, s => s.AddMdevHosting("lab", o =>
            {
                o.TopologyFile = Path.Combine(Topologies, "mtty.json");
                o.MountPoint = mount;
            }));
            await app.StartAsync();

            IsMounted(mount).Should().BeTrue("the hosted service mounts at start");
            string types = Path.Combine(mount, "class", "mdev_bus", "mtty", "mdev_supported_types");
            Directory.GetDirectories(types).Select(Path.GetFileName).Should().BeEquivalentTo(["mtty-1", "mtty-2"]);
            (await File.ReadAllTextAsync(Path.Combine(types, "mtty-2", "available_instances"))).Should().Be("12\n");
            MdevHost host = app.Services.GetRequiredKeyedService<MdevHost>("lab");
            host.Sysfs.Write("/sys/class/mdev_bus/mtty/mdev_supported_types/mtty-2/create", "6a3b1c2d-0000-4000-8000-00000000b001").Succeeded.Should().BeTrue();
            (await File.ReadAllTextAsync(Path.Combine(types, "mtty-2", "available_instances"))).Should().Be("11\n", "the mount is live");

            await app.StopAsync();

            IsMounted(mount).Should().BeFalse("the hosted service unmounts at stop");
            logs.GetSnapshot().Should().Contain(r => r.Id.Id == 500).And.Contain(r => r.Id.Id == 501);
        }
        finally
        {
            Directory.Delete(mount);
        }
    }

    private static bool IsMounted(string path) =>
        File.ReadAllLines("/proc/self/mounts").Any(line => line.Split(' ')[1] == path);
}
