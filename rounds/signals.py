"""The one event of the rounds app.

``round_changed`` is sent inside the transaction by every service in ``rounds.services``.
kwargs: round, action (the audit action, e.g. "round.joined"), actor, participant (or None),
data (dict). Nothing in the rounds app reacts to it with business effects; other apps may
subscribe in their ``AppConfig.ready()``.
"""

from django.dispatch import Signal

round_changed = Signal()

CREATED = "round.created"
UPDATED = "round.updated"
INVITED = "round.invited"
JOINED = "round.joined"
LEFT = "round.left"
TEAM_CREATED = "round.team_created"
TEAM_ASSIGNED = "round.team_assigned"
REMINDED = "round.reminded"
