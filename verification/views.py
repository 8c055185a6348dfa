"""The model page: admins only (the held-out figures and the training history)."""

from __future__ import annotations

from django.shortcuts import render

from spotter.decorators import role_required
from spotter.models import Role

from .risk import LABELS, WEIGHTS
from .selectors import model_status


@role_required(Role.ADMIN)
def model_page(request):
    return render(
        request,
        "verification/model.html",
        {
            "status": model_status(),
            "weights": [(LABELS[name], weight) for name, weight in WEIGHTS.items()],
        },
    )
