// The Protocol assembly's client against real daemon processes: handshake, generate with progress, download,
// cancel, coded errors, a push to Unity, generating from several views (ViewClientTests), reconnecting after the
// daemon restarts, and no daemon at all.
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Orfeas.Bridge.Protocol;

namespace Orfeas.Bridge.Tests
{
    static class ClientTests
    {
        const string k_Group = "client";
        static readonly string[] k_Stages = { "decode", "segment", "shape", "mesh", "texture", "optimize", "export" };

        public static void Register(TestRun run, string root)
        {
            var pictures = TestDaemon.TempDir("orfeas-cs-pictures-");
            TestDaemon daemon = null;
            string picture = null;
            Func<TestDaemon> shared = () => daemon ?? (daemon = new TestDaemon(root, TestDaemon.TempDir("orfeas-cs-home-")));
            Func<string> disc = () => picture ?? (picture = TestPictures.WriteDisc(Path.Combine(pictures, "disc.png"), 96));

            run.Test(k_Group, "handshake gives the daemon's defaults and answers ping", () =>
            {
                using (var connection = Connect(shared().Home))
                {
                    var welcome = connection.Welcome;
                    Assert.Equal(null, ProtocolMessages.CheckDaemonMessage(welcome), "welcome is a valid protocol message");
                    Assert.Equal(shared().Port, connection.Port, "port");
                    var defaults = (IDictionary<string, object>)welcome["defaults"];
                    var schema = (IDictionary<string, object>)ProtocolMessages.GenerateOptions()["resolution"];
                    Assert.Equal(schema["default"], defaults["resolution"], "resolution default");
                    Assert.Equal("pong", Wait(connection.Request(Message("ping")))["type"], "ping reply");
                }
            });

            run.Test(k_Group, "generate reports progress in stage order and the model downloads intact", () =>
            {
                using (var connection = Connect(shared().Home))
                {
                    var reply = Wait(connection.Request(Message("generate", "image", Image(disc()), "options", Options("resolution", 64.0, "textureSize", 512.0), "name", "disc")));
                    Assert.Equal("accepted", reply["type"], "reply");
                    var jobId = (string)reply["jobId"];
                    var seen = new List<IDictionary<string, object>>();
                    var done = NextEvent(connection, e => IsFinal(e, jobId), 60, seen);
                    Assert.Equal("job.done", done["type"], "final event");
                    // At most ten progress events a second per job, and a small job may end before a second one is
                    // due: the protocol promises order, not a report of every stage.
                    var progress = seen.Where(e => (string)e["type"] == "job.progress" && (string)e["jobId"] == jobId).ToList();
                    var stages = progress.Select(e => (string)e["stage"]).ToList();
                    Assert.True(stages.Count >= 1, "progress is reported");
                    Assert.True(stages.SequenceEqual(stages.OrderBy(s => Array.IndexOf(k_Stages, s))), $"stages arrive in pipeline order ({string.Join(", ", stages)})");
                    var overall = progress.Select(e => (double)e["progress"]).ToList();
                    Assert.True(overall.SequenceEqual(overall.OrderBy(p => p)), "overall progress never goes back");

                    var glb = ((List<object>)done["files"]).Cast<IDictionary<string, object>>().First(f => (string)f["format"] == "glb");
                    var destination = System.IO.Path.Combine(pictures, "downloads", "disc.glb");
                    Assert.Equal(destination, Wait(connection.DownloadTo((string)done["assetId"], (string)glb["name"], destination)), "download path");
                    var bytes = File.ReadAllBytes(destination);
                    Assert.Equal("glTF", Encoding.ASCII.GetString(bytes, 0, 4), "GLB magic");
                    Assert.Equal((double)bytes.Length, glb["bytes"], "size");
                    Assert.Equal(glb["sha256"], Sha256(bytes), "sha256");
                    Assert.True(!File.Exists(destination + ".part"), "no partial file left");
                }
            });

            run.Test(k_Group, "cancel ends a running job", () =>
            {
                using (var connection = Connect(shared().Home))
                {
                    var big = TestPictures.WriteDisc(System.IO.Path.Combine(pictures, "big.png"), 1500);
                    var jobId = (string)Wait(connection.Request(Message("generate", "image", Image(big), "options", Options("resolution", 1024.0, "textureSize", 4096.0))))["jobId"];
                    NextEvent(connection, e => (string)e["type"] == "job.progress" && (string)e["jobId"] == jobId, 60);
                    Assert.Equal("ok", Wait(connection.Request(Message("cancel", "jobId", jobId)))["type"], "cancel reply");
                    Assert.Equal("job.cancelled", NextEvent(connection, e => IsFinal(e, jobId), 60)["type"], "final event");
                }
            });

            run.Test(k_Group, "daemon errors arrive coded and the connection stays; bad requests are refused before sending", () =>
            {
                using (var connection = Connect(shared().Home))
                {
                    var missing = Failure(connection.Request(Message("generate", "image", Image(System.IO.Path.Combine(pictures, "none.png")))));
                    Assert.Equal("E_NOT_FOUND", missing.Code, "code");
                    Assert.True(missing.Message.Contains("none.png"), $"the sentence names the file: {missing.Message}");
                    Assert.Equal("E_NOT_FOUND", Failure(connection.Download(new string('0', 64), "x.glb")).Code, "unknown asset");
                    var bad = connection.Request(Message("generate", "image", Image(disc()), "options", Options("resolution", 5.0)));
                    Assert.True(bad.IsCompleted, "refused at once");
                    var refused = Failure(bad);
                    Assert.Equal("E_BAD_MESSAGE", refused.Code, "code");
                    Assert.Equal("options.resolution", refused.Field, "field");
                    Assert.Equal("pong", Wait(connection.Request(Message("ping")))["type"], "still connected");
                }
            });

            run.Test(k_Group, "a push reaches the Unity import target only", () =>
            {
                using (var unity = Connect(shared().Home, "unity", "import-target"))
                using (var vscode = Connect(shared().Home, "vscode"))
                {
                    var jobId = (string)Wait(vscode.Request(Message("generate", "image", Image(disc()), "options", Options("resolution", 48.0))))["jobId"];
                    var done = NextEvent(vscode, e => IsFinal(e, jobId), 60);
                    var placement = new Dictionary<string, object> { { "atCursor", true } };
                    var ok = Wait(vscode.Request(Message("push", "target", "unity", "assetId", done["assetId"], "placement", placement)));
                    Assert.Equal(1.0, ok["delivered"], "delivered");
                    var received = NextEvent(unity, e => (string)e["type"] == "import", 10);
                    Assert.Equal(done["assetId"], received["assetId"], "asset");
                    Assert.Equal("vscode", received["from"], "from");
                    Assert.Equal(true, ((IDictionary<string, object>)received["placement"])["atCursor"], "placement");
                    Assert.Equal(0.0, Wait(vscode.Request(Message("push", "target", "blender", "assetId", done["assetId"])))["delivered"], "nobody as blender");
                }
            });

            run.Test(k_Group, "a pushed scene reaches Unity with its GLB and Unity FBX", () =>
            {
                using (var unity = Connect(shared().Home, "unity", "import-target"))
                using (var vscode = Connect(shared().Home, "vscode"))
                {
                    var jobId = (string)Wait(vscode.Request(Message("generate", "image", Image(disc()), "options", Options("resolution", 48.0))))["jobId"];
                    var assetId = (string)NextEvent(vscode, e => IsFinal(e, jobId), 60)["assetId"];
                    var transform = new Func<double, object>(x => new Dictionary<string, object>
                    {
                        { "position", new List<object> { x, 0.0, 0.0 } }, { "rotation", new List<object> { 0.0, 0.0, 0.0 } }, { "scale", new List<object> { 1.0, 1.0, 1.0 } },
                    });
                    var source = new Dictionary<string, object> { { "image", "disc.png" }, { "assetId", assetId } };
                    var document = new Dictionary<string, object>
                    {
                        { "format", "orfeas-scene" }, { "version", 1.0 }, { "name", "Pair" }, { "units", "m" }, { "up", "Y" },
                        { "ground", new Dictionary<string, object> { { "y", 0.0 } } },
                        { "objects", new List<object>
                            {
                                new Dictionary<string, object> { { "id", "left" }, { "name", "Disc" }, { "source", source }, { "transform", transform(-1.0) } },
                                new Dictionary<string, object> { { "id", "right" }, { "name", "Disc" }, { "source", source }, { "transform", transform(1.0) } },
                            }
                        },
                    };
                    var sceneId = (string)Wait(vscode.Request(Message("scene.create", "document", document)))["sceneId"];
                    Assert.Equal(1.0, Wait(vscode.Request(Message("push", "target", "unity", "sceneId", sceneId)))["delivered"], "delivered");
                    var received = NextEvent(unity, e => (string)e["type"] == "import", 20);
                    Assert.Equal(sceneId, received["sceneId"], "scene");
                    Assert.False(received.ContainsKey("assetId"), "a scene push names no asset");
                    var files = ((List<object>)received["files"]).Cast<IDictionary<string, object>>().ToList();
                    Assert.Equal("Pair.glb,Pair.fbx", string.Join(",", files.Select(f => (string)f["name"])), "files");
                    var fbx = files.First(f => (string)f["format"] == "fbx");
                    var sceneAsset = SceneAsset.Of(fbx);
                    Assert.True(sceneAsset != null, $"the file's url names its asset: {fbx["url"]}");
                    var bytes = Wait(unity.Download(sceneAsset, (string)fbx["name"]));
                    Assert.Equal("Kaydara FBX Binary", Encoding.ASCII.GetString(bytes, 0, 18), "FBX header");
                }
            });

            run.Test(k_Group, "reconnects after the daemon restarts and the followed job finishes", () =>
            {
                var home = TestDaemon.TempDir("orfeas-cs-restart-");
                var first = new TestDaemon(root, home);
                using (var connection = Connect(home))
                {
                    var slow = TestPictures.WriteDisc(System.IO.Path.Combine(pictures, "slow.png"), 1200);
                    var jobId = (string)Wait(connection.Request(Message("generate", "image", Image(slow), "options", Options("resolution", 768.0, "textureSize", 4096.0))))["jobId"];
                    Wait(connection.Follow(jobId));
                    Assert.True(connection.FollowedJobs.Contains(jobId), "followed");
                    NextEvent(connection, e => (string)e["type"] == "job.progress" && (string)e["jobId"] == jobId, 60);
                    first.Kill();
                    var lost = NextEvent(connection, e => (string)e["type"] == "connection" && (string)e["state"] == "offline", 20);
                    Assert.True(((string)lost["message"]).Contains("reconnecting"), $"says it reconnects: {lost["message"]}");
                    Assert.Equal("E_CONNECTION", Failure(connection.Request(Message("ping"))).Code, "requests fail while offline");
                    var second = new TestDaemon(root, home);
                    try
                    {
                        Assert.True(connection.WaitConnected(TimeSpan.FromSeconds(40)), connection.StateMessage);
                        Assert.Equal(second.Port, connection.Port, "the new daemon's port");
                        Assert.Equal("job.done", NextEvent(connection, e => IsFinal(e, jobId), 240)["type"], "the job finished after the restart");
                        Assert.True(!connection.FollowedJobs.Contains(jobId), "no longer followed once done");
                    }
                    finally
                    {
                        second.Stop();
                    }
                }
            });

            run.Test(k_Group, "a stopping daemon says so", () =>
            {
                var home = TestDaemon.TempDir("orfeas-cs-stop-");
                var daemonToStop = new TestDaemon(root, home);
                using (var connection = Connect(home))
                {
                    daemonToStop.Stop();
                    var lost = NextEvent(connection, e => (string)e["type"] == "connection" && (string)e["state"] == "offline", 20);
                    Assert.True(((string)lost["message"]).Contains("shutting down"), $"1001 is explained: {lost["message"]}");
                }
            });

            run.Test(k_Group, "no daemon gives a clear message at once", () =>
            {
                var home = TestDaemon.TempDir("orfeas-cs-empty-");
                using (var connection = new DaemonConnection("unity", "test", null, home))
                {
                    connection.Start();
                    var offline = NextEvent(connection, e => (string)e["type"] == "connection" && (string)e["state"] == "offline", 5);
                    Assert.True(((string)offline["message"]).Contains("not running") && ((string)offline["message"]).Contains(home), $"message: {offline["message"]}");
                    var failed = Failure(connection.Request(Message("ping")));
                    Assert.Equal("E_CONNECTION", failed.Code, "code");
                }
            });

            run.Test(k_Group, "a wrong token is refused with its code", () =>
            {
                var home = TestDaemon.TempDir("orfeas-cs-token-");
                var running = new TestDaemon(root, home);
                try
                {
                    var file = System.IO.Path.Combine(home, "daemon.json");
                    File.WriteAllText(file, File.ReadAllText(file).Replace(running.Token, "not-the-token"));
                    using (var connection = new DaemonConnection("unity", "test", null, home))
                    {
                        connection.Start();
                        var refused = NextEvent(connection, e => (string)e["type"] == "connection" && (string)e["state"] == "refused", 10);
                        Assert.True(((string)refused["message"]).Contains("refused the token"), $"message: {refused["message"]}");
                    }
                }
                finally
                {
                    running.Stop();
                }
            });

            ViewClientTests.Register(run, shared, pictures);

            run.Test(k_Group, "shared daemon stops", () =>
            {
                daemon?.Stop();
                daemon = null;
            });
        }

