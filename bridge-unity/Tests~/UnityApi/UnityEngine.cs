// Declarations of the UnityEngine members that bridge-unity/Editor/Bridge uses: a subset copied from Unity's public
// API, for compile checks only (Tests~/build-editor.sh compiles the Editor code against them with Mono's mcs; Unity
// ignores Tests~). They are never run: bodies throw or return defaults. Not a replacement for the UnityEngine
// assemblies, and nothing here is shipped.
//
// Each signature was copied from Unity's C# reference source, github.com/Unity-Technologies/UnityCsReference,
// branch 2021.3 (Unity 2021.3.58f1), and checked to be the same in tag 2021.3.0f1, the oldest version the package
// supports; the file each one comes from is named beside it. Where a used method has overloads whose parameter types
// are declared here, they are declared too, so that overload resolution sees what Unity's compiler sees. Base
// classes are the real ones; interfaces a type implements are left out unless the bridge relies on them.
using System;
using System.Collections;

namespace UnityEngine
{
    // Runtime/Export/Scripting/UnityEngineObject.bindings.cs
    public partial class Object
    {
        public string name { get { throw null; } set { } }
        public static void DestroyImmediate(Object obj, bool allowDestroyingAssets) { }
        public static void DestroyImmediate(Object obj) { }
        public static implicit operator bool(Object exists) { throw null; }
        public static bool operator==(Object x, Object y) { throw null; }
        public static bool operator!=(Object x, Object y) { throw null; }
        public override int GetHashCode() { throw null; }
        public override bool Equals(object other) { throw null; }
    }

    // Runtime/Export/Scripting/ScriptableObject.bindings.cs
    public class ScriptableObject : Object
    {
    }

    // Runtime/Export/Scripting/GameObject.bindings.cs
    public sealed partial class GameObject : Object
    {
        public GameObject() { }
        public GameObject(string name) { }
        public GameObject(string name, params Type[] components) { }
        public T GetComponent<T>() { throw null; }
        public T[] GetComponentsInChildren<T>(bool includeInactive) { throw null; }
        public T[] GetComponentsInChildren<T>() { throw null; }
        public T AddComponent<T>() where T : Component { throw null; }
        public Transform transform { get { throw null; } }
        public GameObject gameObject { get { throw null; } }
    }

    // Runtime/Export/Scripting/Component.bindings.cs
    public partial class Component : Object
    {
        public Transform transform { get { throw null; } }
        public GameObject gameObject { get { throw null; } }
        public T GetComponent<T>() { throw null; }
        public T[] GetComponentsInChildren<T>(bool includeInactive) { throw null; }
        public T[] GetComponentsInChildren<T>() { throw null; }
    }

    // Runtime/Transform/ScriptBindings/Transform.bindings.cs (IEnumerable: the children, which the bridge walks)
    public partial class Transform : Component, IEnumerable
    {
        public Vector3 position { get { throw null; } set { } }
        public Vector3 localPosition { get { throw null; } set { } }
        public Quaternion rotation { get { throw null; } set { } }
        public Quaternion localRotation { get { throw null; } set { } }
        public Vector3 localScale { get { throw null; } set { } }
        public void SetParent(Transform p) { }
        public void SetParent(Transform parent, bool worldPositionStays) { }
        public int childCount { get { throw null; } }
        public Transform GetChild(int index) { throw null; }
        public IEnumerator GetEnumerator() { throw null; }
    }

    // Runtime/Export/Math/Vector3.cs
    public partial struct Vector3
    {
        public float x;
        public float y;
        public float z;
        public Vector3(float x, float y, float z) { this.x = x; this.y = y; this.z = z; }
        public static Vector3 zero { get { throw null; } }
    }

    // Runtime/Export/Math/Vector2.cs (used as a field and BeginScrollView's value only)
    public struct Vector2
    {
        public float x;
        public float y;
    }

    // Runtime/Export/Math/Quaternion.cs
    public partial struct Quaternion
    {
        public static Quaternion Euler(float x, float y, float z) { throw null; }
        public static Quaternion Euler(Vector3 euler) { throw null; }
    }

    // Runtime/Export/Math/Mathf.cs
    public partial struct Mathf
    {
        public static float Pow(float f, float p) { throw null; }
    }

    // Runtime/Export/Geometry/Rect.cs (passed from GUILayoutUtility.GetRect to EditorGUI.ProgressBar only)
    public partial struct Rect
    {
    }

    // Runtime/Export/Debug/Debug.bindings.cs
    public partial class Debug
    {
        public static void Log(object message) { }
        public static void Log(object message, Object context) { }
        public static void LogError(object message) { }
        public static void LogError(object message, Object context) { }
        public static void LogException(Exception exception) { }
        public static void LogException(Exception exception, Object context) { }
    }

