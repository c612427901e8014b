// A team server (README § Remote editors): its URL, the user's token and, for a self-signed certificate, the
// SHA-256 fingerprint to pin. Checked once here, so a typo is refused before anything connects; TeamSocket and
// TeamHttp reach it, CertificatePin checks what it presents. Nothing here touches the network.
using System;
using System.Linq;

namespace Orfeas.Bridge.Protocol
{
    /// <summary>Where a team server is and how this user proves who they are; immutable.</summary>
    /// <example><code>
    /// var server = TeamServer.Parse("https://gpu-box:7878", "ofu_…", "AA:BB:…");
    /// var connection = new DaemonConnection("unity", "0.1.0", null, server);
    /// </code></example>
    public sealed class TeamServer
    {
        /// <summary>The port when the URL names none: the daemon's own default (`orfeas daemon --port`).</summary>
        public const int k_DefaultPort = 7878;

        const string k_Code = "E_SETTINGS";
        const string k_Example = "https://gpu-box:7878";
        const string k_SocketPath = "/v1/ws";

        TeamServer(string host, int port, string token, string fingerprint)
        {
            Host = host;
            Port = port;
            Authority = $"{(host.Contains(":") ? $"[{host}]" : host)}:{port}";
            Url = $"https://{Authority}";
            Http = new Uri(Url);
            WebSocket = new Uri($"wss://{Authority}{k_SocketPath}");
            Token = token;
            Fingerprint = fingerprint;
        }

        /// <summary>The server as the window shows it and keeps its token under: <c>https://gpu-box:7878</c>.</summary>
        public string Url { get; }
        /// <summary>The HTTPS root, for uploads and downloads.</summary>
        public Uri Http { get; }
        /// <summary>The protocol's WebSocket: <c>wss://gpu-box:7878/v1/ws</c>.</summary>
        public Uri WebSocket { get; }
        /// <summary>The host name or address (an IPv6 address without brackets), also the name a certificate must carry without a pin.</summary>
        public string Host { get; }
        /// <summary>The port.</summary>
        public int Port { get; }
        /// <summary><c>host:port</c> as the Host header carries it, which the daemon checks.</summary>
        public string Authority { get; }
        /// <summary>The user token (<c>orfeas users add NAME</c> on the server prints it).</summary>
        public string Token { get; }
        /// <summary>The pinned SHA-256 fingerprint, colon hex in upper case, or null to trust the certificate as this machine does.</summary>
        public string Fingerprint { get; }

        /// <summary>
        /// A team server from the window's three fields, or null when <paramref name="url"/> is empty (the local daemon).
        /// The URL is https://host:port (wss://host:port/v1/ws and a bare host:port are taken too; the port defaults
        /// to 7878); the fingerprint with or without colons or spaces, in any case, or as OpenSSL prints it.
        /// </summary>
        /// <exception cref="OrfeasException">
        /// E_SETTINGS: not such a URL (a plain http:// one included: a server is reached over TLS), no token or one
        /// that cannot go in a header, a fingerprint that is not 32 bytes of hex.
        /// </exception>
        public static TeamServer Parse(string url, string token, string fingerprint)
        {
            var root = ParseUrl(url);
            if (root == null)
                return null;
            var key = (token ?? "").Trim();
            if (key.Length == 0)
                throw new OrfeasException(k_Code, $"Give your user token for {root.Url}: whoever runs it makes one with `orfeas users add NAME`.");
            if (key.Any(c => c <= ' ' || c > '~'))
                throw new OrfeasException(k_Code, "The token holds a space or a character no token has; paste it again as the server printed it.");
            return new TeamServer(root.Host, root.Port, key, CertificatePin.Normalize(fingerprint));
        }

        /// <summary>
        /// The server part of <paramref name="url"/> (<c>https://gpu-box:7878</c>), the same for every way of writing
        /// it, or null when it is empty. The window keeps each server's token under this.
        /// </summary>
        /// <exception cref="OrfeasException">E_SETTINGS: not a server URL.</exception>
        public static string NormalUrl(string url) => ParseUrl(url)?.Url;

        // The host and port only (a TeamServer with no token), or null for an empty URL.
        static TeamServer ParseUrl(string url)
        {
            var text = (url ?? "").Trim();
            if (text.Length == 0)
                return null;
            var absolute = text.Contains("://") ? text : "https://" + text;
            if (!Uri.TryCreate(absolute, UriKind.Absolute, out var uri) || uri.Host.Length == 0)
                throw new OrfeasException(k_Code, $"\"{text}\" is not a server URL: write it as {k_Example}.");
            if (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != "wss")
            {
                throw new OrfeasException(k_Code, $"A server is reached over TLS: write its URL as https://… (e.g. {k_Example}). For the daemon on "
                    + "this machine, leave Server empty.");
            }
            var path = uri.AbsolutePath.TrimEnd('/');
            if ((path.Length > 0 && path != k_SocketPath) || uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0)
                throw new OrfeasException(k_Code, $"Give the server's URL without a path, e.g. {k_Example} (the token goes in its own field).");
            return new TeamServer(uri.DnsSafeHost, NamesPort(absolute) ? uri.Port : k_DefaultPort, "", null);
        }

        // Whether the URL writes a port (Uri cannot say for the scheme's own, :443, which is then kept).
        static bool NamesPort(string absolute)
        {
            var authority = absolute.Substring(absolute.IndexOf("://", StringComparison.Ordinal) + 3).Split('/', '?', '#')[0];
            var colon = authority.LastIndexOf(':');
            return colon > authority.LastIndexOf(']') && colon < authority.Length - 1;
        }
    }
}
