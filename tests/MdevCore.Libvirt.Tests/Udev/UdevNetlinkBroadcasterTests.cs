using System.Buffers.Binary;
using System.Text;
using MdevCore.Diagnostics;
using MdevCore.DriverModel;
using MdevCore.Fuse.Udev;
using MdevCore.Mediated;
using MdevCore.Topology;
using Microsoft.Extensions.Logging;

namespace MdevCore.Libvirt.Tests.Udev;

/// <summary>The public broadcaster in-process: libudev's message format, host order, accounting of drops, and where it refuses to run.</summary>
public sealed class UdevNetlinkBroadcasterTests
{
    private const string Create = "/sys/class/mdev_bus/mtty/mdev_supported_types/mtty-2/create";

    private static string Uuid(int i) => $"83b8f4f2-509f-382f-3c1e-e6bfe0fa{i:x4}";

    private static void CreateAndRemove(MdevHost host, int i)
    {
        host.Sysfs.Write(Create, Uuid(i)).Succeeded.Should().BeTrue();
        host.Sysfs.Write($"/sys/bus/mdev/devices/{Uuid(i)}/remove", "1").Succeeded.Should().BeTrue();
    }

    private static List<KeyValuePair<string, string>> Properties(byte[] message)
    {
        int offset = BitConverter.ToInt32(message, 16);
        int length = BitConverter.ToInt32(message, 20);
        return [.. Encoding.UTF8.GetString(message, offset, length).TrimEnd('\0').Split('\0')
            .Select(p => new KeyValuePair<string, string>(p[..p.IndexOf('=', StringComparison.Ordinal)], p[(p.IndexOf('=', StringComparison.Ordinal) + 1)..]))];
    }

    [Fact]
    public void Attach_in_the_refused_network_namespace_throws_and_sends_nothing()
    {
        MdevHost host = TopologyLoader.LoadDefault().Build();
        var options = new UdevNetlinkBroadcasterOptions { RefusedNetworkNamespace = "/proc/self/ns/net" };

        Action attach = () => UdevNetlinkBroadcaster.Attach(host.UEvents, options);

        attach.Should().Throw<InvalidOperationException>().WithMessage("*refusing to broadcast in the network namespace net:[*] (/proc/self/ns/net)*");
    }

    [Fact]
    public void Attach_refuses_a_namespace_given_by_its_name_too()
    {
        MdevHost host = TopologyLoader.LoadDefault().Build();
        string name = new FileInfo("/proc/self/ns/net").LinkTarget!;

        Action attach = () => UdevNetlinkBroadcaster.Attach(host.UEvents, new UdevNetlinkBroadcasterOptions { RefusedNetworkNamespace = name });

        attach.Should().Throw<InvalidOperationException>().WithMessage($"*{name}*");
    }

    [Fact]
    public void Attach_from_a_thread_in_a_private_network_namespace_is_allowed_where_the_refused_one_is_the_processs()
    {
        MdevHost host = TopologyLoader.LoadDefault().Build();
        long sent = -1;

        PrivateNetworkNamespace.Run(() =>
        {
            using UdevNetlinkBroadcaster b = UdevNetlinkBroadcaster.Attach(host.UEvents, new UdevNetlinkBroadcasterOptions { RefusedNetworkNamespace = "/proc/self/ns/net" });
            CreateAndRemove(host, 1);
            b.Flush(TimeSpan.FromSeconds(30)).Should().BeTrue();
            sent = b.SentCount;
        });

        sent.Should().Be(4);
    }

    [Fact]
    public void A_udev_listener_receives_every_event_in_host_order_in_libudevs_format_from_uid_0()
    {
        MdevHost host = TopologyLoader.LoadDefault().Build();
        var received = new List<NetlinkMessage>();
        PrivateNetworkNamespace.Run(() =>
        {
            using var listener = new NetlinkListener();
            using UdevNetlinkBroadcaster broadcaster = UdevNetlinkBroadcaster.Attach(host.UEvents);
            _ = host.UEvents.Drain();
            CreateAndRemove(host, 1);
            broadcaster.Flush(TimeSpan.FromSeconds(30)).Should().BeTrue();
            while (listener.Receive(0) is { } m)
            {
                received.Add(m);
            }
        });
        IReadOnlyList<UEvent> raised = host.UEvents.Drain();

        raised.Select(e => e.Action).Should().Equal(UEventAction.Add, UEventAction.Bind, UEventAction.Unbind, UEventAction.Remove);
        received.Should().HaveCount(raised.Count);
        for (int i = 0; i < raised.Count; i++)
        {
            byte[] m = received[i].Data;
            received[i].SenderUid.Should().Be(0, "libudev drops messages from other users");
            received[i].Groups.Should().Be(2, "udev's group; group 1 is the kernel's");
            Encoding.ASCII.GetString(m, 0, 8).Should().Be("libudev\0");
            BinaryPrimitives.ReadUInt32BigEndian(m.AsSpan(8)).Should().Be(0xfeedcafe);
            BitConverter.ToInt32(m, 12).Should().Be(40, "the header's size");
            BitConverter.ToInt32(m, 16).Should().Be(40, "the properties follow the header");
            BitConverter.ToInt32(m, 20).Should().Be(m.Length - 40);
            m[^1].Should().Be(0);
            Properties(m).Should().Equal(raised[i].Environment, "the variables of the event, in kernel order, seqnum included");
        }
    }

