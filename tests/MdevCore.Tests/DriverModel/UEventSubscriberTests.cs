using MdevCore.DriverModel;
using MdevCore.Mediated;
using MdevCore.Tests.Support;

namespace MdevCore.Tests.DriverModel;

/// <summary>A listener's fault never breaks or half-completes the operation that raised the event.</summary>
public sealed class UEventSubscriberTests
{
    [Theory]
    [InlineData(UEventAction.Add)]
    [InlineData(UEventAction.Bind)]
    [InlineData(UEventAction.Unbind)]
    [InlineData(UEventAction.Remove)]
    public void Subscriber_that_throws_does_not_break_create_or_remove(UEventAction failOn)
    {
        MdevHost host = TestHosts.Create();
        MdevParent parent = TestHosts.Register(host, TestHosts.AddGpu(host), new TestVendor());
        var later = new List<UEventAction>();
        using IDisposable bad = host.UEvents.Subscribe(e =>
        {
            if (e.Action == failOn)
            {
                throw new InvalidOperationException("listener bug");
            }
        });
        using IDisposable good = host.UEvents.Subscribe(e => later.Add(e.Action));

        Result<MdevDevice> created = host.Mdev.CreateDevice(parent.Types[0], Guid.Parse(TestHosts.Uuid1));

        created.Error.Should().Be(Errno.None);
        created.Value.IsActive.Should().BeTrue();
        created.Value.Driver.Should().NotBeNull();
        host.Mdev.RemoveDevice(created.Value).Should().Be(Errno.None);
        host.Mdev.DeviceCount.Should().Be(0);
        host.IommuGroups.Count.Should().Be(0);
        later.Should().Equal([UEventAction.Add, UEventAction.Bind, UEventAction.Unbind, UEventAction.Remove],
            "the other subscribers still see every event");
    }
}
