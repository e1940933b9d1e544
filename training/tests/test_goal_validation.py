"""pipeline --val-size / --score goal: validation at several sizes, the worst one counting, and the
issue-11 goal as the best-student score."""
from pastiche_lab import pipeline
from pastiche_lab.finetune import GOAL_SCORE, bar_score


def test_goal_score_is_the_worse_criterion_against_the_goal():
    v = {"style_distance_ratio": 0.207, "ssim_lum_4x": 0.851}
    assert bar_score(v) < 0.96                       # the lab's bar: SSIM dominates, sd far below 0.30
    assert abs(bar_score(v, GOAL_SCORE) - 0.207 / 0.20) < 1e-9   # the goal: the style distance counts
    assert bar_score({"style_distance_ratio": 0.1, "ssim_lum_4x": 0.80}, GOAL_SCORE) > 1


def test_multi_size_validator_takes_the_worst_size(monkeypatch):
    figures = {384: {"style_distance_ratio": 0.18, "ssim_lum_4x": 0.85, "psnr_db": 20.0},
               768: {"style_distance_ratio": 0.22, "ssim_lum_4x": 0.83, "psnr_db": 21.0}}
    monkeypatch.setattr(pipeline, "evaluate_fn", lambda fn, tc, vgg, dev: dict(figures[tc]))
    monkeypatch.setattr(pipeline, "net_fn", lambda net, dev: None)
    v = pipeline.multi_size_validator([384, 768], [384, 768], None, "cpu")(None)
    assert v["style_distance_ratio"] == 0.22 and v["ssim_lum_4x"] == 0.83
    assert v["384px"] == (0.18, 0.85) and v["768px"] == (0.22, 0.83)
    one = pipeline.multi_size_validator([768], [768], None, "cpu")(None)
    assert one == figures[768]


def test_ship_below_the_bar_only_when_better_than_shipped_at_every_size(tmp_path):
    import json
    from pastiche_lab.ship import better_than_shipped
    old = {"picasso": {"384": {"style_distance_ratio": 0.337, "ssim_lum_4x": 0.787},
                       "768": {"style_distance_ratio": 0.353, "ssim_lum_4x": 0.758}}}
    (tmp_path / "old.json").write_text(json.dumps(old))
    new = json.loads(json.dumps(old))
    new["picasso"]["384"] = {"style_distance_ratio": 0.244, "ssim_lum_4x": 0.797}
    new["picasso"]["768"] = {"style_distance_ratio": 0.297, "ssim_lum_4x": 0.769}
    (tmp_path / "new.json").write_text(json.dumps(new))
    assert better_than_shipped("picasso", tmp_path / "new.json", tmp_path / "old.json")
    new["picasso"]["768"]["ssim_lum_4x"] = 0.750        # worse on one measure at one size: no
    (tmp_path / "new.json").write_text(json.dumps(new))
    assert not better_than_shipped("picasso", tmp_path / "new.json", tmp_path / "old.json")
