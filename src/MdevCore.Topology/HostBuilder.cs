using MdevCore.DriverModel;
using MdevCore.Mediated;
using MdevCore.Samples.Mbochs;
using MdevCore.Samples.Mdpy;
using MdevCore.Samples.Mtty;
using Microsoft.Extensions.Logging;

namespace MdevCore.Topology;

/// <summary>Builds a simulated host from a validated topology.</summary>
internal static class HostBuilder
{
    public static MdevHost Build(HostTopology topology, ILoggerFactory? loggerFactory, TimeSpan removeWaitTimeout)
    {
        var host = new MdevHost(new MdevHostOptions { Profile = topology.Profile, RemoveWaitTimeout = removeWaitTimeout }, loggerFactory);
        var roots = new Dictionary<string, Device>(StringComparer.Ordinal);
        foreach (ParentModel parent in topology.Parents)
        {
            MdevParent registered = Register(host, parent, topology, roots);
            DeviceCreator.CreateAll(host, registered, parent, topology.Source);
        }

        return host;
    }

    private static MdevParent Register(MdevHost host, ParentModel parent, HostTopology topology, Dictionary<string, Device> roots)
    {
        if (parent.Sample is { } sample)
        {
            Result<MdevParent> loaded = LoadSample(host, sample);
            return loaded.Succeeded
                ? loaded.Value
                : throw new TopologyException(topology.Source, parent.JsonPath, $"the {sample.Name} sample did not load: {loaded.Error} ({loaded.Error.Describe()})");
        }

        Device device = AddDevice(host, parent, topology.Source, roots);
        Result<MdevParent> registered = parent.Vendor is { } vendor
            ? topology.Drivers.Register(vendor, new VendorDriverContext(host, device, vendor))
            : host.Mdev.RegisterParent(device, DeclarativeDriver.Create(parent), new MdevParentOptions { DriverName = parent.MdevDriver });
        return registered.Succeeded
            ? registered.Value
            : throw new TopologyException(topology.Source, parent.JsonPath, $"the mdev core refused the parent: {registered.Error} ({registered.Error.Describe()})");
    }

    private static Result<MdevParent> LoadSample(MdevHost host, SampleModel sample) => sample.Name switch
    {
        "mtty" => new MttyDriver(new MttyOptions { TotalPorts = sample.Budget ?? new MttyOptions().TotalPorts }).Register(host),
        "mdpy" => new MdpyDriver(new MdpyOptions { MaxDevices = sample.Budget ?? new MdpyOptions().MaxDevices }).Register(host),
        _ => new MbochsDriver(new MbochsOptions { TotalMegabytes = sample.Budget ?? new MbochsOptions().TotalMegabytes }).Register(host),
    };

    private static Device AddDevice(MdevHost host, ParentModel parent, string source, Dictionary<string, Device> roots)
    {
        DeviceModel model = host.DeviceModel;
        switch (parent.Location)
        {
            case ParentLocation.Pci:
                {
                    Result<PciDevice> pci = model.AddPciDevice(parent.Name, parent.Ids, parent.PciOptions ?? new PciDeviceOptions());
                    Device device = pci.Succeeded ? pci.Value : throw Refused(source, parent, pci.Error);
                    Bind(model, model.Pci, device, parent, source);
                    return device;
                }

            case ParentLocation.Ccw or ParentLocation.Rooted:
                {
                    // A root device (root_device_register: css0, vfio_ap) with the parent below it, on its bus if it has one:
                    // the s390 channel subsystem's subchannels sit on the css bus, vfio_ap's matrix on the matrix bus.
                    string rootName = parent.Root!;
                    if (!roots.TryGetValue(rootName, out Device? root))
                    {
                        Result<Device> added = model.AddRootDevice(rootName);
                        root = added.Succeeded ? added.Value : throw Refused(source, parent, added.Error);
                        roots.Add(rootName, root);
                    }

                    Bus? bus = parent.Bus is { } busName ? model.GetOrRegisterBus(busName) : null;
                    Result<Device> child = model.AddChildDevice(root, parent.Name, bus);
                    Device device = child.Succeeded ? child.Value : throw Refused(source, parent, child.Error);
                    if (bus is not null)
                    {
                        Bind(model, bus, device, parent, source);
                    }

                    return device;
                }

            case ParentLocation.Platform:
                {
                    Result<Device> platform = model.AddPlatformDevice(parent.Name);
                    Device device = platform.Succeeded ? platform.Value : throw Refused(source, parent, platform.Error);
                    Bind(model, model.Platform, device, parent, source);
                    return device;
                }

            default:
                {
                    Result<Device> virt = model.AddVirtualDevice(parent.Driver, parent.Name);
                    return virt.Succeeded ? virt.Value : throw Refused(source, parent, virt.Error);
                }
        }
    }

    private static void Bind(DeviceModel model, Bus bus, Device device, ParentModel parent, string source)
    {
        DeviceDriver? driver = model.GetDrivers(bus).FirstOrDefault(d => d.Name == parent.Driver);
        if (driver is null)
        {
            Result<DeviceDriver> registered = model.RegisterDriver(bus, new BoundDriver(parent.Driver));
            driver = registered.Succeeded ? registered.Value : throw Refused(source, parent, registered.Error);
        }

        if (device.Driver is null)
        {
            Errno error = model.Bind(device, driver);
            if (error != Errno.None)
            {
                throw Refused(source, parent, error);
            }
        }
    }

    private static TopologyException Refused(string source, ParentModel parent, Errno error) =>
        new(source, parent.JsonPath, $"the simulated host refused device \"{parent.Name}\": {error} ({error.Describe()})");

    /// <summary>The physical driver a parent is bound to; it only lends its name (the type prefix).</summary>
    private sealed class BoundDriver(string name) : IDeviceDriver
    {
        public string Name => name;

        public Errno Probe(Device device) => Errno.None;

        public void Remove(Device device)
        {
        }
    }
}
