"""Fine-tuning of a slimmed student against its teacher, run live on fresh random crops: the
distillation objective, run by the lab's Trainer.

Losses: pixel L1, a low-pass L1 (4x average-pooled), matching of the kept channels' intermediate
features to the teacher's, VGG-19 content (relu2_1) and Gram (relu1_1, relu2_1, relu3_1) distances,
and a Tiny Darknet Gram distance; optionally 1 - SSIM of the 4x-pooled luminance (`--w-ssim`) and a
colour-histogram distance in the chroma plane (`--w-chroma`, `chroma_hist`) and a location-specific
chroma low-pass L1 (`--w-lowchroma`, `low_chroma`). Format-A teachers are run on a reflection-padded context around
the crop (teachers.CONTEXT_A px) and cropped back, so the target has no zero-padding border artifacts;
the student itself uses reflection padding.
"""
from __future__ import annotations

import torch
import torch.nn.functional as F

from . import anchors
from .adversarial import AdversarialTerm, disc_params, prefill, stamp_l1
from .data import CropSampler
from .model import FEATURE_GROUPS, TransformerNet
from .motifs import ring_tail
from .perceptual import content_distance, style_distance
from .teachers import reference_context
from .trainer import Schedule, Trainer

FEATURE_SCALE = [1, 2, 4] + [4] * 5 + [2, 1]   # downsampling of each feature map


def phases(y):
    """The 2x2-periodic components of y [N, C, H, W] (H, W even): the three non-constant Hadamard
    combinations a - b - c + d, a + b - c - d, a - b + c - d of each 2x2 block (a b / c d), / 4. A
    pixel checkerboard (transposed-conv upsampling) lives there."""
    a, b, c, d = y[:, :, 0::2, 0::2], y[:, :, 0::2, 1::2], y[:, :, 1::2, 0::2], y[:, :, 1::2, 1::2]
    return torch.cat([a - b - c + d, a + b - c - d, a - b + c - d], 1) / 4


def ssim_lum_4x(out, ref, win=7, data_range=255.0):
    """Mean SSIM of the 4x average-pooled luminance of out and ref [N, 3, H, W] (0..255), differentiable:
    the measure of evaluate.image_metrics (skimage's structural_similarity defaults: 7 x 7 uniform window,
    K1 0.01, K2 0.03, sample covariances, the valid part of the map), per image then averaged."""
    lum = torch.tensor([0.299, 0.587, 0.114], dtype=out.dtype, device=out.device).view(1, 3, 1, 1)
    a, b = F.avg_pool2d((out * lum).sum(1, keepdim=True), 4), F.avg_pool2d((ref * lum).sum(1, keepdim=True), 4)
    c1, c2 = (0.01 * data_range) ** 2, (0.03 * data_range) ** 2
    m = lambda t: F.avg_pool2d(t, win, stride=1)
    cov = win * win / (win * win - 1.0)
    ma, mb = m(a), m(b)
    va, vb, vab = cov * (m(a * a) - ma * ma), cov * (m(b * b) - mb * mb), cov * (m(a * b) - ma * mb)
    s = ((2 * ma * mb + c1) * (2 * vab + c2)) / ((ma * ma + mb * mb + c1) * (va + vb + c2))
    return s.mean(dim=(1, 2, 3)).mean()


def chroma_hist(out, ref, n_dirs=8, pool=2):
    """Colour-histogram distance of out and ref [N, 3, H, W] (0..255, same size), location-blind and
    luminance-blind: the sliced 1-Wasserstein distance of the two images' distributions in the opponent
    chroma plane (R - G) / sqrt 2, (R + G - 2B) / sqrt 6, with pixels `pool`x average-pooled, projected
    on n_dirs directions of the plane (0, pi / n_dirs, ...), sorted and compared (mean L1 / 255), per
    image then averaged. A hue spread over more of the image than the teacher gives it (udnie's green
    wash) costs the same wherever it lies; a grey shift (R = G = B) costs nothing."""
    if pool > 1:
        out, ref = F.avg_pool2d(out, pool), F.avg_pool2d(ref, pool)
    ang = torch.arange(n_dirs, dtype=out.dtype, device=out.device) * (torch.pi / n_dirs)
    o1 = torch.tensor([1.0, -1.0, 0.0], dtype=out.dtype, device=out.device) / 2 ** 0.5
    o2 = torch.tensor([1.0, 1.0, -2.0], dtype=out.dtype, device=out.device) / 6 ** 0.5
    dirs = torch.cos(ang)[:, None] * o1 + torch.sin(ang)[:, None] * o2          # [D, 3] in RGB
    proj = lambda y: torch.einsum("nchw,dc->ndhw", y, dirs).flatten(2).sort(dim=2).values
    return (proj(out) - proj(ref)).abs().mean() / 255.0


