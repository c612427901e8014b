// The discovery file's contents ($ORFEAS_HOME/daemon.json, PROTOCOL.md § Finding).
namespace Orfeas.Bridge.Protocol
{
    /// <summary>Where a running daemon listens and the token it wants.</summary>
    public sealed class DaemonInfo
    {
        /// <summary>The daemon's version.</summary>
        public string Version;
        /// <summary>Its process id.</summary>
        public int Pid;
        /// <summary>Its port on 127.0.0.1.</summary>
        public int Port;
        /// <summary>The bearer token for HTTP and the WebSocket upgrade.</summary>
        public string Token;
        /// <summary>When it started (ISO 8601).</summary>
        public string StartedAt;
    }
}
