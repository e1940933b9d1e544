"""Chinese texts of each style's licence and attribution (the catalog's "licenses" / "attributions"
maps; the English texts stay in "license" / "attribution"). `catalog.update` adds them to every
entry it writes, so a re-shipped style keeps them."""

_BSD = ("BSD-3-Clause（源自 pytorch/examples 快速风格迁移模型“{t}”，版权所有 (c) 2017 Pytorch 贡献者；"
        "适用 pytorch/examples 的 BSD 三条款许可证文本）")
_MIT_VG = "MIT（源自 VangoghCrazyWorld 模型“{t}”，版权所有 (c) 2019 calvinlcchen，acerwebai/VangoghCrazyWorld）"
_PRUNED = "由 Pastiche 模型实验室剪枝并微调，"

ZH = {
    "candy": (_BSD.format(t="candy"),
              _PRUNED + "源自 pytorch/examples 的“candy”快速风格迁移模型（BSD-3-Clause）。风格图“candy”来源不明。"),
    "mosaic": (_BSD.format(t="mosaic"), _PRUNED + "源自 pytorch/examples 的“mosaic”模型（BSD-3-Clause）。"),
    "udnie": (_BSD.format(t="udnie"),
              _PRUNED + "源自 pytorch/examples 的“udnie”模型（BSD-3-Clause）；画作：弗朗西斯·毕卡比亚（公有领域）。"),
    "rain-princess": (_BSD.format(t="rain_princess"),
                      _PRUNED + "源自 pytorch/examples 的“rain_princess”模型（BSD-3-Clause）；画作：列昂尼德·阿弗列莫夫。"),
    "picasso": ("仅限研究与非商业用途，须注明出处：源自 Logan Engstrom 的 fast-style-transfer“la_muse”权重，"
                "该权重可在注明出处的前提下用于研究与非商业用途；商业使用须经其许可。本派生模型沿用相同条款。",
                _PRUNED + "源自 Logan Engstrom 的“la_muse”快速风格迁移模型（lengstrom/fast-style-transfer；非商业条款）。"
                "画作：巴勃罗·毕加索《缪斯》（1935）。"),
    "starry-night": (_MIT_VG.format(t="starry_night"),
                     _PRUNED + "源自 acerwebai/VangoghCrazyWorld 的“starry_night”模型（MIT，(c) 2019 calvinlcchen）。"
                     "画作：文森特·梵高（公有领域）。"),
    "sunflowers": (_MIT_VG.format(t="sunflowers"),
                   _PRUNED + "源自 acerwebai/VangoghCrazyWorld 的“sunflowers”模型（MIT，(c) 2019 calvinlcchen）。"
                   "画作：文森特·梵高（公有领域）。"),
    "wheatfield": (_MIT_VG.format(t="wheatfield_with_crows"),
                   _PRUNED + "源自 acerwebai/VangoghCrazyWorld 的“wheatfield_with_crows”模型（MIT，(c) 2019 calvinlcchen）。"
                   "画作：文森特·梵高（公有领域）。"),
    "gongnongbing": ("本项目自有许可证，与本项目其他原创作品相同：从零训练（无教师网络，无第三方图像），学习在照片上"
                     "再现本项目自己的程序化海报渲染器（training/pastiche_lab/poster_render.py）。",
                     "由 Pastiche 模型实验室从零训练，模仿其程序化海报渲染器（L0 平滑，依 Xu 等人 2011；手工制定的"
                     "二十世纪六七十年代中国宣传画调色板；高斯差分轮廓）。训练照片：BSDS500（仅供研究，不随软件发布）。"),
    "fuchun": ("本项目自有许可证，与本项目其他原创作品相同：由实验室训练（无教师网络），先依画作训练，再学习再现本项目"
               "自己的程序化水墨渲染器（training/pastiche_lab/ink_render.py）；风格图为黄公望《富春山居图》（1350），公有领域画作。",
               "由 Pastiche 模型实验室从零训练（Johnson 等人的感知损失；VGG-19 损失网络，Simonyan 与 Zisserman，"
               "CC BY 4.0），再模仿其程序化水墨渲染器（L0 平滑，依 Xu 等人 2011；按色调分级的淡墨晕染、留白、高斯差分笔触）。"
               "画作：黄公望《富春山居图》（1350），公有领域。训练照片：BSDS500（仅供研究，不随软件发布）。"),
    "any-painting": ("MIT（源自 MicroAST，版权所有 (c) 2022 Zhizhong Wang，EndyWon/MicroAST；适用 license_notice 中的 MIT 许可声明）",
                     "由 Pastiche 模型实验室以进化通道搜索剪枝并微调，源自 MicroAST（Zhizhong Wang 等，AAAI 2023；"
                     "EndyWon/MicroAST，MIT）。风格编码器保留教师网络第一个残差块之前的层，第二个残差块与调制器经过微调。"),
}


def add_translations(entry: dict) -> dict:
    """`entry` with its "licenses" / "attributions" maps ({"zh": ...}) where the lab has texts for its id."""
    zh = ZH.get(entry.get("id"))
    if zh is None:
        return entry
    out = dict(entry)
    out["licenses"] = {**entry.get("licenses", {}), "zh": zh[0]}
    out["attributions"] = {**entry.get("attributions", {}), "zh": zh[1]}
    return out
