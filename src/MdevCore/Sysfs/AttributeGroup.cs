namespace MdevCore.Sysfs;

/// <summary>A set of attributes added and removed together, optionally in a subdirectory.</summary>
/// <remarks>
/// Kernel: <c>struct attribute_group</c> (<c>name</c>, <c>attrs</c>, <c>is_visible</c>).
/// Thread safety: immutable.
/// </remarks>
public sealed class AttributeGroup
{
    /// <summary>Defines a group.</summary>
    /// <param name="name">The subdirectory, or <see langword="null"/> to put the attributes directly in the object's directory.</param>
    /// <param name="attributes">The attributes.</param>
    /// <param name="isVisible">Decides per owner whether an attribute is created; <see langword="null"/> shows all.</param>
    /// <exception cref="ArgumentException">The name is invalid or two attributes share a name.</exception>
    public AttributeGroup(string? name, IEnumerable<SysfsAttribute> attributes, Func<object?, SysfsAttribute, bool>? isVisible = null)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        if (name is not null)
        {
            SysfsNames.Validate(name);
        }

        SysfsAttribute[] list = [.. attributes];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (SysfsAttribute attribute in list)
        {
            ArgumentNullException.ThrowIfNull(attribute, nameof(attributes));
            if (!seen.Add(attribute.Name))
            {
                throw new ArgumentException($"Attribute '{attribute.Name}' appears twice in group '{name}'.", nameof(attributes));
            }
        }

        Name = name;
        Attributes = list;
        AttributeArray = list;
        IsVisible = isVisible;
        foreach (SysfsAttribute attribute in list)
        {
            NameLengths |= SysfsNames.LengthBit(attribute.Name);
        }
    }

    /// <summary>The subdirectory name, or <see langword="null"/>.</summary>
    public string? Name { get; }

    /// <summary>The attributes, in definition order.</summary>
    public IReadOnlyList<SysfsAttribute> Attributes { get; }

    /// <summary>The visibility filter, or <see langword="null"/>.</summary>
    public Func<object?, SysfsAttribute, bool>? IsVisible { get; }

    /// <summary>The attributes, for the hot paths that walk them.</summary>
    internal SysfsAttribute[] AttributeArray { get; }

    /// <summary>Bit n set: some attribute's name is n characters long (modulo 64); a quick "no such name".</summary>
    internal ulong NameLengths { get; }
}
