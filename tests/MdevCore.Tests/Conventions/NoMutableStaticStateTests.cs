using System.Collections;
using System.Reflection;

namespace MdevCore.Tests.Conventions;

/// <summary>Many hosts live in one process: the library keeps no mutable static state.</summary>
public sealed class NoMutableStaticStateTests
{
    [Fact]
    public void No_type_in_the_library_has_a_writable_static_field_or_a_static_mutable_collection()
    {
        var offenders = new List<string>();
        foreach (Type type in typeof(MdevHost).Assembly.GetTypes())
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
                else if (field.FieldType.IsArray || (typeof(IEnumerable).IsAssignableFrom(field.FieldType) && field.FieldType != typeof(string)))
                {
                    offenders.Add($"{type.FullName}.{field.Name} is a mutable collection ({field.FieldType.Name})");
                }
            }
        }

        offenders.Should().BeEmpty();
    }
}
