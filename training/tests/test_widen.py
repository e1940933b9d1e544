"""model.widen: a wider student that computes the same function, and whose new channels train."""
import pytest
import torch

from pastiche_lab.model import Geometry, TransformerNet, Widths, macs_per_pixel, parse_widths, widen


def _net(kind):
    torch.manual_seed(0)
    net = TransformerNet(Widths(5, 7, 9, [6, 4, 8, 5, 7], 6, 4), Geometry(kind, "reflect"))
    for n in net.norms():   # non-trivial norm affines, as a trained student has
        n.weight.data.uniform_(0.5, 1.5); n.bias.data.uniform_(-0.5, 0.5)
    return net.eval()


@pytest.mark.parametrize("kind", ["A", "B"])
def test_widen_same_output_more_channels(kind):
    net = _net(kind)
    wide = widen(net, parse_widths("8/16/16/res[8,4,16,8,8]/8/8")).eval()
    assert wide.widths.as_list() == [8, 16, 16, 8, 4, 16, 8, 8, 8, 8]
    assert macs_per_pixel(wide.widths, kind) > macs_per_pixel(net.widths, kind)
    x = torch.rand(1, 3, 36, 44) * 255
    with torch.no_grad():
        a, b = net(x), wide(x)
    assert (a - b).abs().max() < 1e-3


def test_widen_keeps_wider_groups_and_new_channels_learn():
    net = _net("B")
    wide = widen(net, parse_widths("0/0/12/0/0/0/0/0/0/0"))
    assert wide.widths.as_list() == [5, 7, 12, 6, 4, 8, 5, 7, 6, 4]
    x = torch.rand(2, 3, 32, 32) * 255
    wide.train()
    wide(x).mean().backward()
    for conv in [wide.res_a[0].conv, wide.res_a[4].conv, wide.up1.conv.conv]:   # readers of the trunk
        assert conv.weight.grad[:, 9:].abs().sum() > 0     # the new trunk channels' outgoing weights learn


def test_parse_widths_rejects_short():
    with pytest.raises(ValueError):
        parse_widths("8/16/16")
