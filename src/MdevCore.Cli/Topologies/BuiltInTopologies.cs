using System.Text.Json;

namespace MdevCore.Cli.Topologies;

/// <summary>The example topologies (examples/topologies/*.json), embedded in the tool so that a bare name such as
/// <c>--topology nvidia-vgpu</c> works wherever the tool is installed.</summary>
internal static class BuiltInTopologies
{
    private const string Prefix = "topologies/";
    private const string Suffix = ".json";

    /// <summary>The names, sorted: the file names without <c>.json</c>.</summary>
    public static IReadOnlyList<string> Names { get; } =
        [.. typeof(BuiltInTopologies).Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(Prefix, StringComparison.Ordinal) && n.EndsWith(Suffix, StringComparison.Ordinal))
            .Select(n => n[Prefix.Length..^Suffix.Length])
            .Order(StringComparer.Ordinal)];

    /// <summary>The JSON text of a built-in topology, or <see langword="null"/> if there is none by that name.</summary>
    /// <param name="name">The name, for example <c>nvidia-vgpu</c>.</param>
    /// <returns>The text.</returns>
    public static string? Read(string name)
    {
        using Stream? stream = typeof(BuiltInTopologies).Assembly.GetManifestResourceStream(Prefix + name + Suffix);
        if (stream is null)
        {
            return null;
        }

        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>The topology's own <c>description</c>, or an empty string.</summary>
    /// <param name="json">The topology's JSON text.</param>
    /// <returns>The description.</returns>
    public static string Describe(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("description", out JsonElement d) && d.ValueKind == JsonValueKind.String
                ? d.GetString()!
                : "";
        }
        catch (JsonException)
        {
            return "";
        }
    }
}
