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