    [Fact]
    public void A_parents_change_event_is_broadcast_with_its_MDEV_STATE()
    {
        MdevHost host = TopologyLoader.LoadDefault().Build();
        MdevParent parent = host.Mdev.GetParents().Single();
        var received = new List<NetlinkMessage>();
        PrivateNetworkNamespace.Run(() =>
        {
            using var listener = new NetlinkListener();
            using UdevNetlinkBroadcaster broadcaster = UdevNetlinkBroadcaster.Attach(host.UEvents);
            _ = host.UEvents.Drain();
            host.Mdev.UnregisterParent(parent).Should().Be(Errno.None);
            broadcaster.Flush(TimeSpan.FromSeconds(30)).Should().BeTrue();
            while (listener.Receive(0) is { } m)
            {
                received.Add(m);
            }
        });
        IReadOnlyList<UEvent> raised = host.UEvents.Drain();

        raised.Should().Contain(e => e.Action == UEventAction.Change && e["MDEV_STATE"] == "unregistered");
        received.Select(m => Properties(m.Data)).Should().Equal(raised.Select(e => e.Environment), (a, b) => a.SequenceEqual(b));
        received.Select(m => Properties(m.Data)).Should().Contain(p => p.Contains(new KeyValuePair<string, string>("ACTION", "change")) && p.Contains(new KeyValuePair<string, string>("MDEV_STATE", "unregistered")));
    }

    [Fact]
    public void A_listener_whose_buffer_is_full_loses_messages_that_are_counted_and_logged_never_silently()
    {
        MdevHost host = TopologyLoader.LoadDefault().Build();
        var logger = new ListLogger();
        long sent = 0, listenerDrops = 0, dropped = 0;
        int read = 0;
        bool overrun = false;
        PrivateNetworkNamespace.Run(() =>
        {
            using var slow = new NetlinkListener(receiveBuffer: 1);
            using UdevNetlinkBroadcaster broadcaster = UdevNetlinkBroadcaster.Attach(host.UEvents, new UdevNetlinkBroadcasterOptions { Logger = logger });
            for (int i = 1; i <= 40; i++)
            {
                CreateAndRemove(host, i);
            }

            broadcaster.Flush(TimeSpan.FromSeconds(30)).Should().BeTrue();
            read = slow.Drain(out overrun).Count;
            (sent, listenerDrops, dropped) = (broadcaster.SentCount, broadcaster.ListenerDropCount, broadcaster.DroppedCount);
        });

        sent.Should().Be(160);
        dropped.Should().Be(0, "the broadcaster itself sent every event");
        overrun.Should().BeTrue("the kernel tells the listener it lost messages");
        listenerDrops.Should().BePositive().And.Be(sent - read, "every message is either read or counted as dropped");
        logger.Entries.Where(e => e.Id == MdevEventIds.UdevListenerDroppedEvents).Sum(e => long.Parse(e.Message.Split(' ')[^8], System.Globalization.CultureInfo.InvariantCulture))
            .Should().Be(listenerDrops);
        logger.Entries.Should().OnlyContain(e => e.Level == LogLevel.Warning);
    }

    [Fact]
    public void After_dispose_nothing_more_is_broadcast()
    {
        MdevHost host = TopologyLoader.LoadDefault().Build();
        NetlinkMessage? late = null;
        PrivateNetworkNamespace.Run(() =>
        {
            using var listener = new NetlinkListener();
            UdevNetlinkBroadcaster.Attach(host.UEvents).Dispose();
            CreateAndRemove(host, 1);
            late = listener.Receive(200);
        });

        late.Should().BeNull();
    }

    private sealed class ListLogger : ILogger
    {
        public List<(LogLevel Level, int Id, string Message)> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (Entries)
            {
                Entries.Add((logLevel, eventId.Id, formatter(state, exception)));
            }
        }
    }
}
