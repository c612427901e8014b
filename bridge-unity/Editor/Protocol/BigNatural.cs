// Non-negative integers of any size, with only what JsonNumber's exact conversions need: parse digits, multiply,
// shift, compare, and divide when the quotient fits in 64 bits. Written here because System.Numerics is not among
// the assemblies Unity references by default.
using System;

namespace Orfeas.Bridge.Protocol
{
    /// <summary>An immutable natural number in 32-bit limbs, least significant first.</summary>
    internal sealed class BigNatural
    {
        readonly uint[] m_Limbs; // no most-significant zero limbs: zero has none

        BigNatural(uint[] limbs, int length)
        {
            while (length > 0 && limbs[length - 1] == 0)
                length--;
            if (length != limbs.Length)
                Array.Resize(ref limbs, length);
            m_Limbs = limbs;
        }

        /// <summary>The number of bits up to the highest set one (0 for zero).</summary>
        internal int BitLength
        {
            get
            {
                if (m_Limbs.Length == 0)
                    return 0;
                var bits = (m_Limbs.Length - 1) * 32;
                for (var top = m_Limbs[m_Limbs.Length - 1]; top != 0; top >>= 1)
                    bits++;
                return bits;
            }
        }

        /// <summary><paramref name="value"/> as a natural number.</summary>
        internal static BigNatural From(ulong value) => new BigNatural(new[] { (uint)value, (uint)(value >> 32) }, 2);

        /// <summary>The value of a run of ASCII digits.</summary>
        internal static BigNatural Parse(string digits)
        {
            var limbs = new uint[digits.Length / 9 + 2];
            var length = 0;
            var first = digits.Length % 9 == 0 ? 9 : digits.Length % 9;
            for (var start = 0; start < digits.Length; start = start == 0 ? first : start + 9)
            {
                var end = start == 0 ? first : start + 9;
                uint chunk = 0, scale = 1;
                for (var i = start; i < end; i++)
                {
                    chunk = chunk * 10 + (uint)(digits[i] - '0');
                    scale *= 10;
                }
                MultiplyAdd(limbs, ref length, scale, chunk);
            }
            return new BigNatural(limbs, length);
        }

        /// <summary>10^0 … 10^(count−1).</summary>
        internal static BigNatural[] PowersOfTen(int count)
        {
            var powers = new BigNatural[count];
            var limbs = new uint[count / 9 + 2];
            var length = 0;
            MultiplyAdd(limbs, ref length, 1, 1);
            for (var i = 0; i < count; i++)
            {
                powers[i] = new BigNatural((uint[])limbs.Clone(), length);
                MultiplyAdd(limbs, ref length, 10, 0);
            }
            return powers;
        }

        /// <summary>The product of two naturals.</summary>
        public static BigNatural operator *(BigNatural a, BigNatural b)
        {
            var x = a.m_Limbs;
            var y = b.m_Limbs;
            var product = new uint[x.Length + y.Length];
            for (var i = 0; i < x.Length; i++)
            {
                ulong carry = 0;
                for (var j = 0; j < y.Length; j++)
                {
                    var sum = (ulong)x[i] * y[j] + product[i + j] + carry;
                    product[i + j] = (uint)sum;
                    carry = sum >> 32;
                }
                product[i + y.Length] = (uint)carry;
            }
            return new BigNatural(product, product.Length);
        }

        /// <summary>This number times 2^<paramref name="bits"/>.</summary>
        internal BigNatural ShiftLeft(int bits)
        {
            if (bits == 0 || m_Limbs.Length == 0)
                return this;
            var words = bits / 32;
            var rest = bits % 32;
            var shifted = new uint[m_Limbs.Length + words + 1];
            for (var i = 0; i < m_Limbs.Length; i++)
            {
                var wide = (ulong)m_Limbs[i] << rest;
                shifted[i + words] |= (uint)wide;
                shifted[i + words + 1] = (uint)(wide >> 32);
            }
            return new BigNatural(shifted, shifted.Length);
        }

        /// <summary>Negative, zero or positive as <paramref name="a"/> is below, equal to or above <paramref name="b"/>.</summary>
        internal static int Compare(BigNatural a, BigNatural b)
        {
            if (a.m_Limbs.Length != b.m_Limbs.Length)
                return a.m_Limbs.Length < b.m_Limbs.Length ? -1 : 1;
            for (var i = a.m_Limbs.Length - 1; i >= 0; i--)
            {
                if (a.m_Limbs[i] != b.m_Limbs[i])
                    return a.m_Limbs[i] < b.m_Limbs[i] ? -1 : 1;
            }
            return 0;
        }

        /// <summary>
        /// The quotient of this number by <paramref name="divisor"/> (non-zero), which must be below 2^64, and the
        /// remainder. Shift-and-subtract, in place: at most 64 steps.
        /// </summary>
        internal ulong DivRem(BigNatural divisor, out BigNatural remainder)
        {
            var shift = BitLength - divisor.BitLength;
            if (shift < 0)
            {
                remainder = this;
                return 0;
            }
            if (shift > 63)
                throw new InvalidOperationException("The quotient does not fit in 64 bits.");
            var rest = (uint[])m_Limbs.Clone();
            var part = new uint[rest.Length];
            var shifted = divisor.ShiftLeft(shift).m_Limbs;
            Array.Copy(shifted, part, shifted.Length);
            ulong quotient = 0;
            for (; shift >= 0; shift--)
            {
                if (Compare(rest, part) >= 0)
                {
                    long borrow = 0;
                    for (var i = 0; i < rest.Length; i++)
                    {
                        var value = (long)rest[i] - part[i] - borrow;
                        borrow = value < 0 ? 1 : 0;
                        rest[i] = (uint)(value + (borrow << 32));
                    }
                    quotient |= 1UL << shift;
                }
                for (var i = 0; i < part.Length; i++)
                    part[i] = (part[i] >> 1) | (i + 1 < part.Length ? part[i + 1] << 31 : 0);
            }
            remainder = new BigNatural(rest, rest.Length);
            return quotient;
        }

        // Compares limb arrays of the same length.
        static int Compare(uint[] a, uint[] b)
        {
            for (var i = a.Length - 1; i >= 0; i--)
            {
                if (a[i] != b[i])
                    return a[i] < b[i] ? -1 : 1;
            }
            return 0;
        }

        // limbs[0..length) = limbs × factor + addend, in place (limbs has room for the carry).
        static void MultiplyAdd(uint[] limbs, ref int length, uint factor, uint addend)
        {
            ulong carry = addend;
            for (var i = 0; i < length; i++)
            {
                var value = (ulong)limbs[i] * factor + carry;
                limbs[i] = (uint)value;
                carry = value >> 32;
            }
            if (carry != 0)
                limbs[length++] = (uint)carry;
        }
    }
}
