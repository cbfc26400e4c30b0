namespace MdevCore;

/// <summary>Which generation of the kernel's mdev core a host behaves like.</summary>
/// <remarks>
/// The generations differ where a management tool can see it: UUID uniqueness, whether a vendor may
/// veto a remove, the errno of a duplicate registration, <c>MDEV_STATE</c> uevents and enforcement of
/// available instances. See <c>docs/kernel-mapping.md</c>. Thread safety: immutable.
/// </remarks>
public enum KernelProfile
{
    /// <summary>Upstream 6.x behaviour (the default; what current tools expect).</summary>
    Modern = 0,

    /// <summary>The v4.10-era design of the 2016 seed series, with its later bug fixes applied.</summary>
    Seed = 1,
}
