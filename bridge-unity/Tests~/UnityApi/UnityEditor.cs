// Declarations of the UnityEditor members that bridge-unity/Editor/Bridge uses: a subset copied from Unity's public
// API, for compile checks only (Tests~/build-editor.sh compiles the Editor code against them with Mono's mcs; Unity
// ignores Tests~). They are never run: bodies throw or return defaults. Not a replacement for the UnityEditor
// assemblies, and nothing here is shipped.
//
// Each signature was copied from Unity's C# reference source, github.com/Unity-Technologies/UnityCsReference,
// branch 2021.3 (Unity 2021.3.58f1), and checked to be the same in tag 2021.3.0f1, the oldest version the package
// supports (there EditorGUILayout's members still lived in Editor/Mono/EditorGUI.cs); the file each one comes from
// is named beside it. Where a used method has overloads whose parameter types are declared here, they are declared
// too, so that overload resolution sees what Unity's compiler sees (overloads taking SerializedProperty or Scene are
// left out: no argument the bridge passes converts to them). Base classes are the real ones; interfaces a type
// implements are left out. Enums list all their members except the obsolete aliases.
using System;
using UnityEngine;
using Object = UnityEngine.Object;

namespace UnityEditor
{
    // Modules/AssetDatabase/Editor/ScriptBindings/AssetDatabase.bindings.cs
    [Flags]
    public enum ImportAssetOptions
    {
        Default = 0,
        ForceUpdate = 1 << 0,
        ForceSynchronousImport = 1 << 3,
        ImportRecursive = 1 << 8,
        DontDownloadFromCacheServer = 1 << 13,
        ForceUncompressedImport = 1 << 14,
    }

    // Modules/AssetDatabase/Editor/ScriptBindings/AssetDatabase.bindings.cs
    public sealed partial class AssetDatabase
    {
        public static string CreateFolder(string parentFolder, string newFolderName) { throw null; }
        public static string GenerateUniqueAssetPath(string path) { throw null; }
        public static void ImportAsset(string path) { }
        public static void ImportAsset(string path, ImportAssetOptions options) { }
        public static bool IsValidFolder(string path) { throw null; }
        public static string GetAssetPath(Object assetObject) { throw null; }
        public static string GetAssetPath(int instanceID) { throw null; }
        public static Object LoadAssetAtPath(string assetPath, Type type) { throw null; }
        public static T LoadAssetAtPath<T>(string assetPath) where T : Object { throw null; }
    }

    // Editor/Mono/AssetPipeline/AssetImporter.bindings.cs
    public partial class AssetImporter : Object
    {
    }

    // Editor/Mono/AssetPostprocessor.cs (OnPreprocessModel is a message Unity finds by name, not a member)
    public partial class AssetPostprocessor
    {
        public string assetPath { get { throw null; } set { } }
        public AssetImporter assetImporter { get { throw null; } }
    }

    // Modules/AssetPipelineEditor/Public/ModelImporting/ModelImporter.bindings.cs
    public enum ModelImporterMaterialImportMode
    {
        None = 0,
        ImportStandard = 1,
        ImportViaMaterialDescription = 2,
    }

    // Modules/AssetPipelineEditor/Public/ModelImporting/ModelImporter.bindings.cs
    public enum ModelImporterNormals
    {
        Import = 0,
        Calculate = 1,
        None = 2,
    }

    // Modules/AssetPipelineEditor/Public/ModelImporting/ModelImporter.bindings.cs
    public enum ModelImporterTangents
    {
        Import = 0,
        CalculateLegacy = 1,
        CalculateLegacyWithSplitTangents = 4,
        CalculateMikk = 3,
        None = 2,
    }

    // Modules/AssetPipelineEditor/Public/ModelImporting/ModelImporter.bindings.cs
    public enum ModelImporterMeshCompression
    {
        Off = 0,
        Low = 1,
        Medium = 2,
        High = 3,
    }

    // Modules/AssetPipelineEditor/Public/ModelImporting/ModelImporter.bindings.cs
    public enum ModelImporterAnimationType
    {
        None = 0,
        Legacy = 1,
        Generic = 2,
        Human = 3
    }

