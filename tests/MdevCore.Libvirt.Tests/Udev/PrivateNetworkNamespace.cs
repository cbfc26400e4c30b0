using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;

namespace MdevCore.Libvirt.Tests.Udev;

/// <summary>Runs code on a thread of its own that has left the process's network namespace for a new, empty one.</summary>
internal static partial class PrivateNetworkNamespace
{
    private const int CLONE_NEWNET = 0x40000000;

    public static void Run(Action action)
    {
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                if (Unshare(CLONE_NEWNET) != 0)
                {
                    throw new InvalidOperationException("unshare(CLONE_NEWNET) failed (the tests run as root): " + Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError()));
                }

                action();
            }
            catch (Exception e)
            {
                failure = ExceptionDispatchInfo.Capture(e);
            }
        });
        thread.Start();
        thread.Join();
        failure?.Throw();
    }

    [LibraryImport("libc", EntryPoint = "unshare", SetLastError = true)]
    private static partial int Unshare(int flags);
}
