using System.IO.Compression;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace MdevCore.Packaging.Tests;

/// <summary>The packages are CI builds: reproducible assemblies whose symbols and stack traces carry mapped
/// source paths (<c>/_/src/...</c>), never the build machine's.</summary>
[Collection(SharedFeed.Name)]
public sealed class DeterministicBuildTests(PackageFeed feed)
{
    [Fact]
    public void Every_packaged_assembly_is_deterministic_and_its_symbols_carry_mapped_source_paths()
    {
        feed.PackResult.ExitCode.Should().Be(0, feed.PackResult.ToString());
        var checkedAssemblies = new List<string>();
        foreach (string package in feed.Packages.Where(p => p.EndsWith(".nupkg", StringComparison.Ordinal)))
        {
            using ZipArchive nupkg = ZipFile.OpenRead(Path.Combine(feed.Feed, package));
            string symbols = Path.Combine(feed.Feed, Path.ChangeExtension(package, ".snupkg"));
            using ZipArchive? snupkg = File.Exists(symbols) ? ZipFile.OpenRead(symbols) : null;
            foreach (ZipArchiveEntry dll in nupkg.Entries.Where(e => IsOurs(e.Name) && e.Name.EndsWith(".dll", StringComparison.Ordinal)))
            {
                string pdbName = dll.FullName[..^4] + ".pdb";
                ZipArchiveEntry? pdb = snupkg?.GetEntry(pdbName) ?? nupkg.GetEntry(pdbName);
                pdb.Should().NotBeNull($"{package}: {dll.FullName} ships its symbols");
                CheckAssembly(Read(dll), Read(pdb!), $"{package}: {dll.FullName}");
                checkedAssemblies.Add(dll.Name);
            }
        }

        checkedAssemblies.Should().Contain(["MdevCore.dll", "MdevCore.Samples.dll", "MdevCore.Topology.dll", "MdevCore.Fuse.dll", "MdevCore.Hosting.dll", "MdevCore.Testing.dll", "MdevCore.Testing.Xunit.dll", "MdevCore.Testing.Xunit.v3.dll", "mdevsim.dll"]);
    }

    private void CheckAssembly(byte[] assembly, byte[] symbols, string what)
    {
        using var pe = new PEReader(new MemoryStream(assembly));
        DebugDirectoryEntry[] debug = [.. pe.ReadDebugDirectory()];
        debug.Should().Contain(e => e.Type == DebugDirectoryEntryType.Reproducible, $"{what} is a deterministic build");
        string pdbPath = pe.ReadCodeViewDebugDirectoryData(debug.First(e => e.Type == DebugDirectoryEntryType.CodeView)).Path;
        pdbPath.Should().StartWith("/_/", $"{what} names its symbols by a mapped path");

        using MetadataReaderProvider provider = MetadataReaderProvider.FromPortablePdbStream(new MemoryStream(symbols));
        MetadataReader reader = provider.GetMetadataReader();
        string[] documents = [.. reader.Documents.Select(h => reader.GetString(reader.GetDocument(h).Name))];
        documents.Should().NotBeEmpty();
        documents.Where(d => d.EndsWith(".cs", StringComparison.Ordinal) && !d.Contains("/obj/", StringComparison.Ordinal))
            .Should().NotBeEmpty().And.OnlyContain(d => d.StartsWith("/_/src/", StringComparison.Ordinal), $"{what}: the source paths in stack traces are mapped");
        documents.Should().NotContain(d => d.Contains(feed.RepositoryRoot, StringComparison.Ordinal), $"{what} names no path of the build machine");
    }

    private static bool IsOurs(string fileName) => fileName.StartsWith("MdevCore", StringComparison.Ordinal) || fileName.StartsWith("mdevsim", StringComparison.Ordinal);

    private static byte[] Read(ZipArchiveEntry entry)
    {
        using Stream stream = entry.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
