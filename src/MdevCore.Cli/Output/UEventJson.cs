using System.Text.Json;
using MdevCore.DriverModel;

namespace MdevCore.Cli.Output;

/// <summary>A uevent as one JSON object, for JSON-lines logs (<c>mdevsim demo --json</c>).</summary>
/// <remarks>
/// <c>{"seqnum":1,"action":"add","devpath":"/devices/…","subsystem":"mdev","env":{"ACTION":"add",…,"SEQNUM":"1"}}</c>:
/// the three fields udev rules match on most, then every variable in the order the kernel adds them
/// (what <c>udevadm monitor --kernel --property</c> prints), values as strings. Documented in docs/cli.md.
/// </remarks>
internal static class UEventJson
{
    /// <summary>The event as one line of JSON, without a newline.</summary>
    /// <param name="e">The event.</param>
    /// <returns>The text.</returns>
    public static string ToLine(UEvent e) => Json.Write(indented: false, w => Write(w, e));

    /// <summary>Writes the event as one JSON object.</summary>
    /// <param name="writer">The writer.</param>
    /// <param name="e">The event.</param>
    public static void Write(Utf8JsonWriter writer, UEvent e)
    {
        writer.WriteStartObject();
        writer.WriteNumber("seqnum", e.SequenceNumber);
        writer.WriteString("action", e.Action.ToKernelString());
        writer.WriteString("devpath", e.DevPath);
        if (e.Subsystem is { } subsystem)
        {
            writer.WriteString("subsystem", subsystem);
        }

        writer.WriteStartObject("env");
        foreach (KeyValuePair<string, string> variable in e.Environment)
        {
            writer.WriteString(variable.Key, variable.Value);
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }
}
