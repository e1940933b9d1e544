"""The lab's one catalog writer keeps the styles' Chinese licence and attribution texts."""
import json

from pastiche_lab import catalog
from pastiche_lab.catalog_i18n import ZH


def test_update_adds_the_chinese_texts_of_a_known_style(tmp_path):
    p = tmp_path / "catalog.json"
    catalog.update(p, {"id": "candy", "file": "candy.onnx", "license": "BSD", "attribution": "A"})
    catalog.update(p, {"id": "mine", "file": "mine.onnx", "license": "own"})
    m = {e["id"]: e for e in json.loads(p.read_text(encoding="utf-8"))["models"]}
    assert m["candy"]["licenses"] == {"zh": ZH["candy"][0]}
    assert m["candy"]["attributions"] == {"zh": ZH["candy"][1]}
    assert m["candy"]["license"] == "BSD"                     # the English text is the entry's own
    assert "licenses" not in m["mine"]                         # no translation invented


def test_every_shipped_entry_has_its_chinese_texts():
    from pastiche_lab.data import REPO
    for e in json.loads((REPO / "models" / "catalog.json").read_text(encoding="utf-8"))["models"]:
        assert e["licenses"]["zh"] == ZH[e["id"]][0], e["id"]
        assert e["attributions"]["zh"] == ZH[e["id"]][1], e["id"]


def test_a_reshipped_style_keeps_its_border_context(tmp_path):
    """The engine's mirrored margin (border_context, issue 11: La Muse's edge line) is how the style is fed,
    not part of a training run's export: a re-ship keeps it unless the new entry sets it."""
    p = tmp_path / "catalog.json"
    catalog.update(p, {"id": "picasso", "file": "picasso.onnx", "border_context": 8})
    catalog.update(p, {"id": "picasso", "file": "picasso.onnx", "license": "new"})
    m = catalog.read(p)["models"][0]
    assert m["border_context"] == 8 and m["license"] == "new"
    catalog.update(p, {"id": "picasso", "file": "picasso.onnx", "border_context": 0})
    assert catalog.read(p)["models"][0]["border_context"] == 0


def test_a_reshipped_style_keeps_its_border_sides(tmp_path):
    p = tmp_path / "catalog.json"
    catalog.update(p, {"id": "picasso", "file": "picasso.onnx", "border_context": 8, "border_sides": ["right", "bottom"]})
    catalog.update(p, {"id": "picasso", "file": "picasso.onnx", "license": "new"})
    m = catalog.read(p)["models"][0]
    assert m["border_context"] == 8 and m["border_sides"] == ["right", "bottom"]
    # a new entry that sets its own margin sets both: sides not given are all four again
    catalog.update(p, {"id": "picasso", "file": "picasso.onnx", "border_context": 4})
    m = catalog.read(p)["models"][0]
    assert m["border_context"] == 4 and "border_sides" not in m
