using System.Text;
using System.Text.RegularExpressions;

namespace MdevCore.Packaging.Tests;

/// <summary>
/// The C# the documentation shows builds against the packages in the feed, so the docs cannot drift from the API. A fenced
/// block opened with <c>```csharp compile</c> is a whole program (top-level statements and the types they use);
/// <c>```csharp compile-library</c> is declarations only, built as a class library. Each block is its own project, with the
/// packages a reader would have (MdevCore, Samples, Topology, Hosting, Testing.Xunit.v3, Microsoft.Extensions.Hosting),
/// warnings as errors; a compiler error names the Markdown file and line.
/// </summary>
[Collection(SharedFeed.Name)]
public sealed partial class DocSnippetTests(PackageFeed feed)
{
    private static readonly TimeSpan Build = TimeSpan.FromMinutes(10);

    [Fact]
    public void Every_csharp_block_marked_compile_in_the_docs_and_README_builds_against_the_packages()
    {
        feed.PackResult.ExitCode.Should().Be(0, feed.PackResult.ToString());
        Snippet[] snippets = [.. FindSnippets(feed.RepositoryRoot)];
        snippets.Select(s => s.File).Should().Contain(["README.md", "docs/embedding.md", "docs/vendor-driver-guide.md"],
            "the quick start, the hosting sample and the guide's PCI and contract examples are marked");
        string root = Path.Combine(feed.WorkDirectory, "doc-snippets");
        Directory.CreateDirectory(root);
        File.WriteAllText(Path.Combine(root, "Directory.Build.props"), Props(feed.Version));
        var solution = new StringBuilder("<Solution>\n");
        foreach (Snippet snippet in snippets)
        {
            string dir = Path.Combine(root, snippet.ProjectName);
            Directory.CreateDirectory(dir);
            File.WriteAllText(Path.Combine(dir, snippet.ProjectName + ".csproj"),
                $"<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><OutputType>{(snippet.IsLibrary ? "Library" : "Exe")}</OutputType></PropertyGroup></Project>\n");
            // #line makes every diagnostic name the Markdown file and line the code sits on.
            File.WriteAllText(Path.Combine(dir, "Snippet.cs"), $"#line {snippet.Line} \"{snippet.File}\"\n{snippet.Code}");
            solution.Append(CultureInfoInvariant($"  <Project Path=\"{snippet.ProjectName}/{snippet.ProjectName}.csproj\" />\n"));
        }

        File.WriteAllText(Path.Combine(root, "snippets.slnx"), solution.Append("</Solution>\n").ToString());

        ProcessResult build = PackageFeed.Dotnet(root, Build, "build", "snippets.slnx", "-c", "Release");

        build.ExitCode.Should().Be(0, $"every marked block builds ({string.Join(", ", snippets.Select(s => $"{s.File}:{s.Line}"))}):\n{build}");
        foreach (Snippet snippet in snippets)
        {
            File.Exists(Path.Combine(root, snippet.ProjectName, "bin", "Release", "net10.0", snippet.ProjectName + ".dll"))
                .Should().BeTrue($"{snippet.File}:{snippet.Line} was built");
        }
    }

    [Fact]
    public void The_marker_convention_finds_blocks_by_their_info_string_only()
    {
        const string markdown = "text\n```csharp compile\nvar a = 1;\n```\n```csharp\nnot this;\n```\n```csharp compile-library\nclass C;\n```\n";
        Snippet[] found = [.. Parse("x.md", markdown)];

        found.Select(s => (s.Code, s.IsLibrary, s.Line)).Should().Equal(("var a = 1;\n", false, 3), ("class C;\n", true, 9));
    }

    private static IEnumerable<Snippet> FindSnippets(string repositoryRoot)
    {
        IEnumerable<string> files = Directory.GetFiles(Path.Combine(repositoryRoot, "docs"), "*.md").Order(StringComparer.Ordinal)
            .Prepend(Path.Combine(repositoryRoot, "README.md"));
        foreach (string file in files)
        {
            string relative = Path.GetRelativePath(repositoryRoot, file).Replace('\\', '/');
            foreach (Snippet snippet in Parse(relative, File.ReadAllText(file)))
            {
                yield return snippet;
            }
        }
    }

    private static IEnumerable<Snippet> Parse(string file, string markdown)
    {
        int n = 0;
        foreach (Match m in MarkedBlock().Matches(markdown))
        {
            int line = markdown[..m.Groups["code"].Index].Count(c => c == '\n') + 1;
            string name = $"{NonWord().Replace(Path.GetFileNameWithoutExtension(file), "_")}_{++n}";
            yield return new Snippet(file, line, m.Groups["code"].Value, m.Groups["kind"].Value == "compile-library", name);
        }
    }

    private static string Props(string version) => $"""
        <Project>
          <PropertyGroup>
            <TargetFramework>net10.0</TargetFramework>
            <Nullable>enable</Nullable>
            <ImplicitUsings>enable</ImplicitUsings>
            <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
            <IsPackable>false</IsPackable>
          </PropertyGroup>
          <ItemGroup>
            <PackageReference Include="MdevCore" Version="{version}" />
            <PackageReference Include="MdevCore.Samples" Version="{version}" />
            <PackageReference Include="MdevCore.Topology" Version="{version}" />
            <PackageReference Include="MdevCore.Hosting" Version="{version}" />
            <PackageReference Include="MdevCore.Testing.Xunit.v3" Version="{version}" />
            <PackageReference Include="Microsoft.Extensions.Hosting" Version="10.0.15" />
          </ItemGroup>
        </Project>
        """;

    private static string CultureInfoInvariant(FormattableString text) => FormattableString.Invariant(text);

    private sealed record Snippet(string File, int Line, string Code, bool IsLibrary, string ProjectName);

    [GeneratedRegex(@"^```csharp (?<kind>compile|compile-library)[ \t]*\n(?<code>.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex MarkedBlock();

    [GeneratedRegex(@"\W")]
    private static partial Regex NonWord();
}
