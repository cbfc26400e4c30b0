using MdevCore.Sysfs;

namespace MdevCore.DriverModel;

/// <summary>
/// Renders the directories of a device's indexed children (its mdevs) inside the device's own directory:
/// a lookup by name is one probe of the bus index, a listing walks the device's children.
/// </summary>
internal sealed class IndexedChildrenSource : ISysfsChildSource
{
    /// <summary>The one instance; it keeps no state.</summary>
    public static readonly IndexedChildrenSource Instance = new();

    public SysfsNode? Find(SysfsDirectory directory, ReadOnlySpan<char> name)
    {
        if (directory.Owner is not Device { Model: { } model } owner)
        {
            return null;
        }

        IReadOnlyList<Bus> buses = model.IndexedBuses;
        for (int i = 0; i < buses.Count; i++)
        {
            if (buses[i].Index!.Find(name) is { IsRegistered: true } child
                && ReferenceEquals(child.Parent, owner)
                && child.Directory is { IsRemoved: false } childDirectory)
            {
                return childDirectory;
            }
        }

        return null;
    }

    public IEnumerable<SysfsNode> List(SysfsDirectory directory)
    {
        var children = new List<SysfsNode>();
        if (directory.Owner is Device owner)
        {
            for (Device? child = owner.FirstChild; child is not null; child = child.NextSibling)
            {
                if (child.IsIndexed && child.IsRegistered && child.Directory is { IsRemoved: false } childDirectory)
                {
                    children.Add(childDirectory);
                }
            }
        }

        return children;
    }
}
