using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using Microsoft.Extensions.DependencyInjection;

namespace CodeMigrations.Loading;

/// <summary>
/// Finds the migration candidates of an assembly in its metadata (the loaded image, no file read), without loading
/// the types: with 10,000 migrations, loading every type to read its attribute is most of what <c>status</c> spends
/// on reflection. Only what metadata cannot decide goes to reflection, one type at a time: a base class that is a
/// generic instantiation, a generic migration, an attribute it cannot decode, a constructor with parameters to check
/// against the services. Types from other assemblies (a base class, the attribute classes) are resolved by reflection
/// once each, so "derives from Migration" means exactly what <see cref="Type.IsSubclassOf"/> says.
/// </summary>
internal sealed class MetadataMigrationScanner
{
    private const string Namespace = "CodeMigrations";
    private const ushort Prolog = 0x0001;
    private const byte NamedProperty = 0x54;

    private readonly Module _module;
    private readonly MetadataReader _reader;
    private readonly Dictionary<TypeReferenceHandle, Lineage> _referenceLineage = [];
    private readonly Dictionary<TypeDefinitionHandle, Lineage> _definitionLineage = [];
    private readonly Dictionary<MemberReferenceHandle, AttributeKind> _attributeKinds = [];

    private MetadataMigrationScanner(Module module, MetadataReader reader)
    {
        _module = module;
        _reader = reader;
    }

    private enum Lineage
    {
        NotMigration,
        Migration,
        Unknown,
        Unloadable,
    }

    private enum AttributeKind
    {
        Other,
        Migration,
        Irreversible,
        Unreadable, // One of ours through a constructor this scanner does not know: reflection reads it.
    }

    /// <summary>
    /// The types of <paramref name="assembly"/> that the loader must look at (those with <see cref="MigrationAttribute"/>
    /// and the concrete <see cref="Migration"/> subclasses), in metadata order and kept by <paramref name="filter"/>;
    /// <see langword="null"/> when the assembly's metadata cannot be read, and reflection must do it all.
    /// </summary>
    public static List<MigrationCandidate>? TryScan(Assembly assembly, Func<Type, bool>? filter)
    {
        // CodeMigrations itself defines Migration and the attributes as definitions, not references: leave it to reflection.
        if (assembly.IsDynamic || assembly == typeof(Migration).Assembly)
            return null;
        var modules = assembly.GetModules();
        if (modules.Length != 1)
            return null;
        MetadataReader reader;
        try
        {
            if (!TryGetMetadataReader(assembly, out reader))
                return null;
        }
        catch (BadImageFormatException)
        {
            return null;
        }

        return new MetadataMigrationScanner(modules[0], reader).Scan(filter);
    }

    private static unsafe bool TryGetMetadataReader(Assembly assembly, out MetadataReader reader)
    {
        // The runtime keeps the image mapped as long as the assembly lives; the lazy types hold the assembly (its module).
        if (!assembly.TryGetRawMetadata(out var blob, out var length))
        {
            reader = null!;
            return false;
        }

        reader = new MetadataReader(blob, length);
        return true;
    }

    private List<MigrationCandidate> Scan(Func<Type, bool>? filter)
    {
        var candidates = new List<MigrationCandidate>();
        foreach (var handle in _reader.TypeDefinitions)
        {
            // Row 1 is <Module>, which reflection does not list.
            if (MetadataTokens.GetRowNumber(handle) == 1)
                continue;
            MigrationCandidate? candidate;
            try
            {
                candidate = Read(handle, filter);
            }
            catch (BadImageFormatException)
            {
                candidate = Reflect(handle, filter);
            }

            if (candidate is not null)
                candidates.Add(candidate);
        }

        return candidates;
    }

