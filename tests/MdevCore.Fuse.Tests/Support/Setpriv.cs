namespace MdevCore.Fuse.Tests.Support;

/// <summary>Runs a shell script as another user with util-linux <c>setpriv</c> (the tests run as root).</summary>
internal static class Setpriv
{
    /// <summary>The unprivileged user most systems have: nobody.</summary>
    public const int Nobody = 65534;

    /// <summary>Runs <paramref name="script"/> in bash as uid and gid <paramref name="uid"/>, with the given supplementary groups only.</summary>
    public static ProcessResult Bash(string script, int uid = Nobody, params int[] groups)
    {
        string groupOption = groups.Length == 0 ? "--clear-groups" : "--groups=" + string.Join(',', groups);
        return ProcessRunner.Run("setpriv", [$"--reuid={uid}", $"--regid={uid}", groupOption, "bash", "-c", "cd / && " + script], TimeSpan.FromSeconds(30));
    }
}
