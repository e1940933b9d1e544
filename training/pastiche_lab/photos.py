"""The extra training photos: sources whose licences allow training, and the pool they are scaled
into (training/cache/photos/pool/, ignored by git; `data.train_photos(pool=True)` adds it to BSDS
train). Every source and its licence is listed here and in training/DATA.md.

    training/scripts/fetch_photos.sh                 # apt-get download + unpack the Debian packages
    python3 -m pastiche_lab.photos prepare           # scale them (and scikit-image's) into the pool
    python3 -m pastiche_lab.photos list              # what the pool holds, per source and licence
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
from PIL import Image

from .data import LAB, PHOTO_EXT, POOL

SRC = LAB / "cache" / "photos" / "src"
# name: (where, files (globs under where), licence)
SOURCES = {
    "mate": ("Debian package mate-backgrounds 1.26.0-1", SRC / "mate-backgrounds/usr/share/backgrounds/mate/nature",
             ["*.jpg"], "GPL-2+ (per file in the package's debian/copyright)"),
    "lomiri16": ("Debian package lomiri-wallpapers-16.04", SRC / "lomiri-wallpapers-16.04/usr/share/backgrounds",
                 ["*.jpg"], "CC-BY-4.0, CC-BY-SA-4.0 or CC0-1.0 (per file in the package's debian/copyright)"),
    "lomiri20": ("Debian package lomiri-wallpapers-20.04", SRC / "lomiri-wallpapers-20.04/usr/share/backgrounds",
                 ["*.jpg"], "CC-BY-SA-3.0 (debian/copyright)"),
    "ukui": ("Debian package ukui-wallpapers 20.04.3-1.1", SRC / "ukui-wallpapers/usr/share/backgrounds",
             ["*.jpg", "*.png"], "CC-BY-SA-3.0 (debian/copyright)"),
}
# scikit-image sample images (Python package; licences from their docstrings). astronaut, coffee and
# chelsea are left out: they are the published photos of the contact sheets and thumbnails.
SKIMAGE = {"rocket": "public domain (SpaceX)", "hubble_deep_field": "public domain (NASA)",
           "immunohistochemistry": "no known copyright restrictions (CMMI)", "retina": "CC0-1.0 (Mikael Häggström)"}
MAX_SIDE = 1024
MIN_SIDE = 256


def _save(img: Image.Image, name, max_side):
    img = img.convert("RGB")
    if max(img.size) > max_side:
        s = max_side / max(img.size)
        img = img.resize((round(img.size[0] * s), round(img.size[1] * s)), Image.LANCZOS)
    if min(img.size) < MIN_SIDE:
        return None
    out = POOL / f"{name}.jpg"
    tmp = out.with_name(out.name + ".tmp")
    img.save(tmp, "JPEG", quality=95)
    tmp.replace(out)
    return out


def prepare(max_side=MAX_SIDE, skimage=True):
    """Scale every source's files into the pool; returns the manifest (also POOL/SOURCES.json)."""
    POOL.mkdir(parents=True, exist_ok=True)
    manifest = {}
    for name, (where, folder, globs, lic) in SOURCES.items():
        files = sorted({p for g in globs for p in Path(folder).glob(g)}) if Path(folder).is_dir() else []
        if not files:
            print(f"{name}: nothing under {folder} (run training/scripts/fetch_photos.sh)")
        for p in files:
            out = _save(Image.open(p), f"{name}__{p.stem}", max_side)
            if out:
                manifest[out.name] = {"source": where, "file": p.name, "license": lic}
    if skimage:
        from skimage import data
        for fn, lic in SKIMAGE.items():
            out = _save(Image.fromarray(np.asarray(getattr(data, fn)())), f"skimage__{fn}", max_side)
            if out:
                manifest[out.name] = {"source": f"scikit-image data.{fn}()", "file": fn, "license": lic}
    (POOL / "SOURCES.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=False))
    return manifest


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("cmd", choices=["prepare", "list"])
    ap.add_argument("--max-side", type=int, default=MAX_SIDE)
    a = ap.parse_args(argv)
    m = prepare(a.max_side) if a.cmd == "prepare" else json.loads((POOL / "SOURCES.json").read_text())
    by = {}
    for v in m.values():
        by.setdefault((v["source"], v["license"]), 0)
        by[(v["source"], v["license"])] += 1
    for (src, lic), n in sorted(by.items()):
        print(f"{n:4d}  {src}: {lic}")
    print(f"{len(m)} photos in {POOL} ({sum(1 for p in POOL.iterdir() if p.suffix.lower() in PHOTO_EXT)} files)")


if __name__ == "__main__":
    main()
