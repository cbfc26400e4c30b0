using System.Globalization;

namespace MdevCore.Fuse.Udev;

/// <summary>
/// The drop counters of the udev-group listeners in one network namespace, read from the kernel's
/// netlink socket table (<c>/proc/net/netlink</c>, column <c>Drops</c>).
/// </summary>
/// <remarks>
/// A multicast send cannot tell the sender that a listener's receive buffer was full: the kernel drops
/// the message for that listener, marks its socket with <c>ENOBUFS</c> and counts the drop on the
/// listener's socket. The table is opened in the namespace of the thread that opens it and keeps showing
/// that namespace when read again from any thread. Thread safety: one reading thread.
/// </remarks>
internal sealed class NetlinkListenerDrops : IDisposable
{
    private const int NetlinkKobjectUevent = 15;
    private readonly FileStream? _table;
    private readonly Dictionary<ulong, long> _seen = [];

    private NetlinkListenerDrops(FileStream? table) => _table = table;

    /// <summary>Opens the table of the calling thread's network namespace; without procfs, drops stay unknown (always 0).</summary>
    public static NetlinkListenerDrops Open()
    {
        try
        {
            return new NetlinkListenerDrops(new FileStream(NetworkNamespace.CallingThreadsProcDirectory() + "/net/netlink", FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 1));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new NetlinkListenerDrops(null);
        }
    }

    /// <summary>Reads the table and returns, per listener process, the drops counted since the last read.</summary>
    /// <returns>The listeners that dropped messages (netlink port id, count); empty when none did.</returns>
    public IReadOnlyList<(uint PortId, long Dropped)> Poll()
    {
        if (_table is null)
        {
            return [];
        }

        string text;
        try
        {
            _ = _table.Seek(0, SeekOrigin.Begin);
            using var reader = new StreamReader(_table, leaveOpen: true);
            text = reader.ReadToEnd();
        }
        catch (IOException)
        {
            return [];
        }

        var dropped = new List<(uint, long)>();
        var present = new HashSet<ulong>();
        foreach (string line in text.Split('\n').Skip(1))
        {
            // sk Eth Pid Groups Rmem Wmem Dump Locks Drops Inode
            string[] f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (f.Length < 10
                || !int.TryParse(f[1], CultureInfo.InvariantCulture, out int protocol) || protocol != NetlinkKobjectUevent
                || !uint.TryParse(f[3], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out uint groups) || (groups & (1u << ((int)NetlinkUeventSocket.UdevGroup - 1))) == 0
                || !uint.TryParse(f[2], CultureInfo.InvariantCulture, out uint port)
                || !long.TryParse(f[8], CultureInfo.InvariantCulture, out long drops)
                || !ulong.TryParse(f[9], CultureInfo.InvariantCulture, out ulong inode))
            {
                continue;
            }

            _ = present.Add(inode);
            long before = _seen.GetValueOrDefault(inode);
            _seen[inode] = drops;
            if (drops > before)
            {
                dropped.Add((port, drops - before));
            }
        }

        // Forget listeners that closed their sockets.
        foreach (ulong gone in _seen.Keys.Where(k => !present.Contains(k)).ToList())
        {
            _ = _seen.Remove(gone);
        }

        return dropped;
    }

    /// <inheritdoc />
    public void Dispose() => _table?.Dispose();
}
