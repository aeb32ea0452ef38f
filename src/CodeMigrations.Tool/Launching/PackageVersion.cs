using System.Globalization;

namespace CodeMigrations.Tool.Launching;

/// <summary>
/// A NuGet package version (<c>1.2.3</c>, <c>1.2.3-preview.4</c>, build metadata after <c>+</c> ignored), ordered as
/// NuGet orders them: numbers first, then a release above its pre-releases, pre-release labels part by part.
/// </summary>
internal sealed class PackageVersion : IComparable<PackageVersion>
{
    private readonly Version _numbers;
    private readonly string[] _preRelease;

    private PackageVersion(string text, Version numbers, string[] preRelease)
    {
        Text = text;
        _numbers = numbers;
        _preRelease = preRelease;
    }

    /// <summary>The version as written, without build metadata.</summary>
    public string Text { get; }

    public static PackageVersion? TryParse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return null;
        var plus = text.IndexOf('+', StringComparison.Ordinal);
        var withoutMetadata = plus < 0 ? text.Trim() : text[..plus].Trim();
        var dash = withoutMetadata.IndexOf('-', StringComparison.Ordinal);
        var numbers = dash < 0 ? withoutMetadata : withoutMetadata[..dash];
        if (!Version.TryParse(numbers.Contains('.', StringComparison.Ordinal) ? numbers : numbers + ".0", out var version))
            return null;
        var preRelease = dash < 0 ? [] : withoutMetadata[(dash + 1)..].Split('.');
        return new PackageVersion(withoutMetadata, Normalize(version), preRelease);
    }

    public int CompareTo(PackageVersion? other)
    {
        if (other is null)
            return 1;
        var byNumbers = _numbers.CompareTo(other._numbers);
        if (byNumbers != 0)
            return byNumbers;
        if (_preRelease.Length == 0 || other._preRelease.Length == 0)
            return other._preRelease.Length.CompareTo(_preRelease.Length); // the release is above its pre-releases
        for (var i = 0; i < Math.Min(_preRelease.Length, other._preRelease.Length); i++)
        {
            var byPart = ComparePart(_preRelease[i], other._preRelease[i]);
            if (byPart != 0)
                return byPart;
        }

        return _preRelease.Length.CompareTo(other._preRelease.Length);
    }

    public override string ToString() => Text;

    /// <summary>1.2 and 1.2.0 and 1.2.0.0 are one version.</summary>
    private static Version Normalize(Version version) =>
        new(version.Major, version.Minor, Math.Max(version.Build, 0), Math.Max(version.Revision, 0));

    private static int ComparePart(string left, string right)
    {
        var leftIsNumber = int.TryParse(left, NumberStyles.None, CultureInfo.InvariantCulture, out var leftNumber);
        var rightIsNumber = int.TryParse(right, NumberStyles.None, CultureInfo.InvariantCulture, out var rightNumber);
        return (leftIsNumber, rightIsNumber) switch
        {
            (true, true) => leftNumber.CompareTo(rightNumber),
            (true, false) => -1,
            (false, true) => 1,
            _ => string.Compare(left, right, StringComparison.OrdinalIgnoreCase),
        };
    }
}
