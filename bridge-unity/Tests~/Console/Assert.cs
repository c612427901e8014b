// The checks a test body makes; each throws AssertionException with a sentence naming what was checked.
using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Orfeas.Bridge.Protocol;

namespace Orfeas.Bridge.Tests
{
    /// <summary>Assertions for <see cref="TestRun"/> bodies.</summary>
    static class Assert
    {
        /// <summary>
        /// <paramref name="expected"/> equals <paramref name="actual"/> as JSON values: numbers of any .NET type by
        /// value (true is not 1), strings exactly, dictionaries by keys and values in any order, lists item by item;
        /// other objects with <see cref="object.Equals(object, object)"/>.
        /// </summary>
        /// <param name="what">What is compared, for the failure message.</param>
        public static void Equal(object expected, object actual, string what)
        {
            if (!Same(expected, actual))
                throw new AssertionException($"{what}: expected {Show(expected)}, got {Show(actual)}");
        }

        /// <summary><paramref name="condition"/> holds.</summary>
        /// <param name="what">What should be true, for the failure message.</param>
        public static void True(bool condition, string what)
        {
            if (!condition)
                throw new AssertionException(what);
        }

        /// <summary><paramref name="condition"/> does not hold.</summary>
        /// <param name="what">What should be false, for the failure message.</param>
        public static void False(bool condition, string what)
        {
            if (condition)
                throw new AssertionException($"not expected: {what}");
        }

        /// <summary><paramref name="body"/> throws a <typeparamref name="T"/> (or a subclass), which is returned.</summary>
        /// <param name="what">What is tried, for the failure message.</param>
        public static T Throws<T>(Action body, string what = null) where T : Exception
        {
            try
            {
                body();
            }
            catch (T expected)
            {
                return expected;
            }
            catch (Exception other)
            {
                throw new AssertionException($"{what ?? "the call"}: expected {typeof(T).Name}, got {other.GetType().Name}: {other.Message}");
            }
            throw new AssertionException($"{what ?? "the call"}: expected {typeof(T).Name}, nothing was thrown");
        }

        /// <summary>Fails at once with <paramref name="what"/>.</summary>
        public static void Fail(string what) => throw new AssertionException(what);

        static bool Same(object a, object b)
        {
            if (a is bool || b is bool)
                return Equals(a, b);
            if (a != null && b != null && a.GetType() == b.GetType() && a.GetType().IsPrimitive)
                return Equals(a, b); // exact for long and ulong; NaN equals NaN
            if (IsNumber(a, out var x) && IsNumber(b, out var y))
                return x.Equals(y); // across types, as JSON has one number type
            if (a is string || b is string)
                return Equals(a, b);
            if (a is IDictionary<string, object> left && b is IDictionary<string, object> right)
                return left.Count == right.Count && left.All(pair => right.TryGetValue(pair.Key, out var other) && Same(pair.Value, other));
            if (a is IList l && b is IList r)
                return l.Count == r.Count && Enumerable.Range(0, l.Count).All(i => Same(l[i], r[i]));
            return Equals(a, b);
        }

        static bool IsNumber(object value, out double number)
        {
            var numeric = value is double || value is float || value is decimal || value is int || value is long || value is short
                || value is byte || value is sbyte || value is uint || value is ulong || value is ushort;
            number = numeric ? Convert.ToDouble(value, CultureInfo.InvariantCulture) : 0;
            return numeric;
        }

        static string Show(object value)
        {
            try
            {
                return Json.Stringify(value);
            }
            catch (ArgumentException)
            {
                return value is double d ? d.ToString("R", CultureInfo.InvariantCulture) : value.ToString();
            }
        }
    }
}
