# The reference for test/engine/triplane-torch.test.ts: samples a triplane the way TripoSR's query_triplane does
# (tsr/models/nerf_renderer.py), with PyTorch's own grid_sample. Reads float32 files, writes one.
# usage: python3 triplane_grid_sample.py TRIPLANE POINTS OUT C H W
import sys

import numpy as np
import torch
import torch.nn.functional as F

triplane_file, points_file, out_file = sys.argv[1:4]
C, H, W = (int(v) for v in sys.argv[4:7])
triplane = torch.from_numpy(np.fromfile(triplane_file, dtype=np.float32).reshape(3, C, H, W))
x = torch.from_numpy(np.fromfile(points_file, dtype=np.float32).reshape(-1, 3))
# Planes (x, y), (x, z), (y, z): the grid's first coordinate indexes width, the second height.
indices2D = torch.stack((x[..., [0, 1]], x[..., [0, 2]], x[..., [1, 2]]), dim=-3)
out = F.grid_sample(triplane, indices2D[:, None], align_corners=False, mode="bilinear")
# "Np Cp () N -> N (Np Cp)": features concatenated plane by plane.
features = out[:, :, 0, :].permute(2, 0, 1).reshape(x.shape[0], 3 * C)
features.contiguous().numpy().astype(np.float32).tofile(out_file)
