// The bridge's settings, kept per machine in EditorPrefs (the daemon and its home belong to the machine).
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

        /// <summary>The daemon's home folder; empty for ORFEAS_HOME, else ~/.orfeas.</summary>
        public static string Home
        {
            get => EditorPrefs.GetString(k_Prefix + "Home", "");
            set => EditorPrefs.SetString(k_Prefix + "Home", value ?? "");
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

        /// <summary>Where models and prefabs are written, inside Assets/.</summary>
        public const string k_OutputFolder = "Assets/Orfeas/Generated";
    }
}
