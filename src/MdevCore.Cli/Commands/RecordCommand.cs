using System.CommandLine;
using MdevCore.Topology;
using MdevCore.Topology.Recording;

namespace MdevCore.Cli.Commands;

/// <summary><c>mdevsim record</c>: describes a sysfs tree's mdev parents as a topology, or keeps its raw files in an archive.</summary>
internal static class RecordCommand
{
    public static Command Create()
    {
        var sys = new Option<string>("--sys", "-s") { Description = "The sysfs root to read (it holds bus/, class/ and devices/): a real /sys, or a mount of a simulated one", DefaultValueFactory = _ => "/sys" };
        var parents = new Option<string[]>("--parent", "-p") { Description = "Record only this parent (as named in /sys/class/mdev_bus); repeatable", AllowMultipleArgumentsPerToken = true };
        var archive = new Option<string?>("--archive", "-a") { Description = "Write the raw files read to this tar archive instead of a topology on stdout; replay it with --topology FILE" };
        var command = new Command("record", "Describe a host's mdev parents, types and active devices as a topology on stdout (see docs/topology.md); what cannot be recorded is reported on stderr")
        {
            sys,
            parents,
            archive,
        };
        command.SetAction(pr =>
        {
            string root = pr.GetValue(sys)!;
            ISysfsSource source = new DirectorySysfsSource(root);
            CapturingSysfsSource? capture = pr.GetValue(archive) is null ? null : new CapturingSysfsSource(source);
            var recorder = new TopologyRecorder(capture ?? source);
            RecordedHost host;
            try
            {
                host = recorder.Record(pr.GetValue(parents));
            }
            catch (TopologyException e)
            {
                Console.Error.WriteLine($"mdevsim record: {root}: {e.Problem}");
                return 1;
            }

            foreach (string problem in recorder.Problems)
            {
                Console.Error.WriteLine($"mdevsim record: {problem}");
            }

            if (host.Parents.Count == 0)
            {
                Console.Error.WriteLine($"mdevsim record: {root}: no mdev parent to record");
                return 1;
            }

            if (capture is not null)
            {
                using FileStream file = File.Create(pr.GetValue(archive)!);
                capture.WriteArchive(file);
                return 0;
            }

            Console.Out.Write(host.ToJson());
            return 0;
        });
        return command;
    }
}
