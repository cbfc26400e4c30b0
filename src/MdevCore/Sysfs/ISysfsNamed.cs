namespace MdevCore.Sysfs;

/// <summary>An object that names its own directory, so that the name need not be formatted before anyone asks for it.</summary>
internal interface ISysfsNamed
{
    /// <summary>The directory's name.</summary>
    string Name { get; }
}
