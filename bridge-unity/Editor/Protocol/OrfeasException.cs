// The one exception of the Unity bridge: a protocol error code (shared/PROTOCOL.md § Errors, plus the client's own
// E_CONNECTION, E_TIMEOUT, E_DOWNLOAD, E_SETTINGS for team server settings that cannot be used, E_CERTIFICATE
// for a server certificate that is not the pinned one or not trusted, and E_DAEMON_START for no `orfeas` command to
// start the daemon with, or one that could not run or stopped at once) with a sentence a person can act on, like
// OrfeasError in the daemon.
using System;

namespace Orfeas.Bridge.Protocol
{
    /// <summary>A coded failure: a daemon <c>error</c> reply, a message or frame the protocol refuses, a lost connection.</summary>
    public sealed class OrfeasException : Exception
    {
        /// <summary>A failure with its protocol code, its sentence and, when it names one, the faulty field.</summary>
        /// <param name="code">The protocol error code, e.g. <c>E_BAD_MESSAGE</c>.</param>
        /// <param name="message">What happened and what to do.</param>
        /// <param name="field">The path of the faulty value (<c>options.resolution</c>), or null.</param>
        public OrfeasException(string code, string message, string field = null)
            : base(message)
        {
            Code = code ?? throw new ArgumentNullException(nameof(code));
            Field = field;
        }

        /// <summary>The protocol error code, e.g. <c>E_BAD_MESSAGE</c> or <c>E_CONNECTION</c>.</summary>
        public string Code { get; }

        /// <summary>The path of the faulty value (the wire's <c>details.field</c>), or null when the error names none.</summary>
        public string Field { get; set; }
    }
}
