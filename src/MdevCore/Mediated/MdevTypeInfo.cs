using MdevCore.Sysfs;

namespace MdevCore.Mediated;

/// <summary>What a vendor driver says about one supported type.</summary>
/// <remarks>
/// Kernel: <c>struct mdev_type</c> (<c>sysfs_name</c>, <c>pretty_name</c>) plus the driver's
/// <c>device_api</c>; in the seed, one <c>supported_type_groups</c> entry. The type directory is named
/// <c>&lt;parent driver&gt;-&lt;SysfsName&gt;</c>. Thread safety: immutable.
/// </remarks>
public sealed record MdevTypeInfo
{
    /// <summary>Describes a type.</summary>
    /// <param name="sysfsName">The id after the dash in the directory name, for example <c>2</c> for <c>mtty-2</c>.</param>
    /// <param name="deviceApi">The <c>device_api</c> value without newline: <c>vfio-pci</c>, <c>vfio-ccw</c>, <c>vfio-ap</c>, ...</param>
    /// <param name="prettyName">The <c>name</c> value without newline; <see langword="null"/> shows <paramref name="sysfsName"/>.</param>
    /// <exception cref="ArgumentException">A name is empty or contains a slash or newline.</exception>
    public MdevTypeInfo(string sysfsName, string deviceApi, string? prettyName = null)
    {
        SysfsNames.Validate(sysfsName, nameof(sysfsName));
        ArgumentException.ThrowIfNullOrEmpty(deviceApi);
        if (deviceApi.Contains('\n', StringComparison.Ordinal) || (prettyName?.Contains('\n', StringComparison.Ordinal) ?? false))
        {
            throw new ArgumentException("Type attributes get their newline from the core; do not include one.", nameof(deviceApi));
        }

        SysfsName = sysfsName;
        DeviceApi = deviceApi;
        PrettyName = prettyName;
    }

    /// <summary>The id after the dash in the directory name.</summary>
    public string SysfsName { get; }

    /// <summary>The <c>device_api</c> value.</summary>
    public string DeviceApi { get; }

    /// <summary>The pretty name, or <see langword="null"/>.</summary>
    public string? PrettyName { get; }

    /// <summary>What the <c>name</c> attribute shows (without newline).</summary>
    public string Name => PrettyName ?? SysfsName;

    /// <summary>The <c>device_api</c> of PCI-like devices.</summary>
    public const string VfioPci = "vfio-pci";
}
