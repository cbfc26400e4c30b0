using System.Reflection;

namespace MdevCore.Cli.CommandLine;

/// <summary>Absolute links to the documentation, from the project URL the build stamps into the assembly (Directory.Build.props).</summary>
internal static class Documentation
{
    /// <summary>The repository's home page, for example <c>https://github.com/mdevcore/mdevcore</c>.</summary>
    public static string ProjectUrl { get; } =
        typeof(Documentation).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "MdevCoreProjectUrl")?.Value
        ?? throw new InvalidOperationException("The build did not stamp MdevCoreProjectUrl into the assembly.");

    /// <summary>The absolute URL of a page under <c>docs/</c>.</summary>
    /// <param name="page">The file name, for example <c>cli.md</c>, optionally with an anchor.</param>
    /// <returns>The URL.</returns>
    public static string Page(string page) => $"{ProjectUrl}/blob/main/docs/{page}";
}
