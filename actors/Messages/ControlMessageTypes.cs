using System.Reflection;
using System.Text.RegularExpressions;
using Hyperion;

namespace DistGrad.Distributed.Messages;

/// <summary>
/// The types Hyperion may create when a control message arrives: DistGrad's messages and the DistGrad types their
/// fields hold (found by walking the fields once), the plain values and collections of the base library, and Akka's
/// actor-reference surrogate. Anything else (a gadget type a stranger names in the bytes) is refused before an
/// instance exists.
/// </summary>
/// <remarks>
/// Hyperion hands over assembly-qualified names in several spellings (with or without version and key, with
/// <c>%core%</c> for the base library, generic arguments in brackets); each name is reduced to "type, assembly" and
/// every generic argument is checked too.
/// </remarks>
public sealed partial class ControlMessageTypes : ITypeFilter
{
    private const string CoreLibrary = "System.Private.CoreLib";

    // Plain values: what a record of strings, numbers and times is made of.
    private static readonly HashSet<string> CoreValues =
    [
        "System.String", "System.Boolean", "System.Char", "System.Byte", "System.SByte", "System.Int16", "System.UInt16", "System.Int32", "System.UInt32",
        "System.Int64", "System.UInt64", "System.Single", "System.Double", "System.Decimal", "System.Half", "System.DateTime", "System.DateTimeOffset",
        "System.TimeSpan", "System.Guid", "System.Nullable`1", "System.Object",
    ];

    // Collections with no behaviour beyond holding their items (the comparers are those their default constructors pick).
    private static readonly HashSet<string> CoreCollections =
    [
        "System.Collections.Generic.List`1", "System.Collections.Generic.Dictionary`2", "System.Collections.Generic.HashSet`1",
        "System.Collections.Generic.KeyValuePair`2", "System.Collections.Generic.SortedDictionary`2", "System.Collections.Generic.Queue`1",
        "System.Collections.ObjectModel.ReadOnlyCollection`1", "System.Collections.Generic.GenericEqualityComparer`1",
        "System.Collections.Generic.ObjectEqualityComparer`1", "System.Collections.Generic.NullableEqualityComparer`1",
        "System.Collections.Generic.EnumEqualityComparer`1", "System.Collections.Generic.NonRandomizedStringEqualityComparer",
        "System.Collections.Generic.NonRandomizedStringEqualityComparer+OrdinalComparer",
        "System.Collections.Generic.GenericComparer`1", "System.Collections.Generic.ObjectComparer`1",

        // Interfaces appear as the element types of the collections above (a list of lists); none can be instantiated.
        "System.Collections.Generic.IReadOnlyList`1", "System.Collections.Generic.IReadOnlyCollection`1", "System.Collections.Generic.IReadOnlyDictionary`2",
        "System.Collections.Generic.IList`1", "System.Collections.Generic.IEnumerable`1",
    ];

    // What C# collection expressions build for an IReadOnlyList: read-only wrappers the compiler adds to the assembly that uses them.
    private static readonly HashSet<string> CompilerCollections =
    [
        "<>z__ReadOnlyArray`1", "<>z__ReadOnlyList`1", "<>z__ReadOnlySingleElementList`1",
    ];

    private readonly HashSet<string> _distgrad;

    private ControlMessageTypes(HashSet<string> distgrad) => _distgrad = distgrad;

    /// <summary>The filter for DistGrad's own messages (built once; the walk is over this assembly's types).</summary>
    public static ControlMessageTypes Instance { get; } = new(Walk(typeof(IControlMessage).Assembly));

    /// <summary>The DistGrad types a control message may hold, as "type, assembly".</summary>
    public IReadOnlyCollection<string> DistGradTypes => _distgrad;

    public bool IsAllowed(string typeName)
    {
        ArgumentNullException.ThrowIfNull(typeName);
        return Allowed(Normalize(typeName));
    }

