"""What rechecks tells the apps above it (notifications subscribes; rechecks imports none).

``takedown_flagged`` is sent inside the transaction that raised a flag, once per flag:
kwargs ``flag`` (a ``TakedownFlag``; ``flag.report``, ``flag.company``, ``flag.listing_check``).
A receiver with an outside effect registers its own ``transaction.on_commit``.
"""

from django.dispatch import Signal

takedown_flagged = Signal()
