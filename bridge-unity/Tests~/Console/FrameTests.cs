// Frames.Encode against Frames.Decode and against the layout frames.ts writes (the vectors cover decoding); mirrors
// bridge-blender/tests/test_frames.py.
using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using Orfeas.Bridge.Protocol;

namespace Orfeas.Bridge.Tests
{
    static class FrameTests
    {
        const string k_Group = "frames";

        public static void Register(TestRun run, string root)
        {
            run.Test(k_Group, "a round trip counts UTF-8 bytes", () =>
            {
                var payload = new byte[] { 1, 2, 3, 0xFA };
                var frame = Frames.Encode(new Dictionary<string, object> { { "type", "generate" }, { "id", "\u00E9" } }, payload);
                var header = Encoding.UTF8.GetBytes("{\"type\":\"generate\",\"id\":\"\u00E9\"}");
                var expected = new byte[] { 0, 0, 0, (byte)header.Length }.Concat(header).Concat(payload).ToArray();
                Assert.True(frame.SequenceEqual(expected), $"bytes: {BitConverter.ToString(frame)}");
                var decoded = Frames.Decode(frame);
                Assert.Equal(Json.Parse("{\"type\":\"generate\",\"id\":\"\u00E9\"}"), decoded.Header, "header");
                Assert.True(decoded.Payload.SequenceEqual(payload), "payload");
            });

            run.Test(k_Group, "a lone surrogate is escaped", () =>
            {
                var decoded = Frames.Decode(Frames.Encode(new Dictionary<string, object> { { "name", "a\uD800" } }, new byte[0]));
                Assert.Equal(Json.Parse("{\"name\":\"a\\ud800\"}"), decoded.Header, "header");
            });

            run.Test(k_Group, "refusals carry the protocol code", () =>
            {
                var broken = new[]
                {
                    new byte[] { 0, 0, 1 }, new byte[] { 0, 0, 0, 0, 1 }, new byte[] { 0, 0, 0, 9, (byte)'{' },
                    new byte[] { 0, 0, 0, 3, (byte)'{', (byte)'{', (byte)'{' }, new byte[] { 0, 1, 0, 1, (byte)'1' },
                };
                foreach (var data in broken)
                {
                    var error = Assert.Throws<OrfeasException>(() => Frames.Decode(data), BitConverter.ToString(data));
                    Assert.Equal("E_BAD_MESSAGE", error.Code, "code");
                    Assert.Equal(null, error.Field, "no field");
                }
                var header = new Dictionary<string, object> { { "name", new string('x', 70000) } };
                Assert.Equal("E_BAD_MESSAGE", Assert.Throws<OrfeasException>(() => Frames.Encode(header, new byte[0]), "a 70000-byte header").Code, "code");
                Assert.Throws<ArgumentException>(() => Frames.Encode(new Dictionary<string, object> { { "x", double.NaN } }, new byte[0]), "NaN");
            });

            run.Test(k_Group, "a header that is JSON but not a message decodes", () =>
            {
                var decoded = Frames.Decode(new byte[] { 0, 0, 0, 5, (byte)'[', (byte)'1', (byte)',', (byte)'2', (byte)']', 9 });
                Assert.Equal(Json.Parse("[1,2]"), decoded.Header, "header");
                Assert.Equal(new List<object> { (byte)9 }, decoded.Payload.Cast<object>().ToList(), "payload");
                Assert.Equal("E_BAD_MESSAGE", ProtocolMessages.ParseClientMessage(decoded.Header).Code, "then refused as a message");
            });
        }
    }
}
