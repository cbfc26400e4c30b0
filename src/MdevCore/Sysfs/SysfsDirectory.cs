namespace MdevCore.Sysfs;

/// <summary>A directory: a kobject, a kset or a named attribute group.</summary>
/// <remarks>
/// Small directories (most of them: a device has about eight entries) keep their children in a
/// short array searched linearly; past <see cref="SmallLimit"/> entries they switch to a hash map,
/// so that <c>/sys/bus/mdev/devices</c> with a million links still looks up in constant time.
/// A directory may also have default attributes (the kobject type's default group): they exist
/// from the start but get a node only when first looked up or listed, so a million devices
/// nobody reads cost no attribute nodes. Every member is called with the tree lock held.
/// </remarks>
internal sealed class SysfsDirectory : SysfsNode
{
    private const int SmallLimit = 8;

    private readonly string? _name;
    private readonly AttributeGroup? _defaults;
    private readonly SysfsLinkGroup? _links;
    private readonly ISysfsChildSource? _source;
    private readonly object? _defaultsOwner;
    private SysfsNode[]? _small;
    private Dictionary<string, SysfsNode>? _map;
    private int _smallCount;

    /// <summary>Length mask (<see cref="SysfsNames.LengthBit"/>) of every name stored here, ever: bits are never
    /// cleared, so a clear bit proves no stored entry has a name of that length.</summary>
    private ulong _storedLengths;

    /// <summary>Bit i set: default attribute i is no longer virtual (it has a node, was removed, or is hidden).</summary>
    private uint _settledDefaults;

    /// <summary>Makes a directory node.</summary>
    /// <param name="name">The name; <see langword="null"/> to take it from <paramref name="defaultsOwner"/>, an
    /// <see cref="ISysfsNamed"/>, when first asked (an mdev's UUID is formatted only if someone looks).</param>
    /// <param name="parent">The parent directory.</param>
    /// <param name="defaults">The default attributes.</param>
    /// <param name="defaultsOwner">The object the attributes and derived entries describe.</param>
    /// <param name="links">Links derived from the owner.</param>
    /// <param name="source">Entries rendered on demand.</param>
    public SysfsDirectory(string? name, SysfsDirectory? parent, AttributeGroup? defaults = null, object? defaultsOwner = null, SysfsLinkGroup? links = null, ISysfsChildSource? source = null)
        : base(parent)
    {
        if (name is null && defaultsOwner is not ISysfsNamed)
        {
            throw new ArgumentException("A directory without a name needs an owner that names it.", nameof(name));
        }

        _name = name;
        _links = links;
        _source = source;
        _defaultsOwner = defaultsOwner;
        if (defaults is not null)
        {
            if (defaults.Name is not null || defaults.Attributes.Count > 32)
            {
                throw new ArgumentException("Default attributes are an unnamed group of at most 32.", nameof(defaults));
            }

            _defaults = defaults;
            SysfsAttribute[] attributes = defaults.AttributeArray;
            for (int i = 0; defaults.IsVisible is { } visible && i < attributes.Length; i++)
            {
                if (!visible(defaultsOwner, attributes[i]))
                {
                    _settledDefaults |= 1u << i;
                }
            }
        }
    }

    public override string Name => _name ?? ((ISysfsNamed)_defaultsOwner!).Name;

    public override SysfsNodeKind Kind => SysfsNodeKind.Directory;

    public override UnixFileMode Mode => SysfsAttribute.Modes.Directory;

    /// <summary>Number of entries.</summary>
    public int Count_NeedsLock => (_map?.Count ?? _smallCount) + System.Numerics.BitOperations.PopCount(VirtualDefaults) + LiveLinks().Count
        + (_source?.List(this).Count() ?? 0);

    /// <summary>The object the directory's default attributes and derived entries describe.</summary>
    public object? Owner => _defaultsOwner;

    private uint VirtualDefaults => _defaults is null ? 0 : ~Volatile.Read(ref _settledDefaults) & (uint)((1UL << _defaults.Attributes.Count) - 1);

    public SysfsNode? Find_NeedsLock(ReadOnlySpan<char> name)
    {
        SysfsNode? stored = FindStored(name);
        if (stored is not null)
        {
            return stored;
        }

        int index = VirtualDefaultIndex(name);
        if (index >= 0)
        {
            return Materialize(index);
        }

        SysfsNode? derived = _links is null ? null : DerivedLink(name);
        return derived ?? _source?.Find(this, name);
    }

    /// <summary>Whether an entry of this name exists that is not rendered by the directory's source (stored, default or derived).</summary>
    public bool HasOwnEntry_NeedsLock(ReadOnlySpan<char> name) =>
        MayHaveOwnEntryOfLength_NeedsLock(name.Length) && (FindStored(name) is not null || VirtualDefaultIndex(name) >= 0 || (_links is not null && IsLinkName(name)));

    /// <summary>Whether an own entry (see <see cref="HasOwnEntry_NeedsLock"/>) might have a name of this length; a
    /// <see langword="false"/> is certain, so most checks of a new device's name (36 characters for an mdev) end here.</summary>
    public bool MayHaveOwnEntryOfLength_NeedsLock(int length)
    {
        ulong lengths = _storedLengths | (_defaults?.NameLengths ?? 0) | (_links?.NameLengths ?? 0);
        return (lengths & (1UL << (length & 63))) != 0;
    }

