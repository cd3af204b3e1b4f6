using System.Buffers.Binary;
using Datakamp.Disclosure.Microdata;

namespace Datakamp.Disclosure.Tests.Microdata;

public sealed class TextDictionaryTests
{
    [Fact]
    public void Texts_are_numbered_in_the_order_they_first_appear_and_kept_byte_for_byte()
    {
        var texts = new TextDictionary();
        byte[] invalidUtf8 = [0xC3, 0x28];

        Assert.Equal(0, texts.NumberOf("Buurt 01"u8));
        Assert.Equal(1, texts.NumberOf(""u8));
        Assert.Equal(2, texts.NumberOf(invalidUtf8));
        Assert.Equal(0, texts.NumberOf("Buurt 01"u8));
        Assert.Equal(3, texts.NumberOf("Buurt 1"u8));   // a prefix of another text is another text
        Assert.Equal(2, texts.NumberOf(invalidUtf8));

        Assert.Equal(4, texts.Count);
        Assert.Equal("Buurt 01"u8.ToArray(), texts.Text(0).ToArray());
        Assert.Empty(texts.Text(1).ToArray());
        Assert.Equal(invalidUtf8, texts.Text(2).ToArray());
    }

    [Fact]
    public void The_section_holds_the_count_the_end_offsets_after_a_zero_and_the_texts_end_to_end()
    {
        var texts = new TextDictionary();
        texts.NumberOf("ab"u8);
        texts.NumberOf("c"u8);

        var section = texts.ToSection();

        int At(int i) => BinaryPrimitives.ReadInt32LittleEndian(section.AsSpan(4 * i));
        Assert.Equal(2, At(0));
        Assert.Equal([0, 2, 3], new[] { At(1), At(2), At(3) });
        Assert.Equal("abc"u8.ToArray(), section[16..]);
    }

    [Fact]
    public void Many_distinct_texts_outgrow_the_first_buffer_and_keep_their_numbers()
    {
        var texts = new TextDictionary();
        for (var i = 0; i < 100_000; i++) Assert.Equal(i, texts.NumberOf(System.Text.Encoding.ASCII.GetBytes($"P{i:D8}")));
        for (var i = 0; i < 100_000; i += 997) Assert.Equal(i, texts.NumberOf(System.Text.Encoding.ASCII.GetBytes($"P{i:D8}")));
        Assert.Equal("P00099999"u8.ToArray(), texts.Text(99_999).ToArray());
    }
}
