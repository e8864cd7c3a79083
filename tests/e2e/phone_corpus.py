"""Files as phones and their apps send them, made from one card picture: each shows the same picture
(an EXIF orientation undoes the way its pixels are stored, where the format carries one). Needs
heif-enc (Debian: libheif-examples) for the HEIC.

    python tests/e2e/phone_corpus.py CARD.png OUT_DIR    # writes the corpus, prints its names
"""
import io
import random
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import cv2
import numpy as np
from PIL import Image

# EXIF orientation -> how the stored pixels are turned from the upright picture (PIL transposes);
# a viewer applying the tag turns them back.
STORED = {
    3: Image.Transpose.ROTATE_180,
    6: Image.Transpose.ROTATE_90,   # stored turned 90 degrees counter-clockwise; 6 turns it clockwise
    8: Image.Transpose.ROTATE_270,
}


def exif_orientation(orientation: int) -> bytes:
    """A TIFF block (as in JPEG's APP1 after "Exif\\0\\0", PNG's eXIf, WebP's EXIF) with one tag."""
    return (b"MM\x00\x2a" + struct.pack(">I", 8) + struct.pack(">H", 1)
            + struct.pack(">HHIHH", 0x0112, 3, 1, orientation, 0) + struct.pack(">I", 0))


def _jpeg(img: Image.Image, orientation: int, **kw) -> bytes:
    buf = io.BytesIO()
    img.transpose(STORED[orientation]).save(buf, format="JPEG", quality=92,
                                            exif=b"Exif\x00\x00" + exif_orientation(orientation), **kw)
    return buf.getvalue()


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def _png_with_exif(png: bytes, orientation: int) -> bytes:
    """eXIf goes before the first IDAT."""
    at = png.index(b"IDAT") - 4
    return png[:at] + _png_chunk(b"eXIf", exif_orientation(orientation)) + png[at:]


def _samsung_trailer(n: int) -> bytes:
    """What Samsung's camera appends after EOI: tagged blocks ending in "SEFT"; random filler here."""
    rnd = random.Random(15)
    body = bytes(rnd.getrandbits(8) for _ in range(n))
    return b"SEFH" + body + struct.pack("<I", n) + b"SEFT"


def make_corpus(card: Image.Image, out: Path) -> dict:
    """Writes the corpus under `out`; returns {name: path}."""
    out.mkdir(parents=True, exist_ok=True)
    rgb = card.convert("RGB")
    files = {}

    def put(name: str, data: bytes):
        (out / name).write_bytes(data)
        files[name] = out / name

    # A JPEG with 64 KB after its end marker (Samsung trailer; Motion Photos append a whole video).
    put("trailer.jpg", _jpeg(rgb, 6) + _samsung_trailer(64 * 1024))
    # MPF: a second, different JPEG (here a small grey picture) appended after the first one.
    second = io.BytesIO()
    Image.new("RGB", (640, 480), (90, 90, 90)).save(second, format="JPEG")
    put("mpf.jpg", _jpeg(rgb, 8) + second.getvalue())
    put("progressive.jpg", _jpeg(rgb, 8, progressive=True))
    put("cmyk.jpg", _jpeg(rgb.convert("CMYK"), 3))
    # 16 bits per channel (OpenCV writes BGR order).
    deep = cv2.cvtColor(np.asarray(rgb), cv2.COLOR_RGB2BGR).astype(np.uint16) * 257
    ok, png16 = cv2.imencode(".png", np.ascontiguousarray(np.rot90(deep, 1)))
    assert ok
    put("deep16.png", _png_with_exif(png16.tobytes(), 6))
    # Alpha: the card opaque on a transparent margin (flattened onto white when read).
    rgba = Image.new("RGBA", (rgb.width + 80, rgb.height + 80), (0, 0, 0, 0))
    rgba.paste(rgb, (40, 40))
    buf = io.BytesIO()
    rgba.transpose(STORED[3]).save(buf, format="PNG")
    put("alpha.png", _png_with_exif(buf.getvalue(), 3))
    buf = io.BytesIO()
    rgb.transpose(STORED[6]).save(buf, format="WEBP", quality=92, exif=b"Exif\x00\x00" + exif_orientation(6))
    put("photo.webp", buf.getvalue())
    # HEIC, as iPhones send by default, by libheif's heif-enc (Debian's libheif-examples). It
    # cannot store a rotation (irot); the unit tests encode one through libheif's API.
    png = out / "heic-source.png"
    rgb.save(png)
    subprocess.run(["heif-enc", "-q", "95", "-o", str(out / "photo.heic"), str(png)], check=True,
                   capture_output=True)
    png.unlink()
    files["photo.heic"] = out / "photo.heic"
    return files


if __name__ == "__main__":
    for name in make_corpus(Image.open(sys.argv[1]), Path(sys.argv[2])):
        print(name)
