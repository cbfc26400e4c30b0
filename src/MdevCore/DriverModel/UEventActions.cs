namespace MdevCore.DriverModel;

/// <summary>Kernel spellings of <see cref="UEventAction"/> values.</summary>
/// <remarks>Thread safety: pure functions.</remarks>
public static class UEventActions
{
    /// <summary>The kernel's lowercase name (<c>add</c>, <c>bind</c>, ...).</summary>
    /// <param name="action">The action.</param>
    /// <returns>The name used in <c>ACTION=</c>.</returns>
    public static string ToKernelString(this UEventAction action) => action switch
    {
        UEventAction.Add => "add",
        UEventAction.Remove => "remove",
        UEventAction.Change => "change",
        UEventAction.Move => "move",
        UEventAction.Online => "online",
        UEventAction.Offline => "offline",
        UEventAction.Bind => "bind",
        UEventAction.Unbind => "unbind",
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, null),
    };

    /// <summary>Parses a kernel action name, as a write to a <c>uevent</c> file does (<c>kobject_action_type</c>).</summary>
    /// <param name="text">The name, optionally followed by a newline.</param>
    /// <param name="action">The action.</param>
    /// <returns>Whether the name is known.</returns>
    public static bool TryParse(ReadOnlySpan<char> text, out UEventAction action)
    {
        ReadOnlySpan<char> word = text.TrimEnd('\n');
        foreach (UEventAction candidate in Enum.GetValues<UEventAction>())
        {
            if (word.SequenceEqual(candidate.ToKernelString()))
            {
                action = candidate;
                return true;
            }
        }

        action = default;
        return false;
    }
}
