using Xunit;

namespace MdevCore.Testing;

/// <summary>
/// The vendor-driver contract (<see cref="VendorDriverContract"/>) as xunit v3 tests: derive one class per driver, implement
/// <see cref="VendorDriverContract.RegisterParent"/> and <see cref="VendorDriverContract.ExhaustedErrno"/>, and each check of
/// <see cref="VendorDriverContract.CheckNames"/> runs as one case of <see cref="Contract"/>.
/// </summary>
/// <remarks>Referenced from a project on xunit v2, this package fails the build (MDEVTEST001) instead of leaving the runner with no test.</remarks>
public abstract class VendorDriverContractTests : VendorDriverContract
{
    /// <summary>Every check's name, one test case each.</summary>
    public static TheoryData<string> Checks => [.. CheckNames];

    /// <summary>Runs one contract check against the driver.</summary>
    /// <param name="check">The check's name.</param>
    [Theory]
    [MemberData(nameof(Checks))]
    public void Contract(string check) => RunCheck(check);
}
