"""Generate the hostile-upload corpus in tests/security/corpus/ (committed, < 2 MB in total).

    .venv/bin/python tests/security/make_corpus.py

Each case says what must happen: ``reject`` with a fragment of the user-facing message, or
``accept`` (a legitimate but unusual image that must come out as a clean 8-bit PNG). The tests in
test_uploads.py read ``CASES`` from here, so a new file is one new entry below.
"""

from __future__ import annotations

import io
import struct
import sys
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

CORPUS_DIR = Path(__file__).resolve().parent / "corpus"


@dataclass(frozen=True)
class Case:
    name: str
    build: Callable[[], bytes]
    expect: str  # "accept" or "reject"
    message: str = ""  # fragment of the error message for rejects
    why: str = ""


# --- small helpers ----------------------------------------------------------------------------


def _image(fmt: str, size=(64, 48), mode="RGB", colour=(180, 40, 40), **kwargs) -> bytes:
    image = Image.new(mode, size, colour if mode in ("RGB", "RGBA") else 0)
    if mode == "RGB":
        # A little structure so JPEG scans have real entropy-coded data.
        for x in range(0, size[0], 4):
            image.putpixel((x, x % size[1]), (10, 200, 30))
    out = io.BytesIO()
    image.save(out, format=fmt, **kwargs)
    return out.getvalue()


def _png_chunk(kind: bytes, payload: bytes) -> bytes:
    return (
        struct.pack(">I", len(payload))
        + kind
        + payload
        + struct.pack(">I", zlib.crc32(kind + payload) & 0xFFFFFFFF)
    )


def _png_bomb(width: int, height: int) -> bytes:
    """A 1-bit greyscale PNG of zeros: tiny on disk, ``width × height`` pixels when decoded."""
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    row = b"\x00" * (1 + (width + 7) // 8)
    compressor = zlib.compressobj(9)
    parts = [compressor.compress(row) for _ in range(height)]
    parts.append(compressor.flush())
    idat = b"".join(parts)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", ihdr)
        + _png_chunk(b"IDAT", idat)
        + _png_chunk(b"IEND", b"")
    )


def _zip_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("payload.html", "<script>alert(document.cookie)</script>")
    return out.getvalue()


def jpeg_huge_dimensions() -> bytes:
    data = bytearray(_image("JPEG"))
    sof = data.index(b"\xff\xc0")
    struct.pack_into(">HH", data, sof + 5, 65000, 65000)  # height, width
    return bytes(data)


def png_bad_crc() -> bytes:
    data = bytearray(_image("PNG"))
    idat = data.index(b"IDAT")
    data[idat + 6] ^= 0xFF  # flip a byte of the compressed pixels; the CRC no longer matches
    return bytes(data)


def png_zero_width() -> bytes:
    ihdr = struct.pack(">IIBBBBB", 0, 10, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"")
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", ihdr)
        + _png_chunk(b"IDAT", idat)
        + _png_chunk(b"IEND", b"")
    )


def png_text_script() -> bytes:
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "<script>alert('tEXt')</script>")
    info.add_itxt("XML:com.adobe.xmp", "<x:xmpmeta><script>alert(1)</script></x:xmpmeta>")
    return _image("PNG", pnginfo=info)


def jpeg_comment_html() -> bytes:
    return _image("JPEG", comment=b"<html><body onload=alert(1)>")


def jpeg_exif_gps() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "SpyCam"  # Make
    exif[0x0112] = 6  # Orientation: rotate 90° — the served copy must be upright
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (51.0, 30.0, 12.5)
    gps[3] = "W"
    gps[4] = (0.0, 7.0, 39.0)
    return _image("JPEG", exif=exif.tobytes())


def apng() -> bytes:
    frames = [Image.new("RGB", (32, 32), colour) for colour in ((255, 0, 0), (0, 0, 255))]
    out = io.BytesIO()
    frames[0].save(out, format="PNG", save_all=True, append_images=frames[1:], duration=100)
    return out.getvalue()


def animated_webp() -> bytes:
    frames = [Image.new("RGB", (32, 32), colour) for colour in ((255, 0, 0), (0, 0, 255))]
    out = io.BytesIO()
    frames[0].save(out, format="WEBP", save_all=True, append_images=frames[1:], duration=100)
    return out.getvalue()


def gif() -> bytes:
    return _image("GIF", mode="P")


def webp_size_lies() -> bytes:
    data = bytearray(_image("WEBP"))
    struct.pack_into("<I", data, 4, len(data) * 4)  # RIFF size larger than the file
    return bytes(data)


def palette_png_transparent() -> bytes:
    image = Image.new("P", (40, 30), 1)
    image.putpalette([0, 0, 0, 255, 0, 0] + [0] * 762)
    out = io.BytesIO()
    image.save(out, format="PNG", transparency=0)
    return out.getvalue()


