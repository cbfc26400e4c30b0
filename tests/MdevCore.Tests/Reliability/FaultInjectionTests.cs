using MdevCore.Reliability.Faults;

namespace MdevCore.Tests.Reliability;

/// <summary>Systematic fault injection (issue-10 suite): every callback of a vendor implementing every vendor
/// interface (and of its bus driver and a uevent listener), at each of its first calls, throws, returns an errno or
/// blocks past the host's wait bound. After every case no exception escaped, nothing is left behind and a healthy
/// parent lives a whole life.</summary>
public sealed class FaultInjectionTests
{
    public static TheoryData<KernelProfile, string> Callbacks()
    {
        var data = new TheoryData<KernelProfile, string>();
        foreach (KernelProfile profile in new[] { KernelProfile.Modern, KernelProfile.Seed })
        {
            foreach (string callback in FaultyVendor.Callbacks)
            {
                data.Add(profile, callback);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Callbacks))]
    public void Every_fault_of_a_callback_leaves_no_residue_and_the_host_working(KernelProfile profile, string callback)
    {
        FaultPlan[] plans = [.. FaultMatrix.Plans(maxCall: 4, Errno.EBUSY).Where(p => p.Callback == callback)];
        FaultCaseResult[] results = [.. plans.Select(plan => FaultMatrix.Run(profile, plan))];

        results.Where(r => r.Problems.Count > 0).Select(r => r.ToString()).Should().BeEmpty();
        results.Should().Contain(r => r.Fired, $"the scenario reaches {callback} at least once");
    }
}
