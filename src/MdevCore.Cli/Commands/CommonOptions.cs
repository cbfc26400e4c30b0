using System.CommandLine;
using MdevCore.Topology;

namespace MdevCore.Cli.Commands;

internal static class CommonOptions
{
    public static Option<string?> Topology(bool required = false) => new("--topology", "-t")
    {
        Description = required
            ? "Topology JSON file describing the host (see docs/topology.md)"
            : "Topology JSON file describing the host (see docs/topology.md); default: the built-in mtty-like host",
        Required = required,
    };

    /// <summary>Loads the topology or prints why not; null means "exit 1".</summary>
    public static HostTopology? Load(string? file, TextWriter error)
    {
        try
        {
            return file is null ? TopologyLoader.LoadDefault() : TopologyLoader.LoadFile(file);
        }
        catch (TopologyException e)
        {
            error.WriteLine($"mdevsim: bad topology: {e.Message}");
            return null;
        }
    }

    /// <summary>Builds a host from a loaded topology or prints why not.</summary>
    public static MdevHost? Build(HostTopology topology, TextWriter error)
    {
        try
        {
            return topology.Build();
        }
        catch (TopologyException e)
        {
            error.WriteLine($"mdevsim: bad topology: {e.Message}");
            return null;
        }
    }

    /// <summary>Loads a topology and builds its host, or prints why not.</summary>
    /// <param name="file">The topology file; <see langword="null"/> for the built-in default.</param>
    /// <param name="error">Where problems are printed.</param>
    /// <param name="topology">The loaded topology, when it loaded.</param>
    /// <returns>The host, or <see langword="null"/>.</returns>
    public static MdevHost? LoadHost(string? file, TextWriter error, out HostTopology? topology)
    {
        topology = Load(file, error);
        return topology is null ? null : Build(topology, error);
    }
}
