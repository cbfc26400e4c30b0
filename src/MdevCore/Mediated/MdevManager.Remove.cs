using MdevCore.Diagnostics;
using MdevCore.Internal;

namespace MdevCore.Mediated;

/// <summary>Removing mdevs (remove_store / mdev_device_remove).</summary>
public sealed partial class MdevManager
{
    /// <summary>Removes an mdev, exactly as writing <c>1</c> to its <c>remove</c> file does.</summary>
    /// <param name="mdev">The device.</param>
    /// <returns><see cref="Errno.None"/> also when a concurrent remove got there first (no effect);
    /// <see cref="Errno.ENODEV"/> if it is no longer in the device list or the parent is unregistering;
    /// <see cref="Errno.EAGAIN"/> while its create is in flight (the <c>remove</c> file is then gone for good);
    /// under the seed profile, the vendor's veto (for example <see cref="Errno.EBUSY"/>), after which the file is back.
    /// Under the modern profile this blocks while the device is open.</returns>
    public Errno RemoveDevice(MdevDevice mdev)
    {
        ArgumentNullException.ThrowIfNull(mdev);
        return RemoveStore(mdev, "1"u8);
    }

    /// <summary>Removes the mdev with <paramref name="uuid"/>, as <see cref="RemoveDevice(MdevDevice)"/>.</summary>
    /// <param name="uuid">The UUID.</param>
    /// <returns>As <see cref="RemoveDevice(MdevDevice)"/>; <see cref="Errno.ENODEV"/> for an unknown UUID.</returns>
    public Errno RemoveDevice(Guid uuid) => TryGetDevice(uuid, out MdevDevice? mdev) ? RemoveDevice(mdev) : Errno.ENODEV;

    /// <summary>remove_store: parse, drop the file itself, then remove.</summary>
    internal Errno RemoveStore(MdevDevice mdev, ReadOnlySpan<byte> data)
    {
        if (!KernelParse.TryParseUnsigned(data, out ulong value))
        {
            return Errno.EINVAL;
        }

        if (value == 0)
        {
            return Errno.None;
        }

        // device_remove_file_self: only the first of concurrent writers goes on; the others succeed with no effect.
        if (mdev.Directory is not { } dir || !_tree.RemoveSelf(dir, RemoveAttribute))
        {
            return Errno.None;
        }

        Errno error = Profile == KernelProfile.Modern ? RemoveModern(mdev) : RemoveSeed(mdev);
        if (error == Errno.None)
        {
            Log.DeviceRemoved(_logger, mdev.Uuid);
        }
        else
        {
            Log.DeviceRemoveFailed(_logger, mdev.Uuid, error);
        }

        return error;
    }

    private Errno CheckAndDeactivate(MdevDevice mdev)
    {
        // An active device is always listed: it leaves the list only when released, after deactivation.
        if (mdev.TryDeactivate())
        {
            return Errno.None;
        }

        return _devices.TryGet(mdev.Uuid, out MdevDevice? listed) && ReferenceEquals(listed, mdev) ? Errno.EAGAIN : Errno.ENODEV;
    }

    private Errno RemoveModern(MdevDevice mdev)
    {
        Errno error = CheckAndDeactivate(mdev);
        if (error != Errno.None)
        {
            // Since 2019 the remove file is not re-created on this path.
            return error;
        }

        MdevParent parent = mdev.MdevParent;
        if (!parent.Gate.TryEnterShared())
        {
            // Unregistration is under way and removes the device itself.
            return Errno.ENODEV;
        }

        try
        {
            RemoveCommon(mdev, force: false);
            return Errno.None;
        }
        finally
        {
            parent.Gate.ExitShared();
        }
    }

    private Errno RemoveSeed(MdevDevice mdev)
    {
        Errno error = CheckAndDeactivate(mdev);
        if (error != Errno.None)
        {
            return error;
        }

        MdevParent parent = mdev.MdevParent;
        if (!parent.Gate.TryEnterShared())
        {
            return Errno.ENODEV;
        }

        try
        {
            lock (parent.SeedLock)
            {
                // The seed asked the vendor first, and a refusal kept the device (and its remove file).
                error = CallVendor(mdev, static (ops, m) => ops.Remove(m), "remove");
                if (error != Errno.None)
                {
                    mdev.Activate();
                    if (parent.ChildrenWalked)
                    {
                        // An unregistration that stopped waiting for this remove has passed the device by: the veto cannot keep it.
                        RemoveCommon(mdev, force: true);
                        return Errno.ENODEV;
                    }

                    _ = _tree.CreateFile(mdev.Directory!, RemoveAttribute, mdev);
                    return error;
                }

                if (mdev.TryClaimRemoval())
                {
                    RemoveAfterVendor(mdev);
                }

                return Errno.None;
            }
        }
        finally
        {
            parent.Gate.ExitShared();
        }
    }

    /// <summary>mdev_device_remove_common: links (mirror of creation), device_del, and the creator's put.</summary>
    /// <param name="mdev">The device.</param>
    /// <param name="force">Parent unregistration or a failed create: the seed vendor's veto is ignored.</param>
    internal void RemoveCommon(MdevDevice mdev, bool force)
    {
        _ = mdev.TryDeactivate();

        if (Profile == KernelProfile.Seed && force)
        {
            // The seed's forced removal asks the vendor too; under the parent's lock, as its removes and creates run.
            lock (mdev.MdevParent.SeedLock)
            {
                if (mdev.TryClaimRemoval())
                {
                    _ = CallVendor(mdev, static (ops, m) => ops.Remove(m), "remove");
                    RemoveAfterVendor(mdev);
                }
            }

            return;
        }

        if (mdev.TryClaimRemoval())
        {
            RemoveAfterVendor(mdev);
        }
    }

    /// <summary>The part of a removal after the vendor: run once per device, by whoever claimed the removal.</summary>
    private void RemoveAfterVendor(MdevDevice mdev)
    {
        if (Profile == KernelProfile.Seed)
        {
            RemoveVendorDeviceGroups(mdev);
        }

        // Both type links (devices/<uuid> under the type, mdev_type in the device) are derived from this.
        mdev.TypeLinked = false;

        _model.DeleteCore(mdev);
        mdev.Put(); // The creator's reference from device_initialize.
    }
}
