namespace MdevCore.DriverModel;

/// <summary>A bus's probe and remove steps around its drivers' (kernel: <c>bus_type.probe/remove</c>).</summary>
internal interface IBusProbe
{
    Errno Probe(Device device, DeviceDriver driver);

    void Remove(Device device, DeviceDriver driver);
}
