using MdevCore.Topology;

namespace MdevCore.Cli.Topologies;

/// <summary>Resolves the value of <c>--topology</c>: a file path, else the name of a built-in topology; nothing for the built-in default.</summary>
/// <remarks>A file wins over a built-in name, so <c>./mtty</c> or an existing file called <c>mtty</c> is read from disk.
/// Every failure is one line that names the path and the operation, for example
/// <c>--topology examples/topologies: read: EISDIR (Is a directory)</c>.</remarks>
internal static class TopologyArgument
{
    /// <summary>Loads the topology named by <paramref name="value"/>.</summary>
    /// <param name="value">The option's value; <see langword="null"/> for the built-in default.</param>
    /// <param name="problem">Why it could not be loaded: a line without the <c>mdevsim:</c> prefix.</param>
    /// <returns>The topology, or <see langword="null"/>.</returns>
    public static HostTopology? Load(string? value, out string? problem)
    {
        problem = null;
        try
        {
            if (value is null)
            {
                return TopologyLoader.LoadDefault();
            }

            if (Directory.Exists(value))
            {
                problem = $"--topology {value}: read: {Describe(Errno.EISDIR)}; give a topology JSON file or a built-in name (mdevsim topologies)";
                return null;
            }

            if (File.Exists(value))
            {
                return TopologyLoader.LoadFile(value);
            }

            if (BuiltInTopologies.Read(value) is { } builtIn)
            {
                return TopologyLoader.Parse(builtIn, value + " (built-in)");
            }

            problem = $"--topology {value}: open: {Describe(Errno.ENOENT)}; built-in topologies: {string.Join(", ", BuiltInTopologies.Names)}";
            return null;
        }
        catch (TopologyException e)
        {
            problem = $"bad topology: {e.Message}";
            return null;
        }
    }

    private static string Describe(Errno errno) => $"{errno} ({errno.Describe()})";
}
