// One finding of SchemaValidator, shaped like a zod issue: the first one is the one the daemon reports.
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace Orfeas.Bridge.Protocol
{
    /// <summary>One problem of a value: where (keys and indexes), what (zod's wording), and whether zod aborts on it.</summary>
    public sealed class Issue
    {
        /// <summary>An issue at <paramref name="path"/>.</summary>
        /// <param name="path">Object keys (<see cref="string"/>) and array indexes (<see cref="int"/>) from the root.</param>
        /// <param name="message">zod's sentence, e.g. <c>Too big: expected number to be &lt;=1024</c>.</param>
        /// <param name="hard">True when zod stops checking the value's own rules after it (a wrong type, a missing key).</param>
        public Issue(IReadOnlyList<object> path, string message, bool hard = false)
        {
            Path = path;
            Message = message;
            Hard = hard;
        }

        /// <summary>Object keys (<see cref="string"/>) and array indexes (<see cref="int"/>) from the root to the value.</summary>
        public IReadOnlyList<object> Path { get; }

        /// <summary>zod's sentence for the problem.</summary>
        public string Message { get; }

        /// <summary>True when zod aborts on it: a wrong type, a missing key, a value outside a const or enum.</summary>
        public bool Hard { get; }

        /// <summary>The path joined with dots (<c>options.formats.1</c>); empty for the value itself.</summary>
        public string Field => string.Join(".", Path.Select(key => string.Format(CultureInfo.InvariantCulture, "{0}", key)));

        /// <summary>The field and the message, for logs.</summary>
        public override string ToString() => $"{Field}: {Message}{(Hard ? " (hard)" : "")}";
    }
}
