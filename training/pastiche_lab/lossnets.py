"""Loss networks: normalised VGG-19 up to relu3_1 and Tiny Darknet (tfjs layers model)."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

VGG_REL = "lossnets/vgg19-normalised-relu3_1/vgg_normalised_conv3_1.pth"
DARKNET_REL = "lossnets/tiny-darknet/model.json"


class VGGRelu31(nn.Module):
    """Input: RGB 0..255 (divided by 255 inside). Returns [relu1_1, relu2_1, relu3_1]
    (and relu1_2 / relu2_2 when all_layers)."""

    def __init__(self, state_dict=None):
        super().__init__()
        self.c0 = nn.Conv2d(3, 3, 1)
        self.c2 = nn.Conv2d(3, 64, 3)
        self.c5 = nn.Conv2d(64, 64, 3)
        self.c9 = nn.Conv2d(64, 128, 3)
        self.c12 = nn.Conv2d(128, 128, 3)
        self.c16 = nn.Conv2d(128, 256, 3)
        if state_dict is not None:
            m = {f"c{k.split('.')[0]}.{k.split('.')[1]}": v for k, v in state_dict.items()}
            self.load_state_dict(m)
        for p in self.parameters():
            p.requires_grad_(False)

    @staticmethod
    def _c(conv, x):
        return F.relu(conv(F.pad(x, (1, 1, 1, 1), mode="reflect")))

    def forward(self, x, all_layers=False):
        x = self.c0(x / 255.0)
        r11 = self._c(self.c2, x)
        r12 = self._c(self.c5, r11)
        r21 = self._c(self.c9, F.max_pool2d(r12, 2, ceil_mode=True))
        r22 = self._c(self.c12, r21)
        r31 = self._c(self.c16, F.max_pool2d(r22, 2, ceil_mode=True))
        if all_layers:
            return [r11, r12, r21, r22, r31]
        return [r11, r21, r31]


def load_vgg(data_root) -> VGGRelu31:
    sd = torch.load(Path(data_root) / VGG_REL, map_location="cpu", weights_only=False)
    if hasattr(sd, "state_dict"):
        sd = sd.state_dict()
    return VGGRelu31(sd).eval()


class TinyDarknet(nn.Module):
    """Keras-sequential Tiny Darknet from a tfjs layers model. Input RGB 0..255 (scaled to 0..1
    inside). forward(x, taps) returns the LeakyReLU outputs with the given 1-based indices;
    classify(x) the 1000 logits (Darknet class order)."""

    def __init__(self, layers):
        super().__init__()
        self.specs = []
        self.mods = nn.ModuleList()
        for spec, mod in layers:
            self.specs.append(spec)
            self.mods.append(mod if mod is not None else nn.Identity())
        for p in self.parameters():
            p.requires_grad_(False)

    def forward(self, x, taps=(1, 2, 4, 6, 8, 10), logits=False):
        x = x / 255.0
        out, n = [], 0
        for (kind, cfg), m in zip(self.specs, self.mods):
            if kind == "conv":
                k = cfg["k"]
                if cfg["same"] and k > 1:
                    p = k // 2
                    x = F.pad(x, (p, p, p, p))
                x = m(x)
            elif kind == "bn":
                x = m(x)
            elif kind == "leaky":
                x = F.leaky_relu(x, cfg["alpha"])
                n += 1
                if n in taps:
                    out.append(x)
                if not logits and n >= max(taps):
                    return out
            elif kind == "pool":
                ph, pw = x.shape[2] % 2, x.shape[3] % 2
                if ph or pw:
                    x = F.pad(x, (0, pw, 0, ph), value=float("-inf"))
                x = F.max_pool2d(x, 2)
            elif kind == "gap":
                x = x.mean(dim=(2, 3))
        return x if logits else out

    def classify(self, x):
        return self.forward(x, taps=(), logits=True)


def load_darknet(data_root_or_json) -> TinyDarknet:
    p = Path(data_root_or_json)
    if p.is_dir():
        p = p / DARKNET_REL
    model = json.loads(p.read_text())
    # weights, in manifest order
    vals = {}
    for group in model["weightsManifest"]:
        raw = b"".join((p.parent / q).read_bytes() for q in group["paths"])
        off = 0
        for w in group["weights"]:
            n = int(np.prod(w["shape"])) if w["shape"] else 1
            if w.get("dtype", "float32") != "float32":
                raise ValueError("only float32 weights supported")
            vals[w["name"]] = np.frombuffer(raw, "<f4", n, off).reshape(w["shape"]); off += 4 * n
    topo = model["modelTopology"]
    cfg = topo["model_config"] if "model_config" in topo else topo
    layers = cfg["config"]["layers"] if isinstance(cfg["config"], dict) else cfg["config"]
    built = []
    cin = 3
    for l in layers:
        cls, c, name = l["class_name"], l["config"], l["config"]["name"]
        if cls == "InputLayer":
            continue
        if cls == "Conv2D":
            k = c["kernel_size"][0]
            conv = nn.Conv2d(cin, c["filters"], k, bias=c["use_bias"])
            W = vals[f"{name}/kernel"]
            conv.weight.data = torch.from_numpy(np.ascontiguousarray(W.transpose(3, 2, 0, 1)))
            if c["use_bias"]:
                conv.bias.data = torch.from_numpy(vals[f"{name}/bias"].copy())
            built.append((("conv", {"k": k, "same": c["padding"] == "same"}), conv))
            cin = c["filters"]
        elif cls == "BatchNormalization":
            bn = nn.BatchNorm2d(cin, eps=c["epsilon"])
            bn.weight.data = torch.from_numpy(vals[f"{name}/gamma"].copy())
            bn.bias.data = torch.from_numpy(vals[f"{name}/beta"].copy())
            bn.running_mean.data = torch.from_numpy(vals[f"{name}/moving_mean"].copy())
            bn.running_var.data = torch.from_numpy(vals[f"{name}/moving_variance"].copy())
            built.append((("bn", {}), bn))
        elif cls == "LeakyReLU":
            built.append((("leaky", {"alpha": float(c["alpha"])}), None))
        elif cls == "MaxPooling2D":
            built.append((("pool", {}), None))
        elif cls == "GlobalAveragePooling2D":
            built.append((("gap", {}), None))
        elif cls in ("Activation", "Softmax", "Flatten", "Reshape"):
            continue
        else:
            raise ValueError(f"unsupported layer {cls}")
    return TinyDarknet(built).eval()

