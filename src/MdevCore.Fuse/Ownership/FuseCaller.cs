namespace MdevCore.Fuse.Ownership;

/// <summary>The process a FUSE request comes from, as the kernel reports it in the request header.</summary>
/// <param name="Uid">The caller's file-system user id (in the mount's user namespace).</param>
/// <param name="Gid">The caller's file-system group id.</param>
/// <param name="Pid">The calling thread's id in the server's PID namespace; 0 when it is not visible there.</param>
/// <remarks>Thread safety: immutable.</remarks>
internal readonly record struct FuseCaller(uint Uid, uint Gid, int Pid)
{
    /// <summary>The super-user: passes the discretionary check (as with <c>CAP_DAC_OVERRIDE</c>).</summary>
    public bool IsRoot => Uid == KernfsOwnership.OwnerUid;
}
