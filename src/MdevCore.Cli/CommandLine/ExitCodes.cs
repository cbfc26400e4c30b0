namespace MdevCore.Cli.CommandLine;

/// <summary>The exit codes every <c>mdevsim</c> command uses (docs/cli.md, "Exit codes").</summary>
/// <remarks>
/// As mdevctl (clap) and System.CommandLine applications do: 0 success, 1 the command ran and failed,
/// 2 the command line itself is wrong. <c>mdevsim run</c> adds the codes of the command it runs.
/// </remarks>
internal static class ExitCodes
{
    /// <summary>The command did what was asked.</summary>
    public const int Success = 0;

    /// <summary>The command line was understood but the work failed: a file that cannot be read, a bad topology, a failed operation.</summary>
    public const int Failure = 1;

    /// <summary>The command line cannot be parsed: unknown command or option, missing or malformed value, missing operand.</summary>
    public const int Usage = 2;
}
