"""The poster network's colour (issue 10): the plain transformer is blind to absolute colour (the
first student's brown/tan/green fields), the colour head is not; the palette snap; the poster
trainer on the lab's Trainer resumes exactly. Tiny synthetic data, no ../shared/data needed."""
import numpy as np
import pytest
import torch

from pastiche_lab import poster_net as PN
from pastiche_lab import poster_render as PR
from pastiche_lab.model import Geometry, TransformerNet, Widths

torch.set_num_threads(1)
TINY = Widths(4, 8, 8, [4] * 5, 8, 4)


def texture(seed=0, hw=(16, 16)):
    g = torch.Generator().manual_seed(seed)
    return 60 + 40 * torch.rand(1, 1, *hw, generator=g).expand(1, 3, *hw)     # grey structure


def test_the_plain_transformer_is_blind_to_absolute_colour():
    """The root cause of the first student's colours: instance norm after a linear first conv removes
    any constant colour offset and any gain of the input, exactly."""
    torch.manual_seed(0)
    plain = TransformerNet(TINY, Geometry("B", "reflect"))
    with torch.no_grad():
        plain.conv_out.conv.weight.mul_(50)
    x = texture() + torch.tensor([0.0, 30.0, 10.0]).view(1, 3, 1, 1)
    assert PN.colour_offset_change(plain, x) < 1e-2
    plain.clamp_output = False
    with torch.no_grad():
        assert float((plain(x * 1.7) - plain(x)).abs().max()) < 1e-2
    head = PN.PosterNet(TINY, head=(8, 4))
    with torch.no_grad():
        head.conv_out.conv.weight.mul_(50)
    assert PN.colour_offset_change(head, x) > 1.0


def fit(net, steps=150):
    """A red and a green copy of one grey texture (they differ by a constant offset), to be painted
    vermilion and green, as the renderer paints them. Returns the mean error per channel, 0..255."""
    red = texture() + torch.tensor([150.0, 0.0, 0.0]).view(1, 3, 1, 1)
    green = texture() + torch.tensor([0.0, 90.0, 10.0]).view(1, 3, 1, 1)
    x = torch.cat([red, green])
    t = torch.cat([torch.tensor(PR.PALETTE["vermilion"], dtype=torch.float32).view(1, 3, 1, 1).expand(1, 3, 16, 16),
                   torch.tensor(PR.PALETTE["green"], dtype=torch.float32).view(1, 3, 1, 1).expand(1, 3, 16, 16)])
    with torch.no_grad():
        net.conv_out.conv.bias.copy_(t.mean(dim=(0, 2, 3)))
    net.clamp_output = False
    opt = torch.optim.Adam(net.parameters(), 1e-2)
    for _ in range(steps):
        loss = (net(x) - t).abs().mean()
        opt.zero_grad(); loss.backward(); opt.step()
    with torch.no_grad():
        return float((net(x) - t).abs().mean())


def test_only_the_colour_head_learns_red_apart_from_green():
    """The test that would have caught the bug: a student must be able to paint a red photo red and
    a green one green. The plain net gives both the same output, so it stays at the average."""
    torch.manual_seed(0)
    plain_err = fit(TransformerNet(TINY, Geometry("B", "reflect")))
    torch.manual_seed(0)
    head_err = fit(PN.PosterNet(TINY, head=(8, 4)))
    half_gap = float(np.abs(np.subtract(PR.PALETTE["vermilion"], PR.PALETTE["green"], dtype=float)).mean()) / 2
    assert plain_err > 0.9 * half_gap          # it cannot do better than the midpoint of the two colours
    assert head_err < 0.25 * half_gap


def test_snap_keeps_palette_colours_and_maps_to_the_nearest():
    pal = torch.as_tensor(PR.COLOURS, dtype=torch.float32)
    y = pal.T.reshape(1, 3, 1, -1)
    assert torch.equal(PN.snap_to_palette(y, pal), y)                    # palette order and space kept
    near = y + 5.0
    assert torch.equal(PN.snap_to_palette(near, pal), y)
    net = PN.with_snap(PN.PosterNet(TINY, head=(8, 4), palette=PR.COLOURS), PR.COLOURS)
    x = torch.rand(1, 3, 20, 24) * 255
    with torch.no_grad():
        out, stats = net(x, return_stats=True)
    px = out[0].reshape(3, -1).T
    assert all(any(torch.equal(p, q) for q in pal) for p in px)
    assert stats.numel() == net.stats_len()


def test_config_roundtrip_and_old_students_load(tmp_path):
    from pastiche_lab import checkpoints
    net = PN.PosterNet(TINY, head=(8, 4), palette=PR.COLOURS)
    checkpoints.save(tmp_path / "n.pt", net, step=3)
    back, ck = PN.load(tmp_path / "n.pt")
    assert back.head == (8, 4) and ck["step"] == 3
    assert torch.equal(back.palette, net.palette)
    for a, b in zip(net.state_dict().values(), back.state_dict().values()):
        assert torch.equal(a, b)
    plain = TransformerNet(TINY, Geometry("B", "reflect"))           # the first students' layout
    torch.save({"net": plain.state_dict(), "config": plain.config(), "step": 7, "history": {}}, tmp_path / "old.pt")
    old, ck = PN.load(tmp_path / "old.pt")
    assert old.head is None and ck["step"] == 7
    x = torch.rand(1, 3, 16, 16) * 255
    with torch.no_grad():
        assert torch.equal(old(x), plain.eval()(x))


