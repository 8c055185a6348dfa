"""Screenshot validation and re-encoding.

Uploaded files are hostile until proven otherwise. The format is decided from the bytes (not the
name or the browser's content type), Pillow's decompression-bomb limit applies, the file must pass
``verify()`` *and* a full decode, and what viewers get is a fresh re-encode with no metadata
(EXIF/GPS, ICC, XMP, comments). The original bytes are kept apart, for admins, with their SHA-256.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

ALLOWED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
# Magic numbers of the allowed formats; anything else is refused before Pillow sees it.
MAGIC = (
    (b"\xff\xd8\xff", "JPEG"),
    (b"\x89PNG\r\n\x1a\n", "PNG"),
)


class EvidenceError(ValueError):
    """The file cannot be accepted as evidence; the message says why, for the user."""


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


def process_image(data: bytes, name: str = "") -> ProcessedImage:
    label = name or _("the file")
    max_bytes = settings.EVIDENCE_MAX_FILE_BYTES
    if not data:
        raise EvidenceError(_("%(name)s is empty.") % {"name": label})
    if len(data) > max_bytes:
        raise EvidenceError(
            _("%(name)s is larger than %(mb)d MB.") % {"name": label, "mb": max_bytes // 1_048_576}
        )
    declared = sniff_format(data[:16])
    if declared is None:
        raise EvidenceError(_("%(name)s is not a JPEG, PNG or WebP image.") % {"name": label})

    max_pixels = settings.EVIDENCE_MAX_PIXELS
    try:
        with warnings.catch_warnings():
            # Pillow warns (not raises) between the limit and twice the limit: make it an error.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            previous_limit = Image.MAX_IMAGE_PIXELS
            Image.MAX_IMAGE_PIXELS = max_pixels
            try:
                with Image.open(io.BytesIO(data)) as probe:
                    if probe.format != declared:
                        raise EvidenceError(
                            _("%(name)s does not match its image format.") % {"name": label}
                        )
                    if probe.width * probe.height > max_pixels:
                        raise EvidenceError(_("%(name)s has too many pixels.") % {"name": label})
                    probe.verify()
                with Image.open(io.BytesIO(data)) as image:
                    if getattr(image, "n_frames", 1) > 1:
                        image.seek(0)  # animated: evidence is the first frame
                    image.load()
                    clean = ImageOps.exif_transpose(image) if declared == "JPEG" else image.copy()
            finally:
                Image.MAX_IMAGE_PIXELS = previous_limit
    except EvidenceError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise EvidenceError(_("%(name)s has too many pixels.") % {"name": label}) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as exc:
        raise EvidenceError(
            _("%(name)s is damaged or not a readable image.") % {"name": label}
        ) from exc
    except Exception as exc:  # noqa: BLE001 — Pillow plugins raise assorted errors on junk
        raise EvidenceError(
            _("%(name)s is damaged or not a readable image.") % {"name": label}
        ) from exc

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


def _reencode(image: Image.Image) -> tuple[bytes, str]:
    """Write a brand-new PNG from the pixels only; no metadata is carried over."""
    if image.mode not in ("RGB", "RGBA", "L", "LA"):
        # CMYK, 16-bit, palette and other modes are converted to plain 8-bit colour.
        has_alpha = "A" in image.getbands() or "transparency" in image.info
        image = image.convert("RGBA" if has_alpha else "RGB")
    pixels_only = Image.new(image.mode, image.size)
    pixels_only.paste(image)
    out = io.BytesIO()
    pixels_only.save(out, format="PNG", optimize=False)
    return out.getvalue(), "png"
