"""Writes the large hostile/ordinary files whose peak memory docs/engine.md reports (issue 14).

    python3 src/test/resources/imaging/make_hostile_files.py OUT_DIR

ztxt-bomb.png     a 64 x 48 PNG with a zTXt chunk that inflates to 1 GiB (about 1 MB on disk)
iccp-bomb.png     a 64 x 48 PNG whose iCCP profile inflates to 2 GiB (about 2 MB on disk)
iccp-2gb.png      a 64 x 48 PNG (under 1 KB) whose iCCP chunk header declares 2 GB
photo-12mp.jpg    a 4000 x 3000 photo-like JPEG (quality 92)
nested-exif.jpg   a 64 x 48 JPEG whose EXIF chains 3600 nested SubIFDs
deep-subifd.tif   a 4 x 2 TIFF whose IFD0 starts a 10,000-deep SubIFD chain

Peak RSS: /usr/bin/time -v java -jar target/pastiche.jar stylize -s candy -f -o out.png OUT_DIR/ztxt-bomb.png
(see docs/engine.md, "Hostile files"). The JUnit tests build their own, smaller fixtures in code.
"""
import io
import os
import struct
import sys
import zlib

import numpy as np
from PIL import Image


def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def zeros_deflated(n):
    z = zlib.compressobj(9)
    block = bytes(1 << 20)
    out = []
    left = n
    while left > 0:
        out.append(z.compress(block[: min(len(block), left)]))
        left -= len(block)
    out.append(z.flush())
    return b"".join(out)


def small_png():
    buf = io.BytesIO()
    Image.new("RGB", (64, 48), (51, 102, 153)).save(buf, "PNG")
    return buf.getvalue()


def with_chunk(png, c):
    end_ihdr = 8 + 8 + 13 + 4
    return png[:end_ihdr] + c + png[end_ihdr:]


def photo(w, h):
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    r = 128 + 100 * np.sin(x / 97.0) * np.cos(y / 53.0)
    g = 128 + 90 * np.sin((x + y) / 71.0)
    b = 128 + 80 * np.cos(x / 37.0 - y / 113.0)
    noise = np.random.default_rng(3).normal(0, 12, (h, w, 3))
    img = np.clip(np.stack([r, g, b], -1) + noise, 0, 255).astype(np.uint8)
    return Image.fromarray(img, "RGB")


def exif_nested(depth):
    # big-endian TIFF: IFD0 = orientation 6 + SubIFD pointer; then a chain of one-entry SubIFDs
    out = bytearray(b"MM\x00\x2a" + struct.pack(">I", 8))
    first = 8 + 2 + 12 * 2 + 4
    out += struct.pack(">H", 2)
    out += struct.pack(">HHIHH", 0x0112, 3, 1, 6, 0)
    out += struct.pack(">HHII", 0x014A, 4, 1, first)
    out += struct.pack(">I", 0)
    for d in range(depth):
        nxt = len(out) + 18 if d + 1 < depth else 0
        out += struct.pack(">H", 1) + struct.pack(">HHII", 0x014A, 4, 1, nxt) + struct.pack(">I", 0)
    return bytes(out)


def deep_tiff(depth):
    # little-endian 4 x 2 gray TIFF, IFD0 with a SubIFD pointer to a chain of nested SubIFDs
    data = bytes(8)
    out = bytearray(b"II\x2a\x00" + struct.pack("<I", 0))
    data_at = len(out)
    out += data
    first = len(out)
    for d in range(depth):
        nxt = len(out) + 18 if d + 1 < depth else 0
        out += struct.pack("<H", 1) + struct.pack("<HHII", 0x014A, 4, 1, nxt) + struct.pack("<I", 0)
    entries = [(256, 4, 1, 4), (257, 4, 1, 2), (258, 3, 1, 8), (259, 3, 1, 1), (262, 3, 1, 1), (273, 4, 1, data_at),
               (277, 3, 1, 1), (278, 4, 1, 2), (279, 4, 1, len(data)), (330, 4, 1, first)]
    ifd0 = len(out)
    out += struct.pack("<H", len(entries))
    for tag, typ, count, value in entries:
        if typ == 3:
            out += struct.pack("<HHIHH", tag, typ, count, value, 0)
        else:
            out += struct.pack("<HHII", tag, typ, count, value)
    out += struct.pack("<I", 0)
    out[4:8] = struct.pack("<I", ifd0)
    return bytes(out)


def main(out_dir):
    os.makedirs(out_dir, exist_ok=True)
    png = small_png()
    with open(os.path.join(out_dir, "ztxt-bomb.png"), "wb") as f:
        f.write(with_chunk(png, chunk(b"zTXt", b"Comment\x00\x00" + zeros_deflated(1 << 30))))
    with open(os.path.join(out_dir, "iccp-bomb.png"), "wb") as f:
        f.write(with_chunk(png, chunk(b"iCCP", b"icc\x00\x00" + zeros_deflated(2 << 30))))
    with open(os.path.join(out_dir, "iccp-2gb.png"), "wb") as f:
        end_ihdr = 8 + 8 + 13 + 4
        f.write(png[:end_ihdr] + struct.pack(">I", 0x7FFFFFF0) + b"iCCP" + b"icc\x00\x00" + png[end_ihdr:])
    photo(4000, 3000).save(os.path.join(out_dir, "photo-12mp.jpg"), quality=92)
    buf = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(buf, "JPEG", quality=92)
    jpg = buf.getvalue()
    exif = b"Exif\x00\x00" + exif_nested(3600)
    seg = b"\xff\xe1" + struct.pack(">H", len(exif) + 2) + exif
    with open(os.path.join(out_dir, "nested-exif.jpg"), "wb") as f:
        f.write(jpg[:2] + seg + jpg[2:])
    with open(os.path.join(out_dir, "deep-subifd.tif"), "wb") as f:
        f.write(deep_tiff(10000))
    for name in sorted(os.listdir(out_dir)):
        print(f"{name:18s} {os.path.getsize(os.path.join(out_dir, name)):>10,d} bytes")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "hostile")
