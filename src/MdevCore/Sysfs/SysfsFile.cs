namespace MdevCore.Sysfs;

/// <summary>An attribute file: a shared definition bound to the object it describes.</summary>
internal sealed class SysfsFile : SysfsNode
{
    public SysfsFile(SysfsAttribute attribute, object? owner, SysfsDirectory parent)
        : base(parent)
    {
        Attribute = attribute;
        Owner = owner;
    }

    public SysfsAttribute Attribute { get; }

    public override string Name => Attribute.Name;

    public object? Owner { get; }

    public override SysfsNodeKind Kind => SysfsNodeKind.Attribute;

    public override UnixFileMode Mode => Attribute.Mode;
}
