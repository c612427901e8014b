// How the bridge's link to the daemon stands, as the editor window shows it.
namespace Orfeas.Bridge.Protocol
{
    /// <summary>The state of a <see cref="DaemonConnection"/>.</summary>
    public enum ConnectionState
    {
        /// <summary>Not started, or stopped.</summary>
        Idle,
        /// <summary>Looking for the daemon, connecting, or waiting for its welcome.</summary>
        Connecting,
        /// <summary>Welcomed: requests can be sent.</summary>
        Connected,
        /// <summary>No daemon, or the connection was lost; trying again with backoff.</summary>
        Offline,
        /// <summary>The daemon refused this client (token, protocol version, Host/Origin); trying again with backoff.</summary>
        Refused,
    }
}
