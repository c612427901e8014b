// The bridge's link to the daemon: a background task finds the daemon, connects, says hello, reads messages and
// reconnects with the protocol's backoff, subscribing again to the jobs it follows. The editor never waits on the
// network: Request returns a Task, and events are drained from a queue on Unity's main thread. The daemon is the
// local one of a home folder (daemon.json, ws://127.0.0.1), or a team server (TeamServer: TeamSocket and TeamHttp
// over TLS with its pinned certificate, pictures sent by ServerPictures, daemon.json never read).
using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;

namespace Orfeas.Bridge.Protocol
{
    /// <summary>One client of the daemon. Thread-safe; every public method returns at once.</summary>
    public sealed class DaemonConnection : IDisposable
    {
        /// <summary>Protocol major version this client speaks.</summary>
        public const int k_ProtocolVersion = 1;

        static readonly double[] k_BackoffSeconds = { 0.5, 1, 2, 5, 10, 30 };
        static readonly HashSet<string> k_EventTypes = new HashSet<string> { "job.state", "job.progress", "job.done", "job.failed", "job.cancelled", "import", "scene.changed" };
        const int k_MaxMessageBytes = 64 * 1024 * 1024;

        readonly Dictionary<string, string> m_Client;
        readonly Action<string> m_Log;
        readonly object m_Lock = new object();
        readonly Dictionary<string, Waiting> m_Waiting = new Dictionary<string, Waiting>();
        readonly HashSet<string> m_Followed = new HashSet<string>();
        readonly SemaphoreSlim m_SendLock = new SemaphoreSlim(1, 1);
        readonly AutoResetEvent m_Wake = new AutoResetEvent(false);
        WebSocket m_Socket;
        CancellationTokenSource m_Stop;
        Task m_Loop;
        int m_NextId;
        bool m_Urgent;

        /// <summary>Daemon events (`job.*`, `import`, `scene.changed`) and `{"type":"connection","state","message"}` changes, in order.</summary>
        public readonly ConcurrentQueue<IDictionary<string, object>> Events = new ConcurrentQueue<IDictionary<string, object>>();

        /// <summary>Where the link stands; <see cref="StateMessage"/> says it in words.</summary>
        public ConnectionState State { get; private set; } = ConnectionState.Idle;
        /// <summary>A sentence for the window: connected to what, or why not and what to do.</summary>
        public string StateMessage { get; private set; } = "Not connected.";
        /// <summary>The daemon's `welcome` (defaults, models, limits), or null before the first hello.</summary>
        public IDictionary<string, object> Welcome { get; private set; }
        /// <summary>The daemon's port while connected.</summary>
        public int Port { get; private set; }
        /// <summary>The team server this client talks to, or null for the local daemon of <see cref="Home"/>.</summary>
        public TeamServer Server { get; }
        /// <summary>Roles sent in hello (`import-target` to receive pushes).</summary>
        public IReadOnlyList<string> Roles { get; private set; }
        /// <summary>The daemon home override ("" for ORFEAS_HOME or ~/.orfeas).</summary>
        public string Home { get; private set; }
        /// <summary>Jobs subscribed again after every reconnect until they end (kept across domain reloads by the editor).</summary>
        public string[] FollowedJobs { get { lock (m_Lock) return m_Followed.ToArray(); } }

        /// <summary>A client named <paramref name="clientName"/> (`unity`) with <paramref name="roles"/>.</summary>
        public DaemonConnection(string clientName, string clientVersion, IEnumerable<string> roles, string home, Action<string> log = null)
        {
            m_Client = new Dictionary<string, string> { { "name", clientName }, { "version", clientVersion } };
            Roles = (roles ?? Enumerable.Empty<string>()).ToArray();
            Home = home ?? "";
            m_Log = log ?? (_ => { });
        }

