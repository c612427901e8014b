// The language-neutral protocol vectors (test/protocol-vectors/, format in its README) through ProtocolMessages and
// Frames, checked as bridge-blender/tests/test_vectors.py and test/protocol/vectors.test.ts check them.
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using Orfeas.Bridge.Protocol;

namespace Orfeas.Bridge.Tests
{
    static class VectorTests
    {
        const string k_Group = "vectors";
        static readonly UTF8Encoding k_StrictUtf8 = new UTF8Encoding(false, true);
        static readonly Regex k_Hex = new Regex(@"\A(?:[0-9a-f]{2})*\z");

        public static void Register(TestRun run, string root)
        {
            var directory = Path.Combine(root, "test", "protocol-vectors");
            Folder(run, directory, "client/valid", vector =>
            {
                Assert.Equal(true, Expect(vector)["valid"], "expect.valid");
                var result = ProtocolMessages.ParseClientMessage(ClientText(vector));
                Assert.True(result.Ok, $"{vector["description"]}: {result.MessageText}");
                Assert.Equal(Expect(vector)["type"], result.Message["type"], "type");
            });
            Folder(run, directory, "client/invalid", vector =>
            {
                var expected = Expect(vector);
                Assert.Equal(false, expected["valid"], "a vector in client/invalid must expect valid: false");
                var result = ProtocolMessages.ParseClientMessage(ClientText(vector));
                Assert.False(result.Ok, $"accepted: {vector["description"]}");
                Assert.Equal(expected["code"], result.Code, "code");
                Assert.Equal(Get(expected, "field"), result.Field, $"field ({result.MessageText})");
                Assert.Equal(Get(expected, "re"), result.Re, "re");
                Assert.True(!string.IsNullOrEmpty(result.MessageText), "the error has a sentence");
            });
            foreach (var verdict in new[] { true, false })
            {
                var folder = verdict ? "daemon/valid" : "daemon/invalid";
                Folder(run, directory, folder, vector =>
                {
                    Assert.Equal(verdict, Expect(vector)["valid"], "a vector must sit in the folder its verdict names");
                    var problem = ProtocolMessages.CheckDaemonMessage(vector["json"]);
                    Assert.Equal(verdict, problem == null, $"{vector["description"]}: {problem ?? "accepted"}");
                });
            }
            Folder(run, directory, "frames", vector =>
            {
                var hex = (string)vector["hex"];
                Assert.True(k_Hex.IsMatch(hex), $"hex is lowercase pairs: {hex}");
                var data = Enumerable.Range(0, hex.Length / 2).Select(i => Convert.ToByte(hex.Substring(2 * i, 2), 16)).ToArray();
                var expected = Expect(vector);
                if (Equals(expected["valid"], true))
                {
                    var frame = Frames.Decode(data);
                    Assert.Equal(expected["header"], frame.Header, "header");
                    Assert.Equal(expected["payloadHex"], string.Concat(frame.Payload.Select(b => b.ToString("x2"))), "payload");
                }
                else
                {
                    var error = Assert.Throws<OrfeasException>(() => Frames.Decode(data), "decoding");
                    Assert.Equal(expected["code"], error.Code, "code");
                    Assert.True(!string.IsNullOrEmpty(error.Message), "the error has a sentence");
                }
            });

            run.Test(k_Group, "client/valid covers every client type", () =>
            {
                var types = Load(directory, "client/valid").Select(v => (string)Expect(v.Value)["type"]);
                Assert.Equal(Sorted(ProtocolMessages.ClientTypes), Sorted(types), "types");
            });
            run.Test(k_Group, "client/invalid covers every client type", () =>
            {
                var types = Load(directory, "client/invalid")
                    .Select(v => Get(v.Value, "json") is IDictionary<string, object> json ? Get(json, "type") as string : null)
                    .Where(type => type != null && ProtocolMessages.ClientTypes.Contains(type));
                Assert.Equal(Sorted(ProtocolMessages.ClientTypes), Sorted(types), "types");
            });
            run.Test(k_Group, "daemon/valid covers every daemon type", () =>
            {
                var types = Load(directory, "daemon/valid").Select(v => (string)((IDictionary<string, object>)v.Value["json"])["type"]);
                Assert.Equal(Sorted(ProtocolMessages.DaemonTypes), Sorted(types), "types");
            });
            run.Test(k_Group, "frames has valid and invalid vectors", () =>
            {
                var verdicts = Load(directory, "frames").Select(v => Expect(v.Value)["valid"]).ToList();
                Assert.True(verdicts.Contains(true) && verdicts.Contains(false), "both verdicts present");
            });
        }

        // One test per vector of `folder`, sorted by file name; a missing or empty folder is one failing test.
        static void Folder(TestRun run, string directory, string folder, Action<IDictionary<string, object>> check)
        {
            string[] files;
            try
            {
                files = Files(directory, folder);
            }
            catch (Exception e)
            {
                run.Test(k_Group, folder, () => throw e);
                return;
            }
            foreach (var file in files)
            {
                var name = Path.GetFileNameWithoutExtension(file);
                run.Test(k_Group, $"{folder}/{name}", () => check(Read(file)));
            }
        }

        static string[] Files(string directory, string folder)
        {
            var path = Path.Combine(directory, folder.Replace('/', Path.DirectorySeparatorChar));
            if (!Directory.Exists(path))
                throw new DirectoryNotFoundException($"no folder {path} (is --root the repository root?)");
            var files = Directory.GetFiles(path, "*.json").OrderBy(file => Path.GetFileName(file), StringComparer.Ordinal).ToArray();
            if (files.Length == 0)
                throw new InvalidOperationException($"no vectors in {path}");
            return files;
        }

        static List<KeyValuePair<string, IDictionary<string, object>>> Load(string directory, string folder) =>
            Files(directory, folder)
                .Select(file => new KeyValuePair<string, IDictionary<string, object>>(Path.GetFileNameWithoutExtension(file), Read(file)))
                .ToList();

        // Strict UTF-8 with no byte order mark skipped, then strict JSON, as the Python runner reads the files.
        static IDictionary<string, object> Read(string file) =>
            (IDictionary<string, object>)Json.Parse(k_StrictUtf8.GetString(File.ReadAllBytes(file)));

        // The text frame a client vector stands for: `raw` verbatim, else `json` written as JSON.stringify would.
        static string ClientText(IDictionary<string, object> vector) =>
            vector.TryGetValue("raw", out var raw) ? (string)raw : Json.Stringify(vector["json"]);

        static IDictionary<string, object> Expect(IDictionary<string, object> vector) => (IDictionary<string, object>)vector["expect"];

        static object Get(IDictionary<string, object> map, string key) => map.TryGetValue(key, out var value) ? value : null;

        static List<object> Sorted(IEnumerable<string> items) =>
            items.Distinct().OrderBy(item => item, StringComparer.Ordinal).Cast<object>().ToList();
    }
}
