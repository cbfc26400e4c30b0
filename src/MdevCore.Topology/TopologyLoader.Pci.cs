using MdevCore.DriverModel;
using MdevCore.Pci;

namespace MdevCore.Topology;

/// <summary>PCI parents: the NUMA node and the PCI Express link their sysfs files and config space report.</summary>
public static partial class TopologyLoader
{
    private static PciDeviceOptions ValidatePciOptions(PciSpec pci, string path, LoadContext context)
    {
        if (pci.NumaNode is < -1 or >= PciDeviceOptions.MaxNumaNodes)
        {
            throw context.Error(path + ".numa_node", $"{pci.NumaNode} is not a NUMA node: -1 (none) or 0-{PciDeviceOptions.MaxNumaNodes - 1}");
        }

        PciExpressLink link = PciExpressLink.Default;
        if (pci.Link is { } spec)
        {
            PciLinkSpeed speed = spec.Speed switch
            {
                null => link.Speed,
                2.5 => PciLinkSpeed.Speed2_5GT,
                5 => PciLinkSpeed.Speed5GT,
                8 => PciLinkSpeed.Speed8GT,
                16 => PciLinkSpeed.Speed16GT,
                32 => PciLinkSpeed.Speed32GT,
                64 => PciLinkSpeed.Speed64GT,
                _ => throw context.Error(path + ".link.speed", $"{spec.Speed} is not a PCI Express speed in GT/s: 2.5, 5, 8, 16, 32 or 64"),
            };
            link = new PciExpressLink(speed, spec.Width ?? link.Width);
            if (!link.IsValid)
            {
                throw context.Error(path + ".link.width", $"{spec.Width} is not a PCI Express link width: 1, 2, 4, 8, 12, 16 or 32 lanes");
            }
        }

        return new PciDeviceOptions { NumaNode = pci.NumaNode ?? -1, Link = link };
    }
}
