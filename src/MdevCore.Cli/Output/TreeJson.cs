using System.Text.Json;
using MdevCore.Sysfs;

namespace MdevCore.Cli.Output;

/// <summary>A sysfs subtree as one JSON document, shaped like <c>tree -J</c>'s entries with sysfs' modes and values added.</summary>
/// <remarks>
/// Each entry: <c>type</c> (<c>directory</c>, <c>file</c> or <c>link</c>), <c>name</c> (the full path for the
/// root, the entry's name below it), <c>mode</c> (four octal digits, as in the text tree); a directory has
/// <c>contents</c> in listing order, a link its <c>target</c>, a readable file its <c>value</c>, a write-only
/// one <c>"value": null</c>, and a file whose read fails its <c>error</c> (errno name). Links are not followed.
/// </remarks>
internal static class TreeJson
{
    /// <summary>The subtree at <paramref name="root"/>, pretty-printed, ending in a newline.</summary>
    /// <param name="view">The host's sysfs.</param>
    /// <param name="root">An absolute path that exists.</param>
    /// <returns>The text.</returns>
    public static string Write(SysfsView view, string root) => Json.Write(indented: true, w => WriteEntry(w, view, root, root)) + "\n";

    private static void WriteEntry(Utf8JsonWriter w, SysfsView view, string path, string name)
    {
        if (!view.LStat(path).TryGetValue(out SysfsStat stat))
        {
            return;
        }

        w.WriteStartObject();
        w.WriteString("type", stat.Kind switch
        {
            SysfsNodeKind.Directory => "directory",
            SysfsNodeKind.Symlink => "link",
            _ => "file",
        });
        w.WriteString("name", name);
        w.WriteString("mode", Convert.ToString((int)stat.Mode, 8).PadLeft(4, '0'));
        switch (stat.Kind)
        {
            case SysfsNodeKind.Directory:
                w.WriteStartArray("contents");
                if (view.List(path).TryGetValue(out IReadOnlyList<string>? names))
                {
                    foreach (string child in names)
                    {
                        WriteEntry(w, view, path == "/" ? "/" + child : path + "/" + child, child);
                    }
                }

                w.WriteEndArray();
                break;
            case SysfsNodeKind.Symlink:
                w.WriteString("target", view.ReadLink(path).TryGetValue(out string? target) ? target : "");
                break;
            default:
                Result<string> text = view.ReadText(path);
                if (text.TryGetValue(out string? value))
                {
                    w.WriteString("value", value);
                }
                else if (text.Error == Errno.EACCES)
                {
                    w.WriteNull("value");
                }
                else
                {
                    w.WriteString("error", text.Error.ToString());
                }

                break;
        }

        w.WriteEndObject();
    }
}
