"""The domain errors (spotter.errors) map to HTTP statuses in one place, api.exceptions."""

from __future__ import annotations

import pytest

from api.exceptions import api_exception_handler
from spotter.errors import InvalidInput, InvalidState, LimitReached, NotAllowed, SpotterError


@pytest.mark.parametrize(
    ("error", "status", "field", "code"),
    [
        (NotAllowed("Only experts review reports."), 403, None, "permission_denied"),
        (InvalidState("This report is closed."), 409, None, "invalid_transition"),
        (
            InvalidInput("Enter the listing's URL.", field="listing_url"),
            400,
            "listing_url",
            "invalid",
        ),
        (LimitReached("Try again in 2 minutes.", retry_after=120), 429, None, "throttled"),
        (SpotterError("Something else."), 400, None, "error"),
    ],
)
def test_each_kind_has_one_status(error, status, field, code):
    response = api_exception_handler(error, {})
    assert response.status_code == status
    assert response.data == {"errors": [{"field": field, "code": code, "message": str(error)}]}
    if isinstance(error, LimitReached):
        assert response["Retry-After"] == "120"
    else:
        assert "Retry-After" not in response


def test_one_invalid_input_can_name_several_fields():
    error = InvalidInput.combine(
        [
            InvalidInput("Give the currency of the price.", field="currency"),
            InvalidInput(["a.png is empty.", "b.png is empty."], field="screenshots"),
        ]
    )
    response = api_exception_handler(error, {})
    assert response.status_code == 400
    assert [(e["field"], e["message"]) for e in response.data["errors"]] == [
        ("currency", "Give the currency of the price."),
        ("screenshots", "a.png is empty."),
        ("screenshots", "b.png is empty."),
    ]
