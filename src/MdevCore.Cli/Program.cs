using System.CommandLine;
using System.CommandLine.Parsing;
using MdevCore.Cli.CommandLine;
using MdevCore.Cli.Commands;

namespace MdevCore.Cli;

internal static class Program
{
    public static int Main(string[] args) => Run(args, Console.Out, Console.Error);

    /// <summary>Parses and runs a command line; the exit code follows <see cref="ExitCodes"/>.</summary>
    internal static int Run(IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        RootCommand root = BuildRoot();
        if (args.Count == 0)
        {
            // No command at all: the usage, where errors go, and the usage-error code.
            _ = root.Parse(["--help"]).Invoke(new InvocationConfiguration { Output = error, Error = error });
            return ExitCodes.Usage;
        }

        ParseResult parsed = root.Parse(OperandEndsOptions.Apply(root, args, "run"));
        string[] errors = [.. parsed.Errors.Select(e => e.Message), .. OptionLikeOperands(parsed).Select(t => $"Unrecognized command or argument '{t}'.")];
        if (errors.Length > 0 && parsed.Action is not System.CommandLine.Help.HelpAction)
        {
            foreach (string e in errors)
            {
                error.WriteLine($"mdevsim: {e}");
            }

            error.WriteLine($"Try '{string.Join(' ', CommandPath(parsed.CommandResult))} --help' for more information.");
            return ExitCodes.Usage;
        }

        return parsed.Invoke(new InvocationConfiguration { Output = output, Error = error });
    }

    internal static RootCommand BuildRoot()
    {
        var root = new RootCommand("mdevsim: a simulated Linux mdev host. Inspect it, or run real programs such as mdevctl against it with /sys served live through FUSE."
            + $" Documentation: {Documentation.Page("cli.md")}")
        {
            CommonOptions.Verbose(),
        };
        root.Subcommands.Add(DemoCommand.Create());
        root.Subcommands.Add(RunCommand.Create());
        root.Subcommands.Add(ServeCommand.Create());
        root.Subcommands.Add(TreeCommand.Create());
        root.Subcommands.Add(TypesCommand.Create());
        root.Subcommands.Add(TopologiesCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());
        root.Subcommands.Add(RecordCommand.Create());
        return root;
    }

    /// <summary>Operands that look like options and came before any <c>--</c>: the parser binds an unknown option
    /// to an operand (<c>mdevsim topologies --bogus</c>); here it is the usage error it is.</summary>
    private static IEnumerable<string> OptionLikeOperands(ParseResult parsed)
    {
        var operands = parsed.CommandResult.Children.OfType<ArgumentResult>().SelectMany(a => a.Tokens).ToHashSet(ReferenceEqualityComparer.Instance);
        foreach (Token token in parsed.Tokens)
        {
            if (token.Type == TokenType.DoubleDash)
            {
                yield break;
            }

            if (operands.Contains(token) && token.Value.Length > 1 && token.Value[0] == '-' && !double.TryParse(token.Value, System.Globalization.CultureInfo.InvariantCulture, out _))
            {
                yield return token.Value;
            }
        }
    }

    private static Stack<string> CommandPath(CommandResult result)
    {
        var names = new Stack<string>();
        for (SymbolResult? r = result; r is not null; r = r.Parent)
        {
            if (r is CommandResult c)
            {
                names.Push(c.Parent is null ? "mdevsim" : c.Command.Name);
            }
        }

        return names;
    }
}