    private bool Allowed(string name)
    {
        if (!TrySplit(name, out var type, out var arguments, out var assembly))
        {
            return false;
        }

        while (type.EndsWith("[]", StringComparison.Ordinal))
        {
            type = type[..^2];
        }

        bool outer = assembly switch
        {
            CoreLibrary or "mscorlib" => CoreValues.Contains(type) || CoreCollections.Contains(type) || ValueTuple().IsMatch(type),
            "Akka" => type == "Akka.Actor.ActorRefBase+Surrogate",
            _ when assembly.StartsWith("DistGrad", StringComparison.Ordinal) && CompilerCollections.Contains(type) => true,
            _ => _distgrad.Contains($"{type}, {assembly}"),
        };
        return outer && arguments.All(Allowed);
    }

    /// <summary>Every DistGrad type reachable through the fields of the control messages (and, for an abstract one, its subclasses).</summary>
    private static HashSet<string> Walk(Assembly assembly)
    {
        var found = new HashSet<Type>();
        var pending = new Stack<Type>(assembly.GetTypes().Where(t => typeof(IControlMessage).IsAssignableFrom(t) && !t.IsInterface));
        var all = assembly.GetTypes();
        while (pending.Count > 0)
        {
            var type = pending.Pop();
            if (type.IsArray || (type.IsGenericType && !type.IsGenericTypeDefinition))
            {
                foreach (var inner in type.IsArray ? [type.GetElementType()!] : type.GetGenericArguments())
                {
                    pending.Push(inner);
                }

                continue;
            }

            if (type.Assembly.GetName().Name?.StartsWith("DistGrad", StringComparison.Ordinal) != true || !found.Add(type))
            {
                continue;
            }

            foreach (var field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
            {
                pending.Push(field.FieldType);
            }

            if (type.IsAbstract || type.IsInterface)
            {
                foreach (var derived in all.Where(t => t != type && type.IsAssignableFrom(t)))
                {
                    pending.Push(derived);
                }
            }
        }

        return found.Select(t => $"{t.FullName}, {t.Assembly.GetName().Name}").ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>"T, A, Version=…, Culture=…, PublicKeyToken=…", "T,%core%" and "T, System.Private.CoreLib,%core%" reduced to "T, A".</summary>
    private static string Normalize(string name) =>
        AssemblyDetails().Replace(CoreMarker().Replace(name, ", " + CoreLibrary), string.Empty);

    /// <summary>Splits "Outer`2[[Arg1, Asm],[Arg2, Asm]], Asm" into its outer type, its generic arguments and its assembly.</summary>
    private static bool TrySplit(string name, out string type, out List<string> arguments, out string assembly)
    {
        arguments = [];
        type = assembly = string.Empty;
        int depth = 0, start = -1, end = -1;
        for (var i = 0; i < name.Length; i++)
        {
            switch (name[i])
            {
                case '[' when i + 1 < name.Length && name[i + 1] == ']':
                    // An array's "[]" belongs to the type's name, not to its generic arguments.
                    i++;
                    break;
                case '[' when depth == 0 && i + 1 < name.Length && name[i + 1] == '[':
                    type = name[..i];
                    depth++;
                    break;
                case '[':
                    depth++;
                    if (depth == 2)
                    {
                        start = i + 1;
                    }

                    break;
                case ']':
                    if (depth == 2)
                    {
                        arguments.Add(name[start..i].Trim());
                    }

                    depth--;
                    if (depth == 0)
                    {
                        end = i + 1;
                    }

                    break;
                case ',' when depth == 0:
                    if (end < 0)
                    {
                        type = name[..i];
                    }

                    assembly = name[(i + 1)..].Trim();
                    type = type.Trim();
                    return depth == 0 && type.Length > 0 && assembly.Length > 0 && !assembly.Contains(',', StringComparison.Ordinal);
            }

            if (depth < 0)
            {
                return false;
            }
        }

        return false;
    }

    [GeneratedRegex(@"^System\.ValueTuple`[1-8]$")]
    private static partial Regex ValueTuple();

    [GeneratedRegex(@",\s*(System\.Private\.CoreLib\s*,\s*)?%core%")]
    private static partial Regex CoreMarker();

    [GeneratedRegex(@",\s*(Version=[^,\]]+|Culture=[^,\]]+|PublicKeyToken=[^,\]]+)")]
    private static partial Regex AssemblyDetails();
}
