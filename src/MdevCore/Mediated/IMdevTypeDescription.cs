namespace MdevCore.Mediated;

/// <summary>Optional: types have a <c>description</c> attribute (kernel: <c>show_description</c>).</summary>
/// <remarks>Without this interface the <c>description</c> file does not exist. Called outside every core lock.</remarks>
public interface IMdevTypeDescription
{
    /// <summary>The text of <c>description</c>, by convention ending in a newline.</summary>
    /// <param name="type">The type.</param>
    /// <returns>The text.</returns>
    string GetDescription(MdevType type);
}
