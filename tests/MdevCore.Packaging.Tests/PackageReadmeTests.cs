using System.IO.Compression;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace MdevCore.Packaging.Tests;

/// <summary>Each package's README is its own: what the package is for, how to start, absolute links to the documentation;
/// and the install commands README.md documents work against the feed as written.</summary>
[Collection(SharedFeed.Name)]
public sealed partial class PackageReadmeTests(PackageFeed feed)
{
    private static readonly TimeSpan Restore = TimeSpan.FromMinutes(8);

    [Fact]
    public void Every_package_has_its_own_readme_with_its_start_and_absolute_links_to_the_docs()
    {
        feed.PackResult.ExitCode.Should().Be(0, feed.PackResult.ToString());
        string repositoryReadme = File.ReadAllText(Path.Combine(feed.RepositoryRoot, "README.md"));
        string docs = ProjectUrl(feed) + "/blob/main/docs/";
        string[] packages = [.. feed.Packages.Where(p => p.EndsWith(".nupkg", StringComparison.Ordinal))];
        packages.Should().HaveCountGreaterThan(6);
        foreach (string package in packages)
        {
            string id = package[..package.IndexOf("." + feed.Version, StringComparison.Ordinal)];
            using ZipArchive zip = ZipFile.OpenRead(Path.Combine(feed.Feed, package));
            XDocument.Load(zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open()).Descendants().Where(e => e.Name.LocalName == "readme")
                .Select(e => e.Value).Should().Equal(["README.md"], package);
            string readme = new StreamReader(zip.GetEntry("README.md")!.Open()).ReadToEnd();
            string because = $"{package}'s README:\n{readme}";

            readme.Should().NotBe(repositoryReadme, because).And.StartWith("# " + id + "\n", because);
            readme.Should().MatchRegex($@"dotnet (add package|tool install -g|new install) {Regex.Escape(id)}\b", because + " (its start)");
            readme.Should().Contain(docs, because + " (absolute links to the docs)");
            readme.Should().NotContain("--project src/", because);
            foreach (Match link in MarkdownLink().Matches(readme))
            {
                link.Groups[1].Value.Should().StartWith("https://", $"{package}: every link works on nuget.org, so none is relative");
            }
        }
    }

    [Fact]
    public void The_install_commands_in_README_work_as_written_against_the_feed()
    {
        feed.PackResult.ExitCode.Should().Be(0, feed.PackResult.ToString());
        string[] commands = InstallCommands(File.ReadAllText(Path.Combine(feed.RepositoryRoot, "README.md")));
        bool preRelease = XDocument.Load(Path.Combine(feed.RepositoryRoot, "Directory.Build.props")).Descendants("VersionSuffix").Any(e => e.Value.Length > 0);
        preRelease.Should().BeTrue("only pre-releases exist until a stable version is published (Directory.Build.props); once one is, README's commands drop --prerelease and this test changes with them");
        commands.Where(c => c.StartsWith("dotnet add package", StringComparison.Ordinal) || c.StartsWith("dotnet tool install", StringComparison.Ordinal))
            .Should().HaveCountGreaterThan(3).And.OnlyContain(c => c.EndsWith(" --prerelease", StringComparison.Ordinal));

        string app = Path.Combine(feed.WorkDirectory, "readme-install");
        Directory.CreateDirectory(app);
        ProcessResult created = PackageFeed.Dotnet(app, Restore, "new", "console", "--no-restore");
        created.ExitCode.Should().Be(0, created.ToString());
        ProcessResult plain = PackageFeed.Dotnet(app, Restore, "add", "package", "MdevCore");
        plain.ExitCode.Should().NotBe(0, "with only pre-releases in the feed the command needs --prerelease: " + plain);

        foreach (string command in commands.Where(c => c.StartsWith("dotnet add package", StringComparison.Ordinal)))
        {
            ProcessResult added = PackageFeed.Dotnet(app, Restore, [.. command.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)]);
            added.ExitCode.Should().Be(0, added.ToString());
            string id = command.Split(' ')[3];
            File.ReadAllText(Path.Combine(app, "readme-install.csproj")).Should().Contain($"<PackageReference Include=\"{id}\" Version=\"{feed.Version}\" />", command);
        }

        string tool = commands.Single(c => c.StartsWith("dotnet tool install", StringComparison.Ordinal));
        string tools = Path.Combine(feed.WorkDirectory, "readme-tools");
        string[] toolArgs = [.. tool.Replace(" -g ", $" --tool-path {tools} ", StringComparison.Ordinal).Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)];
        ProcessResult installed = PackageFeed.Dotnet(feed.WorkDirectory, Restore, toolArgs);
        installed.ExitCode.Should().Be(0, installed.ToString());
        installed.Output.Should().Contain($"(version '{feed.Version}')", "the tool came from the feed");
        ProcessResult listed = ProcessRunner.Run(Path.Combine(tools, "mdevsim"), ["topologies"], feed.WorkDirectory, TimeSpan.FromMinutes(1));
        listed.ExitCode.Should().Be(0, listed.ToString());
        listed.Output.Should().Contain("nvidia-vgpu", "the installed tool carries the example topologies");
    }

    /// <summary>The commands of README's "Install" block, comments stripped.</summary>
    private static string[] InstallCommands(string readme)
    {
        int install = readme.IndexOf("## Install", StringComparison.Ordinal);
        install.Should().BeGreaterThan(0, "README has an Install section");
        Match block = Regex.Match(readme[install..], "```sh\n(.*?)```", RegexOptions.Singleline);
        return [.. block.Groups[1].Value.Split('\n').Select(l => (l.Contains('#', StringComparison.Ordinal) ? l[..l.IndexOf('#', StringComparison.Ordinal)] : l).Trim()).Where(l => l.Length > 0)];
    }

    internal static string ProjectUrl(PackageFeed feed) =>
        XDocument.Load(Path.Combine(feed.RepositoryRoot, "Directory.Build.props")).Descendants("MdevCoreProjectUrl").Single().Value;

    [GeneratedRegex(@"\]\(([^)\s]+)\)")]
    private static partial Regex MarkdownLink();
}
