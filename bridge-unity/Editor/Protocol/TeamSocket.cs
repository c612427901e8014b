// The WebSocket to a team server: TCP, TLS checked by CertificatePin, then the HTTP upgrade with the user token,
// all written here, because ClientWebSocket cannot pin on Mono (its RemoteCertificateValidationCallback is never
// called there and a self-signed certificate fails the handshake). The upgraded stream becomes a WebSocket with
// WebSocket.CreateClientWebSocket, which every API level Unity offers has. DaemonConnection says hello on it.
using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace Orfeas.Bridge.Protocol
{
    /// <summary>Opens the protocol's WebSocket on a <see cref="TeamServer"/>.</summary>
    public static class TeamSocket
    {
        const string k_Accept = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"; // RFC 6455 § 1.3
        const int k_BufferBytes = 64 * 1024;
        const int k_MaxHeadBytes = 16 * 1024;
        static readonly TimeSpan k_KeepAlive = TimeSpan.FromSeconds(30);

        /// <summary>
        /// Connects, checks the certificate (before anything is written), upgrades with the user token and returns
        /// the open WebSocket. <paramref name="cancel"/> closes the connection under way.
        /// </summary>
        /// <exception cref="OrfeasException">
        /// E_CERTIFICATE: the certificate is not the pinned one, or not trusted without a pin; E_AUTH, E_ORIGIN: the
        /// server refused the upgrade; E_CONNECTION: it cannot be reached or does not speak WebSocket there.
        /// </exception>
        /// <exception cref="OperationCanceledException">Cancelled (the caller's timeout or stop).</exception>
        public static async Task<WebSocket> Open(TeamServer server, CancellationToken cancel)
        {
            var tcp = await Connect(server, cancel).ConfigureAwait(false);
            Stream stream = tcp.GetStream();
            try
            {
                using (cancel.Register(() => tcp.Close()))
                {
                    stream = await Secure(server, stream).ConfigureAwait(false);
                    var key = Convert.ToBase64String(Guid.NewGuid().ToByteArray());
                    var request = $"GET {server.WebSocket.AbsolutePath} HTTP/1.1\r\nHost: {server.Authority}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        + $"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\nAuthorization: Bearer {server.Token}\r\n\r\n";
                    var bytes = Encoding.ASCII.GetBytes(request);
                    await stream.WriteAsync(bytes, 0, bytes.Length, cancel).ConfigureAwait(false);
                    var head = await ReadHead(stream, cancel).ConfigureAwait(false);
                    CheckUpgrade(server, head, key);
                    cancel.ThrowIfCancellationRequested();
                }
                return WebSocket.CreateClientWebSocket(stream, null, k_BufferBytes, k_BufferBytes, k_KeepAlive, false, WebSocket.CreateClientBuffer(k_BufferBytes, k_BufferBytes));
            }
            catch (Exception e)
            {
                stream.Dispose();
                tcp.Close();
                if (e is OrfeasException || e is OperationCanceledException)
                    throw;
                if (cancel.IsCancellationRequested)
                    throw new OperationCanceledException(cancel);
                throw Unreachable(server, e);
            }
        }

        /// <summary>The TCP connection, trying each address of the host in turn (IPv4 or IPv6).</summary>
        internal static async Task<TcpClient> Connect(TeamServer server, CancellationToken cancel)
        {
            IPAddress[] addresses;
            try
            {
                var literal = Literal(server.Host); // (no `out var` here: mcs fails on it inside async methods)
                addresses = literal != null ? new[] { literal } : await Dns.GetHostAddressesAsync(server.Host).ConfigureAwait(false);
            }
            catch (SocketException e)
            {
                throw new OrfeasException("E_CONNECTION", $"The server {server.Host} cannot be found ({e.Message}). Check the URL {server.Url}.");
            }
            Exception last = null;
            foreach (var address in addresses)
            {
                var tcp = new TcpClient(address.AddressFamily);
                try
                {
                    using (cancel.Register(() => tcp.Close()))
                        await tcp.ConnectAsync(address, server.Port).ConfigureAwait(false);
                    cancel.ThrowIfCancellationRequested();
                    tcp.NoDelay = true;
                    return tcp;
                }
                catch (Exception e) when (e is SocketException || e is ObjectDisposedException || e is IOException)
                {
                    tcp.Close();
                    cancel.ThrowIfCancellationRequested();
                    last = e;
                }
            }
            throw Unreachable(server, last ?? new IOException("the name has no address"));
        }

        static async Task<Stream> Secure(TeamServer server, Stream stream)
        {
            var pin = new CertificatePin(server);
            var ssl = new SslStream(stream, false, pin.Validate);
            try
            {
                await ssl.AuthenticateAsClientAsync(server.Host).ConfigureAwait(false);
            }
            catch (Exception e) when (e is AuthenticationException || e is IOException)
            {
                ssl.Dispose();
                if (pin.Refused)
                    throw pin.Refusal();
                throw new OrfeasException("E_CONNECTION", $"No TLS connection to {server.Url}: {e.GetBaseException().Message}. Is it an Orfeas server with TLS (https)?");
            }
            return ssl;
        }

        // The response head, read a byte at a time: a frame the server sends right after it (a close) stays unread.
        static async Task<string> ReadHead(Stream stream, CancellationToken cancel)
        {
            var head = new StringBuilder();
            var one = new byte[1];
            while (head.Length < 4 || head[head.Length - 1] != '\n' || head[head.Length - 3] != '\n')
            {
                if (await stream.ReadAsync(one, 0, 1, cancel).ConfigureAwait(false) == 0)
                    throw new IOException("the server closed the connection before answering the upgrade");
                if (head.Length >= k_MaxHeadBytes)
                    throw new IOException("the server's answer to the upgrade has no end");
                head.Append((char)one[0]);
            }
            return head.ToString();
        }

        static void CheckUpgrade(TeamServer server, string head, string key)
        {
            var lines = head.Split(new[] { "\r\n" }, StringSplitOptions.RemoveEmptyEntries);
            var status = lines[0].Split(' ');
            var code = status.Length > 1 && int.TryParse(status[1], out var parsed) ? parsed : 0;
            if (code == 401)
                throw DaemonConnection.Refusal(4001, server);
            if (code == 403)
                throw DaemonConnection.Refusal(4003, server);
            if (code != 101)
                throw new OrfeasException("E_CONNECTION", $"{server.Url} answered the WebSocket upgrade with \"{lines[0]}\": is it an Orfeas daemon?");
            string expected;
            using (var sha1 = SHA1.Create())
                expected = Convert.ToBase64String(sha1.ComputeHash(Encoding.ASCII.GetBytes(key + k_Accept)));
            var accept = lines.Skip(1).Select(l => l.Split(new[] { ':' }, 2)).Where(p => p.Length == 2 && p[0].Trim().Equals("Sec-WebSocket-Accept", StringComparison.OrdinalIgnoreCase))
                .Select(p => p[1].Trim()).FirstOrDefault();
            if (accept != expected)
                throw new OrfeasException("E_CONNECTION", $"{server.Url} upgraded the connection without the WebSocket handshake's answer: is it an Orfeas daemon?");
        }

        static IPAddress Literal(string host) => IPAddress.TryParse(host, out var address) ? address : null;

        static OrfeasException Unreachable(TeamServer server, Exception e) =>
            new OrfeasException("E_CONNECTION", $"The Orfeas server at {server.Url} does not answer: {e.GetBaseException().Message}. Check the URL, and that `orfeas daemon --bind …` runs there.");
    }
}