    // Modules/AssetPipelineEditor/Public/ModelImporting/ModelImporter.bindings.cs
    public partial class ModelImporter : AssetImporter
    {
        public float globalScale { get { throw null; } set { } }
        public bool useFileScale { get { throw null; } set { } }
        public bool importBlendShapes { get { throw null; } set { } }
        public bool importCameras { get { throw null; } set { } }
        public bool importLights { get { throw null; } set { } }
        public bool addCollider { get { throw null; } set { } }
        public bool isReadable { get { throw null; } set { } }
        public ModelImporterNormals importNormals { get { throw null; } set { } }
        public ModelImporterTangents importTangents { get { throw null; } set { } }
        public ModelImporterMeshCompression meshCompression { get { throw null; } set { } }
        public bool importAnimation { get { throw null; } set { } }
        public ModelImporterAnimationType animationType { get { throw null; } set { } }
        public ModelImporterMaterialImportMode materialImportMode { get { throw null; } set { } }
    }

    // Editor/Mono/Prefabs/PrefabUtility.cs
    public sealed partial class PrefabUtility
    {
        public static GameObject SaveAsPrefabAsset(GameObject instanceRoot, string assetPath, out bool success) { throw null; }
        public static GameObject SaveAsPrefabAsset(GameObject instanceRoot, string assetPath) { throw null; }
        public static Object InstantiatePrefab(Object assetComponentOrGameObject) { throw null; }
        public static Object InstantiatePrefab(Object assetComponentOrGameObject, Transform parent) { throw null; }
    }

    // Editor/Mono/Undo/Undo.bindings.cs
    public partial class Undo
    {
        public static void RegisterCreatedObjectUndo(Object objectToUndo, string name) { }
    }

    // Editor/Mono/Selection.bindings.cs
    public sealed partial class Selection
    {
        public static GameObject activeGameObject { get { throw null; } set { } }
    }

    // Editor/Mono/EditorAssemblies.cs
    [AttributeUsage(AttributeTargets.Class)]
    public class InitializeOnLoadAttribute : Attribute
    {
    }

