using MdevCore.Mediated;
using MdevCore.Reliability.Faults;
using MdevCore.Vfio;

namespace MdevCore.Reliability.Stress;

/// <summary>
/// What a VMM does with an mdev, start to end: open its IOMMU group, attach a type-1 container, get the device (the
/// vendor's open), read, write, reset and map a region, map guest memory, pin pages as the vendor would, unmap them
/// (the vendor's DMA unmap), close the device, detach and close the group. Every step may fail with an errno; what was
/// opened is always closed.
/// </summary>
public static class VfioSession
{
    private const ulong Iova = 0x100000;

    /// <summary>Runs one session.</summary>
    /// <param name="host">The host.</param>
    /// <param name="mdev">The device.</param>
    /// <param name="vendor">Its vendor, told where the pins are so that its DMA unmap can give them back.</param>
    /// <param name="pages">How many pages to pin (0 for none).</param>
    /// <returns>The first errno on the way, or <see cref="Errno.None"/>.</returns>
    public static Errno Run(MdevHost host, MdevDevice mdev, FaultyVendor? vendor, int pages)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(mdev);
        if (mdev.IommuGroup is not { } iommu)
        {
            return Errno.ENODEV;
        }

        Result<VfioGroup> opened = host.Vfio.OpenGroup(iommu.Id);
        if (!opened.TryGetValue(out VfioGroup? group))
        {
            return opened.Error;
        }

        using (group)
        {
            VfioContainer container = VfioHost.CreateContainer();
            Errno error = group.SetContainer(container);
            if (error == Errno.None)
            {
                error = container.SetIommu(VfioIommuType.Type1v2);
            }

            if (error == Errno.None)
            {
                error = UseDevice(group, container, mdev, vendor, pages);
            }

            _ = group.UnsetContainer();
            return error;
        }
    }

    private static Errno UseDevice(VfioGroup group, VfioContainer container, MdevDevice mdev, FaultyVendor? vendor, int pages)
    {
        Result<MdevDeviceHandle> got = group.GetDevice(mdev.Name);
        if (!got.TryGetValue(out MdevDeviceHandle? handle))
        {
            return got.Error;
        }

        using (handle)
        {
            Span<byte> buffer = stackalloc byte[16];
            Errno error = handle.Write("stress!!"u8, 0).Error;
            error = First(error, handle.Read(buffer, 0).Error);
            error = First(error, handle.Ioctl(VfioIoctls.DeviceReset, []).Error);
            error = First(error, handle.Mmap(0, 4096).Error);
            if (pages > 0)
            {
                error = First(error, Pin(container, mdev, vendor, pages));
            }

            return error;
        }
    }

    private static Errno Pin(VfioContainer container, MdevDevice mdev, FaultyVendor? vendor, int pages)
    {
        Errno error = container.MapDma(Iova, new byte[pages * 4096]);
        if (error != Errno.None)
        {
            return error;
        }

        if (vendor is not null)
        {
            vendor.Containers[mdev] = container;
        }

        error = container.PinPages(mdev, Iova, pages, write: true).Error;

        // Unmapping asks the vendor to give its pins back; a vendor that does not loses them.
        Result<ulong> unmapped = container.UnmapDma(Iova, (ulong)pages * 4096);
        return First(error, unmapped.Error);
    }

    private static Errno First(Errno first, Errno next) => first != Errno.None ? first : next;
}
