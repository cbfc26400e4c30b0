using System.Collections.Frozen;
using System.Globalization;
using System.Text.Json;
using MdevCore.DriverModel;

namespace MdevCore.Topology;

/// <summary>Reads and validates topology files; every problem becomes a <see cref="TopologyException"/>.</summary>
/// <remarks>Thread safety: thread-safe (no state).</remarks>
public static class TopologyLoader
{
    /// <summary>The name the embedded default topology reports in messages.</summary>
    public const string DefaultName = "(built-in default topology)";

    // Names the core itself puts in an mdev's directory; a declarative attribute may not shadow them.
    private static readonly FrozenSet<string> ReservedDeviceNames = FrozenSet.Create(StringComparer.Ordinal,
        "remove", "mdev_type", "uevent", "driver", "subsystem", "iommu_group", "power", "vfio-dev");

    private static readonly FrozenSet<string> SampleNames = FrozenSet.Create(StringComparer.Ordinal, "mtty", "mdpy", "mbochs");

    /// <summary>Reads and validates a topology file.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The topology.</returns>
    /// <exception cref="TopologyException">The file cannot be read or is not a valid topology.</exception>
    public static HostTopology LoadFile(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new TopologyException(path, "$", $"cannot read the file: {e.Message}");
        }

        return Parse(text, path);
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
    public static HostTopology Parse(string json, string source)
    {
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

        return Validate(doc, source);
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

    private static HostTopology Validate(TopologyDocument doc, string source)
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

        var parents = new List<ParentModel>();
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < doc.Parents.Count; i++)
        {
            string path = $"$.parents[{i}]";
            ParentSpec spec = doc.Parents[i] ?? throw new TopologyException(source, path, "a parent must be an object");
            ParentModel parent = ValidateParent(spec, path, source);
            if (names.TryGetValue(parent.Name, out string? other))
            {
                throw new TopologyException(source, path, $"parent name \"{parent.Name}\" is already used by {other}");
            }

            names.Add(parent.Name, path);
            parents.Add(parent);
        }