def low_chroma(out, ref, pool=8):
    """Location-specific colour term: mean L1 / 255 of the opponent chroma channels (R - G) / sqrt 2,
    (R + G - 2B) / sqrt 6 of out and ref [N, 3, H, W] (0..255), both `pool`x average-pooled first (the
    colour of each region, not its texture; chroma_fidelity's `opp` measure). Unlike the RGB low-pass
    term it carries no luminance (which dominates an RGB L1), and unlike chroma_hist it is tied to
    position: an orange suit painted yellow costs where the suit is. A grey shift costs nothing."""
    if pool > 1:
        out, ref = F.avg_pool2d(out, pool), F.avg_pool2d(ref, pool)
    opp = torch.tensor([[1.0 / 2 ** 0.5, -1.0 / 2 ** 0.5, 0.0], [1.0 / 6 ** 0.5, 1.0 / 6 ** 0.5, -2.0 / 6 ** 0.5]],
                       dtype=out.dtype, device=out.device)
    return torch.einsum("nchw,dc->ndhw", out - ref, opp).abs().mean() / 255.0


def hard_l1(out, ref, q=0.02, pool=2):
    """Hard-example pixel loss: the mean of the top-q fraction of the per-position L1 difference (channel
    mean, / 255) of out and ref [N, 3, H, W] (0..255), both `pool`x average-pooled first (so that the
    selected positions are regions where the pictures differ, not single-pixel texture), per image then
    averaged. The selection follows the current difference (no gradient through it): a rare motif that the
    student leaves out (candy's rings: a handful of 30-40 px spots per 768-px photo, a fraction of a
    per cent of the pixels) is where its difference is largest, and gets the whole loss, where a mean
    over the crop hardly sees it."""
    if pool > 1:
        out, ref = F.avg_pool2d(out, pool), F.avg_pool2d(ref, pool)
    e = (out - ref).abs().mean(1).flatten(1) / 255.0            # [N, h*w]
    k = max(1, int(round(q * e.shape[1])))
    return e.topk(k, dim=1).values.mean()


def hard_feature(fs, ft, q=0.02):
    """The same at a VGG layer: squared feature difference per position (summed over channels),
    normalised by the teacher's mean feature energy per position, mean of the top-q fraction of the
    positions per image, averaged. fs, ft: [N, C, h, w]."""
    e = ((fs - ft) ** 2).sum(1).flatten(1)
    norm = (ft ** 2).sum(1).flatten(1).mean(1, keepdim=True).clamp_min(1e-6)
    k = max(1, int(round(q * e.shape[1])))
    return (e / norm).topk(k, dim=1).values.mean()


def border_l1(out, ref, width=8):
    """Mean |out - ref| / 255 over the outer `width` px of each side of [N, C, H, W] images (every band
    pixel once): the image borders, where a student can paint a line its teacher on a reflection context
    does not (La Muse's edge band, evaluate.edge_band)."""
    h, w = out.shape[-2:]
    m = torch.zeros(h, w, dtype=torch.bool, device=out.device)
    m[:width], m[-width:], m[:, :width], m[:, -width:] = True, True, True, True
    return (out - ref).abs().mean(1)[:, m].mean() / 255.0


