"""Bulk intake: monitoring staff upload CSV/XLSX files of flagged listings, map columns, preview
per-row errors and import them as reports in one job.
"""
