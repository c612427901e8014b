// ProtocolMessages.ParseClientMessage's answer, shaped like daemon/src/protocol/parse.ts's ParseResult.
using System;
using System.Collections.Generic;

namespace Orfeas.Bridge.Protocol
{
    /// <summary>A client message the daemon would accept (<see cref="Ok"/>), or the protocol error it would answer.</summary>
    public sealed class ParseResult
    {
        ParseResult(bool ok, IDictionary<string, object> message, string code, string messageText, string field, string re)
        {
            Ok = ok;
            Message = message;
            Code = code;
            MessageText = messageText;
            Field = field;
            Re = re;
        }

        /// <summary>True when the daemon would accept the message.</summary>
        public bool Ok { get; }

        /// <summary>The message as given (defaults are the daemon's to fill in); null when not <see cref="Ok"/>.</summary>
        public IDictionary<string, object> Message { get; }

        /// <summary><c>E_BAD_MESSAGE</c> or <c>E_UNKNOWN_TYPE</c>; null when <see cref="Ok"/>.</summary>
        public string Code { get; }

        /// <summary>The daemon's sentence, e.g. <c>Invalid field "options.resolution" in generate: …</c>; null when <see cref="Ok"/>.</summary>
        public string MessageText { get; }

        /// <summary>The faulty value's path (the wire's <c>details.field</c>), or null when the error names none.</summary>
        public string Field { get; }

        /// <summary>The request id the error answers (a string <c>id</c> of 1–64 UTF-16 units), else null.</summary>
        public string Re { get; }

        /// <summary>The failure as an exception carrying <see cref="Code"/>, <see cref="MessageText"/> and <see cref="Field"/>.</summary>
        /// <exception cref="InvalidOperationException">The result is <see cref="Ok"/>.</exception>
        public OrfeasException ToException() =>
            Ok ? throw new InvalidOperationException("The message is valid.") : new OrfeasException(Code, MessageText, Field);

        internal static ParseResult Accepted(IDictionary<string, object> message) => new ParseResult(true, message, null, null, null, null);

        internal static ParseResult Refused(string code, string text, string re = null, string field = null) =>
            new ParseResult(false, null, code, text, field, re);
    }
}
