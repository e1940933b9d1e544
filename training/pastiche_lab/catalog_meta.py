"""Per-style catalog metadata: names, descriptions, teacher, licence and attribution."""

BSD = ("BSD-3-Clause (derived from the pytorch/examples fast-neural-style model '{t}', "
       "Copyright (c) 2017, Pytorch contributors; BSD 3-Clause licence text of pytorch/examples applies)")
MIT_VG = "MIT (derived from the VangoghCrazyWorld model '{t}', Copyright (c) 2019 calvinlcchen, acerwebai/VangoghCrazyWorld)"
MIT_ML5 = "MIT (derived from the ml5 style model '{t}', Copyright (c) 2018 ml5)"

META = {
    "candy": dict(en="Candy", zh="糖果", den="Bright candy-coloured swirls and circles.",
                  dzh="明亮的糖果色漩涡与圆点。", lic=BSD.format(t="candy"),
                  att="Pruned and fine-tuned by the Pastiche model lab from the pytorch/examples 'candy' "
                      "fast-neural-style model (BSD-3-Clause). Style image 'candy' of unknown origin."),
    "mosaic": dict(en="Mosaic", zh="马赛克", den="Stained-glass mosaic tiles.", dzh="彩色玻璃马赛克。",
                   lic=BSD.format(t="mosaic"),
                   att="Pruned and fine-tuned by the Pastiche model lab from the pytorch/examples 'mosaic' model (BSD-3-Clause)."),
    "udnie": dict(en="Udnie", zh="乌德尼", den="After Francis Picabia's Udnie (1913).", dzh="仿毕卡比亚《乌德尼》（1913）。",
                  lic=BSD.format(t="udnie"),
                  att="Pruned and fine-tuned by the Pastiche model lab from the pytorch/examples 'udnie' model (BSD-3-Clause); painting by Francis Picabia (public domain)."),
    "rain-princess": dict(en="Rain Princess", zh="雨中公主", den="After Leonid Afremov's Rain Princess.",
                          dzh="仿阿弗列莫夫《雨中公主》。", lic=BSD.format(t="rain_princess"),
                          att="Pruned and fine-tuned by the Pastiche model lab from the pytorch/examples 'rain_princess' model (BSD-3-Clause); painting by Leonid Afremov."),
    "picasso": dict(en="Picasso (La Muse)", zh="毕加索（缪斯）", den="After Pablo Picasso's La Muse (1935).",
                    dzh="仿毕加索《缪斯》（1935）。",
                    lic="Research and non-commercial use only, with attribution: derived from Logan Engstrom's "
                        "fast-style-transfer 'la_muse' weights, which are free for research and non-commercial use "
                        "with attribution; commercial use requires his permission. This derived model carries the same terms.",
                    att="Pruned and fine-tuned by the Pastiche model lab from Logan Engstrom's 'la_muse' "
                        "fast-style-transfer model (lengstrom/fast-style-transfer; non-commercial terms). Painting: "
                        "Pablo Picasso, La Muse (1935)."),
    "starry-night": dict(en="Starry Night", zh="星空", den="After Vincent van Gogh's The Starry Night (1889).",
                         dzh="仿梵高《星月夜》（1889）。", lic=MIT_VG.format(t="starry_night"),
                         att="Pruned and fine-tuned by the Pastiche model lab from the 'starry_night' model of "
                             "acerwebai/VangoghCrazyWorld (MIT, (c) 2019 calvinlcchen). Painting: Vincent van Gogh (public domain)."),
    "sunflowers": dict(en="Sunflowers", zh="向日葵", den="After Vincent van Gogh's Sunflowers.", dzh="仿梵高《向日葵》。",
                       lic=MIT_VG.format(t="sunflowers"),
                       att="Pruned and fine-tuned by the Pastiche model lab from the 'sunflowers' model of acerwebai/VangoghCrazyWorld (MIT, (c) 2019 calvinlcchen). Painting: Vincent van Gogh (public domain)."),
    "wheatfield": dict(en="Wheatfield with Crows", zh="麦田群鸦", den="After Vincent van Gogh's Wheatfield with Crows (1890).",
                       dzh="仿梵高《麦田群鸦》（1890）。", lic=MIT_VG.format(t="wheatfield_with_crows"),
                       att="Pruned and fine-tuned by the Pastiche model lab from the 'wheatfield_with_crows' model of acerwebai/VangoghCrazyWorld (MIT, (c) 2019 calvinlcchen). Painting: Vincent van Gogh (public domain)."),
    "matta": dict(en="Matta", zh="马塔", den="After Roberto Matta.", dzh="仿罗伯托·马塔。", lic=MIT_ML5.format(t="matta"),
                  att="Pruned and fine-tuned by the Pastiche model lab from the ml5 'matta' model (MIT, (c) 2018 ml5)."),
    "mathura": dict(en="Mathura", zh="马图拉", den="After a Mathura painting.", dzh="仿马图拉绘画。", lic=MIT_ML5.format(t="mathura"),
                    att="Pruned and fine-tuned by the Pastiche model lab from the ml5 'mathura' model (MIT, (c) 2018 ml5)."),
    "matilde-perez": dict(en="Matilde Pérez", zh="玛蒂尔德·佩雷斯", den="After Matilde Pérez.", dzh="仿玛蒂尔德·佩雷斯。",
                          lic=MIT_ML5.format(t="matilde_perez"),
                          att="Pruned and fine-tuned by the Pastiche model lab from the ml5 'matilde_perez' model (MIT, (c) 2018 ml5)."),
}
