"""Keyword matching: the Aho–Corasick matcher against a naive per-term regex loop, and the
suggestion endpoint's server time, in one run.

    .venv/bin/python bench/keyword_bench.py                  # ~1-2 minutes
    .venv/bin/python bench/keyword_bench.py --listings 2000 --terms 500 --requests 100

1. Generates (deterministically, seed 15) ``--terms`` terms in English, Simplified Chinese and
   French and ``--listings`` listings that carry some of them in disguised spellings (upper
   case, dotted letters, full-width Latin, Traditional characters), then matches every listing
   both ways over the same normalised text: ``keywords.matcher.scan`` with the automaton, and
   one pre-compiled regex per term (searched again from each hit's next character, so
   overlapping occurrences count as the automaton counts them). Both must find exactly the
   same (listing, term, position) set.
   Reported: matching time (normalised once, shared), end-to-end time with normalisation,
   the speed-ups and the automaton's build time.
2. Seeds a fresh SQLite file (/tmp/bench-keywords.sqlite3) with ``--suggest-terms`` approved
   terms and times POST /keywords/suggest/ as a certified volunteer through Django's test
   Client: the view's own CPU and wall time (its Server-Timing header) and the whole
   request's CPU time, median and p95, for a listing typed a word at a time and for distinct
   5,000-character texts (nothing cached).

Times are CPU seconds of this process (``time.process_time``), so a busy machine does not
inflate them; the view's Server-Timing is wall time and is printed as measured.

Not part of the test suite; results are printed and saved under bench/results/ (git-ignored).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB_PATH = Path("/tmp/bench-keywords.sqlite3")
# CPU seconds of this process: on a shared machine wall time measures the neighbours too.
clock = time.process_time


def configure() -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(str(DB_PATH) + suffix).unlink(missing_ok=True)
    os.environ.update(
        DATABASE_URL=f"sqlite:///{DB_PATH}",
        SECRET_KEY="bench-only-secret-key-not-used-anywhere-else-0123456789",
        DEBUG="false",
        SECURE_SSL_REDIRECT="false",
        ALLOWED_HOSTS="testserver",
        MFA_REQUIRED_ROLES="",
        DB_CONN_MAX_AGE="0",
        DJANGO_SETTINGS_MODULE="spotter.settings",
        LOG_LEVEL="WARNING",
    )
    import django

    django.setup()
    from django.conf import settings

    settings.STORAGES["staticfiles"] = {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
    }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


# --- synthetic data ----------------------------------------------------------------------------
EN_SYLLABLES = [
    "ta",
    "ko",
    "ri",
    "van",
    "mel",
    "dor",
    "ix",
    "sun",
    "bel",
    "gra",
    "hor",
    "pen",
    "lo",
    "tu",
    "ska",
    "fen",
    "mir",
    "zo",
]
FR_SYLLABLES = [
    "é",
    "ai",
    "ou",
    "ré",
    "lan",
    "che",
    "vo",
    "qui",
    "te",
    "mé",
    "gne",
    "bou",
    "fau",
    "ra",
]
# Simplified characters with a distinct Traditional form, and some without one.
ZH_CHARS = "象牙龟壳鳞片犀角虎骨鸟龙凤宝贝镯链珠玉雕刻古董收藏老料金银红白黑云山海"
ZH_TRAD = str.maketrans("龟鳞贝镯链宝龙凤银云", "龜鱗貝鐲鏈寶龍鳳銀雲")
FILLER = [
    "vintage",
    "collection",
    "carved",
    "piece",
    "rare",
    "estate",
    "old",
    "stock",
    "genuine",
    "beautiful",
    "gift",
    "shipping",
    "free",
    "contact",
    "seller",
    "price",
    "negotiable",
    "bracelet",
    "pendant",
    "figurine",
    "antique",
    "收藏",
    "包邮",
    "正品",
    "老物件",
    "拍卖",
    "joli",
    "objet",
    "ancien",
    "sculpté",
    "livraison",
    "offerte",
    "prix",
]
FULL_WIDTH = {c: chr(ord(c) + 0xFEE0) for c in "abcdefghijklmnopqrstuvwxyz"}


def make_terms(rng: random.Random, count: int) -> list[tuple[str, str]]:
    """``count`` distinct (text, language) pairs, a third each in en, zh-hans and fr."""
    from keywords.normalize import normalize

    terms: list[tuple[str, str]] = []
    seen: set[str] = set()
    while len(terms) < count:
        language = ("en", "zh-hans", "fr")[len(terms) % 3]
        if language == "zh-hans":
            text = "".join(rng.choice(ZH_CHARS) for _ in range(rng.randint(2, 4)))
        else:
            syllables = EN_SYLLABLES if language == "en" else EN_SYLLABLES + FR_SYLLABLES
            words = [
                "".join(rng.choice(syllables) for _ in range(rng.randint(2, 3)))
                for _ in range(rng.randint(1, 2))
            ]
            text = " ".join(words)
        key = normalize(text)
        if key and key not in seen:
            seen.add(key)
            terms.append((text, language))
    return terms


def disguise(rng: random.Random, text: str) -> str:
    roll = rng.random()
    if roll < 0.2:
        return text.upper()
    if roll < 0.3 and " " not in text:
        return ".".join(text)  # i.v.o.r.y
    if roll < 0.4:
        return "".join(FULL_WIDTH.get(c, c) for c in text)
    if roll < 0.6:
        return text.translate(ZH_TRAD)
    return text


def make_listings(rng: random.Random, count: int, terms: list[tuple[str, str]]) -> list[str]:
    listings = []
    for _ in range(count):
        words = [rng.choice(FILLER) for _ in range(rng.randint(20, 60))]
        for _hit in range(rng.choice((0, 0, 1, 1, 2, 3))):
            words.insert(rng.randrange(len(words) + 1), disguise(rng, rng.choice(terms)[0]))
        listings.append(" ".join(words))
    return listings


# --- part 1: matcher against the naive loop ------------------------------------------------------
def compare(listings: list[str], terms: list[tuple[str, str]]) -> dict:
    from keywords import matcher
    from keywords.normalize import normalize

    keys = [(term_id, normalize(text)) for term_id, (text, _lang) in enumerate(terms, start=1)]
    t0 = clock()
    automaton = matcher.build(keys)
    build_s = clock() - t0
    patterns = [(term_id, re.compile(re.escape(key))) for term_id, key in keys]

    def naive_scan(text: str):
        """Each term's every occurrence, overlapping ones too (as the automaton reports)."""
        for term_id, pattern in patterns:
            found = pattern.search(text)
            while found is not None:
                yield term_id, found.start()
                found = pattern.search(text, found.start() + 1)

    t0 = clock()
    normalized = [normalize(text) for text in listings]
    normalize_s = clock() - t0

    t0 = clock()
    fast = {
        (n, hit.term_id, hit.start)
        for n, text in enumerate(normalized)
        for hit in matcher.scan(text, automaton)
    }
    fast_s = clock() - t0

    t0 = clock()
    naive = {
        (n, term_id, start)
        for n, text in enumerate(normalized)
        for term_id, start in naive_scan(text)
    }
    naive_s = clock() - t0

    if fast != naive:
        missing, extra = sorted(naive - fast)[:5], sorted(fast - naive)[:5]
        raise SystemExit(f"MISMATCH: automaton misses {missing}, finds extra {extra}")
    listings_hit = len({n for n, _t, _s in fast})
    return {
        "listings": len(listings),
        "terms": len(terms),
        "matches": len(fast),
        "listings_with_a_match": listings_hit,
        "automaton_build_ms": round(build_s * 1000, 1),
        "normalize_s": round(normalize_s, 3),
        "automaton_s": round(fast_s, 4),
        "naive_regex_s": round(naive_s, 3),
        "speedup_matching": round(naive_s / fast_s, 1),
        "speedup_end_to_end": round((normalize_s + naive_s) / (normalize_s + fast_s), 1),
    }