    // Runtime/Export/Application/Application.bindings.cs
    public partial class Application
    {
        public static string dataPath { get { throw null; } }
    }

    // Runtime/Export/Serialization/Serialization.cs
    public sealed partial class SerializeField : Attribute
    {
    }

    // Runtime/Export/Graphics/Texture.bindings.cs
    public partial class Texture : Object
    {
    }

    // Runtime/Export/Graphics/Texture.bindings.cs
    public sealed partial class Texture2D : Texture
    {
    }

    // Runtime/Export/Graphics/Mesh.cs
    public sealed partial class Mesh : Object
    {
    }

    // Runtime/Export/Graphics/GraphicsComponents.bindings.cs
    public sealed partial class MeshFilter : Component
    {
        public Mesh sharedMesh { get { throw null; } set { } }
    }

    // Runtime/Export/Graphics/GraphicsRenderers.bindings.cs
    public partial class Renderer : Component
    {
        public bool enabled { get { throw null; } set { } }
        public Material[] sharedMaterials { get { throw null; } set { } }
    }

    // Runtime/Export/Shaders/Material.cs
    public partial class Material : Object
    {
    }

    // Runtime/Export/Graphics/GraphicsRenderers.bindings.cs
    public partial class MeshRenderer : Renderer
    {
    }

    // Runtime/Export/Graphics/LOD.bindings.cs
    public struct LOD
    {
        public LOD(float screenRelativeTransitionHeight, Renderer[] renderers) { throw null; }
    }

    // Runtime/Export/Graphics/LOD.bindings.cs
    public class LODGroup : Component
    {
        public void RecalculateBounds() { }
        public void SetLODs(LOD[] lods) { }
    }

    // Modules/Physics/ScriptBindings/Dynamics.bindings.cs
    public partial class Collider : Component
    {
    }

    // Modules/Physics/ScriptBindings/Dynamics.bindings.cs
    public partial class MeshCollider : Collider
    {
        public Mesh sharedMesh { get { throw null; } set { } }
        public bool convex { get { throw null; } set { } }
    }

    // Modules/IMGUI/GUIContent.cs
    public class GUIContent
    {
        public GUIContent() { }
        public GUIContent(string text) { }
        public GUIContent(Texture image) { }
        public GUIContent(string text, Texture image) { }
        public GUIContent(string text, string tooltip) { }
        public GUIContent(Texture image, string tooltip) { }
        public GUIContent(string text, Texture image, string tooltip) { }
        public GUIContent(GUIContent src) { }
    }

    // Modules/IMGUI/GUIStyle.cs (a string names a style of the current skin)
    public sealed partial class GUIStyle
    {
        public GUIStyle() { }
        public GUIStyle(GUIStyle other) { }
        public static implicit operator GUIStyle(string str) { throw null; }
    }

    // Modules/IMGUI/GUILayoutOption.cs
    public sealed class GUILayoutOption
    {
        GUILayoutOption() { }
    }

    // Modules/IMGUI/GUI.cs
    public partial class GUI
    {
        public abstract class Scope : IDisposable
        {
            public void Dispose() { }
            protected abstract void CloseScope();
        }
    }

    // Modules/IMGUI/GUIUtility.cs (EditorGUIUtility's base)
    public partial class GUIUtility
    {
    }

    // Modules/IMGUI/GUILayout.cs
    public partial class GUILayout
    {
        public static bool Button(Texture image, params GUILayoutOption[] options) { throw null; }
        public static bool Button(string text, params GUILayoutOption[] options) { throw null; }
        public static bool Button(GUIContent content, params GUILayoutOption[] options) { throw null; }
        public static bool Button(Texture image, GUIStyle style, params GUILayoutOption[] options) { throw null; }
        public static bool Button(string text, GUIStyle style, params GUILayoutOption[] options) { throw null; }
        public static bool Button(GUIContent content, GUIStyle style, params GUILayoutOption[] options) { throw null; }
        public static GUILayoutOption Width(float width) { throw null; }
        public static GUILayoutOption Height(float height) { throw null; }
    }

    // Modules/IMGUI/GUILayoutUtility.cs
    public partial class GUILayoutUtility
    {
        public static Rect GetRect(float width, float height) { throw null; }
        public static Rect GetRect(float width, float height, GUIStyle style) { throw null; }
        public static Rect GetRect(float width, float height, params GUILayoutOption[] options) { throw null; }
        public static Rect GetRect(float width, float height, GUIStyle style, params GUILayoutOption[] options) { throw null; }
    }
}
