// One decoded binary frame of protocol v1 (Frames.Decode): the header, still to be checked as a message, and the payload.
using System;

namespace Orfeas.Bridge.Protocol
{
    /// <summary>A binary frame split into its JSON header and its payload bytes.</summary>
    public sealed class Frame
    {
        /// <summary>A frame of <paramref name="header"/> (a JSON value) and <paramref name="payload"/>.</summary>
        public Frame(object header, byte[] payload)
        {
            Header = header;
            Payload = payload ?? throw new ArgumentNullException(nameof(payload));
        }

        /// <summary>
        /// The parsed header: any JSON value (usually a <see cref="JsonObject"/>). Frames only split; check it with
        /// <see cref="ProtocolMessages.CheckDaemonMessage"/> or <see cref="ProtocolMessages.ParseClientMessage(object)"/>.
        /// </summary>
        public object Header { get; }

        /// <summary>The bytes after the header (possibly none).</summary>
        public byte[] Payload { get; }
    }
}
