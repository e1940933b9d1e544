"""Train a style from scratch: Johnson et al. (2016) perceptual-loss training of the feed-forward
transformer from one style image and random crops of training photos. The command only parses,
builds and calls: the method is johnson.py, the loop trainer.Trainer, the pictures sheets.py.

    python training/pastiche_lab/scratch.py train --style-image my.jpg --id my-style
    python training/pastiche_lab/scratch.py export --id my-style            # ONNX + catalog entry
    python training/pastiche_lab/scratch.py sheet  --id my-style            # contact sheet, thumbnail

(`python -m pastiche_lab.scratch ...` from training/ works the same.) See training/SCRATCH.md.
"""
from __future__ import annotations

import sys
from pathlib import Path

if __name__ == "__main__" and not __package__:          # run as a script: import the package
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from pastiche_lab.scratch import main
    sys.exit(main())

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402
import torch  # noqa: E402

from . import catalog, checkpoints, johnson as J, sheets  # noqa: E402
from .data import LAB, REPO, CropSampler, data_root, list_photos  # noqa: E402
from .export import export_pair, ort_session, run_onnx_image  # noqa: E402
from .model import TransformerNet, Widths, count_params, mac_ratio, macs_per_pixel  # noqa: E402
from .trainer import Schedule, Trainer  # noqa: E402

DATA = data_root()
DEFAULT_WIDTHS, FULL_WIDTHS = J.DEFAULT_WIDTHS, J.FULL_WIDTHS


def run_dir(args):
    return Path(args.run_dir) if args.run_dir else LAB / "runs" / args.id


def vars_clean(args):
    return {k: v for k, v in vars(args).items() if k != "func"}


def cmd_train(args):
    torch.set_num_threads(args.threads)
    device = torch.device(args.device)
    run = run_dir(args); run.mkdir(parents=True, exist_ok=True)
    ck_path = run / "ckpt.pt"
    if args.restart and ck_path.exists():
        ck_path.unlink()
    train_paths = list_photos(Path(args.photos) / "train") if (Path(args.photos) / "train").is_dir() else []
    if not train_paths:
        sys.exit(f"no training photos under {args.photos}/train")
    # a resumed run keeps its network's widths
    net = (TransformerNet.from_config(checkpoints.load(ck_path)["config"]) if ck_path.exists()
           else J.init_net(Widths.from_list(args.widths.split(",")), args.seed))
    w = net.widths
    print(f"widths {w}  MACs {macs_per_pixel(w) / 1e3:.1f} GMAC/MP = {mac_ratio(w):.3f} of the unpruned net, "
          f"params {count_params(w)}", flush=True)
    sampler = CropSampler(train_paths, args.crop, scales=(0.0, 1.0), seed=args.seed)
    loss = J.build_loss(args, device)
    val_photos = J.val_photos(args.photos, args.val_photos, args.val_size)
    trainer = None

    def validator(net, step):
        v, outs = J.validate(net, loss, val_photos, device)
        rows = [[sheets.to_pil(x) for x in val_photos[:4]], [sheets.to_pil(o) for o in outs[:4]]]
        if step:
            sheets.grid(rows).save(run / f"val_{step:06d}.jpg", quality=90)
            sheets.grid(rows).save(run / "val_latest.jpg", quality=90)
            sheets.plot_curves(trainer.history, run / "curves.png", args.id)
        return {**v, "score": v["style"] * args.style_weight + v["content"] * args.content_weight}

    trainer = Trainer(net, J.JohnsonObjective(loss), sampler, run, batch=args.batch,
                      schedule=Schedule("constant", args.lr), max_iters=args.iters, validator=validator,
                      val_every=args.val_every, validate_at_start=True, ckpt_every=0,
                      ckpt_seconds=args.ckpt_seconds, state_name="ckpt.pt", log_name="log.jsonl",
                      log_every=args.log_every, print_every=args.log_every, device=device, seed=args.seed,
                      meta={"args": vars_clean(args)}, best_keys=("style", "content"))
    if not trainer.resumed:
        trainer.history["identity"] = J.identity_losses(loss, val_photos, device)
        print(f"unstylized photo: {trainer.history['identity']}", flush=True)
    trainer.history.setdefault("args", []).append({"from_step": trainer.step, **vars_clean(args)})
    trainer.fit()
    sheets.plot_curves(trainer.history, run / "curves.png", args.id)
    print(f"done: {trainer.step} iterations, {trainer.elapsed / 3600:.2f} h", flush=True)
    if args.export:
        cmd_export(argparse.Namespace(**{**vars_clean(args), "run_dir": str(run), "no_tile": False,
                                         "no_eval": False}))
    return net


