"""One signal per leads event, sent inside the service's transaction after the audit entry.

Receivers (``leads.receivers``: the notifications) run inside the transaction; outside effects
(emails) follow its commit (``notifications.services.notify`` sends them on commit).
"""

from django.dispatch import Signal

# kwargs: prescreen (PreScreen), actor (the lead).
prescreened = Signal()
# kwargs: question (Question), actor (the volunteer).
question_asked = Signal()
# kwargs: answer (Answer), actor (the lead or expert).
question_answered = Signal()
