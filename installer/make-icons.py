#!/usr/bin/env python3
"""Draws the Pastiche icon (a painter's palette with a brush) and writes it in every format
the installers need. Everything is drawn here; nothing third-party is used.

    python3 installer/make-icons.py        # needs Pillow (pip install pillow)

Writes installer/icons/pastiche-256.png, pastiche-48.png (the jpackage app-image),
hicolor/<N>x<N>/apps/org.pastiche.Pastiche.png and hicolor/scalable/apps/org.pastiche.Pastiche.svg
(the .deb's theme icons; the SVG is the same drawing as vector shapes), pastiche.ico (Windows
.msi/.exe) and pastiche.icns (macOS .dmg). The outputs are committed, so the installer build itself
does not need Python.
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


APP_ID = "org.pastiche.Pastiche"
HICOLOR_SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)


def svg() -> str:
    """The same drawing as draw(), as SVG shapes (the shadow blur and the rim as in the bitmap)."""
    def rgb(c):
        return "#%02x%02x%02x" % c[:3]

    def cutouts(grow):
        return (f'<ellipse cx="720" cy="800" rx="{160 + grow}" ry="{180 + grow}" fill="black"/>'
                f'<ellipse cx="660" cy="580" rx="{60 + grow}" ry="{60 + grow}" fill="black"/>')

    blobs = [((210, 330), 78, (220, 50, 47)), ((390, 240), 74, (245, 190, 30)), ((590, 250), 72, (60, 170, 80)),
             ((770, 350), 70, (40, 110, 220)), ((200, 560), 70, (150, 60, 180)), ((360, 730), 66, (250, 250, 245))]
    paint = []
    for (x, y), r, col in blobs:
        hl = r // 3
        x0, y0, x1, y1 = x - r // 2 - hl // 2, y - r // 2 - hl // 2, x - r // 2 + hl, y - r // 2 + hl
        paint.append(f'<circle cx="{x}" cy="{y}" r="{r}" fill="{rgb(col)}"/>'
                     f'<ellipse cx="{(x0 + x1) / 2}" cy="{(y0 + y1) / 2}" rx="{(x1 - x0) / 2}" ry="{(y1 - y0) / 2}"'
                     ' fill="#ffffff" fill-opacity="0.59"/>')
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<!-- Pastiche icon: drawn by installer/make-icons.py (the same shapes as the PNGs). -->
<svg xmlns="http://www.w3.org/2000/svg" width="1024" height="1024" viewBox="0 0 1024 1024">
  <defs>
    <mask id="palette" maskUnits="userSpaceOnUse" x="0" y="0" width="1024" height="1024">
      <rect width="1024" height="1024" fill="black"/>
      <ellipse cx="510" cy="525" rx="440" ry="375" fill="white"/>{cutouts(0)}
    </mask>
    <mask id="inner" maskUnits="userSpaceOnUse" x="0" y="0" width="1024" height="1024">
      <rect width="1024" height="1024" fill="black"/>
      <ellipse cx="510" cy="525" rx="425" ry="360" fill="white"/>{cutouts(15)}
    </mask>
    <filter id="blur" x="-10%" y="-10%" width="120%" height="120%"><feGaussianBlur stdDeviation="18"/></filter>
  </defs>
  <g transform="translate(14 22)" filter="url(#blur)">
    <rect width="1024" height="1024" fill="#28190a" fill-opacity="0.35" mask="url(#palette)"/>
  </g>
  <rect width="1024" height="1024" fill="#d6a060" mask="url(#palette)"/>
  <rect width="1024" height="1024" fill="#e8ba7c" mask="url(#inner)"/>
  {"".join(paint)}
  <g transform="translate(40 10) rotate(38 505 520)">
    <rect x="470" y="140" width="70" height="500" rx="34" fill="#3c281e"/>
    <rect x="462" y="630" width="86" height="110" fill="#bebec8"/>
    <line x1="462" y1="660" x2="548" y2="660" stroke="#9696a0" stroke-width="8"/>
    <polygon points="462,740 548,740 530,850 505,905 480,850" fill="#286edc"/>
  </g>
</svg>
"""


def main() -> None:
    OUT.mkdir(exist_ok=True)
    big = draw()
    for px in (256, 48):
        big.resize((px, px), Image.LANCZOS).save(OUT / f"pastiche-{px}.png", optimize=True)
    for px in HICOLOR_SIZES:
        d = OUT / "hicolor" / f"{px}x{px}" / "apps"
        d.mkdir(parents=True, exist_ok=True)
        big.resize((px, px), Image.LANCZOS).save(d / f"{APP_ID}.png", optimize=True)
    scalable = OUT / "hicolor" / "scalable" / "apps"
    scalable.mkdir(parents=True, exist_ok=True)
    (scalable / f"{APP_ID}.svg").write_text(svg(), encoding="utf-8")
    big.resize((256, 256), Image.LANCZOS).save(
        OUT / "pastiche.ico", sizes=[(16, 16), (24, 24), (32, 32), (48, 48), (64, 64), (128, 128), (256, 256)])
    big.resize((512, 512), Image.LANCZOS).save(OUT / "pastiche.icns")
    for f in sorted(OUT.rglob("*")):
        if f.is_file():
            print(f"{f.relative_to(OUT.parent.parent)}  {f.stat().st_size} bytes")


if __name__ == "__main__":
    main()
