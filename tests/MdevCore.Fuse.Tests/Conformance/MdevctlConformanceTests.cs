using MdevCore.Fuse.Tests.Support;

namespace MdevCore.Fuse.Tests.Conformance;

/// <summary>
/// The real Debian mdevctl 1.2.0 and lsmdev against simulated hosts through <c>mdevsim run</c>: exact output,
/// exit codes and the host's end state. Expectations come from running the binary (docs: ../shared/docs/mdevctl.md).
/// </summary>
public class MdevctlConformanceTests
{
    private const string U1 = "11111111-1111-1111-1111-111111111111";
    private const string U2 = "22222222-2222-2222-2222-222222222222";
    private const string Gpu = "0000:00:02.0";
    private const string V54 = "i915-GVTg_V5_4";
    private const string Ap = "vfio_ap-passthrough";
    private const string TypesDir = "/sys/class/mdev_bus/0000:00:02.0/mdev_supported_types";

    private const string Topology = """
        { "parents": [
          { "pci": { "address": "0000:00:02.0", "vendor": "0x8086", "device": "0x3e92", "class": "0x030000" }, "driver": "i915",
            "types": [ { "name": "GVTg_V5_4", "device_api": "vfio-pci", "max_instances": 2, "description": "low_gm_size: 128MB\nhigh_gm_size: 512MB" },
                       { "name": "GVTg_V5_8", "device_api": "vfio-pci", "max_instances": 0 },
                       { "name": "Busy", "device_api": "vfio-pci", "max_instances": 1, "create_error": "EBUSY" } ] },
          { "virtual": { "class": "vfio_ap", "name": "matrix" },
            "types": [ { "name": "passthrough", "pretty_name": "VFIO AP Passthrough Device", "device_api": "vfio-ap", "max_instances": 4 } ],
            "device_attributes": [ { "name": "assign_adapter", "access": "rw" }, { "name": "assign_domain", "access": "rw" },
                                   { "name": "matrix", "access": "ro", "value": "none" } ] } ] }
        """;

    /// <summary>Options given to <c>mdevsim run</c>; the cached-entries subclass adds an entry timeout.</summary>
    protected virtual string[] RunOptions => [];

    private StepResults Steps(params string[] steps) => Mdevsim.RunSteps(Topology, null, RunOptions, steps);

    private static ProcessResult Ok(string stdout = "") => new(0, stdout, "");

    private static ProcessResult Error(string message, int code = 1) => new(code, "", "Error: " + message + "\n");

    [Fact]
    public void Types_Text_ListsEveryParentAndTypeExactly()
    {
        StepResults r = Steps("mdevctl types");

        r[0].Should().Be(Ok("""
            0000:00:02.0
              i915-Busy
                Available instances: 1
                Device API: vfio-pci
                Name: Busy
              i915-GVTg_V5_4
                Available instances: 2
                Device API: vfio-pci
                Name: GVTg_V5_4
                Description: low_gm_size: 128MB, high_gm_size: 512MB
              i915-GVTg_V5_8
                Available instances: 0
                Device API: vfio-pci
                Name: GVTg_V5_8
            matrix
              vfio_ap-passthrough
                Available instances: 4
                Device API: vfio-ap
                Name: VFIO AP Passthrough Device


            """), r.ToString());
    }

    [Fact]
    public void Types_DumpJsonForOneParent_IsExact()
    {
        StepResults r = Steps("mdevctl types -p matrix --dumpjson");

        r[0].Should().Be(Ok("""
            [
              {
                "matrix": [
                  {
                    "vfio_ap-passthrough": {
                      "available_instances": 4,
                      "device_api": "vfio-ap",
                      "name": "VFIO AP Passthrough Device"
                    }
                  }
                ]
              }
            ]

            """), r.ToString());
    }

