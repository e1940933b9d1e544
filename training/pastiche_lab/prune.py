"""Evolutionary channel pruning (after Shu et al. 2019, as the seed adapts it).

A binary code holds one bit per prunable channel (groups in model.GROUPS order; the residual
trunk is one group since its channels are joined by the additions). Each generation builds a new
population: every slot is, with probability S1, a selected individual kept as is; with probability
S2, the crossover of two selected individuals; otherwise (1-S1-S2) a mutated selected individual.
Fitness (lower is better) = perceptual error of the pruned net against the unpruned net's outputs
on a few training photos + gamma * parameters (millions) [+ disc_weight * discriminator score].
Codes over the MAC budget are repaired by dropping channels.
"""
from __future__ import annotations

import math
import random
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from .model import (GROUPS, TransformerNet, Widths, count_params, macs_per_pixel, masks_from_code,
                    slim, widths_from_masks)
from .perceptual import content_distance, style_distance


# ---------------- operators ----------------
def group_slices(widths: Widths):
    out, i = {}, 0
    for g in GROUPS:
        c = widths.group(g)
        out[g] = (i, i + c)
        i += c
    return out


def select(pop, fit, rng: random.Random, k=2):
    """Tournament selection (lower fitness wins)."""
    best = None
    for _ in range(k):
        i = rng.randrange(len(pop))
        if best is None or fit[i] < fit[best]:
            best = i
    return pop[best]


def crossover(a, b, slices, rng: random.Random):
    """Group-wise uniform crossover: each group's bits come from one parent."""
    child = list(a)
    for s, e in slices.values():
        if rng.random() < 0.5:
            child[s:e] = b[s:e]
    return child


def mutate(a, rng: random.Random, rate):
    """Flip each bit with probability `rate` (at least one flip)."""
    child = list(a)
    flipped = False
    for i in range(len(child)):
        if rng.random() < rate:
            child[i] = 1 - child[i]
            flipped = True
    if not flipped:
        i = rng.randrange(len(child))
        child[i] = 1 - child[i]
    return child


def next_generation(pop, fit, s1, s2, rng: random.Random, slices, mut_rate, elite=1):
    """Returns (new population, list of operator names used per slot)."""
    order = sorted(range(len(pop)), key=lambda i: fit[i])
    new = [list(pop[i]) for i in order[:elite]]
    ops = ["elite"] * elite
    while len(new) < len(pop):
        r = rng.random()
        if r < s1:
            new.append(list(select(pop, fit, rng))); ops.append("keep")
        elif r < s1 + s2:
            new.append(crossover(select(pop, fit, rng), select(pop, fit, rng), slices, rng)); ops.append("cross")
        else:
            new.append(mutate(select(pop, fit, rng), rng, mut_rate)); ops.append("mutate")
    return new, ops


def code_widths(code, full: Widths):
    sl = group_slices(full)
    return Widths.from_list([sum(code[s:e]) for g, (s, e) in sl.items()])


def repair(code, full: Widths, kind, max_mac, rng: random.Random, importance=None, min_ch=4, mac_base=None):
    """Enforce >= min_ch channels per group and MAC ratio <= max_mac by dropping channels
    (least important first when importance is given, else random) from groups that cost most.
    The ratio is to mac_base (MACs per pixel; default the net of widths `full`)."""
    code = list(code)
    sl = group_slices(full)
    for s, e in sl.values():
        on = sum(code[s:e])
        if on < min_ch:
            off = [i for i in range(s, e) if not code[i]]
            for i in rng.sample(off, min_ch - on):
                code[i] = 1
    full_mac = mac_base or macs_per_pixel(full, kind)
    while macs_per_pixel(code_widths(code, full), kind) / full_mac > max_mac:
        w = code_widths(code, full)
        # MAC saving of removing one channel of each group
        cands = []
        for g in GROUPS:
            if w.group(g) <= min_ch:
                continue
            l = w.as_list(); l[GROUPS.index(g)] -= 1
            cands.append((macs_per_pixel(w, kind) - macs_per_pixel(Widths.from_list(l), kind), g))
        if not cands:
            break
        tot = sum(c for c, _ in cands)
        r, acc = rng.random() * tot, 0
        for c, g in cands:  # noqa: B007 (g, the group drawn, is used after the loop)
            acc += c
            if acc >= r:
                break
        s, e = sl[g]
        on = [i for i in range(s, e) if code[i]]
        if importance is not None:
            i = min(on, key=lambda j: importance[j] + 1e-3 * rng.random())
        else:
            i = rng.choice(on)
        code[i] = 0
    return code


