namespace Datakamp.Disclosure.Microdata;

/// <summary>
/// Whole CSV records cut from the microdata file: <see cref="Buffer"/>[0..<see cref="Length"/>) starts at
/// physical line <see cref="FirstLine"/> (1 for the first chunk, which holds the header).
/// </summary>
internal sealed record MicrodataChunk(byte[] Buffer, int Length, long FirstLine);
