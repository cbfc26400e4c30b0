using MdevCore.Mediated;
using MdevCore.Sysfs;
using MdevCore.Tests.Support;

namespace MdevCore.Tests.Mediated;

/// <summary>
/// Whole-tree dumps of a sample topology compared with files under TestData/GoldenTreeTests.
/// Set MDEVCORE_UPDATE_GOLDEN=1 to rewrite them in the source tree after a deliberate change; review the diff.
/// </summary>
public sealed class GoldenTreeTests
{
    [Theory]
    [InlineData(KernelProfile.Modern, "modern")]
    [InlineData(KernelProfile.Seed, "seed")]
    public void Sample_topology_dumps_as_the_golden_file(KernelProfile profile, string name)
    {
        MdevHost host = TestHosts.Create(profile);
        if (profile == KernelProfile.Seed)
        {
            _ = host.Mdev.RegisterDriver(new RecordingMdevDriver("vfio_mdev")).Value;
        }

        MdevParent gpu = TestHosts.Register(host, TestHosts.AddGpu(host),
            new TestVendor(new MdevTypeInfo("GVTg_V5_4", "vfio-pci", "GVTg_V5_4"), new MdevTypeInfo("GVTg_V5_8", "vfio-pci", "GVTg_V5_8")), maxInstances: 4);
        MdevParent mtty = TestHosts.Register(host, TestHosts.AddVirtual(host), new DescribingVendor(), maxInstances: 2);
        _ = host.Mdev.CreateDevice(gpu.Types[1], Guid.Parse(TestHosts.Uuid1)).Value;
        _ = host.Mdev.CreateDevice(mtty.Types[0], Guid.Parse(TestHosts.Uuid2)).Value;

        string actual = SysfsTreeWriter.Write(host.Sysfs);
        string file = Path.Combine("TestData", nameof(GoldenTreeTests), name + ".tree");
        if (Environment.GetEnvironmentVariable("MDEVCORE_UPDATE_GOLDEN") == "1")
        {
            string source = Path.Combine(SourceDirectory(), file);
            File.WriteAllText(source, actual);
        }

        actual.Should().Be(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, file)));
    }

    private static string SourceDirectory([System.Runtime.CompilerServices.CallerFilePath] string path = "") =>
        Path.GetDirectoryName(Path.GetDirectoryName(path))!;
}
