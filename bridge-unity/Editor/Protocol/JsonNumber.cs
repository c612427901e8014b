// Numbers as JavaScript reads and writes them: decimal text to the nearest double (ties to even, too large to
// Infinity, -0 kept) and a double to the shortest text that reads back as it, laid out as Number#toString does.
// Done here in exact integer arithmetic (BigNatural) because Mono's double.Parse rounds some inputs wrongly and
// throws on 1e400, and ToString("R") is neither the shortest form nor JavaScript's layout.
using System;
using System.Globalization;

namespace Orfeas.Bridge.Protocol
{
    /// <summary>Exact conversions between decimal text and <see cref="double"/>, as in ECMAScript.</summary>
    internal static class JsonNumber
    {
        // A double's rounding boundaries have at most 767 significant digits: past this many, only "something
        // non-zero follows" matters, which one extra digit 1 keeps.
        const int k_MaxDigits = 800;
        const long k_Hidden = 1L << 52;
        const double k_TwoTo53 = 9007199254740992d;
        // 10^0 … 10^349: every power that formatting a double needs; parsing may need more (Pow10 multiplies).
        static readonly BigNatural[] k_Powers = BigNatural.PowersOfTen(350);
        static readonly ulong[] k_UlongPowers =
        {
            1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000, 10000000000, 100000000000,
            1000000000000, 10000000000000, 100000000000000, 1000000000000000, 10000000000000000, 100000000000000000,
        };
        static readonly double[] k_ExactPowers =
        {
            1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
            1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
        };

        /// <summary>
        /// The double nearest to ±<paramref name="digits"/> × 10^<paramref name="exponent"/>, where
        /// <paramref name="digits"/> is a run of ASCII digits (empty or all zeros for zero).
        /// </summary>
        internal static double FromDecimal(bool negative, string digits, long exponent)
        {
            var start = 0;
            while (start < digits.Length && digits[start] == '0')
                start++;
            var end = digits.Length;
            while (end > start && digits[end - 1] == '0')
            {
                end--;
                exponent++;
            }
            var magnitude = end == start ? 0d : Magnitude(digits.Substring(start, end - start), exponent);
            return negative ? -magnitude : magnitude;
        }

        /// <summary>What JavaScript's <c>String(value)</c> gives: shortest round-trip digits, 1e21 and up as exponents.</summary>
        internal static string Format(double value)
        {
            if (double.IsNaN(value))
                return "NaN";
            if (double.IsInfinity(value))
                return value > 0 ? "Infinity" : "-Infinity";
            if (value == 0)
                return "0"; // -0 too
            if (value < 0)
                return "-" + Format(-value);
            if (value < k_TwoTo53 && value == Math.Floor(value))
                return ((long)value).ToString(CultureInfo.InvariantCulture);
            Shortest(value, out var digits, out var point);
            return Layout(digits, point);
        }

        // `digits` has neither leading nor trailing zeros.
        static double Magnitude(string digits, long exponent)
        {
            var point = digits.Length + exponent; // the value lies in [10^(point-1), 10^point)
            if (point > 310)
                return double.PositiveInfinity;
            if (point < -324)
                return 0d;
            if (digits.Length <= 15 && exponent >= -22 && exponent <= 22)
            {
                // Both operands are exact, and one IEEE operation rounds correctly (Clinger's fast path).
                double exact = long.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
                return exponent >= 0 ? exact * k_ExactPowers[exponent] : exact / k_ExactPowers[-exponent];
            }
            if (digits.Length > k_MaxDigits)
            {
                exponent += digits.Length - k_MaxDigits - 1;
                digits = digits.Substring(0, k_MaxDigits) + "1";
            }
            var numerator = BigNatural.Parse(digits);
            var denominator = BigNatural.From(1);
            if (exponent >= 0)
                numerator *= Pow10((int)exponent);
            else
                denominator = Pow10((int)-exponent);

            // Find e2 with 2^52 <= value / 2^e2 < 2^53 (or the subnormal scale), then round the quotient.
            var e2 = Math.Max(numerator.BitLength - denominator.BitLength - 53, -1074);
            ulong quotient;
            BigNatural remainder, divisor;
            while (true)
            {
                divisor = e2 >= 0 ? denominator.ShiftLeft(e2) : denominator;
                quotient = (e2 >= 0 ? numerator : numerator.ShiftLeft(-e2)).DivRem(divisor, out remainder);
                if (quotient >= 1UL << 53)
                    e2++;
                else if (quotient < 1UL << 52 && e2 > -1074)
                    e2--;
                else
                    break;
            }
            var half = BigNatural.Compare(remainder.ShiftLeft(1), divisor);
            if (half > 0 || (half == 0 && (quotient & 1) == 1))
                quotient++;
            if (quotient == 1UL << 53)
            {
                quotient = 1UL << 52;
                e2++;
            }
            if (e2 > 971)
                return double.PositiveInfinity;
            // Normal: the biased exponent e2 + 1075 above a hidden bit; subnormal (e2 = -1074): the bits themselves.
            return BitConverter.Int64BitsToDouble((long)quotient + ((long)(e2 + 1074) << 52));
        }

