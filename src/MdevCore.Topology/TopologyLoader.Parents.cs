using System.Collections.Frozen;
using MdevCore.DriverModel;

namespace MdevCore.Topology;

/// <summary>Parents: where the device sits, which driver serves it (declarative, registered or sample).</summary>
public static partial class TopologyLoader
{
    private static readonly FrozenSet<string> SampleNames = FrozenSet.Create(StringComparer.Ordinal, "mtty", "mdpy", "mbochs");

    private static ParentModel ValidateParent(ParentSpec spec, string path, LoadContext context)
    {
        if (spec.Sample is { } sample)
        {
            return ValidateSample(spec, sample, path, context);
        }

        (ParentLocation location, string name, string driver, PciIds ids, string? root, string? bus) = ValidateLocation(spec, path, context);
        CheckName(name, path, context.Source);
        CheckName(driver, path + ".driver", context.Source);
        PciDeviceOptions? pciOptions = spec.Pci is { } pci ? ValidatePciOptions(pci, path + ".pci", context) : null;
        if (spec.Vendor is { } vendor)
        {
            return ValidateVendorParent(spec, vendor, path, context) with
            {
                Location = location, Name = name, Driver = driver, Ids = ids, Root = root, Bus = bus, PciOptions = pciOptions,
            };
        }

        if (spec.SharedInstances is < 0)
        {
            throw context.Error(path + ".shared_instances", "must be zero or more");
        }

        if (spec.MdevDriver is { } mdevDriver)
        {
            CheckName(mdevDriver, path + ".mdev_driver", context.Source);
        }

        IReadOnlyList<TypeModel> types = ValidateTypes(spec, path, context, out List<FaultModel> createErrors);
        IReadOnlyList<AttributeModel> attributes = ValidateAttributes(spec.DeviceAttributes, path + ".device_attributes", types, context, perDevice: true);
        IReadOnlyList<AttributeModel> parentAttributes = ValidateAttributes(spec.ParentAttributes, path + ".parent_attributes", types, context, perDevice: false);
        List<FaultModel> faults = [.. createErrors, .. ValidateFaults(spec.Faults, path, types, attributes, context)];
        return new ParentModel(path, location, name, driver, ids, spec.SharedInstances, types, attributes, Root: root, Bus: bus)
        {
            PciOptions = pciOptions,
            ParentAttributes = parentAttributes,
            Faults = faults,
            MdevDriver = spec.MdevDriver,
            Devices = ValidateDevices(spec.Devices, path, driver, types, attributes, context),
        };
    }

    private static (ParentLocation Location, string Name, string Driver, PciIds Ids, string? Root, string? Bus) ValidateLocation(ParentSpec spec, string path, LoadContext context)
    {
        int locations = (spec.Pci is null ? 0 : 1) + (spec.Virtual is null ? 0 : 1) + (spec.Platform is null ? 0 : 1)
            + (spec.Ccw is null ? 0 : 1) + (spec.Device is null ? 0 : 1);
        if (locations != 1)
        {
            throw context.Error(path, "give exactly one of \"pci\", \"virtual\", \"platform\", \"ccw\" or \"device\" to say where the parent device sits (or only \"sample\")");
        }

        if (spec.Pci is { } pci)
        {
            string address = pci.Address ?? throw context.Error(path + ".pci.address", "required: the PCI address, for example \"0000:00:02.0\"");
            if (!IsPciAddress(address))
            {
                throw context.Error(path + ".pci.address", $"\"{address}\" is not a PCI address of the form DDDD:BB:SS.F in lower-case hex");
            }

            var ids = new PciIds(
                (ushort)ParseHex(pci.Vendor, 0xffff, path + ".pci.vendor", context.Source, 0x1b36),
                (ushort)ParseHex(pci.Device, 0xffff, path + ".pci.device", context.Source, 0x0001),
                ParseHex(pci.Class, 0xffffff, path + ".pci.class", context.Source, 0x030000),
                (ushort)ParseHex(pci.SubsystemVendor, 0xffff, path + ".pci.subsystem_vendor", context.Source, 0),
                (ushort)ParseHex(pci.SubsystemDevice, 0xffff, path + ".pci.subsystem_device", context.Source, 0),
                (byte)ParseHex(pci.Revision, 0xff, path + ".pci.revision", context.Source, 0));
            return (ParentLocation.Pci, address, RequireDriver(spec, path, context, "a PCI parent", "\"i915\""), ids, null, null);
        }

        if (spec.Virtual is { } virt)
        {
            string cls = virt.Class ?? throw context.Error(path + ".virtual.class", "required: the device class (for example \"mtty\")");
            CheckName(cls, path + ".virtual.class", context.Source);
            if (spec.Driver is not null && spec.Driver != cls)
            {
                throw context.Error(path + ".driver", $"a virtual device's types are prefixed with its class \"{cls}\"; leave \"driver\" out or set it to \"{cls}\"");
            }

            return (ParentLocation.Virtual, virt.Name ?? cls, cls, default, null, null);
        }

        if (spec.Ccw is { } ccw)
        {
            string subchannel = ccw.Subchannel ?? throw context.Error(path + ".ccw.subchannel", "required: the subchannel bus id, for example \"0.0.0313\"");
            if (!IsCcwBusId(subchannel))
            {
                throw context.Error(path + ".ccw.subchannel", $"\"{subchannel}\" is not a subchannel bus id of the form C.S.XXXX (channel subsystem, subchannel set, four hex digits)");
            }

            string css = ccw.Css ?? "css0";
            CheckName(css, path + ".ccw.css", context.Source);
            return (ParentLocation.Ccw, subchannel, RequireDriver(spec, path, context, "a CCW parent", "\"vfio_ccw\""), default, css, "css");
        }

        if (spec.Device is { } device)
        {
            string root = device.Root ?? throw context.Error(path + ".device.root", "required: the root device it sits under (for example \"vfio_ap\")");
            string name = device.Name ?? throw context.Error(path + ".device.name", "required: the device name (for example \"matrix\")");
            CheckName(root, path + ".device.root", context.Source);
            if (device.Bus is { } bus)
            {
                CheckName(bus, path + ".device.bus", context.Source);
            }

            return (ParentLocation.Rooted, name, RequireDriver(spec, path, context, "a rooted parent", "\"vfio_ap\""), default, root, device.Bus);
        }

        string platform = spec.Platform!.Name ?? throw context.Error(path + ".platform.name", "required: the platform device name");
        return (ParentLocation.Platform, platform, RequireDriver(spec, path, context, "a platform parent", "the driver's name"), default, null, null);
    }

