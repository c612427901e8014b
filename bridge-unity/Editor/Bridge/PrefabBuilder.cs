// The prefab of a generated model: the imported FBX as a nested prefab, a LODGroup over its `_LOD<n>` meshes and a
// MeshCollider from its `_Collider` mesh (the names the daemon's `unity` export profile writes), the collider's
// own renderer switched off.
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using Orfeas.Bridge.Protocol;
using UnityEditor;
using UnityEngine;

namespace Orfeas.Bridge.Editor
{
    /// <summary>Builds a prefab from an imported model.</summary>
    static class PrefabBuilder
    {
        static readonly Regex k_Lod = new Regex(@"_LOD(\d+)$");
        const string k_ColliderSuffix = "_Collider";
        /// <summary>Screen height below which the last level is culled.</summary>
        const float k_CullHeight = 0.01f;

        /// <summary>Saves the prefab at <paramref name="prefabPath"/> and returns it.</summary>
        public static GameObject Build(GameObject model, string prefabPath, string name, bool convexCollider)
        {
            var instance = (GameObject)PrefabUtility.InstantiatePrefab(model);
            try
            {
                instance.name = name;
                AddLodGroups(instance);
                AddCollider(instance, convexCollider);
                var prefab = PrefabUtility.SaveAsPrefabAsset(instance, prefabPath, out var saved);
                if (!saved || prefab == null)
                    throw new OrfeasException("E_IMPORT", $"Unity could not save {prefabPath}.");
                return prefab;
            }
            finally
            {
                Object.DestroyImmediate(instance);
            }
        }

        /// <summary>Every transform whose children are `_LOD<n>` levels gets a LODGroup over them (Unity's importer may have added one already).</summary>
        static void AddLodGroups(GameObject root)
        {
            var parents = root.GetComponentsInChildren<Transform>(true)
                .Where(t => t.Cast<Transform>().Count(child => k_Lod.IsMatch(child.name)) > 1);
            foreach (var parent in parents.ToList())
            {
                var levels = parent.Cast<Transform>()
                    .Select(child => new { child, match = k_Lod.Match(child.name) })
                    .Where(x => x.match.Success)
                    .OrderBy(x => int.Parse(x.match.Groups[1].Value))
                    .Select(x => x.child.GetComponentsInChildren<Renderer>(true))
                    .ToList();
                // Not `??`: a missing component can be Unity's "fake null" object in the editor.
                var group = parent.GetComponent<LODGroup>();
                if (group == null)
                    group = parent.gameObject.AddComponent<LODGroup>();
                group.SetLODs(levels.Select((renderers, i) => new LOD(Height(i, levels.Count), renderers)).ToArray());
                group.RecalculateBounds();
            }
        }

        /// <summary>Half the screen height per level down, the last one culled at 1 %.</summary>
        static float Height(int level, int count) => level == count - 1 ? k_CullHeight : Mathf.Pow(0.5f, level + 1);

        static void AddCollider(GameObject root, bool convex)
        {
            foreach (var source in root.GetComponentsInChildren<MeshFilter>(true).Where(f => f.name.EndsWith(k_ColliderSuffix)).ToList())
            {
                var collider = source.gameObject.AddComponent<MeshCollider>();
                collider.sharedMesh = source.sharedMesh;
                // A hull export is convex already; marking it lets it collide with other mesh colliders and move.
                collider.convex = convex;
                var renderer = source.GetComponent<MeshRenderer>();
                if (renderer != null)
                    renderer.enabled = false;
            }
        }
    }
}
