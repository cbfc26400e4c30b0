namespace MdevCore.Cli.Commands;

/// <summary>What mdevctl needs in its configuration directory (<c>/etc/mdevctl.d</c>) before it starts.</summary>
/// <remarks>mdevctl 1.x reads its callout and notifier scripts from <c>scripts.d/callouts</c> and
/// <c>scripts.d/notifiers</c> and stops with an error when they are missing, so <c>mdevsim run --etc DIR</c>
/// creates them in DIR (an empty directory is a fine start) as it does in its fresh private one.</remarks>
internal static class MdevctlEtc
{
    /// <summary>Creates the script directories below <paramref name="dir"/> when missing.</summary>
    /// <param name="dir">The directory shown as <c>/etc/mdevctl.d</c>.</param>
    /// <returns>Why it failed, naming the path and the operation, or <see langword="null"/>.</returns>
    public static string? Prepare(string dir)
    {
        foreach (string sub in (string[])["callouts", "notifiers"])
        {
            string path = Path.Combine(dir, "scripts.d", sub);
            try
            {
                _ = Directory.CreateDirectory(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return $"--etc {dir}: mkdir {path}: {e.Message}";
            }
        }

        return null;
    }
}
