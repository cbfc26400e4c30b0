using System.Collections;
using System.Reflection;

namespace MdevCore.Tests.Conventions;

/// <summary>Many hosts live in one process: the library and the samples keep no mutable static state (budgets are instance options).</summary>
public sealed class NoMutableStaticStateTests
{
    public static TheoryData<string> Assemblies => new()
    {
        typeof(MdevHost).Assembly.GetName().Name!,
        typeof(MdevCore.Samples.Mtty.MttyDriver).Assembly.GetName().Name!,
        typeof(MdevCore.Testing.VendorDriverContractTests).Assembly.GetName().Name!,
        typeof(MdevCore.Topology.TopologyLoader).Assembly.GetName().Name!,
        typeof(MdevCore.Fuse.SysfsFuseMount).Assembly.GetName().Name!,
        typeof(MdevCore.Hosting.MdevHostingOptions).Assembly.GetName().Name!,
    };

    [Theory]
    [MemberData(nameof(Assemblies))]
    public void No_type_in_the_library_has_a_writable_static_field_or_a_static_mutable_collection(string assemblyName)
    {
        var offenders = new List<string>();
        Assembly assembly = AppDomain.CurrentDomain.GetAssemblies().Single(a => a.GetName().Name == assemblyName);
        foreach (Type type in assembly.GetTypes())
        {
            foreach (FieldInfo field in type.GetFields(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                if (field.IsLiteral || field.Name.Contains('<', StringComparison.Ordinal))
                {
                    continue; // const, or compiler-generated caches of static lambdas and string data
                }

                if (!field.IsInitOnly)
                {
                    offenders.Add($"{type.FullName}.{field.Name} is not readonly");
                }
                else if (field.FieldType.Namespace is "System.Collections.Frozen" or "System.Collections.Immutable")
                {
                    continue; // immutable collections
                }
                else if (field.FieldType.IsArray || (typeof(IEnumerable).IsAssignableFrom(field.FieldType) && field.FieldType != typeof(string)))
                {
                    offenders.Add($"{type.FullName}.{field.Name} is a mutable collection ({field.FieldType.Name})");
                }
            }
        }

        offenders.Should().BeEmpty();
    }
}
