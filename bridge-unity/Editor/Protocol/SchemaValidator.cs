// The JSON Schema (draft 2020-12) subset that protocol_v1.json uses, judged the way zod 4 judges the schemas it
// was generated from, so that the first issue names the same field as the daemon. ProtocolMessages applies it; it
// is the port of bridge-blender/orfeas_bridge/client/validator.py, and the two change together.
//
// zod's rules mirrored here: an issue is "hard" when zod aborts on it (a wrong type, a missing key, a value outside
// a const or enum, a union with no fitting option) and soft otherwise (lengths, patterns, bounds, unknown keys of a
// closed object, refinements). Refinements (the x-orfeas keywords) run only when their schema has no hard issue. A
// union whose options all fail reports the issues of its one option that failed softly, else itself.
using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using static Orfeas.Bridge.Protocol.SchemaKeywords;

namespace Orfeas.Bridge.Protocol
{
    /// <summary>Validates JSON values (the <see cref="Json"/> model, or dictionaries built by hand) against schemas.</summary>
    public static class SchemaValidator
    {
        const string k_Dialect = "https://json-schema.org/draft/2020-12/schema";
        const double k_MaxSafeInteger = 9007199254740991;

        static readonly string[] k_Subschema = { "items", "additionalProperties", "propertyNames" };
        static readonly string[] k_Subschemas = { "anyOf", "oneOf", "prefixItems" };

        // A missing key, judged as zod judges `undefined`: it fits no type, const or enum.
        static readonly object k_Absent = new object();
        static readonly object[] k_Root = new object[0];

        /// <summary>Every issue of <paramref name="value"/> against <paramref name="schema"/>, in zod's order: the first one is the one the daemon reports.</summary>
        /// <exception cref="NotSupportedException">The schema uses a keyword, type or pattern this validator does not implement.</exception>
        public static IReadOnlyList<Issue> Validate(object schema, object value)
        {
            var issues = new List<Issue>();
            Check(schema, value, k_Root, issues);
            return issues;
        }

        /// <summary>Throws when <paramref name="schema"/> or any schema inside it uses a keyword, dialect or pattern this validator cannot judge.</summary>
        /// <exception cref="NotSupportedException">What is not supported, and that SchemaValidator.cs needs updating.</exception>
        public static void CheckSchema(object schema)
        {
            if (schema is bool)
                return;
            var keywords = AsSchema(schema);
            RefuseUnknown(keywords);
            if (keywords.TryGetValue("$schema", out var dialect) && !Equals(dialect, k_Dialect))
                throw new NotSupportedException($"Unsupported JSON Schema dialect {dialect}.");
            if (keywords.TryGetValue("pattern", out var pattern))
                SchemaPattern.Get(Text(pattern, "pattern"));
            foreach (var key in k_Subschema)
            {
                if (keywords.TryGetValue(key, out var inner))
                    CheckSchema(inner);
            }
            foreach (var key in k_Subschemas)
            {
                if (keywords.TryGetValue(key, out var options))
                {
                    foreach (var option in List(options, key))
                        CheckSchema(option);
                }
            }
            foreach (var pair in Properties(keywords))
                CheckSchema(pair.Value);
        }

        /// <summary>
        /// The length zod's min/max checks give a string: code points, as JSON Schema counts them, so an emoji (a
        /// surrogate pair) counts one and a lone surrogate counts one.
        /// </summary>
        public static int CodePointLength(string text)
        {
            var length = text.Length;
            for (var i = 0; i + 1 < text.Length; i++)
            {
                if (char.IsHighSurrogate(text[i]) && char.IsLowSurrogate(text[i + 1]))
                {
                    length--;
                    i++;
                }
            }
            return length;
        }