# --- part 2: the suggestion endpoint ------------------------------------------------------------
def seed_library(rng: random.Random, count: int) -> None:
    from django.utils import timezone

    from keywords.models import Term, TermKind, TermStatus
    from keywords.normalize import normalize
    from reports.models import ProductType, SpeciesGroup

    Term.objects.all().delete()
    groups = list(SpeciesGroup.objects.all())
    products = list(ProductType.objects.all())
    now = timezone.now()
    rows = [
        Term(
            text=text,
            normalized=normalize(text),
            language=language,
            kind=TermKind.PRODUCT_TERM,
            status=TermStatus.APPROVED,
            approved_at=now,
            product_type=rng.choice(products),
        )
        for text, language in make_terms(rng, count)
    ]
    Term.objects.bulk_create(rows, batch_size=500)
    through = Term.species_groups.through
    through.objects.bulk_create(
        [
            through(term_id=term.pk, speciesgroup_id=rng.choice(groups).pk)
            for term in Term.objects.only("pk")
        ],
        batch_size=500,
    )


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def time_requests(client, texts: list[tuple[str, str]]) -> dict:
    from django.urls import reverse

    url = reverse("keywords:suggest")
    server, server_cpu, wall = [], [], []
    for title, text in texts:
        t0 = clock()
        response = client.post(url, {"listing_title": title, "listing_text": text})
        wall.append((clock() - t0) * 1000)
        assert response.status_code == 200, response.status_code
        timing = dict(part.strip().split(";dur=") for part in response["Server-Timing"].split(","))
        server.append(float(timing["suggest"]))
        server_cpu.append(float(timing["cpu"]))
    return {
        "requests": len(texts),
        "view_cpu_ms_median": round(statistics.median(server_cpu), 2),
        "view_cpu_ms_p95": round(percentile(server_cpu, 0.95), 2),
        "view_ms_median": round(statistics.median(server), 2),
        "view_ms_p95": round(percentile(server, 0.95), 2),
        "request_cpu_ms_median": round(statistics.median(wall), 2),
        "request_cpu_ms_p95": round(percentile(wall, 0.95), 2),
    }


