// The bridge while the editor runs: one DaemonConnection, the jobs the window lists, and the models on their way
// into Assets/. Everything the network causes happens in Pump, on EditorApplication.update (which keeps ticking,
// slower, while the editor is unfocused — unlike delayCall). Before a domain reload the deliveries are written to
// SessionState; after it they are read back, the connection starts again and subscribes to their jobs, so a
// result that arrived meanwhile is sent again by the daemon and still lands.
using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Orfeas.Bridge.Protocol;
using UnityEditor;
using UnityEngine;

namespace Orfeas.Bridge.Editor
{
    /// <summary>The bridge's state and main-thread pump.</summary>
    [InitializeOnLoad]
    static class OrfeasBridge
    {
        const string k_Version = "0.1.0";
        const string k_SessionDeliveries = "Orfeas.Bridge.Deliveries";

        static readonly List<Delivery> s_Deliveries = new List<Delivery>();
        static Task<IDictionary<string, object>> s_Listing;
        static string s_Target = ""; // the team server the connection was made for (URL, token, pin), "" for the local daemon

        /// <summary>The link to the daemon, or null before the first connect.</summary>
        public static DaemonConnection Connection { get; private set; }

        /// <summary>The jobs the window lists.</summary>
        public static JobBook Jobs { get; private set; } = new JobBook();

        /// <summary>The last thing worth telling the user, and whether it is an error.</summary>
        public static string Notice { get; private set; } = "";
        public static bool NoticeIsError { get; private set; }

        /// <summary>Raised on the main thread when anything the window shows changed.</summary>
        public static event Action Changed;

        static OrfeasBridge()
        {
            AssemblyReloadEvents.beforeAssemblyReload += BeforeReload;
            EditorApplication.quitting += () => Connection?.Stop(false);
            EditorApplication.update += Pump;
            Restore();
            if (!OrfeasSettings.AutoConnect && s_Deliveries.Count == 0)
                return;
            try
            {
                Configure();
            }
            catch (OrfeasException error)
            {
                Say($"{error.Message} [{error.Code}]", true);
            }
        }

        /// <summary>
        /// Creates the connection: to the team server of the settings, else to the local daemon of the home. Makes it
        /// again when the server, its token or its pin changed; reconnects when the home or roles changed or it is not
        /// connected. Throws <see cref="OrfeasException"/> when the server settings are refused.
        /// </summary>
        public static void Configure()
        {
            var roles = OrfeasSettings.Receive ? new[] { "import-target" } : new string[0];
            var home = OrfeasSettings.Home;
            var server = OrfeasSettings.Server;
            var target = server == null ? "" : $"{server.Url}\n{server.Token}\n{server.Fingerprint}";
            if (Connection != null && target != s_Target)
            {
                // The jobs of one daemon mean nothing to another; a new token or pin for the same server keeps them.
                if (server?.Url != Connection.Server?.Url)
                {
                    s_Deliveries.Clear();
                    Jobs = new JobBook();
                }
                Connection.Stop(false);
                Connection = null;
            }
            if (Connection == null)
            {
                Action<string> log = line => Debug.Log($"Orfeas: {line}");
                Connection = server == null ? new DaemonConnection("unity", k_Version, roles, home, log) : new DaemonConnection("unity", k_Version, roles, server, log);
                s_Target = target;
                Connection.Start();
            }
            else if ((server == null && Connection.Home != home) || !Connection.Roles.SequenceEqual(roles) || Connection.State != ConnectionState.Connected)
            {
                Connection.Reconnect(roles, server == null ? home : null);
            }
        }

        /// <summary>
        /// Starts a generation from one picture, several views or a turnaround sheet (to a team server, the pictures'
        /// bytes go with it); its FBX becomes a prefab when it is done. Throws <see cref="OrfeasException"/> when not
        /// connected or the request is refused before sending.
        /// </summary>
        public static Task<IDictionary<string, object>> Generate(ViewSet pictures, string name, IDictionary<string, object> options)
        {
            var connection = Require();
            var accepted = connection.Generate(pictures, options, name);
            s_Deliveries.Add(Delivery.ForReply(accepted, name, null, options.TryGetValue("collider", out var collider) ? collider as string ?? "none" : "none"));
            return accepted;
        }

        /// <summary>Brings a finished job's model in again (the Recent list's Import).</summary>
        public static void Import(JobView job)
        {
            Require();
            var delivery = Delivery.ForJob(job.JobId, job.Name, null, Collider());
            s_Deliveries.Add(delivery);
            delivery.OnDone(job.AssetId, job.Files);
        }

        /// <summary>Cancels a job; its model is not imported.</summary>
        public static void Cancel(string jobId)
        {
            Require().Request(new Dictionary<string, object> { { "type", "cancel" }, { "jobId", jobId } });
            s_Deliveries.RemoveAll(d => d.JobId == jobId);
        }

        /// <summary>Something to show in the window (and the console for errors).</summary>
        public static void Say(string text, bool error = false)
        {
            Notice = text;
            NoticeIsError = error;
            if (error)
                Debug.LogError($"Orfeas: {text}");
            Changed?.Invoke();
        }

