// The prefab of a pushed scene: its FBX names the objects and shares one mesh between the objects of one model
// (the daemon instances repeated models). Each distinct mesh becomes a small model prefab in `Models/`, and the
// scene prefab holds one instance of it per object at the object's local transform, with the scene's hierarchy —
// so repeated models are prefab instances, and editing a model prefab changes every copy.
using System.Collections.Generic;
using System.IO;
using Orfeas.Bridge.Protocol;
using UnityEditor;
using UnityEngine;

namespace Orfeas.Bridge.Editor
{
    /// <summary>Builds a scene prefab of model-prefab instances from an imported scene FBX.</summary>
    static class ScenePrefabBuilder
    {
        /// <summary>Saves `<name>.prefab` and one prefab per distinct mesh under `Models/` beside <paramref name="prefabPath"/>.</summary>
        public static GameObject Build(GameObject model, string prefabPath, string name)
        {
            var folder = Path.GetDirectoryName(prefabPath).Replace('\\', '/');
            var models = $"{folder}/Models";
            if (!AssetDatabase.IsValidFolder(models))
                AssetDatabase.CreateFolder(folder, "Models");
            var prefabs = new Dictionary<Mesh, GameObject>();
            var root = new GameObject(name);
            try
            {
                foreach (Transform child in model.transform)
                    Copy(child, root.transform, prefabs, models);
                var prefab = PrefabUtility.SaveAsPrefabAsset(root, prefabPath, out var saved);
                if (!saved || prefab == null)
                    throw new OrfeasException("E_IMPORT", $"Unity could not save {prefabPath}.");
                return prefab;
            }
            finally
            {
                Object.DestroyImmediate(root);
            }
        }

        /// <summary>The object as a model-prefab instance (or an empty when it has no mesh), then its children.</summary>
        static void Copy(Transform source, Transform parent, Dictionary<Mesh, GameObject> prefabs, string models)
        {
            var filter = source.GetComponent<MeshFilter>();
            GameObject node;
            if (filter != null && filter.sharedMesh != null)
                node = (GameObject)PrefabUtility.InstantiatePrefab(ModelPrefab(filter, prefabs, models));
            else
                node = new GameObject();
            node.name = source.name;
            node.transform.SetParent(parent, false);
            node.transform.localPosition = source.localPosition;
            node.transform.localRotation = source.localRotation;
            node.transform.localScale = source.localScale;
            foreach (Transform child in source)
                Copy(child, node.transform, prefabs, models);
        }

        /// <summary>The prefab of one mesh with its materials, saved the first time the mesh is met.</summary>
        static GameObject ModelPrefab(MeshFilter filter, Dictionary<Mesh, GameObject> prefabs, string models)
        {
            if (prefabs.TryGetValue(filter.sharedMesh, out var known))
                return known;
            var temporary = new GameObject(filter.sharedMesh.name);
            try
            {
                temporary.AddComponent<MeshFilter>().sharedMesh = filter.sharedMesh;
                var renderer = filter.GetComponent<MeshRenderer>();
                if (renderer != null)
                    temporary.AddComponent<MeshRenderer>().sharedMaterials = renderer.sharedMaterials;
                var path = AssetDatabase.GenerateUniqueAssetPath($"{models}/{filter.sharedMesh.name}.prefab");
                var prefab = PrefabUtility.SaveAsPrefabAsset(temporary, path, out var saved);
                if (!saved || prefab == null)
                    throw new OrfeasException("E_IMPORT", $"Unity could not save {path}.");
                prefabs[filter.sharedMesh] = prefab;
                return prefab;
            }
            finally
            {
                Object.DestroyImmediate(temporary);
            }
        }
    }
}
