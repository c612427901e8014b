// JSON text to the plain model, exactly as JavaScript's JSON.parse reads it (RFC 8259): only space, tab, CR and LF
// between tokens (no BOM), no NaN, Infinity, comments, single quotes or trailing commas; \u escapes may leave lone
// surrogates. It keeps its own stack instead of recursing, so deep nesting cannot overflow the thread's stack.
using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace Orfeas.Bridge.Protocol
{
    /// <summary>One pass over one JSON text; use <see cref="Json.Parse"/>.</summary>
    internal sealed class JsonParser
    {
        const long k_ExponentCap = 1000000000; // far past any double; keeps the exponent from overflowing
        readonly string m_Text;
        int m_Position;

        JsonParser(string text)
        {
            m_Text = text;
        }

        /// <summary>The value of <paramref name="text"/>; <see cref="FormatException"/> when it is not JSON.</summary>
        internal static object Parse(string text)
        {
            var parser = new JsonParser(text);
            var value = parser.ParseValue();
            parser.SkipWhitespace();
            if (parser.m_Position < text.Length)
                throw parser.Error("unexpected text after the JSON value");
            return value;
        }

        object ParseValue()
        {
            // Open containers, innermost last; for an object, the key its next value belongs to.
            var containers = new Stack<object>();
            var keys = new Stack<string>();
            while (true)
            {
                object value;
                SkipWhitespace();
                var c = Peek();
                if (c == '{' || c == '[')
                {
                    m_Position++;
                    SkipWhitespace();
                    var empty = Peek() == (c == '{' ? '}' : ']');
                    if (empty)
                    {
                        m_Position++;
                        value = c == '{' ? (object)new JsonObject() : new List<object>();
                    }
                    else
                    {
                        if (c == '{')
                        {
                            containers.Push(new JsonObject());
                            keys.Push(ParseKey());
                        }
                        else
                        {
                            containers.Push(new List<object>());
                        }
                        continue;
                    }
                }
                else
                {
                    value = ParseScalar(c);
                }

                // Hand the value to its container; close every container that ends here.
                while (true)
                {
                    if (containers.Count == 0)
                        return value;
                    var container = containers.Peek();
                    var list = container as List<object>;
                    if (list != null)
                        list.Add(value);
                    else
                        ((JsonObject)container)[keys.Pop()] = value;
                    SkipWhitespace();
                    var next = Peek();
                    if (next == ',')
                    {
                        m_Position++;
                        if (list == null)
                            keys.Push(ParseKey());
                        break;
                    }
                    if (next != (list != null ? ']' : '}'))
                        throw Error(list != null ? "expected ',' or ']'" : "expected ',' or '}'");
                    m_Position++;
                    value = containers.Pop();
                }
            }
        }

        string ParseKey()
        {
            SkipWhitespace();
            if (Peek() != '"')
                throw Error("expected a string key");
            var key = ParseString();
            SkipWhitespace();
            if (Peek() != ':')
                throw Error("expected ':'");
            m_Position++;
            return key;
        }

        object ParseScalar(char c)
        {
            switch (c)
            {
                case '"':
                    return ParseString();
                case 't':
                    Literal("true");
                    return true;
                case 'f':
                    Literal("false");
                    return false;
                case 'n':
                    Literal("null");
                    return null;
                default:
                    if (c == '-' || (c >= '0' && c <= '9'))
                        return ParseNumber();
                    throw Error(m_Position < m_Text.Length ? "unexpected character" : "unexpected end of the text");
            }
        }

        void Literal(string word)
        {
            if (string.CompareOrdinal(m_Text, m_Position, word, 0, word.Length) != 0)
                throw Error("unexpected character");
            m_Position += word.Length;
        }

        string ParseString()
        {
            m_Position++; // the opening quote
            StringBuilder built = null;
            var run = m_Position;
            while (true)
            {
                if (m_Position >= m_Text.Length)
                    throw Error("unterminated string");
                var c = m_Text[m_Position];
                if (c == '"')
                {
                    var tail = m_Text.Substring(run, m_Position - run);
                    m_Position++;
                    return built == null ? tail : built.Append(tail).ToString();
                }
                if (c < ' ')
                    throw Error("control character in a string (write it as an escape)");
                if (c != '\\')
                {
                    m_Position++;
                    continue;
                }
                if (built == null)
                    built = new StringBuilder();
                built.Append(m_Text, run, m_Position - run);
                m_Position++;
                built.Append(Escape());
                run = m_Position;
            }
        }

        char Escape()
        {
            if (m_Position >= m_Text.Length)
                throw Error("unterminated string");
            var c = m_Text[m_Position++];
            switch (c)
            {
                case '"': return '"';
                case '\\': return '\\';
                case '/': return '/';
                case 'b': return '\b';
                case 'f': return '\f';
                case 'n': return '\n';
                case 'r': return '\r';
                case 't': return '\t';
                case 'u':
                    var unit = 0;
                    for (var i = 0; i < 4; i++, m_Position++)
                    {
                        var digit = m_Position < m_Text.Length ? HexValue(m_Text[m_Position]) : -1;
                        if (digit < 0)
                            throw Error("\\u needs four hex digits");
                        unit = unit * 16 + digit;
                    }
                    return (char)unit; // a lone surrogate is kept, as JavaScript keeps it
                default:
                    m_Position--;
                    throw Error("invalid escape");
            }
        }

        static int HexValue(char c)
        {
            if (c >= '0' && c <= '9')
                return c - '0';
            if (c >= 'a' && c <= 'f')
                return c - 'a' + 10;
            if (c >= 'A' && c <= 'F')
                return c - 'A' + 10;
            return -1;
        }

        // -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
        double ParseNumber()
        {
            var negative = Peek() == '-';
            if (negative)
                m_Position++;
            var integerStart = m_Position;
            if (Peek() == '0')
                m_Position++;
            else if (!Digits())
                throw Error("expected a digit");
            var digits = m_Text.Substring(integerStart, m_Position - integerStart);
            long exponent = 0;
            if (Peek() == '.')
            {
                m_Position++;
                var fractionStart = m_Position;
                if (!Digits())
                    throw Error("expected a digit after the decimal point");
                digits += m_Text.Substring(fractionStart, m_Position - fractionStart);
                exponent = fractionStart - m_Position;
            }
            var e = Peek();
            if (e == 'e' || e == 'E')
            {
                m_Position++;
                var sign = Peek();
                if (sign == '+' || sign == '-')
                    m_Position++;
                var exponentStart = m_Position;
                if (!Digits())
                    throw Error("expected a digit in the exponent");
                long written = 0;
                for (var i = exponentStart; i < m_Position && written < k_ExponentCap; i++)
                    written = written * 10 + (m_Text[i] - '0');
                exponent += sign == '-' ? -written : written;
            }
            return JsonNumber.FromDecimal(negative, digits, exponent);
        }

        bool Digits()
        {
            var start = m_Position;
            while (m_Position < m_Text.Length && m_Text[m_Position] >= '0' && m_Text[m_Position] <= '9')
                m_Position++;
            return m_Position > start;
        }

        void SkipWhitespace()
        {
            while (m_Position < m_Text.Length)
            {
                var c = m_Text[m_Position];
                if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
                    return;
                m_Position++;
            }
        }

        char Peek() => m_Position < m_Text.Length ? m_Text[m_Position] : '\0';

        FormatException Error(string what)
        {
            var found = m_Position < m_Text.Length
                ? $"'{m_Text[m_Position]}' (U+{(int)m_Text[m_Position]:X4})"
                : "the end of the text";
            return new FormatException(string.Format(
                CultureInfo.InvariantCulture, "Not valid JSON: {0} at character {1}, found {2}.", what, m_Position, found));
        }
    }
}
