"""Screenshot validation and re-encoding.

Uploaded files are hostile until proven otherwise. In order:

1. size (empty / over the per-file limit) and the format decided from the magic number, never
   from the name or the browser's content type: JPEG, PNG or WebP only;
2. the container is walked to its end marker (JPEG EOI, PNG IEND, RIFF size): anything appended
   after it (a ZIP, HTML, a script — the classic polyglot) is refused;
3. Pillow opens the header only: format must match, dimensions and pixel count are checked
   against ``EVIDENCE_MAX_PIXELS`` *before* any decoding (decompression bombs), animated images
   are refused (a screenshot is one still frame);
4. ``verify()`` and then a full decode (truncated files fail here);
5. what viewers get is a brand-new 8-bit PNG written from the pixels alone — no EXIF/GPS, ICC,
   XMP, text chunks or comments. The original bytes are kept apart, for admins, with SHA-256.

Every failure is a ``spotter.errors.InvalidInput`` on the ``screenshots`` field whose message
names the file and says what is wrong.
"""

from __future__ import annotations

import hashlib
import io
import struct
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from spotter.errors import InvalidInput
from spotter.text import clean_text

ALLOWED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
# Magic numbers of the allowed formats; anything else is refused before Pillow sees it.
MAGIC = (
    (b"\xff\xd8\xff", "JPEG"),
    (b"\x89PNG\r\n\x1a\n", "PNG"),
)
# Neither side of a screenshot needs more (a very long page capture is ~20k px tall).
MAX_SIDE = 30_000
# Bytes after the end of the image that are tolerated: zero padding some encoders leave.
_PADDING = frozenset(b"\x00")


def _refused(message: str | list[str]) -> InvalidInput:
    """The file(s) cannot be accepted as evidence; the message says why, for the user."""
    return InvalidInput(message, field="screenshots")


@dataclass
class ProcessedImage:
    original_bytes: bytes
    original_sha256: str
    original_format: str
    clean_bytes: bytes
    clean_sha256: str
    clean_extension: str
    width: int
    height: int


def sniff_format(head: bytes) -> str | None:
    for magic, fmt in MAGIC:
        if head.startswith(magic):
            return fmt
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP"
    return None


# --- container walking: where does the image end? ------------------------------------------


def _png_end(data: bytes) -> int | None:
    """Offset just after the IEND chunk, or None if the chunk structure is broken."""
    pos = 8
    while pos + 12 <= len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        pos += 12 + length
        if pos > len(data):
            return None
        if kind == b"IEND":
            return pos
    return None


def _jpeg_end(data: bytes) -> int | None:
    """Offset just after the EOI marker, walking segments and entropy-coded data."""
    pos, size = 2, len(data)
    while pos < size:
        if data[pos] != 0xFF:
            return None
        while pos < size and data[pos] == 0xFF:  # fill bytes
            pos += 1
        if pos >= size:
            return None
        marker = data[pos]
        pos += 1
        if marker == 0xD9:  # EOI
            return pos
        if marker == 0x01 or 0xD0 <= marker <= 0xD7:  # TEM / RSTn carry no length
            continue
        if pos + 2 > size:
            return None
        (length,) = struct.unpack(">H", data[pos : pos + 2])
        if length < 2:
            return None
        pos += length
        if marker == 0xDA:  # SOS: skip the entropy-coded scan up to the next real marker
            pos = _next_marker(data, pos)
            if pos is None:
                return None
    return None


def _next_marker(data: bytes, pos: int) -> int | None:
    """In entropy-coded data 0xFF is followed by 0x00 (stuffing) or RSTn; anything else is a
    marker. ``bytes.find`` keeps this fast on multi-megabyte files."""
    while True:
        pos = data.find(b"\xff", pos)
        if pos < 0 or pos + 1 >= len(data):
            return None
        following = data[pos + 1]
        if following == 0x00 or 0xD0 <= following <= 0xD7:
            pos += 2
            continue
        return pos


def _webp_end(data: bytes) -> int | None:
    (riff_size,) = struct.unpack("<I", data[4:8])
    end = 8 + riff_size
    return end if end <= len(data) else None


def image_end(data: bytes, fmt: str) -> int | None:
    finder = {"PNG": _png_end, "JPEG": _jpeg_end, "WEBP": _webp_end}[fmt]
    return finder(data)


def _has_trailing_data(data: bytes, end: int) -> bool:
    return any(byte not in _PADDING for byte in data[end:])


# --- the pipeline ---------------------------------------------------------------------------


