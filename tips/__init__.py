"""The public tip line: an unauthenticated report form with abuse defences, and the triage queue
that turns tips into reports or dismisses them.
"""