        // The fewest digits that read back as `value` (> 0) and, among those, the closest: ECMA-262 Number::toString.
        static void Shortest(double value, out string digits, out int point)
        {
            var bits = BitConverter.DoubleToInt64Bits(value);
            var biased = (int)(bits >> 52) & 0x7FF;
            var fraction = bits & (k_Hidden - 1);
            var mantissa = biased == 0 ? fraction : fraction | k_Hidden;
            var unit = (biased == 0 ? -1074 : biased - 1075) - 2; // value = 4·mantissa × 2^unit
            // The values that round to `value`, in units of 2^unit; the boundaries belong to it when mantissa is even.
            var exact = BigNatural.From((ulong)(4 * mantissa));
            var high = BigNatural.From((ulong)(4 * mantissa + 2));
            var low = BigNatural.From((ulong)(mantissa == k_Hidden && biased > 1 ? 4 * mantissa - 1 : 4 * mantissa - 2)); // the gap below a power of two is half
            var inclusive = (mantissa & 1) == 0;

            point = (int)Math.Floor(Math.Log10(value)) + 1;
            var one = BigNatural.From(1);
            while (Compare(one, point - 1, exact, unit) > 0)
                point--;
            while (Compare(one, point, exact, unit) <= 0)
                point++;

            // The 17 leading digits, cut down for shorter candidates: floor(floor(x / 10^s) / 10^t) = floor(x / 10^(s+t)).
            var numerator = exact.ShiftLeft(Math.Max(unit, 0)) * Pow10(Math.Max(17 - point, 0));
            var leading = numerator.DivRem(Pow10(Math.Max(point - 17, 0)).ShiftLeft(Math.Max(-unit, 0)), out _);
            for (var count = 1; ; count++)
            {
                // A candidate c × 10^scale has `count` digits. Compare c·a with x·b, for x in units of 2^unit.
                var scale = point - count;
                var a = Pow10(Math.Max(scale, 0)).ShiftLeft(Math.Max(-unit, 0));
                var b = Pow10(Math.Max(-scale, 0)).ShiftLeft(Math.Max(unit, 0));
                var lowB = low * b;
                var highB = high * b;
                var below = leading / k_UlongPowers[17 - count];
                var above = below + 1;
                var belowFits = Inside(BigNatural.From(below) * a, lowB, highB, inclusive);
                var aboveFits = Inside(BigNatural.From(above) * a, lowB, highB, inclusive);
                if (!belowFits && !aboveFits)
                    continue;
                ulong chosen;
                if (belowFits && aboveFits)
                {
                    // The closer one: is the midpoint between them above the value?
                    var side = BigNatural.Compare(BigNatural.From(2 * below + 1) * a, (exact * b).ShiftLeft(1));
                    chosen = side > 0 || (side == 0 && (below & 1) == 0) ? below : above;
                }
                else
                {
                    chosen = belowFits ? below : above;
                }
                digits = chosen.ToString(CultureInfo.InvariantCulture);
                if (digits.Length > count)
                    point++; // 999… rounded up to 1000…
                digits = digits.TrimEnd('0');
                return;
            }
        }

        static bool Inside(BigNatural candidate, BigNatural low, BigNatural high, bool inclusive)
        {
            var fromLow = BigNatural.Compare(candidate, low);
            var fromHigh = BigNatural.Compare(candidate, high);
            return inclusive ? fromLow >= 0 && fromHigh <= 0 : fromLow > 0 && fromHigh < 0;
        }

        // Sign of c × 10^p10 − x × 2^p2, exactly.
        static int Compare(BigNatural c, int p10, BigNatural x, int p2)
        {
            if (p10 >= 0)
                c *= Pow10(p10);
            else
                x *= Pow10(-p10);
            return p2 >= 0 ? BigNatural.Compare(c, x.ShiftLeft(p2)) : BigNatural.Compare(c.ShiftLeft(-p2), x);
        }

        static BigNatural Pow10(int exponent)
        {
            if (exponent < k_Powers.Length)
                return k_Powers[exponent];
            var power = k_Powers[k_Powers.Length - 1];
            for (var left = exponent - (k_Powers.Length - 1); left > 0; left -= Math.Min(left, k_Powers.Length - 1))
                power *= k_Powers[Math.Min(left, k_Powers.Length - 1)];
            return power;
        }

        // ECMA-262 Number::toString for digits d1…dk and the decimal point after `point` of them.
        static string Layout(string digits, int point)
        {
            var count = digits.Length;
            if (count <= point && point <= 21)
                return digits + new string('0', point - count);
            if (0 < point && point <= 21)
                return digits.Substring(0, point) + "." + digits.Substring(point);
            if (-6 < point && point <= 0)
                return "0." + new string('0', -point) + digits;
            var exponent = point - 1;
            var mark = exponent < 0 ? "e-" : "e+";
            var mantissa = count == 1 ? digits : digits.Substring(0, 1) + "." + digits.Substring(1);
            return mantissa + mark + Math.Abs(exponent).ToString(CultureInfo.InvariantCulture);
        }
    }
}