        static void Check(object schema, object value, object[] path, List<Issue> output)
        {
            if (schema is bool allowed)
            {
                if (!allowed)
                    output.Add(new Issue(path, "Invalid input: this value is not allowed", true));
                return;
            }
            var keywords = AsSchema(schema);
            RefuseUnknown(keywords);
            if (keywords.ContainsKey("anyOf") || keywords.ContainsKey("oneOf"))
            {
                Union(keywords, value, path, output);
                return;
            }
            IList allowedValues = null;
            if (keywords.TryGetValue("const", out var constant))
                allowedValues = new[] { constant };
            else if (keywords.TryGetValue("enum", out var options))
                allowedValues = List(options, "enum");
            if (allowedValues != null && !allowedValues.Cast<object>().Any(option => Same(value, option)))
            {
                var expected = allowedValues.Count == 1
                    ? Quote(allowedValues[0])
                    : "one of " + string.Join("|", allowedValues.Cast<object>().Select(Quote));
                output.Add(new Issue(path, $"Invalid {(allowedValues.Count == 1 ? "input" : "option")}: expected {expected}", true));
                return;
            }
            if (keywords.TryGetValue("type", out var type))
            {
                var kinds = type is string single ? new[] { single } : List(type, "type").Cast<object>().Select(kind => Text(kind, "type"));
                if (!kinds.Any(kind => IsType(value, kind)))
                {
                    output.Add(new Issue(path, $"Invalid input: expected {Expected(keywords, value)}, received {Kind(value)}", true));
                    return;
                }
            }
            if (value is string text)
                CheckString(keywords, text, path, output);
            else if (IsNumber(value, out var number))
                CheckNumber(keywords, number, path, output);
            else if (value is IList list)
                CheckArray(keywords, list, path, output);
            else if (value is IDictionary<string, object> map)
                CheckObject(keywords, map, path, output);
        }

        static void Union(IDictionary<string, object> schema, object value, object[] path, List<Issue> output)
        {
            var options = schema.TryGetValue("anyOf", out var anyOf) && List(anyOf, "anyOf").Count > 0
                ? List(anyOf, "anyOf")
                : List(schema.TryGetValue("oneOf", out var oneOf) ? oneOf : null, "oneOf");
            if (options.Count == 1)
            {
                // zod runs a one-option union as that option
                Check(options[0], value, path, output);
                return;
            }
            var results = new List<List<Issue>>();
            foreach (var option in options)
            {
                var issues = new List<Issue>();
                Check(option, value, path, issues);
                results.Add(issues);
            }
            var matches = results.Count(issues => issues.Count == 0);
            if (schema.ContainsKey("oneOf"))
            {
                // z.xor: exactly one option fits, and a failure names the union itself
                if (matches != 1)
                    output.Add(new Issue(path, $"Invalid input: {(matches > 0 ? "more than one option matched" : "no option matched")}", true));
                return;
            }
            if (matches > 0)
                return;
            var soft = results.Where(issues => !issues.Any(issue => issue.Hard)).ToList();
            if (soft.Count == 1)
                output.AddRange(soft[0]);
            else
                output.Add(new Issue(path, "Invalid input", true));
        }

        static void CheckString(IDictionary<string, object> schema, string value, object[] path, List<Issue> output)
        {
            var length = CodePointLength(value);
            if (schema.TryGetValue("minLength", out var min) && length < Number(min, "minLength"))
                output.Add(new Issue(path, $"Too small: expected string to have >={Format(min)} characters"));
            if (schema.TryGetValue("maxLength", out var max) && length > Number(max, "maxLength"))
                output.Add(new Issue(path, $"Too big: expected string to have <={Format(max)} characters"));
            if (schema.TryGetValue("pattern", out var pattern) && !SchemaPattern.Get(Text(pattern, "pattern")).IsMatch(value))
                output.Add(new Issue(path, Message(schema, $"Invalid string: must match pattern /{pattern}/")));
        }

        static void CheckNumber(IDictionary<string, object> schema, double value, object[] path, List<Issue> output)
        {
            if (schema.TryGetValue("type", out var type) && Equals(type, "integer") && Math.Abs(value) > k_MaxSafeInteger)
            {
                // zod's .int() says it in its own words
                output.Add(value > 0
                    ? new Issue(path, $"Too big: expected int to be <={Format(k_MaxSafeInteger)}")
                    : new Issue(path, $"Too small: expected int to be >=-{Format(k_MaxSafeInteger)}"));
            }
            if (schema.TryGetValue("minimum", out var minimum) && value < Number(minimum, "minimum"))
                output.Add(new Issue(path, $"Too small: expected number to be >={Format(minimum)}"));
            if (schema.TryGetValue("exclusiveMinimum", out var above) && value <= Number(above, "exclusiveMinimum"))
                output.Add(new Issue(path, $"Too small: expected number to be >{Format(above)}"));
            if (schema.TryGetValue("maximum", out var maximum) && value > Number(maximum, "maximum"))
                output.Add(new Issue(path, $"Too big: expected number to be <={Format(maximum)}"));
            if (schema.TryGetValue("exclusiveMaximum", out var below) && value >= Number(below, "exclusiveMaximum"))
                output.Add(new Issue(path, $"Too big: expected number to be <{Format(below)}"));
        }

