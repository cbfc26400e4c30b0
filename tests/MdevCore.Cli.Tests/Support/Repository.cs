namespace MdevCore.Cli.Tests.Support;

/// <summary>Files of the repository the tests compare against (the project URL, the example topologies).</summary>
internal static class Repository
{
    public static string Root { get; } = FindRoot();

    /// <summary>The example topology files, as copied next to the tests (examples/topologies).</summary>
    public static IEnumerable<string> ExampleTopologies =>
        Directory.GetFiles(Fuse.Tests.Support.Mdevsim.Topologies, "*.json").Order(StringComparer.Ordinal);

    /// <summary>Every mdevsim command, as the tool defines them.</summary>
    public static TheoryData<string> Commands => [.. Program.BuildRoot().Subcommands.Select(c => c.Name)];

    /// <summary>The MdevCoreProjectUrl property of Directory.Build.props.</summary>
    public static string ProjectUrl =>
        System.Xml.Linq.XDocument.Load(Path.Combine(Root, "Directory.Build.props")).Descendants("MdevCoreProjectUrl").Single().Value;

    private static string FindRoot()
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
