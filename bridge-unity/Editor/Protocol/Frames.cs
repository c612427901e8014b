// Binary frames of protocol v1 as daemon/src/protocol/frames.ts writes and splits them: [uint32 big-endian header
// length][UTF-8 JSON header][payload]. The header is then an ordinary message for ProtocolMessages to check.
using System;
using System.Collections.Generic;
using System.Text;

namespace Orfeas.Bridge.Protocol
{
    /// <summary>Encodes and decodes protocol v1 binary frames (an inline image for generate, a file for asset).</summary>
    public static class Frames
    {
        static readonly UTF8Encoding k_Utf8 = new UTF8Encoding(false, true);

        /// <summary>One binary frame: <paramref name="header"/> as compact JSON (JSON.stringify's form), then <paramref name="payload"/>.</summary>
        /// <exception cref="OrfeasException">E_BAD_MESSAGE: the header is over the protocol's 65536 bytes.</exception>
        /// <exception cref="ArgumentException">The header holds a value with no JSON form (see <see cref="Json.Stringify"/>).</exception>
        public static byte[] Encode(IDictionary<string, object> header, byte[] payload)
        {
            if (header == null)
                throw new ArgumentNullException(nameof(header));
            if (payload == null)
                throw new ArgumentNullException(nameof(payload));
            // Json.Stringify escapes lone surrogates, so the text always has a UTF-8 form.
            var data = k_Utf8.GetBytes(Json.Stringify(header));
            var limit = ProtocolMessages.MaxHeaderBytes;
            if (data.Length > limit)
            {
                // frames.ts leaves this to the receiver; refusing here names the cause instead of a daemon error later.
                throw new OrfeasException("E_BAD_MESSAGE", $"The frame header is {data.Length} bytes; the protocol allows at most {limit}.");
            }
            var frame = new byte[4 + data.Length + payload.Length];
            frame[0] = (byte)(data.Length >> 24);
            frame[1] = (byte)(data.Length >> 16);
            frame[2] = (byte)(data.Length >> 8);
            frame[3] = (byte)data.Length;
            Buffer.BlockCopy(data, 0, frame, 4, data.Length);
            Buffer.BlockCopy(payload, 0, frame, 4 + data.Length, payload.Length);
            return frame;
        }

        /// <summary>The header and payload of one binary frame.</summary>
        /// <exception cref="OrfeasException">E_BAD_MESSAGE, with a sentence: the frame is malformed.</exception>
        public static Frame Decode(byte[] data)
        {
            if (data == null)
                throw new ArgumentNullException(nameof(data));
            if (data.Length < 4)
                throw new OrfeasException("E_BAD_MESSAGE", "A binary frame must start with a 4-byte header length.");
            var length = (long)data[0] << 24 | (long)data[1] << 16 | (long)data[2] << 8 | data[3];
            var limit = ProtocolMessages.MaxHeaderBytes;
            if (length == 0 || length > limit || 4 + length > data.Length)
            {
                throw new OrfeasException("E_BAD_MESSAGE",
                    $"The binary frame's header length ({length}) does not fit the frame ({data.Length} bytes, header at most {limit}).");
            }
            object header;
            try
            {
                // Node's Buffer#toString replaces bad UTF-8 rather than failing, and so does Utf8.Decode.
                header = Json.Parse(Utf8.Decode(data, 4, (int)length));
            }
            catch (FormatException)
            {
                throw new OrfeasException("E_BAD_MESSAGE", "The binary frame's header is not valid JSON.");
            }
            var payload = new byte[data.Length - 4 - length];
            Buffer.BlockCopy(data, 4 + (int)length, payload, 0, payload.Length);
            return new Frame(header, payload);
        }
    }
}
