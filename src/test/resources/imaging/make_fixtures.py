"""Writes the small awkward image files used by ImageDecoderTest (run from this folder).

Every image is 20 x 10: the left half red (200, 30, 30), the right half blue (30, 30, 200),
so that a test can tell orientation and colour apart. Lossy files are checked with a tolerance.
"""
from PIL import Image

W, H = 20, 10


def base(mode="RGB"):
    im = Image.new("RGB", (W, H), (30, 30, 200))
    im.paste((200, 30, 30), (0, 0, W // 2, H))
    return im.convert(mode) if mode != "RGB" else im


base().convert("CMYK").save("cmyk.jpg", quality=95)
exif = Image.Exif()
exif[0x0112] = 6  # orientation: rotate 90 clockwise to show
base().save("exif-orientation-6.jpg", quality=95, exif=exif.tobytes())
base().save("plain.webp", lossless=True)
base().save("plain.tif")
base().save("plain.bmp")
base().save("plain.gif")
base().convert("L").save("gray.jpg", quality=95)