        /// <summary>
        /// A client of the team server <paramref name="server"/> (no local daemon.json is read): over TLS, its certificate
        /// checked before anything is sent, pictures sent with their bytes (<see cref="Generate"/>), downloads over HTTPS.
        /// </summary>
        public DaemonConnection(string clientName, string clientVersion, IEnumerable<string> roles, TeamServer server, Action<string> log = null)
            : this(clientName, clientVersion, roles, "", log)
        {
            Server = server ?? throw new ArgumentNullException(nameof(server));
        }

        /// <summary>Starts connecting in the background (again, after <see cref="Stop"/>).</summary>
        public void Start()
        {
            lock (m_Lock)
            {
                if (m_Loop != null && !m_Loop.IsCompleted)
                    return;
                m_Stop = new CancellationTokenSource();
                var token = m_Stop.Token;
                m_Loop = Task.Run(() => Run(token));
            }
        }

        /// <summary>
        /// Closes the connection and ends the background task; waiting requests fail with E_CONNECTION. The editor
        /// passes <paramref name="wait"/> false (before a domain reload, on quit) so its main thread never waits.
        /// </summary>
        public void Stop(bool wait = true)
        {
            Task loop;
            lock (m_Lock)
            {
                loop = m_Loop;
                m_Stop?.Cancel();
                m_Socket?.Abort();
            }
            m_Wake.Set();
            if (wait)
                loop?.Wait(TimeSpan.FromSeconds(5));
            SetState(ConnectionState.Idle, "Not connected.");
        }

        /// <summary>Drops the connection and connects again now; new roles or home take effect on the hello.</summary>
        public void Reconnect(IEnumerable<string> roles = null, string home = null)
        {
            lock (m_Lock)
            {
                if (roles != null)
                    Roles = roles.ToArray();
                if (home != null)
                    Home = home;
                m_Urgent = true;
                m_Socket?.Abort();
            }
            m_Wake.Set();
            Start();
        }

        /// <summary>Same as <see cref="Stop"/>.</summary>
        public void Dispose() => Stop(true);

        /// <summary>For tests and scripts: blocks until connected or the timeout passes.</summary>
        public bool WaitConnected(TimeSpan timeout)
        {
            var deadline = DateTime.UtcNow + timeout;
            while (State != ConnectionState.Connected && DateTime.UtcNow < deadline)
                Thread.Sleep(20);
            return State == ConnectionState.Connected;
        }

        /// <summary>
        /// Sends a request (a binary frame with <paramref name="payload"/>); the task ends with the reply, or fails with
        /// <see cref="OrfeasException"/> (the daemon's `error`, a message the protocol refuses, or E_CONNECTION).
        /// </summary>
        public Task<IDictionary<string, object>> Request(IDictionary<string, object> message, byte[] payload = null)
        {
            return Send(message, payload).ContinueWith(t => t.Result.Reply.Task, TaskContinuationOptions.ExecuteSynchronously).Unwrap();
        }

        /// <summary>
        /// Starts a generation from <paramref name="pictures"/>: by their paths to the local daemon, or to a team server
        /// with their bytes (the front inline, the other views uploaded first). The task ends with the `accepted` reply.
        /// </summary>
        /// <exception cref="OrfeasException">E_BAD_MESSAGE at once when the schema refuses the request; later ones in the task.</exception>
        public Task<IDictionary<string, object>> Generate(ViewSet pictures, IDictionary<string, object> options = null, string name = null)
        {
            var request = pictures.GenerateRequest(options, name);
            if (Server == null)
                return Request(request);
            if (State != ConnectionState.Connected)
                return Request(request); // fails with E_CONNECTION, before reading or uploading anything
            return GenerateOnServer(pictures, options, name);
        }

        async Task<IDictionary<string, object>> GenerateOnServer(ViewSet pictures, IDictionary<string, object> options, string name)
        {
            var prepared = await Task.Run(() => ServerPictures.Prepare(Server, pictures, options, name, MaxInline())).ConfigureAwait(false);
            return await Request(prepared.Item1, prepared.Item2).ConfigureAwait(false);
        }

