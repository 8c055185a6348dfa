"""Every scrolling table box in the templates can take keyboard focus and is named (axe rule
scrollable-region-focusable): a table added later without them fails here, before any browser."""

import re

from django.conf import settings

WRAP = re.compile(r"<div\b[^>]*class=\"[^\"]*\btable-wrap\b[^\"]*\"[^>]*>")


def test_table_wraps_are_focusable_named_regions():
    missing = []
    for path in sorted((settings.BASE_DIR / "templates").rglob("*.html")):
        for tag in WRAP.findall(path.read_text(encoding="utf-8")):
            if not all(part in tag for part in ('tabindex="0"', 'role="region"', "aria-label=")):
                missing.append(f"{path.relative_to(settings.BASE_DIR)}: {tag}")
    assert not missing, "\n".join(missing)
