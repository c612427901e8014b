// Reading the keywords of one schema for SchemaValidator: which keywords exist, and each one's value in the form
// it must have. Anything unknown or malformed throws, so that a schema change cannot pass unchecked.
using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;

namespace Orfeas.Bridge.Protocol
{
    /// <summary>The keyword vocabulary of <see cref="SchemaValidator"/>.</summary>
    internal static class SchemaKeywords
    {
        // Every keyword this validator knows. Anything else throws: a schema change must not pass unchecked.
        internal static readonly HashSet<string> k_Keywords = new HashSet<string>(StringComparer.Ordinal)
        {
            "$schema", "$comment", "title", "description", "default",
            "type", "const", "enum", "anyOf", "oneOf",
            "minLength", "maxLength", "pattern",
            "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
            "items", "prefixItems", "minItems", "maxItems",
            "properties", "required", "additionalProperties", "propertyNames",
            "x-orfeas-decreasing", "x-orfeas-exactlyOne", "x-orfeas-field", "x-orfeas-message",
        };
        static readonly IDictionary<string, object> k_NoProperties = new JsonObject();

        /// <summary>A schema that is not a boolean: its keywords.</summary>
        internal static IDictionary<string, object> AsSchema(object schema) =>
            schema as IDictionary<string, object>
            ?? throw new NotSupportedException($"A schema must be an object or a boolean, not {(schema == null ? "null" : schema.GetType().Name)}.");

        /// <summary>Throws when <paramref name="schema"/> has a keyword outside <see cref="k_Keywords"/>.</summary>
        internal static void RefuseUnknown(IDictionary<string, object> schema)
        {
            var unknown = schema.Keys.Where(key => !k_Keywords.Contains(key)).OrderBy(key => key, StringComparer.Ordinal).ToList();
            if (unknown.Count > 0)
                throw new NotSupportedException($"Unsupported JSON Schema keyword(s) {string.Join(", ", unknown)}: update SchemaValidator.cs.");
        }

        /// <summary><c>properties</c>, in declaration order; empty when absent.</summary>
        internal static IDictionary<string, object> Properties(IDictionary<string, object> schema) =>
            schema.TryGetValue("properties", out var properties)
                ? properties as IDictionary<string, object> ?? throw Malformed("properties")
                : k_NoProperties;

        /// <summary>A keyword whose value is an array.</summary>
        internal static IList List(object value, string keyword) => value as IList ?? throw Malformed(keyword);

        /// <summary>A keyword whose value is a string.</summary>
        internal static string Text(object value, string keyword) => value as string ?? throw Malformed(keyword);

        /// <summary>A keyword whose value is a finite number.</summary>
        internal static double Number(object value, string keyword) =>
            Json.TryGetNumber(value, out var number) && !double.IsNaN(number) && !double.IsInfinity(number) ? number : throw Malformed(keyword);

        /// <summary>The schema's own sentence (<c>x-orfeas-message</c>), else <paramref name="fallback"/>.</summary>
        internal static string Message(IDictionary<string, object> schema, string fallback) =>
            schema.TryGetValue("x-orfeas-message", out var message) ? Text(message, "x-orfeas-message") : fallback;

        static NotSupportedException Malformed(string keyword) =>
            new NotSupportedException($"The schema's \"{keyword}\" has a form this validator does not read: update SchemaValidator.cs.");
    }
}
