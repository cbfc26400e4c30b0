using MdevCore.Topology;

namespace MdevCore.Fuse.Tests.Support;

/// <summary>A host from a topology, served through FUSE on a unique temporary directory; unmounted on dispose.</summary>
/// <remarks>Fails (never skips) when FUSE cannot work here: CI runs these tests as root with fuse3 installed.</remarks>
internal sealed class FuseTestMount : IDisposable
{
    private readonly SysfsFuseMount _mount;

    public FuseTestMount(string? topologyJson = null, FuseMountOptions? options = null)
    {
        RequireFuse();
        Host = (topologyJson is null ? TopologyLoader.LoadDefault() : TopologyLoader.Parse(topologyJson, "test.json")).Build();
        Dir = Directory.CreateTempSubdirectory("mdevsim-test-").FullName;
        try
        {
            _mount = SysfsFuseMount.Start(Host.Sysfs, Dir, options ?? new FuseMountOptions { StopTimeout = TimeSpan.FromSeconds(5) });
        }
        catch
        {
            Directory.Delete(Dir);
            throw;
        }
    }

    public MdevHost Host { get; }

    /// <summary>The mount point; it shows the host's /sys.</summary>
    public string Dir { get; }

    public SysfsFuseMount Mount => _mount;

    public string this[string sysPath] => Dir + sysPath["/sys".Length..];

    public static void RequireFuse()
    {
        string? reason = FuseSupport.GetUnavailableReason();
        if (reason is not null)
        {
            throw new InvalidOperationException("FUSE tests cannot run here (they must not be skipped): " + reason);
        }

        if (!FuseSupport.IsRoot())
        {
            throw new InvalidOperationException("FUSE tests must run as root (CI does).");
        }
    }

    public void Dispose()
    {
        _mount.Dispose();
        if (File.ReadAllText("/proc/self/mounts").Contains(" " + Dir + " ", StringComparison.Ordinal))
        {
            // Fallbacks, so a failed test never leaves a mount behind.
            _ = ProcessRunner.Run("fusermount3", ["-u", "-z", Dir], TimeSpan.FromSeconds(10));
            _ = ProcessRunner.Run("umount", ["-l", Dir], TimeSpan.FromSeconds(10));
        }

        try
        {
            Directory.Delete(Dir);
        }
        catch (IOException)
        {
        }
    }
}