def test_head_macs_are_counted():
    w = Widths.from_list("16,32,64,48,48,48,48,48,32,16".split(","))
    net = PN.PosterNet(w, head=(24, 16))
    assert PN.head_macs(w, (24, 16)) == 19 * 24 + 24 * 16
    assert PN.poster_mac_ratio(w, (24, 16)) <= 0.25
    assert PN.poster_params(net) == sum(p.numel() for p in net.parameters())


@pytest.fixture
def tiny_cache(tmp_path, monkeypatch):
    from PIL import Image
    from pastiche_lab import poster_train as PT
    cache = tmp_path / "cache"; cache.mkdir()
    rng = np.random.default_rng(0)
    for i in range(2):
        x = rng.integers(0, 256, (40, 48, 3), dtype=np.uint8)
        np.savez_compressed(cache / f"p{i}.npz", photo=x, target=PR.COLOURS[rng.integers(0, 13, (40, 48))])
    val = tmp_path / "photos" / "val"; val.mkdir(parents=True)
    Image.fromarray(rng.integers(0, 256, (32, 40, 3), dtype=np.uint8)).save(val / "v.png")
    monkeypatch.setattr(PT, "DATA", str(tmp_path))
    return cache


def test_poster_training_resumed_equals_uninterrupted(tmp_path, tiny_cache, stop_during):
    from pastiche_lab import poster_train as PT

    def trainer(run):
        a = PT.parser().parse_args(["train", "--run-dir", str(tmp_path / run), "--cache-dir", str(tiny_cache),
                                    "--widths", "4,4,8,4,4,4,4,4,4,4", "--head", "8,4", "--crop", "24",
                                    "--batch", "2", "--iters", "6", "--val-every", "3", "--ckpt-every", "2",
                                    "--val-photos", "1", "--val-size", "32", "--log-every", "1"])
        return PT.build_trainer(a, log=lambda *m: None)
    whole = trainer("a")
    whole.fit()
    stop_during(trainer("b"), 4)
    again = trainer("b")
    assert again.resumed and again.step == 4
    again.fit()
    assert again.step == 6
    for a, b in zip(whole.net.state_dict().values(), again.net.state_dict().values()):
        assert torch.equal(a, b)
    assert {"palette90", "flat_gain", "edge_recall", "l1_renderer"} <= set(again.history["val"][-1])
    assert (tmp_path / "b" / "best.pt").exists()


def test_renderer_agreement_sees_hue():
    from pastiche_lab.poster_train import renderer_agreement
    t = np.zeros((8, 8, 3), np.uint8); t[:] = PR.PALETTE["vermilion"]; t[4:] = PR.PALETTE["cream"]
    assert renderer_agreement(t, t) == {"l1_renderer": 0.0, "same_colour_as_renderer": 1.0}
    brown = t.copy(); brown[:4] = PR.PALETTE["brown"]            # the first student's red
    r = renderer_agreement(brown, t)
    assert r["same_colour_as_renderer"] == 0.5 and r["l1_renderer"] > 0.05


def test_rare_target_colours_weigh_more(tmp_path):
    from pastiche_lab.poster_train import colour_weights, poster_loss
    t = np.zeros((16, 16, 3), np.uint8); t[:] = PR.PALETTE["brown"]; t[:4] = PR.PALETTE["vermilion"]
    np.savez_compressed(tmp_path / "a.npz", photo=t, target=t)
    w, share = colour_weights([str(tmp_path / "a.npz")], PR.COLOURS, power=0.5)
    v, b = PR.IDX["vermilion"], PR.IDX["brown"]
    assert share[v] == pytest.approx(0.25) and share[b] == pytest.approx(0.75)     # (every 4th pixel counted)
    assert float(w[v]) == pytest.approx((0.25 / 0.5) ** -0.5) and float(w[b]) == pytest.approx((0.75 / 0.5) ** -0.5)
    tt = torch.from_numpy(t).permute(2, 0, 1)[None].float()
    red_wrong, brown_wrong = tt.clone(), tt.clone()
    red_wrong[..., 0, 0] += 30; brown_wrong[..., 8, 8] += 30          # one pixel off, in red / in brown
    pal = torch.as_tensor(PR.COLOURS, dtype=torch.float32)
    lr = poster_loss(red_wrong, tt, 0, 0, w, pal)[1]["l1"]; lb = poster_loss(brown_wrong, tt, 0, 0, w, pal)[1]["l1"]
    assert lr == pytest.approx(lb * float(w[v] / w[b]), rel=1e-5)
