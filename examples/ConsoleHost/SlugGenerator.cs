using System.Globalization;
using System.Text;

namespace ConsoleHost;

/// <summary>Turns a post title into the URL part that identifies it: "Hello, World!" becomes "hello-world".</summary>
public interface ISlugGenerator
{
    string Create(string title);
}

public sealed class SlugGenerator : ISlugGenerator
{
    public string Create(string title)
    {
        var slug = new StringBuilder(title.Length);
        foreach (var c in title.Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
                continue; // "é" became "e" + accent: keep the letter only
            if (char.IsAsciiLetterOrDigit(c))
                slug.Append(char.ToLowerInvariant(c));
            else if (slug.Length > 0 && slug[^1] != '-')
                slug.Append('-');
        }

        return slug.ToString().TrimEnd('-') is { Length: > 0 } result ? result : "post";
    }
}
