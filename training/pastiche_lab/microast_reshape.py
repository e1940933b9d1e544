"""Re-distributing a fine-tuned MicroAST student's MAC budget (issue 12, lever 3): new widths per
channel group, channels added from the teacher and channels dropped, the trunk included.

`microast.widen` adds whole groups except the trunk. `reshape` takes any new channel lists
(`new_idx`, teacher channel indices per group, as `microast.indices_from_code`):

* a channel kept in both keeps the student's weights (rows and columns);
* an added channel starts as the teacher's filter, with zero weights wherever an old channel reads
  it, so a reshape that only adds channels computes exactly the student's function (tested, trunk
  included: a new trunk channel's AdaIN and modulation stay in its own channel, and every conv that
  mixes trunk channels reads it with zero weights);
* a dropped channel is removed with its rows and columns (the function changes; fine-tuning follows).

`reshape_student` also gives the style encoder the new trunk indices (it computes all 64 channels
of the style code and keeps the student's `trunk_idx` ones), so the style code grows with the trunk.

`plan` turns target widths (`{"c1": 8, "trunk": 52, ...}`) into channel lists: kept channels are
dropped least-important first, added ones taken most-important first (microast_lab.importance: L1
of the teacher's producing filters; the trunk and u1 in pairs).

The full-resolution layers dominate the content path's MACs (9x9 input conv 81*3*c1, 9x9 output
conv 81*3*u2 per pixel: 7776 of the shipped student's 16533), while a trunk channel costs
about 9*2*(r1+r2)/16 + 2*36*T/16 per pixel: `plan` + `reshape` move budget from one to the other.
"""
from __future__ import annotations

import torch

from . import microast as M


def reshape(student: M.ContentNet, teacher: M.ContentNet, idx, new_idx):
    """(network with channels new_idx, new_idx): see the module docstring."""
    for g in M.GROUPS:
        if not new_idx[g]:
            raise ValueError(f"group {g}: no channels left")
    for g in M.PAIRED:
        if any(c % 2 == 0 and c + 1 not in set(new_idx[g]) for c in new_idx[g]) or \
                any(c % 2 == 1 and c - 1 not in set(new_idx[g]) for c in new_idx[g]):
            raise ValueError(f"group {g} is kept in pairs of channels (2k, 2k+1)")
    new = {g: sorted(new_idx[g]) for g in M.GROUPS}
    net = M.slim(teacher, new)
    net.unbiased, net.clamp_output = student.unbiased, student.clamp_output
    old_l, new_l = M._channel_lists(idx), M._channel_lists(new)
    both = {k: [c for c in old_l[k] if c in set(new_l[k])] for k in old_l}
    pos_new = {k: [new_l[k].index(c) for c in both[k]] for k in both}
    pos_old = {k: [old_l[k].index(c) for c in both[k]] for k in both}
    added = {k: [i for i, c in enumerate(new_l[k]) if c not in set(old_l[k])] for k in new_l}
    with torch.no_grad():
        for path, o, i in M._CONVS:
            s, n = student.get_submodule(path).conv, net.get_submodule(path).conv
            if o:
                ro, rn = torch.tensor(pos_old[o], dtype=torch.long), torch.tensor(pos_new[o], dtype=torch.long)
            else:
                ro = rn = torch.arange(n.weight.shape[0])
            if i in (None, "g"):
                n.weight[rn] = s.weight[ro]
            else:
                co, cn = torch.tensor(pos_old[i], dtype=torch.long), torch.tensor(pos_new[i], dtype=torch.long)
                n.weight[rn[:, None], cn[None, :]] = s.weight[ro][:, co]
                if added[i]:
                    n.weight[rn[:, None], torch.tensor(added[i])[None, :]] = 0
            n.bias[rn] = s.bias[ro]
    return net, new


def reshape_student(student: M.MicroAST, teacher: M.MicroAST, idx, new_idx):
    """The whole student (content network reshaped, style encoder with the new trunk indices)."""
    content, new = reshape(student.content, teacher.content, idx, new_idx)
    style = M.StyleNet(new["trunk"])
    sd = {k: v for k, v in student.style.state_dict().items() if k != "trunk_idx"}
    style.load_state_dict(sd, strict=False)
    style.unbiased = student.style.unbiased
    return M.MicroAST(content, style), new


def plan(idx, targets, imp):
    """New channel lists with the widths `targets` (groups not named keep theirs). imp: one
    importance per code bit (microast_lab.importance(teacher)); paired groups move by pairs."""
    new = {g: list(idx[g]) for g in M.GROUPS}
    sl = M.group_slices()
    for g, want in targets.items():
        if g not in sl:
            raise ValueError(f"unknown group {g}")
        full = getattr(M.FULL, g)
        if not 0 < want <= full or (g in M.PAIRED and want % 2):
            raise ValueError(f"{g}={want}: must be 1..{full}" + (" and even" if g in M.PAIRED else ""))
        s, _e = sl[g]
        step = 2 if g in M.PAIRED else 1
        bit = lambda c, s=s, step=step: imp[s + c // step]
        kept = sorted(new[g], key=lambda c: (-bit(c), c))
        others = sorted((c for c in range(full) if c not in set(new[g])), key=lambda c: (-bit(c), c))
        if want <= len(kept):
            chosen = kept[:want]
        else:
            chosen = kept + others[:want - len(kept)]
        new[g] = sorted(chosen)
    return new


def parse_targets(text):
    """'c1=8,u2=8,trunk=52' -> {"c1": 8, "u2": 8, "trunk": 52}."""
    out = {}
    for part in filter(None, (p.strip() for p in (text or "").split(","))):
        g, _, v = part.partition("=")
        if g not in M.GROUPS or not v.isdigit():
            raise ValueError(f"--reshape: {part!r} is not GROUP=WIDTH with GROUP one of {', '.join(M.GROUPS)}")
        out[g] = int(v)
    return out
