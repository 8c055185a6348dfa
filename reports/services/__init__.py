"""Every state change of a report, one function per transition.

Each function follows the same steps: lock the row, check who may act
(``reports.actions.ensure_may``) and the current state (``spotter.errors.InvalidState`` if the
move is not allowed), save with ``update_fields``, then end with
``reports.events.report_transition``: the audit event and the one ``report_changed`` signal,
inside the transaction. Side effects are its receivers (second-review sampling and counters in
``quality``, the volunteer's email in ``reports.notifications``), and anything sent leaves after
commit, so nothing is sent for a change that rolled back. Views, API views, admin actions and
Celery tasks all call these, through this package: ``from reports import services``.
"""

from .bulk import (
    BULK_REPORTER_ROLES,
    SOURCE_INTAKE,
    ensure_can_submit_in_bulk,
    submit_bulk_report,
)
from .catalogue import apply_catalogue_version
from .company import acknowledge_report, correct_outcome, forward_report, record_outcome
from .company_settings import set_notice_language
from .merge import merge_order, merge_reports
from .notices import (
    BulkResult,
    assign_notice,
    bulk_acknowledge,
    colleagues,
    post_notice_message,
)
from .relayed import submit_relayed_report
from .review import claim_report, confirm_report, reject_report, release_report, request_info
from .saved_filters import delete_filter, save_filter
from .submission import (
    LISTING_FIELDS,
    ListingDetails,
    company_for_domain,
    ensure_can_submit,
    resubmit_report,
    submission_limit_reached,
    submit_report,
    withdraw_report,
)

__all__ = [
    "apply_catalogue_version",
    "BULK_REPORTER_ROLES",
    "SOURCE_INTAKE",
    "ensure_can_submit_in_bulk",
    "submit_bulk_report",
    "BulkResult",
    "assign_notice",
    "bulk_acknowledge",
    "colleagues",
    "post_notice_message",
    "LISTING_FIELDS",
    "ListingDetails",
    "acknowledge_report",
    "claim_report",
    "company_for_domain",
    "confirm_report",
    "correct_outcome",
    "delete_filter",
    "ensure_can_submit",
    "forward_report",
    "merge_order",
    "merge_reports",
    "record_outcome",
    "reject_report",
    "release_report",
    "request_info",
    "resubmit_report",
    "save_filter",
    "set_notice_language",
    "submission_limit_reached",
    "submit_relayed_report",
    "submit_report",
    "withdraw_report",
]