    private MigrationCandidate? Read(TypeDefinitionHandle handle, Func<Type, bool>? filter)
    {
        var definition = _reader.GetTypeDefinition(handle);
        CustomAttributeHandle? migrationAttribute = null;
        CustomAttributeHandle? irreversibleAttribute = null;
        foreach (var attributeHandle in definition.GetCustomAttributes())
        {
            switch (KindOf(_reader.GetCustomAttribute(attributeHandle)))
            {
                case AttributeKind.Migration:
                    migrationAttribute = attributeHandle;
                    break;
                case AttributeKind.Irreversible:
                    irreversibleAttribute = attributeHandle;
                    break;
                case AttributeKind.Unreadable:
                    return Reflect(handle, filter);
            }
        }

        var lineage = LineageOf(handle);
        if (lineage == Lineage.Unloadable)
            return null; // Its base class does not load, so neither does it: reflection skips such types too.
        if (lineage == Lineage.Unknown)
            return Reflect(handle, filter);
        var isMigration = lineage == Lineage.Migration;
        var isAbstract = (definition.Attributes & TypeAttributes.Abstract) != 0;
        if (migrationAttribute is null && !(isMigration && !isAbstract))
            return null; // Nothing the loader would report or keep.

        var name = _reader.GetString(definition.Name);
        if (definition.GetGenericParameters().Count > 0 || name.AsSpan().IndexOfAny(EscapedInTypeNames) >= 0)
            return Reflect(handle, filter);

        MigrationAttributeValues? values = null;
        if (migrationAttribute is { } migration && (values = DecodeMigrationAttribute(_reader.GetCustomAttribute(migration))) is null)
            return Reflect(handle, filter);
        string? irreversibleReason = null;
        if (irreversibleAttribute is { } irreversible && string.IsNullOrWhiteSpace(irreversibleReason = DecodeIrreversibleReason(_reader.GetCustomAttribute(irreversible))))
            return Reflect(handle, filter); // The attribute's constructor refuses it: let reflection throw as it always did.

        Type? type = null;
        if (filter is not null)
        {
            type = TryResolve(MetadataTokens.GetToken(handle));
            if (type is null || !filter(type))
                return null;
        }

        var (publicConstructors, publicParameterless) = CountPublicConstructors(definition);
        return new MetadataMigrationCandidate(_module, MetadataTokens.GetToken(handle), type,
            new MetadataTypeFacts(FullNameOf(definition, name), name, values, isMigration, isAbstract, irreversibleReason, publicConstructors > 0, publicParameterless));
    }

    /// <summary>The characters <see cref="Type.FullName"/> escapes with a backslash; a name with any of them goes to reflection.</summary>
    private static ReadOnlySpan<char> EscapedInTypeNames => ",[]&*+\\";

    private MigrationCandidate? Reflect(TypeDefinitionHandle handle, Func<Type, bool>? filter)
    {
        var type = TryResolve(MetadataTokens.GetToken(handle));
        return type is null || (filter is not null && !filter(type)) ? null : new ReflectionMigrationCandidate(type);
    }

    private Type? TryResolve(int token)
    {
        try
        {
            return _module.ResolveType(token);
        }
        catch (Exception e) when (e is TypeLoadException or IOException or BadImageFormatException or ArgumentException)
        {
            return null;
        }
    }

    private AttributeKind KindOf(CustomAttribute attribute)
    {
        // An attribute class of another assembly is named through a member reference to its constructor; one defined
        // in the scanned assembly itself cannot be ours (CodeMigrations itself is never scanned here).
        if (attribute.Constructor.Kind != HandleKind.MemberReference)
            return AttributeKind.Other;
        var constructor = (MemberReferenceHandle)attribute.Constructor;
        if (_attributeKinds.TryGetValue(constructor, out var kind))
            return kind;

        kind = AttributeKind.Other;
        var member = _reader.GetMemberReference(constructor);
        if (member.Parent.Kind == HandleKind.TypeReference)
        {
            var reference = (TypeReferenceHandle)member.Parent;
            var typeReference = _reader.GetTypeReference(reference);
            if (_reader.StringComparer.Equals(typeReference.Namespace, Namespace)
                && (_reader.StringComparer.Equals(typeReference.Name, nameof(MigrationAttribute)) || _reader.StringComparer.Equals(typeReference.Name, nameof(IrreversibleAttribute))))
            {
                // The names match: make sure it is the very class (not a namesake in another assembly), and the
                // constructor the decoding below expects.
                var type = TryResolve(MetadataTokens.GetToken(reference));
                kind = type == typeof(MigrationAttribute) ? (HasOneParameter(member, SignatureTypeCode.Int64) ? AttributeKind.Migration : AttributeKind.Unreadable)
                    : type == typeof(IrreversibleAttribute) ? (HasOneParameter(member, SignatureTypeCode.String) ? AttributeKind.Irreversible : AttributeKind.Unreadable)
                    : AttributeKind.Other;
            }
        }

        _attributeKinds[constructor] = kind;
        return kind;
    }

