using System.Diagnostics;
using MdevCore.Fuse.Tests.Support;

namespace MdevCore.Cli.Tests;

/// <summary>
/// <c>mdevsim run</c>'s process tree: signals reach the command, the tree dies with its supervisor, and the
/// command starts with the signal handling of a fresh process.
/// </summary>
public sealed class RunProcessHygieneTests : IDisposable
{
    // A private TMPDIR, so the clean-up checks see only this test's leftovers. The .NET runtime of a SIGKILLed
    // process leaves its diagnostic endpoints (dotnet-diagnostic-PID-*, clr-debug-pipe-PID-*) in TMPDIR;
    // they are the runtime's, not mdevsim's, so these tests turn them off for the processes they start.
    private readonly string _tmp = Directory.CreateTempSubdirectory("mdevsim-test-tmp-").FullName;

    public void Dispose() => Directory.Delete(_tmp, recursive: true);

    [Fact]
    public void Sigkill_of_the_supervisor_takes_the_namespace_the_server_and_the_command_with_it()
    {
        using Process supervisor = StartRun("sh", "-c", "echo ready; exec sleep 32.1");
        ReadLine(supervisor).Should().Be("ready");
        List<int> tree = Descendants(supervisor.Id);
        tree.Should().HaveCountGreaterThanOrEqualTo(3, "unshare, the server and the command run under the supervisor");

        supervisor.Kill();
        supervisor.WaitForExit();

        WaitUntil(() => !tree.Any(IsAlive)).Should().BeTrue($"every process under the supervisor ends with it; still running: {string.Join(", ", tree.Where(IsAlive).Select(Describe))}");
        AssertNothingLeft();
    }

    [Fact]
    public void Sigint_sent_only_to_the_supervisor_is_passed_to_the_command()
    {
        using Process supervisor = StartRun("sh", "-c", "trap 'echo interrupted; exit 3' INT; echo ready; sleep 33.1 & wait");
        ReadLine(supervisor).Should().Be("ready");

        ProcessRunner.Run("kill", ["-INT", supervisor.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]).ExitCode.Should().Be(0);

        ReadLine(supervisor).Should().Be("interrupted");
        supervisor.WaitForExit(30_000).Should().BeTrue();
        supervisor.ExitCode.Should().Be(3);
        AssertNothingLeft();
    }

    [Fact]
    public void Command_starts_with_default_signal_dispositions_and_an_empty_signal_mask()
    {
        ProcessResult r = ProcessRunner.Run(Mdevsim.Executable,
            ["run", "--", "bash", "-c", "yes | head -n1 >/dev/null; echo ${PIPESTATUS[0]}; grep -E '^Sig(Blk|Ign):' /proc/self/status"],
            TimeSpan.FromSeconds(60), environment: Environment());

        r.Should().Be(new ProcessResult(0, "141\nSigBlk:\t0000000000000000\nSigIgn:\t0000000000000000\n", ""));
    }

    private Dictionary<string, string> Environment() => new() { ["TMPDIR"] = _tmp, ["DOTNET_EnableDiagnostics"] = "0" };

    /// <summary>Starts <c>mdevsim run -- CMD</c> in a session of its own (no controlling terminal, as in CI).</summary>
    private Process StartRun(params string[] command)
    {
        FuseTestMount.RequireFuse();
        var start = new ProcessStartInfo("setsid")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach ((string key, string value) in Environment())
        {
            start.Environment[key] = value;
        }

        foreach (string arg in (string[])[Mdevsim.Executable, "run", "--", .. command])
        {
            start.ArgumentList.Add(arg);
        }

        // setsid execs in place (a child of ours is never a process group leader), so this is the supervisor.
        return Process.Start(start) ?? throw new InvalidOperationException("cannot start mdevsim");
    }

    private static string? ReadLine(Process p)
    {
        Task<string?> line = p.StandardOutput.ReadLineAsync();
        if (!line.Wait(TimeSpan.FromSeconds(60)))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException("mdevsim run printed nothing: " + p.StandardError.ReadToEnd());
        }

        return line.Result;
    }

    private static List<int> Descendants(int pid)
    {
        var all = new List<int>();
        var next = new Queue<int>([pid]);
        while (next.TryDequeue(out int p))
        {
            foreach (string task in SafeList($"/proc/{p}/task"))
            {
                foreach (string child in SafeRead($"{task}/children").Split(' ', StringSplitOptions.RemoveEmptyEntries))
                {
                    int c = int.Parse(child, System.Globalization.CultureInfo.InvariantCulture);
                    all.Add(c);
                    next.Enqueue(c);
                }
            }
        }

        return all;
    }

    private static bool IsAlive(int pid)
    {
        string stat = SafeRead($"/proc/{pid}/stat");
        // The state follows the command name in parentheses; a zombie has ended.
        return stat.Length > 0 && stat[(stat.LastIndexOf(')') + 2)..].FirstOrDefault() is not 'Z' and not 'X';
    }

    private static string Describe(int pid) => $"{pid} {SafeRead($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim()}";

    private static bool WaitUntil(Func<bool> condition)
    {
        // A bound on how long the kernel may take to deliver the signals, not a timing assertion.
        for (int i = 0; i < 200 && !condition(); i++)
        {
            Thread.Sleep(50);
        }

        return condition();
    }

    private void AssertNothingLeft()
    {
        File.ReadAllText("/proc/self/mountinfo").Should().NotContain(_tmp);
        Directory.GetFileSystemEntries(_tmp).Should().BeEmpty();
    }

    private static string SafeRead(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }

    private static string[] SafeList(string dir)
    {
        try
        {
            return Directory.GetDirectories(dir);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }
}
