namespace Datakamp.Disclosure.Microdata;

/// <summary>
/// A growable array of structs kept in fixed 64K-element pages. Growing adds a page instead of copying
/// everything into an array twice as large, so per-unit state for millions of units never needs a
/// transient copy (a doubling array would briefly hold 3x its size) and wastes at most one page.
/// </summary>
internal sealed class ChunkedArray<T> where T : struct
{
    private const int Shift = 16;
    private const int PageSize = 1 << Shift;
    private const int Mask = PageSize - 1;
    private T[][] _pages = [];
    private int _capacity;

    /// <summary>The element at <paramref name="index"/>; call <see cref="EnsureCapacity"/> first.</summary>
    public ref T this[int index] => ref _pages[index >> Shift][index & Mask];

    /// <summary>Makes indexes below <paramref name="count"/> valid (new elements are default).</summary>
    public void EnsureCapacity(int count)
    {
        while (_capacity < count)
        {
            var page = _capacity >> Shift;
            if (page == _pages.Length) Array.Resize(ref _pages, Math.Max(4, _pages.Length * 2));
            _pages[page] = new T[PageSize];
            _capacity += PageSize;
        }
    }
}