def cmd_bench(args):
    """Seconds per training iteration of the shipping-width net against the full-width one, side by side."""
    torch.set_num_threads(args.threads)
    device = torch.device(args.device)
    sampler = CropSampler(list_photos(Path(args.photos) / "train"), args.crop, scales=(0.0, 1.0), seed=0)
    loss = J.build_loss(args, device)
    print(f"{'widths':40s} {'MAC ratio':>9s} {'s/iter (median of ' + str(args.iters) + ')':>24s}")
    medians = {}
    for label in (args.widths, FULL_WIDTHS):
        widths = Widths.from_list(label.split(","))
        net = J.init_net(widths, 0).to(device)
        opt = torch.optim.Adam(net.parameters(), lr=1e-3)
        times = []
        for i in range(args.iters + 1):                  # the first iteration is a warm-up
            x = sampler.batch(args.batch).to(device)
            t0 = time.perf_counter()
            total, _ = loss(net(x) / 255.0, x / 255.0)
            opt.zero_grad(set_to_none=True)
            total.backward()
            opt.step()
            if i:
                times.append(time.perf_counter() - t0)
        medians[label] = float(np.median(times))
        print(f"{label:40s} {mac_ratio(widths):9.3f} {medians[label]:24.2f}", flush=True)
    print(f"full width / shipping width: {medians[FULL_WIDTHS] / medians[args.widths]:.2f}x")


def onnx_image(path, x):
    """x [3,H,W] 0..255 -> the ONNX model's output [3,H',W'] (H, W cropped to multiples of 4)."""
    img = J.crop4(x).permute(1, 2, 0).numpy().astype(np.float32)
    return torch.from_numpy(np.ascontiguousarray(run_onnx_image(ort_session(str(path)), img).transpose(2, 0, 1)))


def cmd_export(args):
    ck = checkpoints.load(run_dir(args) / "ckpt.pt")
    net = TransformerNet.from_config(ck["config"]); net.load_state_dict(ck["state_dict"]); net.eval()
    out = Path(os.path.expanduser(args.out_dir)); out.mkdir(parents=True, exist_ok=True)
    path, tile = out / f"{args.id}.onnx", out / f"{args.id}.tile.onnx"
    export_pair(net, path, tile)
    if args.no_tile:
        tile.unlink()
    torch.manual_seed(0)       # ONNX Runtime against PyTorch (contract: within 1e-3 relative)
    x = torch.rand(3, 60, 84) * 255
    with torch.no_grad():
        ref = net(x[None])[0]
    rel = float((onnx_image(path, x) - ref).abs().max() / 255.0)
    print(f"ORT vs PyTorch: max abs diff / 255 = {rel:.2e}", flush=True)
    assert rel < 1e-3, rel
    # thumbnail next to the catalog (assets/thumbnails for the repository's models folder)
    if os.path.realpath(out) == os.path.realpath(REPO / "models"):
        thumb_dir, thumb_rel = REPO / "assets" / "thumbnails", f"../assets/thumbnails/{args.id}.png"
    else:
        thumb_dir, thumb_rel = out / "thumbnails", f"thumbnails/{args.id}.png"
    thumb_dir.mkdir(parents=True, exist_ok=True)
    sheets.to_pil(onnx_image(path, sheets.thumbnail_photo())).save(thumb_dir / f"{args.id}.png")
    w, a0, hist = net.widths, ck["meta"]["args"], ck["history"] or {}
    fid = J.fidelity_from_history(hist)
    if not args.no_eval:
        ev = J.evaluate_run(ck, 20, 384)
        fid = {"photos": ev["photos"], "eval_size": ev["size"], "loss_net": ev["loss_net"],
               "eval_set": f"BSDS500 val, first {ev['photos']} of 100 photos (sorted), long side {ev['size']} px; "
                           "relative VGG losses (training/SCRATCH.md); start = the seeded initial network",
               "style_loss_start": ev["start"]["style"], "style_loss_end": ev["end"]["style"],
               "content_loss_start": ev["start"]["content"], "content_loss_end": ev["end"]["content"],
               "style_loss_unstylized_photo": ev["unstylized"]["style"],
               "iterations": ev["iterations"], "hours": ev["hours"]}
    style_name = os.path.basename(a0["style_image"])
    entry = {
        "id": args.id,
        "names": {"en": args.names_en or args.id, "zh": args.names_zh or args.names_en or args.id},
        "descriptions": {"en": args.desc_en or f"Trained from {style_name}.",
                         "zh": args.desc_zh or args.desc_en or f"由 {style_name} 训练。"},
        "file": path.name,
        **({} if args.no_tile else {"tile_file": tile.name}),
        "thumbnail": thumb_rel,
        "teacher": None,
        "license": args.license or "the style image's terms apply; check them before sharing this model",
        "attribution": args.attribution or f"trained from scratch with Pastiche's scratch trainer from {style_name}",
        "params": count_params(w),
        "macs_per_megapixel": int(round(macs_per_pixel(w) * 1e6)),
        "size_multiple": 4,
        "fidelity": {"psnr_db": None, "ssim": None, **fid},
        "stats_length": net.stats_len(),
        "lab": {"config": net.config(), "method": "scratch (Johnson et al. perceptual loss)",
                "minutes_trained": round(ck["elapsed"] / 60, 1), "iterations": ck["step"],
                "mac_ratio": round(mac_ratio(w), 4)},
    }
    catalog.update(out / "catalog.json", entry)
    print(json.dumps(entry, ensure_ascii=False, indent=1))
    return entry


