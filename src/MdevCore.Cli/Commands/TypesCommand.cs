using System.CommandLine;
using System.Globalization;
using System.Text;
using MdevCore.Cli.CommandLine;
using MdevCore.Cli.Output;
using MdevCore.Sysfs;

namespace MdevCore.Cli.Commands;

/// <summary><c>mdevsim types</c>: every parent's types, read from the simulated sysfs as <c>mdevctl types</c> reads them.</summary>
/// <remarks>
/// mdevctl 1.x (<c>types_command</c> and <c>get_supported_types</c>): parents in byte order of their names,
/// types sorted by name within a parent, <c>name</c> and <c>description</c> only when non-empty, a
/// multi-line description joined with ", ". <c>--json</c> is <c>types --dumpjson</c>'s document: an
/// array holding one object that maps each parent to an array of one-key objects (type name → its
/// fields), or <c>[]</c> when nothing matches, pretty-printed and ended by a newline as mdevctl 1.2.0 prints it
/// (<c>println!</c>; later mdevctl sources write it without the newline).
/// </remarks>
internal static class TypesCommand
{
    public static Command Create()
    {
        Option<string?> topology = CommonOptions.Topology();
        var parent = new Option<string?>("--parent", "-p") { Description = "Only this parent's types (a parent's name in /sys/class/mdev_bus, e.g. 0000:00:02.0)" };
        var json = new Option<bool>("--json") { Description = "Print JSON shaped like mdevctl types --dumpjson" };
        var command = new Command("types", "List the mdev parents and types of a topology, read from its simulated sysfs as mdevctl types would")
        {
            topology,
            parent,
            json,
        };
        command.SetAction(pr =>
        {
            TextWriter error = pr.InvocationConfiguration.Error;
            MdevHost? host = CommonOptions.LoadHost(pr.GetValue(topology), error, out _, CommonOptions.IsVerbose(pr));
            if (host is null)
            {
                return ExitCodes.Failure;
            }

            IReadOnlyList<ParentTypes> parents = Read(host.Sysfs, pr.GetValue(parent));
            pr.InvocationConfiguration.Output.Write(pr.GetValue(json) ? RenderJson(parents) : RenderText(parents));
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The types of every parent, in the layout of <c>mdevctl types</c>.</summary>
    public static string Render(SysfsView sys) => RenderText(Read(sys, null));

    /// <summary>One parent's types, as mdevctl reads them from sysfs.</summary>
    internal sealed record ParentTypes(string Parent, IReadOnlyList<TypeInfo> Types);

    /// <summary>One type's attributes, as mdevctl reads them.</summary>
    internal sealed record TypeInfo(string Name, string AvailableInstances, string DeviceApi, string PrettyName, string Description);

    internal static IReadOnlyList<ParentTypes> Read(SysfsView sys, string? onlyParent)
    {
        IReadOnlyList<string> parents = sys.List("/sys/class/mdev_bus").TryGetValue(out IReadOnlyList<string>? p) ? p : [];
        var result = new List<ParentTypes>();
        foreach (string parent in parents.Where(n => onlyParent is null || n == onlyParent).Order(StringComparer.Ordinal))
        {
            string typesDir = $"/sys/class/mdev_bus/{parent}/mdev_supported_types";
            IReadOnlyList<string> types = sys.List(typesDir).TryGetValue(out IReadOnlyList<string>? t) ? t : [];
            result.Add(new ParentTypes(parent, [.. types.Order(StringComparer.Ordinal).Select(type =>
            {
                string dir = typesDir + "/" + type;
                return new TypeInfo(type, ReadAttribute(sys, dir + "/available_instances"), ReadAttribute(sys, dir + "/device_api"),
                    ReadAttribute(sys, dir + "/name"), ReadAttribute(sys, dir + "/description").Replace("\n", ", ", StringComparison.Ordinal));
            })]));
        }

        return result;
    }

    private static string RenderText(IReadOnlyList<ParentTypes> parents)
    {
        var sb = new StringBuilder();
        foreach (ParentTypes parent in parents)
        {
            _ = sb.Append(parent.Parent).Append('\n');
            foreach (TypeInfo type in parent.Types)
            {
                _ = sb.Append("  ").Append(type.Name).Append('\n');
                _ = sb.Append("    Available instances: ").Append(type.AvailableInstances).Append('\n');
                _ = sb.Append("    Device API: ").Append(type.DeviceApi).Append('\n');
                if (type.PrettyName.Length > 0)
                {
                    _ = sb.Append("    Name: ").Append(type.PrettyName).Append('\n');
                }

                if (type.Description.Length > 0)
                {
                    _ = sb.Append("    Description: ").Append(type.Description).Append('\n');
                }
            }
        }

        return sb.ToString();
    }

    private static string RenderJson(IReadOnlyList<ParentTypes> parents) => Json.Write(indented: true, w =>
    {
        w.WriteStartArray();
        if (parents.Count > 0)
        {
            w.WriteStartObject();
            foreach (ParentTypes parent in parents)
            {
                w.WriteStartArray(parent.Parent);
                foreach (TypeInfo type in parent.Types)
                {
                    w.WriteStartObject();
                    w.WriteStartObject(type.Name);
                    if (long.TryParse(type.AvailableInstances, NumberStyles.Integer, CultureInfo.InvariantCulture, out long available))
                    {
                        w.WriteNumber("available_instances", available);
                    }
                    else
                    {
                        w.WriteString("available_instances", type.AvailableInstances);
                    }

                    w.WriteString("device_api", type.DeviceApi);
                    if (type.PrettyName.Length > 0)
                    {
                        w.WriteString("name", type.PrettyName);
                    }

                    if (type.Description.Length > 0)
                    {
                        w.WriteString("description", type.Description);
                    }

                    w.WriteEndObject();
                    w.WriteEndObject();
                }

                w.WriteEndArray();
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
    }) + "\n";

    private static string ReadAttribute(SysfsView sys, string path) =>
        sys.ReadText(path).TryGetValue(out string? text) ? text.Trim() : "";
}
