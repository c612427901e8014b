// A tiny test runner for the console tests: groups register named tests in order, Run executes those of the chosen
// group and prints one line per test, then the counts. A failing test does not stop the others.
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;

namespace Orfeas.Bridge.Tests
{
    /// <summary>Collects tests (<see cref="Test"/>) and runs them (<see cref="Run"/>).</summary>
    /// <example><code>
    /// run.Test("json", "refuses NaN", () => Assert.Throws&lt;FormatException&gt;(() => Json.Parse("NaN")));
    /// </code></example>
    sealed class TestRun
    {
        readonly string m_Only;
        readonly List<Tuple<string, string, Action>> m_Tests = new List<Tuple<string, string, Action>>();

        /// <summary>A run of every group, or of <paramref name="only"/> that group when not null.</summary>
        public TestRun(string only)
        {
            m_Only = only;
        }

        /// <summary>Tests that passed in the last <see cref="Run"/>.</summary>
        public int Passed { get; private set; }

        /// <summary>Tests that failed in the last <see cref="Run"/>.</summary>
        public int Failed { get; private set; }

        /// <summary>
        /// Adds a test of <paramref name="group"/>: it passes when <paramref name="body"/> returns and fails when it
        /// throws (an <see cref="Assert"/> failure or any other exception). Tests run in the order they are added.
        /// </summary>
        public void Test(string group, string name, Action body)
        {
            m_Tests.Add(Tuple.Create(group, name, body ?? throw new ArgumentNullException(nameof(body))));
        }

        /// <summary>
        /// Runs the selected tests, writing <c>ok group: name</c> or <c>FAILED group: name: reason</c> per test and
        /// then <c>N passed, M failed</c>. Returns the process exit code: 1 when a test failed or none ran.
        /// </summary>
        public int Run(TextWriter output)
        {
            Passed = Failed = 0;
            foreach (var test in m_Tests.Where(t => m_Only == null || t.Item1 == m_Only))
            {
                try
                {
                    test.Item3();
                    Passed++;
                    output.WriteLine($"ok {test.Item1}: {test.Item2}");
                }
                catch (Exception e)
                {
                    Failed++;
                    output.WriteLine($"FAILED {test.Item1}: {test.Item2}: {Reason(e)}");
                }
                output.Flush();
            }
            if (Passed + Failed == 0)
            {
                var groups = string.Join(", ", m_Tests.Select(t => t.Item1).Distinct());
                output.WriteLine(m_Only == null ? "no tests registered" : $"no test in group \"{m_Only}\" (groups: {groups})");
            }
            output.WriteLine($"{Passed} passed, {Failed} failed");
            return Failed > 0 || Passed == 0 ? 1 : 0;
        }

        // One line: an assertion's sentence, else the innermost exception's type, message and place.
        static string Reason(Exception e)
        {
            while ((e is TargetInvocationException || e is AggregateException) && e.InnerException != null)
                e = e.InnerException;
            if (e is AssertionException)
                return OneLine(e.Message);
            var frame = e.StackTrace?.Split('\n').FirstOrDefault()?.Trim();
            return OneLine($"{e.GetType().Name}: {e.Message}{(frame != null ? $" ({frame})" : "")}");
        }

        static string OneLine(string text) => text.Replace("\r", "").Replace("\n", " | ");
    }
}
