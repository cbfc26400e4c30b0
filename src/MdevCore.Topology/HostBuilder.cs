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
            if (parent.Sample is { } sample)
            {
                Result<MdevParent> loaded = LoadSample(host, sample);
                if (!loaded.Succeeded)
                {
                    throw new TopologyException(topology.Source, parent.JsonPath, $"the {sample.Name} sample did not load: {loaded.Error} ({loaded.Error.Describe()})");
                }

                continue;
            }

            Device device = AddDevice(host, parent, topology.Source, roots);
            Result<MdevParent> registered = host.Mdev.RegisterParent(device, DeclarativeDriver.Create(parent));
            if (!registered.Succeeded)
            {
                throw new TopologyException(topology.Source, parent.JsonPath, $"the mdev core refused the parent: {registered.Error} ({registered.Error.Describe()})");
            }
        }

        return host;
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
                    Result<PciDevice> pci = model.AddPciDevice(parent.Name, parent.Ids);
                    Device device = pci.Succeeded ? pci.Value : throw Refused(source, parent, pci.Error);
                    Bind(model, model.Pci, device, parent, source);
                    return device;
                }

            case ParentLocation.Ccw:
                {
                    // The channel subsystem is a root device; its subchannels sit on the css bus.
                    if (!roots.TryGetValue(parent.Css!, out Device? css))
                    {
                        Result<Device> root = model.AddRootDevice(parent.Css!);
                        css = root.Succeeded ? root.Value : throw Refused(source, parent, root.Error);
                        roots.Add(parent.Css!, css);
                    }

                    Bus bus = model.GetOrRegisterBus("css");
                    Result<Device> sch = model.AddChildDevice(css, parent.Name, bus);
                    Device device = sch.Succeeded ? sch.Value : throw Refused(source, parent, sch.Error);
                    Bind(model, bus, device, parent, source);
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
