using System.CommandLine;
using MdevCore.Sysfs;

namespace MdevCore.Cli.Commands;

internal static class TreeCommand
{
    public static Command Create()
    {
        Option<string?> topology = CommonOptions.Topology();
        var path = new Option<string>("--path", "-p") { Description = "Subtree to print (an absolute /sys path)", DefaultValueFactory = _ => "/sys" };
        var command = new Command("tree", "Print the simulated host's sysfs tree without mounting anything (D dir, A readable attribute = value, W write-only, L link -> target)")
        {
            topology,
            path,
        };
        command.SetAction(pr =>
        {
            MdevHost? host = CommonOptions.LoadHost(pr.GetValue(topology), Console.Error, out _);
            if (host is null)
            {
                return 1;
            }

            string root = pr.GetValue(path)!;
            if (!host.Sysfs.Exists(root))
            {
                Console.Error.WriteLine($"mdevsim tree: {root} does not exist in the simulated sysfs");
                return 1;
            }

            Console.Out.Write(SysfsTreeWriter.Write(host.Sysfs, root));
            return 0;
        });
        return command;
    }
}
