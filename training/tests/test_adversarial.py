"""The adversarial patch term (pastiche_lab.adversarial): the discriminator learns rings from blank and
striped patches, the ring miner finds the ring, the fine-tune's objective uses it only when asked and
trains the student through it, and a resumed run continues the discriminator. Tiny synthetic data."""
import numpy as np
import pytest
import torch

from pastiche_lab import pipeline
from pastiche_lab.adversarial import AdversarialTerm, PatchDisc, RingBank, cut, ring_centres
from pastiche_lab.data import CropSampler
from pastiche_lab.finetune import DistillObjective
from pastiche_lab.model import Geometry, TransformerNet, Widths
from pastiche_lab.trainer import Schedule, Trainer

torch.set_num_threads(1)


def _disk(img, cy, cx, r0, r1, v):
    yy, xx = np.mgrid[:img.shape[-2], :img.shape[-1]]
    r = np.hypot(yy - cy, xx - cx)
    img[..., (r >= r0) & (r < r1)] = v


def _ring_patch(rng, P=48):
    """A candy-like ring (dark dot, bright annulus, dark ring of outer radius 14-20) near the centre of a
    lighter noisy patch, [3, P, P] 0..255."""
    img = np.full((3, P, P), rng.uniform(140, 190)) + rng.normal(0, 4, (3, P, P))
    cy, cx, R = P / 2 + rng.uniform(-3, 3), P / 2 + rng.uniform(-3, 3), rng.uniform(14, 20)
    _disk(img, cy, cx, 0, R, rng.uniform(30, 70))
    _disk(img, cy, cx, 0.25 * R, 0.5 * R, rng.uniform(190, 230))
    return img


def _plain_patch(rng, P=48):
    img = np.full((3, P, P), rng.uniform(40, 200)) + rng.normal(0, 4, (3, P, P))
    if rng.random() < 0.5:                                  # stripes: the fooling pattern of ring_tail
        img[:, :, ::int(rng.integers(5, 10))] = rng.uniform(20, 60)
    return img


def test_the_discriminator_learns_rings_from_blank_and_striped_patches():
    rng = np.random.default_rng(0)
    term = AdversarialTerm(patch=48, n=16, lr=2e-3, seed=0)
    assert sum(p.numel() for p in term.disc.parameters()) < 12000           # a few k parameters
    batch = lambda f, k: torch.tensor(np.stack([f(rng) for _ in range(k)]), dtype=torch.float32)
    for _ in range(150):
        loss, _, _ = term.d_loss(batch(_ring_patch, 16), batch(_plain_patch, 16))
        term.opt.zero_grad(); loss.backward(); term.opt.step()
    with torch.no_grad():
        from pastiche_lab.adversarial import to_disc_input
        dr = term.disc(to_disc_input(batch(_ring_patch, 64)))
        df = term.disc(to_disc_input(batch(_plain_patch, 64)))
    acc = (float((dr > 0).float().mean()) + float((df < 0).float().mean())) / 2
    assert acc > 0.95, acc
    # a broken discriminator input (constant) cannot separate them
    flat = PatchDisc(48)
    assert flat(torch.zeros(2, 1, 48, 48)).shape == (2,)


def _scene(h=128, w=160):
    img = np.full((3, h, w), 160.0)
    _disk(img, 60, 90, 0, 17, 55.0)
    _disk(img, 60, 90, 4, 8.5, 210.0)
    return torch.tensor(img, dtype=torch.float32)[None]


def test_ring_centres_find_the_ring_and_the_bank_keeps_it():
    cs = ring_centres(_scene(), 48, threshold=40.0)
    assert len(cs[0]) == 1 and abs(cs[0][0][0] - 60) <= 2 and abs(cs[0][0][1] - 90) <= 2
    plain = torch.full((1, 3, 128, 160), 160.0)
    assert ring_centres(plain, 48)[0] == []
    p = cut(_scene(), cs, 48)
    assert p.shape == (1, 3, 48, 48) and float(p[0, :, 24, 24].mean()) < 100     # the dark dot at the centre
    bank = RingBank(4)
    for _ in range(3):
        bank.add(torch.cat([p, p]))
    assert bank.n == 4 and bank.sample(5, torch.Generator().manual_seed(0)).shape == (5, 3, 48, 48)
    term = AdversarialTerm(patch=48)
    assert term.mine(_scene()) == 1 and term.mine(plain) == 0 and term.bank.n == 1


