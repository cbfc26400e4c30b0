namespace MdevCore.DriverModel;

/// <summary>The action of a uevent (kernel: <c>enum kobject_action</c>).</summary>
/// <remarks>Thread safety: immutable.</remarks>
public enum UEventAction
{
    /// <summary><c>add</c>: a device appeared.</summary>
    Add = 0,

    /// <summary><c>remove</c>: a device went away.</summary>
    Remove = 1,

    /// <summary><c>change</c>: a device changed (for mdev parents: <c>MDEV_STATE</c>).</summary>
    Change = 2,

    /// <summary><c>move</c>: a device was renamed or moved.</summary>
    Move = 3,

    /// <summary><c>online</c>.</summary>
    Online = 4,

    /// <summary><c>offline</c>.</summary>
    Offline = 5,

    /// <summary><c>bind</c>: a driver bound to the device.</summary>
    Bind = 6,

    /// <summary><c>unbind</c>: the driver let go of the device.</summary>
    Unbind = 7,
}
