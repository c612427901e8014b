// The `pattern` keyword: a JavaScript regular expression (no flags) run as a .NET one with the same meaning, for
// SchemaValidator. Syntax whose meaning differs between the two is refused rather than guessed.
using System;
using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;

namespace Orfeas.Bridge.Protocol
{
    /// <summary>JavaScript patterns, translated once and cached (safe to use from any thread).</summary>
    internal static class SchemaPattern
    {
        // Unicode-aware classes and word bounds, .NET-only escapes (\A \Z \z \G \k \e \a mean plain letters in
        // JavaScript), named or inline-option groups, and JavaScript's empty classes [] and [^].
        static readonly Regex k_Unportable = new Regex(
            @"\\[dDwWsSbBpPAZzGkea]|\\u\{|\(\?[^:=!]|\[\^?\]", RegexOptions.CultureInvariant);
        static readonly ConcurrentDictionary<string, Regex> s_Compiled = new ConcurrentDictionary<string, Regex>(StringComparer.Ordinal);

        /// <summary>The .NET regex that matches what <c>new RegExp(pattern).test</c> matches.</summary>
        /// <exception cref="NotSupportedException">The pattern uses syntax this translation does not cover.</exception>
        internal static Regex Get(string pattern) => s_Compiled.GetOrAdd(pattern, Translate);

        static Regex Translate(string pattern)
        {
            if (k_Unportable.IsMatch(pattern))
                throw Unsupported(pattern);
            // JavaScript's `$` (no m flag) is the very end; .NET's also matches before a final newline, so it
            // becomes \z. `.` stops at all four JavaScript line terminators, not only at \n.
            var translated = new StringBuilder();
            var inClass = false;
            for (var i = 0; i < pattern.Length; i++)
            {
                var c = pattern[i];
                if (c == '\\')
                {
                    translated.Append(pattern, i, Math.Min(2, pattern.Length - i));
                    i++;
                    continue;
                }
                if (inClass)
                {
                    if (c == '-' && i + 1 < pattern.Length && pattern[i + 1] == '[')
                        throw Unsupported(pattern); // .NET reads -[…] as class subtraction
                    inClass = c != ']';
                    translated.Append(c);
                }
                else if (c == '[')
                {
                    inClass = true;
                    translated.Append(c);
                }
                else if (c == '$')
                {
                    translated.Append(@"\z");
                }
                else if (c == '.')
                {
                    translated.Append(@"[^\n\r\u2028\u2029]");
                }
                else
                {
                    translated.Append(c);
                }
            }
            try
            {
                return new Regex(translated.ToString(), RegexOptions.CultureInvariant);
            }
            catch (ArgumentException e)
            {
                throw new NotSupportedException($"Pattern /{pattern}/ is not a regular expression .NET reads: {e.Message}", e);
            }
        }

        static NotSupportedException Unsupported(string pattern) =>
            new NotSupportedException($"Pattern /{pattern}/ uses syntax whose meaning differs in .NET: update SchemaPattern.cs.");
    }
}