        static void CheckArray(IDictionary<string, object> schema, IList value, object[] path, List<Issue> output)
        {
            var start = output.Count;
            schema.TryGetValue("items", out var items);
            var closed = items is bool open && !open;
            if (schema.TryGetValue("prefixItems", out var prefixItems))
            {
                // A tuple: zod checks its length before its items, and a wrong length aborts.
                var prefix = List(prefixItems, "prefixItems");
                var least = schema.TryGetValue("minItems", out var minItems) ? Number(minItems, "minItems") : prefix.Count;
                if (value.Count < least)
                {
                    output.Add(new Issue(path, $"Too small: expected array to have >={prefix.Count} items", true));
                    return;
                }
                if (closed && value.Count > prefix.Count)
                    output.Add(new Issue(path, $"Too big: expected array to have <={prefix.Count} items", true));
                for (var index = 0; index < Math.Min(prefix.Count, value.Count); index++)
                    Check(prefix[index], value[index], Append(path, index), output);
                if (items != null && !closed)
                {
                    for (var index = prefix.Count; index < value.Count; index++)
                        Check(items, value[index], Append(path, index), output);
                }
                return;
            }
            if (schema.TryGetValue("maxItems", out var maxItems) && value.Count > Number(maxItems, "maxItems"))
            {
                // zod refuses an over-long array before looking at its items (the size cap of its leading length checks).
                output.Add(new Issue(path, $"Too big: expected array to have <={Format(maxItems)} items", true));
                return;
            }
            if (items != null)
            {
                for (var index = 0; index < value.Count; index++)
                    Check(items, value[index], Append(path, index), output);
            }
            if (schema.TryGetValue("minItems", out var fewest) && value.Count < Number(fewest, "minItems"))
                output.Add(new Issue(path, $"Too small: expected array to have >={Format(fewest)} items"));
            if (schema.TryGetValue("x-orfeas-decreasing", out var decreasing) && Equals(decreasing, true)
                && !Aborted(output, start) && value.Cast<object>().All(item => IsNumber(item, out _)))
            {
                for (var i = 1; i < value.Count; i++)
                {
                    IsNumber(value[i], out var current);
                    IsNumber(value[i - 1], out var previous);
                    if (!(current < previous))
                    {
                        output.Add(new Issue(path, Message(schema, "Invalid input: items must decrease")));
                        break;
                    }
                }
            }
        }

        static void CheckObject(IDictionary<string, object> schema, IDictionary<string, object> value, object[] path, List<Issue> output)
        {
            var start = output.Count;
            var properties = Properties(schema);
            var required = schema.TryGetValue("required", out var names)
                ? List(names, "required").Cast<object>().Select(key => Text(key, "required")).ToList()
                : new List<string>();
            // zod walks the declared keys in order; a missing required key is named by its key.
            foreach (var key in properties.Keys.Concat(required.Where(key => !properties.ContainsKey(key))))
            {
                if (value.TryGetValue(key, out var item))
                {
                    if (properties.TryGetValue(key, out var property))
                        Check(property, item, Append(path, key), output);
                }
                else if (required.Contains(key))
                {
                    var missing = new List<Issue>();
                    Check(properties.TryGetValue(key, out var property) ? property : true, k_Absent, Append(path, key), missing);
                    if (missing.Count == 0)
                        missing.Add(new Issue(Append(path, key), "Invalid input: expected nonoptional, received undefined", true));
                    output.AddRange(missing);
                }
            }
            var extra = schema.TryGetValue("additionalProperties", out var additional) ? additional : true;
            var keyNames = schema.TryGetValue("propertyNames", out var propertyNames) ? propertyNames : true;
            var unrecognized = new List<string>();
            foreach (var pair in value)
            {
                if (properties.ContainsKey(pair.Key))
                    continue;
                if (!Equals(keyNames, true) && Validate(keyNames, pair.Key).Count > 0)
                    output.Add(new Issue(Append(path, pair.Key), "Invalid key in record", true));
                else if (Equals(extra, false))
                    unrecognized.Add(pair.Key);
                else
                    Check(extra, pair.Value, Append(path, pair.Key), output);
            }
            if (unrecognized.Count > 0)
            {
                // soft in zod: the object's own checks still run
                var keys = string.Join(", ", unrecognized.Select(key => Json.Stringify(key)));
                output.Add(new Issue(path, $"Unrecognized key{(unrecognized.Count > 1 ? "s" : "")}: {keys}"));
            }
            if (schema.TryGetValue("x-orfeas-exactlyOne", out var exactlyOne) && !Aborted(output, start))
            {
                var candidates = List(exactlyOne, "x-orfeas-exactlyOne").Cast<object>().Select(key => Text(key, "x-orfeas-exactlyOne")).ToList();
                if (candidates.Count(value.ContainsKey) != 1)
                {
                    var field = schema.TryGetValue("x-orfeas-field", out var named) ? Text(named, "x-orfeas-field") : null;
                    var message = Message(schema, "give exactly one of " + string.Join(" and ", candidates));
                    output.Add(new Issue(string.IsNullOrEmpty(field) ? path : Append(path, field), message));
                }
            }
        }

