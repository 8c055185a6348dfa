"""CPU cost of one screenshot upload through ``reports.evidence.process_image``.

    .venv/bin/python bench/evidence_decode_bench.py                       # current settings
    .venv/bin/python bench/evidence_decode_bench.py --max-pixels 40000000 # the old limit
    .venv/bin/python bench/evidence_decode_bench.py --sides 6300 --reps 5  # one size a process

Builds screenshot-like RGBA PNGs in memory (flat blocks, a little noise: they compress to a
few MB, under the per-file byte limit, like real page captures do), then times
``process_image`` on each (median of ``--reps`` runs). The 6300 × 6300 image (39.7 megapixels)
is the worst case the old 40-megapixel limit let through; the 4896 × 4896 one (24.0
megapixels) is the worst case of the current default. The peak resident memory printed at the
end is the process's (run one size per process to read it per image). Not part of the test
suite; figures in docs/security.md ("Limits").
"""

from __future__ import annotations

import argparse
import io
import os
import random
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spotter.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from PIL import Image, ImageDraw  # noqa: E402

from reports.evidence import process_image  # noqa: E402
from spotter.errors import InvalidInput  # noqa: E402


def screenshot_png(side: int, seed: int = 1) -> bytes:
    rng = random.Random(seed)
    image = Image.new("RGBA", (side, side), (250, 250, 250, 255))
    draw = ImageDraw.Draw(image)
    for _ in range(400):  # panels, buttons, pictures
        x, y = rng.randrange(side), rng.randrange(side)
        w, h = rng.randrange(20, side // 4), rng.randrange(10, side // 8)
        colour = (rng.randrange(256), rng.randrange(256), rng.randrange(256), 255)
        draw.rectangle([x, y, x + w, y + h], fill=colour)
    noise = Image.effect_noise((side * 2 // 9, side * 2 // 9), 60).convert("RGBA")  # one "photo"
    image.paste(noise, (side // 4, side // 4))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--max-pixels", type=int, default=None)
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--sides", default="6300,4896")
    args = parser.parse_args()
    if args.max_pixels is not None:
        settings.EVIDENCE_MAX_PIXELS = args.max_pixels
    print(f"EVIDENCE_MAX_PIXELS = {settings.EVIDENCE_MAX_PIXELS:,}")
    for side in (int(s) for s in args.sides.split(",")):
        data = screenshot_png(side)
        timings, outcome = [], ""
        for _ in range(args.reps):
            start = time.perf_counter()
            try:
                process_image(data, f"{side}.png")
                outcome = "accepted"
            except InvalidInput as exc:
                outcome = f"refused: {exc}"
            timings.append(time.perf_counter() - start)
        print(
            f"{side} x {side} RGBA PNG ({len(data) / 1_048_576:.1f} MB): "
            f"median {statistics.median(timings) * 1000:.1f} ms over {args.reps} runs; {outcome}"
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory of this process: {peak:.0f} MB")


if __name__ == "__main__":
    main()
