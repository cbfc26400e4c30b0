using MdevCore.Sysfs;

namespace MdevCore.Mediated;

/// <summary>A supported type of a registered parent: <c>mdev_supported_types/&lt;id&gt;/</c>.</summary>
/// <remarks>Kernel: <c>struct mdev_type</c> with its kobject. Thread safety: thread-safe.</remarks>
public sealed class MdevType
{
    private CountText? _availableText;

    internal MdevType(MdevParent parent, MdevTypeInfo info, string id)
    {
        Parent = parent;
        Info = info;
        Id = id;
    }

    /// <summary>The parent that offers the type.</summary>
    public MdevParent Parent { get; }

    /// <summary>The vendor's description of the type.</summary>
    public MdevTypeInfo Info { get; }

    /// <summary>The directory name, <c>&lt;parent driver&gt;-&lt;sysfs name&gt;</c>, for example <c>mtty-2</c>.</summary>
    public string Id { get; }

    /// <summary>The sysfs path of the type directory.</summary>
    public string SysfsPath => Directory?.FullPath ?? Parent.Device.SysfsPath + "/mdev_supported_types/" + Id;

    /// <summary>What <c>available_instances</c> shows now.</summary>
    /// <exception cref="MdevException">The vendor's count threw (<see cref="Errno.EIO"/>); <see cref="GetAvailableInstances"/> returns it instead.</exception>
    public int AvailableInstances => GetAvailableInstances().GetValueOrThrow();

    /// <summary>What <c>available_instances</c> shows now.</summary>
    /// <returns>The count, or <see cref="Errno.EIO"/> if the vendor's count threw.</returns>
    public Result<int> GetAvailableInstances() => Parent.GetAvailableInstances(this);

    internal SysfsDirectory? Directory { get; set; }

    /// <summary>The text of <c>available_instances</c> (<c>"N\n"</c>). The last one made is kept with its number, so
    /// reading a count that has not changed allocates nothing.</summary>
    internal Result<string> AvailableInstancesText
    {
        get
        {
            Result<int> count = GetAvailableInstances();
            if (!count.TryGetValue(out int value))
            {
                return count.Error;
            }

            CountText? last = Volatile.Read(ref _availableText);
            if (last is null || last.Value != value)
            {
                last = new CountText(value, string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{value}\n"));
                Volatile.Write(ref _availableText, last);
            }

            return last.Text;
        }
    }

    internal SysfsDirectory? DevicesDirectory { get; set; }

    /// <inheritdoc/>
    public override string ToString() => Id;

    private sealed record CountText(int Value, string Text);
}
