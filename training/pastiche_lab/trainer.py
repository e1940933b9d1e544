"""The lab's one training loop, shared by every method (fine-tuning a pruned student against its
teacher, training from a style image): Adam, a learning-rate schedule, gradient clipping, periodic
validation with the best model kept, logging, and checkpoints from which a run resumes exactly
where it stopped (weights, optimiser, step, training time, crop stream, RNG).

A method supplies an *objective*: objective(net, x, step) -> (loss, parts), x the sampler's batch
(crops [N,3,H,W] 0..255, or a tuple of tensors such as (crops, targets) for paired data, or of
lists of tensors of different sizes) and parts a dict of named terms (floats or 0-d tensors; None = not computed at this
step, left out of that term's mean), and optionally a *validator*: validator(net, step) -> dict of
figures with a "score" (lower is better; the best-scoring network is saved).
"""
from __future__ import annotations

import json
import math
import time
from pathlib import Path

import torch

from . import checkpoints


class Schedule:
    """Learning rate over the run: 'constant', or a cosine decay to `floor` x lr over the time
    budget ('cosine-time') or over max_iters ('cosine-iters', the same at every machine load)."""
    KINDS = ("constant", "cosine-time", "cosine-iters")

    def __init__(self, kind="cosine-time", lr=1e-3, floor=0.05):
        if kind not in self.KINDS:
            raise ValueError(f"schedule {kind}: one of {self.KINDS}")
        self.kind, self.lr, self.floor = kind, lr, floor

    def at(self, step, elapsed, total_s, max_iters):
        if self.kind == "constant":
            return self.lr
        if self.kind == "cosine-iters":
            frac = min(1.0, step / max_iters)
        else:
            frac = min(1.0, elapsed / total_s) if math.isfinite(total_s) else 0.0
        return self.lr * (self.floor + (1 - self.floor) * 0.5 * (1 + math.cos(math.pi * frac)))


def _to(x, device):
    """A batch (a tensor, or tuples/lists of them, nested) on the device."""
    if isinstance(x, (tuple, list)):
        return type(x)(_to(t, device) for t in x)
    return x.to(device)


