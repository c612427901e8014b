// Window ▸ Orfeas: connection, picture (drop a Texture2D or pick a file), options with the daemon's defaults,
// Generate, a progress bar per job with Cancel, recent jobs with Import, and the Receive and placement switches.
// Drawing only reads the bridge's state; every action returns at once and the pump reports the outcome.
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using Orfeas.Bridge.Protocol;
using UnityEditor;
using UnityEngine;

namespace Orfeas.Bridge.Editor
{
    /// <summary>The Orfeas editor window.</summary>
    sealed class OrfeasWindow : EditorWindow
    {
        static readonly int[] k_TextureSizes = { 512, 1024, 2048, 4096 };
        static readonly string[] k_PictureExtensions = { "png", "jpg", "jpeg", "webp", "gif", "tif", "tiff", "avif" };

        [SerializeField] Texture2D m_Texture;
        [SerializeField] string m_PicturePath = "";
        [SerializeField] string m_Name = "";
        [SerializeField] string m_Home;
        [SerializeField] Vector2 m_Scroll;

        [MenuItem("Window/Orfeas")]
        static void Open() => GetWindow<OrfeasWindow>("Orfeas");

        void OnEnable()
        {
            m_Home = OrfeasSettings.Home;
            OrfeasBridge.Changed += Repaint;
        }

        void OnDisable() => OrfeasBridge.Changed -= Repaint;

        void OnGUI()
        {
            m_Scroll = EditorGUILayout.BeginScrollView(m_Scroll);
            DrawConnection();
            EditorGUILayout.Space();
            DrawPicture();
            var connected = OrfeasBridge.Connection != null && OrfeasBridge.Connection.State == ConnectionState.Connected;
            using (new EditorGUI.DisabledScope(!connected))
            {
                DrawOptions();
                using (new EditorGUI.DisabledScope(PicturePath() == ""))
                {
                    if (GUILayout.Button("Generate", GUILayout.Height(28)))
                        Act(Generate);
                }
            }
            DrawJobs();
            if (OrfeasBridge.Notice != "")
                EditorGUILayout.HelpBox(OrfeasBridge.Notice, OrfeasBridge.NoticeIsError ? MessageType.Error : MessageType.Info);
            EditorGUILayout.EndScrollView();
        }

        void DrawConnection()
        {
            var connection = OrfeasBridge.Connection;
            using (new EditorGUILayout.HorizontalScope())
            {
                EditorGUILayout.LabelField(connection == null ? "Not connected" : connection.State.ToString(), EditorStyles.boldLabel);
                if (GUILayout.Button("Connect", GUILayout.Width(80)))
                    Act(OrfeasBridge.Configure);
            }
            if (connection != null && connection.State != ConnectionState.Connected)
                EditorGUILayout.HelpBox(connection.StateMessage, connection.State == ConnectionState.Connecting ? MessageType.Info : MessageType.Warning);
            using (new EditorGUILayout.HorizontalScope())
            {
                m_Home = EditorGUILayout.TextField(new GUIContent("Orfeas home", "The daemon's home folder (empty: ORFEAS_HOME, else ~/.orfeas)"), m_Home);
                if (m_Home != OrfeasSettings.Home && GUILayout.Button("Apply", GUILayout.Width(60)))
                {
                    OrfeasSettings.Home = m_Home;
                    Act(OrfeasBridge.Configure);
                }
            }
            var receive = EditorGUILayout.Toggle(new GUIContent("Receive from editors", "Import models sent from VS Code or Blender"), OrfeasSettings.Receive);
            if (receive != OrfeasSettings.Receive)
            {
                OrfeasSettings.Receive = receive;
                Act(OrfeasBridge.Configure);
            }
            OrfeasSettings.PlaceInScene = EditorGUILayout.Toggle(new GUIContent("Place in scene", "Put each new prefab at the Scene view's pivot"), OrfeasSettings.PlaceInScene);
        }

