namespace MdevCore.Vfio;

/// <summary>Numbers migration data files as file descriptors, so the raw VFIO_DEVICE_FEATURE answer can carry a <c>data_fd</c>.</summary>
/// <remarks>Numbers start at 1000 so they never meet the eventfd numbers of <see cref="EventTriggerTable"/>.
/// Thread safety: thread-safe.</remarks>
public sealed class VfioFileTable
{
    private readonly Lock _lock = new();
    private readonly Dictionary<int, VfioMigrationStream> _files = [];
    private int _next = 1000;

    /// <summary>Installs a file (fd_install).</summary>
    /// <param name="file">The data file.</param>
    /// <returns>Its number.</returns>
    public int Add(VfioMigrationStream file)
    {
        ArgumentNullException.ThrowIfNull(file);
        lock (_lock)
        {
            int fd = _next++;
            _files.Add(fd, file);
            return fd;
        }
    }

    /// <summary>Resolves a number.</summary>
    /// <param name="fd">The number.</param>
    /// <returns>The file, or <see cref="Errno.EBADF"/>.</returns>
    public Result<VfioMigrationStream> Get(int fd)
    {
        lock (_lock)
        {
            return _files.TryGetValue(fd, out VfioMigrationStream? file) ? file : Errno.EBADF;
        }
    }

    /// <summary>Closes a number and disposes the file (the last close of the fd).</summary>
    /// <param name="fd">The number.</param>
    /// <returns><see cref="Errno.EBADF"/> if it is not open.</returns>
    public Errno Close(int fd)
    {
        VfioMigrationStream? file;
        lock (_lock)
        {
            if (!_files.Remove(fd, out file))
            {
                return Errno.EBADF;
            }
        }

        file.Dispose();
        return Errno.None;
    }
}