    [Fact]
    public void StartAdHoc_ThenListAndTypes_ShowTheDeviceAndOneInstanceLess()
    {
        StepResults r = Steps(
            $"mdevctl start -u {U1} -p {Gpu} -t {V54}",
            "mdevctl list",
            "mdevctl list --dumpjson",
            "lsmdev",
            $"cat {TypesDir}/{V54}/available_instances",
            $"readlink /sys/bus/mdev/devices/{U1}");

        r[0].Should().Be(Ok(), r.ToString());
        r[1].Should().Be(Ok($"{U1} {Gpu} {V54} manual\n\n"));
        r[2].Should().Be(Ok($$"""
            [
              {
                "0000:00:02.0": [
                  {
                    "{{U1}}": {
                      "mdev_type": "i915-GVTg_V5_4",
                      "start": "manual",
                      "attrs": []
                    }
                  }
                ]
              }
            ]

            """));
        r[3].Should().Be(r[1]);
        r[4].Should().Be(Ok("1\n"));
        r[5].Should().Be(Ok($"../../../devices/pci0000:00/0000:00:02.0/{U1}\n"));
    }

    [Fact]
    public void StartWithoutUuid_PrintsTheGeneratedOne()
    {
        StepResults r = Steps($"mdevctl start -p {Gpu} -t {V54}", "ls /sys/bus/mdev/devices");

        r[0].ExitCode.Should().Be(0, r.ToString());
        r[0].Stdout.Should().MatchRegex("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\n$");
        r[1].Stdout.Should().Be(r[0].Stdout);
    }

    [Fact]
    public void Stop_RemovesTheDevice_AndStartingItAgainAtOnceWorks()
    {
        StepResults r = Steps(
            $"mdevctl start -u {U1} -p {Gpu} -t {V54}",
            $"mdevctl stop -u {U1}",
            "mdevctl list",
            $"test -e /sys/bus/mdev/devices/{U1} || echo gone",
            $"mdevctl start -u {U1} -p {Gpu} -t {V54}",
            "mdevctl list");

        r[1].Should().Be(Ok(), r.ToString());
        r[2].Should().Be(Ok("\n"));
        r[3].Should().Be(Ok("gone\n"));
        r[4].Should().Be(Ok());
        r[5].Should().Be(Ok($"{U1} {Gpu} {V54} manual\n\n"));
    }

    [Fact]
    public void ErrorCases_MatchMdevctlsMessagesAndExitCodes()
    {
        StepResults r = Steps(
            $"mdevctl start -u {U1} -p {Gpu} -t {V54}",
            $"mdevctl start -u {U1} -p {Gpu} -t {V54}",
            $"mdevctl start -p 0000:00:02.1 -t {V54}",
            $"mdevctl start -p {Gpu} -t i915-nope",
            $"mdevctl start -p {Gpu} -t i915-GVTg_V5_8",
            $"mdevctl start -p {Gpu} -t {V54} -u {U2}",
            $"mdevctl start -p {Gpu} -t {V54}",
            $"mdevctl stop -u {U2}",
            $"mdevctl start -p {Gpu} -t i915-Busy -u {U2}",
            "ls /sys/bus/mdev/devices");

        r[1].Should().Be(Error("Device already exists"), r.ToString());
        r[2].Should().Be(Error("Unable to find parent device '0000:00:02.1'"));
        r[3].Should().Be(Error($"Parent {Gpu} does not support mdev type i915-nope"));
        r[4].Should().Be(Error($"No available instances of i915-GVTg_V5_8 on {Gpu}"));
        r[5].Should().Be(Ok());
        r[6].Should().Be(Error($"No available instances of {V54} on {Gpu}"));
        r[7].Should().Be(Ok());
        r[8].Should().Be(Error($"Failed to create mdev {U2}, type i915-Busy on {Gpu}\n\nCaused by:\n    Device or resource busy (os error 16)"));
        r[9].Should().Be(Ok($"{U1}\n"), "only the first device is left");
    }

