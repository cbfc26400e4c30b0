using System.CommandLine;
using MdevCore.Cli.CommandLine;
using MdevCore.Cli.Output;
using MdevCore.Sysfs;

namespace MdevCore.Cli.Commands;

internal static class TreeCommand
{
    public static Command Create()
    {
        Option<string?> topology = CommonOptions.Topology();
        var path = new Option<string>("--path", "-p") { Description = "Subtree to print (an absolute /sys path)", DefaultValueFactory = _ => "/sys" };
        var json = new Option<bool>("--json") { Description = "Print the subtree as one JSON document (entries as tree -J writes them, with modes and values)" };
        var command = new Command("tree", "Print the simulated host's sysfs tree without mounting anything (D dir, A readable attribute = value, W write-only, L link -> target)")
        {
            topology,
            path,
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

            string root = pr.GetValue(path)!;
            Result<SysfsStat> stat = host.Sysfs.LStat(root);
            if (!stat.Succeeded)
            {
                error.WriteLine($"mdevsim tree: --path {root}: stat: {stat.Error} ({stat.Error.Describe()}) in the simulated sysfs");
                return ExitCodes.Failure;
            }

            pr.InvocationConfiguration.Output.Write(pr.GetValue(json) ? TreeJson.Write(host.Sysfs, root) : SysfsTreeWriter.Write(host.Sysfs, root));
            return ExitCodes.Success;
        });
        return command;
    }
}
