// A stranger's program: a vendor driver of its own (a crypto accelerator with two types sharing one queue budget),
// written against the MdevCore package from the feed, driven through sysfs and the C# API. Exit code 0 only if
// every check holds; each check prints one line.
using MdevCore;
using MdevCore.DriverModel;
using MdevCore.Mediated;

int failures = 0;
void Check(string what, bool ok)
{
    Console.WriteLine($"{(ok ? "ok  " : "FAIL")} {what}");
    failures += ok ? 0 : 1;
}

var host = new MdevHost();
Device card = host.DeviceModel.AddPciDevice("0000:00:05.0", new PciIds(0x1d0f, 0xc0de, 0x108000)).Value;
var driver = new CryptoAccelerator(queues: 6);
MdevParent parent = host.Mdev.RegisterParent(card, driver).Value;
MdevType aes = parent.Types.Single(t => t.Info.SysfsName == "aes");
MdevType rsa = parent.Types.Single(t => t.Info.SysfsName == "rsa");
string Available(MdevType t) => host.Sysfs.ReadText(t.SysfsPath + "/available_instances").Value;

Check("type directories are named <driver string>-<type>", aes.SysfsPath.EndsWith("/mdev_supported_types/pci-aes", StringComparison.Ordinal));
Check("aes offers 6, rsa 3", Available(aes) == "6\n" && Available(rsa) == "3\n");
Check("description is the driver's", host.Sysfs.ReadText(rsa.SysfsPath + "/description").Value == "2 queues\n");

const string RsaUuid = "5b3c2a10-9e7f-4d21-8c6b-0f1e2d3c4b5a";
Check("create through sysfs returns the bytes written", host.Sysfs.Write(rsa.SysfsPath + "/create", RsaUuid + "\n").Value == 37);
Check("the device is on the mdev bus", host.Sysfs.ReadLink($"/sys/bus/mdev/devices/{RsaUuid}").Value == $"../../../devices/pci0000:00/0000:00:05.0/{RsaUuid}");
Check("its mdev_type names the type", host.Sysfs.ReadText($"/sys/bus/mdev/devices/{RsaUuid}/mdev_type/name").Value == "rsa\n");
Check("the shared budget dropped for both types", Available(aes) == "4\n" && Available(rsa) == "2\n");

var made = new List<MdevDevice>();
for (int i = 0; i < 4; i++)
{
    made.Add(host.Mdev.CreateDevice(aes, new Guid(i + 1, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8)).Value);
}

Check("a fifth aes device is refused with the driver's ENOSPC", host.Mdev.CreateDevice(aes, Guid.Parse("00000000-0000-0000-0000-0000000000ff")).Error == Errno.ENOSPC);
Check("a duplicate UUID is EEXIST, 'File exists'", host.Sysfs.Write(aes.SysfsPath + "/create", RsaUuid).Error is Errno.EEXIST && Errno.EEXIST.Describe() == "File exists");
Check("remove through sysfs", host.Sysfs.Write($"/sys/bus/mdev/devices/{RsaUuid}/remove", "1\n").Succeeded);
foreach (MdevDevice device in made)
{
    host.Mdev.RemoveDevice(device).ThrowIfFailed();
}

Check("everything is back", Available(aes) == "6\n" && driver.QueuesInUse == 0 && host.Mdev.DeviceCount == 0);
Console.WriteLine(failures == 0 ? "consumer: all checks passed" : $"consumer: {failures} checks failed");
return failures == 0 ? 0 : 1;

/// <summary>Two types, aes (one queue) and rsa (two queues), from one budget the driver counts itself.</summary>
sealed class CryptoAccelerator(int queues) : IMdevParentOps, IMdevAvailableInstances, IMdevTypeDescription
{
    private readonly Lock _lock = new();
    private readonly Dictionary<Guid, int> _held = [];

    public int QueuesInUse { get { lock (_lock) { return _held.Values.Sum(); } } }

    public IReadOnlyList<MdevTypeInfo> SupportedTypes { get; } =
        [new MdevTypeInfo("aes", MdevTypeInfo.VfioPci, "aes"), new MdevTypeInfo("rsa", MdevTypeInfo.VfioPci, "rsa")];

    private static int Cost(MdevType type) => type.Info.SysfsName == "rsa" ? 2 : 1;

    public Errno Create(MdevDevice mdev)
    {
        lock (_lock)
        {
            int cost = Cost(mdev.Type);
            if (_held.Values.Sum() + cost > queues)
            {
                return Errno.ENOSPC;
            }

            _held[mdev.Uuid] = cost;
            return Errno.None;
        }
    }

    public Errno Remove(MdevDevice mdev)
    {
        lock (_lock)
        {
            _held.Remove(mdev.Uuid);
            return Errno.None;
        }
    }

    public int GetAvailableInstances(MdevType type)
    {
        lock (_lock)
        {
            return (queues - _held.Values.Sum()) / Cost(type);
        }
    }

    public string GetDescription(MdevType type) => $"{Cost(type)} queue{(Cost(type) > 1 ? "s" : "")}\n";
}
