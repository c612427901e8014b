// Protocol v1 messages checked exactly as the daemon checks them (daemon/src/protocol/parse.ts), from the JSON
// Schema that `npm run schema` writes into ProtocolSchema.g.cs; SchemaValidator judges it as zod does. The port of
// bridge-blender/orfeas_bridge/client/schema.py.
using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Threading;

namespace Orfeas.Bridge.Protocol
{
    /// <summary>Validation of client → daemon and daemon → client messages, and the schema's facts (types, defaults).</summary>
    public static class ProtocolMessages
    {
        const int k_TypeShown = 64; // parse.ts shows at most this many UTF-16 units of an unknown type
        static readonly Lazy<JsonObject> s_Document = new Lazy<JsonObject>(Load, LazyThreadSafetyMode.ExecutionAndPublication);
        static readonly Lazy<IReadOnlyList<string>> s_ClientTypes =
            new Lazy<IReadOnlyList<string>>(() => Side("client").Keys.ToList().AsReadOnly(), LazyThreadSafetyMode.ExecutionAndPublication);
        static readonly Lazy<IReadOnlyList<string>> s_DaemonTypes =
            new Lazy<IReadOnlyList<string>>(() => Side("daemon").Keys.ToList().AsReadOnly(), LazyThreadSafetyMode.ExecutionAndPublication);

        /// <summary>The protocol version these schemas describe (1).</summary>
        public static int ProtocolVersion => (int)(double)Document["protocol"];

        /// <summary>The largest binary frame header in bytes (65536).</summary>
        public static int MaxHeaderBytes => (int)(double)Document["maxHeaderBytes"];

        /// <summary>The request types a client may send, in the daemon's declaration order.</summary>
        public static IReadOnlyList<string> ClientTypes => s_ClientTypes.Value;

        /// <summary>The message types the daemon may send, in the daemon's declaration order.</summary>
        public static IReadOnlyList<string> DaemonTypes => s_DaemonTypes.Value;

        /// <summary>
        /// The parsed schema document (shared: do not modify). Read and checked once, on first use, from any thread;
        /// <see cref="NotSupportedException"/> when it uses a keyword SchemaValidator lacks.
        /// </summary>
        internal static JsonObject Document => s_Document.Value;

        /// <summary>A text frame checked as the daemon checks it: not JSON → E_BAD_MESSAGE, then as <see cref="ParseClientMessage(object)"/>.</summary>
        public static ParseResult ParseClientMessage(string text)
        {
            if (text == null)
                return ParseClientMessage((object)null);
            object value;
            try
            {
                value = Json.Parse(text);
            }
            catch (FormatException)
            {
                return ParseResult.Refused("E_BAD_MESSAGE", "The message is not valid JSON. Send one JSON object per text frame.");
            }
            return ParseClientMessage(value);
        }

        /// <summary>
        /// An already parsed value (a binary frame's header, or a message built by hand) checked as the daemon checks
        /// it. A <see cref="string"/> passed here is a JSON string, not a frame, and so not a message.
        /// </summary>
        public static ParseResult ParseClientMessage(object parsedValue)
        {
            var message = parsedValue as IDictionary<string, object>;
            if (message == null)
                return ParseResult.Refused("E_BAD_MESSAGE", "A message must be a JSON object with a \"type\" field.");
            var re = message.TryGetValue("id", out var id) && id is string text && text.Length > 0 && text.Length <= 64 ? text : null;
            if (!(message.TryGetValue("type", out var typeValue) && typeValue is string type))
                return ParseResult.Refused("E_BAD_MESSAGE", "Field \"type\" is missing or not a string.", re, "type");
            if (!Side("client").TryGetValue(type, out var schema))
                return ParseResult.Refused("E_UNKNOWN_TYPE", $"Unknown message type \"{Shown(type)}\".", re);
            var issues = SchemaValidator.Validate(schema, message);
            if (issues.Count > 0)
            {
                var field = FieldOf(issues[0]);
                return ParseResult.Refused("E_BAD_MESSAGE", $"Invalid field \"{field}\" in {type}: {issues[0].Message}.", re, field);
            }
            return ParseResult.Accepted(message);
        }

        /// <summary>
        /// Null when <paramref name="value"/> is a daemon → client message of a known type that its schema accepts,
        /// else a sentence saying what is wrong. Unknown fields are allowed: a client must not refuse a message for
        /// carrying more.
        /// </summary>
        public static string CheckDaemonMessage(object value)
        {
            var message = value as IDictionary<string, object>;
            if (message == null)
                return "A daemon message must be a JSON object with a \"type\" field.";
            if (!(message.TryGetValue("type", out var typeValue) && typeValue is string type))
                return "Field \"type\" of a daemon message is missing or not a string.";
            if (!Side("daemon").TryGetValue(type, out var schema))
                return $"Unknown daemon message type \"{Shown(type)}\".";
            var issues = SchemaValidator.Validate(schema, message);
            return issues.Count > 0 ? $"Invalid field \"{FieldOf(issues[0])}\" in {type}: {issues[0].Message}." : null;
        }

        /// <summary>
        /// The JSON Schema <c>properties</c> of generate's <c>options</c>: per option its type, default, bounds or
        /// enum, e.g. <c>resolution</c> → <c>{"default":256,"type":"integer","minimum":32,"maximum":1024}</c>. A fresh
        /// copy on each call.
        /// </summary>
        public static IReadOnlyDictionary<string, object> GenerateOptions()
        {
            var generate = (IDictionary<string, object>)Side("client")["generate"];
            var options = (IDictionary<string, object>)((IDictionary<string, object>)generate["properties"])["options"];
            return (JsonObject)Copy(options["properties"]);
        }

        static JsonObject Load()
        {
            var document = (JsonObject)Json.Parse(ProtocolSchema.k_Json);
            foreach (var side in new[] { "client", "daemon" })
            {
                foreach (var pair in (JsonObject)document[side])
                    SchemaValidator.CheckSchema(pair.Value);
            }
            return document;
        }

        static JsonObject Side(string side) => (JsonObject)Document[side];

        static string FieldOf(Issue issue)
        {
            var field = issue.Field;
            return field.Length > 0 ? field : "message";
        }

        // JavaScript's type.slice(0, 64): UTF-16 units, so it may cut a surrogate pair as parse.ts does.
        static string Shown(string type) => type.Length > k_TypeShown ? type.Substring(0, k_TypeShown) : type;

        static object Copy(object value)
        {
            if (value is IDictionary<string, object> map)
                return new JsonObject(map.Select(pair => new KeyValuePair<string, object>(pair.Key, Copy(pair.Value))));
            if (value is IList list)
                return list.Cast<object>().Select(Copy).ToList();
            return value;
        }
    }
}
