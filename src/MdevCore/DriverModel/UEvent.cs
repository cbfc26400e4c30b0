using System.Globalization;
using System.Text;

namespace MdevCore.DriverModel;

/// <summary>One kernel uevent as udev would receive it.</summary>
/// <remarks>
/// Kernel: <c>kobject_uevent_env</c>. <see cref="Environment"/> holds the variables in the order the
/// kernel adds them: <c>ACTION</c>, <c>DEVPATH</c>, <c>SUBSYSTEM</c>, the caller's (<c>MDEV_STATE</c>),
/// the device's (<c>DRIVER</c>, <c>PCI_ID</c>, ...), then <c>SEQNUM</c>. What can change later (the bound
/// driver) is captured when the event is raised; the text is built on first access.
/// Thread safety: immutable.
/// </remarks>
public sealed class UEvent
{
    private readonly Device _device;
    private readonly string? _driverName;
    private readonly KeyValuePair<string, string>[]? _extra;
    private IReadOnlyList<KeyValuePair<string, string>>? _environment;
    private string? _devPath;

    internal UEvent(UEventAction action, Device device, ulong sequenceNumber, string? driverName, KeyValuePair<string, string>[]? extra)
    {
        Action = action;
        _device = device;
        SequenceNumber = sequenceNumber;
        _driverName = driverName;
        _extra = extra;
    }

    /// <summary>The action.</summary>
    public UEventAction Action { get; }

    /// <summary>The device path below <c>/sys</c>, for example <c>/devices/virtual/mtty/mtty</c>.</summary>
    public string DevPath => _devPath ??= _device.DevPath;

    /// <summary>The host-wide sequence number (<c>SEQNUM</c>), starting at 1.</summary>
    public ulong SequenceNumber { get; }

    /// <summary>The device the event is about.</summary>
    public Device Device => _device;

    /// <summary>All variables, in kernel order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Environment => _environment ??= BuildEnvironment();

    /// <summary>The value of <c>SUBSYSTEM</c>, or <see langword="null"/>.</summary>
    public string? Subsystem => _device.Subsystem;

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

    private KeyValuePair<string, string>[] BuildEnvironment()
    {
        var env = new List<KeyValuePair<string, string>>(8)
        {
            new("ACTION", Action.ToKernelString()),
            new("DEVPATH", DevPath),
        };
        if (_device.Subsystem is { } subsystem)
        {
            env.Add(new("SUBSYSTEM", subsystem));
        }

        // Caller variables come before the device's own, as kobject_uevent_env adds envp_ext first.
        if (_extra is not null)
        {
            env.AddRange(_extra);
        }

        _device.AddDeviceVariables(env, _driverName);
        env.Add(new("SEQNUM", SequenceNumber.ToString(CultureInfo.InvariantCulture)));
        return [.. env];
    }
}