    private bool HasOneParameter(MemberReference constructor, SignatureTypeCode parameterType)
    {
        var signature = _reader.GetBlobReader(constructor.Signature);
        var header = signature.ReadSignatureHeader();
        return header.Kind == SignatureKind.Method && !header.IsGeneric
            && signature.ReadCompressedInteger() == 1
            && signature.ReadSignatureTypeCode() == SignatureTypeCode.Void
            && signature.ReadSignatureTypeCode() == parameterType;
    }

    private Lineage LineageOf(TypeDefinitionHandle handle)
    {
        if (_definitionLineage.TryGetValue(handle, out var lineage))
            return lineage;
        _definitionLineage[handle] = Lineage.Unknown; // Guards against a cycle in a malformed image.
        var baseType = _reader.GetTypeDefinition(handle).BaseType;
        lineage = baseType.IsNil ? Lineage.NotMigration : baseType.Kind switch
        {
            HandleKind.TypeDefinition => LineageOf((TypeDefinitionHandle)baseType),
            HandleKind.TypeReference => LineageOf((TypeReferenceHandle)baseType),
            _ => Lineage.Unknown, // A generic instantiation: reflection decides.
        };
        _definitionLineage[handle] = lineage;
        return lineage;
    }

    private Lineage LineageOf(TypeReferenceHandle handle)
    {
        if (_referenceLineage.TryGetValue(handle, out var lineage))
            return lineage;
        var type = TryResolve(MetadataTokens.GetToken(handle));
        lineage = type is null ? Lineage.Unloadable
            : type == typeof(Migration) || type.IsSubclassOf(typeof(Migration)) ? Lineage.Migration
            : Lineage.NotMigration;
        _referenceLineage[handle] = lineage;
        return lineage;
    }

    /// <summary>
    /// Decodes a <c>[Migration(long)]</c> value blob (ECMA-335 II.23.3): the prolog, the version, then the named
    /// properties; <see langword="null"/> for anything else, which reflection then reads.
    /// </summary>
    private MigrationAttributeValues? DecodeMigrationAttribute(CustomAttribute attribute)
    {
        var blob = _reader.GetBlobReader(attribute.Value);
        if (blob.ReadUInt16() != Prolog)
            return null;
        var version = blob.ReadInt64();
        string? description = null, ddlLockTimeout = null, statementTimeout = null;
        var useTransaction = true;
        var ddlLockRetries = -1;
        for (int i = 0, count = blob.ReadUInt16(); i < count; i++)
        {
            if (blob.ReadByte() != NamedProperty)
                return null;
            var type = (SerializationTypeCode)blob.ReadByte();
            var name = blob.ReadSerializedString();
            switch (type, name)
            {
                case (SerializationTypeCode.String, nameof(MigrationAttribute.Description)):
                    description = blob.ReadSerializedString();
                    break;
                case (SerializationTypeCode.Boolean, nameof(MigrationAttribute.UseTransaction)):
                    useTransaction = blob.ReadBoolean();
                    break;
                case (SerializationTypeCode.String, nameof(MigrationAttribute.DdlLockTimeout)):
                    ddlLockTimeout = blob.ReadSerializedString();
                    break;
                case (SerializationTypeCode.String, nameof(MigrationAttribute.StatementTimeout)):
                    statementTimeout = blob.ReadSerializedString();
                    break;
                case (SerializationTypeCode.Int32, nameof(MigrationAttribute.DdlLockRetries)):
                    ddlLockRetries = blob.ReadInt32();
                    break;
                default:
                    return null;
            }
        }

        return blob.RemainingBytes == 0 ? new MigrationAttributeValues(version, description, useTransaction, ddlLockTimeout, statementTimeout, ddlLockRetries) : null;
    }