        void DrawPicture()
        {
            var texture = (Texture2D)EditorGUILayout.ObjectField("Picture", m_Texture, typeof(Texture2D), false);
            if (texture != m_Texture)
            {
                m_Texture = texture;
                m_PicturePath = "";
            }
            using (new EditorGUILayout.HorizontalScope())
            {
                EditorGUILayout.LabelField(" ", PicturePath() == "" ? "Drop a texture above or pick a file" : Path.GetFileName(PicturePath()));
                if (GUILayout.Button("Pick File…", GUILayout.Width(90)))
                {
                    var picked = EditorUtility.OpenFilePanelWithFilters("Picture to turn into a model", "", new[] { "Pictures", string.Join(",", k_PictureExtensions) });
                    if (picked != "")
                    {
                        m_PicturePath = picked;
                        m_Texture = null;
                    }
                }
            }
            m_Name = EditorGUILayout.TextField(new GUIContent("Name", "Name of the model and its prefab (default: the picture's)"), m_Name);
        }

        void DrawOptions()
        {
            var options = Options();
            var schema = ProtocolMessages.GenerateOptions();
            var welcome = OrfeasBridge.Connection?.Welcome;
            var models = (welcome != null ? (IEnumerable<object>)welcome["models"] : new object[0]).Cast<IDictionary<string, object>>()
                .Where(m => (bool)m["installed"]).ToList();
            options["model"] = Choice("Model", (string)options["model"], new[] { Default(schema, "model") }.Concat(models.Where(m => (string)m["kind"] != "segmentation").Select(m => (string)m["id"])).Distinct().ToArray());
            options["segmentation"] = Choice("Background", (string)options["segmentation"], new[] { "auto", "alpha", "chroma" }.Concat(models.Where(m => (string)m["kind"] == "segmentation").Select(m => (string)m["id"])).ToArray());
            options["resolution"] = (double)EditorGUILayout.IntSlider("Resolution", (int)(double)options["resolution"], (int)Bound(schema, "resolution", "minimum"), (int)Bound(schema, "resolution", "maximum"));
            options["thickness"] = (double)EditorGUILayout.Slider("Thickness", (float)(double)options["thickness"], (float)Bound(schema, "thickness", "minimum"), (float)Bound(schema, "thickness", "maximum"));
            options["textureSize"] = (double)EditorGUILayout.IntPopup("Texture size", (int)(double)options["textureSize"], k_TextureSizes.Select(s => s.ToString()).ToArray(), k_TextureSizes);
            options["height"] = Clamp(EditorGUILayout.DoubleField("Height (m)", (double)options["height"]), schema, "height");
            options["maxTriangles"] = Clamp(EditorGUILayout.IntField("Max triangles", (int)(double)options["maxTriangles"]), schema, "maxTriangles");
            var lods = string.Join(", ", ((IEnumerable<object>)options["lods"]).Select(r => ((double)r).ToString(CultureInfo.InvariantCulture)));
            var typed = EditorGUILayout.DelayedTextField(new GUIContent("LODs", "Decreasing ratios, e.g. 1, 0.5, 0.25 (empty: one level)"), lods);
            if (typed != lods)
                Act(() => options["lods"] = ParseLods(typed));
            options["collider"] = Choice("Collider", (string)options["collider"], ((IEnumerable<object>)((IDictionary<string, object>)schema["collider"])["enum"]).Cast<string>().ToArray());
            if (Json.Stringify(options) != Json.Stringify(OrfeasSettings.Options))
                OrfeasSettings.Options = options;
            if (welcome != null && GUILayout.Button("Reset to Defaults"))
                OrfeasSettings.Options = new Dictionary<string, object>((IDictionary<string, object>)welcome["defaults"]);
        }

