using System.Globalization;
using System.Text;
using System.Text.Unicode;

namespace Datakamp.Disclosure.Microdata;

/// <summary>
/// Packs a unit id into 64 bits without loss when it has one of the usual short shapes, so the unit
/// registry compares ids as numbers and keeps 8 bytes per unit instead of a string (~40 bytes) per unit.
/// Shapes (bit 63 is 0 in a packed key; the registry marks ids it keeps as text with bit 63 set):
/// <list type="bullet">
/// <item>bit 62 = 1: an optional ASCII non-digit byte followed by 1 to 15 digits, leading zeros kept
/// ("P00000001", "123", "-5"): bits 54-61 the prefix byte (0 = none), bits 50-53 the digit count − 1,
/// bits 0-49 the digits' value (10^15 − 1 &lt; 2^50).</item>
/// <item>bit 62 = 0: any other id of 1 to 7 bytes of valid UTF-8 without NUL: bits 56-58 the length,
/// bits 0-55 the bytes.</item>
/// </list>
/// The shape is decided by the text alone, so equal ids always get equal keys and different ids different keys.
/// </summary>
internal static class UnitKey
{
    /// <summary>Set in keys that are not packed ids (the registry stores those ids as text).</summary>
    public const ulong TextFlag = 1UL << 63;
    private const ulong DigitsFlag = 1UL << 62;
    private const int MaxDigits = 15;

    /// <summary>Packs <paramref name="id"/> (non-empty) when it has a packable shape.</summary>
    public static bool TryPack(ReadOnlySpan<byte> id, out ulong key)
    {
        key = 0;
        var hasPrefix = id.Length > 0 && !IsDigit(id[0]);
        var prefix = hasPrefix ? id[0] : (byte)0;
        var digits = hasPrefix ? id[1..] : id;
        if ((!hasPrefix || prefix is > 0 and < 128) && digits.Length is > 0 and <= MaxDigits && !digits.ContainsAnyExceptInRange((byte)'0', (byte)'9'))
        {
            ulong value = 0;
            foreach (var b in digits) value = value * 10 + (ulong)(b - '0');
            key = DigitsFlag | (ulong)prefix << 54 | (ulong)(digits.Length - 1) << 50 | value;
            return true;
        }
        if (id.Length is 0 or > 7 || id.Contains((byte)0) || !Utf8.IsValid(id)) return false;
        for (var i = 0; i < id.Length; i++) key |= (ulong)id[i] << (8 * i);
        key |= (ulong)id.Length << 56;
        return true;
    }

    /// <summary>The id text of a packed key (for messages).</summary>
    public static string Unpack(ulong key)
    {
        if ((key & DigitsFlag) != 0)
        {
            var prefix = (byte)(key >> 54);
            var count = (int)((key >> 50) & 0xF) + 1;
            var digits = (key & ((1UL << 50) - 1)).ToString(CultureInfo.InvariantCulture).PadLeft(count, '0');
            return prefix == 0 ? digits : (char)prefix + digits;
        }
        var length = (int)((key >> 56) & 0x7);
        Span<byte> bytes = stackalloc byte[8];
        for (var i = 0; i < length; i++) bytes[i] = (byte)(key >> (8 * i));
        return Encoding.UTF8.GetString(bytes[..length]);
    }

    private static bool IsDigit(byte b) => (uint)(b - '0') <= 9;
}
