using System.Diagnostics;
using System.Globalization;
using MdevCore.Reliability.Faults;
using MdevCore.Reliability.Fuzz;
using MdevCore.Reliability.Stress;

namespace MdevCore.Benchmarks;

/// <summary>
/// <c>stress [--ops N] [--threads T] [--fuzz N] [--max-call K]</c>: the reliability figures. Parent and device churn
/// under both profiles (N operations each on T threads), the whole fault matrix (every callback, calls 1 to K, throw,
/// errno and block, both profiles) and the fuzzer (N inputs per profile); prints operations, threads, violations,
/// escaped exceptions and hangs, faults injected and cases with residue, fuzzed inputs and non-errno outcomes. Exits 1
/// when anything was found.
/// </summary>
internal static class StressCommand
{
    public static int Run(string[] args)
    {
        long ops = Option(args, "--ops", 1_000_000);
        int threads = (int)Option(args, "--threads", 8);
        long fuzz = Option(args, "--fuzz", 500_000);
        int maxCall = (int)Option(args, "--max-call", 6);
        var total = Stopwatch.StartNew();
        bool clean = true;

        foreach (KernelProfile profile in new[] { KernelProfile.Modern, KernelProfile.Seed })
        {
            ChurnResult churn = ChurnWorkload.Run(new ChurnOptions { Profile = profile, Operations = ops, Threads = threads, Seed = 42 });
            Console.WriteLine(churn);
            Console.WriteLine("  " + string.Join(", ", churn.Outcomes.OrderBy(p => p.Key, StringComparer.Ordinal)
                .Select(p => $"{p.Key} {p.Value.Succeeded:N0}/{p.Value.Succeeded + p.Value.Failed:N0}")));
            Print(churn.Violations.Concat(churn.Exceptions).Concat(churn.Hangs));
            clean &= churn.Clean;
        }

        int cases = 0, injected = 0, withResidue = 0;
        foreach (KernelProfile profile in new[] { KernelProfile.Modern, KernelProfile.Seed })
        {
            foreach (FaultPlan plan in FaultMatrix.Plans(maxCall, Errno.EBUSY))
            {
                FaultCaseResult result = FaultMatrix.Run(profile, plan);
                cases++;
                injected += result.Fired ? 1 : 0;
                if (result.Problems.Count > 0)
                {
                    withResidue++;
                    Console.WriteLine("  " + result);
                }
            }
        }

        Console.WriteLine($"faults: {cases} cases ({FaultyVendor.Callbacks.Count} callbacks x calls 1-{maxCall} x throw/errno/block x 2 profiles), " +
            $"{injected} injected, {withResidue} with residue or escaped exceptions");
        clean &= withResidue == 0;

        foreach (KernelProfile profile in new[] { KernelProfile.Modern, KernelProfile.Seed })
        {
            FuzzResult result = Fuzzer.Run(profile, fuzz, seed: 42);
            Console.WriteLine(result);
            Print(result.Exceptions.Concat(result.Violations).Concat(result.Hangs));
            clean &= result.Clean;
        }

        Console.WriteLine($"stress: {(clean ? "clean" : "FOUND PROBLEMS")} in {total.Elapsed.TotalSeconds:0.0} s");
        return clean ? 0 : 1;
    }

    private static void Print(IEnumerable<string> problems)
    {
        foreach (string problem in problems.Take(20))
        {
            Console.WriteLine("  " + problem);
        }
    }

    private static long Option(string[] args, string name, long fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? long.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
