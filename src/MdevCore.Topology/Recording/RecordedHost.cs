using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace MdevCore.Topology.Recording;

/// <summary>What the recorder found: the host's kernel generation and its parents; <see cref="ToJson"/> writes it as a topology.</summary>
internal sealed record RecordedHost(string Kernel, IReadOnlyList<RecordedParent> Parents)
{
    /// <summary>The topology document, indented, with a trailing newline; the same tree gives the same bytes.</summary>
    public string ToJson()
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("$schema", "https://github.com/mdevcore/mdevcore/schemas/topology.schema.json");
            w.WriteString("description", $"Recorded by mdevsim record: {Parents.Count} mdev parent(s), {Parents.Sum(p => p.Devices.Count)} active device(s).");
            w.WriteString("kernel", Kernel);
            w.WriteStartArray("parents");
            foreach (RecordedParent p in Parents)
            {
                p.Write(w);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }
}

internal sealed record RecordedLocation(string Kind)
{
    public string? Class { get; init; }

    public string? Name { get; init; }

    public string? Address { get; init; }

    public string? Vendor { get; init; }

    public string? Device { get; init; }

    public string? PciClass { get; init; }

    public string? Root { get; init; }

    public string? Bus { get; init; }

    public void Write(Utf8JsonWriter w)
    {
        w.WriteStartObject(Kind);
        switch (Kind)
        {
            case "pci":
                w.WriteString("address", Address);
                Optional(w, "vendor", Vendor);
                Optional(w, "device", Device);
                Optional(w, "class", PciClass);
                break;
            case "virtual":
                w.WriteString("class", Class);
                w.WriteString("name", Name);
                break;
            case "ccw":
                w.WriteString("subchannel", Name);
                w.WriteString("css", Root);
                break;
            case "device":
                w.WriteString("root", Root);
                w.WriteString("name", Name);
                Optional(w, "bus", Bus);
                break;
            default:
                w.WriteString("name", Name);
                break;
        }

        w.WriteEndObject();
    }

    internal static void Optional(Utf8JsonWriter w, string name, string? value)
    {
        if (value is not null)
        {
            w.WriteString(name, value);
        }
    }
}

internal sealed record RecordedType(string Name, string? PrettyName, string DeviceApi, int MaxInstances, string? Description);

internal sealed record RecordedFile(string? Group, string Name, string Access, string? Value)
{
    public string Key => Group is null ? Name : Group + "/" + Name;
}

/// <summary>An active mdev; <see cref="Order"/> is its IOMMU group number, which follows creation order (devices are replayed in it).</summary>
internal sealed record RecordedDevice(string Uuid, string Type, IReadOnlyList<RecordedFile> Files, string? Driver, long Order);

internal sealed record RecordedParent(RecordedLocation Location, string? Driver, IReadOnlyList<RecordedType> Types, IReadOnlyList<RecordedDevice> Devices)
{
    public string? MdevDriver { get; init; }

    public IReadOnlyList<RecordedFile> ParentAttributes { get; init; } = [];

    public void Write(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        Location.Write(w);
        RecordedLocation.Optional(w, "driver", Driver);
        RecordedLocation.Optional(w, "mdev_driver", MdevDriver);
        w.WriteStartArray("types");
        foreach (RecordedType t in Types)
        {
            w.WriteStartObject();
            w.WriteString("name", t.Name);
            RecordedLocation.Optional(w, "pretty_name", t.PrettyName);
            w.WriteString("device_api", t.DeviceApi);
            w.WriteNumber("max_instances", t.MaxInstances);
            RecordedLocation.Optional(w, "description", t.Description);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        WriteAttributes(w, "device_attributes", DeviceAttributeDeclarations(), withTypes: true);
        WriteAttributes(w, "parent_attributes", [.. ParentAttributes.Select(f => (f, (IReadOnlyList<string>?)null))], withTypes: false);
        if (Devices.Count > 0)
        {
            w.WriteStartArray("devices");
            foreach (RecordedDevice d in Devices)
            {
                w.WriteStartObject();
                w.WriteString("uuid", d.Uuid);
                w.WriteString("type", d.Type);
                List<RecordedFile> values = [.. d.Files.Where(f => f.Value is not null && f.Value.Length > 0).OrderBy(f => f.Key, StringComparer.Ordinal)];
                if (values.Count > 0)
                {
                    w.WriteStartObject("attributes");
                    foreach (RecordedFile f in values)
                    {
                        w.WriteString(f.Key, f.Value);
                    }

                    w.WriteEndObject();
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        w.WriteEndObject();
    }

    /// <summary>Every attribute any device has, limited to the types whose devices have it when not all do.</summary>
    private List<(RecordedFile File, IReadOnlyList<string>? Types)> DeviceAttributeDeclarations()
    {
        var result = new List<(RecordedFile, IReadOnlyList<string>?)>();
        string prefix = (Driver ?? Location.Class) + "-";
        var typesWithDevices = Devices.Select(d => d.Type).Distinct().ToList();
        foreach (IGrouping<string, RecordedFile> g in Devices.SelectMany(d => d.Files).GroupBy(f => f.Key).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            List<string> having = [.. Devices.Where(d => d.Files.Any(f => f.Key == g.Key)).Select(d => d.Type).Distinct()];
            IReadOnlyList<string>? limit = having.Count == typesWithDevices.Count ? null
                : [.. having.Select(t => t.StartsWith(prefix, StringComparison.Ordinal) ? t[prefix.Length..] : t).Order(StringComparer.Ordinal)];
            RecordedFile first = g.First();
            result.Add((first with { Value = "" }, limit));
        }

        return result;
    }

    private static void WriteAttributes(Utf8JsonWriter w, string property, List<(RecordedFile File, IReadOnlyList<string>? Types)> attributes, bool withTypes)
    {
        if (attributes.Count == 0)
        {
            return;
        }

        w.WriteStartArray(property);
        foreach ((RecordedFile f, IReadOnlyList<string>? types) in attributes)
        {
            w.WriteStartObject();
            RecordedLocation.Optional(w, "group", f.Group);
            w.WriteString("name", f.Name);
            w.WriteString("access", f.Access);
            if (f.Access != "wo")
            {
                w.WriteString("value", f.Value ?? "");
            }

            if (withTypes && types is not null)
            {
                w.WriteStartArray("types");
                foreach (string t in types)
                {
                    w.WriteStringValue(t);
                }

                w.WriteEndArray();
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
    }
}