def teacher_targets(teacher: TransformerNet, x, kept, context):
    """Teacher output and kept-channel features for crop x (with reflect context for format A);
    kept None: no features."""
    feats = [] if kept is not None else None
    with torch.no_grad():
        if context:
            xp = F.pad(x, (context,) * 4, mode="reflect")
            out = teacher(xp, features=feats)
            out = out[:, :, context:-context, context:-context]
            if feats is not None:
                feats = [f[:, :, context // s:-(context // s), context // s:-(context // s)]
                         for f, s in zip(feats, FEATURE_SCALE)]
        else:
            out = teacher(x, features=feats)
        if feats is not None:
            feats = [f[:, kept[g]] for f, g in zip(feats, FEATURE_GROUPS)]
    return out, feats


class DistillObjective:
    """objective(student, x, step) -> (loss, parts) for the Trainer."""

    def __init__(self, teacher, kept, vgg, *, context=0, w_pix=1.0, w_low=0.0, w_feat=1.0, w_content=1.0,
                 w_style=3.0, vgg_every=1, darknet=None, w_dk=1.0, dk_taps=(1, 2, 4, 6), w_phase=0.0, w_ssim=0.0, w_chroma=0.0,
                 w_hard=0.0, w_hard_feat=0.0, hard_q=0.02, hard_pool=2, w_ring=0.0, ring_q=0.002,
                 w_border=0.0, border_width=8, w_lowchroma=0.0, lowchroma_pool=8, adv=None, w_adv=0.0, w_stamp=0.0, stamp_k=1,
                 anchor_stamp=None, w_anchor=0.0, anchor_threshold=None, anchor_shift=0):
        """kept None (a student whose teacher channels are not known, e.g. imported from a shipped
        ONNX model): no feature matching. w_phase: L1 of the 2x2-periodic components (`phases`).
        w_ssim: 1 - SSIM of the 4x-pooled luminance to the teacher's (`ssim_lum_4x`; 0 = off).
        w_chroma: colour-histogram distance to the teacher's output (`chroma_hist`; 0 = off).
        w_hard: hard-example pixel L1 on the top hard_q fraction of the hard_pool-x pooled positions where
        the student differs most from the teacher (`hard_l1`; 0 = off); w_hard_feat: the same on VGG
        relu3_1 (`hard_feature`, on the VGG iterations; 0 = off). w_ring: the position-free ring loss
        (`motifs.ring_tail`: the top ring_q tail of the ring scores to the teacher's; 0 = off).
        w_border: L1 to the teacher's output on the outer border_width px of the crop (`border_l1`; 0 = off;
        the teacher runs on a reflection context, so every crop border stands for an image border).
        w_lowchroma: L1 of the opponent chroma of the lowchroma_pool-x pooled output to the teacher's
        (`low_chroma`: local colour; 0 = off).
        adv, w_adv: an adversarial.AdversarialTerm (a patch discriminator, stepped here on every call) and
        the weight of its generator loss (0 or adv None = off); its state is in `state_dict()`. w_stamp: the
        ring-stamp L1 (`adversarial.stamp_l1`, at the student's stamp_k most ring-like places per crop, to the
        closest ring of adv's bank; needs adv, whose bank it mines even with w_adv 0; 0 = off).
        anchor_stamp: an anchors.RingStamp: the teacher's target gets it at the photo's anchors
        (anchors.anchor_places of the input crop, over anchor_threshold), so every term asks for a ring
        there; w_anchor: the extra L1 on the stamped disks (anchors.anchor_l1; needs anchor_stamp), or with
        anchor_shift R > 0 the shift-tolerant one (anchors.anchor_shift_l1: the ring within R px of the place)."""
        if kept is None and w_feat:
            raise ValueError("feature matching needs the kept channels (kept=None: set w_feat=0)")
        self.teacher, self.kept, self.vgg, self.context = teacher.eval(), kept, vgg, context
        self.w = dict(pix=w_pix, low=w_low, feat=w_feat, content=w_content, style=w_style, dk=w_dk, phase=w_phase, ssim=w_ssim,
                      chroma=w_chroma, hard=w_hard, hard_feat=w_hard_feat, ring=w_ring, border=w_border,
                      lowchroma=w_lowchroma,
                      adv=w_adv if adv is not None else 0.0, stamp=w_stamp if adv is not None else 0.0)
        if w_stamp and adv is None:
            raise ValueError("w_stamp needs an AdversarialTerm (its ring bank)")
        self.adv = adv if (w_adv or w_stamp) else None
        if w_anchor and anchor_stamp is None:
            raise ValueError("w_anchor needs an anchor_stamp")
        self.anchor_stamp, self.w["anchor"] = anchor_stamp, w_anchor
        self.anchor_threshold = anchors.THRESHOLD if anchor_threshold is None else anchor_threshold
        self.anchor_shift = anchor_shift
        self.stamp_k = stamp_k
        self.hard_q, self.hard_pool, self.ring_q = hard_q, hard_pool, ring_q
        self.border_width, self.lowchroma_pool = border_width, lowchroma_pool
        self.vgg_every, self.darknet, self.dk_taps = vgg_every, darknet, dk_taps

    def __call__(self, student, x, step):
        tout, tfeats = teacher_targets(self.teacher, x, self.kept, self.context)
        wmap = places = None
        if self.anchor_stamp is not None:
            places = anchors.anchor_places(x, self.anchor_threshold)
            tout, wmap = anchors.stamp_target(tout, places, self.anchor_stamp, self.anchor_threshold)
        sfeats = [] if tfeats is not None else None
        out = student(x, features=sfeats)
        p = {"pix": (out - tout).abs().mean() / 255.0,
             # low-pass pixel term: layout and colour at 1/4 resolution (what SSIM-lum-4x looks at)
             "low": (F.avg_pool2d(out, 4) - F.avg_pool2d(tout, 4)).abs().mean() / 255.0,
             "feat": (sum(((a - b) ** 2).mean() / (b ** 2).mean().clamp_min(1e-6)
                          for a, b in zip(sfeats, tfeats)) / len(sfeats)) if tfeats is not None else None,
             "phase": (phases(out) - phases(tout)).abs().mean() / 255.0 if self.w["phase"] else None,
             "ssim": 1.0 - ssim_lum_4x(out, tout) if self.w["ssim"] else None,
             "chroma": chroma_hist(out, tout) if self.w["chroma"] else None,
             "hard": hard_l1(out, tout, self.hard_q, self.hard_pool) if self.w["hard"] else None,
             "ring": ring_tail(out, tout, self.ring_q) if self.w["ring"] else None,
             "border": border_l1(out, tout, self.border_width) if self.w["border"] else None,
             "lowchroma": low_chroma(out, tout, self.lowchroma_pool) if self.w["lowchroma"] else None,
             "anchor": (None if not self.w["anchor"] else
                        anchors.anchor_shift_l1(out, places, self.anchor_stamp, self.anchor_threshold,
                                                shift=self.anchor_shift) if self.anchor_shift else
                        anchors.anchor_l1(out, tout, wmap)),
             "style": None, "content": None, "dk": None, "hard_feat": None, "adv": None, "stamp": None}
        if self.adv is not None:
            if self.w["adv"]:
                p["adv"], dfig = self.adv(out, tout)
                p.update(dfig)   # the discriminator's figures, logged, not in the loss
            else:
                self.adv.mine(tout)
            if self.w["stamp"]:
                p["stamp"] = stamp_l1(out, self.adv.bank, self.adv.patch, self.stamp_k)
        if step % self.vgg_every == 0:
            fs, ft = self.vgg(out), self.vgg(tout)
            p["style"], p["content"] = style_distance(fs, ft), content_distance(fs[1], ft[1])
            if self.w["hard_feat"]:
                p["hard_feat"] = hard_feature(fs[2], ft[2], self.hard_q)
        if self.darknet is not None:   # cheap Gram loss on Tiny Darknet features, every iteration
            with torch.no_grad():
                dt = self.darknet(tout, taps=self.dk_taps)
            p["dk"] = style_distance(self.darknet(out, taps=self.dk_taps), dt)
        loss = sum(self.w[k] * v for k, v in p.items() if v is not None and k in self.w)
        return loss, p

    def state_dict(self):
        """The objective's own trained state (the discriminator's), for the Trainer's checkpoint; None: none."""
        return {"adv": self.adv.state_dict()} if self.adv is not None else None

    def load_state_dict(self, s):
        if self.adv is not None and s and s.get("adv"):
            self.adv.load_state_dict(s["adv"])


def bar_score(v, bar=None):
    """Distance to the bar (default the lab's 0.30 / 0.80; or e.g. GOAL_SCORE), both criteria (< 1 meets it)."""
    bar = bar or {"style_distance_ratio": 0.30, "ssim_lum_4x": 0.80}
    return max(v["style_distance_ratio"] / bar["style_distance_ratio"], bar["ssim_lum_4x"] / max(v["ssim_lum_4x"], 1e-3))


GOAL_SCORE = {"style_distance_ratio": 0.20, "ssim_lum_4x": 0.82}   # issue 11's goal (evaluate.GOAL)


def train(student: TransformerNet, teacher: TransformerNet, kept, vgg, run_dir, *, photos_dir,
          crop=128, batch=4, minutes=30.0, lr=3e-4, w_pix=1.0, w_feat=1.0, w_content=1.0, w_style=3.0,
          context=None, val_every=100, validator=None, device="cpu", seed=0, log=print, max_iters=None,
          vgg_every=1, darknet=None, w_dk=1.0, dk_taps=(1, 2, 4, 6), val_def="", w_low=0.0, iter_schedule=False,
          scales=(0.6, 1.0), photometric=0.0, max_side=None, w_phase=0.0, score=None, w_ssim=0.0,
          w_chroma=0.0, w_hard=0.0, w_hard_feat=0.0, hard_q=0.02, hard_pool=2, w_ring=0.0, ring_q=0.002,
          w_border=0.0, border_width=8, w_lowchroma=0.0, lowchroma_pool=8, w_adv=0.0, adv_args=None, adv_prefill=0,
          w_stamp=0.0, stamp_k=1, adv_bank_init=None, anchor_stamp=None, w_anchor=0.0, anchor_threshold=None,
          anchor_shift=0):
    """Resumable: state in run_dir/ft_state.pt; best student in run_dir/student.pt; log in ft_log.jsonl.

    photos_dir: a folder or a list of photos. iter_schedule (needs max_iters): the cosine decay runs
    over max_iters iterations instead of the time budget, and the last iteration is validated, so
    that runs compare at equal iterations whatever the machine's load. score: the thresholds of the
    best-student score (bar_score; default the lab's bar). w_adv: the adversarial patch term's weight
    (adversarial.AdversarialTerm(**adv_args); 0 = off), its ring bank pre-filled from adv_prefill crops
    on a fresh run (resumed: from the checkpoint), or loaded from adv_bank_init (a RingBank state file).
    w_stamp: the ring-stamp L1 (DistillObjective). anchor_stamp: a RingStamp file (anchors build) stamped
    into the teacher's target at the crops' anchors; w_anchor: its extra L1 (DistillObjective)."""
    if iter_schedule and not max_iters:
        raise ValueError("iter_schedule needs max_iters")
    if context is None:
        context = reference_context(teacher.geo.kind)
    teacher.to(device); vgg.to(device)
    objective = DistillObjective(teacher, kept, vgg, context=context, w_pix=w_pix, w_low=w_low, w_feat=w_feat,
                                 w_content=w_content, w_style=w_style, vgg_every=vgg_every, darknet=darknet,
                                 w_dk=w_dk, dk_taps=dk_taps, w_phase=w_phase, w_ssim=w_ssim,
                                 w_chroma=w_chroma, w_hard=w_hard, w_hard_feat=w_hard_feat, hard_q=hard_q,
                                 hard_pool=hard_pool, w_ring=w_ring, ring_q=ring_q,
                                 w_border=w_border, border_width=border_width,
                                 w_lowchroma=w_lowchroma, lowchroma_pool=lowchroma_pool,
                                 adv=AdversarialTerm(seed=seed, device=device, **(adv_args or {})) if (w_adv or w_stamp) else None,
                                 w_adv=w_adv, w_stamp=w_stamp, stamp_k=stamp_k,
                                 anchor_stamp=anchors.RingStamp.load(anchor_stamp) if anchor_stamp else None,
                                 w_anchor=w_anchor, anchor_threshold=anchor_threshold, anchor_shift=anchor_shift)
    sampler = CropSampler(photos_dir, crop, scales=scales, seed=seed, photometric=photometric, max_side=max_side)
    if objective.anchor_stamp is not None:
        log(f"anchored ring stamp {anchor_stamp}: threshold {objective.anchor_threshold}, extra weight {w_anchor}, "
            f"shift {anchor_shift}")
    if objective.adv is not None:
        log(f"adversarial patch term: weight {w_adv}, stamp {w_stamp} (k {stamp_k}), discriminator "
            f"{disc_params(objective.adv)} parameters, {adv_args}")

    def validate(net, step):
        v = validator(net)
        return {**v, "score": bar_score(v, score)}

    trainer = Trainer(student, objective, sampler, run_dir, batch=batch,
                      schedule=Schedule("cosine-iters" if iter_schedule else "cosine-time", lr),
                      minutes=minutes, max_iters=max_iters, validator=validate if validator else None,
                      val_every=val_every, ckpt_every=50, clip=10.0, train_clamp=False, state_name="ft_state.pt",
                      best_name="student.pt", log_name="ft_log.jsonl", device=device, log=log, val_def=val_def,
                      seed=seed)
    if objective.adv is not None and not trainer.resumed and adv_bank_init:
        objective.adv.bank.load_state_dict(torch.load(adv_bank_init, weights_only=False))
        log(f"adversarial ring bank: {objective.adv.bank.n} ring patches from {adv_bank_init}")
    if objective.adv is not None and not trainer.resumed and adv_prefill:
        pre = CropSampler(photos_dir, crop, scales=scales, seed=seed + 7919, photometric=photometric, max_side=max_side)
        prefill(objective.adv, lambda x: teacher_targets(teacher, x, None, context)[0], pre, adv_prefill, log=log)
    return trainer.fit()
