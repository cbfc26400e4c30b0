using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace MdevCore.Cli.Output;

/// <summary>JSON text as the tools people compare with print it: UTF-8, only the escapes JSON needs, no HTML escaping.</summary>
internal static class Json
{
    /// <summary>Writes a document with <paramref name="write"/> and returns its text.</summary>
    /// <param name="indented">Two-space indentation and "key": value, as serde_json's pretty printer (mdevctl) writes; else one line.</param>
    /// <param name="write">Writes one JSON value.</param>
    /// <returns>The text, without a final newline.</returns>
    public static string Write(bool indented, Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions
        {
            Indented = indented,
            IndentSize = 2,
            NewLine = "\n",
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        }))
        {
            write(writer);
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
