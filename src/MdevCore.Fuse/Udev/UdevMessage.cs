using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using MdevCore.DriverModel;

namespace MdevCore.Fuse.Udev;

/// <summary>A uevent in the format udevd broadcasts on netlink group 2 and libudev's monitor accepts.</summary>
/// <remarks>
/// <para>
/// A 40-byte header, then the properties as <c>KEY=VALUE</c> strings each ended by a NUL. The header:
/// the NUL-terminated prefix <c>libudev</c> (8 bytes); the magic <c>0xfeedcafe</c> in network byte order;
/// the header size, the properties' offset and their length in host byte order; the MurmurHash2 of
/// <c>SUBSYSTEM</c> and of <c>DEVTYPE</c> (0 when absent) in network byte order, which subscribers' socket
/// filters compare; and a 64-bit bloom filter of the device's udev tags (high word, low word, network
/// byte order), 0 here because a simulated device has no udev rules applied and so no tags.
/// </para>
/// <para>Thread safety: stateless.</para>
/// </remarks>
internal static class UdevMessage
{
    /// <summary>The size of the header.</summary>
    public const int HeaderSize = 40;

    /// <summary>The magic that tells a udev message from a kernel one.</summary>
    public const uint Magic = 0xfeedcafe;

    /// <summary>The offset of the magic (socket filters load it from here).</summary>
    public const int MagicOffset = 8;

    /// <summary>The offset of the subsystem hash.</summary>
    public const int SubsystemHashOffset = 24;

    /// <summary>The offset of the devtype hash.</summary>
    public const int DevtypeHashOffset = 28;

    /// <summary>Builds the message for an event's variables.</summary>
    /// <param name="environment">The variables, in order; <c>SUBSYSTEM</c> and <c>DEVTYPE</c> feed the header's hashes.</param>
    /// <returns>The message bytes.</returns>
    public static byte[] Build(IReadOnlyList<KeyValuePair<string, string>> environment)
    {
        int propertiesLength = 0;
        string? subsystem = null;
        string? devtype = null;
        foreach ((string key, string value) in environment)
        {
            propertiesLength += Encoding.UTF8.GetByteCount(key) + 1 + Encoding.UTF8.GetByteCount(value) + 1;
            if (key == "SUBSYSTEM")
            {
                subsystem = value;
            }
            else if (key == "DEVTYPE")
            {
                devtype = value;
            }
        }

        byte[] message = new byte[HeaderSize + propertiesLength];
        Span<byte> header = message.AsSpan(0, HeaderSize);
        _ = Encoding.ASCII.GetBytes("libudev", header);
        BinaryPrimitives.WriteUInt32BigEndian(header[MagicOffset..], Magic);
        uint size = HeaderSize;
        uint length = (uint)propertiesLength;
        MemoryMarshal.Write(header[12..], in size);
        MemoryMarshal.Write(header[16..], in size);
        MemoryMarshal.Write(header[20..], in length);
        if (subsystem is not null)
        {
            BinaryPrimitives.WriteUInt32BigEndian(header[SubsystemHashOffset..], MurmurHash2.Hash(subsystem));
        }

        if (devtype is not null)
        {
            BinaryPrimitives.WriteUInt32BigEndian(header[DevtypeHashOffset..], MurmurHash2.Hash(devtype));
        }

        int at = HeaderSize;
        foreach ((string key, string value) in environment)
        {
            at += Encoding.UTF8.GetBytes(key, message.AsSpan(at));
            message[at++] = (byte)'=';
            at += Encoding.UTF8.GetBytes(value, message.AsSpan(at));
            message[at++] = 0;
        }

        return message;
    }

    /// <summary>Builds the message for a uevent.</summary>
    /// <param name="uevent">The event.</param>
    /// <returns>The message bytes.</returns>
    public static byte[] Build(UEvent uevent) => Build(uevent.Environment);
}
