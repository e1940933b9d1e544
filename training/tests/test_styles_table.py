"""scripts/styles_table.py: the README's table of styles is what the catalog and the held-out report say."""
import importlib.util
import json
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "styles_table.py"
spec = importlib.util.spec_from_file_location("styles_table", SCRIPT)
st = importlib.util.module_from_spec(spec)
spec.loader.exec_module(st)


def test_readme_table_is_current():
    readme = (st.REPO / "README.md").read_text(encoding="utf-8")
    assert st.in_readme(readme) == st.current(), \
        "README.md's styles table is out of date: python3 training/scripts/styles_table.py --write"


def test_every_catalog_entry_has_a_row_with_its_figures():
    catalog = json.loads((st.REPO / "models" / "catalog.json").read_text(encoding="utf-8"))
    rows = st.current().splitlines()[2:]
    assert len(rows) == len(catalog["models"])
    for e, row in zip(catalog["models"], rows):
        assert row.startswith(f"| {e['names']['en']} | {e['names']['zh']} |")
        assert f"{e['macs_per_megapixel'] / st.CLASSIC_MACS:.3f}" in row


def test_held_out_figures_take_precedence_and_formats():
    entry = {"id": "x", "names": {"en": "X", "zh": "叉"}, "teacher": "ncnn/x.bin", "params": 1234,
             "macs_per_megapixel": 0.25 * st.CLASSIC_MACS, "license": "BSD-3-Clause (derived from y)",
             "fidelity": {"style_distance_ratio": 0.5, "ssim_lum_4x": 0.5}}
    held = {"x": {"384": {"style_distance_ratio": 0.1234, "ssim_lum_4x": 0.8766},
                  "768": {"style_distance_ratio": 0.2, "ssim_lum_4x": 0.81}}}
    row = st.table({"models": [entry]}, held).splitlines()[2]
    assert row == ("| X | 叉 | pruned + fine-tuned from `x.bin` | 0.250 | 1,234 | held-out test:6, style distance "
                   "(photo = 1) / SSIM lum 4x vs the teacher: 384 px: 0.123 / 0.877; 768 px: 0.200 / 0.810 | "
                   "BSD-3-Clause |")
    entry["fidelity"]["eval_size"] = 384
    row = st.table({"models": [entry]}, {}).splitlines()[2]
    assert "validation photos at 384 px: style distance 0.500 / SSIM lum 4x 0.500" in row


def test_licence_short():
    assert st.licence_short("MIT (derived from MicroAST, (c) 2022)") == "MIT"
    assert st.licence_short("The project's own licence, like ...") == "the project's own"
    assert st.licence_short("Research and non-commercial use only, with attribution") == \
        "research and non-commercial use only"
