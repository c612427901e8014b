// Pictures for the client tests, written without any imaging library: RGBA PNGs of opaque shapes on a transparent
// background (the subject the daemon's pipeline finds), zlib-framed by hand around DeflateStream.
using System;
using System.IO;
using System.IO.Compression;
using System.Text;

namespace Orfeas.Bridge.Tests
{
    static class TestPictures
    {
        static readonly uint[] k_Crc = BuildCrcTable();

        /// <summary>A disc of diameter 0.8 × <paramref name="size"/> in a square picture.</summary>
        public static string WriteDisc(string path, int size, byte red = 200, byte green = 60, byte blue = 40)
        {
            var r2 = size * 0.4 * size * 0.4;
            return Write(path, size, size, (x, y) =>
            {
                double dx = x - size / 2.0 + 0.5, dy = y - size / 2.0 + 0.5;
                return dx * dx + dy * dy <= r2 ? Rgba(red, green, blue) : 0u;
            });
        }

        /// <summary>
        /// Pictures side by side in one row, each <paramref name="panel"/> pixels square with a centred rectangle
        /// <c>{width, height}</c> of <paramref name="sizes"/> in the colour of <paramref name="colours"/> (0xRRGGBBAA):
        /// with one rectangle, the orthographic view of a box; with several, a turnaround sheet of it.
        /// </summary>
        public static string WriteRow(string path, int panel, int[][] sizes, uint[] colours)
        {
            return Write(path, panel * sizes.Length, panel, (x, y) =>
            {
                var k = x / panel;
                double dx = x - k * panel - panel / 2.0 + 0.5, dy = y - panel / 2.0 + 0.5;
                return Math.Abs(dx) < sizes[k][0] / 2.0 && Math.Abs(dy) < sizes[k][1] / 2.0 ? colours[k] : 0u;
            });
        }

        /// <summary>An RGBA PNG whose pixel (x, y) is <paramref name="colourAt"/>(x, y) as 0xRRGGBBAA (0: transparent).</summary>
        public static string Write(string path, int width, int height, Func<int, int, uint> colourAt)
        {
            var raw = new byte[height * (width * 4 + 1)];
            for (var y = 0; y < height; y++)
            {
                var row = y * (width * 4 + 1);
                for (var x = 0; x < width; x++)
                {
                    var colour = colourAt(x, y);
                    var at = row + 1 + x * 4;
                    raw[at] = (byte)(colour >> 24);
                    raw[at + 1] = (byte)(colour >> 16);
                    raw[at + 2] = (byte)(colour >> 8);
                    raw[at + 3] = (byte)colour;
                }
            }
            using (var png = new MemoryStream())
            {
                png.Write(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, 0, 8);
                var header = new byte[13];
                BigEndian(header, 0, (uint)width);
                BigEndian(header, 4, (uint)height);
                header[8] = 8; // bits per channel
                header[9] = 6; // RGBA
                Chunk(png, "IHDR", header);
                Chunk(png, "IDAT", Zlib(raw));
                Chunk(png, "IEND", new byte[0]);
                File.WriteAllBytes(path, png.ToArray());
            }
            return path;
        }

        /// <summary>An opaque colour as 0xRRGGBBAA.</summary>
        public static uint Rgba(byte red, byte green, byte blue) => (uint)red << 24 | (uint)green << 16 | (uint)blue << 8 | 0xFF;

        static byte[] Zlib(byte[] data)
        {
            using (var output = new MemoryStream())
            {
                output.WriteByte(0x78);
                output.WriteByte(0x9C);
                using (var deflate = new DeflateStream(output, CompressionMode.Compress, true))
                    deflate.Write(data, 0, data.Length);
                uint a = 1, b = 0;
                foreach (var value in data)
                {
                    a = (a + value) % 65521;
                    b = (b + a) % 65521;
                }
                var adler = new byte[4];
                BigEndian(adler, 0, (b << 16) | a);
                output.Write(adler, 0, 4);
                return output.ToArray();
            }
        }

        static void Chunk(Stream png, string type, byte[] data)
        {
            var length = new byte[4];
            BigEndian(length, 0, (uint)data.Length);
            png.Write(length, 0, 4);
            var body = new byte[4 + data.Length];
            Encoding.ASCII.GetBytes(type, 0, 4, body, 0);
            Buffer.BlockCopy(data, 0, body, 4, data.Length);
            png.Write(body, 0, body.Length);
            var crc = 0xFFFFFFFFu;
            foreach (var value in body)
                crc = k_Crc[(crc ^ value) & 0xFF] ^ (crc >> 8);
            var sum = new byte[4];
            BigEndian(sum, 0, crc ^ 0xFFFFFFFFu);
            png.Write(sum, 0, 4);
        }

        static void BigEndian(byte[] target, int at, uint value)
        {
            target[at] = (byte)(value >> 24);
            target[at + 1] = (byte)(value >> 16);
            target[at + 2] = (byte)(value >> 8);
            target[at + 3] = (byte)value;
        }

        static uint[] BuildCrcTable()
        {
            var table = new uint[256];
            for (uint n = 0; n < 256; n++)
            {
                var c = n;
                for (var k = 0; k < 8; k++)
                    c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
                table[n] = c;
            }
            return table;
        }
    }
}