        static bool Aborted(List<Issue> issues, int start)
        {
            for (var i = start; i < issues.Count; i++)
            {
                if (issues[i].Hard)
                    return true;
            }
            return false;
        }

        // JSON types. A bool is never a number; JSON has one number type, so 256.0 is the integer 256.
        static bool IsType(object value, string kind)
        {
            switch (kind)
            {
                case "integer": return IsNumber(value, out var number) && number == Math.Floor(number);
                case "number": return IsNumber(value, out _);
                case "string": return value is string;
                case "boolean": return value is bool;
                case "null": return value == null;
                case "array": return value is IList;
                case "object": return value is IDictionary<string, object>;
                default: throw new NotSupportedException($"Unsupported JSON Schema type \"{kind}\".");
            }
        }

        static bool IsNumber(object value, out double number) =>
            Json.TryGetNumber(value, out number) && !double.IsNaN(number) && !double.IsInfinity(number);

        // The type name zod uses in its messages for a value it received.
        static string Kind(object value)
        {
            if (value == null)
                return "null";
            if (value == k_Absent)
                return "undefined";
            if (value is bool)
                return "boolean";
            if (Json.TryGetNumber(value, out var number))
                return IsNumber(value, out _) ? "number" : JsonNumber.Format(number);
            if (value is string)
                return "string";
            if (value is IList)
                return "array";
            if (value is IDictionary<string, object>)
                return "object";
            return value.GetType().Name;
        }

        // The type name zod uses in its messages for what a schema wants.
        static string Expected(IDictionary<string, object> schema, object value)
        {
            var type = schema["type"];
            var kind = type is string single ? single : Text(List(type, "type")[0], "type");
            if (kind == "integer")
                return IsNumber(value, out _) ? "int" : "number";
            if (kind == "object" && schema.ContainsKey("propertyNames"))
                return "record";
            if (kind == "array" && schema.ContainsKey("prefixItems"))
                return "tuple";
            return kind;
        }

        // JSON equality: true is not 1, 1.0 is 1, objects and arrays compare by content.
        static bool Same(object a, object b)
        {
            if (a is bool || b is bool)
                return Equals(a, b);
            if (IsNumber(a, out var x) && IsNumber(b, out var y))
                return x == y;
            if (a is string || b is string)
                return Equals(a, b);
            if (a is IList left && b is IList right)
                return left.Count == right.Count && Enumerable.Range(0, left.Count).All(i => Same(left[i], right[i]));
            if (a is IDictionary<string, object> l && b is IDictionary<string, object> r)
                return l.Count == r.Count && l.All(pair => r.TryGetValue(pair.Key, out var other) && Same(pair.Value, other));
            return a == null && b == null;
        }

        // How zod quotes a primitive in a message: JSON for strings, JavaScript's form for numbers.
        static string Quote(object value) => IsNumber(value, out var number) ? JsonNumber.Format(number) : Json.Stringify(value);

        static string Format(object number) => JsonNumber.Format(Number(number, "bound"));

        static object[] Append(object[] path, object key)
        {
            var longer = new object[path.Length + 1];
            path.CopyTo(longer, 0);
            longer[path.Length] = key;
            return longer;
        }
    }
}
