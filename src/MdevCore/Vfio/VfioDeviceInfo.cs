namespace MdevCore.Vfio;

/// <summary>What VFIO_DEVICE_GET_INFO reports (<c>struct vfio_device_info</c>).</summary>
/// <param name="Flags">Device flags (<see cref="VfioFlags.DevicePci"/>, ...).</param>
/// <param name="NumRegions">Number of region indexes.</param>
/// <param name="NumIrqs">Number of IRQ indexes.</param>
/// <remarks>Thread safety: immutable.</remarks>
public readonly record struct VfioDeviceInfo(uint Flags, uint NumRegions, uint NumIrqs);