def process_image(data: bytes, name: str = "") -> ProcessedImage:
    label = name or _("the file")
    max_bytes = settings.EVIDENCE_MAX_FILE_BYTES
    if not data:
        raise _refused(_("%(name)s is empty.") % {"name": label})
    if len(data) > max_bytes:
        raise _refused(
            _("%(name)s is larger than %(mb)d MB.") % {"name": label, "mb": max_bytes // 1_048_576}
        )
    declared = sniff_format(data[:16])
    if declared is None:
        raise _refused(_("%(name)s is not a JPEG, PNG or WebP image.") % {"name": label})

    end = image_end(data, declared)
    if end is None:
        raise _refused(
            _("%(name)s is damaged or not a readable image (it is cut short).") % {"name": label}
        )
    if _has_trailing_data(data, end):
        raise _refused(
            _(
                "%(name)s has extra data hidden after the end of the image; upload the "
                "screenshot exactly as saved by your screenshot tool."
            )
            % {"name": label}
        )

    max_pixels = settings.EVIDENCE_MAX_PIXELS
    try:
        with warnings.catch_warnings():
            # Our own limit below is the one that matters; Pillow's global one only warns.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                _check_header(probe, declared, label, max_pixels)
                probe.verify()
            with Image.open(io.BytesIO(data)) as image:
                image.load()
                clean = ImageOps.exif_transpose(image)
    except InvalidInput:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _refused(_("%(name)s has too many pixels.") % {"name": label}) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as exc:
        raise _refused(_("%(name)s is damaged or not a readable image.") % {"name": label}) from exc
    except Exception as exc:  # noqa: BLE001 — Pillow plugins raise assorted errors on junk
        raise _refused(_("%(name)s is damaged or not a readable image.") % {"name": label}) from exc

    clean_bytes, extension = _reencode(clean)
    return ProcessedImage(
        original_bytes=data,
        original_sha256=hashlib.sha256(data).hexdigest(),
        original_format=declared,
        clean_bytes=clean_bytes,
        clean_sha256=hashlib.sha256(clean_bytes).hexdigest(),
        clean_extension=extension,
        width=clean.width,
        height=clean.height,
    )


def _check_header(probe: Image.Image, declared: str, label: str, max_pixels: int) -> None:
    """Checks on what Pillow read from the header alone, before any pixel is decoded."""
    if probe.format != declared:
        raise _refused(_("%(name)s does not match its image format.") % {"name": label})
    width, height = probe.size
    if width < 1 or height < 1:
        raise _refused(_("%(name)s has no pixels.") % {"name": label})
    if width > MAX_SIDE or height > MAX_SIDE or width * height > max_pixels:
        raise _refused(
            _("%(name)s has too many pixels (%(w)d × %(h)d; at most %(mp)d megapixels).")
            % {"name": label, "w": width, "h": height, "mp": max_pixels // 1_000_000}
        )
    if getattr(probe, "is_animated", False) or getattr(probe, "n_frames", 1) > 1:
        raise _refused(
            _("%(name)s is animated; upload a still screenshot (PNG, JPEG or WebP).")
            % {"name": label}
        )


def _to_8bit(image: Image.Image) -> Image.Image:
    """Plain 8-bit L/LA/RGB/RGBA: CMYK, 16-bit, palette and float modes are converted."""
    if image.mode in ("RGB", "RGBA", "L", "LA"):
        return image
    if image.mode.startswith("I") or image.mode == "F":
        # 16/32-bit grey: scale to 8 bits instead of clipping everything above 255 to white.
        wide = image.convert("I") if image.mode != "F" else image
        top = 65535 if image.mode.startswith("I;16") else max(wide.getextrema()[1], 1)
        return wide.point(lambda value: value * (255 / top)).convert("L")
    has_alpha = "A" in image.getbands() or "transparency" in image.info
    return image.convert("RGBA" if has_alpha else "RGB")


def _reencode(image: Image.Image) -> tuple[bytes, str]:
    """Write a brand-new PNG from the pixels only; no metadata is carried over."""
    image = _to_8bit(image)
    pixels_only = Image.new(image.mode, image.size)
    pixels_only.paste(image)
    out = io.BytesIO()
    pixels_only.save(out, format="PNG", optimize=False)
    return out.getvalue(), "png"


def process_uploads(
    files, *, existing: int = 0, minimum: int = 1
) -> list[tuple[ProcessedImage, str]]:
    """Check a report's screenshot uploads (count, total and per-file size, content) and
    return each processed image with its cleaned file name. Shared by the form and the API;
    every problem is listed (one line each) in one ``InvalidInput``."""
    total = len(files) + existing
    if total < minimum:
        raise _refused([_("Attach at least one screenshot of the listing.")])
    if total > settings.EVIDENCE_MAX_FILES:
        raise _refused(
            [
                _("A report holds at most %(max)d screenshots.")
                % {"max": settings.EVIDENCE_MAX_FILES}
            ]
        )
    if sum(f.size for f in files) > settings.EVIDENCE_MAX_REPORT_BYTES:
        raise _refused(
            [
                _("The screenshots together are larger than %(mb)d MB.")
                % {"mb": settings.EVIDENCE_MAX_REPORT_BYTES // 1_048_576}
            ]
        )
    processed, errors = [], []
    for upload in files:
        name = clean_text(upload.name, multiline=False)[:255]
        if upload.size > settings.EVIDENCE_MAX_FILE_BYTES:
            errors.append(
                _("%(name)s is larger than %(mb)d MB.")
                % {"name": name, "mb": settings.EVIDENCE_MAX_FILE_BYTES // 1_048_576}
            )
            continue
        try:
            processed.append((process_image(upload.read(), name), name))
        except InvalidInput as exc:
            errors.append(str(exc))
    if errors:
        raise _refused(errors)
    return processed
