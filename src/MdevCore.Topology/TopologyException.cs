namespace MdevCore.Topology;

/// <summary>A topology file that cannot be used; the message names the file, the JSON path and the problem.</summary>
public sealed class TopologyException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="file">The file (or source name).</param>
    /// <param name="jsonPath">Where in the document, for example <c>$.parents[0].types[1].device_api</c>.</param>
    /// <param name="problem">What is wrong, in words a user can act on.</param>
    public TopologyException(string file, string jsonPath, string problem)
        : base($"{file}: {jsonPath}: {problem}")
    {
        File = file;
        JsonPath = jsonPath;
        Problem = problem;
    }

    /// <summary>The file (or source name).</summary>
    public string File { get; }

    /// <summary>Where in the document.</summary>
    public string JsonPath { get; }

    /// <summary>What is wrong.</summary>
    public string Problem { get; }
}
