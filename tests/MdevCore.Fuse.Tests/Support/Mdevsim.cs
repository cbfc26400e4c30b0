namespace MdevCore.Fuse.Tests.Support;

/// <summary>Runs the built <c>mdevsim</c> command, and scripts of steps through <c>mdevsim run</c>.</summary>
internal static class Mdevsim
{
    public static string Executable { get; } = Path.Combine(AppContext.BaseDirectory, "mdevsim");

    public static string Topologies { get; } = Path.Combine(AppContext.BaseDirectory, "topologies");

    public static ProcessResult Run(params string[] args) => ProcessRunner.Run(Executable, args, TimeSpan.FromSeconds(90));

    public static void RequireMdevctl()
    {
        FuseTestMount.RequireFuse();
        if (!File.Exists("/usr/bin/mdevctl"))
        {
            throw new InvalidOperationException("mdevctl is not installed (scripts/test.sh installs it with apt-get); conformance tests must not be skipped.");
        }
    }

    /// <summary>Runs each step as a bash command inside one <c>mdevsim run</c>, capturing each step's stdout, stderr and exit code.</summary>
    public static StepResults RunSteps(string? topologyJson, params string[] steps) => RunSteps(topologyJson, null, [], steps);

    public static StepResults RunSteps(string? topologyJson, string? etcDir, string[] runOptions, params string[] steps)
    {
        RequireMdevctl();
        string dir = Directory.CreateTempSubdirectory("mdevsim-steps-").FullName;
        try
        {
            var script = new System.Text.StringBuilder("cd /\n");
            for (int i = 0; i < steps.Length; i++)
            {
                _ = script.Append("( ").Append(steps[i]).Append(System.Globalization.CultureInfo.InvariantCulture, $" ) >{dir}/{i}.out 2>{dir}/{i}.err </dev/null; echo $? >{dir}/{i}.rc\n");
            }

            File.WriteAllText(Path.Combine(dir, "script.sh"), script.ToString());
            var args = new List<string> { "run" };
            args.AddRange(runOptions);
            if (topologyJson is not null)
            {
                string topo = Path.Combine(dir, "topology.json");
                File.WriteAllText(topo, topologyJson);
                args.AddRange(["--topology", topo]);
            }

            if (etcDir is not null)
            {
                args.AddRange(["--etc", etcDir]);
            }

            args.AddRange(["--", "bash", Path.Combine(dir, "script.sh")]);
            ProcessResult run = ProcessRunner.Run(Executable, args, TimeSpan.FromSeconds(120));
            if (run.ExitCode != 0)
            {
                throw new InvalidOperationException($"mdevsim run failed ({run.ExitCode}): {run.Stderr}");
            }

            var results = new ProcessResult[steps.Length];
            for (int i = 0; i < steps.Length; i++)
            {
                results[i] = new ProcessResult(
                    int.Parse(File.ReadAllText($"{dir}/{i}.rc").Trim(), System.Globalization.CultureInfo.InvariantCulture),
                    File.ReadAllText($"{dir}/{i}.out"),
                    File.ReadAllText($"{dir}/{i}.err"));
            }

            return new StepResults(steps, results);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}

internal sealed class StepResults(string[] steps, ProcessResult[] results)
{
    public ProcessResult this[int i] => results[i];

    public override string ToString() =>
        string.Join("\n", steps.Select((s, i) => $"[{i}] {s} -> rc {results[i].ExitCode}\n{results[i].Stdout}{results[i].Stderr}"));
}