SVG = b"""<?xml version="1.0"?>
<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10" onload="alert(1)">
<script>alert(document.domain)</script><rect width="10" height="10"/></svg>
"""
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script><img src=x onerror=alert(2)>"
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/OpenAction<</S/JavaScript/JS(app.alert(1))>>>>endobj\n"
    b"%%EOF\n"
)

CASES: list[Case] = [
    Case(
        "bomb-30000x30000.png",
        lambda: _png_bomb(30000, 30000),
        "reject",
        "too many pixels",
        "900 megapixels of zeros in ~100 KB: refused from the header, never decoded",
    ),
    Case(
        "bomb-10000x10000.png",
        lambda: _png_bomb(10000, 10000),
        "reject",
        "too many pixels",
        "between our limit and Pillow's: Pillow only warns, our own check refuses",
    ),
    Case(
        "huge-dimensions.jpg",
        jpeg_huge_dimensions,
        "reject",
        "too many pixels",
        "SOF header patched to 65000 × 65000",
    ),
    Case(
        "long-strip-40000x1.png",
        lambda: _png_bomb(40000, 1),
        "reject",
        "too many pixels",
        "one side longer than any screenshot",
    ),
    Case("zero-width.png", png_zero_width, "reject", "", "IHDR with width 0"),
    Case("truncated.jpg", lambda: _image("JPEG", size=(200, 200))[:400], "reject", "damaged"),
    Case("truncated.png", lambda: _image("PNG", size=(200, 200))[:150], "reject", "damaged"),
    Case("truncated.webp", lambda: _image("WEBP", size=(200, 200))[:60], "reject", "damaged"),
    Case("webp-size-lies.webp", webp_size_lies, "reject", "damaged"),
    Case("magic-only.png", lambda: b"\x89PNG\r\n\x1a\n", "reject", "damaged"),
    Case("soi-eoi-only.jpg", lambda: b"\xff\xd8\xff\xd9", "reject", "damaged"),
    Case("bad-crc.png", png_bad_crc, "reject", "damaged"),
    Case(
        "jpeg-zip-polyglot.jpg",
        lambda: _image("JPEG") + _zip_bytes(),
        "reject",
        "extra data",
        "a valid JPEG that is also a ZIP archive",
    ),
    Case("png-html-appended.png", lambda: _image("PNG") + HTML, "reject", "extra data"),
    Case(
        "webp-php-appended.webp",
        lambda: _image("WEBP") + b"<?php system($_GET['c']); ?>",
        "reject",
        "extra data",
    ),
    Case(
        "gifar.jpg",
        lambda: gif() + _zip_bytes(),
        "reject",
        "not a JPEG, PNG or WebP",
        "GIF + JAR/ZIP (GIFAR) named .jpg",
    ),
    Case("svg-renamed.png", lambda: SVG, "reject", "not a JPEG, PNG or WebP"),
    Case("html-renamed.png", lambda: HTML, "reject", "not a JPEG, PNG or WebP"),
    Case("pdf-renamed.jpg", lambda: PDF, "reject", "not a JPEG, PNG or WebP"),
    Case("zero-bytes.png", lambda: b"", "reject", "is empty"),
    Case("animated.gif", gif, "reject", "not a JPEG, PNG or WebP", "GIF is not an allowed format"),
    Case("image.tiff", lambda: _image("TIFF"), "reject", "not a JPEG, PNG or WebP"),
    Case("image.bmp", lambda: _image("BMP"), "reject", "not a JPEG, PNG or WebP"),
    Case("animated.png", apng, "reject", "animated", "APNG: which frame is the evidence?"),
    Case("animated.webp", animated_webp, "reject", "animated"),
    Case(
        "cmyk.jpg",
        lambda: _image("JPEG", mode="CMYK"),
        "accept",
        "",
        "legitimate print-workflow JPEG: converted to RGB",
    ),
    Case(
        "16-bit-grey.png",
        lambda: _image("PNG", mode="I;16"),
        "accept",
        "",
        "scaled to 8-bit grey, not clipped",
    ),
    Case("palette-transparent.png", palette_png_transparent, "accept", ""),
    Case(
        "exif-gps.jpg",
        jpeg_exif_gps,
        "accept",
        "",
        "GPS position and camera make: the served copy must carry neither",
    ),
    Case("progressive.jpg", lambda: _image("JPEG", progressive=True, size=(120, 90)), "accept", ""),
    Case(
        "png-text-script.png",
        png_text_script,
        "accept",
        "",
        "tEXt/iTXt chunks with script: stripped by the re-encode",
    ),
    Case("jpeg-comment-html.jpg", jpeg_comment_html, "accept", "", "COM segment with HTML"),
]


def build_all(directory: Path = CORPUS_DIR) -> int:
    directory.mkdir(parents=True, exist_ok=True)
    total = 0
    for case in CASES:
        data = case.build()
        (directory / case.name).write_bytes(data)
        total += len(data)
    return total


if __name__ == "__main__":
    size = build_all()
    print(f"{len(CASES)} files, {size:,} bytes in {CORPUS_DIR}")
    sys.exit(0 if size < 2_000_000 else 1)
