"""An adversarial patch term for the fine-tune: a small conv discriminator, trained online on patches of
the teacher's output (real; a share of them mined towards candy's rings) against patches of the student's
output (fake); the student gets its generator loss.

Why: the teacher's rings are not a stable function of the photo (README, "Eighth pass"), so any loss at
the teacher's positions is least when the student paints no ring; a position-free ring score
(`motifs.ring_tail`) is fooled by stripes. A discriminator rewards a ring *wherever* the student paints
one, and a stripe does not fool it for long, as it learns what the teacher's rings look like.

Real patches: `ring_share` of them from a bank of ring-centred teacher patches (`RingBank`: the peaks of
the teacher's ring score, `ring_centres`, on every crop's teacher output, plus an optional pre-fill),
with random flips and quarter turns; the rest at random places of the current teacher output. Fake
patches: at random places of the student's output, and `fake_mine` of them at the student's own most
ring-like places (so that its near-rings, stripes included, are what the discriminator is shown).
Losses: hinge (discriminator) with the generator's -D, or non-saturating (softplus) for both.

`AdversarialTerm.state_dict()` holds the discriminator, its optimiser and the bank: the fine-tune's
checkpoint carries it (Trainer saves an objective's state), so a resume continues the game.
"""
from __future__ import annotations

import torch
import torch.nn as nn
import torch.nn.functional as F

from .motifs import TRAIN_RADII, ring_map_torch

LUM = (0.299, 0.587, 0.114)


def to_disc_input(y, mode="lum", pool=1):
    """[N, 3, h, w] 0..255 -> the discriminator's input: luminance ('lum', 1 channel) or RGB ('rgb'), in -1..1,
    pool x average-pooled (a ring is a 30-45 px shape: pooling hides the pixel texture, whose gradient
    otherwise becomes the student's hatching)."""
    if pool > 1:
        y = F.avg_pool2d(y, pool)
    if mode == "lum":
        w = torch.tensor(LUM, dtype=y.dtype, device=y.device).view(1, 3, 1, 1)
        y = (y * w).sum(1, keepdim=True)
    return y / 127.5 - 1.0


