using System.Reflection;

namespace MdevCore.Packaging.Tests;

/// <summary>
/// Packs every package of the solution, once per test run, into a local folder feed with a pre-release
/// version of its own (so no package cache can answer for it), in a work directory outside the solution.
/// The solution must already be built in this test assembly's configuration (the test command does that).
/// </summary>
public sealed class PackageFeed : IDisposable
{
    public PackageFeed()
    {
        RepositoryRoot = FindRepositoryRoot();
        Configuration = typeof(PackageFeed).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
        Version = $"0.1.0-ci.{DateTime.UtcNow:yyyyMMddHHmmss}.{Environment.ProcessId}";
        WorkDirectory = Directory.CreateTempSubdirectory("mdevcore-packages-").FullName;
        Feed = Path.Combine(WorkDirectory, "feed");
        PackResult = Dotnet(RepositoryRoot, TimeSpan.FromMinutes(10),
            "pack", Path.Combine(RepositoryRoot, "MdevCore.sln"), "-c", Configuration, "--no-build", "-o", Feed, "-p:PackageVersion=" + Version);

        // Projects made in the work directory restore from the feed first, then from the machine's usual sources.
        File.WriteAllText(Path.Combine(WorkDirectory, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="mdevcore-under-test" value="{Feed}" />
              </packageSources>
            </configuration>
            """);
    }

    public string RepositoryRoot { get; }

    public string Configuration { get; }

    public string Version { get; }

    public string WorkDirectory { get; }

    public string Feed { get; }

    public ProcessResult PackResult { get; }

    /// <summary>The packages in the feed, by file name.</summary>
    public IReadOnlyList<string> Packages => Directory.Exists(Feed) ? [.. Directory.GetFiles(Feed).Select(Path.GetFileName).Order()!] : [];

    public static ProcessResult Dotnet(string workingDirectory, TimeSpan timeout, params string[] arguments) =>
        ProcessRunner.Run("dotnet", arguments, workingDirectory, timeout);

    public void Dispose()
    {
        try
        {
            Directory.Delete(WorkDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A process that outlived its test may still hold a file; the directory is under the temp folder.
        }
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
