using System.Diagnostics;

namespace MdevCore.Fuse.Tests.Support;

internal sealed record ProcessResult(int ExitCode, string Stdout, string Stderr);

/// <summary>Runs a child process with a timeout; a hung child is killed and the test fails.</summary>
internal static class ProcessRunner
{
    public static ProcessResult Run(string file, IEnumerable<string> args, TimeSpan? timeout = null, string? stdin = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        // Plain ASCII quotes and byte-order sorting in the messages the tests compare.
        start.Environment["LC_ALL"] = "C";
        foreach ((string key, string value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }
        foreach (string a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var p = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {file}");
        Task<string> stdout = p.StandardOutput.ReadToEndAsync();
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            p.StandardInput.Write(stdin);
        }

        p.StandardInput.Close();
        TimeSpan limit = timeout ?? TimeSpan.FromSeconds(60);
        if (!p.WaitForExit(limit))
        {
            p.Kill(entireProcessTree: true);
            _ = p.WaitForExit(5000);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish within {limit}; stdout so far: {(stdout.IsCompleted ? stdout.Result : "?")}");
        }

        p.WaitForExit();
        return new ProcessResult(p.ExitCode, stdout.Result, stderr.Result);
    }

    public static ProcessResult Bash(string script, TimeSpan? timeout = null) => Run("bash", ["-c", script], timeout);
}
