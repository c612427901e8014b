// From downloaded FBX to prefab in the project: folders under Assets/Orfeas/Generated, a synchronous import (the
// postprocessor sets the importer), the prefab built beside it, and optionally an instance in the open scene at
// the Scene view's pivot (or a pushed position), as one undoable step.
using System.Collections.Generic;
using System.IO;
using Orfeas.Bridge.Protocol;
using UnityEditor;
using UnityEngine;

namespace Orfeas.Bridge.Editor
{
    /// <summary>Imports generated models as prefabs.</summary>
    static class ModelImport
    {
        /// <summary>A new folder for a model, `Assets/Orfeas/Generated/<name>` (numbered when taken).</summary>
        public static string NewFolder(string name)
        {
            var parent = EnsureFolder(OrfeasSettings.k_OutputFolder);
            var path = AssetDatabase.GenerateUniqueAssetPath($"{parent}/{SafeName(name)}");
            AssetDatabase.CreateFolder(parent, Path.GetFileName(path));
            return path;
        }

        /// <summary>The file system path of an asset path.</summary>
        public static string FullPath(string assetPath) => Path.GetFullPath(Path.Combine(Application.dataPath, "..", assetPath));

        /// <summary>Imports the model at <paramref name="modelPath"/>, saves its prefab beside it and places an instance.</summary>
        public static GameObject Import(string modelPath, string name, IDictionary<string, object> placement, bool convexCollider, bool scene = false)
        {
            AssetDatabase.ImportAsset(modelPath, ImportAssetOptions.ForceSynchronousImport);
            var model = AssetDatabase.LoadAssetAtPath<GameObject>(modelPath);
            if (model == null)
                throw new OrfeasException("E_IMPORT", $"Unity could not import {modelPath}; see the Console for the importer's message.");
            var prefabPath = Path.ChangeExtension(modelPath, ".prefab");
            var prefab = scene ? ScenePrefabBuilder.Build(model, prefabPath, name) : PrefabBuilder.Build(model, prefabPath, name, convexCollider);
            if (OrfeasSettings.PlaceInScene)
                Place(prefab, placement);
            EditorGUIUtility.PingObject(prefab);
            return prefab;
        }

        static void Place(GameObject prefab, IDictionary<string, object> placement)
        {
            var instance = (GameObject)PrefabUtility.InstantiatePrefab(prefab);
            Undo.RegisterCreatedObjectUndo(instance, $"Place {prefab.name}");
            var position = Vector(placement, "position");
            var atCursor = placement != null && placement.TryGetValue("atCursor", out var cursor) && cursor is bool && (bool)cursor;
            var pivot = SceneView.lastActiveSceneView != null ? SceneView.lastActiveSceneView.pivot : Vector3.zero;
            instance.transform.position = position.HasValue && !atCursor ? position.Value : pivot;
            var rotation = Vector(placement, "rotation");
            if (rotation.HasValue)
                instance.transform.rotation = Quaternion.Euler(rotation.Value);
            var scale = Vector(placement, "scale");
            if (scale.HasValue)
                instance.transform.localScale = scale.Value;
            Selection.activeGameObject = instance;
        }

        /// <summary>A protocol Vector3 (`[x, y, z]`, metres or degrees in Unity's axes), when present.</summary>
        static Vector3? Vector(IDictionary<string, object> placement, string key)
        {
            if (placement == null || !placement.TryGetValue(key, out var value) || !(value is IList<object> xyz) || xyz.Count != 3)
                return null;
            return new Vector3((float)(double)xyz[0], (float)(double)xyz[1], (float)(double)xyz[2]);
        }

        static string EnsureFolder(string path)
        {
            if (AssetDatabase.IsValidFolder(path))
                return path;
            var parent = EnsureFolder(Path.GetDirectoryName(path).Replace('\\', '/'));
            AssetDatabase.CreateFolder(parent, Path.GetFileName(path));
            return path;
        }

        static string SafeName(string name)
        {
            foreach (var bad in Path.GetInvalidFileNameChars())
                name = name.Replace(bad, '_');
            name = name.Trim().TrimStart('.');
            return name.Length > 0 ? name : "Model";
        }
    }
}