        // The largest picture that goes inline: the daemon's frame limit less room for the header.
        int MaxInline()
        {
            var limits = Welcome != null && Welcome.TryGetValue("limits", out var value) ? value as IDictionary<string, object> : null;
            var frame = limits != null && limits.TryGetValue("maxPayload", out var max) && max is double bytes ? bytes : 0;
            return (int)Math.Max(0, Math.Min(int.MaxValue, frame - ProtocolMessages.MaxHeaderBytes - 4));
        }

        /// <summary>Subscribes to a job, and again after every reconnect, until it ends.</summary>
        public Task<IDictionary<string, object>> Follow(string jobId)
        {
            return Request(new Dictionary<string, object> { { "type", "subscribe" }, { "jobId", jobId } });
        }

        /// <summary>
        /// Downloads one file of an asset (`asset.get`; from a team server over HTTPS, with the same certificate check);
        /// the bytes are checked against its sha256.
        /// </summary>
        public Task<byte[]> Download(string assetId, string file)
        {
            if (Server != null)
                return TeamHttp.Download(Server, assetId, file);
            var message = new Dictionary<string, object> { { "type", "asset.get" }, { "assetId", assetId }, { "file", file } };
            return Send(message, null).ContinueWith(t => t.Result.File.Task, TaskContinuationOptions.ExecuteSynchronously).Unwrap();
        }

