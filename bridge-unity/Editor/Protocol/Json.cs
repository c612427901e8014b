// JSON as JavaScript reads and writes it, for the protocol's text frames and frame headers: Parse is JSON.parse,
// Stringify is JSON.stringify without indentation. The model is plain objects (see JsonObject).
using System;

namespace Orfeas.Bridge.Protocol
{
    /// <summary>
    /// Strict JSON (RFC 8259) with JavaScript's semantics. Parsed values are <see cref="JsonObject"/> for objects,
    /// <c>List&lt;object&gt;</c> for arrays, <see cref="string"/>, <see cref="double"/> for every number,
    /// <see cref="bool"/> and <c>null</c>.
    /// </summary>
    /// <example><code>
    /// var message = (IDictionary&lt;string, object&gt;)Json.Parse("{\"type\":\"ping\",\"id\":\"7\"}");
    /// var text = Json.Stringify(message); // {"type":"ping","id":"7"}
    /// </code></example>
    public static class Json
    {
        /// <summary>
        /// The value of <paramref name="text"/>, as <c>JSON.parse</c> gives it: no NaN, Infinity, comments, single
        /// quotes, trailing commas or byte order mark; a repeated key keeps its last value; a number too large for a
        /// double is Infinity; <c>\u</c> escapes may give lone surrogates.
        /// </summary>
        /// <exception cref="FormatException"><paramref name="text"/> is not one JSON value.</exception>
        public static object Parse(string text)
        {
            if (text == null)
                throw new ArgumentNullException(nameof(text));
            return JsonParser.Parse(text);
        }

        /// <summary>
        /// The compact JSON text of <paramref name="value"/>, character for character what <c>JSON.stringify</c>
        /// writes for the same value. Accepts the parsed model and what callers build by hand: any
        /// <c>IDictionary&lt;string, object&gt;</c> (written in its enumeration order), any <c>IList</c>, strings,
        /// booleans, null and the .NET numeric types.
        /// </summary>
        /// <exception cref="ArgumentException">
        /// A value with no JSON form: NaN or an infinity (refused where JSON.stringify writes null, as the Blender
        /// bridge refuses it), another type, or nesting past 512 levels (a container that holds itself).
        /// </exception>
        public static string Stringify(object value) => JsonWriter.Write(value);

        /// <summary>Whether <paramref name="value"/> is a .NET number (never a bool), and its value as a double.</summary>
        internal static bool TryGetNumber(object value, out double number)
        {
            // if-chains, not `case double d:`: mcs (Mono 6.8) cannot compile type patterns in a switch.
            if (value is double d)
                number = d;
            else if (value is int i)
                number = i;
            else if (value is long l)
                number = l;
            else if (value is float f)
                number = f;
            else if (value is short s)
                number = s;
            else if (value is byte b)
                number = b;
            else if (value is sbyte sb)
                number = sb;
            else if (value is ushort us)
                number = us;
            else if (value is uint ui)
                number = ui;
            else if (value is ulong ul)
                number = ul;
            else if (value is decimal m)
                number = (double)m;
            else
            {
                number = 0;
                return false;
            }
            return true;
        }
    }
}
