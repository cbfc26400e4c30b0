namespace MdevCore.Sysfs;

/// <summary>An immutable set of derived links shared by every directory of one kind.</summary>
internal sealed class SysfsLinkGroup(params SysfsLinkDefinition[] links)
{
    private readonly SysfsLinkDefinition[] _links = links;

    public int Count => _links.Length;

    public SysfsLinkDefinition this[int index] => _links[index];
}
