"""Signals spotter sends so the apps above it can react without spotter importing them."""

from django.dispatch import Signal

# Sent inside the transaction that sets a user's role (account creation, role change), after the
# user is saved. kwargs: user. Training keeps its editors group in step with the expert role.
role_changed = Signal()