        /// <summary>The collider of the window's options, for exports of received or listed models.</summary>
        static string Collider() => OrfeasSettings.Options.TryGetValue("collider", out var collider) ? collider as string ?? "none" : "none";

        internal static DaemonConnection Require()
        {
            if (Connection == null || Connection.State != ConnectionState.Connected)
                throw new OrfeasException("E_CONNECTION", $"Not connected to the Orfeas daemon. {Connection?.StateMessage ?? "Press Connect."}");
            return Connection;
        }

        internal static void Track(string jobId, string name)
        {
            Jobs.Add(jobId, name);
            Connection.Follow(jobId);
        }

        static void Pump()
        {
            var connection = Connection;
            if (connection == null)
                return;
            var changed = false;
            while (connection.Events.TryDequeue(out var e))
            {
                changed = true;
                try
                {
                    Handle(e);
                }
                catch (Exception error) // one bad event must not stop the pump
                {
                    Debug.LogException(error);
                }
            }
            foreach (var delivery in s_Deliveries.ToList())
                changed |= delivery.Step();
            changed |= s_Deliveries.RemoveAll(d => d.Finished) > 0;
            if (s_Listing != null && s_Listing.IsCompleted)
            {
                if (s_Listing.Status == TaskStatus.RanToCompletion)
                    Jobs.Load(((IEnumerable<object>)s_Listing.Result["jobs"]).Cast<IDictionary<string, object>>());
                s_Listing = null;
                changed = true;
            }
            if (changed)
                Changed?.Invoke();
        }

        static void Handle(IDictionary<string, object> e)
        {
            var type = (string)e["type"];
            if (type == "connection")
            {
                var state = (string)e["state"];
                if (state == "connected")
                {
                    s_Listing = Connection.Request(new Dictionary<string, object> { { "type", "job.list" }, { "state", "done" }, { "limit", (double)Jobs.Keep } });
                    foreach (var delivery in s_Deliveries.Where(d => d.JobId != null))
                        Connection.Follow(delivery.JobId);
                }
                return;
            }
            if (type == "import")
            {
                if (OrfeasSettings.Receive)
                    Received(e);
                return;
            }
            // A second final event of a job would import it twice; the daemon sends one, and a repeat is ignored anyway.
            if (Jobs.IsRepeat(e))
                return;
            var view = Jobs.Apply(e);
            foreach (var delivery in s_Deliveries.Where(d => d.JobId == (string)e["jobId"]).ToList())
            {
                if (type == "job.done")
                    delivery.OnDone(e.TryGetValue("assetId", out var asset) ? (string)asset : null, ((IEnumerable<object>)e["files"]).Cast<IDictionary<string, object>>().ToList());
                else if (type == "job.failed" || type == "job.cancelled")
                {
                    s_Deliveries.Remove(delivery);
                    Say(type == "job.failed" ? $"{delivery.Name}: {e["message"]} [{e["code"]}]" : $"{delivery.Name}: cancelled.", type == "job.failed");
                }
            }
            if (view != null && type == "job.failed" && s_Deliveries.All(d => d.JobId != view.JobId))
                Changed?.Invoke();
        }

        static void Received(IDictionary<string, object> e)
        {
            var from = e.TryGetValue("from", out var source) ? (string)source : "another editor";
            var files = ((IEnumerable<object>)e["files"]).Cast<IDictionary<string, object>>().ToList();
            var name = files.Select(f => System.IO.Path.GetFileNameWithoutExtension((string)f["name"])).FirstOrDefault() ?? "Orfeas model";
            var placement = e.TryGetValue("placement", out var p) ? (IDictionary<string, object>)p : null;
            var scene = e.ContainsKey("sceneId");
            // A scene names no asset; its files' urls do. It keeps its objects' positions: its origin goes to the
            // scene's origin, not to the Scene view's pivot, unless the push says where.
            var asset = e.TryGetValue("assetId", out var id) ? (string)id : files.Select(SceneAsset.Of).FirstOrDefault(a => a != null);
            if (scene && placement == null)
                placement = new Dictionary<string, object> { { "position", new List<object> { 0.0, 0.0, 0.0 } } };
            var delivery = Delivery.ForJob(null, name, placement, scene ? "none" : Collider(), scene);
            s_Deliveries.Add(delivery);
            delivery.OnDone(asset, files);
            Say($"Receiving {(scene ? "the scene " : "")}{name} from {from}…");
        }

        static void BeforeReload()
        {
            SessionState.SetString(k_SessionDeliveries, Json.Stringify(s_Deliveries.Where(d => d.JobId != null).Select(d => (object)d.Save()).ToList()));
            Connection?.Stop(false);
        }

        static void Restore()
        {
            var saved = SessionState.GetString(k_SessionDeliveries, "");
            SessionState.EraseString(k_SessionDeliveries);
            if (saved == "")
                return;
            try
            {
                foreach (var item in (IEnumerable<object>)Json.Parse(saved))
                {
                    var delivery = Delivery.Load((IDictionary<string, object>)item);
                    s_Deliveries.Add(delivery);
                    Jobs.Add(delivery.JobId, delivery.Name);
                }
            }
            catch (FormatException)
            {
                // a session entry from another version of the bridge: nothing to resume
            }
        }
    }
}
