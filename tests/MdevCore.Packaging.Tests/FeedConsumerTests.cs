namespace MdevCore.Packaging.Tests;

/// <summary>
/// The packages as a stranger gets them: packed into a local feed, then used by version from that feed in
/// a work directory outside the solution, with no project reference back into it.
/// </summary>
[Collection(SharedFeed.Name)]
public sealed class FeedConsumerTests(PackageFeed feed)
{
    private static readonly TimeSpan Restore = TimeSpan.FromMinutes(8);

    [Fact]
    public void Pack_produces_every_package_with_symbols()
    {
        feed.PackResult.ExitCode.Should().Be(0, feed.PackResult.ToString());
        string v = feed.Version;
        feed.Packages.Should().Contain(
        [
            $"MdevCore.{v}.nupkg", $"MdevCore.{v}.snupkg",
            $"MdevCore.Testing.{v}.nupkg", $"MdevCore.Testing.{v}.snupkg",
            $"MdevCore.Testing.Xunit.{v}.nupkg", $"MdevCore.Testing.Xunit.{v}.snupkg",
            $"MdevCore.Testing.Xunit.v3.{v}.nupkg", $"MdevCore.Testing.Xunit.v3.{v}.snupkg",
            $"MdevCore.Samples.{v}.nupkg", $"MdevCore.Samples.{v}.snupkg",
            $"MdevCore.Topology.{v}.nupkg", $"MdevCore.Topology.{v}.snupkg",
            $"MdevCore.Fuse.{v}.nupkg", $"MdevCore.Fuse.{v}.snupkg",
            $"MdevCore.Hosting.{v}.nupkg", $"MdevCore.Hosting.{v}.snupkg",
            $"mdevsim.{v}.nupkg",
            $"MdevCore.Templates.{v}.nupkg",
        ]);
    }

    [Fact]
    public void A_console_app_with_its_own_vendor_driver_runs_against_the_core_package_from_the_feed()
    {
        feed.PackResult.ExitCode.Should().Be(0, feed.PackResult.ToString());
        string app = Path.Combine(feed.WorkDirectory, "consumer");
        Directory.CreateDirectory(app);
        string source = Path.Combine(AppContext.BaseDirectory, "Consumer");
        File.WriteAllText(Path.Combine(app, "Consumer.csproj"),
            File.ReadAllText(Path.Combine(source, "Consumer.csproj.template")).Replace("@VERSION@", feed.Version, StringComparison.Ordinal));
        File.Copy(Path.Combine(source, "Program.cs"), Path.Combine(app, "Program.cs"));

        ProcessResult run = PackageFeed.Dotnet(app, Restore, "run", "-c", "Release");

        run.ExitCode.Should().Be(0, run.ToString());
        run.Output.Should().Contain("consumer: all checks passed").And.NotContain("FAIL");
        File.ReadAllText(Path.Combine(app, "obj", "project.assets.json"))
            .Should().Contain($"\"MdevCore/{feed.Version}\"", "the core came from the feed by version");
    }

    [Fact]
    public void The_mdevsim_tool_installs_from_the_feed_and_runs_its_demo()
    {
        feed.PackResult.ExitCode.Should().Be(0, feed.PackResult.ToString());
        string tools = Path.Combine(feed.WorkDirectory, "tools");

        ProcessResult install = PackageFeed.Dotnet(feed.WorkDirectory, Restore,
            "tool", "install", "mdevsim", "--version", feed.Version, "--tool-path", tools, "--add-source", feed.Feed);
        install.ExitCode.Should().Be(0, install.ToString());

        ProcessResult demo = ProcessRunner.Run(Path.Combine(tools, "mdevsim"), ["demo"], feed.WorkDirectory, TimeSpan.FromMinutes(2));

        demo.ExitCode.Should().Be(0, demo.ToString());
        demo.Output.Should().Contain("received \"hello, mdev\"").And.Contain("mdevs left: 0");
    }

    /// <summary>The template with a dotted name, a hyphenated output folder and no name at all (the folder's name):
    /// each generates a solution that a bare <c>dotnet build</c> and <c>dotnet test</c> at its root build and pass.</summary>
    [Theory]
    [InlineData("dotted name", new[] { "-n", "Contoso.Accel", "--Instances", "3" }, "Contoso.Accel", "Contoso.Accel", "Contoso.Accel", "Accel")]
    [InlineData("hyphenated output folder", new[] { "-o", "my-driver" }, "my-driver", "my-driver", "my_driver", "My_driver")]
    [InlineData("default", new string[0], "Fabrikam", "Fabrikam", "Fabrikam", "Fabrikam")]
    public void The_dotnet_new_template_from_the_feed_makes_a_solution_that_builds_and_passes_at_its_root(
        string scenario, string[] arguments, string folder, string project, string rootNamespace, string classPrefix)
    {
        feed.PackResult.ExitCode.Should().Be(0, feed.PackResult.ToString());
        string hive = InstallTemplate();
        string parent = Path.Combine(feed.WorkDirectory, "template-" + scenario.Replace(' ', '-'));
        string root = Path.Combine(parent, folder);
        Directory.CreateDirectory(arguments.Length == 0 ? root : parent);

        // With neither -n nor -o the template takes the current folder's name and fills that folder.
        ProcessResult generate = PackageFeed.Dotnet(arguments.Length == 0 ? root : parent, Restore,
            ["new", "mdev-vendor", .. arguments, "--debug:custom-hive", hive]);
        generate.ExitCode.Should().Be(0, generate.ToString());

        string sources = Path.Combine(root, "src", project);
        File.ReadAllText(Path.Combine(sources, project + ".csproj")).Should().Contain($"Version=\"{feed.Version}\"")
            .And.Contain($"<RootNamespace>{rootNamespace}</RootNamespace>");
        string driver = File.ReadAllText(Path.Combine(sources, classPrefix + "Driver.cs"));
        driver.Should().Contain($"namespace {rootNamespace};").And.Contain($"public sealed class {classPrefix}Driver ");
        File.Exists(Path.Combine(root, project + ".slnx")).Should().BeTrue("a solution at the root makes a bare dotnet build work");

        ProcessResult build = PackageFeed.Dotnet(root, Restore, "build");
        build.ExitCode.Should().Be(0, build.ToString());
        ProcessResult test = PackageFeed.Dotnet(root, Restore, "test", "--no-build");

        test.ExitCode.Should().Be(0, test.ToString());
        test.Output.Should().MatchRegex(@"Passed!\s+-\s+Failed:\s+0, Passed:\s+1\d", "the driver's own tests and the contract tests ran");
        if (arguments.Contains("--Instances"))
        {
            driver.Should().Contain("int instances = 3");
        }
    }

    private string InstallTemplate()
    {
        string hive = Path.Combine(feed.WorkDirectory, "template-hive");
        if (!Directory.Exists(hive))
        {
            string package = Path.Combine(feed.Feed, $"MdevCore.Templates.{feed.Version}.nupkg");
            ProcessResult install = PackageFeed.Dotnet(feed.WorkDirectory, Restore, "new", "install", package, "--debug:custom-hive", hive);
            install.ExitCode.Should().Be(0, install.ToString());
        }

        return hive;
    }
}