def channel_importance(net: TransformerNet):
    """|gamma| of the instance norm that feeds each channel (trunk: sum over the six norms)."""
    imp = {"c1": net.in1.weight.abs(), "c2": net.in2.weight.abs(),
           "trunk": net.in3.weight.abs() + sum(n.weight.abs() for n in net.res_ib),
           "u1": net.in4.weight.abs(), "u2": net.in5.weight.abs()}
    for i in range(5):
        imp[f"res{i}"] = net.res_ia[i].weight.abs()
    out = []
    for g in GROUPS:
        v = imp[g].detach().cpu().numpy()
        out += list(v / (v.max() + 1e-12))
    return out


def importance_code(importance, full: Widths, fractions: dict):
    sl = group_slices(full)
    code = [0] * len(importance)
    for g, (s, e) in sl.items():
        k = max(1, int(round(fractions[g] * (e - s))))
        idx = sorted(range(s, e), key=lambda j: -importance[j])[:k]
        for j in idx:
            code[j] = 1
    return code


# ---------------- discriminator ----------------
class SmallDisc(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(
            nn.Conv2d(3, 32, 4, 2, 1), nn.LeakyReLU(0.2),
            nn.Conv2d(32, 64, 4, 2, 1), nn.LeakyReLU(0.2),
            nn.Conv2d(64, 64, 4, 2, 1), nn.LeakyReLU(0.2),
            nn.Conv2d(64, 1, 3, 1, 1))

    def forward(self, x):
        return self.net(x / 127.5 - 1.0).mean(dim=(1, 2, 3))   # logit "real" (= unpruned)


# ---------------- search ----------------
def search(teacher: TransformerNet, photos: torch.Tensor, vgg, *, s1=0.2, s2=0.5, gamma=0.3,
           population=24, generations=20, max_mac=0.22, mut_rate=0.02, seed=0,
           disc_weight=0.0, log=print, time_budget_s=None, reference=None, mac_base=None,
           fractions=(0.5, 0.45, 0.4, 0.35, 0.3)):
    """photos: [N,3,h,w] 0..255 on the device. Returns dict with best code, history, all points.

    `teacher` is the net searched over (its channels are the code's bits). To prune an already
    pruned student further: pass the student as `teacher`, the real teacher as `reference` (the
    fitness is measured against its outputs; default: the searched net's own) and `mac_base`, the
    MACs per pixel that `max_mac` and every `mac_ratio` are relative to (default: the searched
    net's), e.g. the unpruned net's; `fractions`: the keep fractions of the ranked initial codes."""
    rng = random.Random(seed)
    torch.manual_seed(seed)
    kind = teacher.geo.kind
    full = teacher.widths
    sl = group_slices(full)
    teacher = teacher.eval()
    with torch.no_grad():
        target = (reference.eval() if reference is not None else teacher)(photos)
        ft = vgg(target)
    imp = channel_importance(teacher)
    full_mac = mac_base or macs_per_pixel(full, kind)

    disc = opt_d = None
    if disc_weight > 0:
        disc = SmallDisc().to(photos.device)
        opt_d = torch.optim.Adam(disc.parameters(), 2e-4, betas=(0.5, 0.99))

    cache = {}
    points = []

    def perceptual(code):
        key = bytes(code)
        if key in cache:
            return cache[key]
        masks = masks_from_code(code, full, photos.device)
        net = slim(teacher, masks).eval()
        with torch.no_grad():
            out = net(photos)
            fo = vgg(out)
            err = float(style_distance(fo, ft) + content_distance(fo[1], ft[1]))
        w = widths_from_masks(masks)
        rec = {"err": err, "params": count_params(w, kind), "mac_ratio": macs_per_pixel(w, kind) / full_mac,
               "widths": w.as_list(), "out": out if disc is not None else None}
        cache[key] = rec
        points.append({k: v for k, v in rec.items() if k != "out"})
        return rec

    def fitness(code):
        rec = perceptual(code)
        f = rec["err"] + gamma * rec["params"] / 1e6
        if disc is not None:
            with torch.no_grad():
                p_fake = 1 - torch.sigmoid(disc(rec["out"])).mean()
            f += disc_weight * float(p_fake)
        return f

    def train_disc(codes, steps=3):
        fakes = torch.cat([perceptual(c)["out"] for c in codes[: min(6, len(codes))]])
        for _ in range(steps):
            lr = F.softplus(-disc(target)).mean() + F.softplus(disc(fakes)).mean()
            opt_d.zero_grad(); lr.backward(); opt_d.step()

    # initial population: importance-ranked codes at a few uniform keep fractions + random codes
    pop = []
    fmax = max(fractions)
    for frac in fractions:
        fr = {g: frac for g in GROUPS}
        pop.append(repair(importance_code(imp, full, fr), full, kind, max_mac, rng, imp, mac_base=full_mac))
    fr = {g: fmax for g in GROUPS}
    for i in range(5):
        fr[f"res{i}"] = fmax / 2
    pop.append(repair(importance_code(imp, full, fr), full, kind, max_mac, rng, imp, mac_base=full_mac))
    while len(pop) < population:
        fr = {g: rng.uniform(0.4 * fmax, min(1.0, 1.4 * fmax)) for g in GROUPS}
        code = importance_code([v + rng.random() for v in imp], full, fr) if rng.random() < 0.5 else \
            [1 if rng.random() < fr[g] else 0 for g, (s, e) in sl.items() for _ in range(s, e)]
        pop.append(repair(code, full, kind, max_mac, rng, imp if rng.random() < 0.5 else None, mac_base=full_mac))
    pop = pop[:population]

    t0 = time.time()
    history = []
    for gen in range(generations + 1):
        if disc is not None:
            train_disc(pop)
        fit = [fitness(c) for c in pop]
        b = min(range(len(pop)), key=lambda i: fit[i])
        rec = perceptual(pop[b])
        h = {"gen": gen, "best_fitness": fit[b], "best_err": rec["err"], "best_params": rec["params"],
             "best_mac_ratio": rec["mac_ratio"], "mean_fitness": float(np.mean(fit)),
             "best_widths": rec["widths"], "evals": len(cache), "t": time.time() - t0}
        if disc is not None:   # the discriminator term's share: P(fake) of the best and over the population
            pf = [(f - perceptual(c)["err"] - gamma * perceptual(c)["params"] / 1e6) / disc_weight
                  for c, f in zip(pop, fit)]
            h.update({"best_p_fake": pf[b], "p_fake_min": min(pf), "p_fake_mean": float(np.mean(pf)),
                      "p_fake_max": max(pf), "best_fitness_no_disc": rec["err"] + gamma * rec["params"] / 1e6})
        history.append(h)
        log(f"gen {gen:3d} best {fit[b]:.4f} err {rec['err']:.4f} params {rec['params']} "
            f"mac {rec['mac_ratio']:.3f} widths {rec['widths']} evals {len(cache)} t {time.time() - t0:.0f}s"
            + (f" p_fake best {h['best_p_fake']:.3f} pop {h['p_fake_min']:.3f}-{h['p_fake_max']:.3f}"
               if disc is not None else ""))
        best_code = list(pop[b])
        if gen == generations or (time_budget_s and time.time() - t0 > time_budget_s):
            break
        pop, _ = next_generation(pop, fit, s1, s2, rng, sl, mut_rate)
        pop = [repair(c, full, kind, max_mac, rng, None, mac_base=full_mac) for c in pop]
    for v in cache.values():
        v["out"] = None
    return {"code": best_code, "widths": code_widths(best_code, full).as_list(), "history": history,
            "points": points, "wall_s": time.time() - t0, "args": {"s1": s1, "s2": s2, "gamma": gamma, "population": population,
                                       "generations": generations, "max_mac": max_mac,
                                       "mut_rate": mut_rate, "seed": seed, "disc_weight": disc_weight,
                                       "mac_base": full_mac, "searched_widths": full.as_list(),
                                       "fractions": list(fractions)}}


def pareto_front(points, x="mac_ratio", y="err"):
    pts = sorted(points, key=lambda p: (p[x], p[y]))
    front, best = [], math.inf
    for p in pts:
        if p[y] < best:
            front.append(p); best = p[y]
    return front
