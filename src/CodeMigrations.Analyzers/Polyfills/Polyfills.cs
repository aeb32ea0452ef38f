// The few runtime APIs the linked core files use that netstandard2.0 lacks, written for what those files need only.
#pragma warning disable CA1050, SA1649, SA1402, IDE0130
namespace System.Runtime.CompilerServices
{
    /// <summary>Lets the compiler emit init-only setters (records).</summary>
    internal static class IsExternalInit
    {
    }
}

namespace System
{
    /// <summary>An index from the start or the end: <c>^1</c>.</summary>
    internal readonly struct Index
    {
        private readonly int _value;

        public Index(int value, bool fromEnd = false) => _value = fromEnd ? ~value : value;

        public static Index Start => new(0);

        public static Index End => new(0, fromEnd: true);

        public int Value => _value < 0 ? ~_value : _value;

        public bool IsFromEnd => _value < 0;

        public int GetOffset(int length) => IsFromEnd ? length - Value : Value;

        public static implicit operator Index(int value) => new(value);
    }

    /// <summary>A range of indexes: <c>a..b</c>.</summary>
    internal readonly struct Range
    {
        public Range(Index start, Index end)
        {
            Start = start;
            End = end;
        }

        public Index Start { get; }

        public Index End { get; }

        public static Range StartAt(Index start) => new(start, Index.End);

        public static Range EndAt(Index end) => new(Index.Start, end);

        public static Range All => new(Index.Start, Index.End);
    }

    /// <summary><c>char.IsAsciiDigit</c> and <c>char.IsAsciiLetter</c>, as static extension members.</summary>
    internal static class CharPolyfills
    {
        extension(char)
        {
            public static bool IsAsciiDigit(char c) => c is >= '0' and <= '9';

            public static bool IsAsciiLetter(char c) => (uint)((c | 0x20) - 'a') <= 'z' - 'a';
        }
    }
}

namespace System.Text
{
    /// <summary><c>Ascii.EqualsIgnoreCase</c>.</summary>
    internal static class Ascii
    {
        public static bool EqualsIgnoreCase(ReadOnlySpan<char> left, ReadOnlySpan<char> right)
        {
            if (left.Length != right.Length)
                return false;
            for (var i = 0; i < left.Length; i++)
            {
                var a = left[i];
                var b = right[i];
                if (a == b)
                    continue;
                if (a > 0x7f || b > 0x7f || (a | 0x20) != (b | 0x20) || (uint)((a | 0x20) - 'a') > 'z' - 'a')
                    return false;
            }

            return true;
        }
    }
}
