# Imports model files (.fbx, .glb, .gltf) into Blender one at a time, each into an empty scene, and prints one
# JSON report per file between marker lines: every object with its world-space geometry, UV and colour layers
# and materials. Driven by blender.ts:
#   blender -b --factory-startup --python-exit-code 1 --python blender_inspect.py -- FILE [FILE ...]
import json
import os
import sys
import traceback

import bpy
import numpy as np

BEGIN = '@@ORFEAS-BLENDER-REPORT-BEGIN@@'
END = '@@ORFEAS-BLENDER-REPORT-END@@'

# Blender 3.4's glTF importer still calls np.bool, which NumPy 1.24 removed.
if 'bool' not in np.__dict__:
    np.bool = bool


def import_file(path):
    ext = os.path.splitext(path)[1].lower()
    if ext == '.fbx':
        result = bpy.ops.import_scene.fbx(filepath=path)
    elif ext in ('.glb', '.gltf'):
        result = bpy.ops.import_scene.gltf(filepath=path)
    else:
        raise ValueError('no importer for %r' % ext)
    if 'FINISHED' not in result:
        raise RuntimeError('the importer answered %s' % sorted(result))


def image_report(image):
    if image is None:
        return None
    return {
        'name': image.name,
        'width': image.size[0],
        'height': image.size[1],
        'packed': image.packed_file is not None,
    }


def upstream_image(socket, seen):
    """The first Image Texture node with an image found walking links back from an input socket."""
    for link in socket.links:
        node = link.from_node
        if node in seen:
            continue
        seen.add(node)
        if node.type == 'TEX_IMAGE' and node.image is not None:
            return node, link.to_node
        for upstream in node.inputs:
            found = upstream_image(upstream, seen)
            if found:
                return found
    return None


def material_report(material):
    if material is None:
        return None
    report = {'name': material.name, 'baseColor': None, 'baseColorTexture': None}
    if not material.use_nodes or material.node_tree is None:
        return report
    bsdf = next((n for n in material.node_tree.nodes if n.type == 'BSDF_PRINCIPLED'), None)
    if bsdf is None:
        return report
    socket = bsdf.inputs['Base Color']
    report['baseColor'] = list(socket.default_value)
    found = upstream_image(socket, set())
    if found:
        node, into = found
        texture = image_report(node.image)
        # Directly into the BSDF, or through nodes in between (the glTF importer multiplies by the factor).
        texture['direct'] = into == bsdf
        report['baseColorTexture'] = texture
    return report


def world_vertices(obj, depsgraph):
    evaluated = obj.evaluated_get(depsgraph)
    mesh = evaluated.to_mesh()
    try:
        count = len(mesh.vertices)
        local = np.empty(count * 3, dtype=np.float64)
        mesh.vertices.foreach_get('co', local)
        matrix = np.array(evaluated.matrix_world, dtype=np.float64)
        world = local.reshape(-1, 3) @ matrix[:3, :3].T + matrix[:3, 3]
        return world, {
            'polygons': len(mesh.polygons),
            'uvLayers': [layer.name for layer in mesh.uv_layers],
            'colorLayers': [attribute.name for attribute in mesh.color_attributes],
        }
    finally:
        evaluated.to_mesh_clear()


def object_report(obj, depsgraph):
    matrix = obj.matrix_world
    report = {
        'name': obj.name,
        'type': obj.type,
        'parent': obj.parent.name if obj.parent else None,
        'location': list(matrix.translation),
        'dimensions': [0.0, 0.0, 0.0],
        'min': list(matrix.translation),
        'max': list(matrix.translation),
        'polygons': 0,
        'uvLayers': [],
        'colorLayers': [],
        'materials': [],
        'vertices': [],
    }
    if obj.type == 'MESH':
        world, mesh_info = world_vertices(obj, depsgraph)
        report.update(mesh_info)
        if len(world):
            low, high = world.min(axis=0), world.max(axis=0)
            report.update({'min': low.tolist(), 'max': high.tolist(), 'dimensions': (high - low).tolist()})
        report['vertices'] = world.reshape(-1).tolist()
        report['materials'] = [material_report(slot.material) for slot in obj.material_slots]
    return report


def inspect(path):
    bpy.ops.wm.read_homefile(use_empty=True)
    import_file(path)
    depsgraph = bpy.context.evaluated_depsgraph_get()
    return {
        'file': path,
        'objects': [object_report(obj, depsgraph) for obj in bpy.context.scene.objects],
        'images': [image_report(image) for image in bpy.data.images if image.type == 'IMAGE'],
    }


def main():
    files = sys.argv[sys.argv.index('--') + 1:] if '--' in sys.argv else []
    reports = []
    for path in files:
        try:
            reports.append(inspect(path))
        except Exception:
            reports.append({'file': path, 'error': traceback.format_exc()})
    sys.stdout.write('\n%s\n%s\n%s\n' % (BEGIN, json.dumps(reports), END))
    sys.stdout.flush()


main()
