using System.CommandLine;

namespace MdevCore.Cli.CommandLine;

/// <summary>
/// For commands that run another program (<c>mdevsim run</c>), the first operand ends mdevsim's own options:
/// <c>mdevsim run mdevctl start -p mtty -t mtty-2</c> passes <c>-p</c> and <c>-t</c> to mdevctl, as
/// <c>umockdev-run</c>, <c>unshare</c>, <c>sudo</c> and getopt's <c>+</c> mode do. <c>--</c> still works.
/// </summary>
/// <remarks>
/// System.CommandLine binds options wherever they appear, so the arguments are rewritten before parsing:
/// a <c>--</c> is inserted before the first token that is neither one of the command's options nor that
/// option's value. Anything the scan does not recognise is left alone for the parser to report.
/// </remarks>
internal static class OperandEndsOptions
{
    /// <summary>Inserts <c>--</c> before the first operand of <paramref name="commandName"/>, when it has none.</summary>
    /// <param name="root">The root command.</param>
    /// <param name="args">The arguments as given.</param>
    /// <param name="commandName">The command whose operands are another program's command line.</param>
    /// <returns>The arguments to parse.</returns>
    public static IReadOnlyList<string> Apply(RootCommand root, IReadOnlyList<string> args, string commandName)
    {
        Command? command = root.Subcommands.FirstOrDefault(c => c.Name == commandName);
        int start = IndexOfCommand(root, args, commandName);
        if (command is null || start < 0)
        {
            return args;
        }

        Option[] options = [.. command.Options, .. root.Options.Where(o => o.Recursive)];
        for (int i = start + 1; i < args.Count; i++)
        {
            string token = args[i];
            if (token == "--")
            {
                return args;
            }

            if (token.Length < 2 || token[0] != '-')
            {
                return [.. args.Take(i), "--", .. args.Skip(i)];
            }

            int inline = token.IndexOfAny(['=', ':']);
            string name = inline > 0 ? token[..inline] : token;
            Option? option = options.FirstOrDefault(o => o.Name == name || o.Aliases.Contains(name));
            if (option is null)
            {
                return args;
            }

            if (inline < 0 && TakesNext(option, i + 1 < args.Count ? args[i + 1] : null))
            {
                i++;
            }
        }

        return args;
    }

    private static int IndexOfCommand(RootCommand root, IReadOnlyList<string> args, string commandName)
    {
        for (int i = 0; i < args.Count; i++)
        {
            if (args[i] == commandName)
            {
                return i;
            }

            if (args[i].Length == 0 || args[i][0] != '-' || !root.Options.Any(o => o.Name == args[i] || o.Aliases.Contains(args[i])))
            {
                return -1;
            }
        }

        return -1;
    }

    // A flag (bool) takes the next token only when it is a boolean literal, as the parser does.
    private static bool TakesNext(Option option, string? next) =>
        option.Arity.MinimumNumberOfValues > 0
        || (option.Arity.MaximumNumberOfValues > 0 && next is not null && bool.TryParse(next, out _));
}
