"""``{% memo "name" value… %}…{% endmemo %}``: a block rendered once per process for each set of
values (the base layout's head, navigation and language menu).

Those blocks cost 1–2 ms of template rendering on every page (two dozen ``{% url %}``,
translations, static paths) yet depend only on a few values — the role, some flags, the badge
counts — and on what is fixed for the life of a process: the URLs, the translations, the static
files' names. The active language and the script prefix are always part of the key; every other
input must be listed. A memoised block must therefore never hold a CSRF token, the request's
path, a message or any other per-request value: those stay outside it.

Entries are kept in this process, not in the shared cache: a deploy starts new processes, so a
changed template never meets an old entry. At most ``MAX_ENTRIES`` (the oldest dropped); emptied
when a setting changes (tests); off with ``DEBUG`` (templates edited while the server runs).
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from django import template
from django.conf import settings
from django.core.signals import setting_changed
from django.urls import get_script_prefix
from django.utils import translation

register = template.Library()

MAX_ENTRIES = 2048
_rendered: OrderedDict[tuple, str] = OrderedDict()
_lock = threading.Lock()


def clear(**kwargs) -> None:
    with _lock:
        _rendered.clear()


setting_changed.connect(clear, dispatch_uid="spotter.memo")


class MemoNode(template.Node):
    def __init__(self, nodelist, name, values):
        self.nodelist = nodelist
        self.name = name
        self.values = values

    def render(self, context) -> str:
        if settings.DEBUG:
            return self.nodelist.render(context)
        values = tuple(value.resolve(context) for value in self.values)
        key = (self.name, get_script_prefix(), translation.get_language(), *values)
        html = _rendered.get(key)
        if html is None:
            html = self.nodelist.render(context)
            with _lock:
                _rendered[key] = html
                while len(_rendered) > MAX_ENTRIES:
                    _rendered.popitem(last=False)
        return html


@register.tag
def memo(parser, token):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("memo needs a name: {% memo 'name' value… %}")
    nodelist = parser.parse(("endmemo",))
    parser.delete_first_token()
    return MemoNode(nodelist, bits[1], [parser.compile_filter(bit) for bit in bits[2:]])
