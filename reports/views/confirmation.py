"""The confirmation step of irreversible actions (withdraw, reject, record an outcome).

The page's form carries ``data-confirm`` (static/js/app.js asks in the browser and adds
``confirm=yes``); the view acts only on a POST with ``confirm=yes``. Without JavaScript the
first POST gets this confirmation page instead, which re-posts the same fields with
``confirm=yes``, so nobody loses a report to a stray click.
"""

from django.shortcuts import render

CONFIRM_FIELD = "confirm"
_NOT_REPOSTED = {"csrfmiddlewaretoken", CONFIRM_FIELD}


def confirmed(request) -> bool:
    return request.POST.get(CONFIRM_FIELD) == "yes"


def confirmation_page(request, *, title, question, button, cancel_url, details=()):
    """Ask once more before acting: the same POST again, with ``confirm=yes``."""
    fields = [
        (name, value)
        for name, values in request.POST.lists()
        if name not in _NOT_REPOSTED
        for value in values
    ]
    return render(
        request,
        "reports/confirm_action.html",
        {
            "title": title,
            "question": question,
            "button": button,
            "cancel_url": cancel_url,
            "action": request.path,
            "fields": fields,
            "details": details,
        },
    )
