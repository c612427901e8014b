// One model on its way into Assets/: waiting for the daemon to accept a request, for its job to finish, for an
// FBX export of a pushed GLB, for the files to download (on the connection's threads), then imported as a
// prefab on the main thread. Step() is called from the bridge's pump and never blocks.
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Orfeas.Bridge.Protocol;
using UnityEditor;
using UnityEngine;

namespace Orfeas.Bridge.Editor
{
    /// <summary>A generated or received model, from request to prefab.</summary>
    sealed class Delivery
    {
        static readonly string[] k_Downloaded = { "fbx", "png", "jpeg" };

        Task<IDictionary<string, object>> m_Reply;
        Task<string>[] m_Downloads;
        string[] m_Files;
        string m_ModelPath;

        /// <summary>The job whose result this waits for (a generation or an FBX export), once known.</summary>
        public string JobId { get; private set; }
        /// <summary>The model's name: the file and prefab name in Assets/.</summary>
        public string Name { get; private set; }
        /// <summary>Where a pushed model should go (`placement`), or null for the Scene view's pivot.</summary>
        public IDictionary<string, object> Placement { get; private set; }
        /// <summary>The collider asked for (`none`, `hull`, `mesh`): a hull becomes a convex MeshCollider.</summary>
        public string Collider { get; private set; } = "none";
        /// <summary>A pushed scene: its prefab holds one model-prefab instance per object.</summary>
        public bool Scene { get; private set; }
        /// <summary>Imported, or given up with a message.</summary>
        public bool Finished { get; private set; }

        /// <summary>Waits for the reply to a generate or export request.</summary>
        public static Delivery ForReply(Task<IDictionary<string, object>> accepted, string name, IDictionary<string, object> placement, string collider) =>
            new Delivery { m_Reply = accepted, Name = name, Placement = placement, Collider = collider };

        /// <summary>Waits for a job already accepted (or, with a null id, for <see cref="OnDone"/> to be called).</summary>
        public static Delivery ForJob(string jobId, string name, IDictionary<string, object> placement, string collider, bool scene = false) =>
            new Delivery { JobId = jobId, Name = name, Placement = placement, Collider = collider, Scene = scene };

        /// <summary>The job finished: download its FBX, or ask for one when the asset has none (a pushed GLB).</summary>
        public void OnDone(string assetId, IReadOnlyList<IDictionary<string, object>> files)
        {
            var fbx = files.FirstOrDefault(f => (string)f["format"] == "fbx");
            var connection = OrfeasBridge.Require();
            if (fbx == null)
            {
                if (assetId == null)
                {
                    Fail($"{Name}: the job has no model to import.");
                    return;
                }
                var options = OrfeasSettings.Options;
                var export = new Dictionary<string, object>
                {
                    { "type", "export" }, { "assetId", assetId }, { "format", "fbx" }, { "profile", "unity" },
                    { "lods", options.TryGetValue("lods", out var lods) ? lods : new List<object>() },
                    { "collider", Collider },
                };
                JobId = null;
                m_Reply = connection.Request(export);
                return;
            }
            var folder = ModelImport.NewFolder(Name);
            m_ModelPath = $"{folder}/{Path.GetFileName((string)fbx["name"])}";
            var wanted = files.Where(f => k_Downloaded.Contains((string)f["format"])).Select(f => (string)f["name"]).ToList();
            m_Files = wanted.Select(file => $"{folder}/{Path.GetFileName(file)}").ToArray();
            m_Downloads = wanted.Select((file, i) => connection.DownloadTo(assetId, file, ModelImport.FullPath(m_Files[i]))).ToArray();
        }

        /// <summary>Moves on when a reply or the downloads are in; true when something changed.</summary>
        public bool Step()
        {
            if (m_Reply != null && m_Reply.IsCompleted)
            {
                var reply = m_Reply;
                m_Reply = null;
                if (reply.Status != TaskStatus.RanToCompletion)
                {
                    Fail($"{Name}: {Describe(reply.Exception?.GetBaseException())}");
                    return true;
                }
                JobId = (string)reply.Result["jobId"];
                OrfeasBridge.Track(JobId, Name);
                return true;
            }
            if (m_Downloads == null || !m_Downloads.All(d => d.IsCompleted))
                return false;
            var failed = m_Downloads.FirstOrDefault(d => d.Status != TaskStatus.RanToCompletion);
            m_Downloads = null;
            if (failed != null)
            {
                Fail($"{Name}: {Describe(failed.Exception?.GetBaseException())}");
                return true;
            }
            try
            {
                // Textures a model names beside itself are imported first, so the model's materials find them.
                foreach (var texture in m_Files.Where(file => file != m_ModelPath))
                    AssetDatabase.ImportAsset(texture, ImportAssetOptions.ForceSynchronousImport);
                var prefab = ModelImport.Import(m_ModelPath, Name, Placement, Collider == "hull", Scene);
                OrfeasBridge.Say($"Imported {Name} as {AssetDatabase.GetAssetPath(prefab)}.");
            }
            catch (OrfeasException error)
            {
                OrfeasBridge.Say($"{Name}: {error.Message} [{error.Code}]", true);
            }
            Finished = true;
            return true;
        }

        /// <summary>What survives a domain reload (SessionState): the job, the name and the placement.</summary>
        public IDictionary<string, object> Save() => new Dictionary<string, object>
        {
            { "jobId", JobId }, { "name", Name }, { "placement", Placement }, { "collider", Collider },
        };

        /// <summary>A delivery saved before a domain reload, waiting for its job again.</summary>
        public static Delivery Load(IDictionary<string, object> saved) =>
            ForJob((string)saved["jobId"], (string)saved["name"], saved["placement"] as IDictionary<string, object>, saved["collider"] as string ?? "none");

        void Fail(string message)
        {
            Finished = true;
            OrfeasBridge.Say(message, true);
        }

        static string Describe(System.Exception error) =>
            error is OrfeasException coded ? $"{coded.Message} [{coded.Code}]" : error?.Message ?? "failed";
    }
}