def cmd_evaluate(args):
    ck = checkpoints.load(run_dir(args) / "ckpt.pt")
    ev = J.evaluate_run(ck, args.photos_n, args.size)
    if getattr(args, "poster", False):      # issue 10's poster measures (pastiche_lab/poster_metrics.py)
        ev["poster"] = _poster_measures(ck, args.photos_dir, args.photos_n, args.size)
    rep = Path(args.report_dir) if args.report_dir else LAB / "reports" / args.id
    rep.mkdir(parents=True, exist_ok=True)
    (rep / "eval.json").write_text(json.dumps(ev, indent=1))
    print(json.dumps(ev))
    return ev


def _poster_measures(ck, photos_dir, n, size):
    """palette90 / flat gain / edge recall of the checkpoint's network and of the unstylized photo."""
    from . import poster_train
    net = TransformerNet.from_config(ck["config"]); net.load_state_dict(ck["state_dict"])
    folder = photos_dir or os.path.join((ck["meta"].get("args") or {}).get("photos", str(DATA / "photos")), "val")
    res = poster_train.evaluate({"photo (unstylized)": lambda x: x,
                                 "network": lambda x: poster_train.run_net(net, x)}, folder, n, size)
    return {k: {"mean": v["mean"], "meets_goals": v["meets_goals"]} for k, v in res["systems"].items()}


def cmd_sheet(args):
    ck = checkpoints.load(run_dir(args) / "ckpt.pt")
    net = TransformerNet.from_config(ck["config"]); net.load_state_dict(ck["state_dict"])
    rep = Path(args.report_dir) if args.report_dir else LAB / "reports" / args.id
    rep.mkdir(parents=True, exist_ok=True)
    ims = sheets.sample_images(args.side)
    rows = [[sheets.to_pil(J.crop4(x)) for _, x in ims], [sheets.to_pil(sheets.stylize(net, x)) for _, x in ims]]
    sheets.grid(rows).save(rep / "contact.png")
    hist = ck["history"] or {}
    sheets.plot_curves(hist, rep / "curves.png", args.id)
    (rep / "figures.json").write_text(json.dumps(
        {"fidelity": J.fidelity_from_history(hist), "widths": str(net.widths),
         "mac_ratio": round(mac_ratio(net.widths), 4), "params": count_params(net.widths),
         "val": hist.get("val"), "identity": hist.get("identity"), "args": hist.get("args")}, indent=1))
    print("wrote", rep)


