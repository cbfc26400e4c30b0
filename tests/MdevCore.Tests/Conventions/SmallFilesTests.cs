namespace MdevCore.Tests.Conventions;

/// <summary>Small files stay small: no C# source file of the shipped projects, the benchmarks or the reliability
/// toolkit is over 400 lines (the architecture issue's rule; split a file into named partial parts instead).</summary>
public sealed class SmallFilesTests
{
    private const int MaxLines = 400;

    [Fact]
    public void No_source_file_is_over_400_lines()
    {
        string root = FindRepositoryRoot();
        string[] folders = [Path.Combine(root, "src"), Path.Combine(root, "bench"), Path.Combine(root, "tests", "MdevCore.Reliability")];
        string[] files = [.. folders.SelectMany(f => Directory.EnumerateFiles(f, "*.cs", SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))];

        files.Should().HaveCountGreaterThan(100, "the walk finds the sources");
        files.Select(f => (File: Path.GetRelativePath(root, f), Lines: File.ReadLines(f).Count()))
            .Where(f => f.Lines > MaxLines)
            .Select(f => $"{f.File}: {f.Lines} lines")
            .Should().BeEmpty();
    }

    private static string FindRepositoryRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MdevCore.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("MdevCore.sln not found above " + AppContext.BaseDirectory);
    }
}
