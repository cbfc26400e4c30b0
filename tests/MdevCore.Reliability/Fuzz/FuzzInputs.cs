using System.Text;

namespace MdevCore.Reliability.Fuzz;

/// <summary>Inputs a careless or hostile writer sends: random bytes, NUL, non-UTF-8, huge, whitespace and number
/// variants, UUID variants, and paths with <c>..</c>, <c>//</c>, NUL, long names and places outside <c>/sys</c>.</summary>
public static class FuzzInputs
{
    private static readonly string[] Words =
    [
        "1", "0", "-1", "+1", " 1", "1 ", "1\n", "1\n\n", "01", "0x1", "0X1", "1e3", "18446744073709551615", "18446744073709551616",
        "-9223372036854775808", "2147483648", "y", "n", "Y", "N", "on", "off", "true", "add", "change", "remove", "bind", "unbind",
        "add 5eed0000-0000-4000-8000-000000000000 A=b", "online", "\t", " ", "\n", "", "0000:00:10.0", "0000:00:11.0\n",
    ];

    /// <summary>Some bytes to write to an attribute.</summary>
    /// <param name="random">The source of randomness.</param>
    /// <param name="uuids">UUIDs that may exist on the host, so that some writes hit real devices.</param>
    /// <returns>The bytes.</returns>
    public static byte[] Data(Random random, IReadOnlyList<string> uuids)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentNullException.ThrowIfNull(uuids);
        switch (random.Next(9))
        {
            case 0:
                return RandomBytes(random, random.Next(0, 64));
            case 1:
                return Encoding.ASCII.GetBytes(Words[random.Next(Words.Length)]);
            case 2:
                return [.. Encoding.ASCII.GetBytes(Words[random.Next(Words.Length)]), 0, .. RandomBytes(random, random.Next(8))];
            case 3:
                return [0xff, 0xfe, 0xc3, 0x28, .. RandomBytes(random, 4)]; // Not UTF-8.
            case 4:
                return new byte[random.Next(2) == 0 ? 4096 : 70_000].Select(_ => (byte)'1').ToArray(); // Huge.
            case 5:
                return Encoding.ASCII.GetBytes(Variant(random, uuids[random.Next(uuids.Count)]));
            case 6:
                return Encoding.ASCII.GetBytes(new string(' ', random.Next(5)) + random.Next(-5, 5) + new string('\n', random.Next(3)));
            case 7:
                return Encoding.ASCII.GetBytes(uuids[random.Next(uuids.Count)]);
            default:
                return Encoding.UTF8.GetBytes("\u00e9\u4e2d\ud83d\ude00" + random.Next());
        }
    }

    /// <summary>A path, mostly near a real one.</summary>
    /// <param name="random">The source of randomness.</param>
    /// <param name="real">Paths that exist on the host.</param>
    /// <returns>The path.</returns>
    public static string Path(Random random, IReadOnlyList<string> real)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentNullException.ThrowIfNull(real);
        string basis = real[random.Next(real.Count)];
        return random.Next(10) switch
        {
            0 => basis + "/..",
            1 => basis.Replace("/", "//", StringComparison.Ordinal),
            2 => basis + "\0junk",
            3 => basis + "/" + new string('x', random.Next(2) == 0 ? 255 : 5000),
            4 => "/etc/passwd",
            5 => "../" + basis,
            6 => basis + "/../../../../../../..",
            7 => basis.TrimStart('/'),
            8 => basis + "/.",
            _ => "/sys/" + Encoding.Latin1.GetString(RandomBytes(random, 6)),
        };
    }

    private static string Variant(Random random, string uuid) => random.Next(6) switch
    {
        0 => uuid.ToUpperInvariant(),
        1 => uuid.Replace("-", string.Empty, StringComparison.Ordinal),
        2 => "{" + uuid + "}",
        3 => uuid + "\n",
        4 => uuid[..^1],
        _ => " " + uuid,
    };

    private static byte[] RandomBytes(Random random, int count)
    {
        byte[] bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }
}