    /// <summary>Decodes an <c>[Irreversible(string)]</c> value blob; <see langword="null"/> when it is not one.</summary>
    private string? DecodeIrreversibleReason(CustomAttribute attribute)
    {
        var blob = _reader.GetBlobReader(attribute.Value);
        if (blob.ReadUInt16() != Prolog)
            return null;
        var reason = blob.ReadSerializedString();
        return blob.ReadUInt16() == 0 && blob.RemainingBytes == 0 ? reason : null;
    }

    private (int Public, bool Parameterless) CountPublicConstructors(TypeDefinition definition)
    {
        var count = 0;
        var parameterless = false;
        foreach (var methodHandle in definition.GetMethods())
        {
            var method = _reader.GetMethodDefinition(methodHandle);
            if ((method.Attributes & MethodAttributes.MemberAccessMask) != MethodAttributes.Public
                || (method.Attributes & MethodAttributes.Static) != 0
                || !_reader.StringComparer.Equals(method.Name, ".ctor"))
                continue;
            count++;
            var signature = _reader.GetBlobReader(method.Signature);
            if (signature.ReadSignatureHeader().IsGeneric)
                signature.ReadCompressedInteger();
            parameterless |= signature.ReadCompressedInteger() == 0;
        }

        return (count, parameterless);
    }

    /// <summary>As <see cref="Type.FullName"/> writes it: "Namespace.Outer+Inner".</summary>
    private string FullNameOf(TypeDefinition definition, string name)
    {
        var declaring = definition.GetDeclaringType();
        if (!declaring.IsNil)
        {
            var outer = _reader.GetTypeDefinition(declaring);
            return FullNameOf(outer, _reader.GetString(outer.Name)) + "+" + name;
        }

        var ns = _reader.GetString(definition.Namespace);
        return ns.Length == 0 ? name : ns + "." + name;
    }
}

/// <summary>What metadata says of one type, besides where it is.</summary>
internal readonly record struct MetadataTypeFacts(
    string FullName,
    string Name,
    MigrationAttributeValues? Attribute,
    bool IsMigration,
    bool IsAbstract,
    string? IrreversibleReason,
    bool HasPublicConstructor,
    bool HasPublicParameterlessConstructor);

/// <summary>A candidate read from metadata: its type is loaded only when something needs it.</summary>
internal sealed class MetadataMigrationCandidate(Module module, int token, Type? resolved, MetadataTypeFacts facts) : MigrationCandidate
{
    private Type? _type = resolved;

    public override string FullName => facts.FullName;

    public override string Name => facts.Name;

    public override MigrationAttributeValues? Attribute => facts.Attribute;

    public override bool IsMigration => facts.IsMigration;

    public override bool IsAbstract => facts.IsAbstract;

    public override bool ContainsGenericParameters => false; // Generic types go to reflection.

    public override string? ReadIrreversibleReason() => facts.IrreversibleReason;

    public override string? FindConstructionProblem(IServiceProviderIsService? isService)
    {
        if (!facts.HasPublicConstructor)
            return "it has no public constructor.";
        // A public parameterless constructor always resolves; otherwise reflection checks each parameter as before.
        return isService is null || facts.HasPublicParameterlessConstructor ? null : new ReflectionMigrationCandidate(ResolveType()).FindConstructionProblem(isService);
    }

    public override MigrationInfo CreateInfo(MigrationAttributeValues attribute, string name, string? irreversibleReason) =>
        new(attribute.Version, name, module, token, facts.FullName, facts.Name, attribute.UseTransaction)
        {
            IrreversibleReason = irreversibleReason,
            DdlLockTimeout = attribute.DdlLockTimeout,
            StatementTimeout = attribute.StatementTimeout,
            DdlLockRetries = attribute.DdlLockRetries >= 0 ? attribute.DdlLockRetries : null,
        };

    private Type ResolveType() => _type ??= module.ResolveType(token);
}
