using System.Text;

namespace MdevCore.DriverModel;

/// <summary>One kernel uevent as udev would receive it.</summary>
/// <remarks>
/// Kernel: <c>kobject_uevent_env</c>. <see cref="Environment"/> holds the variables in the order the
/// kernel adds them: <c>ACTION</c>, <c>DEVPATH</c>, <c>SUBSYSTEM</c>, then those of the bus, class and
/// caller (<c>DRIVER</c>, <c>MDEV_STATE</c>, ...), then <c>SEQNUM</c>. Thread safety: immutable.
/// </remarks>
public sealed class UEvent
{
    internal UEvent(UEventAction action, string devPath, ulong sequenceNumber, IReadOnlyList<KeyValuePair<string, string>> environment)
    {
        Action = action;
        DevPath = devPath;
        SequenceNumber = sequenceNumber;
        Environment = environment;
    }

    /// <summary>The action.</summary>
    public UEventAction Action { get; }

    /// <summary>The device path below <c>/sys</c>, for example <c>/devices/virtual/mtty/mtty</c>.</summary>
    public string DevPath { get; }

    /// <summary>The host-wide sequence number (<c>SEQNUM</c>), starting at 1.</summary>
    public ulong SequenceNumber { get; }

    /// <summary>All variables, in kernel order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Environment { get; }

    /// <summary>The value of <c>SUBSYSTEM</c>, or <see langword="null"/>.</summary>
    public string? Subsystem => this["SUBSYSTEM"];

    /// <summary>The value of a variable, or <see langword="null"/> if absent.</summary>
    /// <param name="key">The variable name.</param>
    public string? this[string key]
    {
        get
        {
            foreach (KeyValuePair<string, string> pair in Environment)
            {
                if (string.Equals(pair.Key, key, StringComparison.Ordinal))
                {
                    return pair.Value;
                }
            }

            return null;
        }
    }

    /// <summary>The event as <c>udevadm monitor --kernel --property</c> would print its variables, one per line.</summary>
    /// <returns>The text.</returns>
    public override string ToString()
    {
        var sb = new StringBuilder();
        foreach (KeyValuePair<string, string> pair in Environment)
        {
            _ = sb.Append(pair.Key).Append('=').Append(pair.Value).Append('\n');
        }

        return sb.ToString();
    }
}
