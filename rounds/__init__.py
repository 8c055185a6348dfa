"""Spotting rounds: dates, focus, weekly targets, enrolment, teams, progress, reminders and the
round report.
"""
