namespace MdevCore.Topology.Tests;

/// <summary>Where the shipped example topologies are copied next to the test assembly.</summary>
internal static class Examples
{
    public static string Directory { get; } = Path.Combine(AppContext.BaseDirectory, "topologies");

    public static string File(string name) => Path.Combine(Directory, name);
}
