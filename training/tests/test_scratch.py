"""Loss terms of the from-scratch method (pastiche_lab.perceptual, johnson) and the scratch command
(train, resume), on tiny tensors and a toy loss network."""
import json

import torch

from pastiche_lab import checkpoints, perceptual as P, johnson as J, scratch as S
from pastiche_lab.model import Widths

TINY = Widths(4, 8, 8, [4] * 5, 8, 4)


def test_gram_matches_direct_computation():
    torch.manual_seed(0)
    f = torch.randn(2, 3, 4, 5)
    g = P.gram(f)
    n, c, h, w = f.shape
    for b in range(n):
        for i in range(c):
            for j in range(c):
                direct = sum(float(f[b, i, y, x] * f[b, j, y, x]) for y in range(h) for x in range(w)) / (c * h * w)
                assert abs(float(g[b, i, j]) - direct) < 1e-5
    # softmax over channels before the Gram (Wang et al. 2021)
    gs = P.gram(f, softmax=True)
    p = torch.exp(f) / torch.exp(f).sum(1, keepdim=True)
    assert torch.allclose(gs, P.gram(p), atol=1e-7)


def test_tv_loss_matches_direct_computation():
    torch.manual_seed(1)
    y = torch.rand(1, 2, 3, 4)
    _, c, h, w = y.shape
    dv = sum(abs(float(y[0, k, i + 1, j] - y[0, k, i, j])) for k in range(c) for i in range(h - 1) for j in range(w)) / (c * (h - 1) * w)
    dh = sum(abs(float(y[0, k, i, j + 1] - y[0, k, i, j])) for k in range(c) for i in range(h) for j in range(w - 1)) / (c * h * (w - 1))
    assert abs(float(P.tv_loss(y)) - (dv + dh)) < 1e-6
    assert float(P.tv_loss(torch.ones(1, 3, 5, 5))) == 0.0


class _ToyLossNet(torch.nn.Module):
    """Two fixed random conv layers: the loss terms without the third-party weights."""
    LAYERS = ["a", "b"]

    def __init__(self):
        super().__init__()
        torch.manual_seed(3)
        self.c1 = torch.nn.Conv2d(3, 6, 3, padding=1)
        self.c2 = torch.nn.Conv2d(6, 8, 3, stride=2, padding=1)
        for p in self.parameters():
            p.requires_grad_(False)

    def forward(self, x, upto=None):
        a = torch.relu(self.c1(x))
        return {"a": a, "b": torch.relu(self.c2(a))}


def _toy_loss(style_weight=5.0):
    torch.manual_seed(4)
    style = torch.rand(1, 3, 24, 24)
    return P.PerceptualLoss(_ToyLossNet(), ["a", "b"], "b", style, content_weight=1.0,
                            style_weight=style_weight, tv_weight=0.1)


def test_style_loss_is_zero_on_the_style_image_and_content_zero_on_identity():
    loss = _toy_loss()
    torch.manual_seed(4)
    style = torch.rand(1, 3, 24, 24)
    _, parts = loss(style, style)
    assert parts["style"] < 1e-10 and parts["content"] < 1e-10
    # and both terms see a difference: another image is far from the style and from the photo
    other = torch.rand(1, 3, 24, 24)
    total, parts = loss(other, style)
    assert parts["style"] > 1e-3 and parts["content"] > 1e-3 and parts["tv"] > 0
    assert abs(float(total) - (1.0 * parts["content"] + 5.0 * parts["style"] + 0.1 * parts["tv"])) < 1e-5


def test_a_few_steps_decrease_the_total_loss():
    loss = _toy_loss()
    net = J.init_net(TINY, seed=0)
    opt = torch.optim.Adam(net.parameters(), lr=1e-2)
    torch.manual_seed(5)
    x = torch.rand(2, 3, 16, 16) * 255
    totals = []
    for _ in range(12):
        total, _ = loss(net(x) / 255.0, x / 255.0)
        opt.zero_grad(); total.backward(); opt.step()
        totals.append(total.item())
    assert totals[-1] < 0.8 * totals[0]


def test_train_command_resumes(tmp_path):
    """End to end on tiny synthetic photos and the toy loss net: train 3 steps, then resume to 5."""
    from PIL import Image
    import numpy as np
    photos = tmp_path / "photos"
    for sub in ("train", "val"):
        (photos / sub).mkdir(parents=True)
        for k in range(2):
            arr = (np.random.default_rng(k).random((40, 48, 3)) * 255).astype("uint8")
            Image.fromarray(arr).save(photos / sub / f"{k}.png")
    style = tmp_path / "style.png"
    Image.fromarray((np.random.default_rng(9).random((32, 32, 3)) * 255).astype("uint8")).save(style)
    orig = J.load_lossnet
    J.load_lossnet = lambda kind, data=None: _ToyLossNet()
    try:
        common = ["train", "--style-image", str(style), "--id", "t", "--photos", str(photos),
                  "--run-dir", str(tmp_path / "run"), "--widths", ",".join(map(str, TINY.as_list())),
                  "--crop", "16", "--batch", "1", "--val-size", "24", "--val-every", "100",
                  "--style-layers", "a,b", "--content-layer", "b", "--log-every", "1"]
        S.main(common + ["--iters", "3"])
        ck = checkpoints.load(tmp_path / "run" / "ckpt.pt")
        assert ck["step"] == 3
        S.main(common + ["--iters", "5"])
        ck = checkpoints.load(tmp_path / "run" / "ckpt.pt")
        assert ck["step"] == 5 and len(ck["history"]["train"]) == 5
        assert (tmp_path / "run" / "curves.png").exists()
        # export: ONNX pair, thumbnail and the catalog entry in the models folder
        out = tmp_path / "models"
        entry = S.main(["export", "--id", "t", "--run-dir", str(tmp_path / "run"), "--out-dir", str(out), "--no-eval"])
        assert (out / "t.onnx").exists() and (out / "t.tile.onnx").exists() and (out / "thumbnails" / "t.png").exists()
        cat = json.loads((out / "catalog.json").read_text())
        assert [m["id"] for m in cat["models"]] == ["t"] and entry["lab"]["iterations"] == 5
        assert entry["fidelity"]["iterations"] == 5 and entry["teacher"] is None
    finally:
        J.load_lossnet = orig
