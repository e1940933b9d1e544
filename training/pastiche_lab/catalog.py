"""The one writer of model catalogs (`models/catalog.json`, a user models folder's catalog.json):
insert or replace an entry by id, teacher styles in the lab's order first, written atomically."""
from __future__ import annotations

import json
import os
from pathlib import Path

from .catalog_i18n import add_translations
from .data import STYLES


def read(path) -> dict:
    p = Path(path)
    return json.loads(p.read_text(encoding="utf-8")) if p.exists() else {"models": []}


def write_atomic(path, content: str | bytes):
    """Write `content` (text as UTF-8, or bytes) next to `path` and rename it into place: a reader
    never sees half a file, and a failure leaves the old file as it was."""
    p = Path(path)
    tmp = p.with_name(p.name + ".tmp")
    try:
        tmp.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        os.replace(tmp, p)
    finally:
        if tmp.exists():
            tmp.unlink()


def update(path, entry: dict) -> dict:
    """Insert or replace `entry` (by id) in the catalog at `path`; returns the new catalog."""
    if not entry.get("id") or not entry.get("file"):
        raise ValueError("a catalog entry needs an id and a file")
    entry = add_translations(entry)
    cat = read(path)
    models = list(cat.get("models", []))
    ids = [m.get("id") for m in models]
    if entry["id"] in ids:          # a re-shipped style keeps its place, and how the engine feeds it
        old = models[ids.index(entry["id"])]
        if "border_context" not in entry:   # the margin and its sides, unless the new entry sets its own
            entry = {**entry, **{k: old[k] for k in ("border_context", "border_sides") if k in old}}
        models[ids.index(entry["id"])] = entry
    else:
        models.append(entry)
    order = list(STYLES)
    models.sort(key=lambda m: order.index(m["id"]) if m["id"] in order else len(order))   # stable
    cat["models"] = models
    write_atomic(path, json.dumps(cat, ensure_ascii=False, indent=2) + "\n")
    return cat
