// A JSON object of the parsed model (Json.Parse): keys in the order JavaScript gives an object's own keys, so that
// Json.Stringify writes what JSON.stringify writes and the validator meets unknown keys in zod's order.
using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace Orfeas.Bridge.Protocol
{
    /// <summary>
    /// String keys to JSON values (<see cref="JsonObject"/>, <c>List&lt;object&gt;</c>, <see cref="string"/>,
    /// <see cref="double"/>, <see cref="bool"/>, <c>null</c>), enumerated as JavaScript orders keys: array
    /// indexes ("0", "42") first in ascending order, then the other keys in the order they were first added.
    /// Setting an existing key keeps its place, so a duplicate key in JSON text replaces the value, as
    /// <c>JSON.parse</c> does.
    /// </summary>
    public sealed class JsonObject : IDictionary<string, object>, IReadOnlyDictionary<string, object>
    {
        const uint k_MaxArrayIndex = 4294967294;
        readonly List<string> m_Keys = new List<string>();
        readonly Dictionary<string, object> m_Values = new Dictionary<string, object>(StringComparer.Ordinal);
        int m_IndexCount; // the first m_IndexCount keys are array indexes

        /// <summary>An empty object.</summary>
        public JsonObject()
        {
        }

        /// <summary>An object holding <paramref name="pairs"/>; a repeated key keeps its last value.</summary>
        public JsonObject(IEnumerable<KeyValuePair<string, object>> pairs)
        {
            foreach (var pair in pairs)
                this[pair.Key] = pair.Value;
        }

        /// <summary>The number of keys.</summary>
        public int Count => m_Keys.Count;

        /// <summary>The keys, in JavaScript's order (read-only view).</summary>
        public ICollection<string> Keys => m_Keys.AsReadOnly();

        /// <summary>The values, in the order of <see cref="Keys"/> (a snapshot).</summary>
        public ICollection<object> Values => m_Keys.Select(key => m_Values[key]).ToList().AsReadOnly();

        IEnumerable<string> IReadOnlyDictionary<string, object>.Keys => Keys;

        IEnumerable<object> IReadOnlyDictionary<string, object>.Values => Values;

        bool ICollection<KeyValuePair<string, object>>.IsReadOnly => false;

        /// <summary>The value of <paramref name="key"/>; setting a new key adds it in JavaScript's order.</summary>
        /// <exception cref="KeyNotFoundException">Getting a key that is absent.</exception>
        public object this[string key]
        {
            get => m_Values[key];
            set
            {
                if (!m_Values.ContainsKey(key ?? throw new ArgumentNullException(nameof(key))))
                    Insert(key);
                m_Values[key] = value;
            }
        }

        /// <summary>Adds a key that is not there yet.</summary>
        /// <exception cref="ArgumentException">The key is already there.</exception>
        public void Add(string key, object value)
        {
            if (m_Values.ContainsKey(key ?? throw new ArgumentNullException(nameof(key))))
                throw new ArgumentException($"The object already has a key \"{key}\".", nameof(key));
            this[key] = value;
        }

        /// <summary>Whether <paramref name="key"/> is present (with any value, null included).</summary>
        public bool ContainsKey(string key) => m_Values.ContainsKey(key);

        /// <summary>The value of <paramref name="key"/> when present.</summary>
        public bool TryGetValue(string key, out object value) => m_Values.TryGetValue(key, out value);

        /// <summary>Removes <paramref name="key"/>; false when it was not there.</summary>
        public bool Remove(string key)
        {
            if (!m_Values.Remove(key))
                return false;
            var index = m_Keys.IndexOf(key);
            m_Keys.RemoveAt(index);
            if (index < m_IndexCount)
                m_IndexCount--;
            return true;
        }

        /// <summary>Removes every key.</summary>
        public void Clear()
        {
            m_Keys.Clear();
            m_Values.Clear();
            m_IndexCount = 0;
        }

        /// <summary>The pairs in the order of <see cref="Keys"/>.</summary>
        public IEnumerator<KeyValuePair<string, object>> GetEnumerator()
        {
            foreach (var key in m_Keys)
                yield return new KeyValuePair<string, object>(key, m_Values[key]);
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        void ICollection<KeyValuePair<string, object>>.Add(KeyValuePair<string, object> item) => Add(item.Key, item.Value);

        bool ICollection<KeyValuePair<string, object>>.Contains(KeyValuePair<string, object> item) =>
            m_Values.TryGetValue(item.Key, out var value) && Equals(value, item.Value);

        bool ICollection<KeyValuePair<string, object>>.Remove(KeyValuePair<string, object> item) =>
            ((ICollection<KeyValuePair<string, object>>)this).Contains(item) && Remove(item.Key);

        void ICollection<KeyValuePair<string, object>>.CopyTo(KeyValuePair<string, object>[] array, int arrayIndex)
        {
            foreach (var pair in this)
                array[arrayIndex++] = pair;
        }

        void Insert(string key)
        {
            if (!IsArrayIndex(key, out var index))
            {
                m_Keys.Add(key);
                return;
            }
            int low = 0, high = m_IndexCount; // binary search among the index keys, which are sorted
            while (low < high)
            {
                var middle = (low + high) / 2;
                if (ParseIndex(m_Keys[middle]) < index)
                    low = middle + 1;
                else
                    high = middle;
            }
            m_Keys.Insert(low, key);
            m_IndexCount++;
        }

        // An array index is the canonical decimal form of an integer 0 … 2^32 − 2 ("0", "7", not "07" or "-1").
        static bool IsArrayIndex(string key, out uint index)
        {
            index = 0;
            if (key.Length == 0 || key.Length > 10 || (key[0] == '0' && key.Length > 1))
                return false;
            foreach (var c in key)
            {
                if (c < '0' || c > '9')
                    return false;
            }
            var value = ulong.Parse(key, NumberStyles.None, CultureInfo.InvariantCulture);
            if (value > k_MaxArrayIndex)
                return false;
            index = (uint)value;
            return true;
        }

        static uint ParseIndex(string key) => uint.Parse(key, NumberStyles.None, CultureInfo.InvariantCulture);
    }
}