class Trainer:
    def __init__(self, net, objective, sampler, run_dir, *, batch, schedule: Schedule, minutes=None,
                 max_iters=None, validator=None, val_every=100, validate_at_start=False, ckpt_every=50,
                 ckpt_seconds=None, clip=None, train_clamp=None, state_name="ft_state.pt", best_name=None,
                 log_name="ft_log.jsonl", log_every=10, print_every=50, device="cpu", log=print, val_def="",
                 budget_file="minutes.override", seed=0, meta=None, best_keys=("style_distance_ratio", "ssim_lum_4x"),
                 param_groups=None):
        if schedule.kind == "cosine-iters" and not max_iters:
            raise ValueError("an iteration schedule needs max_iters")
        if minutes is None and max_iters is None:
            raise ValueError("give a time budget (minutes) or max_iters")
        self.run_dir = Path(run_dir)
        self.run_dir.mkdir(parents=True, exist_ok=True)
        self.net, self.objective, self.sampler, self.validator = net.to(device), objective, sampler, validator
        self.batch, self.schedule, self.max_iters = batch, schedule, max_iters
        self.total_s = math.inf if minutes is None else minutes * 60
        self.val_every, self.validate_at_start, self.clip = val_every, validate_at_start, clip
        self.ckpt_every, self.ckpt_seconds, self.train_clamp = ckpt_every, ckpt_seconds, train_clamp
        self.state_p = self.run_dir / state_name
        self.best_p = self.run_dir / best_name if best_name else None
        self.log_p = self.run_dir / log_name
        self.log_every, self.print_every, self.device, self.log = log_every, print_every, device, log
        self.val_def, self.budget_file, self.seed, self.meta = val_def, budget_file, seed, dict(meta or {})
        self.best_keys = best_keys
        # param_groups: optional optimiser groups ({"params": [...], "lr_scale": f}), each at f x the
        # schedule's learning rate (default: every parameter of net at 1 x)
        self.opt = torch.optim.Adam(param_groups or self.net.parameters(), schedule.lr)
        self.step, self.elapsed = 0, 0.0
        self.skipped = 0        # updates skipped for a non-finite loss or gradient (this process)
        self.best = {"score": math.inf}
        self.history = {"train": [], "val": []}
        self.resumed = self._resume()

    # ----- state -----
    def _resume(self):
        if not self.state_p.exists():
            return False
        ck = checkpoints.load(self.state_p, self.device)
        self.net.load_state_dict(ck["state_dict"])
        if ck["opt"] is not None:
            scales = [g.get("lr_scale", 1.0) for g in self.opt.param_groups]
            self.opt.load_state_dict(ck["opt"])
            for g, f in zip(self.opt.param_groups, scales):   # the groups' scales are this run's
                g["lr_scale"] = f
        self.step, self.elapsed, self.best = ck["step"], ck["elapsed"], ck["best"] or {"score": math.inf}
        self.history = ck["history"] or {"train": [], "val": []}
        self.history.setdefault("train", []); self.history.setdefault("val", [])
        if ck["meta"].get("val_def", "") != self.val_def:   # validation changed: old scores not comparable
            self.best = {"score": math.inf}
        if ck["sampler"] is not None:
            self.sampler.set_state(ck["sampler"])
        else:                                                # an older state: a fresh stream, as before
            self.sampler.rng.seed(self.seed + self.step)
        if ck["torch_rng"] is not None:
            torch.set_rng_state(ck["torch_rng"].cpu())   # loaded onto the device (map_location)
        if ck["meta"].get("objective") is not None and hasattr(self.objective, "load_state_dict"):
            self.objective.load_state_dict(ck["meta"]["objective"])   # e.g. a discriminator trained with the net
        self.log(f"resumed at iter {self.step}, {self.elapsed / 60:.1f} min trained, best {self.best}")
        return True

    def save(self):
        self.history["seconds"] = self.elapsed
        checkpoints.save(self.state_p, self.net, opt=self.opt.state_dict(), step=self.step, elapsed=self.elapsed,
                         best=self.best, history=self.history, sampler=self.sampler.state(),
                         torch_rng=torch.get_rng_state(), meta={**self.meta, "val_def": self.val_def,
                                                                **self._objective_state()})

    def _objective_state(self):
        """{"objective": state} for an objective with trained state of its own (state_dict() not None), else {}."""
        f = getattr(self.objective, "state_dict", None)
        s = f() if callable(f) else None
        return {"objective": s} if s is not None else {}

    def done(self):
        return self.elapsed >= self.total_s or (self.max_iters is not None and self.step >= self.max_iters)

    # ----- validation and logging -----
    def _write(self, rec):
        with open(self.log_p, "a") as f:
            f.write(json.dumps(rec) + "\n")

    def validate(self):
        clamp = getattr(self.net, "clamp_output", None)
        self.net.eval()
        if clamp is not None:
            self.net.clamp_output = True
        v = dict(self.validator(self.net, self.step))
        self.net.train()
        if clamp is not None:
            self.net.clamp_output = clamp
        v.update({"it": self.step, "min": self.elapsed / 60, "val": True})
        self._write(v)
        self.history["val"].append(v)
        self.log("VAL " + " ".join(f"{k} {x:.4g}" if isinstance(x, float) else f"{k} {x}"
                                   for k, x in v.items() if k not in ("val", "min")))
        score = v.get("score", math.inf)
        if score < self.best["score"]:
            self.best = {"score": score, "it": self.step, **{k: v[k] for k in self.best_keys if k in v}}
            if self.best_p is not None:
                checkpoints.save(self.best_p, self.net, step=self.step, elapsed=self.elapsed, meta={"val": v})
        if self.budget_file and (self.run_dir / self.budget_file).exists():   # a running job's new budget
            try:
                self.total_s = float((self.run_dir / self.budget_file).read_text().strip()) * 60
            except ValueError:
                pass
        return v

    # ----- the loop -----
    def fit(self):
        net = self.net
        net.train()
        if self.train_clamp is not None:
            net.clamp_output = self.train_clamp
        if self.validator is not None and self.validate_at_start and self.step == 0 and not self.history["val"]:
            self.validate()
        sums, counts = {}, {}
        t_last = t_ck = time.time()
        while not self.done():
            lr = self.schedule.at(self.step, self.elapsed, self.total_s, self.max_iters)
            for g in self.opt.param_groups:
                g["lr"] = lr * g.get("lr_scale", 1.0)
            x = _to(self.sampler.batch(self.batch), self.device)
            loss, parts = self.objective(net, x, self.step)
            self.opt.zero_grad(set_to_none=True)
            loss.backward()
            gn = torch.nn.utils.clip_grad_norm_(net.parameters(), self.clip if self.clip else math.inf)
            if torch.isfinite(loss.detach()) and torch.isfinite(gn):
                self.opt.step()
            else:   # a non-finite loss or gradient (e.g. a crop of one flat colour): skip the update, keep the weights
                self.opt.zero_grad(set_to_none=True)
                self.skipped += 1
                loss, parts = None, {}
            self.step += 1
            now = time.time(); self.elapsed += now - t_last; t_last = now
            for k, v in ({"loss": loss, **parts} if loss is not None else {"skipped": 1.0}).items():
                if v is not None:
                    sums[k] = sums.get(k, 0.0) + float(v.detach() if torch.is_tensor(v) else v)
                    counts[k] = counts.get(k, 0) + 1
            if self.step % self.log_every == 0:
                rec = {"it": self.step, "min": self.elapsed / 60, "lr": self.opt.param_groups[0]["lr"],
                       **{k: sums[k] / counts[k] for k in sums}}
                sums, counts = {}, {}
                self._write(rec)
                self.history["train"].append(rec)
                if self.step % self.print_every == 0:
                    self.log(" ".join(f"{k} {v:.4g}" if isinstance(v, float) else f"{k} {v}" for k, v in rec.items())
                             + f" s/it {self.elapsed / max(self.step, 1):.2f}")
            end = self.done()
            if self.validator is not None and (self.step % self.val_every == 0 or end):
                self.validate()
                t_last = time.time()          # validation time is not training time
                self.save(); t_ck = time.time()
            elif (self.ckpt_every and self.step % self.ckpt_every == 0) or \
                    (self.ckpt_seconds and time.time() - t_ck > self.ckpt_seconds):
                self.save(); t_ck = time.time()
        self.save()
        if self.train_clamp is not None:
            net.clamp_output = True
        return self.best
