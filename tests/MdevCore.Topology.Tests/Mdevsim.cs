using System.Diagnostics;

namespace MdevCore.Topology.Tests;

/// <summary>Runs the built <c>mdevsim</c> next to the test assembly.</summary>
internal static class Mdevsim
{
    public static string Executable { get; } = Path.Combine(AppContext.BaseDirectory, "mdevsim");

    public static (int ExitCode, string Stdout, string Stderr) Run(params string[] args)
    {
        var start = new ProcessStartInfo(Executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in args)
        {
            start.ArgumentList.Add(a);
        }

        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(120)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"mdevsim {string.Join(' ', args)} did not finish in 120 s");
        }

        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>FUSE must work here: CI runs as root with fuse3 installed by scripts/test.sh; never skip.</summary>
    public static void RequireFuse()
    {
        if (!File.Exists("/dev/fuse"))
        {
            throw new InvalidOperationException("/dev/fuse is missing: the record round trips serve a host through FUSE and must not be skipped.");
        }
    }
}