        return new HostTopology(source, profile, parents);
    }

    private static ParentModel ValidateParent(ParentSpec spec, string path, string source)
    {
        if (spec.Sample is { } sample)
        {
            return ValidateSample(spec, sample, path, source);
        }

        int locations = (spec.Pci is null ? 0 : 1) + (spec.Virtual is null ? 0 : 1) + (spec.Platform is null ? 0 : 1) + (spec.Ccw is null ? 0 : 1);
        if (locations != 1)
        {
            throw new TopologyException(source, path, "give exactly one of \"pci\", \"virtual\", \"platform\" or \"ccw\" to say where the parent device sits (or only \"sample\")");
        }

        ParentLocation location;
        string name;
        string driver;
        string? css = null;
        PciIds ids = default;
        if (spec.Pci is { } pci)
        {
            location = ParentLocation.Pci;
            name = pci.Address ?? throw new TopologyException(source, path + ".pci.address", "required: the PCI address, for example \"0000:00:02.0\"");
            if (!IsPciAddress(name))
            {
                throw new TopologyException(source, path + ".pci.address", $"\"{name}\" is not a PCI address of the form DDDD:BB:SS.F in lower-case hex");
            }

            ids = new PciIds(
                (ushort)ParseHex(pci.Vendor, 0xffff, path + ".pci.vendor", source, 0x1b36),
                (ushort)ParseHex(pci.Device, 0xffff, path + ".pci.device", source, 0x0001),
                ParseHex(pci.Class, 0xffffff, path + ".pci.class", source, 0x030000));
            driver = spec.Driver ?? throw new TopologyException(source, path + ".driver", "required for a PCI parent: the driver bound to it, which prefixes the type names (for example \"i915\")");
        }
        else if (spec.Virtual is { } virt)
        {
            location = ParentLocation.Virtual;
            string cls = virt.Class ?? throw new TopologyException(source, path + ".virtual.class", "required: the device class (for example \"mtty\")");
            CheckName(cls, path + ".virtual.class", source);
            name = virt.Name ?? cls;
            driver = cls;
            if (spec.Driver is not null && spec.Driver != cls)
            {
                throw new TopologyException(source, path + ".driver", $"a virtual device's types are prefixed with its class \"{cls}\"; leave \"driver\" out or set it to \"{cls}\"");
            }
        }
        else if (spec.Ccw is { } ccw)
        {
            location = ParentLocation.Ccw;
            name = ccw.Subchannel ?? throw new TopologyException(source, path + ".ccw.subchannel", "required: the subchannel bus id, for example \"0.0.0313\"");
            if (!IsCcwBusId(name))
            {
                throw new TopologyException(source, path + ".ccw.subchannel", $"\"{name}\" is not a subchannel bus id of the form C.S.XXXX (channel subsystem, subchannel set, four hex digits)");
            }

            css = ccw.Css ?? "css0";
            CheckName(css, path + ".ccw.css", source);
            driver = spec.Driver ?? throw new TopologyException(source, path + ".driver", "required for a CCW parent: the driver bound to the subchannel, which prefixes the type names (\"vfio_ccw\")");
        }
        else
        {
            location = ParentLocation.Platform;
            name = spec.Platform!.Name ?? throw new TopologyException(source, path + ".platform.name", "required: the platform device name");
            driver = spec.Driver ?? throw new TopologyException(source, path + ".driver", "required for a platform parent: the driver bound to it, which prefixes the type names");
        }

        CheckName(name, path, source);
        CheckName(driver, path + ".driver", source);
        if (spec.SharedInstances is < 0)
        {
            throw new TopologyException(source, path + ".shared_instances", "must be zero or more");
        }

        if (spec.Types is null || spec.Types.Count == 0)
        {
            throw new TopologyException(source, path + ".types", "required: a non-empty array of types");
        }

        var types = new List<TypeModel>();
        for (int i = 0; i < spec.Types.Count; i++)
        {
            string tpath = $"{path}.types[{i}]";
            TypeSpec t = spec.Types[i] ?? throw new TopologyException(source, tpath, "a type must be an object");
            string tname = t.Name ?? throw new TopologyException(source, tpath + ".name", "required: the type's sysfs name after the driver prefix");
            CheckName(tname, tpath + ".name", source);
            if (types.Any(x => x.Name == tname))
            {
                throw new TopologyException(source, tpath + ".name", $"type \"{tname}\" appears twice");
            }

            string api = t.DeviceApi ?? throw new TopologyException(source, tpath + ".device_api", "required: \"vfio-pci\", \"vfio-ccw\", \"vfio-ap\", ...");
            if (api.Length == 0 || api.Contains('\n', StringComparison.Ordinal))
            {
                throw new TopologyException(source, tpath + ".device_api", "must be a non-empty single line");
            }

            if (t.PrettyName is { } pretty && (pretty.Length == 0 || pretty.Contains('\n', StringComparison.Ordinal)))
            {
                throw new TopologyException(source, tpath + ".pretty_name", "must be a non-empty single line");
            }

            if (t.MaxInstances is < 0)
            {
                throw new TopologyException(source, tpath + ".max_instances", "must be zero or more");
            }

            if (t.MaxInstances is null && spec.SharedInstances is null)
            {
                throw new TopologyException(source, tpath, "no instance budget: give the type \"max_instances\" or the parent \"shared_instances\"");
            }

            if (t.Cost is < 1)
            {
                throw new TopologyException(source, tpath + ".cost", "must be 1 or more");
            }

            Errno createError = Errno.None;
            if (t.CreateError is { } err
                && (err.Length == 0 || char.IsDigit(err[0]) || !Enum.TryParse(err, ignoreCase: false, out createError)
                    || createError == Errno.None || !Enum.IsDefined(createError)))
            {
                throw new TopologyException(source, tpath + ".create_error", $"\"{err}\" is not an errno name such as \"EBUSY\" or \"ENOSPC\"");
            }

            types.Add(new TypeModel(tname, t.PrettyName, t.Description, api, t.MaxInstances, t.Cost ?? 1, createError));
        }

        var attributes = new List<AttributeModel>();
        for (int i = 0; spec.DeviceAttributes is not null && i < spec.DeviceAttributes.Count; i++)
        {
            string apath = $"{path}.device_attributes[{i}]";
            AttributeSpec a = spec.DeviceAttributes[i] ?? throw new TopologyException(source, apath, "an attribute must be an object");
            string aname = a.Name ?? throw new TopologyException(source, apath + ".name", "required: the file name");
            CheckName(aname, apath + ".name", source);
            if (ReservedDeviceNames.Contains(aname))
            {
                throw new TopologyException(source, apath + ".name", $"\"{aname}\" is created by the mdev core itself");
            }

            if (attributes.Any(x => x.Name == aname))
            {
                throw new TopologyException(source, apath + ".name", $"attribute \"{aname}\" appears twice");
            }

            AttributeAccess access = a.Access switch
            {
                "ro" => AttributeAccess.ReadOnly,
                "wo" => AttributeAccess.WriteOnly,
                "rw" => AttributeAccess.ReadWrite,
                null => throw new TopologyException(source, apath + ".access", "required: \"ro\", \"wo\" or \"rw\""),
                _ => throw new TopologyException(source, apath + ".access", $"\"{a.Access}\" is not one of \"ro\", \"wo\" or \"rw\""),
            };
            HashSet<string>? only = null;
            if (a.Types is not null)
            {
                only = new HashSet<string>(StringComparer.Ordinal);
                for (int j = 0; j < a.Types.Count; j++)
                {
                    if (!types.Any(x => x.Name == a.Types[j]))
                    {
                        throw new TopologyException(source, $"{apath}.types[{j}]", $"\"{a.Types[j]}\" is not a type of this parent");
                    }

                    _ = only.Add(a.Types[j]);
                }
            }

            attributes.Add(new AttributeModel(aname, access, a.Value ?? "", only));
        }

        return new ParentModel(path, location, name, driver, ids, spec.SharedInstances, types, attributes, Css: css);
    }

    private static readonly System.Buffers.SearchValues<char> HexDigits = System.Buffers.SearchValues.Create("0123456789abcdef");

    /// <summary>A CCW bus id as the kernel prints it: <c>%x.%x.%04x</c>, for example <c>0.0.0313</c>.</summary>
    private static bool IsCcwBusId(string text)
    {
        string[] parts = text.Split('.');
        return parts.Length == 3 && parts[0].Length == 1 && parts[1].Length == 1 && parts[2].Length == 4
            && parts.All(p => p.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f'));
    }

    private static bool IsPciAddress(string text) =>
        text.Length == 12 && text[4] == ':' && text[7] == ':' && text[10] == '.' && text[11] is >= '0' and <= '7'
        && text.AsSpan(0, 4).ContainsAnyExcept(HexDigits) == false
        && text.AsSpan(5, 2).ContainsAnyExcept(HexDigits) == false
        && text.AsSpan(8, 2).ContainsAnyExcept(HexDigits) == false;

    private static void CheckName(string name, string path, string source)
    {
        if (name.Length == 0 || name.Length > 255 || name.Contains('/', StringComparison.Ordinal) || name.Contains('\n', StringComparison.Ordinal) || name is "." or "..")
        {
            throw new TopologyException(source, path, $"\"{name}\" is not a valid sysfs file name (non-empty, no '/', no newline)");
        }
    }

    private static uint ParseHex(string? text, uint max, string path, string source, uint fallback)
    {
        if (text is null)
        {
            return fallback;
        }

        string digits = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? text[2..] : text;
        if (!uint.TryParse(digits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out uint value) || value > max)
        {
            throw new TopologyException(source, path, $"\"{text}\" is not a hex number up to 0x{max:x}");
        }

        return value;
    }

    /// <summary>A parent served by one of the sample drivers, which brings its own device, types and attributes.</summary>
    private static ParentModel ValidateSample(ParentSpec spec, SampleSpec sample, string path, string source)
    {
        if (spec.Pci is not null || spec.Virtual is not null || spec.Platform is not null || spec.Driver is not null
            || spec.SharedInstances is not null || spec.Types is not null || spec.DeviceAttributes is not null)
        {
            throw new TopologyException(source, path, "a \"sample\" parent brings its own device, types and attributes; give only \"sample\"");
        }

        string name = sample.Name ?? throw new TopologyException(source, path + ".sample.name", "required: \"mtty\", \"mdpy\" or \"mbochs\"");
        if (!SampleNames.Contains(name))
        {
            throw new TopologyException(source, path + ".sample.name", $"unknown sample \"{name}\"; use \"mtty\", \"mdpy\" or \"mbochs\"");
        }

        (int? budget, string field) = name switch
        {
            "mtty" => (sample.TotalPorts, "total_ports"),
            "mdpy" => (sample.MaxDevices, "max_devices"),
            _ => (sample.TotalMegabytes, "total_megabytes"),
        };
        int given = (sample.TotalPorts is null ? 0 : 1) + (sample.MaxDevices is null ? 0 : 1) + (sample.TotalMegabytes is null ? 0 : 1);
        if (given > (budget is null ? 0 : 1))
        {
            throw new TopologyException(source, path + ".sample", $"the {name} sample's budget is \"{field}\"; the other budget fields belong to other samples");
        }

        if (budget is < 0)
        {
            throw new TopologyException(source, $"{path}.sample.{field}", "must be zero or more");
        }

        return new ParentModel(path, ParentLocation.Sample, name, name, default, null, [], [], new SampleModel(name, budget));
    }
}
