// The failure of an Assert check: TestRun reports its message alone, without the exception's type.
using System;

namespace Orfeas.Bridge.Tests
{
    /// <summary>A check that did not hold; the message says what was expected and what came.</summary>
    sealed class AssertionException : Exception
    {
        /// <summary>A failed check described by <paramref name="message"/>.</summary>
        public AssertionException(string message)
            : base(message)
        {
        }
    }
}
