using MdevCore.Diagnostics;
using MdevCore.Mediated;
using MdevCore.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace MdevCore.Tests.DriverModel;

public sealed class LoggingAndDependencyInjectionTests
{
    [Fact]
    public void Registration_creation_removal_and_unregistration_are_logged_with_stable_event_ids()
    {
        var collector = new FakeLogCollector();
        using var factory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Debug).AddProvider(new FakeLoggerProvider(collector)));
        var host = new MdevHost(new MdevHostOptions(), factory);
        MdevParent parent = TestHosts.Register(host, TestHosts.AddGpu(host), new TestVendor());
        _ = host.Mdev.CreateDevice(parent.Types[0], Guid.Parse(TestHosts.Uuid1)).Value;
        _ = host.Mdev.RemoveDevice(Guid.Parse(TestHosts.Uuid1));
        _ = host.Mdev.UnregisterParent(parent);

        IReadOnlyList<FakeLogRecord> records = collector.GetSnapshot();
        FakeLogRecord registered = records.Single(r => r.Id.Id == MdevEventIds.ParentRegistered);
        registered.Level.Should().Be(LogLevel.Information);
        registered.Message.Should().Be("0000:00:02.0: MDEV: Registered");
        registered.Category.Should().Be("MdevCore.Mediated");
        records.Single(r => r.Id.Id == MdevEventIds.ParentUnregistering).Message.Should().Be("0000:00:02.0: MDEV: Unregistering");
        records.Single(r => r.Id.Id == MdevEventIds.DeviceCreated).Level.Should().Be(LogLevel.Debug);
        records.Single(r => r.Id.Id == MdevEventIds.DeviceRemoved).Message.Should().Be($"MDEV: removed {TestHosts.Uuid1}");
    }

    [Fact]
    public void Failed_create_is_logged_at_debug_with_its_errno()
    {
        var collector = new FakeLogCollector();
        using var factory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Debug).AddProvider(new FakeLoggerProvider(collector)));
        var host = new MdevHost(new MdevHostOptions(), factory);
        MdevParent parent = TestHosts.Register(host, TestHosts.AddGpu(host), new TestVendor(), maxInstances: 0);
        host.Mdev.CreateDevice(parent.Types[0], Guid.Parse(TestHosts.Uuid1)).Error.Should().Be(Errno.EUSERS);
        collector.GetSnapshot().Should().Contain(r => r.Id.Id == MdevEventIds.NoInstanceBudget && r.Level == LogLevel.Warning);
        collector.GetSnapshot().Single(r => r.Id.Id == MdevEventIds.DeviceCreateFailed).Message.Should().Contain("EUSERS");
    }

    [Fact]
    public void Named_hosts_resolve_as_distinct_keyed_singletons_with_their_own_options()
    {
        using ServiceProvider sp = new ServiceCollection()
            .AddLogging()
            .AddMdevHost("modern", o => o.Profile = KernelProfile.Modern)
            .AddMdevHost("seed", o => o.Profile = KernelProfile.Seed)
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        MdevHost modern = sp.GetRequiredKeyedService<MdevHost>("modern");
        MdevHost seed = sp.GetRequiredKeyedService<MdevHost>("seed");
        modern.Should().NotBeSameAs(seed);
        modern.Should().BeSameAs(sp.GetRequiredKeyedService<MdevHost>("modern"));
        modern.Profile.Should().Be(KernelProfile.Modern);
        seed.Profile.Should().Be(KernelProfile.Seed);
    }

    [Fact]
    public void Adding_the_same_host_name_twice_throws_and_invalid_options_are_rejected()
    {
        var services = new ServiceCollection().AddMdevHost("a");
        Action twice = () => services.AddMdevHost("a");
        twice.Should().Throw<InvalidOperationException>();
        Action bad = () => new ServiceCollection().AddMdevHost("b", o => o.UEventBacklogCapacity = -1);
        bad.Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void The_default_host_resolves_unkeyed()
    {
        using ServiceProvider sp = new ServiceCollection().AddMdevHost(o => o.Profile = KernelProfile.Seed).BuildServiceProvider();
        sp.GetRequiredService<MdevHost>().Profile.Should().Be(KernelProfile.Seed);
    }
}