def suggestion_timings(rng: random.Random, terms: int, requests: int) -> dict:
    from django.core.management import call_command
    from django.test import Client

    from keywords.models import Term, TermStatus
    from reports.reference import load_reference_data
    from spotter.models import Role
    from tests import factories

    call_command("migrate", verbosity=0)
    load_reference_data()
    seed_library(rng, terms)
    library = list(Term.objects.values_list("text", flat=True)[:500])
    volunteer = factories.make_user(Role.VOLUNTEER)
    client = Client()
    client.force_login(volunteer, backend="django.contrib.auth.backends.ModelBackend")
    client.post("/keywords/suggest/", {"listing_title": "warm up"})  # builds the automaton

    # A listing typed a word at a time (what the debounced form sends).
    words = [rng.choice(FILLER + library) for _ in range(requests + 10)]
    typing = [(" ".join(words[:8]), " ".join(words[8 : 8 + n])) for n in range(1, requests + 1)]
    # Distinct 5,000-character mixed-script texts: nothing cached.
    cold = []
    for _ in range(requests):
        text = " ".join(rng.choice(FILLER + library) for _ in range(1200))[:5000]
        cold.append((rng.choice(library), text))
    return {
        "approved_terms": Term.objects.filter(status=TermStatus.APPROVED).count(),
        "typing": time_requests(client, typing),
        "cold_5000_chars": time_requests(client, cold),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--listings", type=int, default=10_000)
    parser.add_argument("--terms", type=int, default=2_000)
    parser.add_argument("--suggest-terms", type=int, default=4_000)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    configure()

    rng = random.Random(15)
    terms = make_terms(rng, args.terms)
    listings = make_listings(rng, args.listings, terms)
    matching = compare(listings, terms)
    print(
        f"Matching {matching['listings']:,} listings × {matching['terms']:,} terms: "
        f"{matching['matches']:,} matches in {matching['listings_with_a_match']:,} listings, "
        "identical both ways."
    )
    print(f"  automaton build        {matching['automaton_build_ms']:>9} ms")
    print(f"  normalise (shared)     {matching['normalize_s']:>9} s")
    print(f"  automaton scan         {matching['automaton_s']:>9} s")
    print(f"  naive regex per term   {matching['naive_regex_s']:>9} s")
    print(f"  speed-up, matching     {matching['speedup_matching']:>9} ×")
    print(f"  speed-up, with normalisation {matching['speedup_end_to_end']:>3} ×")

    suggest = suggestion_timings(random.Random(16), args.suggest_terms, args.requests)
    print(f"Suggestion endpoint at {suggest['approved_terms']:,} approved terms (ms):")
    print(f"  (load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)")
    for name in ("typing", "cold_5000_chars"):
        row = suggest[name]
        print(
            f"  {name:<16} view CPU median {row['view_cpu_ms_median']:>6}"
            f"  p95 {row['view_cpu_ms_p95']:>6}"
            f" | view wall median {row['view_ms_median']:>6}  p95 {row['view_ms_p95']:>6}"
            f"   request CPU median {row['request_cpu_ms_median']:>6}"
            f"  p95 {row['request_cpu_ms_p95']:>6}"
        )

    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    path = out / f"keywords-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps({"args": vars(args), "matching": matching, "suggest": suggest}))
    print(f"saved {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