    [Fact]
    public void ListFilters_ByParentAndUuid()
    {
        StepResults r = Steps(
            $"mdevctl start -u {U1} -p matrix -t {Ap} && mdevctl start -u {U2} -p {Gpu} -t {V54}",
            "mdevctl list -p matrix",
            $"lsmdev -u {U2}",
            "mdevctl list -p nope",
            "mdevctl types -p nope",
            "mdevctl list");

        r[0].Should().Be(Ok(), r.ToString());
        r[1].Should().Be(Ok($"{U1} matrix {Ap} manual\n\n"));
        r[2].Should().Be(Ok($"{U2} {Gpu} {V54} manual\n\n"));
        r[3].Should().Be(Ok("\n"));
        r[4].Should().Be(Ok("\n"));
        r[5].Should().Be(Ok($"{U2} {Gpu} {V54} manual\n{U1} matrix {Ap} manual\n\n"), "parents are listed in byte order");
    }

    [Fact]
    public void UnknownParentWithAnotherCase_GetsAHint()
    {
        StepResults r = Steps($"mdevctl start -p MATRIX -t {Ap}");

        r[0].Should().Be(Error("Unable to find parent device 'MATRIX'. Did you mean 'matrix'?"));
    }

    [Fact]
    public void StopOfAnInactiveDevice_ReportsTheRemoveErrno()
    {
        StepResults r = Steps($"mdevctl stop -u {U1}");

        r[0].Should().Be(Error($"Error removing device {U1}\n\nCaused by:\n    No such file or directory (os error 2)"));
    }

    [Fact]
    public void CreateRefusedByTheHost_WhenWrittenDirectly_PassesItsErrno()
    {
        StepResults r = Steps($"echo {U1} > {TypesDir}/i915-Busy/create");

        r[0].ExitCode.Should().Be(1);
        r[0].Stderr.Should().EndWith("write error: Device or resource busy\n");
    }

    [Fact]
    public void DefineModifyUndefine_WriteTheConfigAndListDefined()
    {
        StepResults r = Steps(
            $"mdevctl define -u {U2} -p matrix -t {Ap}",
            $"mdevctl modify -u {U2} --addattr=assign_adapter --value=5",
            $"mdevctl modify -u {U2} --addattr=assign_domain --value=0x47",
            $"mdevctl modify -u {U2} --auto",
            $"cat /etc/mdevctl.d/matrix/{U2}",
            "mdevctl list -d -v",
            $"mdevctl undefine -u {U2}",
            "mdevctl list -d; ls /etc/mdevctl.d/matrix",
            $"mdevctl undefine -u {U2}",
            $"mdevctl modify -u {U2} --manual");

        r[0].Should().Be(Ok(), r.ToString());
        r[3].Should().Be(Ok());
        r[4].Should().Be(Ok("""
            {
              "mdev_type": "vfio_ap-passthrough",
              "start": "auto",
              "attrs": [
                {
                  "assign_adapter": "5"
                },
                {
                  "assign_domain": "0x47"
                }
              ]
            }
            """));
        r[5].Should().Be(Ok($"{U2} matrix {Ap} auto\n  Attrs:\n    @{{0}}: {{\"assign_adapter\":\"5\"}}\n    @{{1}}: {{\"assign_domain\":\"0x47\"}}\n\n"));
        r[6].Should().Be(Ok());
        r[7].Should().Be(Ok("\n"));
        r[8].Should().Be(Error("No devices match the specified uuid"));
        r[9].Should().Be(Error($"Mediated device {U2} is not defined"));
    }