    private static string RequireDriver(ParentSpec spec, string path, LoadContext context, string what, string example) =>
        spec.Driver ?? throw context.Error(path + ".driver", $"required for {what}: the driver bound to it, which prefixes the type names ({example})");

    /// <summary>A parent served by a driver of the embedding application: the driver brings its types and attributes.</summary>
    private static ParentModel ValidateVendorParent(ParentSpec spec, string vendor, string path, LoadContext context)
    {
        if (!context.Drivers.Contains(vendor))
        {
            throw context.Error(path + ".vendor", context.Drivers.DescribeUnknown(vendor));
        }

        if (spec.Types is not null || spec.SharedInstances is not null || spec.DeviceAttributes is not null
            || spec.ParentAttributes is not null || spec.Faults is not null || spec.MdevDriver is not null)
        {
            throw context.Error(path, $"the registered vendor driver \"{vendor}\" brings its own types, budgets, attributes and behaviour; leave out \"types\", \"shared_instances\", \"device_attributes\", \"parent_attributes\", \"faults\" and \"mdev_driver\"");
        }

        return new ParentModel(path, ParentLocation.Pci, "", "", default, null, [], [], Vendor: vendor)
        {
            Devices = ValidateDevices(spec.Devices, path, null, [], [], context),
        };
    }

    /// <summary>A parent served by one of the sample drivers, which brings its own device, types and attributes.</summary>
    private static ParentModel ValidateSample(ParentSpec spec, SampleSpec sample, string path, LoadContext context)
    {
        if (spec.Pci is not null || spec.Virtual is not null || spec.Platform is not null || spec.Ccw is not null || spec.Device is not null
            || spec.Driver is not null || spec.Vendor is not null || spec.SharedInstances is not null || spec.Types is not null
            || spec.DeviceAttributes is not null || spec.ParentAttributes is not null || spec.Faults is not null || spec.MdevDriver is not null)
        {
            throw context.Error(path, "a \"sample\" parent brings its own device, types and attributes; give only \"sample\" (and \"devices\")");
        }

        string name = sample.Name ?? throw context.Error(path + ".sample.name", "required: \"mtty\", \"mdpy\" or \"mbochs\"");
        if (!SampleNames.Contains(name))
        {
            throw context.Error(path + ".sample.name", $"unknown sample \"{name}\"; use \"mtty\", \"mdpy\" or \"mbochs\"");
        }

        (int? budget, string field) = name switch
        {
            "mtty" => (sample.TotalPorts, "total_ports"),
            "mdpy" => (sample.MaxDevices, "max_devices"),
            _ => (sample.TotalMegabytes, "total_megabytes"),
        };
        int given = (sample.TotalPorts is null ? 0 : 1) + (sample.MaxDevices is null ? 0 : 1) + (sample.TotalMegabytes is null ? 0 : 1);
        if (given > (budget is null ? 0 : 1))
        {
            throw context.Error(path + ".sample", $"the {name} sample's budget is \"{field}\"; the other budget fields belong to other samples");
        }

        if (budget is < 0)
        {
            throw context.Error($"{path}.sample.{field}", "must be zero or more");
        }

        return new ParentModel(path, ParentLocation.Sample, name, name, default, null, [], [], new SampleModel(name, budget))
        {
            Devices = ValidateDevices(spec.Devices, path, null, [], [], context),
        };
    }
}