def _tiny(seed):
    torch.manual_seed(seed)
    return TransformerNet(Widths(4, 6, 8, [5, 4, 6, 3, 5], 6, 4), Geometry("B", "reflect")).eval()


def test_the_adversarial_term_is_opt_in_and_trains_the_student_not_the_discriminator():
    teacher, student = _tiny(0), _tiny(1)
    vgg = lambda y: [y[:, :, ::2, ::2]] * 3
    x = torch.rand(2, 3, 64, 64) * 255
    off = DistillObjective(teacher, None, vgg, w_feat=0.0)
    loss0, p0 = off(student, x, 1)
    assert p0["adv"] is None and off.state_dict() is None
    adv = AdversarialTerm(patch=32, n=8, seed=0)
    assert DistillObjective(teacher, None, vgg, w_feat=0.0, adv=adv, w_adv=0.0).adv is None   # weight 0: off
    on = DistillObjective(teacher, None, vgg, w_feat=0.0, w_pix=0.0, w_low=0.0, w_content=0.0, w_style=0.0,
                          adv=adv, w_adv=1.0)
    before = [q.detach().clone() for q in adv.disc.parameters()]
    loss, p = on(student, x, 1)
    assert p["adv"] is not None and {"d_loss", "d_real", "d_fake"} <= set(p) and torch.isfinite(loss)
    assert any(not torch.equal(a, b) for a, b in zip(before, adv.disc.parameters()))   # one discriminator step
    assert float(loss.detach()) == pytest.approx(float(p["adv"].detach()))          # only the generator loss is in the loss
    student.zero_grad()
    loss.backward()
    assert sum(float(q.grad.abs().sum()) for q in student.parameters() if q.grad is not None) > 0   # learns through D
    assert all(q.grad is None or q.grad.abs().sum() == 0 for q in adv.disc.parameters())
    loss1, _ = DistillObjective(teacher, None, vgg, w_feat=0.0, adv=AdversarialTerm(patch=32, n=8), w_adv=5.0)(student, x, 1)
    assert abs(float(loss1.detach()) - float(loss0.detach())) > 1e-6                # the option changes the loss


def test_a_resumed_run_continues_the_discriminator(tmp_path):
    from PIL import Image
    d = tmp_path / "photos"; d.mkdir()
    rng = np.random.default_rng(0)
    for i in range(2):
        Image.fromarray(rng.integers(0, 256, (48, 64, 3), dtype=np.uint8)).save(d / f"p{i}.png")
    teacher = _tiny(0)
    vgg = lambda y: [y[:, :, ::2, ::2]] * 3

    def run(name, iters):
        adv = AdversarialTerm(patch=16, n=4, seed=0)
        obj = DistillObjective(teacher, None, vgg, w_feat=0.0, adv=adv, w_adv=0.5)
        t = Trainer(_tiny(1), obj, CropSampler(d, 32, scales=(0.5, 1.0), seed=3), tmp_path / name, batch=1,
                    schedule=Schedule("constant", 1e-3), max_iters=iters, ckpt_every=2, log=lambda *a: None)
        return t, adv
    whole, adv_w = run("a", 4)
    whole.fit()
    half, _ = run("b", 2)
    half.fit()
    again, adv_b = run("b", 4)
    assert again.resumed and again.step == 2
    st = torch.load(tmp_path / "b" / "ft_state.pt", weights_only=False)["meta"]["objective"]["adv"]["disc"]
    assert all(torch.equal(v, adv_b.disc.state_dict()[k]) for k, v in st.items())   # loaded from the checkpoint
    again.fit()
    for a, b in zip(adv_w.disc.state_dict().values(), adv_b.disc.state_dict().values()):
        assert torch.allclose(a, b, atol=1e-6)
    for a, b in zip(whole.net.state_dict().values(), again.net.state_dict().values()):
        assert torch.allclose(a, b, atol=1e-5)