    [Fact]
    public void StartDefinedWithAttributes_WritesThemRightAfterCreate()
    {
        StepResults r = Steps(
            $"mdevctl define -u {U2} -p matrix -t {Ap} && mdevctl modify -u {U2} --addattr=assign_adapter --value=5 && mdevctl modify -u {U2} --addattr=assign_domain --value=0x47",
            $"mdevctl start -u {U2}",
            $"cat /sys/bus/mdev/devices/{U2}/assign_adapter /sys/bus/mdev/devices/{U2}/assign_domain /sys/bus/mdev/devices/{U2}/matrix",
            "mdevctl list -v",
            "mdevctl list -d",
            $"mdevctl list --dumpjson -u {U2}");

        r[1].Should().Be(Ok(), r.ToString());
        r[2].Should().Be(Ok("5\n0x47\nnone\n"));
        r[3].Should().Be(Ok($"{U2} matrix {Ap} manual (defined)\n  Attrs:\n    @{{0}}: {{\"assign_adapter\":\"5\"}}\n    @{{1}}: {{\"assign_domain\":\"0x47\"}}\n\n"));
        r[4].Should().Be(Ok($"{U2} matrix {Ap} manual (active)\n\n"));
        r[5].Should().Be(Ok("""
            {
              "mdev_type": "vfio_ap-passthrough",
              "start": "manual",
              "attrs": [
                {
                  "assign_adapter": "5"
                },
                {
                  "assign_domain": "0x47"
                }
              ]
            }

            """));
    }

    [Fact]
    public void StartWithABadAttribute_FailsAndRemovesTheDevice()
    {
        StepResults r = Steps(
            $"mdevctl define -u {U2} -p matrix -t {Ap} && mdevctl modify -u {U2} --addattr=matrix --value=x",
            $"mdevctl start -u {U2}",
            $"mdevctl modify -u {U2} --delattr && mdevctl modify -u {U2} --addattr=no_such_attr --value=1",
            $"mdevctl start -u {U2}",
            "ls /sys/bus/mdev/devices; cat /sys/class/mdev_bus/matrix/mdev_supported_types/vfio_ap-passthrough/available_instances");

        r[1].Should().Be(Error("Failed to write x to attribute matrix\n\nCaused by:\n    Permission denied (os error 13)"), r.ToString());
        r[3].Should().Be(Error("Invalid attribute 'no_such_attr'"));
        r[4].Should().Be(Ok("4\n"));
    }

    [Fact]
    public void StartFromJsonFile_WithAttributes()
    {
        StepResults r = Steps(
            """printf '{"mdev_type":"vfio_ap-passthrough","start":"manual","attrs":[{"assign_adapter":"7"}]}' > /tmp/mdevsim-conformance-$$.json && """
                + $"mdevctl start -p matrix -u {U1} --jsonfile /tmp/mdevsim-conformance-$$.json; rc=$?; rm -f /tmp/mdevsim-conformance-$$.json; exit $rc",
            $"cat /sys/bus/mdev/devices/{U1}/assign_adapter",
            "mdevctl list");

        r[0].Should().Be(Ok(), r.ToString());
        r[1].Should().Be(Ok("7\n"));
        r[2].Should().Be(Ok($"{U1} matrix {Ap} manual\n\n"));
    }

    [Fact]
    public void DefineFromJsonFile_ThenStartParentMdevs_StartsAutoDevices()
    {
        StepResults r = Steps(
            """printf '{"mdev_type":"vfio_ap-passthrough","start":"auto","attrs":[{"assign_adapter":"7"}]}' | """
                + $"mdevctl define -p matrix -u {U1} --jsonfile /dev/stdin",
            $"mdevctl define -p matrix -u {U2} -t {Ap}",
            "mdevctl start-parent-mdevs matrix",
            "mdevctl list",
            $"cat /sys/bus/mdev/devices/{U1}/assign_adapter");

        r[0].Should().Be(Ok(), r.ToString());
        r[2].Should().Be(Ok());
        r[3].Should().Be(Ok($"{U1} matrix {Ap} auto (defined)\n\n"));
        r[4].Should().Be(Ok("7\n"));
    }

