// Json, JsonObject and Utf8 against what Node does with the same input (the expected values were taken from Node):
// JSON.parse's strictness and numbers, JSON.stringify's numbers and escapes, JavaScript's key order.
using System;
using System.Collections.Generic;
using System.Linq;
using Orfeas.Bridge.Protocol;

namespace Orfeas.Bridge.Tests
{
    static class JsonTests
    {
        const string k_Group = "json";

        public static void Register(TestRun run, string root)
        {
            run.Test(k_Group, "refuses what JSON.parse refuses", () =>
            {
                var refused = new[]
                {
                    "", " ", "NaN", "Infinity", "-Infinity", "[1,]", "{\"a\":1,}", "{'a':1}", "['a']", "\uFEFF{}", "\u00A0{}",
                    "01", "-01", "1.", ".5", "+1", "-", "--1", "0x10", "1e", "1e+", "\"\\x\"", "\"\\u12\"", "\"\\u12g4\"",
                    "\"a\tb\"", "\"a\nb\"", "\"\u0000\"", "\"abc", "{} x", "{}{}", "// c\n{}", "/* c */ {}", "[1 2]",
                    "{\"a\" 1}", "{\"a\":}", "{1:2}", "{a:1}", "tru", "nul", "True", "undefined", "[", "{", "]", "\"\\\"",
                };
                foreach (var text in refused)
                    Assert.Throws<FormatException>(() => Json.Parse(text), Json.Stringify(text));
            });

            run.Test(k_Group, "reads what JSON.parse reads", () =>
            {
                Assert.Equal(0, ((JsonObject)Json.Parse(" \t\n\r{}\r\n")).Count, "whitespace around an empty object");
                Assert.Equal(100.0, Json.Parse("1E+2"), "1E+2");
                Assert.Equal(256.0, Json.Parse("256.0"), "256.0 is 256");
                Assert.Equal("\uD800", Json.Parse("\"\\ud800\""), "a lone surrogate from an escape");
                Assert.Equal("/\u00E9\uD83D\uDE00", Json.Parse("\"\\/\\u00E9\\uD83D\\uDE00\""), "escapes");
                Assert.Equal("\u2028\u007F\u00E9", Json.Parse("\"\u2028\u007F\u00E9\""), "characters JSON leaves unescaped");
                Assert.Equal(null, Json.Parse("null"), "null");
                Assert.Equal(false, Json.Parse(" false "), "false");
            });

            run.Test(k_Group, "reads numbers to the nearest double, as JavaScript does", () =>
            {
                Assert.Equal(long.MinValue, BitConverter.DoubleToInt64Bits((double)Json.Parse("-0")), "-0 keeps its sign");
                Assert.Equal(double.PositiveInfinity, Json.Parse("1e400"), "too large is Infinity");
                Assert.Equal(double.NegativeInfinity, Json.Parse("-1e400"), "too large negative is -Infinity");
                Assert.Equal(double.Epsilon, Json.Parse("5e-324"), "the smallest subnormal");
                Assert.Equal(double.Epsilon, Json.Parse("2.4703282292062328e-324"), "just above half the smallest subnormal");
                Assert.Equal(0.0, Json.Parse("2.4703282292062327e-324"), "just below half the smallest subnormal");
                Assert.Equal(0.0, Json.Parse("1e-400"), "too small is 0");
                Assert.Equal(9007199254740992.0, Json.Parse("9007199254740993"), "2^53 + 1 ties to even");
                Assert.Equal(9007199254740994.0, Json.Parse("9007199254740993.0000000001"), "just past the tie rounds up");
                Assert.Equal(double.MaxValue, Json.Parse("1.7976931348623158e308"), "rounds down to the largest double");
                Assert.Equal(double.PositiveInfinity, Json.Parse("1.7976931348623159e308"), "rounds up past the largest double");
                Assert.Equal(0.1, Json.Parse("0.1"), "0.1");
                Assert.Equal(1.0, Json.Parse("1" + new string('0', 1000) + "e-1000"), "a thousand digits");
                Assert.Equal(0.0, Json.Parse("0e99999999999999999999"), "zero with a huge exponent");
            });

            run.Test(k_Group, "keeps JavaScript's key order: array indexes first, a repeated key keeps its place", () =>
            {
                var text = "{\"b\":1,\"2\":2,\"1\":3,\"4294967295\":4,\"4294967294\":5,\"01\":6,\"b\":7}";
                Assert.Equal("{\"1\":3,\"2\":2,\"4294967294\":5,\"b\":7,\"4294967295\":4,\"01\":6}", Json.Stringify(Json.Parse(text)), "order");
            });

            run.Test(k_Group, "models values as JsonObject, List<object>, string, double, bool and null", () =>
            {
                var value = (JsonObject)Json.Parse("{\"a\":[1,\"x\",true,null,{}]}");
                var list = (List<object>)value["a"];
                Assert.True(list[0] is double && list[1] is string && list[2] is bool && list[3] == null && list[4] is JsonObject, "types");
                Assert.True(value is IReadOnlyDictionary<string, object>, "read-only dictionary view");
            });

            run.Test(k_Group, "nests 100000 deep without exhausting the stack", () =>
            {
                var deep = Json.Parse(new string('[', 100000) + new string(']', 100000));
                Assert.True(deep is List<object>, "parsed");
                Assert.Throws<ArgumentException>(() => Json.Stringify(deep), "writing past 512 levels");
                var self = new List<object>();
                self.Add(self);
                Assert.Throws<ArgumentException>(() => Json.Stringify(self), "a list holding itself");
            });

            run.Test(k_Group, "writes numbers as JSON.stringify does", () =>
            {
                var cases = new object[]
                {
                    256.0, "256", -0.0, "0", 1e21, "1e+21", 1e20, "100000000000000000000", 1e-7, "1e-7", 0.000001, "0.000001",
                    0.0000015, "0.0000015", 123e-20, "1.23e-18", double.Epsilon, "5e-324", double.MaxValue, "1.7976931348623157e+308",
                    0.1 + 0.2, "0.30000000000000004", Math.Pow(2, 60), "1152921504606847000", 0.1f, "0.10000000149011612",
                    long.MaxValue, "9223372036854776000", BitConverter.Int64BitsToDouble(0xFFFFFFFFFFFFF), "2.225073858507201e-308",
                    1.0 / 3, "0.3333333333333333", 100.0 / 3, "33.333333333333336", -1.5, "-1.5", 123456789.125, "123456789.125",
                    4.35, "4.35", 7, "7", (byte)7, "7", 1.5m, "1.5",
                };
                for (var i = 0; i < cases.Length; i += 2)
                    Assert.Equal(cases[i + 1], Json.Stringify(cases[i]), $"{cases[i].GetType().Name} {cases[i + 1]}");
            });

            run.Test(k_Group, "escapes strings as JSON.stringify does", () =>
            {
                var text = "\"\\\b\f\n\r\t\u0001\u001f\u007f\u2028/\u00E9\uD83D\uDE00\uD800x\uDC00";
                Assert.Equal("\"\\\"\\\\\\b\\f\\n\\r\\t\\u0001\\u001f\u007f\u2028/\u00E9\uD83D\uDE00\\ud800x\\udc00\"", Json.Stringify(text), "escapes");
                Assert.Equal(text, Json.Parse(Json.Stringify(text)), "read back");
            });

            run.Test(k_Group, "writes dictionaries in their order, lists, and the .NET numeric types", () =>
            {
                var built = new Dictionary<string, object>
                {
                    { "type", "hello" }, { "protocol", 1 }, { "roles", new[] { "import-target" } }, { "sizes", new List<int> { 1, 2 } },
                    { "none", null }, { "ok", true }, { "nested", new JsonObject { { "x", 0.5 } } },
                };
                Assert.Equal("{\"type\":\"hello\",\"protocol\":1,\"roles\":[\"import-target\"],\"sizes\":[1,2],\"none\":null,\"ok\":true,\"nested\":{\"x\":0.5}}",
                    Json.Stringify(built), "text");
            });

            run.Test(k_Group, "refuses values with no JSON form", () =>
            {
                foreach (var value in new object[] { double.NaN, double.PositiveInfinity, float.NegativeInfinity, DateTime.UtcNow, 'c', new object() })
                    Assert.Throws<ArgumentException>(() => Json.Stringify(value), value.GetType().Name);
                Assert.Throws<ArgumentException>(() => Json.Stringify(new Dictionary<string, object> { { "x", double.NaN } }), "NaN inside");
            });

            run.Test(k_Group, "JsonObject is a dictionary that keeps JavaScript's order", () =>
            {
                var value = new JsonObject { { "b", 1.0 }, { "3", null }, { "a", 2.0 }, { "1", 3.0 } };
                Assert.Equal(new List<object> { "1", "3", "b", "a" }, value.Keys.ToList<object>(), "keys");
                Assert.True(value.ContainsKey("3") && value["3"] == null, "a null value is present");
                Assert.Throws<ArgumentException>(() => value.Add("b", 0.0), "adding a present key");
                Assert.Throws<KeyNotFoundException>(() => { var unused = value["zz"]; }, "reading an absent key");
                Assert.True(value.Remove("1") && !value.Remove("1"), "removes once");
                value["0"] = 0.0;
                value["b"] = 9.0;
                Assert.Equal("{\"0\":0,\"3\":null,\"b\":9,\"a\":2}", Json.Stringify(value), "order after changes");
                Assert.Equal(new List<object> { 0.0, null, 9.0, 2.0 }, value.Values.ToList(), "values");
            });

            run.Test(k_Group, "decodes bad UTF-8 as Node does, one U+FFFD per maximal invalid run", () =>
            {
                var bytes = new byte[]
                {
                    0x61, 0xF0, 0x9F, 0x98, 0x62, 0xC0, 0x80, 0x63, 0xED, 0xA0, 0x80, 0x64, 0xFF, 0x65, 0xE2, 0x82, 0x66,
                    0xF4, 0x90, 0x80, 0x80, 0x67, 0xF0, 0x9F, 0x98, 0x80, 0xE2, 0x82,
                };
                var expected = "a\uFFFDb\uFFFD\uFFFDc\uFFFD\uFFFD\uFFFDd\uFFFDe\uFFFDf\uFFFD\uFFFD\uFFFD\uFFFDg\uD83D\uDE00\uFFFD";
                Assert.Equal(expected, Utf8.Decode(bytes, 0, bytes.Length), "text");
                Assert.Equal("\uFEFF{}", Utf8.Decode(new byte[] { 0xEF, 0xBB, 0xBF, 0x7B, 0x7D }, 0, 5), "a byte order mark is kept");
            });
        }
    }
}
