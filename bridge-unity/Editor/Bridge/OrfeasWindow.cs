// Window ▸ Orfeas: connection (the local daemon of the Orfeas home, with Start daemon when none answers, or a team
// server: URL, token, fingerprint), pictures (the front, and under More views the other sides or a turnaround sheet; each
// a dropped Texture2D or a picked file), options with the daemon's defaults, Generate, a progress bar per job with
// Cancel, recent jobs with Import, and the Receive and placement switches.
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
        static readonly string[] k_SheetLayouts = ViewSet.SheetLayouts.Select(layout => string.Join(", ", layout)).ToArray();

        // Where the camera stands for each side, in ViewSet.Sides order; the words of the protocol's view names.
        static readonly string[] k_SideTips =
        {
            "The object from behind",
            "From the object's left side: its front on the right of the picture",
            "From the object's right side: its front on the left of the picture",
            "From above: the object's front at the bottom of the picture",
        };

        [SerializeField] PictureSlot m_Front = new PictureSlot();
        [SerializeField] PictureSlot[] m_Sides = NewSides();
        [SerializeField] bool m_ShowViews;
        [SerializeField] bool m_Sheet;
        [SerializeField] int m_SheetLayout;
        [SerializeField] string m_Name = "";
        [SerializeField] string m_Home;
        [SerializeField] Vector2 m_Scroll;
        // The server fields are read again from the settings on enable. The token is never serialized: the window's
        // state is saved with the project's layout (Library/), and the token stays in EditorPrefs.
        string m_ServerUrl = "";
        string m_Token = "";
        string m_Fingerprint = "";

        [MenuItem("Window/Orfeas")]
        static void Open() => GetWindow<OrfeasWindow>("Orfeas");

        void OnEnable()
        {
            // A window saved by an older version of the package has no side slots.
            if (m_Front == null)
                m_Front = new PictureSlot();
            if (m_Sides == null || m_Sides.Length != ViewSet.Sides.Count || m_Sides.Any(side => side == null))
                m_Sides = NewSides();
            m_Home = OrfeasSettings.Home;
            ShowServer(OrfeasSettings.ServerUrl);
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
                using (new EditorGUI.DisabledScope(m_Front.IsEmpty))
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
            DrawServer();
            using (new EditorGUI.DisabledScope(OrfeasSettings.ServerUrl != ""))
            using (new EditorGUILayout.HorizontalScope())
            {
                m_Home = EditorGUILayout.TextField(new GUIContent("Orfeas home", "The local daemon's home folder (empty: ORFEAS_HOME, else .orfeas in your user folder)"), m_Home);
                if (m_Home != OrfeasSettings.Home && GUILayout.Button("Apply", GUILayout.Width(60)))
                {
                    OrfeasSettings.Home = m_Home;
                    Act(OrfeasBridge.Configure);
                }
            }
            DrawStart();
            var receive = EditorGUILayout.Toggle(new GUIContent("Receive from editors", "Import models sent from VS Code or Blender"), OrfeasSettings.Receive);
            if (receive != OrfeasSettings.Receive)
            {
                OrfeasSettings.Receive = receive;
                Act(OrfeasBridge.Configure);
            }
            OrfeasSettings.PlaceInScene = EditorGUILayout.Toggle(new GUIContent("Place in scene", "Put each new prefab at the Scene view's pivot"), OrfeasSettings.PlaceInScene);
        }

        // No daemon answers on this machine: a button that starts one (detached, it outlives Unity), or how to get one.
        void DrawStart()
        {
            if (OrfeasSettings.ServerUrl != "" || !DaemonStartup.Missing(OrfeasSettings.Home))
                return;
            if (DaemonStartup.Starting)
            {
                EditorGUILayout.HelpBox("Starting the daemon…", MessageType.Info);
                return;
            }
            if (DaemonStartup.Failure != "")
                EditorGUILayout.HelpBox(DaemonStartup.Failure, MessageType.Error);
            var command = DaemonStartup.Find(out var problem);
            if (command != null)
            {
                using (new EditorGUILayout.HorizontalScope())
                {
                    EditorGUILayout.LabelField(new GUIContent(command.ToString(), "Runs `orfeas daemon --home` with the Orfeas home; it keeps running when Unity closes, and its output goes to "
                        + DaemonLauncher.k_LogName + " in the home."));
                    if (GUILayout.Button("Start daemon", GUILayout.Width(100)))
                        Act(() => DaemonStartup.Start(OrfeasSettings.Home));
                }
            }
            else
                EditorGUILayout.HelpBox(problem, MessageType.Warning);
            var typed = EditorGUILayout.DelayedTextField(new GUIContent("Orfeas command", "Path of orfeas, orfeas.cmd or orfeas.cjs for Start daemon, kept for you on this machine "
                + "(empty: `orfeas` on the PATH, else the copy in VS Code's Orfeas extension)"), OrfeasSettings.Command);
            if (typed != OrfeasSettings.Command)
                OrfeasSettings.Command = typed;
        }

        // A team server instead of the local daemon. A new URL shows that server's own token and fingerprint (empty
        // until given), so a token typed for one server is never sent to another.
        void DrawServer()
        {
            var url = EditorGUILayout.DelayedTextField(new GUIContent("Server", "A team server's URL, e.g. https://gpu-box:7878 (empty: the daemon on this machine)"), m_ServerUrl);
            if (url != m_ServerUrl)
                ShowServer(url);
            if (m_ServerUrl.Trim() == "")
            {
                if (OrfeasSettings.ServerUrl != "" && GUILayout.Button("Use the Daemon on This Machine"))
                    Act(ApplyServer);
                return;
            }
            m_Token = EditorGUILayout.PasswordField(new GUIContent("Token", "Your user token (`orfeas users add NAME` on the server prints it); kept in this machine's EditorPrefs, never in the project"), m_Token);
            m_Fingerprint = EditorGUILayout.TextField(new GUIContent("Fingerprint", "SHA-256 of the server's self-signed certificate as the server prints it (AB:CD:…); empty: this machine must trust its certificate"), m_Fingerprint);
            var saved = OrfeasSettings.ServerUrl;
            var changed = Normal(m_ServerUrl) != saved || m_Token.Trim() != OrfeasSettings.TokenFor(saved) || m_Fingerprint.Trim() != OrfeasSettings.FingerprintFor(saved);
            if (changed && GUILayout.Button("Apply Server Settings"))
                Act(ApplyServer);
        }

        void ApplyServer()
        {
            OrfeasSettings.SetServer(m_ServerUrl, m_Token, m_Fingerprint);
            ShowServer(OrfeasSettings.ServerUrl);
            OrfeasBridge.Configure();
        }

        void ShowServer(string url)
        {
            m_ServerUrl = url ?? "";
            m_Token = OrfeasSettings.TokenFor(m_ServerUrl);
            m_Fingerprint = OrfeasSettings.FingerprintFor(m_ServerUrl);
        }

        // The URL as the settings keep it, or as typed when it does not parse (then Apply says why).
        static string Normal(string url)
        {
            try
            {
                return TeamServer.NormalUrl(url) ?? "";
            }
            catch (OrfeasException)
            {
                return url.Trim();
            }
        }

        void DrawPicture()
        {
            var label = m_Sheet
                ? new GUIContent("Sheet", "One picture holding the views side by side, left to right (the layout under More views)")
                : new GUIContent("Front", "The object seen from the front");
            var title = m_Sheet ? "Turnaround sheet to turn into a model" : "Picture to turn into a model (the front)";
            if (m_Front.Draw(label, title, "Drop a texture above or pick a file", false, "") && !m_Sheet)
                FindSides();
            DrawMoreViews();
            m_Name = EditorGUILayout.TextField(new GUIContent("Name", "Name of the model and its prefab (default: the picture's)"), m_Name);
        }

        void DrawMoreViews()
        {
            var given = ViewSet.Sides.Where((side, i) => !m_Sides[i].IsEmpty).ToList();
            var summary = m_Sheet ? $" (sheet: {k_SheetLayouts[SheetLayout()]})" : given.Count > 0 ? $" ({string.Join(", ", given)})" : "";
            m_ShowViews = EditorGUILayout.Foldout(m_ShowViews, "More views" + summary, true);
            if (!m_ShowViews)
                return;
            using (new EditorGUI.IndentLevelScope())
            {
                m_Sheet = EditorGUILayout.Toggle(new GUIContent("Sheet", "The picture above is a turnaround sheet: several views side by side on one background"), m_Sheet);
                if (m_Sheet)
                    m_SheetLayout = EditorGUILayout.Popup(new GUIContent("Layout", "The sheet's views, left to right"), SheetLayout(), k_SheetLayouts);
                // A sheet holds every view: the other pictures stay chosen but are not sent with it.
                using (new EditorGUI.DisabledScope(m_Sheet))
                {
                    var folder = m_Front.IsEmpty ? "" : Path.GetDirectoryName(m_Front.Path);
                    for (var i = 0; i < m_Sides.Length; i++)
                    {
                        var side = ViewSet.Sides[i];
                        var name = char.ToUpperInvariant(side[0]) + side.Substring(1);
                        m_Sides[i].Draw(new GUIContent(name, k_SideTips[i]), $"The {side} view of the same object", "None", true, folder);
                    }
                }
            }
        }

        void DrawOptions()
        {
            var options = Options();
            var schema = ProtocolMessages.GenerateOptions();
            var welcome = OrfeasBridge.Connection?.Welcome;
            var models = (welcome != null ? (IEnumerable<object>)welcome["models"] : new object[0]).Cast<IDictionary<string, object>>()
                .Where(m => (bool)m["installed"]).ToList();
            options["model"] = Choice("Model", (string)options["model"], new[] { Default(schema, "model") }.Concat(models.Where(m => (string)m["kind"] != "segmentation").Select(m => (string)m["id"])).Distinct().ToArray());
            if (SeveralViews() && (string)options["model"] != Default(schema, "model"))
                EditorGUILayout.HelpBox($"Pictures from several sides are carved by the built-in shape: set Model to {Default(schema, "model")}, or send the front alone.", MessageType.Warning);
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
                    // A model made from several views says how well each picture agrees with it.
                    EditorGUILayout.LabelField(job.Name, job.State == "done" ? ViewSet.DescribeAgreement(job.Stats) ?? "" : job.Describe());
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
            var pictures = Pictures();
            var picture = m_Front.Path;
            // crate_front.png with crate_right.png makes "crate"; one picture keeps its whole name, as before.
            var name = m_Name.Trim() != "" ? m_Name.Trim() : pictures.Views.Count > 1 && !pictures.IsSheet ? ViewSet.BaseName(picture) : Path.GetFileNameWithoutExtension(picture);
            var options = new Dictionary<string, object>(Options()) { ["formats"] = new List<object> { "fbx" }, ["profile"] = "unity" };
            OrfeasBridge.Generate(pictures, name, options);
            OrfeasBridge.Say(pictures.Views.Count > 1 ? $"Generating {name} from the {string.Join(", ", pictures.Views)} views…" : $"Generating {name}…");
        }

        /// <summary>What Generate sends: the sheet, or the front with the sides chosen (E_BAD_MESSAGE without a front).</summary>
        ViewSet Pictures()
        {
            var front = m_Front.Path;
            if (m_Sheet)
                return ViewSet.Sheet(front, ViewSet.SheetLayouts[SheetLayout()]);
            var pictures = ViewSet.Front(front);
            for (var i = 0; i < m_Sides.Length; i++)
            {
                if (!m_Sides[i].IsEmpty)
                    pictures = pictures.With(ViewSet.Sides[i], m_Sides[i].Path);
            }
            return pictures;
        }

        bool SeveralViews() => m_Sheet || m_Sides.Any(side => !side.IsEmpty);

        int SheetLayout() => System.Math.Max(0, System.Math.Min(k_SheetLayouts.Length - 1, m_SheetLayout));

        // A front named crate_front.png brings crate_back, _left, _right and _top from its folder into the empty slots.
        void FindSides()
        {
            var front = m_Front.Path;
            if (ViewSet.ViewOf(front) != "front")
                return;
            string[] files;
            try
            {
                files = Directory.GetFiles(Path.GetDirectoryName(front)).Where(PictureSlot.IsPicture).ToArray();
            }
            catch (System.Exception error) when (error is IOException || error is System.UnauthorizedAccessException || error is System.ArgumentException)
            {
                return; // the folder cannot be listed: the sides can still be picked by hand
            }
            var found = ViewSet.Beside(front, files);
            var filled = new List<string>();
            for (var i = 0; i < m_Sides.Length; i++)
            {
                if (m_Sides[i].IsEmpty && found.TryGetValue(ViewSet.Sides[i], out var file))
                {
                    m_Sides[i].Set(file);
                    filled.Add(ViewSet.Sides[i]);
                }
            }
            if (filled.Count == 0)
                return;
            m_ShowViews = true;
            OrfeasBridge.Say($"Found the {string.Join(", ", filled)} view{(filled.Count > 1 ? "s" : "")} beside {Path.GetFileName(front)}.");
        }

        static PictureSlot[] NewSides() => ViewSet.Sides.Select(side => new PictureSlot()).ToArray();

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
