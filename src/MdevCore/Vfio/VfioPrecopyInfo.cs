namespace MdevCore.Vfio;

/// <summary>The answer of VFIO_MIG_GET_PRECOPY_INFO (<c>struct vfio_precopy_info</c>).</summary>
/// <param name="InitialBytes">Bytes of the initial copy not yet read.</param>
/// <param name="DirtyBytes">Bytes the device estimates have changed since they were read.</param>
/// <remarks>Thread safety: immutable.</remarks>
public readonly record struct VfioPrecopyInfo(ulong InitialBytes, ulong DirtyBytes);
