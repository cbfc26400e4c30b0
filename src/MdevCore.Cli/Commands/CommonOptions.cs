using System.CommandLine;
using MdevCore.Cli.CommandLine;
using MdevCore.Cli.Logging;
using MdevCore.Cli.Topologies;
using MdevCore.Topology;

namespace MdevCore.Cli.Commands;

internal static class CommonOptions
{
    /// <summary>The name of the global <c>-v</c> option.</summary>
    public const string VerboseName = "--verbose";

    public static Option<string?> Topology(bool required = false) => new("--topology", "-t")
    {
        Description = "Topology JSON file, or the name of a built-in one (mdevsim topologies), describing the host ("
            + Documentation.Page("topology.md") + ")" + (required ? "" : "; default: the built-in mtty-like host"),
        Required = required,
    };

    /// <summary>The global <c>-v</c>/<c>--verbose</c> option; every command sees it.</summary>
    public static Option<bool> Verbose() => new(VerboseName, "-v")
    {
        Description = "Log what the host does (registration, create, remove, uevents) to standard error",
        Recursive = true,
    };

    /// <summary>Whether <c>-v</c> was given anywhere on the command line.</summary>
    public static bool IsVerbose(ParseResult parseResult) => parseResult.GetValue<bool>(VerboseName);

    /// <summary>Loads the topology or prints why not; null means "exit 1".</summary>
    /// <param name="file">The <c>--topology</c> value: a file or a built-in name; <see langword="null"/> for the default.</param>
    /// <param name="error">Where problems are printed.</param>
    public static HostTopology? Load(string? file, TextWriter error)
    {
        HostTopology? topology = TopologyArgument.Load(file, out string? problem);
        if (problem is not null)
        {
            error.WriteLine("mdevsim: " + problem);
        }

        return topology;
    }

    /// <summary>Builds a host from a loaded topology or prints why not.</summary>
    /// <param name="topology">The topology.</param>
    /// <param name="error">Where problems are printed.</param>
    /// <param name="verbose">Whether to log what the host does to <paramref name="error"/>.</param>
    public static MdevHost? Build(HostTopology topology, TextWriter error, bool verbose = false)
    {
        try
        {
            if (!verbose)
            {
                return topology.Build();
            }

            var log = new VerboseLog(error);
            MdevHost host = topology.Build(log);
            _ = log.Follow(host);
            return host;
        }
        catch (TopologyException e)
        {
            error.WriteLine($"mdevsim: bad topology: {e.Message}");
            return null;
        }
    }

    /// <summary>Loads a topology and builds its host, or prints why not.</summary>
    /// <param name="file">The topology file or built-in name; <see langword="null"/> for the built-in default.</param>
    /// <param name="error">Where problems are printed.</param>
    /// <param name="topology">The loaded topology, when it loaded.</param>
    /// <param name="verbose">Whether to log what the host does to <paramref name="error"/>.</param>
    /// <returns>The host, or <see langword="null"/>.</returns>
    public static MdevHost? LoadHost(string? file, TextWriter error, out HostTopology? topology, bool verbose = false)
    {
        topology = Load(file, error);
        return topology is null ? null : Build(topology, error, verbose);
    }
}
