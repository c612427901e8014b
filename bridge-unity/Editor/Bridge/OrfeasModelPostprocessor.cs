// Import settings for the models the bridge writes (under Assets/Orfeas/Generated): metres as written, no
// animation, cameras or lights, materials and embedded textures from the file, Unity's own tangents, no
// importer-made colliders (the prefab gets one from the `_Collider` mesh).
using UnityEditor;

namespace Orfeas.Bridge.Editor
{
    /// <summary>Sets the ModelImporter for generated models before Unity imports them.</summary>
    sealed class OrfeasModelPostprocessor : AssetPostprocessor
    {
        void OnPreprocessModel()
        {
            if (!assetPath.StartsWith(OrfeasSettings.k_OutputFolder + "/"))
                return;
            var importer = (ModelImporter)assetImporter;
            importer.globalScale = 1;
            importer.useFileScale = true;
            importer.importAnimation = false;
            importer.animationType = ModelImporterAnimationType.None;
            importer.importCameras = false;
            importer.importLights = false;
            importer.importBlendShapes = false;
            importer.materialImportMode = ModelImporterMaterialImportMode.ImportViaMaterialDescription;
            importer.meshCompression = ModelImporterMeshCompression.Off;
            importer.importNormals = ModelImporterNormals.Import;
            importer.importTangents = ModelImporterTangents.CalculateMikk;
            importer.addCollider = false;
            importer.isReadable = false;
        }
    }
}