        void DrawJobs()
        {
            foreach (var job in OrfeasBridge.Jobs.Active.ToList())
            {
                using (new EditorGUILayout.HorizontalScope())
                {
                    var rect = GUILayoutUtility.GetRect(18, 18, "TextField");
                    EditorGUI.ProgressBar(rect, (float)job.Progress, $"{job.Name}: {job.Describe()}");
                    if (GUILayout.Button("Cancel", GUILayout.Width(60)))
                        Act(() => OrfeasBridge.Cancel(job.JobId));
                }
            }
            var finished = OrfeasBridge.Jobs.Views.Where(j => !j.Active).ToList();
            if (finished.Count == 0)
                return;
            EditorGUILayout.LabelField("Recent", EditorStyles.boldLabel);
            foreach (var job in finished)
            {
                using (new EditorGUILayout.HorizontalScope())
                {
                    EditorGUILayout.LabelField(job.Name, job.State == "done" ? "" : job.Describe());
                    using (new EditorGUI.DisabledScope(job.State != "done" || job.AssetId == null))
                    {
                        if (GUILayout.Button("Import", GUILayout.Width(60)))
                            Act(() => OrfeasBridge.Import(job));
                    }
                }
            }
        }

        void Generate()
        {
            var picture = PicturePath();
            var name = m_Name.Trim() != "" ? m_Name.Trim() : Path.GetFileNameWithoutExtension(picture);
            var options = new Dictionary<string, object>(Options()) { ["formats"] = new List<object> { "fbx" }, ["profile"] = "unity" };
            OrfeasBridge.Generate(picture, name, options);
            OrfeasBridge.Say($"Generating {name}…");
        }

        /// <summary>The window's options: the ones last used, else the daemon's defaults, else the schema's.</summary>
        static Dictionary<string, object> Options()
        {
            var schema = ProtocolMessages.GenerateOptions();
            var defaults = OrfeasBridge.Connection?.Welcome?["defaults"] as IDictionary<string, object>;
            var options = new Dictionary<string, object>();
            foreach (var key in new[] { "model", "segmentation", "resolution", "thickness", "textureSize", "height", "maxTriangles", "lods", "collider" })
                options[key] = defaults != null && defaults.TryGetValue(key, out var value) ? value : ((IDictionary<string, object>)schema[key])["default"];
            foreach (var saved in OrfeasSettings.Options.Where(p => options.ContainsKey(p.Key)))
                options[saved.Key] = saved.Value;
            return options;
        }

        string PicturePath()
        {
            if (m_Texture != null)
                return ModelImport.FullPath(AssetDatabase.GetAssetPath(m_Texture));
            return m_PicturePath ?? "";
        }

        void Act(System.Action action)
        {
            try
            {
                action();
            }
            catch (OrfeasException error)
            {
                ShowNotification(new GUIContent(error.Message));
                OrfeasBridge.Say($"{error.Message} [{error.Code}]", true);
            }
        }

        static string Choice(string label, string value, string[] choices)
        {
            // A value that is not offered (a model not installed here) stays selectable; the daemon's refusal says how to pull it.
            if (System.Array.IndexOf(choices, value) < 0)
                choices = choices.Concat(new[] { value }).ToArray();
            return choices[EditorGUILayout.Popup(label, System.Array.IndexOf(choices, value), choices)];
        }

        static string Default(IReadOnlyDictionary<string, object> schema, string key) => (string)((IDictionary<string, object>)schema[key])["default"];

        static double Bound(IReadOnlyDictionary<string, object> schema, string key, string bound) => (double)((IDictionary<string, object>)schema[key])[bound];

        static double Clamp(double value, IReadOnlyDictionary<string, object> schema, string key) =>
            System.Math.Min(Bound(schema, key, "maximum"), System.Math.Max(Bound(schema, key, "minimum"), value));

        static List<object> ParseLods(string text)
        {
            var ratios = new List<object>();
            foreach (var part in text.Split(',', ';').Select(p => p.Trim()).Where(p => p != ""))
            {
                if (!double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out var ratio))
                    throw new OrfeasException("E_BAD_MESSAGE", "LODs must be decreasing numbers between 0 and 1, e.g. 1, 0.5, 0.25.");
                ratios.Add(ratio);
            }
            return ratios;
        }
    }
}
