"""``{% notice_thread report %}``: a notice's thread and, for who may post, the reply form."""

from django import template

from ..models import FORWARDED_STATUSES
from ..notice_thread import notice_thread as thread_for
from ..permissions import can_post_on_notice
from ..portal_forms import NoticeMessageForm

register = template.Library()


@register.inclusion_tag("reports/includes/notice_thread.html", takes_context=True)
def notice_thread(context, report):
    user = context["request"].user
    if report.status not in FORWARDED_STATUSES or report.company_id is None:
        return {"shown": False}
    return {
        "shown": True,
        "report": report,
        "posts": thread_for(report, user),
        "can_post": can_post_on_notice(user, report),
        "form": context.get("message_form") or NoticeMessageForm(),
        "csrf_token": context.get("csrf_token"),
    }
