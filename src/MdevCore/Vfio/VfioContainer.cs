namespace MdevCore.Vfio;

/// <summary>A VFIO container (<c>/dev/vfio/vfio</c> opened once): groups attach to it and share its IOMMU model and DMA mappings.</summary>
/// <remarks>
/// The type1 model for emulated (mdev) groups: a mapping only records IOVA → memory; vendor drivers
/// reach guest memory through <see cref="ReadGuest"/> and <see cref="WriteGuest"/> (vfio_dma_rw).
/// Thread safety: thread-safe.
/// </remarks>
public sealed partial class VfioContainer
{
    private readonly Lock _lock = new();
    private readonly SortedList<ulong, VfioDmaMapping> _mappings = [];
    private readonly List<VfioGroup> _groups = [];

    internal VfioContainer()
    {
    }

    /// <summary>The IOMMU model set by <see cref="SetIommu"/>, or 0 while none is set.</summary>
    public int IommuType { get; private set; }

    /// <summary>VFIO_GET_API_VERSION.</summary>
    /// <returns>0.</returns>
    public static int GetApiVersion() => VfioIommuType.ApiVersion;

    /// <summary>VFIO_CHECK_EXTENSION.</summary>
    /// <param name="extension">An IOMMU type.</param>
    /// <returns>1 for type1 and type1v2 (the models that accept emulated groups), otherwise 0.</returns>
    public static int CheckExtension(int extension) => extension is VfioIommuType.Type1 or VfioIommuType.Type1v2 ? 1 : 0;

    /// <summary>VFIO_SET_IOMMU.</summary>
    /// <param name="type">The model.</param>
    /// <returns><see cref="Errno.EINVAL"/> with no group attached or when a model is already set;
    /// <see cref="Errno.ENODEV"/> for a model no IOMMU driver claims (sPAPR on this x86-like host, or an unknown
    /// number), as vfio_ioctl_set_iommu finds no driver whose VFIO_CHECK_EXTENSION accepts it.</returns>
    public Errno SetIommu(int type)
    {
        lock (_lock)
        {
            if (_groups.Count == 0 || IommuType != 0)
            {
                return Errno.EINVAL;
            }

            if (CheckExtension(type) == 0)
            {
                return Errno.ENODEV;
            }

            IommuType = type;
            return Errno.None;
        }
    }

    /// <summary>VFIO_IOMMU_MAP_DMA.</summary>
    /// <param name="iova">Where the memory appears to devices; page aligned.</param>
    /// <param name="memory">The guest memory; a non-zero multiple of the page size.</param>
    /// <param name="readable">Devices may read it.</param>
    /// <param name="writable">Devices may write it.</param>
    /// <returns><see cref="Errno.EINVAL"/> without an IOMMU model, for unaligned or empty ranges, for a mapping
    /// without read or write, or an IOVA range that wraps; <see cref="Errno.EEXIST"/> if it overlaps a mapping.</returns>
    public Errno MapDma(ulong iova, Memory<byte> memory, bool readable = true, bool writable = true)
    {
        ulong size = (ulong)memory.Length;
        if (size == 0 || iova % VfioIommuType.PageSize != 0 || size % VfioIommuType.PageSize != 0 || iova + size < iova || !(readable || writable))
        {
            return Errno.EINVAL;
        }

        lock (_lock)
        {
            if (IommuType == 0)
            {
                return Errno.EINVAL;
            }

            if (FindOverlap_NeedsLock(iova, iova + size) is not null)
            {
                return Errno.EEXIST;
            }

            _mappings.Add(iova, new VfioDmaMapping(iova, memory, readable, writable));
            return Errno.None;
        }
    }

    /// <summary>VFIO_IOMMU_UNMAP_DMA: removes every mapping inside the range.</summary>
    /// <param name="iova">Start, page aligned.</param>
    /// <param name="size">Length, a multiple of the page size.</param>
    /// <returns>The number of bytes unmapped; <see cref="Errno.EINVAL"/> for unaligned arguments, without an IOMMU
    /// model, or (type1v2) when the range cuts a mapping in two.</returns>
    public Result<ulong> UnmapDma(ulong iova, ulong size)
    {
        if (iova % VfioIommuType.PageSize != 0 || size % VfioIommuType.PageSize != 0 || iova + size < iova)
        {
            return Errno.EINVAL;
        }

        ulong end = iova + size;
        lock (_lock)
        {
            Errno check = CheckUnmap_NeedsLock(iova, end);
            if (check != Errno.None)
            {
                return check;
            }
        }

        // Pinned pages in the range are given back by their vendors first (dma_unmap), outside the lock.
        DrainPins(iova, end);
        lock (_lock)
        {
            Errno check = CheckUnmap_NeedsLock(iova, end);
            if (check != Errno.None)
            {
                return check;
            }

            ulong unmapped = 0;
            foreach (VfioDmaMapping mapping in _mappings.Values.Where(m => m.Iova < end && iova < m.End).ToList())
            {
                _ = _mappings.Remove(mapping.Iova);
                unmapped += mapping.Size;
            }

            return unmapped;
        }
    }

