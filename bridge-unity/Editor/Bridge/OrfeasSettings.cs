// The bridge's settings, kept per machine in EditorPrefs (the daemon and its home belong to the machine). A team
// server's token is kept there too, under the server's URL: per user and machine, outside the project, so it never
// reaches version control, and a token is only ever sent to the server it was entered for.
using System;
using System.Collections.Generic;
using Orfeas.Bridge.Protocol;
using UnityEditor;

namespace Orfeas.Bridge.Editor
{
    /// <summary>Settings shown in the Orfeas window.</summary>
    static class OrfeasSettings
    {
        const string k_Prefix = "Orfeas.Bridge.";

        /// <summary>The daemon's home folder; empty for ORFEAS_HOME, else .orfeas in the user's home (Discovery.OrfeasHome).</summary>
        public static string Home
        {
            get => EditorPrefs.GetString(k_Prefix + "Home", "");
            set => EditorPrefs.SetString(k_Prefix + "Home", value ?? "");
        }

        /// <summary>
        /// The `orfeas` command the window's Start daemon button runs: orfeas, orfeas.cmd or orfeas.exe, or the script
        /// orfeas.cjs (run with `node`); empty to look on the PATH, then in VS Code's Orfeas extension (DaemonFinder).
        /// </summary>
        public static string Command
        {
            get => EditorPrefs.GetString(k_Prefix + "Command", "");
            set => EditorPrefs.SetString(k_Prefix + "Command", (value ?? "").Trim());
        }

        /// <summary>A team server's URL (https://gpu-box:7878); empty for the local daemon of <see cref="Home"/>.</summary>
        public static string ServerUrl
        {
            get => EditorPrefs.GetString(k_Prefix + "ServerUrl", "");
            set => EditorPrefs.SetString(k_Prefix + "ServerUrl", (value ?? "").Trim());
        }

        /// <summary>The user token for <paramref name="url"/> (EditorPrefs, never the project).</summary>
        public static string TokenFor(string url) => EditorPrefs.GetString(PerServer("Token", url), "");

        /// <summary>The pinned SHA-256 fingerprint for <paramref name="url"/>, or "" to trust its certificate as this machine does.</summary>
        public static string FingerprintFor(string url) => EditorPrefs.GetString(PerServer("Fingerprint", url), "");

        /// <summary>
        /// Checks and keeps the server settings; nothing is kept when they are refused. An empty
        /// <paramref name="url"/> goes back to the local daemon (the tokens stay, each under its server).
        /// </summary>
        /// <exception cref="OrfeasException">The settings as <see cref="TeamServer.Parse"/> refuses them.</exception>
        public static void SetServer(string url, string token, string fingerprint)
        {
            var server = TeamServer.Parse(url, token, fingerprint);
            ServerUrl = server?.Url ?? "";
            if (server == null)
                return;
            EditorPrefs.SetString(PerServer("Token", server.Url), server.Token);
            EditorPrefs.SetString(PerServer("Fingerprint", server.Url), server.Fingerprint ?? "");
        }

        /// <summary>The team server to use, or null for the local daemon.</summary>
        /// <exception cref="OrfeasException">Settings that no longer parse (edited by hand).</exception>
        public static TeamServer Server
        {
            get
            {
                var url = ServerUrl;
                return url == "" ? null : TeamServer.Parse(url, TokenFor(url), FingerprintFor(url));
            }
        }

        /// <summary>Connect when the editor starts or scripts reload.</summary>
        public static bool AutoConnect
        {
            get => EditorPrefs.GetBool(k_Prefix + "AutoConnect", true);
            set => EditorPrefs.SetBool(k_Prefix + "AutoConnect", value);
        }

        /// <summary>Take models pushed from other editors (role `import-target`).</summary>
        public static bool Receive
        {
            get => EditorPrefs.GetBool(k_Prefix + "Receive", false);
            set => EditorPrefs.SetBool(k_Prefix + "Receive", value);
        }

        /// <summary>Put an instance of each new prefab into the open scene at the Scene view's pivot.</summary>
        public static bool PlaceInScene
        {
            get => EditorPrefs.GetBool(k_Prefix + "PlaceInScene", true);
            set => EditorPrefs.SetBool(k_Prefix + "PlaceInScene", value);
        }

        /// <summary>
        /// The generation options last used in the window (`generate.options`, also the LODs and collider of FBX
        /// exports of received models); empty until the window has taken the daemon's defaults.
        /// </summary>
        public static IDictionary<string, object> Options
        {
            get
            {
                try
                {
                    return Json.Parse(EditorPrefs.GetString(k_Prefix + "Options", "{}")) as IDictionary<string, object> ?? new Dictionary<string, object>();
                }
                catch (FormatException)
                {
                    return new Dictionary<string, object>();
                }
            }
            set => EditorPrefs.SetString(k_Prefix + "Options", Json.Stringify(value));
        }

        static string PerServer(string name, string url)
        {
            string key;
            try
            {
                key = TeamServer.NormalUrl(url) ?? "";
            }
            catch (OrfeasException)
            {
                key = (url ?? "").Trim();
            }
            return $"{k_Prefix}Server{name}.{key}";
        }

        /// <summary>Where models and prefabs are written, inside Assets/.</summary>
        public const string k_OutputFolder = "Assets/Orfeas/Generated";
    }
}