        /// <summary>Downloads into <paramref name="destination"/>, written whole or not at all; the task ends with its path.</summary>
        public async Task<string> DownloadTo(string assetId, string file, string destination)
        {
            var bytes = await Download(assetId, file).ConfigureAwait(false);
            try
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(destination)));
                var part = destination + ".part";
                File.WriteAllBytes(part, bytes);
                if (File.Exists(destination))
                    File.Delete(destination);
                File.Move(part, destination);
                return destination;
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new OrfeasException("E_DOWNLOAD", $"Cannot write {destination}: {e.Message}");
            }
        }

        sealed class Waiting
        {
            public readonly TaskCompletionSource<IDictionary<string, object>> Reply = new TaskCompletionSource<IDictionary<string, object>>(TaskCreationOptions.RunContinuationsAsynchronously);
            public readonly TaskCompletionSource<byte[]> File = new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously);
            public byte[] Chunks;

            public void Fail(OrfeasException error)
            {
                Reply.TrySetException(error);
                File.TrySetException(error);
            }
        }

        Task<Waiting> Send(IDictionary<string, object> message, byte[] payload)
        {
            var waiting = new Waiting();
            var type = message.TryGetValue("type", out var t) ? t as string ?? "" : "";
            WebSocket socket;
            string id;
            lock (m_Lock)
            {
                if (State != ConnectionState.Connected || m_Socket == null)
                {
                    waiting.Fail(new OrfeasException("E_CONNECTION", $"Not connected to the Orfeas daemon. {StateMessage}"));
                    return Task.FromResult(waiting);
                }
                id = "u" + (++m_NextId);
                socket = m_Socket;
            }
            var wire = new Dictionary<string, object>(message) { ["id"] = id };
            var problem = ProtocolMessages.ParseClientMessage(wire);
            if (!problem.Ok)
            {
                waiting.Fail(new OrfeasException(problem.Code, problem.MessageText) { Field = problem.Field });
                return Task.FromResult(waiting);
            }
            var path = Server != null ? ServerPictures.PathField(wire) : null;
            if (path != null)
            {
                waiting.Fail(new OrfeasException("E_PATH", $"{Server.Url} cannot read files on this machine ({path} names one); nothing was sent. "
                    + "Generate(ViewSet) sends the pictures themselves.", path));
                return Task.FromResult(waiting);
            }
            lock (m_Lock)
            {
                m_Waiting[id] = waiting;
                if (type == "subscribe" && wire["jobId"] is string job && job != "*")
                    m_Followed.Add(job);
            }
            return SendFrame(socket, wire, payload).ContinueWith(sent =>
            {
                if (sent.IsFaulted)
                    socket.Abort(); // the reader sees the loss and fails every waiting request
                return waiting;
            }, TaskContinuationOptions.ExecuteSynchronously);
        }

        async Task SendFrame(WebSocket socket, IDictionary<string, object> wire, byte[] payload)
        {
            var bytes = payload != null ? Frames.Encode(wire, payload) : Encoding.UTF8.GetBytes(Json.Stringify(wire));
            await m_SendLock.WaitAsync().ConfigureAwait(false);
            try
            {
                await socket.SendAsync(new ArraySegment<byte>(bytes), payload != null ? WebSocketMessageType.Binary : WebSocketMessageType.Text, true, CancellationToken.None).ConfigureAwait(false);
            }
            finally
            {
                m_SendLock.Release();
            }
        }

        async Task Run(CancellationToken stop)
        {
            var attempt = 0;
            while (!stop.IsCancellationRequested)
            {
                lock (m_Lock)
                {
                    if (m_Urgent)
                    {
                        m_Urgent = false;
                        attempt = 0;
                    }
                }
                m_Wake.Reset();
                try
                {
                    var opened = await Open(stop).ConfigureAwait(false);
                    attempt = 0;
                    await Serve(opened.Item1, opened.Item2, stop).ConfigureAwait(false);
                }
                catch (OrfeasException e)
                {
                    var refused = e.Code == "E_AUTH" || e.Code == "E_PROTOCOL" || e.Code == "E_ORIGIN" || e.Code == "E_CERTIFICATE";
                    if (!stop.IsCancellationRequested)
                        SetState(refused ? ConnectionState.Refused : ConnectionState.Offline, e.Message);
                }
                catch (Exception e)
                {
                    if (!stop.IsCancellationRequested)
                        SetState(ConnectionState.Offline, $"The connection to the Orfeas daemon failed: {e.Message}");
                }
                if (stop.IsCancellationRequested)
                    break;
                var delay = k_BackoffSeconds[Math.Min(attempt, k_BackoffSeconds.Length - 1)];
                attempt++;
                m_Wake.WaitOne(TimeSpan.FromSeconds(delay));
            }
        }

        async Task<Tuple<WebSocket, IDictionary<string, object>>> Open(CancellationToken stop)
        {
            SetState(ConnectionState.Connecting, Server == null ? "Connecting to the Orfeas daemon…" : $"Connecting to the Orfeas server at {Server.Url}…");
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop))
            {
                timeout.CancelAfter(TimeSpan.FromSeconds(10));
                var opened = Server == null ? await OpenLocal(timeout.Token).ConfigureAwait(false) : await OpenServer(timeout.Token).ConfigureAwait(false);
                var socket = opened.Item1;
                var hello = new Dictionary<string, object> { { "type", "hello" }, { "id", "hello" }, { "protocol", (double)k_ProtocolVersion }, { "client", m_Client.ToDictionary(p => p.Key, p => (object)p.Value) } };
                if (Roles.Count > 0)
                    hello["roles"] = Roles.Cast<object>().ToList();
                IDictionary<string, object> reply;
                try
                {
                    await SendFrame(socket, hello, null).ConfigureAwait(false);
                    var first = await Receive(socket, timeout.Token).ConfigureAwait(false);
                    reply = first == null ? null : (first.Item2 == null ? Json.Parse(first.Item1) : null) as IDictionary<string, object>;
                }
                catch (Exception e) when (!(e is OrfeasException))
                {
                    socket.Abort();
                    throw Refusal(CloseCode(socket), Server) ?? new OrfeasException("E_CONNECTION", "The daemon did not answer hello.");
                }
                if (reply == null)
                {
                    socket.Abort();
                    throw Refusal(CloseCode(socket), Server) ?? new OrfeasException("E_CONNECTION", "The daemon closed the connection during hello.");
                }
                // (no `out var` here: mcs, which builds the tests, fails on pattern variables inside async methods)
                object typeValue;
                var type = reply.TryGetValue("type", out typeValue) ? typeValue as string : null;
                if (type == "error" && ProtocolMessages.CheckDaemonMessage(reply) == null)
                {
                    socket.Abort();
                    throw new OrfeasException((string)reply["code"], (string)reply["message"]);
                }
                if (type != "welcome" || ProtocolMessages.CheckDaemonMessage(reply) != null)
                {
                    socket.Abort();
                    throw new OrfeasException("E_PROTOCOL", "The daemon's answer to hello is not a protocol v1 welcome. Update the bridge or the daemon.");
                }
                Port = opened.Item2;
                return Tuple.Create(socket, reply);
            }
        }

        // The local daemon of Home, as its discovery file says: the socket (kept in m_Socket from the start, so Stop
        // can abort the connect) and the port.
        async Task<Tuple<WebSocket, int>> OpenLocal(CancellationToken timeout)
        {
            var home = Discovery.OrfeasHome(Home);
            var found = Discovery.Find(home);
            var socket = new ClientWebSocket();
            socket.Options.SetRequestHeader("Authorization", "Bearer " + found.Token);
            lock (m_Lock)
                m_Socket = socket;
            try
            {
                await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{found.Port}/v1/ws"), timeout).ConfigureAwait(false);
            }
            catch (Exception e) when (e is WebSocketException || e is OperationCanceledException || e is System.Net.WebException)
            {
                socket.Abort();
                var status = Regex.Match(e.Message + " " + e.InnerException?.Message, @"\b(401|403)\b");
                var refusal = status.Success ? Refusal(status.Value == "401" ? 4001 : 4003) : null;
                throw refusal ?? new OrfeasException("E_CONNECTION", $"The Orfeas daemon in {home} (port {found.Port}) does not answer: {e.Message} {Discovery.k_StartHint}");
            }
            return Tuple.Create<WebSocket, int>(socket, found.Port);
        }

        // The team server: TeamSocket checks its certificate before the upgrade (and the token in it) is written.
        async Task<Tuple<WebSocket, int>> OpenServer(CancellationToken timeout)
        {
            WebSocket socket;
            try
            {
                socket = await TeamSocket.Open(Server, timeout).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                throw new OrfeasException("E_CONNECTION", $"The Orfeas server at {Server.Url} did not answer within 10 s. Check the URL, and that it runs.");
            }
            lock (m_Lock)
                m_Socket = socket;
            return Tuple.Create(socket, Server.Port);
        }

        async Task Serve(WebSocket socket, IDictionary<string, object> welcome, CancellationToken stop)
        {
            string[] followed;
            lock (m_Lock)
            {
                Welcome = welcome;
                followed = m_Followed.ToArray();
            }
            var daemon = (IDictionary<string, object>)welcome["daemon"];
            var engine = (IDictionary<string, object>)welcome["engine"];
            var where = Server == null ? $"on port {Port}" : $"at {Server.Url}";
            SetState(ConnectionState.Connected, $"Connected to Orfeas {daemon["version"]} {where} ({engine["active"]}).");
            foreach (var job in followed)
                _ = Follow(job);
            // The daemon pings at the WebSocket level, which the WebSocket answers without telling us; a protocol
            // ping every keepAliveMs finds a daemon that stopped answering.
            var keepAlive = TimeSpan.FromMilliseconds(Math.Max(1000, (double)welcome["keepAliveMs"]));
            var reason = "The connection to the Orfeas daemon was lost; reconnecting.";
            using (var alive = CancellationTokenSource.CreateLinkedTokenSource(stop))
            {
                var pinger = KeepAlive(socket, keepAlive, alive.Token);
                try
                {
                    while (!stop.IsCancellationRequested)
                    {
                        var message = await Receive(socket, stop).ConfigureAwait(false);
                        if (message == null)
                            break;
                        Dispatch(message.Item1, message.Item2);
                    }
                }
                catch (Exception)
                {
                    // lost; the close code (if any) says why below
                }
                finally
                {
                    alive.Cancel();
                    socket.Abort();
                }
                var code = CloseCode(socket);
                var refused = Refusal(code, Server);
                if (refused != null)
                    reason = refused.Message;
                else if (code == 1001)
                    reason = "The Orfeas daemon is shutting down; reconnecting when it is back.";
                else if (pinger.IsCompleted && !pinger.Result)
                    reason = "The Orfeas daemon stopped answering; reconnecting.";
            }
            List<Waiting> lost;
            lock (m_Lock)
            {
                m_Socket = null;
                lost = m_Waiting.Values.ToList();
                m_Waiting.Clear();
            }
            foreach (var waiting in lost)
                waiting.Fail(new OrfeasException("E_CONNECTION", reason));
            if (!stop.IsCancellationRequested)
                SetState(ConnectionState.Offline, reason);
        }

        async Task<bool> KeepAlive(WebSocket socket, TimeSpan interval, CancellationToken token)
        {
            try
            {
                while (!token.IsCancellationRequested)
                {
                    await Task.Delay(interval, token).ConfigureAwait(false);
                    var pong = Request(new Dictionary<string, object> { { "type", "ping" } });
                    var answered = await Task.WhenAny(pong, Task.Delay(TimeSpan.FromTicks(interval.Ticks * 2), token)).ConfigureAwait(false);
                    if (answered != pong && !token.IsCancellationRequested)
                    {
                        socket.Abort();
                        return false;
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
            return true;
        }

        /// <summary>One whole message: (text, null) or (null, bytes); null when the daemon closed the connection.</summary>
        static async Task<Tuple<string, byte[]>> Receive(WebSocket socket, CancellationToken token)
        {
            var buffer = new byte[64 * 1024];
            using (var message = new MemoryStream())
            {
                while (true)
                {
                    var result = await socket.ReceiveAsync(new ArraySegment<byte>(buffer), token).ConfigureAwait(false);
                    if (result.MessageType == WebSocketMessageType.Close)
                        return null;
                    message.Write(buffer, 0, result.Count);
                    if (message.Length > k_MaxMessageBytes)
                        throw new OrfeasException("E_PAYLOAD_TOO_LARGE", "The daemon sent a message larger than the bridge accepts.");
                    if (!result.EndOfMessage)
                        continue;
                    return result.MessageType == WebSocketMessageType.Binary
                        ? Tuple.Create<string, byte[]>(null, message.ToArray())
                        : Tuple.Create<string, byte[]>(new UTF8Encoding(false, true).GetString(message.ToArray()), null);
                }
            }
        }

        void Dispatch(string text, byte[] binary)
        {
            IDictionary<string, object> message;
            var payload = new byte[0];
            try
            {
                if (binary != null)
                {
                    var frame = Frames.Decode(binary);
                    message = frame.Header as IDictionary<string, object>;
                    payload = frame.Payload;
                }
                else
                {
                    message = Json.Parse(text) as IDictionary<string, object>;
                }
            }
            catch (Exception e) when (e is FormatException || e is OrfeasException)
            {
                m_Log("Dropped an unreadable frame from the daemon.");
                return;
            }
            var problem = ProtocolMessages.CheckDaemonMessage(message);
            if (problem != null)
            {
                m_Log($"Dropped a message the protocol does not allow: {problem}");
                return;
            }
            var type = (string)message["type"];
            if (message.ContainsKey("re"))
                Settle(message, payload);
            else if (k_EventTypes.Contains(type))
            {
                if (JobBook.FinalEvents.Contains(type))
                    lock (m_Lock)
                        m_Followed.Remove((string)message["jobId"]);
                Events.Enqueue(message);
            }
            else if (type == "error")
                m_Log($"Daemon: {message["code"]} {message["message"]}");
        }

        void Settle(IDictionary<string, object> message, byte[] payload)
        {
            var id = (string)message["re"];
            Waiting waiting;
            lock (m_Lock)
                m_Waiting.TryGetValue(id, out waiting);
            if (waiting == null)
                return;
            var type = (string)message["type"];
            if (type == "asset")
            {
                var total = (int)(double)message["bytes"];
                var offset = (int)(double)message["offset"];
                if (waiting.Chunks == null)
                    waiting.Chunks = new byte[total];
                var count = Math.Max(0, Math.Min(payload.Length, total - offset));
                Buffer.BlockCopy(payload, 0, waiting.Chunks, offset, count);
                if (!(bool)message["last"])
                    return;
            }
            lock (m_Lock)
                m_Waiting.Remove(id);
            if (type == "error")
            {
                // details.field names the faulty value, e.g. views.1.image when one of several pictures is missing.
                var details = message.TryGetValue("details", out var more) ? more as IDictionary<string, object> : null;
                var field = details != null && details.TryGetValue("field", out var named) ? named as string : null;
                waiting.Fail(new OrfeasException((string)message["code"], (string)message["message"], field));
                return;
            }
            waiting.Reply.TrySetResult(message);
            if (type != "asset")
            {
                waiting.File.TrySetException(new OrfeasException("E_PROTOCOL", $"The daemon answered asset.get with {type}."));
                return;
            }
            var bytes = waiting.Chunks ?? new byte[0];
            string sha256;
            using (var hash = SHA256.Create())
                sha256 = string.Concat(hash.ComputeHash(bytes).Select(b => b.ToString("x2")));
            if (sha256 != (string)message["sha256"])
                waiting.File.TrySetException(new OrfeasException("E_DOWNLOAD", $"{message["file"]} arrived damaged (checksum mismatch); try again."));
            else
                waiting.File.TrySetResult(bytes);
        }

        static int CloseCode(WebSocket socket)
        {
            try
            {
                return socket.CloseStatus.HasValue ? (int)socket.CloseStatus.Value : 1006;
            }
            catch (ObjectDisposedException)
            {
                return 1006;
            }
        }

        /// <summary>The coded error a close code stands for (PROTOCOL.md § Errors), or null for an ordinary close.</summary>
        public static OrfeasException Refusal(int closeCode)
        {
            switch (closeCode)
            {
                case 4001: return new OrfeasException("E_AUTH", "The daemon refused the token from daemon.json. Restart the daemon, or check the Orfeas home folder in Project Settings.");
                case 4002: return new OrfeasException("E_PROTOCOL", "The daemon speaks another protocol version. Update the Orfeas package or the daemon so both match.");
                case 4003: return new OrfeasException("E_ORIGIN", "The daemon refused this connection (Host/Origin check).");
                case 4008: return new OrfeasException("E_RATE_LIMIT", "The daemon closed the connection: a message was too large or came too fast.");
                default: return null;
            }
        }

        /// <summary>
        /// <see cref="Refusal(int)"/> in the words of a connection to <paramref name="server"/>: its token is the user's,
        /// not daemon.json's. The local daemon's sentences when <paramref name="server"/> is null.
        /// </summary>
        public static OrfeasException Refusal(int closeCode, TeamServer server)
        {
            if (server != null && closeCode == 4003)
            {
                return new OrfeasException("E_ORIGIN", $"The Orfeas server at {server.Url} refused this connection (Host check): use the name it was "
                    + "started with (--server-name, else its host name) or one of its addresses in the URL.");
            }
            if (server == null || closeCode != 4001)
                return Refusal(closeCode);
            return new OrfeasException("E_AUTH", $"The Orfeas server at {server.Url} refused the token. Check it in the Orfeas window: `orfeas users add NAME` "
                + "on the server prints a user token (a worker token or a revoked one is refused).");
        }

        void SetState(ConnectionState state, string message)
        {
            bool changed;
            lock (m_Lock)
            {
                changed = state != State || message != StateMessage;
                State = state;
                StateMessage = message;
            }
            if (!changed)
                return;
            m_Log(message);
            Events.Enqueue(new Dictionary<string, object> { { "type", "connection" }, { "state", state.ToString().ToLowerInvariant() }, { "message", message } });
        }
    }
}