        internal static DaemonConnection Connect(string home, string name = "unity", string role = null)
        {
            var connection = new DaemonConnection(name, "test", role == null ? null : new[] { role }, home);
            connection.Start();
            if (!connection.WaitConnected(TimeSpan.FromSeconds(20)))
            {
                connection.Stop();
                throw new Exception($"not connected: {connection.State}: {connection.StateMessage}");
            }
            return connection;
        }

        internal static IDictionary<string, object> Message(string type, params object[] fields)
        {
            var message = new Dictionary<string, object> { { "type", type } };
            for (var i = 0; i < fields.Length; i += 2)
                message[(string)fields[i]] = fields[i + 1];
            return message;
        }

        internal static IDictionary<string, object> Options(params object[] fields) => Message("x", fields).Where(p => p.Key != "type").ToDictionary(p => p.Key, p => p.Value);

        static IDictionary<string, object> Image(string file) => new Dictionary<string, object> { { "path", file } };

        internal static bool IsFinal(IDictionary<string, object> e, string jobId) =>
            e.TryGetValue("jobId", out var id) && (string)id == jobId && ((string)e["type"] == "job.done" || (string)e["type"] == "job.failed" || (string)e["type"] == "job.cancelled");

        internal static T Wait<T>(Task<T> task)
        {
            if (!task.Wait(TimeSpan.FromSeconds(30)))
                throw new TimeoutException("no reply within 30 s");
            return task.Result;
        }

        internal static OrfeasException Failure<T>(Task<T> task)
        {
            try
            {
                task.Wait(TimeSpan.FromSeconds(30));
            }
            catch (AggregateException e) when (e.InnerException is OrfeasException)
            {
                return (OrfeasException)e.InnerException;
            }
            throw new Exception($"expected an OrfeasException, the task ended {task.Status}");
        }

        internal static IDictionary<string, object> NextEvent(DaemonConnection connection, Func<IDictionary<string, object>, bool> match, double seconds, List<IDictionary<string, object>> seen = null)
        {
            var deadline = DateTime.UtcNow.AddSeconds(seconds);
            while (DateTime.UtcNow < deadline)
            {
                if (connection.Events.TryDequeue(out var e))
                {
                    seen?.Add(e);
                    if (match(e))
                        return e;
                    continue;
                }
                Thread.Sleep(10);
            }
            throw new TimeoutException($"no matching event within {seconds} s; state {connection.State}: {connection.StateMessage}");
        }

        internal static string Sha256(byte[] bytes)
        {
            using (var hash = SHA256.Create())
                return string.Concat(hash.ComputeHash(bytes).Select(b => b.ToString("x2")));
        }
    }
}
