// UTF-8 bytes to text as Node's Buffer#toString('utf8') decodes them (the WHATWG decoder): each maximal invalid
// subsequence becomes one U+FFFD. Mono's UTF8Encoding replaces some of them differently, which would change a
// frame header's text.
using System.Text;

namespace Orfeas.Bridge.Protocol
{
    /// <summary>A lenient UTF-8 decoder that matches JavaScript runtimes replacement for replacement.</summary>
    internal static class Utf8
    {
        /// <summary>The text of <paramref name="count"/> bytes of <paramref name="data"/> from <paramref name="index"/>.</summary>
        internal static string Decode(byte[] data, int index, int count)
        {
            var text = new StringBuilder(count);
            int codePoint = 0, needed = 0, seen = 0, lower = 0x80, upper = 0xBF;
            for (var i = index; i < index + count; i++)
            {
                int b = data[i];
                if (needed == 0)
                {
                    if (b <= 0x7F)
                    {
                        text.Append((char)b);
                    }
                    else if (b >= 0xC2 && b <= 0xDF)
                    {
                        needed = 1;
                        codePoint = b & 0x1F;
                    }
                    else if (b >= 0xE0 && b <= 0xEF)
                    {
                        lower = b == 0xE0 ? 0xA0 : 0x80; // no overlong forms
                        upper = b == 0xED ? 0x9F : 0xBF; // no surrogates
                        needed = 2;
                        codePoint = b & 0x0F;
                    }
                    else if (b >= 0xF0 && b <= 0xF4)
                    {
                        lower = b == 0xF0 ? 0x90 : 0x80;
                        upper = b == 0xF4 ? 0x8F : 0xBF; // nothing past U+10FFFF
                        needed = 3;
                        codePoint = b & 0x07;
                    }
                    else
                    {
                        text.Append('\uFFFD');
                    }
                    continue;
                }
                if (b < lower || b > upper)
                {
                    // The sequence so far is one replacement; this byte starts afresh.
                    text.Append('\uFFFD');
                    codePoint = needed = seen = 0;
                    lower = 0x80;
                    upper = 0xBF;
                    i--;
                    continue;
                }
                lower = 0x80;
                upper = 0xBF;
                codePoint = (codePoint << 6) | (b & 0x3F);
                if (++seen < needed)
                    continue;
                if (codePoint >= 0x10000)
                    text.Append(char.ConvertFromUtf32(codePoint));
                else
                    text.Append((char)codePoint);
                codePoint = needed = seen = 0;
            }
            if (needed != 0)
                text.Append('\uFFFD');
            return text.ToString();
        }
    }
}
