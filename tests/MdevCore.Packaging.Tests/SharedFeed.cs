namespace MdevCore.Packaging.Tests;

/// <summary>One feed for every test class that uses the packages: packing twice at once would race on the projects' obj folders.</summary>
[CollectionDefinition(Name)]
public sealed class SharedFeed : ICollectionFixture<PackageFeed>
{
    public const string Name = "package feed";
}