    // Editor/Mono/MenuItem.cs
    [AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
    public sealed class MenuItem : Attribute
    {
        public MenuItem(string itemName) { }
        public MenuItem(string itemName, bool isValidateFunction) { }
        public MenuItem(string itemName, bool isValidateFunction, int priority) { }
    }

    // Editor/Mono/AssemblyReloadEvents.cs
    public static class AssemblyReloadEvents
    {
        public delegate void AssemblyReloadCallback();
        public static event AssemblyReloadCallback beforeAssemblyReload { add { } remove { } }
        public static event AssemblyReloadCallback afterAssemblyReload { add { } remove { } }
    }

    // Editor/Mono/EditorApplication.cs (update is a public delegate field, quitting an event)
    public sealed partial class EditorApplication
    {
        public delegate void CallbackFunction();
        public static CallbackFunction update;
        public static event Action quitting { add { } remove { } }
    }

    // Editor/Mono/EditorGUIUtility.bindings.cs
    public class SessionState
    {
        public static void SetString(string key, string value) { }
        public static string GetString(string key, string defaultValue) { throw null; }
        public static void EraseString(string key) { }
    }

    // Editor/Mono/EditorPrefs.bindings.cs
    public sealed class EditorPrefs
    {
        public static void SetString(string key, string value) { }
        public static string GetString(string key, string defaultValue) { throw null; }
        public static string GetString(string key) { throw null; }
        public static void SetBool(string key, bool value) { }
        public static bool GetBool(string key, bool defaultValue) { throw null; }
        public static bool GetBool(string key) { throw null; }
    }

    // Editor/Mono/EditorUtility.bindings.cs
    public partial class EditorUtility
    {
        public static string OpenFilePanelWithFilters(string title, string directory, string[] filters) { throw null; }
    }

    // Editor/Mono/EditorGUIUtility.cs
    public sealed partial class EditorGUIUtility : GUIUtility
    {
        public static void PingObject(Object obj) { }
        public static void PingObject(int targetInstanceID) { }
    }

    // Editor/Mono/EditorGUIUtility.bindings.cs
    public enum MessageType
    {
        None = 0,
        Info = 1,
        Warning = 2,
        Error = 3
    }

    // Editor/Mono/GUI/EditorStyles.cs
    public sealed class EditorStyles
    {
        public static GUIStyle boldLabel { get { throw null; } }
    }

    // Editor/Mono/EditorWindow.cs
    public partial class EditorWindow : ScriptableObject
    {
        public void ShowNotification(GUIContent notification) { }
        public void ShowNotification(GUIContent notification, double fadeoutWait) { }
        public void Repaint() { }
        public static T GetWindow<T>() where T : EditorWindow { throw null; }
        public static T GetWindow<T>(bool utility) where T : EditorWindow { throw null; }
        public static T GetWindow<T>(bool utility, string title) where T : EditorWindow { throw null; }
        public static T GetWindow<T>(string title) where T : EditorWindow { throw null; }
        public static T GetWindow<T>(string title, bool focus) where T : EditorWindow { throw null; }
        public static T GetWindow<T>(bool utility, string title, bool focus) where T : EditorWindow { throw null; }
        public static T GetWindow<T>(params Type[] desiredDockNextTo) where T : EditorWindow { throw null; }
        public static T GetWindow<T>(string title, params Type[] desiredDockNextTo) where T : EditorWindow { throw null; }
        public static T GetWindow<T>(string title, bool focus, params Type[] desiredDockNextTo) where T : EditorWindow { throw null; }
    }

    // Editor/Mono/ProjectWindow/SearchableEditorWindow.cs
    public class SearchableEditorWindow : EditorWindow
    {
    }

    // Editor/Mono/SceneView/SceneView.cs
    public partial class SceneView : SearchableEditorWindow
    {
        public static SceneView lastActiveSceneView { get { throw null; } }
        public Vector3 pivot { get { throw null; } set { } }
    }

    // Editor/Mono/EditorGUI.cs
    public sealed partial class EditorGUI
    {
        public struct DisabledScope : IDisposable
        {
            public DisabledScope(bool disabled) { throw null; }
            public void Dispose() { }
        }

        public static void ProgressBar(Rect position, float value, string text) { }

        public class IndentLevelScope : GUI.Scope
        {
            public IndentLevelScope() { }
            public IndentLevelScope(int increment) { }
            protected override void CloseScope() { }
        }
    }

    // Editor/Mono/EditorGUILayout.cs
    public sealed partial class EditorGUILayout
    {
        public class HorizontalScope : GUI.Scope
        {
            public Rect rect { get { throw null; } protected set { } }
            public HorizontalScope(params GUILayoutOption[] options) { }
            public HorizontalScope(GUIStyle style, params GUILayoutOption[] options) { }
            protected override void CloseScope() { }
        }

        public static void LabelField(string label, params GUILayoutOption[] options) { }
        public static void LabelField(string label, GUIStyle style, params GUILayoutOption[] options) { }
        public static void LabelField(GUIContent label, params GUILayoutOption[] options) { }
        public static void LabelField(GUIContent label, GUIStyle style, params GUILayoutOption[] options) { }
        public static void LabelField(string label, string label2, params GUILayoutOption[] options) { }
        public static void LabelField(string label, string label2, GUIStyle style, params GUILayoutOption[] options) { }
        public static void LabelField(GUIContent label, GUIContent label2, params GUILayoutOption[] options) { }
        public static void LabelField(GUIContent label, GUIContent label2, GUIStyle style, params GUILayoutOption[] options) { }

        public static bool Foldout(bool foldout, string content) { throw null; }
        public static bool Foldout(bool foldout, string content, GUIStyle style) { throw null; }
        public static bool Foldout(bool foldout, GUIContent content) { throw null; }
        public static bool Foldout(bool foldout, GUIContent content, GUIStyle style) { throw null; }
        public static bool Foldout(bool foldout, string content, bool toggleOnLabelClick) { throw null; }
        public static bool Foldout(bool foldout, string content, bool toggleOnLabelClick, GUIStyle style) { throw null; }
        public static bool Foldout(bool foldout, GUIContent content, bool toggleOnLabelClick) { throw null; }
        public static bool Foldout(bool foldout, GUIContent content, bool toggleOnLabelClick, GUIStyle style) { throw null; }

        public static bool Toggle(bool value, params GUILayoutOption[] options) { throw null; }
        public static bool Toggle(string label, bool value, params GUILayoutOption[] options) { throw null; }
        public static bool Toggle(GUIContent label, bool value, params GUILayoutOption[] options) { throw null; }
        public static bool Toggle(bool value, GUIStyle style, params GUILayoutOption[] options) { throw null; }
        public static bool Toggle(string label, bool value, GUIStyle style, params GUILayoutOption[] options) { throw null; }
        public static bool Toggle(GUIContent label, bool value, GUIStyle style, params GUILayoutOption[] options) { throw null; }

        public static string TextField(string text, params GUILayoutOption[] options) { throw null; }
        public static string TextField(string text, GUIStyle style, params GUILayoutOption[] options) { throw null; }
        public static string TextField(string label, string text, params GUILayoutOption[] options) { throw null; }
        public static string TextField(string label, string text, GUIStyle style, params GUILayoutOption[] options) { throw null; }
        public static string TextField(GUIContent label, string text, params GUILayoutOption[] options) { throw null; }
        public static string TextField(GUIContent label, string text, GUIStyle style, params GUILayoutOption[] options) { throw null; }

        public static string DelayedTextField(string text, params GUILayoutOption[] options) { throw null; }
        public static string DelayedTextField(string text, GUIStyle style, params GUILayoutOption[] options) { throw null; }
        public static string DelayedTextField(string label, string text, params GUILayoutOption[] options) { throw null; }
        public static string DelayedTextField(string label, string text, GUIStyle style, params GUILayoutOption[] options) { throw null; }
        public static string DelayedTextField(GUIContent label, string text, params GUILayoutOption[] options) { throw null; }
        public static string DelayedTextField(GUIContent label, string text, GUIStyle style, params GUILayoutOption[] options) { throw null; }

        public static string PasswordField(string password, params GUILayoutOption[] options) { throw null; }
        public static string PasswordField(string password, GUIStyle style, params GUILayoutOption[] options) { throw null; }
        public static string PasswordField(string label, string password, params GUILayoutOption[] options) { throw null; }
        public static string PasswordField(string label, string password, GUIStyle style, params GUILayoutOption[] options) { throw null; }
        public static string PasswordField(GUIContent label, string password, params GUILayoutOption[] options) { throw null; }
        public static string PasswordField(GUIContent label, string password, GUIStyle style, params GUILayoutOption[] options) { throw null; }

        public static double DoubleField(double value, params GUILayoutOption[] options) { throw null; }
        public static double DoubleField(double value, GUIStyle style, params GUILayoutOption[] options) { throw null; }
        public static double DoubleField(string label, double value, params GUILayoutOption[] options) { throw null; }
        public static double DoubleField(string label, double value, GUIStyle style, params GUILayoutOption[] options) { throw null; }
        public static double DoubleField(GUIContent label, double value, params GUILayoutOption[] options) { throw null; }
        public static double DoubleField(GUIContent label, double value, GUIStyle style, params GUILayoutOption[] options) { throw null; }

        public static int IntField(int value, params GUILayoutOption[] options) { throw null; }
        public static int IntField(int value, GUIStyle style, params GUILayoutOption[] options) { throw null; }
        public static int IntField(string label, int value, params GUILayoutOption[] options) { throw null; }
        public static int IntField(string label, int value, GUIStyle style, params GUILayoutOption[] options) { throw null; }
        public static int IntField(GUIContent label, int value, params GUILayoutOption[] options) { throw null; }
        public static int IntField(GUIContent label, int value, GUIStyle style, params GUILayoutOption[] options) { throw null; }

        public static float Slider(float value, float leftValue, float rightValue, params GUILayoutOption[] options) { throw null; }
        public static float Slider(string label, float value, float leftValue, float rightValue, params GUILayoutOption[] options) { throw null; }
        public static float Slider(GUIContent label, float value, float leftValue, float rightValue, params GUILayoutOption[] options) { throw null; }

        public static int IntSlider(int value, int leftValue, int rightValue, params GUILayoutOption[] options) { throw null; }
        public static int IntSlider(string label, int value, int leftValue, int rightValue, params GUILayoutOption[] options) { throw null; }
        public static int IntSlider(GUIContent label, int value, int leftValue, int rightValue, params GUILayoutOption[] options) { throw null; }

        public static int Popup(int selectedIndex, string[] displayedOptions, params GUILayoutOption[] options) { throw null; }
        public static int Popup(int selectedIndex, string[] displayedOptions, GUIStyle style, params GUILayoutOption[] options) { throw null; }
        public static int Popup(int selectedIndex, GUIContent[] displayedOptions, params GUILayoutOption[] options) { throw null; }
        public static int Popup(int selectedIndex, GUIContent[] displayedOptions, GUIStyle style, params GUILayoutOption[] options) { throw null; }
        public static int Popup(string label, int selectedIndex, string[] displayedOptions, params GUILayoutOption[] options) { throw null; }
        public static int Popup(GUIContent label, int selectedIndex, string[] displayedOptions, params GUILayoutOption[] options) { throw null; }
        public static int Popup(string label, int selectedIndex, string[] displayedOptions, GUIStyle style, params GUILayoutOption[] options) { throw null; }
        public static int Popup(GUIContent label, int selectedIndex, GUIContent[] displayedOptions, params GUILayoutOption[] options) { throw null; }
        public static int Popup(GUIContent label, int selectedIndex, GUIContent[] displayedOptions, GUIStyle style, params GUILayoutOption[] options) { throw null; }

        public static int IntPopup(int selectedValue, string[] displayedOptions, int[] optionValues, params GUILayoutOption[] options) { throw null; }
        public static int IntPopup(int selectedValue, string[] displayedOptions, int[] optionValues, GUIStyle style, params GUILayoutOption[] options) { throw null; }
        public static int IntPopup(int selectedValue, GUIContent[] displayedOptions, int[] optionValues, params GUILayoutOption[] options) { throw null; }
        public static int IntPopup(int selectedValue, GUIContent[] displayedOptions, int[] optionValues, GUIStyle style, params GUILayoutOption[] options) { throw null; }
        public static int IntPopup(string label, int selectedValue, string[] displayedOptions, int[] optionValues, params GUILayoutOption[] options) { throw null; }
        public static int IntPopup(string label, int selectedValue, string[] displayedOptions, int[] optionValues, GUIStyle style, params GUILayoutOption[] options) { throw null; }
        public static int IntPopup(GUIContent label, int selectedValue, GUIContent[] displayedOptions, int[] optionValues, params GUILayoutOption[] options) { throw null; }
        public static int IntPopup(GUIContent label, int selectedValue, GUIContent[] displayedOptions, int[] optionValues, GUIStyle style, params GUILayoutOption[] options) { throw null; }

        public static Object ObjectField(Object obj, Type objType, params GUILayoutOption[] options) { throw null; }
        public static Object ObjectField(Object obj, Type objType, Object targetBeingEdited, params GUILayoutOption[] options) { throw null; }
        public static Object ObjectField(Object obj, Type objType, bool allowSceneObjects, params GUILayoutOption[] options) { throw null; }
        public static Object ObjectField(string label, Object obj, Type objType, params GUILayoutOption[] options) { throw null; }
        public static Object ObjectField(string label, Object obj, Type objType, Object targetBeingEdited, params GUILayoutOption[] options) { throw null; }
        public static Object ObjectField(string label, Object obj, Type objType, bool allowSceneObjects, params GUILayoutOption[] options) { throw null; }
        public static Object ObjectField(GUIContent label, Object obj, Type objType, params GUILayoutOption[] options) { throw null; }
        public static Object ObjectField(GUIContent label, Object obj, Type objType, Object targetBeingEdited, params GUILayoutOption[] options) { throw null; }
        public static Object ObjectField(GUIContent label, Object obj, Type objType, bool allowSceneObjects, params GUILayoutOption[] options) { throw null; }

        public static void HelpBox(string message, MessageType type) { }
        public static void HelpBox(string message, MessageType type, bool wide) { }
        public static void HelpBox(GUIContent content, bool wide = true) { }

        public static void Space() { }
        public static void Space(float width) { }
        public static void Space(float width, bool expand) { }

        public static Vector2 BeginScrollView(Vector2 scrollPosition, params GUILayoutOption[] options) { throw null; }
        public static Vector2 BeginScrollView(Vector2 scrollPosition, bool alwaysShowHorizontal, bool alwaysShowVertical, params GUILayoutOption[] options) { throw null; }
        public static Vector2 BeginScrollView(Vector2 scrollPosition, GUIStyle horizontalScrollbar, GUIStyle verticalScrollbar, params GUILayoutOption[] options) { throw null; }
        public static Vector2 BeginScrollView(Vector2 scrollPosition, GUIStyle style, params GUILayoutOption[] options) { throw null; }
        public static Vector2 BeginScrollView(Vector2 scrollPosition, bool alwaysShowHorizontal, bool alwaysShowVertical, GUIStyle horizontalScrollbar, GUIStyle verticalScrollbar, GUIStyle background, params GUILayoutOption[] options) { throw null; }
        public static void EndScrollView() { }
    }
}
