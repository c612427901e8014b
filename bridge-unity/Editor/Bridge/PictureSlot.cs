// One picture field of the Orfeas window (the front, a sheet, or another side): a texture dropped from the Project
// window or any file picked on disk. A texture is sent as its file (by path to the local daemon, its bytes to a team
// server), so the daemon reads the original picture, not Unity's imported and possibly resized copy.
using System;
using System.Linq;
using UnityEditor;
using UnityEngine;

namespace Orfeas.Bridge.Editor
{
    /// <summary>A picture the window sends: a texture asset or a file path.</summary>
    [Serializable]
    sealed class PictureSlot
    {
        static readonly string[] k_Extensions = { "png", "jpg", "jpeg", "webp", "gif", "tif", "tiff", "avif" };

        [SerializeField] Texture2D m_Texture;
        [SerializeField] string m_Path = "";

        /// <summary>The picture's file system path, or "" when none is chosen.</summary>
        public string Path => m_Texture != null ? ModelImport.FullPath(AssetDatabase.GetAssetPath(m_Texture)) : m_Path ?? "";

        /// <summary>No picture chosen.</summary>
        public bool IsEmpty => Path == "";

        /// <summary>Whether a file's extension is one of the pictures the daemon reads.</summary>
        public static bool IsPicture(string file) =>
            k_Extensions.Contains(System.IO.Path.GetExtension(file).TrimStart('.').ToLowerInvariant());

        /// <summary>Chooses a file on disk (replacing a texture).</summary>
        public void Set(string path)
        {
            m_Path = path ?? "";
            m_Texture = null;
        }

        /// <summary>
        /// Draws the texture field, then the file's name (or <paramref name="hint"/>) with <i>Pick File…</i> and, with
        /// <paramref name="clearable"/>, <i>Clear</i>. True when the picture changed.
        /// </summary>
        /// <param name="folder">Where the file dialog opens ("" for the last folder used).</param>
        public bool Draw(GUIContent label, string title, string hint, bool clearable, string folder)
        {
            var before = Path;
            var texture = (Texture2D)EditorGUILayout.ObjectField(label, m_Texture, typeof(Texture2D), false);
            if (texture != m_Texture)
            {
                m_Texture = texture;
                m_Path = "";
            }
            using (new EditorGUILayout.HorizontalScope())
            {
                EditorGUILayout.LabelField(" ", IsEmpty ? hint : System.IO.Path.GetFileName(Path));
                if (GUILayout.Button("Pick File…", GUILayout.Width(90)))
                {
                    var picked = EditorUtility.OpenFilePanelWithFilters(title, folder ?? "", new[] { "Pictures", string.Join(",", k_Extensions) });
                    if (picked != "")
                        Set(picked);
                }
                if (clearable)
                {
                    using (new EditorGUI.DisabledScope(IsEmpty))
                    {
                        if (GUILayout.Button("Clear", GUILayout.Width(50)))
                            Set("");
                    }
                }
            }
            return Path != before;
        }
    }
}