def test_pipeline_options_reach_the_term():
    ap_args = pipeline.adv_args(type("A", (), dict(adv_patch=32, adv_n=8, adv_ring_share=0.3, adv_fake_mine=0.0,
                                                   adv_lr=1e-4, adv_widths=[8, 8, 8], adv_mode="rgb", adv_loss="ns",
                                                   adv_bank=64, adv_threshold=30.0, adv_g_on="all",
                                                   adv_warmup=3, adv_pool=2, adv_d_steps=2))())
    term = AdversarialTerm(**ap_args)
    assert term.patch == 32 and term.disc.net[0].in_channels == 3 and term.loss == "ns" and term.bank.size == 64
    assert term.warmup == 3 and term.pool == 2 and term.d_steps == 2 and term.disc.patch == 16


def test_warmup_trains_only_the_discriminator_and_mined_generator_loss_takes_the_mined_patches():
    out = _scene().requires_grad_(True)
    tout = _scene()
    term = AdversarialTerm(patch=32, n=8, fake_mine=0.25, warmup=2, g_on="mined")
    seen = []
    g_loss = term.g_loss
    term.g_loss = lambda f: (seen.append(len(f)), g_loss(f))[1]
    for i in range(3):
        before = [q.detach().clone() for q in term.disc.parameters()]
        g, fig = term(out, tout)
        assert any(not torch.equal(a, b) for a, b in zip(before, term.disc.parameters()))
        assert (float(g.detach()) == 0.0) == (i < 2)
    assert seen == [2, 2, 2]                       # 0.25 x 8 patches at the student's most ring-like places
    assert term.state_dict()["calls"] == 3
    with pytest.raises(ValueError):
        AdversarialTerm(g_on="mined", fake_mine=0.0)


def test_the_ring_stamp_asks_for_a_whole_ring_at_the_students_own_place():
    from pastiche_lab.adversarial import stamp_l1
    bank = RingBank(8)
    bank.add(cut(_scene(), ring_centres(_scene(), 48), 48))
    assert float(stamp_l1(_scene(), bank, 48)) < 0.01                        # a teacher ring: met
    moved = torch.roll(_scene(), (20, -30), (2, 3))
    assert float(stamp_l1(moved, bank, 48)) < 0.01                           # wherever it is
    stripes = torch.full((1, 3, 128, 160), 160.0)
    stripes[:, :, :, ::7] = 40.0                                              # not a ring: a large loss
    plain = torch.full((1, 3, 128, 160), 160.0) + torch.randn(1, 3, 128, 160)
    for y in (stripes, plain):
        y = y.clone().requires_grad_(True)
        loss = stamp_l1(y, bank, 48)
        assert float(loss) > 0.1
        loss.backward()
        assert y.grad.abs().sum() > 0
    assert float(stamp_l1(plain, RingBank(4), 48)) == 0.0                    # an empty bank: off
    teacher, student = _tiny(0), _tiny(1)
    vgg = lambda y: [y[:, :, ::2, ::2]] * 3
    with pytest.raises(ValueError):
        DistillObjective(teacher, None, vgg, w_feat=0.0, w_stamp=1.0)
    term = AdversarialTerm(patch=32, n=4)
    term.bank.add(cut(_scene(), ring_centres(_scene(), 32), 32))
    obj = DistillObjective(teacher, None, vgg, w_feat=0.0, adv=term, w_stamp=2.0)
    loss, p = obj(student, torch.rand(1, 3, 64, 64) * 255, 1)
    assert p["stamp"] is not None and p["adv"] is None and float(p["stamp"].detach()) > 0
    assert DistillObjective(teacher, None, vgg, w_feat=0.0)(student, torch.rand(1, 3, 64, 64) * 255, 1)[1]["stamp"] is None
