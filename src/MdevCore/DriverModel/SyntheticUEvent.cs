using System.Text;
using MdevCore.Internal;

namespace MdevCore.DriverModel;

/// <summary>
/// What a write to a <c>uevent</c> file asks for. Since 4.13 (<c>kobject_synth_uevent</c>): an action name, optionally
/// followed by a UUID and <c>KEY=VALUE</c> pairs separated by single spaces; the event carries <c>SYNTH_UUID=0</c>, or
/// <c>SYNTH_UUID=&lt;uuid&gt;</c> and one <c>SYNTH_ARG_KEY=VALUE</c> per pair; anything else is <see cref="Errno.EINVAL"/>.
/// In v4.10 (<c>kobject_action_type</c> alone) the whole write is the action name, an unknown one is ignored, and no
/// <c>SYNTH_</c> variable is added. In both, one trailing newline or NUL is dropped first.
/// </summary>
internal static class SyntheticUEvent
{
    private const int UuidLength = 36;

    /// <summary>Parses a write.</summary>
    /// <param name="data">The bytes written.</param>
    /// <param name="profile">The kernel generation.</param>
    /// <param name="action">The action, when one is to be raised.</param>
    /// <param name="variables">The <c>SYNTH_</c> variables (modern profile).</param>
    /// <returns><see cref="Errno.None"/> with <paramref name="variables"/> set when an event is to be raised;
    /// <see cref="Errno.EINVAL"/> for a malformed write (modern); under the seed profile an unknown action gives
    /// <see cref="Errno.None"/> with <paramref name="variables"/> null: the write succeeds and nothing is sent.</returns>
    public static Errno Parse(ReadOnlySpan<byte> data, KernelProfile profile, out UEventAction action, out KeyValuePair<string, string>[]? variables)
    {
        variables = null;
        data = DropTerminator(data);
        if (profile == KernelProfile.Seed)
        {
            if (TryParseAction(data, out action))
            {
                variables = [];
            }

            return Errno.None;
        }

        int space = data.IndexOf((byte)' ');
        if (!TryParseAction(space < 0 ? data : data[..space], out action))
        {
            return Errno.EINVAL;
        }

        if (space < 0)
        {
            variables = [new("SYNTH_UUID", "0")];
            return Errno.None;
        }

        return ParseArguments(data[(space + 1)..], out variables);
    }

    /// <summary>kobject_action_args: a UUID, then <c> KEY=VALUE</c> pairs with alphanumeric keys.</summary>
    private static Errno ParseArguments(ReadOnlySpan<byte> args, out KeyValuePair<string, string>[]? variables)
    {
        variables = null;
        args = DropTerminator(args);
        if (args.Length < UuidLength || !KernelParse.TryParseUuid(args, out _))
        {
            return Errno.EINVAL;
        }

        var list = new List<KeyValuePair<string, string>> { new("SYNTH_UUID", Encoding.ASCII.GetString(args[..UuidLength])) };
        ReadOnlySpan<byte> rest = args[UuidLength..];
        while (!rest.IsEmpty)
        {
            if (rest[0] != (byte)' ' || rest.Length == 1)
            {
                return Errno.EINVAL;
            }

            rest = rest[1..];
            int equals = rest.IndexOf((byte)'=');
            if (equals <= 0 || !IsAlphanumeric(rest[..equals]))
            {
                return Errno.EINVAL;
            }

            int end = rest[equals..].IndexOf((byte)' ');
            end = end < 0 ? rest.Length : equals + end;
            list.Add(new("SYNTH_ARG_" + Encoding.ASCII.GetString(rest[..equals]), Encoding.Latin1.GetString(rest[(equals + 1)..end])));
            rest = rest[end..];
        }

        variables = [.. list];
        return Errno.None;
    }

    private static bool TryParseAction(ReadOnlySpan<byte> word, out UEventAction action)
    {
        foreach (UEventAction candidate in Enum.GetValues<UEventAction>())
        {
            string name = candidate.ToKernelString();
            if (Ascii.Equals(word, name))
            {
                action = candidate;
                return true;
            }
        }

        action = default;
        return false;
    }

    private static ReadOnlySpan<byte> DropTerminator(ReadOnlySpan<byte> data) =>
        data.Length > 0 && data[^1] is (byte)'\n' or 0 ? data[..^1] : data;

    private static bool IsAlphanumeric(ReadOnlySpan<byte> key)
    {
        foreach (byte b in key)
        {
            if (!char.IsAsciiLetterOrDigit((char)b))
            {
                return false;
            }
        }

        return true;
    }
}
