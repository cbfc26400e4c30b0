using System.CommandLine;
using System.Text;
using MdevCore.Sysfs;

namespace MdevCore.Cli.Commands;

internal static class TypesCommand
{
    public static Command Create()
    {
        Option<string?> topology = CommonOptions.Topology();
        var command = new Command("types", "List the mdev parents and types of a topology, read from its simulated sysfs as mdevctl types would")
        {
            topology,
        };
        command.SetAction(pr =>
        {
            MdevHost? host = CommonOptions.LoadHost(pr.GetValue(topology), Console.Error, out _);
            if (host is null)
            {
                return 1;
            }

            Console.Out.Write(Render(host.Sysfs));
            return 0;
        });
        return command;
    }

    /// <summary>The types of every parent, in the layout of <c>mdevctl types</c>.</summary>
    public static string Render(SysfsView sys)
    {
        var sb = new StringBuilder();
        IReadOnlyList<string> parents = sys.List("/sys/class/mdev_bus").TryGetValue(out IReadOnlyList<string>? p) ? p : [];
        foreach (string parent in parents.Order(StringComparer.Ordinal))
        {
            string typesDir = $"/sys/class/mdev_bus/{parent}/mdev_supported_types";
            _ = sb.Append(parent).Append('\n');
            IReadOnlyList<string> types = sys.List(typesDir).TryGetValue(out IReadOnlyList<string>? t) ? t : [];
            foreach (string type in types.Order(StringComparer.Ordinal))
            {
                string dir = typesDir + "/" + type;
                _ = sb.Append("  ").Append(type).Append('\n');
                _ = sb.Append("    Available instances: ").Append(Read(sys, dir + "/available_instances")).Append('\n');
                _ = sb.Append("    Device API: ").Append(Read(sys, dir + "/device_api")).Append('\n');
                string name = Read(sys, dir + "/name");
                if (name.Length > 0)
                {
                    _ = sb.Append("    Name: ").Append(name).Append('\n');
                }

                string description = Read(sys, dir + "/description").Replace("\n", ", ", StringComparison.Ordinal);
                if (description.Length > 0)
                {
                    _ = sb.Append("    Description: ").Append(description).Append('\n');
                }
            }
        }

        return sb.ToString();
    }

    private static string Read(SysfsView sys, string path) =>
        sys.ReadText(path).TryGetValue(out string? text) ? text.Trim() : "";
}
