"""The lab's one checkpoint format, written atomically, and the reader of every older one.

A checkpoint is a dict saved with torch.save:
    format      "pastiche-ckpt/2"
    config      the network's config (TransformerNet.config()): widths and geometry
    state_dict  the network's weights
    step, elapsed   iterations done, training seconds (validation excluded)
    opt         optimiser state (None in a model-only checkpoint)
    best        the best validation so far ({"score": ..., "it": ...})
    history     {"train": [...], "val": [...]}: logged records
    sampler, torch_rng   the crop stream's and torch's RNG state, so a resume continues both
    meta        anything else (the command's arguments, the validation definition, figures)
`config` and `state_dict` sit at the top level, so a model-only checkpoint (student.pt) reads
as the lab always read one.

Older layouts still load (and `python -m pastiche_lab.checkpoints convert FILE...` rewrites them):
the fine-tuning state `ft_state.pt` (student, opt, it, elapsed, best, val_def), the best student
`student.pt` (config, state_dict, val) and the from-scratch trainer's `ckpt.pt` (net, config, opt,
step, args, history, sampler, torch_rng, extra).
"""
from __future__ import annotations

import argparse
import math
import os
from pathlib import Path

import torch

from .model import TransformerNet

FORMAT = "pastiche-ckpt/2"
FIELDS = ("config", "state_dict", "step", "elapsed", "opt", "best", "history", "sampler", "torch_rng", "meta")


def save(path, net=None, *, config=None, state_dict=None, opt=None, step=0, elapsed=0.0, best=None,
         history=None, sampler=None, torch_rng=None, meta=None):
    """Writes the checkpoint atomically (a temporary file in the same folder, then a rename)."""
    path = Path(path)
    if net is not None:
        config, state_dict = net.config(), net.state_dict()
    ck = {"format": FORMAT, "config": config, "state_dict": state_dict, "step": int(step),
          "elapsed": float(elapsed), "opt": opt, "best": best, "history": history, "sampler": sampler,
          "torch_rng": torch_rng, "meta": meta or {}}
    tmp = path.with_name(path.name + ".tmp")
    torch.save(ck, tmp)
    os.replace(tmp, path)


def normalise(ck: dict) -> dict:
    """Any known checkpoint layout -> the current one (a new dict; the input is left as it was)."""
    if ck.get("format") == FORMAT:
        return {"format": FORMAT, **{k: ck.get(k) for k in FIELDS}, "meta": ck.get("meta") or {}}
    out = {"format": FORMAT, **{k: None for k in FIELDS}, "meta": {}}
    if "student" in ck and "it" in ck:            # fine-tuning state (ft_state.pt)
        out.update(state_dict=ck["student"], opt=ck.get("opt"), step=ck["it"], elapsed=ck.get("elapsed", 0.0),
                   best=ck.get("best"), config=ck.get("config"))
        out["meta"]["val_def"] = ck.get("val_def", "")
    elif "net" in ck and "step" in ck:            # from-scratch trainer (ckpt.pt)
        hist = dict(ck.get("history") or {})
        out.update(state_dict=ck["net"], config=ck["config"], opt=ck.get("opt"), step=ck["step"],
                   elapsed=hist.get("seconds", 0.0), history=hist, sampler=ck.get("sampler"),
                   torch_rng=ck.get("torch_rng"))
        out["meta"].update(args=ck.get("args"), **(ck.get("extra") or {}))
    elif "state_dict" in ck and "config" in ck:   # model only (student.pt)
        out.update(state_dict=ck["state_dict"], config=ck["config"])
        if "val" in ck:
            out["meta"]["val"] = ck["val"]
            out["step"] = ck["val"].get("it", 0)
    else:
        raise ValueError(f"not a known checkpoint layout (keys: {sorted(ck)})")
    out["step"] = int(out["step"] or 0)
    out["elapsed"] = float(out["elapsed"] or 0.0)
    if out["best"] is None:
        out["best"] = {"score": math.inf}
    return out


def load(path, device="cpu") -> dict:
    return normalise(torch.load(str(path), map_location=device, weights_only=False))


def load_net(path, device="cpu") -> TransformerNet:
    """The network of a checkpoint of any layout that records its config, in eval mode."""
    ck = load(path, device)
    if ck["config"] is None:
        raise ValueError(f"{path}: records no network config (an old ft_state.pt: load student.pt instead)")
    net = TransformerNet.from_config(ck["config"])
    net.load_state_dict(ck["state_dict"])
    return net.to(device).eval()


def convert(path, config=None):
    """Rewrites a checkpoint in the current format (atomically; `config` fills in an old ft_state.pt's
    missing network config). Returns the normalised dict."""
    ck = load(path)
    if ck["config"] is None and config is not None:
        ck["config"] = config
    save(path, **{k: ck[k] for k in FIELDS})
    return ck


def main(argv=None):
    ap = argparse.ArgumentParser(description="Rewrite checkpoints of older layouts in the current one.")
    ap.add_argument("cmd", choices=["convert", "show"])
    ap.add_argument("files", nargs="+")
    a = ap.parse_args(argv)
    for f in a.files:
        ck = convert(f) if a.cmd == "convert" else load(f)
        print(f"{f}: step {ck['step']}, {ck['elapsed'] / 60:.1f} min, config {'yes' if ck['config'] else 'no'}, "
              f"optimiser {'yes' if ck['opt'] else 'no'}, best {ck['best']}")


if __name__ == "__main__":
    main()
