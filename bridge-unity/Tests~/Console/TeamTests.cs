// The client against a team server that test/bridges/unity.test.ts starts: `orfeas daemon --bind 0.0.0.0
// --tls-self-signed` with a user, and a spy that presents the same certificate and records whether any byte of a
// request reaches it (the TypeScript side checks that none did). Given by environment: ORFEAS_TEST_SERVER (its
// https URL), ORFEAS_TEST_TOKEN, ORFEAS_TEST_FINGERPRINT and ORFEAS_TEST_SPY; without them the group is left out.
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using Orfeas.Bridge.Protocol;

namespace Orfeas.Bridge.Tests
{
    static class TeamTests
    {
        const string k_Group = "team";
        static readonly string k_WrongPin = string.Join(":", Enumerable.Repeat("AB", 32));

        public static void Register(TestRun run)
        {
            var pictures = TestDaemon.TempDir("orfeas-cs-team-");
            var url = Environment.GetEnvironmentVariable("ORFEAS_TEST_SERVER");
            var token = Environment.GetEnvironmentVariable("ORFEAS_TEST_TOKEN");
            var fingerprint = Environment.GetEnvironmentVariable("ORFEAS_TEST_FINGERPRINT");
            var spy = Environment.GetEnvironmentVariable("ORFEAS_TEST_SPY");

            run.Test(k_Group, "server settings: URL forms, token and fingerprint are checked before connecting", () =>
            {
                Assert.Equal(null, TeamServer.Parse(" ", "t", ""), "an empty URL is the local daemon");
                var server = TeamServer.Parse("wss://gpu-box:7878/v1/ws", " ofu_abc ", "ab cd" + string.Concat(Enumerable.Repeat("ef", 30)));
                Assert.Equal("https://gpu-box:7878", server.Url, "url");
                Assert.Equal("wss://gpu-box:7878/v1/ws", server.WebSocket.ToString(), "socket");
                Assert.Equal("ofu_abc", server.Token, "token");
                Assert.Equal("AB:CD:" + string.Join(":", Enumerable.Repeat("EF", 30)), server.Fingerprint, "fingerprint in the daemon's form");
                var ipv6 = TeamServer.Parse("https://[::1]:7879/", "t", null);
                Assert.Equal("https://[::1]:7879 ::1 [::1]:7879", $"{ipv6.Url} {ipv6.Host} {ipv6.Authority}", "IPv6");
                foreach (var same in new[] { "HTTPS://GPU-box:7878/", "gpu-box:7878", "gpu-box", "wss://gpu-box/v1/ws" })
                    Assert.Equal("https://gpu-box:7878", TeamServer.NormalUrl(same), $"one key however it is written: {same}");
                Assert.Equal("https://gpu-box:443", TeamServer.NormalUrl("https://gpu-box:443"), "a port written is kept");
                foreach (var bad in new[] { "http://gpu-box:7878", "ws://gpu-box:7878", "ftp://gpu-box", "https://gpu-box:7878/orfeas", "https://ana:secret@gpu-box:7878", "https://" })
                    Assert.Equal("E_SETTINGS", Assert.Throws<OrfeasException>(() => TeamServer.Parse(bad, "t", null), bad).Code, bad);
                Assert.True(Assert.Throws<OrfeasException>(() => TeamServer.Parse("https://gpu-box:7878", " ", null)).Message.Contains("orfeas users add"), "no token");
                Assert.Throws<OrfeasException>(() => TeamServer.Parse("https://gpu-box:7878", "ofu_a\r\nX: y", null), "a token that would break the header");
                Assert.Equal("E_SETTINGS", Assert.Throws<OrfeasException>(() => TeamServer.Parse("https://gpu-box:7878", "t", "AB:CD")).Code, "a short fingerprint");
                var openssl = "sha256 Fingerprint=" + string.Join(":", Enumerable.Repeat("0a", 32));
                Assert.Equal(string.Join(":", Enumerable.Repeat("0A", 32)), TeamServer.Parse("gpu-box", "t", openssl).Fingerprint, "OpenSSL's form");
            });

            if (url == null || token == null || fingerprint == null || spy == null)
            {
                Console.WriteLine("left out team: connecting to a team server needs ORFEAS_TEST_SERVER, _TOKEN, _FINGERPRINT and _SPY (test/bridges/unity.test.ts sets them)");
                return;
            }
            var pinned = TeamServer.Parse(url, token, fingerprint);

            run.Test(k_Group, "Mono's TLS reaches the daemon's EC P-256 certificate, whose SHA-256 is the printed fingerprint", () =>
            {
                string presented = null;
                using (var tcp = new TcpClient(pinned.Host, pinned.Port))
                using (var ssl = new SslStream(tcp.GetStream(), false, (sender, certificate, chain, errors) =>
                {
                    presented = CertificatePin.Fingerprint(certificate);
                    return true; // only looking: nothing is written on this connection
                }))
                {
                    ssl.AuthenticateAsClient(pinned.Host);
                    Console.WriteLine($"note team: {ssl.SslProtocol} with the server's certificate");
                    Assert.True(ssl.SslProtocol >= SslProtocols.Tls12, $"TLS 1.2 or later: {ssl.SslProtocol}");
                }
                Assert.Equal(pinned.Fingerprint, presented, "fingerprint");
            });

            run.Test(k_Group, "with the pinned fingerprint: connects (no daemon.json read), refuses paths, sends pictures itself, GLB over HTTPS intact", () =>
            {
                using (var connection = new DaemonConnection("unity", "test", null, pinned))
                {
                    connection.Start();
                    var connected = Outcome(connection);
                    Assert.Equal("connected", connected["state"], $"state ({connected["message"]})");
                    Assert.True(((string)connected["message"]).Contains(pinned.Url), $"says where: {connected["message"]}");
                    Assert.Equal(pinned.Port, connection.Port, "the server's port");

                    var front = TestPictures.WriteRow(Path.Combine(pictures, "team_front.png"), ViewClientTests.k_Panel, new[] { ViewClientTests.k_Front }, new[] { ViewClientTests.k_Red });
                    var right = TestPictures.WriteRow(Path.Combine(pictures, "team_right.png"), ViewClientTests.k_Panel, new[] { ViewClientTests.k_Side }, new[] { ViewClientTests.k_Green });
                    var set = ViewSet.Front(front).With("right", right);
                    var byPath = connection.Request(set.GenerateRequest(ViewClientTests.Unity(), "team-box"));
                    Assert.True(byPath.IsCompleted, "a path is refused before anything is sent");
                    var refused = ClientTests.Failure(byPath);
                    Assert.Equal("E_PATH", refused.Code, $"code ({refused.Message})");
                    Assert.Equal("image", refused.Field, "field");

                    // The front goes inline in the generate frame, the right view is uploaded first: the box's depth
                    // comes from the right view, so the server read both.
                    var reply = ClientTests.Wait(connection.Generate(set, ViewClientTests.Unity(), "team-box"));
                    Assert.Equal("accepted", reply["type"], "reply");
                    var jobId = (string)reply["jobId"];
                    var done = ClientTests.NextEvent(connection, e => ClientTests.IsFinal(e, jobId), 120);
                    Assert.Equal("job.done", done["type"], $"final event ({(done.TryGetValue("message", out var why) ? why : "")})");
                    var glb = ViewClientTests.Download(connection, done, "glb", Path.Combine(pictures, "downloads", "team-box"));
                    Assert.Equal("glTF", Encoding.ASCII.GetString(glb, 0, 4), "GLB magic");
                    ViewClientTests.CheckBox(glb, 0.8, "from the uploaded right view");

                    // Downloads go over HTTPS with the same check: another pin gets nothing.
                    var file = ((List<object>)done["files"]).Cast<IDictionary<string, object>>().First(f => (string)f["format"] == "glb");
                    var otherPin = TeamServer.Parse(url, token, k_WrongPin);
                    var wrong = ClientTests.Failure(TeamHttp.Download(otherPin, (string)done["assetId"], (string)file["name"]));
                    Assert.Equal("E_CERTIFICATE", wrong.Code, $"code ({wrong.Message})");
                    Assert.Equal("pong", ClientTests.Wait(connection.Request(ClientTests.Message("ping")))["type"], "still connected");
                }
            });

            run.Test(k_Group, "a wrong pin is refused with both fingerprints, over WSS and HTTPS, before anything is sent", () =>
            {
                var server = TeamServer.Parse(spy, token, k_WrongPin);
                var refused = Refused(server);
                Assert.True(refused.Contains(k_WrongPin) && refused.Contains(fingerprint), $"names the pinned and the presented fingerprint: {refused}");
                Assert.True(refused.Contains("nothing was sent"), $"says nothing was sent: {refused}");
                var upload = ClientTests.Failure(TeamHttp.Upload(server, new byte[] { 0x89, 0x50, 0x4e, 0x47 }, "image/png"));
                Assert.Equal("E_CERTIFICATE", upload.Code, $"upload ({upload.Message})");
                Assert.True(upload.Message.Contains(fingerprint), $"upload names the presented fingerprint: {upload.Message}");
            });

            run.Test(k_Group, "without a pin a self-signed certificate is not trusted, and nothing is sent", () =>
            {
                var refused = Refused(TeamServer.Parse(spy, token, null));
                Assert.True(refused.Contains("does not trust") && refused.Contains(fingerprint), $"says why and which certificate: {refused}");
            });

            run.Test(k_Group, "a wrong token is refused with E_AUTH, saying where a token comes from", () =>
            {
                var refused = Refused(TeamServer.Parse(url, "ofu_not-a-user", fingerprint));
                Assert.True(refused.Contains("refused the token") && refused.Contains("orfeas users add"), $"message: {refused}");
            });
        }

