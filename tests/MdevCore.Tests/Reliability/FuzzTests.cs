using MdevCore.Reliability.Fuzz;

namespace MdevCore.Tests.Reliability;

/// <summary>Fuzzing (issue-10 suite): random, NUL-laden, non-UTF-8, huge, whitespace and number inputs to every
/// writable attribute, and hostile paths to every path API, give only errno results and keep every invariant.</summary>
public sealed class FuzzTests
{
    [Theory]
    [InlineData(KernelProfile.Modern)]
    [InlineData(KernelProfile.Seed)]
    public void Fuzzed_writes_and_paths_give_only_errnos_and_keep_every_invariant(KernelProfile profile)
    {
        FuzzResult result = Fuzzer.Run(profile, inputs: 20_000, seed: 11);

        result.Exceptions.Should().BeEmpty();
        result.Hangs.Should().BeEmpty();
        result.Violations.Should().BeEmpty();
        result.Targets.Should().BeGreaterThan(20, "create, remove, bind, unbind, uevent, the vendor's own files and more are writable");
        result.Errnos.Should().BeInRange(1, result.Inputs - 1, "most fuzzed inputs are refused and some are accepted");
    }
}
