namespace MdevCore.Mediated;

/// <summary>Optional: first open and last close of a device reach the vendor (seed <c>open</c>/<c>release</c>; 6.x <c>open_device</c>/<c>close_device</c>).</summary>
/// <remarks>Called outside every core lock; calls for one device never overlap.</remarks>
public interface IMdevDeviceOpen
{
    /// <summary>The device is being opened for the first time.</summary>
    /// <param name="mdev">The device.</param>
    /// <returns><see cref="Errno.None"/>, or the errno the opener sees.</returns>
    Errno Open(MdevDevice mdev);

    /// <summary>The last open handle was closed.</summary>
    /// <param name="mdev">The device.</param>
    void Release(MdevDevice mdev);
}
