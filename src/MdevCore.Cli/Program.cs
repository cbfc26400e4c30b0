using System.CommandLine;
using MdevCore.Cli.Commands;

namespace MdevCore.Cli;

internal static class Program
{
    public static int Main(string[] args) => BuildRoot().Parse(args).Invoke();

    internal static RootCommand BuildRoot()
    {
        var root = new RootCommand("mdevsim: a simulated Linux mdev host. Inspect it, or run real programs such as mdevctl against it with /sys served live through FUSE.");
        root.Subcommands.Add(DemoCommand.Create());
        root.Subcommands.Add(RunCommand.Create());
        root.Subcommands.Add(ServeCommand.Create());
        root.Subcommands.Add(TreeCommand.Create());
        root.Subcommands.Add(TypesCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());
        root.Subcommands.Add(RecordCommand.Create());
        return root;
    }
}
