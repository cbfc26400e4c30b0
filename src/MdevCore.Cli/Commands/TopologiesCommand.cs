using System.CommandLine;
using MdevCore.Cli.CommandLine;
using MdevCore.Cli.Topologies;

namespace MdevCore.Cli.Commands;

/// <summary><c>mdevsim topologies [NAME]</c>: the built-in topologies, or one of them as JSON to start a file from.</summary>
internal static class TopologiesCommand
{
    public static Command Create()
    {
        var name = new Argument<string?>("name") { Description = "Print this built-in topology's JSON", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("topologies", "List the built-in topologies (use one with --topology NAME), or print one's JSON")
        {
            name,
        };
        command.SetAction(pr => Run(pr.GetValue(name), pr.InvocationConfiguration.Output, pr.InvocationConfiguration.Error));
        return command;
    }

    public static int Run(string? name, TextWriter output, TextWriter error)
    {
        if (name is not null)
        {
            if (BuiltInTopologies.Read(name) is not { } json)
            {
                error.WriteLine($"mdevsim topologies: {name}: no such built-in topology; built-in: {string.Join(", ", BuiltInTopologies.Names)}");
                return ExitCodes.Failure;
            }

            output.Write(json);
            return ExitCodes.Success;
        }

        int width = BuiltInTopologies.Names.Max(n => n.Length);
        foreach (string n in BuiltInTopologies.Names)
        {
            output.WriteLine($"{n.PadRight(width)}  {BuiltInTopologies.Describe(BuiltInTopologies.Read(n)!)}");
        }

        return ExitCodes.Success;
    }
}
