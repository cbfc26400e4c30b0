namespace MdevCore.Sysfs;

/// <summary>An immutable set of derived links shared by every directory of one kind.</summary>
internal sealed class SysfsLinkGroup(params SysfsLinkDefinition[] links)
{
    private readonly SysfsLinkDefinition[] _links = links;

    /// <summary>Bit n set: some link's name is n characters long (modulo 64); a quick "no such name".</summary>
    public ulong NameLengths { get; } = links.Aggregate(0UL, static (bits, link) => bits | SysfsNames.LengthBit(link.Name));

    public int Count => _links.Length;

    public SysfsLinkDefinition this[int index] => _links[index];
}
