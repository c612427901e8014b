// The plain model to compact JSON text, as JavaScript's JSON.stringify writes the same values: no spaces, numbers
// in Number#toString's shortest form (256, not 256.0), and only ", \, control characters and lone surrogates escaped.
using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace Orfeas.Bridge.Protocol
{
    /// <summary>Writes JSON text; use <see cref="Json.Stringify"/>.</summary>
    internal static class JsonWriter
    {
        // Deeper than any message; also how a container that holds itself is caught.
        const int k_MaxDepth = 512;

        /// <summary>The JSON text of <paramref name="value"/>.</summary>
        internal static string Write(object value)
        {
            var text = new StringBuilder();
            Append(text, value, 0);
            return text.ToString();
        }

        static void Append(StringBuilder text, object value, int depth)
        {
            if (value == null)
            {
                text.Append("null");
                return;
            }
            var s = value as string;
            if (s != null)
            {
                AppendString(text, s);
                return;
            }
            if (value is bool b)
            {
                text.Append(b ? "true" : "false");
                return;
            }
            if (Json.TryGetNumber(value, out var number))
            {
                if (double.IsNaN(number) || double.IsInfinity(number))
                    throw new ArgumentException($"{JsonNumber.Format(number)} has no JSON form (JSON.stringify would write null).");
                text.Append(JsonNumber.Format(number));
                return;
            }
            if (depth >= k_MaxDepth)
                throw new ArgumentException($"The value is nested more than {k_MaxDepth} levels deep, or contains itself.");
            var map = value as IDictionary<string, object>;
            if (map != null)
            {
                text.Append('{');
                var first = true;
                foreach (var pair in map)
                {
                    if (!first)
                        text.Append(',');
                    first = false;
                    AppendString(text, pair.Key);
                    text.Append(':');
                    Append(text, pair.Value, depth + 1);
                }
                text.Append('}');
                return;
            }
            var list = value as IList;
            if (list != null)
            {
                text.Append('[');
                for (var i = 0; i < list.Count; i++)
                {
                    if (i > 0)
                        text.Append(',');
                    Append(text, list[i], depth + 1);
                }
                text.Append(']');
                return;
            }
            throw new ArgumentException(
                $"A {value.GetType().Name} has no JSON form: use IDictionary<string, object>, a list, string, number, bool or null.");
        }

        /// <summary>A JSON string literal of <paramref name="value"/>, escaped as JSON.stringify escapes it.</summary>
        internal static void AppendString(StringBuilder text, string value)
        {
            text.Append('"');
            var run = 0;
            for (var i = 0; i < value.Length; i++)
            {
                var c = value[i];
                string escape;
                switch (c)
                {
                    case '"': escape = "\\\""; break;
                    case '\\': escape = "\\\\"; break;
                    case '\b': escape = "\\b"; break;
                    case '\f': escape = "\\f"; break;
                    case '\n': escape = "\\n"; break;
                    case '\r': escape = "\\r"; break;
                    case '\t': escape = "\\t"; break;
                    default:
                        if (c < ' ')
                        {
                            escape = UnicodeEscape(c);
                        }
                        else if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
                        {
                            i++; // a well-formed pair is written as it is
                            continue;
                        }
                        else if (char.IsSurrogate(c))
                        {
                            escape = UnicodeEscape(c); // a lone surrogate has no UTF-8 form
                        }
                        else
                        {
                            continue;
                        }
                        break;
                }
                text.Append(value, run, i - run).Append(escape);
                run = i + 1;
            }
            text.Append(value, run, value.Length - run).Append('"');
        }

        static string UnicodeEscape(char c) => "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture);
    }
}
