"""Lead spotters' duties: pre-screening newer volunteers' reports, answering their questions, the
keyword fast lane, and pre-screen accuracy.
"""
