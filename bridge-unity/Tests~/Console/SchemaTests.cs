// SchemaValidator's own edge cases and ProtocolMessages' answers beyond the vectors (results, daemon sentences,
// generate options, unknown keywords refused); mirrors bridge-blender/tests/test_schema.py, plus what only .NET
// values raise (numbers of other types, arrays, dictionaries built by hand).
using System;
using System.Collections.Generic;
using System.Linq;
using Orfeas.Bridge.Protocol;

namespace Orfeas.Bridge.Tests
{
    static class SchemaTests
    {
        const string k_Group = "schema";
        const string k_JobId = "j_0123456789abcdefghij";

        public static void Register(TestRun run, string root)
        {
            run.Test(k_Group, "true is not a number", () =>
            {
                Assert.True(Validate("{\"type\":\"number\"}", true).Count > 0, "true as number");
                Assert.True(Validate("{\"type\":\"integer\"}", false).Count > 0, "false as integer");
                Assert.Equal(0, Validate("{\"type\":\"boolean\"}", true).Count, "true as boolean");
                Assert.True(Validate("{\"const\":true}", 1.0).Count > 0, "1 as the const true");
                Assert.True(Validate("{\"enum\":[1,2]}", true).Count > 0, "true in an enum of numbers");
            });

            run.Test(k_Group, "an integral double is an integer, and any .NET number is a number", () =>
            {
                Assert.Equal(0, Validate("{\"type\":\"integer\",\"minimum\":32}", 256.0).Count, "256.0");
                Assert.True(Validate("{\"type\":\"integer\"}", 256.5).Count > 0, "256.5");
                foreach (var value in new object[] { 256, 256L, (short)256, 256f, 256m, (ushort)256 })
                    Assert.Equal(0, Validate("{\"type\":\"integer\",\"minimum\":32,\"maximum\":1024}", value).Count, value.GetType().Name);
                Assert.Equal(new List<object> { "Too big: expected number to be <=1024" },
                    Messages("{\"type\":\"integer\",\"maximum\":1024}", 2048), "an int over the bound");
            });

            run.Test(k_Group, "non-finite numbers are refused", () =>
            {
                foreach (var value in new object[] { double.NaN, double.PositiveInfinity, double.NegativeInfinity, float.NaN, Json.Parse("1e400") })
                    Assert.True(Validate("{\"type\":\"number\"}", value).Count > 0, Convert.ToString(value));
                Assert.Equal(new List<object> { "Invalid input: expected number, received Infinity" },
                    Messages("{\"type\":\"number\"}", double.PositiveInfinity), "zod's wording");
            });

            run.Test(k_Group, "$ does not match before a trailing newline, . stops at line terminators", () =>
            {
                var id = "{\"type\":\"string\",\"pattern\":\"^j_[a-z0-9]{20}$\"}";
                Assert.Equal(0, Validate(id, k_JobId).Count, "a job id");
                Assert.True(Validate(id, k_JobId + "\n").Count > 0, "a job id and a newline");
                var dot = "{\"type\":\"string\",\"pattern\":\"^a.b$\"}";
                Assert.Equal(0, Validate(dot, "a\u00E9b").Count, ". matches a letter");
                foreach (var terminator in new[] { "\n", "\r", "\u2028", "\u2029" })
                    Assert.True(Validate(dot, "a" + terminator + "b").Count > 0, $". and U+{(int)terminator[0]:X4}");
            });

            run.Test(k_Group, "lengths count code points as zod does", () =>
            {
                Assert.Equal(0, Validate("{\"type\":\"string\",\"maxLength\":2}", "\uD83D\uDE00\uD83D\uDE00").Count, "two emoji");
                Assert.True(Validate("{\"type\":\"string\",\"maxLength\":2}", "\uD83D\uDE00ab").Count > 0, "an emoji and two letters");
                Assert.Equal(2, SchemaValidator.CodePointLength("\uD800\uD800"), "lone surrogates count one each");
            });

            run.Test(k_Group, "an unknown keyword, type or pattern syntax throws", () =>
            {
                Assert.Throws<NotSupportedException>(() => Validate("{\"type\":\"string\",\"format\":\"email\"}", "a@b"), "format");
                Assert.Throws<NotSupportedException>(() => SchemaValidator.CheckSchema(Json.Parse("{\"type\":\"object\",\"properties\":{\"a\":{\"if\":{}}}}")), "nested if");
                Assert.Throws<NotSupportedException>(() => Validate("{\"type\":\"date\"}", "x"), "type date");
                foreach (var pattern in new[] { "^\\\\d+$", "\\\\w", "\\\\Z", "(?<n>a)", "(?i)a", "[]", "[a-[b]]", "\\\\p{L}" })
                {
                    var schema = Json.Parse("{\"type\":\"string\",\"pattern\":\"" + pattern + "\"}");
                    Assert.Throws<NotSupportedException>(() => SchemaValidator.CheckSchema(schema), pattern);
                }
                Assert.Throws<NotSupportedException>(() => SchemaValidator.CheckSchema(Json.Parse("{\"$schema\":\"http://json-schema.org/draft-07/schema#\"}")), "another dialect");
                SchemaValidator.CheckSchema(Json.Parse("{\"type\":\"string\",\"pattern\":\"^(?:a|b)[^\\\\]x]$\"}"));
            });

            run.Test(k_Group, "a union reports its one softly failing option", () =>
            {
                var image = Property(Client("generate"), "image");
                Assert.Equal(new List<object> { "path" }, Fields(image, Json.Parse("{\"path\":\"\"}")), "empty path");
                Assert.Equal(new List<object> { "" }, Fields(image, Json.Parse("{\"path\":5}")), "path a number");
                Assert.Equal(new List<object> { "" }, Fields(image, Json.Parse("{\"path\":\"a\",\"upload\":\"u_0123456789abcdefghij\"}")), "two keys");
            });

            run.Test(k_Group, "a tuple's length is checked before its items", () =>
            {
                var vector = Json.Parse("{\"type\":\"array\",\"prefixItems\":[{\"type\":\"number\"},{\"type\":\"number\"},{\"type\":\"number\"}],\"items\":false,\"minItems\":3,\"maxItems\":3}");
                Assert.Equal(new List<object> { "" }, Fields(vector, Json.Parse("[1,\"a\"]")), "too short");
                Assert.Equal(new List<object> { "1" }, Fields(vector, Json.Parse("[1,\"a\",3]")), "wrong item");
                Assert.Equal(new List<object>(), Fields(vector, new object[] { 1, 2.5f, 3L }), "a .NET array");
            });

            run.Test(k_Group, "unknown keys are listed in JavaScript's order", () =>
            {
                var closed = "{\"type\":\"object\",\"properties\":{},\"additionalProperties\":false}";
                Assert.Equal(new List<object> { "Unrecognized keys: \"2\", \"b\", \"a\"" }, Messages(closed, Json.Parse("{\"b\":1,\"a\":2,\"2\":3}")), "message");
            });

            run.Test(k_Group, "ParseClientMessage answers as parse.ts", () =>
            {
                var result = ProtocolMessages.ParseClientMessage("{\"type\":\"cancel\",\"id\":\"7\",\"jobId\":\"J_0123456789abcdefghij\"}");
                Assert.Equal(new List<object> { false, "E_BAD_MESSAGE", "jobId", "7" }, new List<object> { result.Ok, result.Code, result.Field, result.Re }, "result");
                Assert.Equal("Invalid field \"jobId\" in cancel: a job id such as j_0123456789abcdefghij.", result.MessageText, "sentence");
                var error = result.ToException();
                Assert.Equal(new List<object> { "E_BAD_MESSAGE", "jobId", result.MessageText }, new List<object> { error.Code, error.Field, error.Message }, "as an exception");
                var ok = ProtocolMessages.ParseClientMessage(new Dictionary<string, object> { { "type", "cancel" }, { "id", "7" }, { "jobId", k_JobId } });
                Assert.Equal(new List<object> { true, k_JobId, null, null, null }, new List<object> { ok.Ok, ok.Message["jobId"], ok.Code, ok.Field, ok.Re }, "accepted");
                Assert.Throws<InvalidOperationException>(() => ok.ToException(), "no exception for a valid message");
            });

            run.Test(k_Group, "messages built by hand with .NET types are judged as their JSON", () =>
            {
                var options = new Dictionary<string, object> { { "resolution", 64 }, { "lods", new[] { 1, 0.5 } }, { "formats", new List<string> { "glb" } } };
                var message = new Dictionary<string, object> { { "type", "generate" }, { "id", "g" }, { "image", new Dictionary<string, object> { { "path", "/a.png" } } }, { "options", options } };
                var accepted = ProtocolMessages.ParseClientMessage(message);
                Assert.True(accepted.Ok, accepted.MessageText ?? "accepted");
                options["resolution"] = 2048L;
                Assert.Equal("options.resolution", ProtocolMessages.ParseClientMessage(message).Field, "a long over the bound");
                options["resolution"] = 64;
                options["lods"] = new[] { 0.5, 1.0 };
                Assert.Equal("options.lods", ProtocolMessages.ParseClientMessage(message).Field, "increasing LODs");
            });

            run.Test(k_Group, "strict JSON: Infinity and a byte order mark are not JSON", () =>
            {
                foreach (var text in new[] { "{\"type\":\"ping\",\"id\":\"7\",\"x\":Infinity}", "\uFEFF{\"type\":\"ping\",\"id\":\"7\"}" })
                {
                    var result = ProtocolMessages.ParseClientMessage(text);
                    Assert.Equal(new List<object> { "E_BAD_MESSAGE", null, null }, new List<object> { result.Code, result.Field, result.Re }, text);
                }
                Assert.Equal("E_BAD_MESSAGE", ProtocolMessages.ParseClientMessage((object)"{\"type\":\"ping\",\"id\":\"7\"}").Code, "a string value is not a message");
            });

            run.Test(k_Group, "re is measured in UTF-16 units", () =>
            {
                var id = string.Concat(Enumerable.Repeat("\uD83D\uDE00", 33));
                var result = ProtocolMessages.ParseClientMessage(new Dictionary<string, object> { { "type", "nope" }, { "id", id } });
                Assert.Equal(new List<object> { "E_UNKNOWN_TYPE", null }, new List<object> { result.Code, result.Re }, "66 units is too long");
                var type = new string('t', 63) + "\uD83D\uDE00";
                Assert.Equal("Unknown message type \"" + new string('t', 63) + "\uD83D\".", ProtocolMessages.ParseClientMessage(new Dictionary<string, object> { { "type", type } }).MessageText, "the type cut at 64 units");
            });

            run.Test(k_Group, "push names assetId", () =>
            {
                var result = ProtocolMessages.ParseClientMessage(Json.Parse("{\"type\":\"push\",\"id\":\"7\",\"target\":\"blender\"}"));
                Assert.Equal("assetId", result.Field, "field");
                Assert.Equal("Invalid field \"assetId\" in push: give exactly one of assetId and sceneId.", result.MessageText, "sentence");
            });

            run.Test(k_Group, "daemon sentences", () =>
            {
                Assert.Equal(null, ProtocolMessages.CheckDaemonMessage(Json.Parse("{\"type\":\"pong\",\"re\":\"7\",\"extra\":1}")), "extra field");
                Assert.True(ProtocolMessages.CheckDaemonMessage(Json.Parse("{\"type\":\"pong\"}")).Contains("\"re\""), "missing re");
                Assert.True(ProtocolMessages.CheckDaemonMessage(Json.Parse("{\"type\":\"pang\",\"re\":\"7\"}")).Contains("Unknown"), "unknown type");
                Assert.True(ProtocolMessages.CheckDaemonMessage(Json.Parse("{\"re\":\"7\"}")).Contains("\"type\""), "no type");
                Assert.True(ProtocolMessages.CheckDaemonMessage(Json.Parse("[]")).Contains("object"), "an array");
                Assert.True(ProtocolMessages.CheckDaemonMessage(null).Contains("object"), "null");
            });

            run.Test(k_Group, "generate options, types and constants", () =>
            {
                var options = ProtocolMessages.GenerateOptions();
                Assert.Equal(Json.Parse("{\"default\":256,\"type\":\"integer\",\"minimum\":32,\"maximum\":1024}"), options["resolution"], "resolution");
                Assert.Equal(Json.Parse("[\"none\",\"hull\",\"mesh\"]"), ((IDictionary<string, object>)options["collider"])["enum"], "collider");
                ((IDictionary<string, object>)options["resolution"])["default"] = 1.0;
                Assert.Equal(256.0, ((IDictionary<string, object>)ProtocolMessages.GenerateOptions()["resolution"])["default"], "a fresh copy each time");
                Assert.True(ProtocolMessages.ClientTypes.Contains("generate"), "generate is a client type");
                Assert.True(ProtocolMessages.DaemonTypes.Contains("job.progress"), "job.progress is a daemon type");
                Assert.Equal(new List<object> { 1, 65536 }, new List<object> { ProtocolMessages.ProtocolVersion, ProtocolMessages.MaxHeaderBytes }, "constants");
            });

            run.Test(k_Group, "the schema loads once, from many threads at a time", () =>
            {
                var answers = Enumerable.Range(0, 8).AsParallel().Select(i => ProtocolMessages.ParseClientMessage("{\"type\":\"ping\",\"id\":\"" + i + "\"}").Ok).ToList();
                Assert.True(answers.All(ok => ok), "every thread's ping is valid");
            });
        }

        static IReadOnlyList<Issue> Validate(string schema, object value) => SchemaValidator.Validate(Json.Parse(schema), value);

        static List<object> Messages(string schema, object value) => Validate(schema, value).Select(issue => (object)issue.Message).ToList();

        static List<object> Fields(object schema, object value) => SchemaValidator.Validate(schema, value).Select(issue => (object)issue.Field).ToList();

        static IDictionary<string, object> Client(string type) => (IDictionary<string, object>)((IDictionary<string, object>)ProtocolMessages.Document["client"])[type];

        static object Property(IDictionary<string, object> schema, string key) => ((IDictionary<string, object>)schema["properties"])[key];
    }
}