    public bool TryAdd_NeedsLock(SysfsNode node)
    {
        if (VirtualDefaultIndex(node.Name) >= 0 || (_links is not null && IsLinkName(node.Name)) || _source?.Find(this, node.Name) is not null)
        {
            return false;
        }

        _storedLengths |= SysfsNames.LengthBit(node.Name);
        if (_map is not null)
        {
            return _map.TryAdd(node.Name, node);
        }

        if (FindStored(node.Name) is not null)
        {
            return false;
        }

        if (_smallCount == SmallLimit)
        {
            _map = new Dictionary<string, SysfsNode>(SmallLimit * 2, StringComparer.Ordinal);
            for (int i = 0; i < _smallCount; i++)
            {
                _map.Add(_small![i].Name, _small[i]);
            }

            _small = null;
            _smallCount = 0;
            _map.Add(node.Name, node);
            return true;
        }

        if (_small is null || _smallCount == _small.Length)
        {
            Array.Resize(ref _small, _small is null ? 4 : SmallLimit);
        }

        _small[_smallCount++] = node;
        return true;
    }

    public void Remove_NeedsLock(SysfsNode node)
    {
        if (_map is not null)
        {
            if (_map.Remove(node.Name, out SysfsNode? removed) && !ReferenceEquals(removed, node))
            {
                // Another node of that name: it stays.
                _map.Add(removed.Name, removed);
            }

            return;
        }

        for (int i = 0; i < _smallCount; i++)
        {
            if (ReferenceEquals(_small![i], node))
            {
                _smallCount--;
                Array.Copy(_small, i + 1, _small, i, _smallCount - i);
                _small[_smallCount] = null!;
                return;
            }
        }
    }

    /// <summary>All entries (virtual defaults get their nodes now).</summary>
    public IEnumerable<SysfsNode> Children_NeedsLock
    {
        get
        {
            for (uint virtuals = VirtualDefaults; virtuals != 0; virtuals &= virtuals - 1)
            {
                _ = Materialize(System.Numerics.BitOperations.TrailingZeroCount(virtuals));
            }

            SysfsNode[] stored = _map is not null ? [.. _map.Values] : (_small ?? []).AsSpan(0, _smallCount).ToArray();
            if (_links is null && _source is null)
            {
                return stored;
            }

            return [.. stored, .. LiveLinks(), .. _source?.List(this) ?? []];
        }
    }

    /// <summary>Marks every entry that has a node (virtual defaults have none), and everything below, removed.</summary>
    public void MarkStoredSubtreeRemoved_NeedsLock()
    {
        if (_map is not null)
        {
            foreach (SysfsNode child in _map.Values)
            {
                MarkRemoved(child);
            }

            return;
        }

        for (int i = 0; i < _smallCount; i++)
        {
            MarkRemoved(_small![i]);
        }

        static void MarkRemoved(SysfsNode node)
        {
            node.MarkRemoved();
            (node as SysfsDirectory)?.MarkStoredSubtreeRemoved_NeedsLock();
        }
    }

    /// <summary>Removes a default attribute that never got a node, without making one; needs no lock, since every
    /// change to which defaults are virtual is one atomic operation.</summary>
    /// <returns>Whether <paramref name="attribute"/> was a virtual default here and this call removed it.</returns>
    public bool TryRemoveVirtualDefault(SysfsAttribute attribute)
    {
        int index = -1;
        SysfsAttribute[] defaults = _defaults?.AttributeArray ?? [];
        for (int i = 0; i < defaults.Length; i++)
        {
            if (ReferenceEquals(defaults[i], attribute))
            {
                index = i;
                break;
            }
        }

        uint bit = 1u << index;
        return index >= 0 && (Interlocked.Or(ref _settledDefaults, bit) & bit) == 0;
    }

    private SysfsNode? FindStored(ReadOnlySpan<char> name)
    {
        if (_map is not null)
        {
            Dictionary<string, SysfsNode>.AlternateLookup<ReadOnlySpan<char>> lookup = _map.GetAlternateLookup<ReadOnlySpan<char>>();
            return lookup.TryGetValue(name, out SysfsNode? node) ? node : null;
        }

        for (int i = 0; i < _smallCount; i++)
        {
            SysfsNode node = _small![i];
            if (name.SequenceEqual(node.Name))
            {
                return node;
            }
        }

        return null;
    }

    private SysfsSymlink? DerivedLink(ReadOnlySpan<char> name)
    {
        for (int i = 0; i < _links!.Count; i++)
        {
            SysfsLinkDefinition link = _links[i];
            if (name.SequenceEqual(link.Name))
            {
                return link.Target(_defaultsOwner) is { IsRemoved: false } target ? new SysfsSymlink(link.Name, this, target) : null;
            }
        }

        return null;
    }

    private bool IsLinkName(ReadOnlySpan<char> name)
    {
        for (int i = 0; i < _links!.Count; i++)
        {
            if (name.SequenceEqual(_links[i].Name))
            {
                return true;
            }
        }

        return false;
    }

    private List<SysfsSymlink> LiveLinks()
    {
        var live = new List<SysfsSymlink>();
        for (int i = 0; _links is not null && i < _links.Count; i++)
        {
            if (DerivedLink(_links[i].Name) is { } link)
            {
                live.Add(link);
            }
        }

        return live;
    }

    private int VirtualDefaultIndex(ReadOnlySpan<char> name)
    {
        uint virtuals = VirtualDefaults;
        for (int i = 0; virtuals != 0; i++, virtuals >>= 1)
        {
            if ((virtuals & 1) != 0 && name.SequenceEqual(_defaults!.AttributeArray[i].Name))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Gives virtual default <paramref name="index"/> its node, unless a lock-free self-removal took it first.</summary>
    private SysfsFile? Materialize(int index)
    {
        uint bit = 1u << index;
        if ((Interlocked.Or(ref _settledDefaults, bit) & bit) != 0)
        {
            return null;
        }

        var file = new SysfsFile(_defaults!.Attributes[index], _defaultsOwner, this);
        _ = TryAdd_NeedsLock(file);
        return file;
    }
}