        // Starts a connection that must be refused: its first outcome is `refused`, never `connected`, and a request
        // fails at once. Returns the sentence.
        static string Refused(TeamServer server)
        {
            using (var connection = new DaemonConnection("unity", "test", null, server))
            {
                connection.Start();
                var outcome = Outcome(connection);
                Assert.Equal("refused", outcome["state"], $"state ({outcome["message"]})");
                Assert.Equal("E_CONNECTION", ClientTests.Failure(connection.Request(ClientTests.Message("ping"))).Code, "requests fail");
                return (string)outcome["message"];
            }
        }

        // The first `connected` or `refused` of a connection just started, right after a `connecting`. A slow attempt
        // that times out (offline, then connecting again) may come first: the order is checked, not the time.
        static IDictionary<string, object> Outcome(DaemonConnection connection)
        {
            var seen = new List<IDictionary<string, object>>();
            var outcome = ClientTests.NextEvent(connection, e => IsState(e, "connected") || IsState(e, "refused"), 60, seen);
            var states = seen.Where(e => (string)e["type"] == "connection").Select(e => (string)e["state"]).ToList();
            Assert.True(states.Count >= 2 && states[states.Count - 2] == "connecting", $"states in order: {string.Join(", ", states)}");
            return outcome;
        }

        static bool IsState(IDictionary<string, object> e, string state) => (string)e["type"] == "connection" && (string)e["state"] == state;
    }
}
