#!/usr/bin/env python3
"""Draws the Pastiche icon (a painter's palette with a brush) and writes it in every format
the installers need. Everything is drawn here; nothing third-party is used.

    python3 installer/make-icons.py        # needs Pillow (pip install pillow)

Writes installer/icons/pastiche-256.png, pastiche-48.png (Linux .deb/app-image),
pastiche.ico (Windows .msi/.exe) and pastiche.icns (macOS .dmg). The outputs are committed, so
the installer build itself does not need Python.
"""
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFilter

S = 1024  # drawing size; scaled down with a good filter for every output size
OUT = Path(__file__).resolve().parent / "icons"


def palette_mask() -> Image.Image:
    """A kidney-shaped palette: a big ellipse with a notch and a thumb hole cut out."""
    m = Image.new("L", (S, S), 0)
    d = ImageDraw.Draw(m)
    d.ellipse((70, 150, 950, 900), fill=255)
    cut = Image.new("L", (S, S), 0)
    c = ImageDraw.Draw(cut)
    c.ellipse((560, 620, 880, 980), fill=255)   # the notch at the lower right
    c.ellipse((600, 520, 720, 640), fill=255)   # the thumb hole
    return ImageChops.subtract(m, cut)


def draw() -> Image.Image:
    img = Image.new("RGBA", (S, S), (0, 0, 0, 0))
    mask = palette_mask()

    # soft shadow
    shadow = Image.new("RGBA", (S, S), (40, 25, 10, 0))
    shadow.putalpha(mask.point(lambda v: v * 90 // 255).filter(ImageFilter.GaussianBlur(18)))
    img.alpha_composite(shadow, (14, 22))

    # wood-coloured palette with a lighter rim
    wood = Image.new("RGBA", (S, S), (214, 160, 96, 255))
    img.paste(wood, (0, 0), mask)
    inner = mask.filter(ImageFilter.MinFilter(31))
    img.paste(Image.new("RGBA", (S, S), (232, 186, 124, 255)), (0, 0), inner)

    # paint blobs
    d = ImageDraw.Draw(img)
    blobs = [
        ((210, 330), 78, (220, 50, 47)),    # red
        ((390, 240), 74, (245, 190, 30)),   # yellow
        ((590, 250), 72, (60, 170, 80)),    # green
        ((770, 350), 70, (40, 110, 220)),   # blue
        ((200, 560), 70, (150, 60, 180)),   # violet
        ((360, 730), 66, (250, 250, 245)),  # white
    ]
    for (x, y), r, col in blobs:
        d.ellipse((x - r, y - r, x + r, y + r), fill=col + (255,))
        hl = r // 3  # a small highlight makes the paint look wet
        d.ellipse((x - r // 2 - hl // 2, y - r // 2 - hl // 2, x - r // 2 + hl, y - r // 2 + hl),
                  fill=(255, 255, 255, 150))

    # a brush lying across the palette: handle, ferrule, bristles with blue paint
    brush = Image.new("RGBA", (S, S), (0, 0, 0, 0))
    b = ImageDraw.Draw(brush)
    b.rounded_rectangle((470, 140, 540, 640), radius=34, fill=(60, 40, 30, 255))       # handle
    b.rectangle((462, 630, 548, 740), fill=(190, 190, 200, 255))                      # ferrule
    b.line((462, 660, 548, 660), fill=(150, 150, 160, 255), width=8)
    b.polygon([(462, 740), (548, 740), (530, 850), (505, 905), (480, 850)],
              fill=(40, 110, 220, 255))                                              # bristles
    brush = brush.rotate(-38, resample=Image.BICUBIC, center=(505, 520))
    img.alpha_composite(brush, (40, 10))
    return img


def main() -> None:
    OUT.mkdir(exist_ok=True)
    big = draw()
    for px in (256, 48):
        big.resize((px, px), Image.LANCZOS).save(OUT / f"pastiche-{px}.png", optimize=True)
    big.resize((256, 256), Image.LANCZOS).save(
        OUT / "pastiche.ico", sizes=[(16, 16), (24, 24), (32, 32), (48, 48), (64, 64), (128, 128), (256, 256)])
    big.resize((512, 512), Image.LANCZOS).save(OUT / "pastiche.icns")
    for f in sorted(OUT.iterdir()):
        print(f"{f.relative_to(OUT.parent.parent)}  {f.stat().st_size} bytes")


if __name__ == "__main__":
    main()