    [Fact]
    public void DefineOfAnActiveDevice_CopiesParentAndType()
    {
        StepResults r = Steps(
            $"mdevctl start -u {U1} -p {Gpu} -t {V54}",
            $"mdevctl define -u {U1}",
            "mdevctl list -d",
            $"mdevctl define -u {U1}");

        r[1].Should().Be(Ok(), r.ToString());
        r[2].Should().Be(Ok($"{U1} {Gpu} {V54} manual (active)\n\n"));
        r[3].Should().Be(Error($"Device {U1} on {Gpu} already defined"));
    }

    /// <summary>
    /// Writes an executable script from a short-lived child process: a write descriptor opened in this
    /// (multi-threaded, forking) test process could leak into another test's child between fork and exec,
    /// and exec of the script would then fail with ETXTBSY. The scripts read their standard input first:
    /// mdevctl 1.2.0 writes the device JSON there and, if the script has already exited (EPIPE), counts it
    /// as "failed to execute" and moves on as if there were no script.
    /// </summary>
    private static void WriteScript(string path, string content)
    {
        ProcessResult r = ProcessRunner.Run("sh", ["-c", "printf '%s' \"$1\" > \"$2\" && chmod 755 \"$2\"", "sh", content, path]);
        r.ExitCode.Should().Be(0, r.Stderr);
    }

    [Fact]
    public void CalloutsAndNotifiers_AreRunWithTheDocumentedArguments()
    {
        string etc = Directory.CreateTempSubdirectory("mdevsim-test-etc-").FullName;
        try
        {
            string log = Path.Combine(etc, "log");
            foreach (string kind in new[] { "callouts", "notifiers" })
            {
                string dir = Directory.CreateDirectory(Path.Combine(etc, "scripts.d", kind)).FullName;
                string script = Path.Combine(dir, "record");
                WriteScript(script, $"#!/bin/sh\ncat >/dev/null\necho \"{kind} $*\" >> {log}\nexit 0\n");
            }

            StepResults r = Mdevsim.RunSteps(Topology, etc, RunOptions, $"mdevctl start -u {U1} -p {Gpu} -t {V54}", $"cat {log}");

            r[0].Should().Be(Ok(), r.ToString());
            r[1].Should().Be(Ok($"""
                callouts -t {V54} -e pre -a start -s none -u {U1} -p {Gpu}
                callouts -t {V54} -e post -a start -s success -u {U1} -p {Gpu}
                notifiers -t {V54} -e notify -a start -s success -u {U1} -p {Gpu}

                """));
        }
        finally
        {
            Directory.Delete(etc, recursive: true);
        }
    }

    [Fact]
    public void FailingPreCallout_AbortsTheStart()
    {
        string etc = Directory.CreateTempSubdirectory("mdevsim-test-etc-").FullName;
        try
        {
            string callouts = Directory.CreateDirectory(Path.Combine(etc, "scripts.d", "callouts")).FullName;
            _ = Directory.CreateDirectory(Path.Combine(etc, "scripts.d", "notifiers"));
            string script = Path.Combine(callouts, "deny");
            WriteScript(script, "#!/bin/sh\ncat >/dev/null\n[ \"$4\" = pre ] && exit 1\nexit 0\n");

            StepResults r = Mdevsim.RunSteps(Topology, etc, RunOptions, $"mdevctl start -u {U1} -p {Gpu} -t {V54}", "ls /sys/bus/mdev/devices");

            r[0].Should().Be(Error("callout script \"/etc/mdevctl.d/scripts.d/callouts/deny\" failed with return code 1"), r.ToString());
            r[1].Should().Be(Ok());
        }
        finally
        {
            Directory.Delete(etc, recursive: true);
        }
    }
}

/// <summary>The same conformance suite with the experimental entry cache (a long entry timeout, invalidation after writes).</summary>
public sealed class MdevctlConformanceWithCachedEntriesTests : MdevctlConformanceTests
{
    protected override string[] RunOptions => ["--entry-timeout", "300"];
}
