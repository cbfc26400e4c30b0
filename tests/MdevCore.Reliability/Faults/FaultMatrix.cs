using MdevCore.Reliability.Stress;

namespace MdevCore.Reliability.Faults;

/// <summary>
/// Systematic fault injection: for a callback of <see cref="FaultyVendor.Callbacks"/>, a call number and a kind (throw,
/// the errno, block past the host's wait bound), a fresh host runs <see cref="FaultScenario"/> (a parent's whole life
/// reaching every callback) with that one fault planned. While a blocking fault blocks, another parent must live a
/// whole healthy life and the faulty parent must unregister within the bound. Afterwards: no exception escaped, the
/// host audits clean, its teardown leaves a fresh host's tree, and a healthy parent works.
/// </summary>
public static class FaultMatrix
{
    /// <summary>The host's wait bound in the matrix; a blocking fault blocks for twice as long unless released.</summary>
    public static TimeSpan WaitBound { get; } = TimeSpan.FromMilliseconds(40);

    /// <summary>Every case for one profile: each callback, call numbers 1 to <paramref name="maxCall"/>, each kind.</summary>
    /// <param name="maxCall">The highest call number to plan.</param>
    /// <param name="error">The errno of the errno-kind faults.</param>
    /// <returns>The plans.</returns>
    public static IEnumerable<FaultPlan> Plans(int maxCall, Errno error = Errno.EIO) =>
        from callback in FaultyVendor.Callbacks
        from call in Enumerable.Range(1, maxCall)
        from kind in new[] { FaultKind.Throw, FaultKind.Errno, FaultKind.Block }
        select new FaultPlan(callback, call, kind, error);

    /// <summary>Runs one case.</summary>
    /// <param name="profile">The profile.</param>
    /// <param name="plan">The fault.</param>
    /// <returns>What happened.</returns>
    public static FaultCaseResult Run(KernelProfile profile, FaultPlan plan)
    {
        var problems = new List<string>();
        FaultyVendor? faulty = null;
        using var stress = new StressHost(new StressHostOptions
        {
            Profile = profile,
            Slots = 2,
            RemoveWaitTimeout = WaitBound,
            FaultyDriver = true,
            VendorFactory = i => i == 0 ? faulty = new FaultyCountingVendor(profile, pool: 3) : new FaultyVendor(),
        });

        faulty!.BlockFor = WaitBound * 2;
        using IDisposable subscription = stress.Host.UEvents.Subscribe(faulty.Subscriber);

        // The host's own warm-up went through slot 0: count from zero for the scenario.
        var vendor = (FaultyCountingVendor)faulty;
        vendor.ResetCalls();
        vendor.Plan = plan;

        var scenario = new Thread(() => FaultScenario.Run(stress, stress.Slots[0], problems)) { IsBackground = true };
        scenario.Start();
        if (plan.Kind == FaultKind.Block)
        {
            InterfereWhileBlocked(stress, vendor, scenario, problems);
        }

        if (!scenario.Join(TimeSpan.FromSeconds(30)))
        {
            problems.Add("the scenario hung");
            vendor.Unblock();
            return new FaultCaseResult(profile, plan, vendor.Fired > 0, problems);
        }

        vendor.Plan = null;
        vendor.Unblock();
        lock (problems)
        {
            problems.AddRange(stress.Audit());
            problems.AddRange(stress.TearDown());
            problems.AddRange(stress.RunHealthyCycle(stress.Slots[1], Guid.Parse("7e577e57-0000-4000-8000-000000000001")));
        }

        return new FaultCaseResult(profile, plan, vendor.Fired > 0, problems);
    }

    /// <summary>While the fault blocks: the other slot lives a healthy life, and the faulty parent unregisters within the bound.</summary>
    private static void InterfereWhileBlocked(StressHost stress, FaultyVendor vendor, Thread scenario, List<string> problems)
    {
        while (scenario.IsAlive && !vendor.Blocking.IsCompleted)
        {
            Thread.Sleep(1);
        }

        if (!vendor.Blocking.IsCompleted)
        {
            return; // The scenario ended without reaching the planned call.
        }

        var healthy = new Thread(() =>
        {
            List<string> failures = stress.RunHealthyCycle(stress.Slots[1], Guid.Parse("b10cb10c-0000-4000-8000-000000000001"));
            lock (problems)
            {
                problems.AddRange(failures);
            }

            _ = stress.Unregister(stress.Slots[0]);
        })
        { IsBackground = true };
        healthy.Start();
        if (!healthy.Join(TimeSpan.FromSeconds(10)))
        {
            lock (problems)
            {
                problems.Add("a healthy parent, or unregistering the blocked one, hung while a vendor callback blocked");
            }
        }

        vendor.Unblock();
        _ = healthy.Join(TimeSpan.FromSeconds(10));
    }
}