class PatchDisc(nn.Module):
    """A few-k-parameter discriminator: three stride-2 4x4 convs (widths), leaky ReLU, then a conv over the
    whole remaining map: one logit per patch (patch px square, a multiple of 8)."""

    def __init__(self, patch=48, widths=(8, 16, 24), channels=1):
        super().__init__()
        if patch % 8:
            raise ValueError("patch: a multiple of 8")
        layers, c = [], channels
        for w in widths:
            layers += [nn.Conv2d(c, w, 4, 2, 1), nn.LeakyReLU(0.2)]
            c = w
        layers.append(nn.Conv2d(c, 1, patch // 8))
        self.net = nn.Sequential(*layers)
        self.patch = patch

    def forward(self, x):
        return self.net(x).flatten(1).mean(1)


def _nms_peaks(score, threshold, spacing, border, k):
    """Up to k (y, x) local maxima of score [H, W] over threshold, spacing-px apart, border px from the edges."""
    H, W = score.shape
    s = score.clone()
    s[:border], s[H - border:], s[:, :border], s[:, W - border:] = -1e9, -1e9, -1e9, -1e9
    mx = F.max_pool2d(s[None, None], spacing | 1, stride=1, padding=spacing // 2)[0, 0]
    ys, xs = torch.nonzero((s == mx) & (s > threshold), as_tuple=True)
    order = torch.argsort(s[ys, xs], descending=True)[:k]
    return [(int(ys[i]), int(xs[i])) for i in order]


def ring_scores(y, pool=2, radii=TRAIN_RADII):
    """Ring score maps [N, H / pool, W / pool] of y [N, 3, H, W] 0..255 (ring_map_torch on the pooled luminance)."""
    w = torch.tensor(LUM, dtype=y.dtype, device=y.device).view(1, 3, 1, 1)
    lum = F.avg_pool2d((y * w).sum(1, keepdim=True), pool)
    return ring_map_torch(lum, radii)


def ring_centres(y, patch, threshold=40.0, pool=2, k=4):
    """Per image of y [N, 3, H, W] (0..255), the full-size (y, x) centres of up to k ring peaks (the
    pooled ring score over threshold) far enough from the border to cut a patch x patch patch there."""
    with torch.no_grad():
        sc = ring_scores(y.float(), pool)
    half = patch // 2
    out = []
    for s in sc:
        pk = _nms_peaks(s, threshold, 8, -(-half // pool), k)
        out.append([(py * pool, px * pool) for py, px in pk])
    return out


def cut(y, centres_per_image, patch):
    """Patches [M, C, patch, patch] of y [N, C, H, W] at the given centres (a list per image)."""
    h = patch // 2
    return torch.stack([y[i, :, cy - h:cy - h + patch, cx - h:cx - h + patch]
                        for i, cs in enumerate(centres_per_image) for cy, cx in cs]) if any(centres_per_image) else None


def random_patches(y, k, patch, gen):
    """k patches [k, C, patch, patch] at uniformly random places of y [N, C, H, W] (images at random)."""
    N, _, H, W = y.shape
    iy = torch.randint(0, N, (k,), generator=gen)
    py = torch.randint(0, H - patch + 1, (k,), generator=gen)
    px = torch.randint(0, W - patch + 1, (k,), generator=gen)
    return torch.stack([y[i, :, a:a + patch, b:b + patch] for i, a, b in zip(iy.tolist(), py.tolist(), px.tolist())])


def flip_rot(p, gen):
    """Random flips and quarter turns of patches [M, C, P, P] (the same for all)."""
    r = int(torch.randint(0, 8, (1,), generator=gen))
    p = torch.rot90(p, r % 4, (2, 3))
    return p.flip(3) if r >= 4 else p


class RingBank:
    """A ring buffer of up to `size` ring-centred teacher patches (uint8, [C, P, P])."""

    def __init__(self, size=256):
        self.size, self.items, self.pos = size, None, 0
        self.n = 0

    def add(self, patches):
        if patches is None or not len(patches):
            return
        p = patches.detach().round().clamp(0, 255).to(torch.uint8).cpu()
        if self.items is None:
            self.items = torch.zeros((self.size,) + tuple(p.shape[1:]), dtype=torch.uint8)
        for q in p:
            self.items[self.pos] = q
            self.pos = (self.pos + 1) % self.size
            self.n = min(self.n + 1, self.size)

    def sample(self, k, gen):
        if not self.n:
            return None
        idx = torch.randint(0, self.n, (k,), generator=gen)
        return flip_rot(self.items[idx].float(), gen)

    def state_dict(self):
        return {"size": self.size, "items": self.items, "pos": self.pos, "n": self.n}

    def load_state_dict(self, s):
        self.size, self.items, self.pos, self.n = s["size"], s["items"], s["pos"], s["n"]


class AdversarialTerm:
    """term(out, tout) -> (generator loss, discriminator figures): one discriminator step on detached
    patches, then the generator loss of the student's patches through the updated discriminator."""

    def __init__(self, patch=48, n=16, ring_share=0.5, fake_mine=0.25, lr=2e-4, widths=(8, 16, 24), mode="lum",
                 loss="hinge", bank=256, threshold=40.0, seed=0, device="cpu", g_on="all", warmup=0, pool=1,
                 d_steps=1):
        """g_on: the generator loss on all the fake patches ('all') or only on those at the student's own most
        ring-like places ('mined': complete the rings it starts, where it starts them, rather than push
        a ring into every random patch); warmup: calls in which only the discriminator learns (the
        generator loss is 0 x its value); pool: the patches' average pooling before the discriminator;
        d_steps: discriminator updates per call (the same patches)."""
        if loss not in ("hinge", "ns"):
            raise ValueError("loss: hinge or ns")
        if g_on not in ("all", "mined"):
            raise ValueError("g_on: all or mined")
        if g_on == "mined" and not fake_mine:
            raise ValueError("g_on 'mined' needs fake_mine > 0")
        if patch % (8 * pool):
            raise ValueError("patch: a multiple of 8 x pool")
        self.g_on, self.warmup, self.calls, self.pool, self.d_steps = g_on, warmup, 0, pool, d_steps
        self.patch, self.n, self.ring_share, self.fake_mine = patch, n, ring_share, fake_mine
        self.mode, self.loss, self.threshold = mode, loss, threshold
        with torch.random.fork_rng(devices=[]):      # the discriminator's start depends on seed alone
            torch.manual_seed(seed)
            self.disc = PatchDisc(patch // pool, widths, 1 if mode == "lum" else 3).to(device)
        self.opt = torch.optim.Adam(self.disc.parameters(), lr, betas=(0.5, 0.999))
        self.bank = RingBank(bank)
        self.gen = torch.Generator().manual_seed(seed)
        self.device = device

    def mine(self, tout):
        """Adds the ring-centred patches of teacher outputs tout [N, 3, H, W] to the bank; returns how many."""
        cs = ring_centres(tout, self.patch, self.threshold)
        p = cut(tout, cs, self.patch)
        self.bank.add(p)
        return 0 if p is None else len(p)

    def real_batch(self, tout):
        k_ring = int(round(self.n * self.ring_share)) if self.bank.n else 0
        parts = [random_patches(tout, self.n - k_ring, self.patch, self.gen)] if self.n - k_ring else []
        if k_ring:
            parts.append(self.bank.sample(k_ring, self.gen).to(tout.device, tout.dtype))
        return torch.cat(parts)

    def fake_batch(self, out):
        """(patches, m): the student's patches, the first m of them at its most ring-like places."""
        k_mine = int(round(self.n * self.fake_mine))
        parts = []
        if k_mine:
            cs = ring_centres(out.detach(), self.patch, threshold=-1e8, k=max(1, -(-k_mine // out.shape[0])))
            mined = cut(out, cs, self.patch)
            if mined is not None:
                parts.append(mined[:k_mine])
        m = sum(len(p) for p in parts)
        if self.n - m:
            parts.append(random_patches(out, self.n - m, self.patch, self.gen))
        return torch.cat(parts), m

    def d_loss(self, real, fake):
        dr, df = self.disc(to_disc_input(real, self.mode, self.pool)), self.disc(to_disc_input(fake, self.mode, self.pool))
        if self.loss == "hinge":
            loss = F.relu(1 - dr).mean() + F.relu(1 + df).mean()
        else:
            loss = F.softplus(-dr).mean() + F.softplus(df).mean()
        return loss, dr, df

    def g_loss(self, fake):
        df = self.disc(to_disc_input(fake, self.mode, self.pool))
        return (-df).mean() if self.loss == "hinge" else F.softplus(-df).mean()

    def __call__(self, out, tout):
        self.mine(tout)
        real, (fake, m) = self.real_batch(tout.detach()), self.fake_batch(out)
        self.disc.requires_grad_(True)
        for _ in range(self.d_steps):
            dl, dr, df = self.d_loss(real, fake.detach())
            self.opt.zero_grad(set_to_none=True)
            dl.backward()
            self.opt.step()
        self.opt.zero_grad(set_to_none=True)
        self.disc.requires_grad_(False)
        g = self.g_loss(fake[:m] if self.g_on == "mined" and m else fake)
        self.calls += 1
        if self.calls <= self.warmup:
            g = 0.0 * g
        return g, {"d_loss": float(dl.detach()), "d_real": float(dr.detach().mean()), "d_fake": float(df.detach().mean()), "bank": float(self.bank.n)}

    def state_dict(self):
        return {"disc": self.disc.state_dict(), "opt": self.opt.state_dict(), "bank": self.bank.state_dict(),
                "gen": self.gen.get_state(), "calls": self.calls}

    def load_state_dict(self, s):
        self.disc.load_state_dict(s["disc"])
        self.opt.load_state_dict(s["opt"])
        self.bank.load_state_dict(s["bank"])
        self.gen.set_state(s["gen"])
        self.calls = s.get("calls", 0)


def disk_mask(patch, radius, soft=3.0, device="cpu"):
    """[patch, patch] weights: 1 inside radius px of the centre, falling linearly to 0 over `soft` px."""
    yy, xx = torch.meshgrid(torch.arange(patch, device=device), torch.arange(patch, device=device), indexing="ij")
    r = torch.hypot(yy - (patch - 1) / 2, xx - (patch - 1) / 2)
    return ((radius + soft - r) / soft).clamp(0, 1)


def stamp_l1(out, bank, patch, k=1, radius=22):
    """The 'ring stamp' loss: at the student's own k most ring-like places per image of out [N, 3, H, W]
    (0..255; its ring score's peaks, whatever their score), the masked L1 (/ 255, a disk of `radius` px)
    of its patch to the bank's teacher ring closest to it (the bank's patches are ring-centred). Position-
    free (the student chooses where, by its own rule, which is a function of the photo) and not cheaper to
    fool than to meet (only a whole teacher-like ring lowers it; with no threshold on the candidates there
    is no escape by painting nothing ring-like). 0 (no gradient) while the bank is empty."""
    if not bank.n:
        return out.sum() * 0.0
    cs = ring_centres(out.detach(), patch, threshold=-1e8, k=k)
    sp = cut(out, cs, patch)
    if sp is None:
        return out.sum() * 0.0
    m = disk_mask(patch, radius, device=out.device)
    rings = bank.items[:bank.n].to(out.device, out.dtype)                       # [B, C, P, P]
    with torch.no_grad():
        d = ((sp[:, None] - rings[None]).abs().mean(2) * m).flatten(2).mean(2)   # [M, B]
        tgt = rings[d.argmin(1)]
    return ((sp - tgt).abs().mean(1) * m).sum((1, 2)).mean() / m.sum() / 255.0


def prefill(term, teacher_fn, sampler, crops, batch=1, log=print):
    """Fills term's bank from `crops` crops of sampler (teacher_fn: crop -> teacher output), before training."""
    got = 0
    for _ in range(max(0, crops) // max(1, batch)):
        with torch.no_grad():
            got += term.mine(teacher_fn(sampler.batch(batch).to(term.device)))
    log(f"adversarial ring bank: {term.bank.n} ring patches from {crops} crops")
    return got


def disc_params(term):
    return int(sum(p.numel() for p in term.disc.parameters()))


__all__ = ["PatchDisc", "AdversarialTerm", "RingBank", "ring_centres", "ring_scores", "cut", "random_patches",
           "to_disc_input", "prefill", "disc_params", "stamp_l1", "disk_mask"]
