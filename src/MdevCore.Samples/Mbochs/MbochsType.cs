namespace MdevCore.Samples.Mbochs;

/// <summary>One mbochs type: how much video memory a device gets and the largest mode its EDID advertises.</summary>
/// <param name="SysfsName">The id after the dash (<c>small</c>, <c>medium</c>, <c>large</c>).</param>
/// <param name="Megabytes">Video memory in MiB, taken from the driver's pool.</param>
/// <param name="MaxX">Largest width in the EDID region; 0 for no limit.</param>
/// <param name="MaxY">Largest height in the EDID region; 0 for no limit.</param>
internal sealed record MbochsType(string SysfsName, int Megabytes, uint MaxX, uint MaxY)
{
    public long VramSize => (long)Megabytes * 1024 * 1024;
}
