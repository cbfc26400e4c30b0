namespace MdevCore.Cli.Topology;

/// <summary>A topology file that cannot be used; the message names the file, the JSON path and the problem.</summary>
internal sealed class TopologyException(string file, string jsonPath, string problem)
    : Exception($"{file}: {jsonPath}: {problem}")
{
    public string File { get; } = file;

    public string JsonPath { get; } = jsonPath;

    public string Problem { get; } = problem;
}
