namespace MdevCore.Samples.Pci;

/// <summary>A sample device's regions, accessed one naturally aligned chunk at a time (see <see cref="RegionAccess.Run"/>).</summary>
internal interface IChunkedRegions
{
    /// <summary>Reads or writes one chunk of 1, 2 or 4 bytes at a device-file offset; called under the device lock.</summary>
    /// <returns>Whether the chunk lies inside a region.</returns>
    bool AccessChunk(Span<byte> chunk, long at, bool write);
}
