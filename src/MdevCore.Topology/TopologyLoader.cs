using System.Text.Json;

namespace MdevCore.Topology;

/// <summary>Reads and validates topology files; every problem becomes a <see cref="TopologyException"/>.</summary>
/// <remarks>Thread safety: thread-safe (no state).</remarks>
public static partial class TopologyLoader
{
    /// <summary>The name the embedded default topology reports in messages.</summary>
    public const string DefaultName = "(built-in default topology)";

    /// <summary>Reads and validates a topology file: JSON, or a tar archive written by <c>mdevsim record --archive</c>.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The topology.</returns>
    /// <exception cref="TopologyException">The file cannot be read or is not a valid topology.</exception>
    public static HostTopology LoadFile(string path) => LoadFile(path, new VendorDriverRegistry());

    /// <summary>Reads and validates a topology file whose <c>"vendor"</c> parents name drivers of <paramref name="drivers"/>.</summary>
    /// <param name="path">The file.</param>
    /// <param name="drivers">The vendor drivers of the embedding application.</param>
    /// <returns>The topology.</returns>
    /// <exception cref="TopologyException">The file cannot be read or is not a valid topology.</exception>
    public static HostTopology LoadFile(string path, VendorDriverRegistry drivers)
    {
        ArgumentNullException.ThrowIfNull(drivers);
        string text;
        try
        {
            using FileStream file = File.OpenRead(path);
            if (Recording.ArchiveSysfsSource.LooksLikeTar(file))
            {
                // mdevsim record --archive: the raw files of a recorded host, described again as they were recorded.
                return Parse(new Recording.TopologyRecorder(new Recording.ArchiveSysfsSource(file)).Record().ToJson(), path, drivers);
            }

            using var reader = new StreamReader(file);
            text = reader.ReadToEnd();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or FormatException)
        {
            throw new TopologyException(path, "$", $"cannot read the file: {e.Message}");
        }

        return Parse(text, path, drivers);
    }

    /// <summary>The built-in default topology: the mtty sample with its 24 ports.</summary>
    /// <returns>The topology.</returns>
    public static HostTopology LoadDefault()
    {
        using Stream stream = typeof(TopologyLoader).Assembly.GetManifestResourceStream("MdevCore.Topology.default.json")
            ?? throw new InvalidOperationException("The default topology is not embedded.");
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd(), DefaultName);
    }

    /// <summary>Validates a topology given as JSON text.</summary>
    /// <param name="json">The document.</param>
    /// <param name="source">The name to use in messages (usually the file it came from).</param>
    /// <returns>The topology.</returns>
    /// <exception cref="TopologyException">The text is not a valid topology.</exception>
    public static HostTopology Parse(string json, string source) => Parse(json, source, new VendorDriverRegistry());

    /// <summary>Validates a topology given as JSON text whose <c>"vendor"</c> parents name drivers of <paramref name="drivers"/>.</summary>
    /// <param name="json">The document.</param>
    /// <param name="source">The name to use in messages (usually the file it came from).</param>
    /// <param name="drivers">The vendor drivers of the embedding application.</param>
    /// <returns>The topology.</returns>
    /// <exception cref="TopologyException">The text is not a valid topology.</exception>
    public static HostTopology Parse(string json, string source, VendorDriverRegistry drivers)
    {
        ArgumentNullException.ThrowIfNull(drivers);
        TopologyDocument? doc;
        try
        {
            doc = JsonSerializer.Deserialize(json, TopologyJsonContext.Default.TopologyDocument);
        }
        catch (JsonException e)
        {
            string where = e.LineNumber is { } line ? $" (line {line + 1}, byte {e.BytePositionInLine + 1})" : "";
            string path = e.Path ?? "$";
            string problem = e.Message.Contains("could not be mapped", StringComparison.Ordinal)
                ? $"unknown property \"{path[(path.LastIndexOf('.') + 1)..]}\"; see docs/topology.md for the allowed ones"
                : e.Message.Contains("could not be converted to", StringComparison.Ordinal)
                    ? "wrong JSON type: expected " + Expected(e.Message)
                    : Clean(e.Message);
            throw new TopologyException(source, path, problem + where);
        }

        if (doc is null)
        {
            throw new TopologyException(source, "$", "the document is null; expected an object with \"parents\"");
        }

        return Validate(doc, source, drivers);
    }

    private static string Expected(string message) =>
        message.Contains("Int32", StringComparison.Ordinal) ? "an integer"
        : message.Contains("System.String", StringComparison.Ordinal) && !message.Contains("List", StringComparison.Ordinal) ? "a string"
        : message.Contains("List", StringComparison.Ordinal) ? "an array"
        : "an object";

    private static string Clean(string message)
    {
        // System.Text.Json appends "Path: $.x | LineNumber: ..." which the exception already carries.
        int cut = message.IndexOf(" Path: ", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }

    private static HostTopology Validate(TopologyDocument doc, string source, VendorDriverRegistry drivers)
    {
        KernelProfile profile = doc.Kernel switch
        {
            null or "modern" => KernelProfile.Modern,
            "seed" => KernelProfile.Seed,
            _ => throw new TopologyException(source, "$.kernel", $"unknown kernel profile \"{doc.Kernel}\"; use \"modern\" or \"seed\""),
        };

        if (doc.Parents is null || doc.Parents.Count == 0)
        {
            throw new TopologyException(source, "$.parents", "required: a non-empty array of parents");
        }

        var context = new LoadContext(source, profile, drivers);
        var parents = new List<ParentModel>();
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        var uuids = new Dictionary<Guid, string>();
        for (int i = 0; i < doc.Parents.Count; i++)
        {
            string path = $"$.parents[{i}]";
            ParentSpec spec = doc.Parents[i] ?? throw new TopologyException(source, path, "a parent must be an object");
            ParentModel parent = ValidateParent(spec, path, context);
            if (names.TryGetValue(parent.Name, out string? other))
            {
                throw new TopologyException(source, path, $"parent name \"{parent.Name}\" is already used by {other}");
            }

            foreach (ActiveDeviceModel device in parent.Devices)
            {
                if (!uuids.TryAdd(device.Uuid, device.JsonPath))
                {
                    throw new TopologyException(source, device.JsonPath + ".uuid", $"UUID {device.Uuid} is already used by {uuids[device.Uuid]}");
                }
            }

            names.Add(parent.Name, path);
            parents.Add(parent);
        }

        return new HostTopology(source, profile, parents, drivers);
    }

    /// <summary>What every validation step needs: the file's name for messages, its kernel profile and the registered drivers.</summary>
    private sealed record LoadContext(string Source, KernelProfile Profile, VendorDriverRegistry Drivers)
    {
        public TopologyException Error(string path, string problem) => new(Source, path, problem);
    }
}
