using System.Diagnostics;
using MdevCore.Mediated;

namespace MdevCore.Vfio;

/// <summary>Page pinning for vendor drivers (kernel-mdev.md §9).</summary>
public sealed partial class VfioContainer
{
    /// <summary>The most pages one pin call may ask for (VFIO_PIN_PAGES_MAX_ENTRIES on 4 KiB pages).</summary>
    public const int MaxPinPages = 512;

    /// <summary>How often an unmap asks vendors to unpin before it declares a contract violation (the kernel retries 10 times).</summary>
    public const int MaxUnpinRounds = 10;

    /// <summary>Pinned page IOVA → pins per device; guarded by <c>_lock</c>.</summary>
    private readonly Dictionary<ulong, Dictionary<MdevDevice, int>> _pins = [];

    /// <summary>The locked-memory limit in pages charged by pins (RLIMIT_MEMLOCK of the mapping process).</summary>
    public long LockedMemoryLimitPages { get; set; } = 65_536;

    /// <summary>Distinct pinned pages charged against <see cref="LockedMemoryLimitPages"/>.</summary>
    public long LockedPages
    {
        get
        {
            lock (_lock)
            {
                return _pins.Count;
            }
        }
    }

    /// <summary>Pins <paramref name="pageCount"/> pages from <paramref name="iova"/> for a device, all or nothing (vfio_pin_pages).</summary>
    /// <param name="device">The device; it must be open and its vendor must implement <see cref="IVfioDmaUnmap"/>.</param>
    /// <param name="iova">The first page; the offset within the page is ignored.</param>
    /// <param name="pageCount">How many pages.</param>
    /// <param name="write">Whether the device will write them (the mapping must allow writes).</param>
    /// <returns><paramref name="pageCount"/>; <see cref="Errno.EINVAL"/> for a count of 0 or less, a device that is not
    /// open or cannot be told to unpin, or a page outside every mapping; <see cref="Errno.E2BIG"/> for more than
    /// <see cref="MaxPinPages"/>; <see cref="Errno.EPERM"/> for a write pin on a read-only mapping (or a read pin on a
    /// write-only one); <see cref="Errno.ENOMEM"/> over the locked-memory limit. Repeated pins of a page are counted.</returns>
    public Result<int> PinPages(MdevDevice device, ulong iova, int pageCount, bool write)
    {
        ArgumentNullException.ThrowIfNull(device);
        if (pageCount <= 0 || device.OpenCount == 0 || device.MdevParent.Ops is not IVfioDmaUnmap)
        {
            return Errno.EINVAL;
        }

        if (pageCount > MaxPinPages)
        {
            return Errno.E2BIG;
        }

        ulong first = iova & ~(ulong)(VfioIommuType.PageSize - 1);
        lock (_lock)
        {
            long fresh = 0;
            for (int i = 0; i < pageCount; i++)
            {
                ulong page = first + ((ulong)i * VfioIommuType.PageSize);
                VfioDmaMapping? mapping = FindOverlap_NeedsLock(page, page + 1);
                if (mapping is null || page + (ulong)VfioIommuType.PageSize > mapping.End)
                {
                    return Errno.EINVAL;
                }

                if (write ? !mapping.Writable : !mapping.Readable)
                {
                    return Errno.EPERM;
                }

                if (!_pins.ContainsKey(page))
                {
                    fresh++;
                }
            }

            if (_pins.Count + fresh > LockedMemoryLimitPages)
            {
                return Errno.ENOMEM;
            }

            // Every check passed before anything changed, so the call is all or nothing.
            for (int i = 0; i < pageCount; i++)
            {
                ulong page = first + ((ulong)i * VfioIommuType.PageSize);
                if (!_pins.TryGetValue(page, out Dictionary<MdevDevice, int>? holders))
                {
                    holders = new Dictionary<MdevDevice, int>(ReferenceEqualityComparer.Instance);
                    _pins.Add(page, holders);
                }

                holders[device] = holders.GetValueOrDefault(device) + 1;
            }

            return pageCount;
        }
    }

