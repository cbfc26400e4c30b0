using System.Text.RegularExpressions;
using System.Xml.Linq;
using MdevCore.Testing;

namespace MdevCore.Packaging.Tests;

/// <summary>The vendor-driver contract from the feed under xunit v2 and xunit v3: the same consumer source, only the adapter
/// package differs; correct drivers pass every check, a broken one fails exactly the checks it breaks, and the adapter of one
/// generation in a project of the other fails the build rather than leaving the runner with no test.</summary>
[Collection(SharedFeed.Name)]
public sealed partial class ContractPackageTests(PackageFeed feed)
{
    private static readonly TimeSpan Restore = TimeSpan.FromMinutes(8);

    /// <summary>What the broken consumer driver breaks: a remove that keeps the budget, ioctls that succeed with nothing filled
    /// in, reads and writes that succeed anywhere.</summary>
    private static readonly string[] BrokenChecks =
    [
        "Create_and_remove_through_sysfs_give_available_instances_back",
        "Fifty_create_remove_cycles_leave_the_tree_as_it_was",
        "Device_info_and_region_info_describe_disjoint_regions_that_answer_reads",
        "Unknown_ioctls_return_ENOTTY_and_a_short_argsz_EINVAL",
        "Accesses_outside_every_region_return_EFAULT",
    ];

    [Theory]
    [InlineData("xunit-v2", "MdevCore.Testing.Xunit")]
    [InlineData("xunit-v3", "MdevCore.Testing.Xunit.v3")]
    public void Correct_drivers_pass_every_check_and_a_broken_one_fails_the_checks_it_breaks(string framework, string adapter)
    {
        feed.PackResult.ExitCode.Should().Be(0, feed.PackResult.ToString());
        string project = MakeProject(framework, adapter, "contract-" + framework);
        string results = Path.Combine(project, "results");

        ProcessResult test = PackageFeed.Dotnet(project, Restore, "test", "--logger", "trx;LogFileName=contract.trx", "--results-directory", results);

        test.ExitCode.Should().Be(1, "the broken driver's checks fail the run:\n" + test);
        string trx = Directory.GetFiles(results, "*.trx", SearchOption.AllDirectories).Should().ContainSingle().Subject;
        Dictionary<(string Class, string Check), string> outcomes = Outcomes(trx);
        BrokenChecks.Should().BeSubsetOf(VendorDriverContract.CheckNames);
        outcomes.Should().HaveCount(3 * VendorDriverContract.CheckNames.Count, "each of the three classes runs every check once:\n" + test);
        foreach (string check in VendorDriverContract.CheckNames)
        {
            outcomes[("MttyContractTests", check)].Should().Be("Passed", $"mtty keeps {check} under {framework}");
            outcomes[("PlainContractTests", check)].Should().Be("Passed", $"a driver without VFIO callbacks keeps {check} under {framework}");
            outcomes[("BrokenContractTests", check)].Should().Be(BrokenChecks.Contains(check) ? "Failed" : "Passed", $"the broken driver and {check} under {framework}");
        }

        File.ReadAllText(Path.Combine(project, "obj", "project.assets.json")).Should().Contain($"\"{adapter}/{feed.Version}\"", "the adapter came from the feed");
    }

    [Theory]
    [InlineData("xunit-v3", "MdevCore.Testing.Xunit", "MdevCore.Testing.Xunit.v3")]
    [InlineData("xunit-v2", "MdevCore.Testing.Xunit.v3", "MdevCore.Testing.Xunit")]
    public void The_adapter_of_the_other_xunit_generation_fails_the_build_and_names_the_right_one(string framework, string adapter, string right)
    {
        feed.PackResult.ExitCode.Should().Be(0, feed.PackResult.ToString());
        string project = MakeProject(framework, adapter, $"mismatch-{framework}");

        ProcessResult build = PackageFeed.Dotnet(project, Restore, "build");

        build.ExitCode.Should().NotBe(0, "a run that would find no contract test must not pass:\n" + build);
        build.Output.Should().Contain("MDEVTEST001").And.Contain($"Reference {right} instead");
    }

    private string MakeProject(string framework, string adapter, string folder)
    {
        string project = Path.Combine(feed.WorkDirectory, folder);
        Directory.CreateDirectory(project);
        string source = Path.Combine(AppContext.BaseDirectory, "ContractConsumer");
        File.WriteAllText(Path.Combine(project, "ContractConsumer.csproj"), File.ReadAllText(Path.Combine(source, framework + ".csproj.template"))
            .Replace("@VERSION@", feed.Version, StringComparison.Ordinal).Replace("@ADAPTER@", adapter, StringComparison.Ordinal));
        File.Copy(Path.Combine(source, "ContractTests.cs"), Path.Combine(project, "ContractTests.cs"), overwrite: true);
        return project;
    }

    /// <summary>Each test case's outcome from a TRX file, by class and check (the theory's argument).</summary>
    private static Dictionary<(string Class, string Check), string> Outcomes(string trx)
    {
        XNamespace ns = "http://microsoft.com/schemas/VisualStudio/TeamTest/2010";
        var outcomes = new Dictionary<(string, string), string>();
        foreach (XElement result in XDocument.Load(trx).Descendants(ns + "UnitTestResult"))
        {
            string name = result.Attribute("testName")!.Value;
            Match m = CaseName().Match(name);
            m.Success.Should().BeTrue($"'{name}' is a contract case");
            // xunit shortens a long argument in the display name to its first 50 characters and "···"; the prefix names one check.
            string check = m.Groups["more"].Success
                ? VendorDriverContract.CheckNames.Should().ContainSingle(c => c.StartsWith(m.Groups["check"].Value, StringComparison.Ordinal), name).Subject
                : m.Groups["check"].Value;
            outcomes.Add((m.Groups["class"].Value, check), result.Attribute("outcome")!.Value);
        }

        return outcomes;
    }

    [GeneratedRegex("""(?<class>\w+)\.Contract\(check: "(?<check>\w+)"(?<more>···)?\)$""")]
    private static partial Regex CaseName();
}
