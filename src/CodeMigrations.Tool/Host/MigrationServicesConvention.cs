using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using Microsoft.Extensions.DependencyInjection;

namespace CodeMigrations.Tool.Host;

/// <summary>
/// Finds the public type of the user's assembly that implements <see cref="IMigrationServices"/> and makes its
/// <c>ConfigureServices</c> the host's. The types that declare the interface are found in the assembly's metadata,
/// without loading its types: the migration loader takes the same care for assemblies of thousands of migrations.
/// </summary>
internal static class MigrationServicesConvention
{
    /// <summary>The registration of <paramref name="assembly"/>, or <see langword="null"/> when it has none.</summary>
    /// <exception cref="Tool.ToolUsageException">More than one such type, or one that cannot be used.</exception>
    public static Action<IServiceCollection>? Find(Assembly assembly)
    {
        var names = DeclaringTypeNames(assembly.Location);
        var types = names
            .Select(name => assembly.GetType(name, throwOnError: false))
            .Where(type => type is { IsAbstract: false, IsGenericTypeDefinition: false } && typeof(IMigrationServices).IsAssignableFrom(type))
            .Select(type => type!)
            .ToList();
        var fileName = Path.GetFileName(assembly.Location);
        return types.Count switch
        {
            0 => null,
            1 => Registration(types[0]),
            _ => throw new ToolUsageException(
                $"{fileName} has {types.Count} public types that implement {nameof(IMigrationServices)} ({string.Join(", ", types.Select(t => t.FullName))}): " +
                "the tool calls one to register the services the migrations need. Keep one, and have it register them all."),
        };
    }

    /// <summary><c>T.ConfigureServices</c> as a delegate: a static abstract member is called through a type parameter.</summary>
    private static Action<IServiceCollection> Registration(Type type) =>
        typeof(MigrationServicesConvention).GetMethod(nameof(Configure), BindingFlags.NonPublic | BindingFlags.Static)!
            .MakeGenericMethod(type)
            .CreateDelegate<Action<IServiceCollection>>();

    private static void Configure<T>(IServiceCollection services)
        where T : IMigrationServices =>
        T.ConfigureServices(services);

    /// <summary>The full names (nested types with '+') of the visible types that list the interface among their own.</summary>
    private static List<string> DeclaringTypeNames(string path)
    {
        using var stream = File.OpenRead(path);
        using var image = new PEReader(stream);
        var reader = image.GetMetadataReader();
        var names = new List<string>();
        foreach (var handle in reader.TypeDefinitions)
        {
            var type = reader.GetTypeDefinition(handle);
            if (!IsVisible(reader, type))
                continue;
            foreach (var implementation in type.GetInterfaceImplementations())
            {
                if (IsMigrationServices(reader, reader.GetInterfaceImplementation(implementation).Interface))
                {
                    names.Add(FullName(reader, type));
                    break;
                }
            }
        }

        return names;
    }

    private static bool IsMigrationServices(MetadataReader reader, EntityHandle handle)
    {
        if (handle.Kind != HandleKind.TypeReference)
            return false;
        var reference = reader.GetTypeReference((TypeReferenceHandle)handle);
        return reader.StringComparer.Equals(reference.Name, nameof(IMigrationServices))
            && reader.StringComparer.Equals(reference.Namespace, typeof(IMigrationServices).Namespace!);
    }

    private static bool IsVisible(MetadataReader reader, TypeDefinition type)
    {
        while (true)
        {
            var visibility = type.Attributes & TypeAttributes.VisibilityMask;
            if (visibility == TypeAttributes.Public)
                return true;
            if (visibility != TypeAttributes.NestedPublic)
                return false;
            type = reader.GetTypeDefinition(type.GetDeclaringType());
        }
    }

    private static string FullName(MetadataReader reader, TypeDefinition type)
    {
        var name = reader.GetString(type.Name);
        if (type.GetDeclaringType() is { IsNil: false } declaring)
            return FullName(reader, reader.GetTypeDefinition(declaring)) + "+" + name;
        var ns = reader.GetString(type.Namespace);
        return ns.Length == 0 ? name : ns + "." + name;
    }
}