    /// <summary>Drops one pin per page (vfio_unpin_pages). Pages the device has not pinned are ignored, as the kernel only warns.</summary>
    /// <param name="device">The device.</param>
    /// <param name="iova">The first page.</param>
    /// <param name="pageCount">How many pages (1 to <see cref="MaxPinPages"/>; otherwise nothing happens).</param>
    public void UnpinPages(MdevDevice device, ulong iova, int pageCount)
    {
        ArgumentNullException.ThrowIfNull(device);
        if (pageCount <= 0 || pageCount > MaxPinPages)
        {
            return;
        }

        ulong first = iova & ~(ulong)(VfioIommuType.PageSize - 1);
        lock (_lock)
        {
            for (int i = 0; i < pageCount; i++)
            {
                ulong page = first + ((ulong)i * VfioIommuType.PageSize);
                if (_pins.TryGetValue(page, out Dictionary<MdevDevice, int>? holders) && holders.TryGetValue(device, out int count))
                {
                    if (count > 1)
                    {
                        holders[device] = count - 1;
                    }
                    else
                    {
                        _ = holders.Remove(device);
                        if (holders.Count == 0)
                        {
                            _ = _pins.Remove(page);
                        }
                    }
                }
            }
        }
    }

    /// <summary>How many pins <paramref name="device"/> holds on the page at <paramref name="iova"/>.</summary>
    /// <param name="device">The device.</param>
    /// <param name="iova">An address in the page.</param>
    /// <returns>The count.</returns>
    public int GetPinCount(MdevDevice device, ulong iova)
    {
        lock (_lock)
        {
            return _pins.TryGetValue(iova & ~(ulong)(VfioIommuType.PageSize - 1), out Dictionary<MdevDevice, int>? holders)
                ? holders.GetValueOrDefault(device)
                : 0;
        }
    }

    /// <summary>Devices holding pins in [start, end); caller holds the lock.</summary>
    private List<MdevDevice> PinnersIn_NeedsLock(ulong start, ulong end)
    {
        Debug.Assert(_lock.IsHeldByCurrentThread);
        var devices = new List<MdevDevice>();
        foreach ((ulong page, Dictionary<MdevDevice, int> holders) in _pins)
        {
            if (page >= start && page < end)
            {
                foreach (MdevDevice device in holders.Keys)
                {
                    if (!devices.Contains(device))
                    {
                        devices.Add(device);
                    }
                }
            }
        }

        return devices;
    }

    /// <summary>
    /// Asks every device with pins in the range to unpin (dma_unmap, outside the lock) until none are left. A vendor whose
    /// callback throws is not asked again, and one that still holds pins after <see cref="MaxUnpinRounds"/> requests (where
    /// the kernel's type1 driver hits BUG_ON) loses them: the core drops that device's pins in the range and logs an error
    /// (event 208), so a faulty vendor can neither keep guest memory pinned nor make the unmap fail.
    /// </summary>
    private void DrainPins(ulong start, ulong end)
    {
        var asked = new Dictionary<MdevDevice, int>(ReferenceEqualityComparer.Instance);
        var faulty = new HashSet<MdevDevice>(ReferenceEqualityComparer.Instance);
        for (int round = 0; ; round++)
        {
            List<MdevDevice> pinners;
            lock (_lock)
            {
                pinners = PinnersIn_NeedsLock(start, end);
            }

            if (pinners.Count == 0)
            {
                return;
            }

            foreach (MdevDevice device in pinners)
            {
                if (round == MaxUnpinRounds || faulty.Contains(device))
                {
                    DropPins(device, start, end, asked.GetValueOrDefault(device));
                    continue;
                }

                asked[device] = asked.GetValueOrDefault(device) + 1;
                try
                {
                    ((IVfioDmaUnmap)device.MdevParent.Ops).DmaUnmap(device, start, end - start);
                }
#pragma warning disable CA1031 // Vendor code: a fault costs the vendor its pins, never the unmap.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    device.MdevParent.Manager.LogVendorFault(device, ex, "dma_unmap");
                    _ = faulty.Add(device);
                }
            }
        }
    }

    /// <summary>Drops every pin <paramref name="device"/> holds in [start, end).</summary>
    private void DropPins(MdevDevice device, ulong start, ulong end, int requests)
    {
        lock (_lock)
        {
            foreach ((ulong page, Dictionary<MdevDevice, int> holders) in _pins.ToList())
            {
                if (page >= start && page < end && holders.Remove(device) && holders.Count == 0)
                {
                    _ = _pins.Remove(page);
                }
            }
        }

        device.MdevParent.Manager.LogPinsRevoked(device, start, end, requests);
    }
}
