using MdevCore.Fuse.Tests.Support;

namespace MdevCore.Cli.Tests;

/// <summary><c>mdevsim serve</c> as a black box: mount, serve, unmount on a signal.</summary>
public sealed class ServeCommandTests
{
    [Fact]
    public void Serve_UntilSigterm_UnmountsCleanly()
    {
        FuseTestMount.RequireFuse();
        string dir = Directory.CreateTempSubdirectory("mdevsim-test-serve-").FullName;
        try
        {
            ProcessResult r = ProcessRunner.Bash($"""
                {Mdevsim.Executable} serve --mount {dir} >/dev/null 2>&1 & pid=$!
                for i in $(seq 1 100); do grep -q ' {dir} fuse.mdevsim ' /proc/mounts && break; sleep 0.1; done
                cat {dir}/class/mdev_bus/mtty/mdev_supported_types/mtty-1/available_instances
                kill -TERM $pid; wait $pid; echo "rc=$?"
                grep -c ' {dir} ' /proc/mounts
                """);

            r.Stdout.Should().Be("24\nrc=0\n0\n");
        }
        finally
        {
            _ = ProcessRunner.Run("umount", ["-l", dir]);
            Directory.Delete(dir);
        }
    }

    [Fact]
    public void Serve_on_a_non_empty_directory_refuses_with_a_message_and_exit_1()
    {
        FuseTestMount.RequireFuse();
        string dir = Directory.CreateTempSubdirectory("mdevsim-test-serve-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "keep"), "mine\n");

            ProcessResult r = Mdevsim.Run("serve", "--mount", dir);

            r.Should().Be(new ProcessResult(1, "", $"mdevsim serve: --mount {dir}: not empty; the mount would hide what is in it: use an empty directory\n"));
            File.ReadAllText("/proc/self/mounts").Should().NotContain(" " + dir + " ");
            File.ReadAllText(Path.Combine(dir, "keep")).Should().Be("mine\n");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Serve_on_a_live_mount_refuses_and_the_first_daemon_keeps_serving()
    {
        FuseTestMount.RequireFuse();
        string dir = Directory.CreateTempSubdirectory("mdevsim-test-serve-").FullName;
        try
        {
            ProcessResult r = ProcessRunner.Bash($"""
                {Mdevsim.Executable} serve --mount {dir} >/dev/null 2>&1 & pid=$!
                for i in $(seq 1 100); do grep -q ' {dir} fuse.mdevsim ' /proc/mounts && break; sleep 0.1; done
                {Mdevsim.Executable} serve --mount {dir}; echo "second rc=$?"
                grep -c ' {dir} fuse.mdevsim ' /proc/mounts
                cat {dir}/class/mdev_bus/mtty/mdev_supported_types/mtty-1/available_instances
                kill -TERM $pid; wait $pid; echo "first rc=$?"
                """);

            r.Stdout.Should().Be("second rc=1\n1\n24\nfirst rc=0\n");
            r.Stderr.Should().Be($"mdevsim serve: --mount {dir}: already a mount point (fuse.mdevsim); unmount it first (fusermount3 -u {dir}) or pick another directory\n");
        }
        finally
        {
            _ = ProcessRunner.Run("umount", ["-l", dir]);
            Directory.Delete(dir);
        }
    }

    [Fact]
    public void Serve_on_a_missing_directory_says_so_with_exit_1()
    {
        string dir = Path.Combine(Path.GetTempPath(), $"mdevsim-missing-{Guid.NewGuid():N}");

        ProcessResult r = Mdevsim.Run("serve", "--mount", dir);

        r.Should().Be(new ProcessResult(1, "", $"mdevsim serve: --mount {dir}: stat: ENOENT (No such file or directory)\n"));
    }

    [Fact]
    public void Serve_with_allow_other_lets_another_user_read_but_not_create()
    {
        FuseTestMount.RequireFuse();
        string dir = Directory.CreateTempSubdirectory("mdevsim-test-serve-").FullName;
        string type = $"{dir}/class/mdev_bus/mtty/mdev_supported_types/mtty-1";
        try
        {
            ProcessResult r = ProcessRunner.Bash($"""
                {Mdevsim.Executable} serve --allow-other --mount {dir} >/dev/null 2>&1 & pid=$!
                for i in $(seq 1 100); do grep -q ' {dir} fuse.mdevsim ' /proc/mounts && break; sleep 0.1; done
                setpriv --reuid=65534 --regid=65534 --clear-groups sh -c 'cat {type}/available_instances; echo 83b8f4f2-509f-382f-3c1e-e6bfe0fa1001 > {type}/create' 2>&1
                cat {type}/available_instances
                kill -TERM $pid; wait $pid
                """);

            r.Stdout.Should().Be($"24\nsh: 1: cannot create {type}/create: Permission denied\n24\n");
        }
        finally
        {
            _ = ProcessRunner.Run("umount", ["-l", dir]);
            Directory.Delete(dir);
        }
    }

    [Fact]
    public void Serve_killed_with_sigkill_leaves_no_mount_and_no_process_behind()
    {
        FuseTestMount.RequireFuse();
        string dir = Directory.CreateTempSubdirectory("mdevsim-test-serve-").FullName;
        try
        {
            // The loop bounds how long fusermount3 may take to notice the dead daemon; it asserts nothing about time.
            ProcessResult r = ProcessRunner.Bash($"""
                exec 3< <({Mdevsim.Executable} serve --mount {dir} 2>/dev/null & echo $! > {dir}.pid; wait)
                read -r line <&3; pid=$(cat {dir}.pid); rm {dir}.pid
                cat {dir}/class/mdev_bus/mtty/mdev_supported_types/mtty-1/available_instances
                kill -KILL $pid
                # fusermount3 has ended when it is gone or a zombie (awaiting a reaper that is not ours to be).
                watchers() ( for p in $(pgrep -x fusermount3); do tr '\0' ' ' < /proc/$p/cmdline 2>/dev/null | grep -q ' {dir}' && [ "$(cut -d' ' -f3 /proc/$p/stat 2>/dev/null)" != Z ] && echo "running: $p"; done; true )
                for i in $(seq 1 600); do grep -q ' {dir} ' /proc/mounts || [ -n "$(watchers)" ] || break; sleep 0.05; done
                grep -c ' {dir} ' /proc/mounts
                cat <&3; echo "stdout closed"
                watchers; echo "no fusermount3"
                ls -A {dir}; echo "listed"
                """, TimeSpan.FromSeconds(60));

            r.Stdout.Should().Be("24\n0\nstdout closed\nno fusermount3\nlisted\n");
        }
        finally
        {
            if (File.ReadAllText("/proc/mounts").Contains(" " + dir + " ", StringComparison.Ordinal))
            {
                _ = ProcessRunner.Run("umount", ["-l", dir]);
            }

            Directory.Delete(dir);
        }
    }
}
