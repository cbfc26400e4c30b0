using MdevCore.Diagnostics;
using MdevCore.DriverModel;
using MdevCore.Hosting.Tests.Support;
using MdevCore.Mediated;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;

namespace MdevCore.Hosting.Tests;

/// <summary>The builder API for the application's own vendor drivers: parents added in code with drivers made from the
/// application's services, topology files that name registered drivers, options from configuration, and a log scope per host.</summary>
public sealed class HostingBuilderTests
{
    private const string Uuid = "6a3b1c2d-0000-4000-8000-00000000c001";
    private static readonly PciIds AccelIds = new(0x1d0f, 0xc0de, 0x120000);

    private static IHost BuildApp(Action<HostApplicationBuilder> configure, FakeLogCollector? logs = null)
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        if (logs is not null)
        {
            builder.Logging.SetMinimumLevel(LogLevel.Debug).AddProvider(new FakeLoggerProvider(logs));
        }

        builder.Services.AddSingleton(new AccelBudget(3));
        configure(builder);
        return builder.Build();
    }

    [Fact]
    public async Task A_pci_parent_added_in_code_gets_its_driver_from_the_applications_services()
    {
        using IHost app = BuildApp(b => b.Services.AddMdevHosting().AddHost("lab", h => h.AddPciParent<AccelDriver>("0000:00:05.0", AccelIds, "acme")));
        await app.StartAsync();

        MdevHost host = app.Services.GetRequiredKeyedService<MdevHost>("lab");
        MdevParent parent = host.Mdev.GetParents().Should().ContainSingle().Subject;
        parent.Device.Name.Should().Be("0000:00:05.0");
        parent.Types.Select(t => t.Id).Should().Equal("acme-accel");
        string type = "/sys/bus/pci/devices/0000:00:05.0/mdev_supported_types/acme-accel";
        host.Sysfs.ReadText(type + "/available_instances").Value.Should().Be("3\n", "the budget came from the application's AccelBudget service");
        host.Sysfs.Write(type + "/create", Uuid).Succeeded.Should().BeTrue();
        host.Sysfs.ReadText(type + "/available_instances").Value.Should().Be("2\n");
        await app.StopAsync();
    }

    [Fact]
    public async Task A_topology_file_names_a_vendor_driver_the_application_registered()
    {
        using var topology = new TempFile($$"""
            { "parents": [ { "pci": { "address": "0000:00:05.0", "vendor": "0x1d0f" }, "driver": "acme", "vendor": "acme-accel",
                             "devices": [ { "uuid": "{{Uuid}}", "type": "acme-accel" } ] } ] }
            """);
        using IHost app = BuildApp(b => b.Services.AddMdevHosting()
            .AddVendorDriver<AccelDriver>("acme-accel")
            .AddHost("lab", h => h.Configure(o => o.TopologyFile = topology.Path)));
        await app.StartAsync();

        MdevHost host = app.Services.GetRequiredKeyedService<MdevHost>("lab");
        host.Mdev.GetParents().Should().ContainSingle().Which.Types.Select(t => t.Id).Should().Equal("acme-accel");
        host.Sysfs.ReadLink("/sys/bus/mdev/devices/" + Uuid).Succeeded.Should().BeTrue("the topology's pre-created device was made by the registered driver");
        host.Sysfs.ReadText("/sys/bus/pci/devices/0000:00:05.0/mdev_supported_types/acme-accel/available_instances").Value.Should().Be("2\n");
        await app.StopAsync();
    }

    [Fact]
    public async Task A_topology_naming_an_unregistered_vendor_driver_fails_the_start_listing_the_registered_ones()
    {
        using var topology = new TempFile("""{ "parents": [ { "pci": { "address": "0000:00:05.0" }, "driver": "acme", "vendor": "acme-gpu" } ] }""");
        using IHost app = BuildApp(b => b.Services.AddMdevHosting()
            .AddVendorDriver<AccelDriver>("acme-accel")
            .AddHost("lab", h => h.Configure(o => o.TopologyFile = topology.Path)));

        Func<Task> start = () => app.StartAsync();

        (await start.Should().ThrowAsync<OptionsValidationException>()).Which.Message
            .Should().Contain("mdev host \"lab\"").And.Contain("$.parents[0].vendor").And.Contain("\"acme-accel\"");
    }

    [Fact]
    public async Task A_parent_the_host_refuses_fails_the_start_naming_the_host_the_parent_and_the_errno()
    {
        using IHost app = BuildApp(b => b.Services.AddMdevHosting().AddHost("lab", h => h
            .AddPciParent<AccelDriver>("0000:00:05.0", AccelIds, "acme")
            .AddPciParent<AccelDriver>("0000:00:05.0", AccelIds, "acme")));

        Func<Task> start = () => app.StartAsync();

        (await start.Should().ThrowAsync<MdevException>()).Which.Message
            .Should().Contain("mdev host \"lab\"").And.Contain("PCI parent 0000:00:05.0").And.Contain("EEXIST");
    }

    [Fact]
    public async Task Options_bound_from_a_configuration_section_build_the_host()
    {
        using IHost app = BuildApp(b =>
        {
            b.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Mdev:Hosts:legacy:Profile"] = "Seed",
                ["Mdev:Hosts:legacy:RemoveWaitTimeout"] = "00:00:05",
            });
            b.Services.AddMdevHosting().AddHost("legacy", b.Configuration.GetSection("Mdev:Hosts:legacy"),
                h => h.AddPciParent<AccelDriver>("0000:00:05.0", AccelIds, "acme"));
        });
        await app.StartAsync();

        MdevHost host = app.Services.GetRequiredKeyedService<MdevHost>("legacy");
        host.Profile.Should().Be(KernelProfile.Seed);
        app.Services.GetRequiredService<IOptionsMonitor<MdevHostingOptions>>().Get("legacy").RemoveWaitTimeout.Should().Be(TimeSpan.FromSeconds(5));
        host.Mdev.GetParents().Should().ContainSingle("the builder's parent is added after the bound options built the host");
        await app.StopAsync();
    }

    [Fact]
    public async Task Records_of_two_hosts_carry_a_scope_naming_the_host_that_wrote_them()
    {
        var logs = new FakeLogCollector();
        using IHost app = BuildApp(b => b.Services.AddMdevHosting()
            .AddHost("east", h => h.AddPciParent<AccelDriver>("0000:00:05.0", AccelIds, "acme"))
            .AddHost("west", h => h.AddPciParent<AccelDriver>("0000:00:05.0", AccelIds, "acme")), logs);
        await app.StartAsync();

        foreach (string name in new[] { "east", "west" })
        {
            MdevHost host = app.Services.GetRequiredKeyedService<MdevHost>(name);
            host.Mdev.CreateDevice(host.Mdev.GetParents()[0].Types[0], Guid.Parse(Uuid)).Succeeded.Should().BeTrue();
        }

        FakeLogRecord[] created = [.. logs.GetSnapshot().Where(r => r.Id.Id == MdevEventIds.DeviceCreated)];
        created.Select(HostOf).Should().BeEquivalentTo(["east", "west"], "each host's create is logged once, under its own name");
        logs.GetSnapshot().Where(r => r.Category == "MdevCore.Mediated").Should().OnlyContain(r => HostOf(r) == "east" || HostOf(r) == "west");
        await app.StopAsync();
    }

    private static string? HostOf(FakeLogRecord record) =>
        record.Scopes.OfType<IEnumerable<KeyValuePair<string, object?>>>().SelectMany(s => s)
            .Where(p => p.Key == "MdevHost").Select(p => p.Value as string).SingleOrDefault();
}