# ============================================================== CLI
def parser():
    ap = argparse.ArgumentParser(description="Train a style from scratch (Johnson et al. perceptual loss).")
    sub = ap.add_subparsers(dest="cmd", required=True)
    t = sub.add_parser("train", help="train (resumes from <run-dir>/ckpt.pt when present)")
    t.add_argument("--style-image", required=True)
    t.add_argument("--id", required=True)
    t.add_argument("--style-size", type=int, default=384, help="longest side of the style image, px")
    t.add_argument("--photos", default=str(DATA / "photos"), help="folder with train/ and val/")
    t.add_argument("--run-dir", default=None, help="default training/runs/<id>")
    t.add_argument("--restart", action="store_true", help="ignore an existing checkpoint")
    t.add_argument("--loss-net", choices=["vgg", "darknet"], default="vgg")
    t.add_argument("--style-layers", default=None, help="comma list; default per loss net")
    t.add_argument("--layer-weights", default=None, help="comma list, one per style layer")
    t.add_argument("--content-layer", default=None)
    t.add_argument("--softmax-gram", action="store_true", help="softmax over channels before the Gram (Wang et al. 2021)")
    t.add_argument("--content-weight", type=float, default=1.0)
    t.add_argument("--style-weight", type=float, default=10.0)
    t.add_argument("--tv-weight", type=float, default=0.5)
    t.add_argument("--widths", default=DEFAULT_WIDTHS, help="c1,c2,trunk,res0..res4,u1,u2")
    t.add_argument("--crop", type=int, default=160)
    t.add_argument("--batch", type=int, default=2)
    t.add_argument("--iters", type=int, default=20000)
    t.add_argument("--lr", type=float, default=1e-3)
    t.add_argument("--seed", type=int, default=0)
    t.add_argument("--val-photos", type=int, default=6)
    t.add_argument("--val-size", type=int, default=256)
    t.add_argument("--val-every", type=int, default=250)
    t.add_argument("--log-every", type=int, default=10)
    t.add_argument("--ckpt-seconds", type=float, default=180)
    t.add_argument("--threads", type=int, default=1)
    t.add_argument("--device", default="cpu", help="cpu or cuda")
    t.add_argument("--export", action="store_true", help="export ONNX + catalog entry into --out-dir when done")
    e = sub.add_parser("export", help="export a run's checkpoint: ONNX (+ tile variant), thumbnail, catalog entry")
    e.add_argument("--id", required=True)
    e.add_argument("--run-dir", default=None)
    e.add_argument("--no-tile", action="store_true")
    e.add_argument("--no-eval", action="store_true", help="skip the 20-photo validation figures")
    e.add_argument("--device", default="cpu")
    for p in (t, e):
        p.add_argument("--out-dir", default="~/.pastiche/models", help="the user models folder the app reads")
        p.add_argument("--names-en", default=None); p.add_argument("--names-zh", default=None)
        p.add_argument("--desc-en", default=None); p.add_argument("--desc-zh", default=None)
        p.add_argument("--license", default=None); p.add_argument("--attribution", default=None)
    s = sub.add_parser("sheet", help="contact sheet on shippable sample photos + curves + figures")
    s.add_argument("--id", required=True)
    s.add_argument("--run-dir", default=None)
    s.add_argument("--report-dir", default=None)
    s.add_argument("--side", type=int, default=384)
    v = sub.add_parser("evaluate", help="validation style/content loss: unstylized, start, end -> reports/<id>/eval.json")
    v.add_argument("--id", required=True)
    v.add_argument("--run-dir", default=None)
    v.add_argument("--report-dir", default=None)
    v.add_argument("--photos-n", type=int, default=20)
    v.add_argument("--size", type=int, default=384)
    v.add_argument("--poster", action="store_true", help="also the poster measures of issue 10 (palette90, flat gain, edge recall)")
    v.add_argument("--photos-dir", default=None, help="photo folder for the poster measures (default: the run's photos/val)")
    b = sub.add_parser("bench", help="s/iteration of the shipping width vs the full width, measured side by side")
    b.add_argument("--style-image", required=True)
    b.add_argument("--style-size", type=int, default=384)
    b.add_argument("--photos", default=str(DATA / "photos"))
    b.add_argument("--loss-net", choices=["vgg", "darknet"], default="vgg")
    b.add_argument("--style-layers", default=None); b.add_argument("--layer-weights", default=None)
    b.add_argument("--content-layer", default=None); b.add_argument("--softmax-gram", action="store_true")
    b.add_argument("--content-weight", type=float, default=1.0)
    b.add_argument("--style-weight", type=float, default=10.0)
    b.add_argument("--tv-weight", type=float, default=0.5)
    b.add_argument("--widths", default=DEFAULT_WIDTHS)
    b.add_argument("--crop", type=int, default=160); b.add_argument("--batch", type=int, default=2)
    b.add_argument("--iters", type=int, default=5)
    b.add_argument("--threads", type=int, default=1); b.add_argument("--device", default="cpu")
    b.set_defaults(func=cmd_bench)
    t.set_defaults(func=cmd_train); e.set_defaults(func=cmd_export); s.set_defaults(func=cmd_sheet)
    v.set_defaults(func=cmd_evaluate)
    return ap


def main(argv=None):
    args = parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    main()
