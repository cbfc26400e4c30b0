using System.Text.Json;
using Json.Schema;

namespace MdevCore.Topology.Tests;

/// <summary>schemas/topology.schema.json, built once (JsonSchema.Net registers a schema's $id globally).</summary>
internal static class TopologySchema
{
    public static string File { get; } = Path.Combine(AppContext.BaseDirectory, "schemas", "topology.schema.json");

    public static JsonSchema Schema { get; } = JsonSchema.FromText(System.IO.File.ReadAllText(File));

    /// <summary>The schema's complaints about a document; empty when it is valid.</summary>
    public static List<string> Errors(string json)
    {
        using JsonDocument doc = JsonDocument.Parse(json);
        EvaluationResults results = Schema.Evaluate(doc.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        return results.IsValid
            ? []
            : [.. (results.Details ?? []).Where(d => d.Errors is { Count: > 0 }).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}")).DefaultIfEmpty("invalid")];
    }
}