    /// <summary>No IOMMU model, or a range that would cut a mapping in two (type1v2), is EINVAL.</summary>
    private Errno CheckUnmap_NeedsLock(ulong iova, ulong end)
    {
        if (IommuType == 0)
        {
            return Errno.EINVAL;
        }

        foreach (VfioDmaMapping mapping in _mappings.Values)
        {
            if (mapping.Iova < end && iova < mapping.End && (mapping.Iova < iova || mapping.End > end))
            {
                return Errno.EINVAL;
            }
        }

        return Errno.None;
    }

    /// <summary>The current mappings, by IOVA.</summary>
    /// <returns>A snapshot.</returns>
    public IReadOnlyList<VfioDmaMapping> GetMappings()
    {
        lock (_lock)
        {
            return [.. _mappings.Values];
        }
    }

    /// <summary>Reads guest memory at an IOVA for a device (vfio_dma_rw, read).</summary>
    /// <param name="iova">The address.</param>
    /// <param name="destination">Where the bytes go; the range must lie in one readable mapping.</param>
    /// <returns><see cref="Errno.EFAULT"/> if it is not mapped; <see cref="Errno.EPERM"/> if the mapping is not readable.</returns>
    public Errno ReadGuest(ulong iova, Span<byte> destination)
    {
        Result<Memory<byte>> window = Locate(iova, destination.Length, write: false);
        if (!window.TryGetValue(out Memory<byte> memory))
        {
            return window.Error;
        }

        memory.Span.CopyTo(destination);
        return Errno.None;
    }

    /// <summary>Writes guest memory at an IOVA for a device (vfio_dma_rw, write).</summary>
    /// <param name="iova">The address.</param>
    /// <param name="source">The bytes; the range must lie in one writable mapping.</param>
    /// <returns><see cref="Errno.EFAULT"/> if it is not mapped; <see cref="Errno.EPERM"/> if the mapping is not writable.</returns>
    public Errno WriteGuest(ulong iova, ReadOnlySpan<byte> source)
    {
        Result<Memory<byte>> window = Locate(iova, source.Length, write: true);
        if (!window.TryGetValue(out Memory<byte> memory))
        {
            return window.Error;
        }

        source.CopyTo(memory.Span);
        return Errno.None;
    }

    internal void Attach(VfioGroup group)
    {
        lock (_lock)
        {
            _groups.Add(group);
        }
    }

    /// <summary>Detaching the last group drops the IOMMU model and every mapping, as the kernel does.</summary>
    internal void Detach(VfioGroup group)
    {
        lock (_lock)
        {
            _ = _groups.Remove(group);
            if (_groups.Count == 0)
            {
                _mappings.Clear();
                _pins.Clear();
                IommuType = 0;
            }
        }
    }

    /// <summary>The guest memory behind [iova, iova + length): EFAULT unless one mapping holds it all, EPERM if it forbids the direction.</summary>
    private Result<Memory<byte>> Locate(ulong iova, int length, bool write)
    {
        lock (_lock)
        {
            VfioDmaMapping? mapping = FindOverlap_NeedsLock(iova, iova + (ulong)Math.Max(length, 1));
            if (mapping is null || mapping.Iova > iova || iova + (ulong)length > mapping.End)
            {
                return Errno.EFAULT;
            }

            if (write ? !mapping.Writable : !mapping.Readable)
            {
                return Errno.EPERM;
            }

            return mapping.Memory.Slice((int)(iova - mapping.Iova), length);
        }
    }

    private VfioDmaMapping? FindOverlap_NeedsLock(ulong start, ulong end)
    {
        foreach (VfioDmaMapping mapping in _mappings.Values)
        {
            if (mapping.Iova < end && start < mapping.End)
            {
                return mapping;
            }
        }

        return null;
    }
}
