#!/usr/bin/env python3
"""Checks that the lab's tests can fail: breaks one piece of guarded code at a time, runs the tests
that guard it, expects a failure, and restores the file. Prints one line per break.

    python3 training/scripts/break_check.py            (from the repository root; a few minutes)
"""
import subprocess
import sys
from pathlib import Path

LAB = Path(__file__).resolve().parent.parent
P = "pastiche_lab/"
# (file, original text, broken text, tests that must fail)
BREAKS = [
    (P + "perceptual.py", "style = style + w * ((g - gs)", "style = style + 0 * ((g - gs)", "tests/test_scratch.py"),
    (P + "perceptual.py", "+ (y[:, :, :, 1:] - y[:, :, :, :-1]).abs().mean()", "", "tests/test_scratch.py"),
    (P + "trainer.py", "            self.sampler.set_state(ck[\"sampler\"])", "            pass", "tests/test_trainer.py::test_a_resumed_run_equals_an_uninterrupted_one"),
    (P + "trainer.py", "            self.opt.load_state_dict(ck[\"opt\"])", "            pass", "tests/test_trainer.py::test_a_resumed_run_equals_an_uninterrupted_one"),
    (P + "trainer.py", "        if score < self.best[\"score\"]:", "        if True:", "tests/test_trainer.py::test_validation_keeps_the_best_network"),
    (P + "trainer.py", "            if self.validator is not None and (self.step % self.val_every == 0 or end):",
     "            if self.validator is not None and self.step % self.val_every == 0:", "tests/test_compare.py::test_iteration_schedule_runs_exactly_and_decays_over_iterations"),
    (P + "trainer.py", "            frac = min(1.0, step / max_iters)", "            frac = 0.0", "tests/test_trainer.py::test_schedules"),
    (P + "checkpoints.py", "    tmp = path.with_name(path.name + \".tmp\")\n    torch.save(ck, tmp)\n    os.replace(tmp, path)",
     "    torch.save(ck, path)", "tests/test_trainer.py::test_a_failed_save_leaves_the_previous_checkpoint"),
    (P + "checkpoints.py", "        out.update(state_dict=ck[\"student\"]", "        out.update(state_dict=ck[\"opt\"]", "tests/test_trainer.py"),
    (P + "catalog.py", "        tmp.write_text(text, encoding=\"utf-8\")\n        os.replace(tmp, p)",
     "        p.write_text(text, encoding=\"utf-8\")", "tests/test_trainer.py::test_catalog_update_replaces_by_id_keeps_order_and_is_atomic"),
    (P + "catalog.py", "    models.sort(", "    sorted(", "tests/test_trainer.py::test_catalog_update_replaces_by_id_keeps_order_and_is_atomic"),
    (P + "data.py", "        if self.rng.random() < 0.5:\n            a = a[:, ::-1]\n        a = photometric(a, self.rng, self.strength)",
     "        if self.rng.random() < 0.5:\n            a = a[:, ::-1]", "tests/test_trainer.py::test_crop_sampler_applies_photometric_augmentation"),
    (P + "data.py", "        side = min(min(h, w), max(1, round(self.crop / z)))", "        side = min(h, w)", "tests/test_trainer.py::test_crop_sampler_covers_scales"),
    (P + "data.py", "    return [p for p in ps if p.resolve() not in held]", "    return ps + test_photos(droot)", "tests/test_trainer.py::test_the_test_set_is_held_out_of_training"),
    (P + "finetune.py", "             \"low\": (F.avg_pool2d(out, 4) - F.avg_pool2d(tout, 4)).abs().mean() / 255.0,",
     "             \"low\": (out - tout).abs().mean() / 255.0,", "tests/test_compare.py::test_distill_objective_weighs_its_terms_and_is_zero_for_the_teacher_itself"),
    (P + "finetune.py", "        loss = sum(self.w[k] * v for k, v in p.items() if v is not None)",
     "        loss = sum(v for k, v in p.items() if v is not None)", "tests/test_compare.py::test_distill_objective_weighs_its_terms_and_is_zero_for_the_teacher_itself"),
    (P + "evaluate.py", "            row += (f\" {'**%.3f**' % d if d > GOAL['style_distance_ratio']", "            row += (f\" {'%.3f' % d if d > GOAL['style_distance_ratio']", "tests/test_evaluate.py"),
    (P + "prune.py", "            child[s:e] = b[s:e]", "            child[s] = b[s]", "tests/test_lab.py::test_crossover_takes_whole_groups_from_parents"),
    (P + "model.py", "        self.masks = None          # dict group", "        self.masks = {}          # dict group", "tests/test_lab.py::test_mask_equals_slimmed"),
]


def main():
    bad = 0
    for f, old, new, tests in BREAKS:
        p = LAB / f
        src = p.read_text()
        if old not in src:
            print(f"?? {f}: text to break not found: {old[:50]!r}"); bad += 1
            continue
        try:
            p.write_text(src.replace(old, new, 1))
            r = subprocess.run([sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", *tests.split()],
                               cwd=LAB, capture_output=True, text=True)
        finally:
            p.write_text(src)
        ok = r.returncode != 0
        bad += not ok
        print(f"{'caught ' if ok else 'MISSED '} {f}: {old.strip()[:60]!r} -> {new.strip()[:40]!r}  ({tests})", flush=True)
    print(f"{len(BREAKS) - bad} of {len(BREAKS)} breaks caught")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
