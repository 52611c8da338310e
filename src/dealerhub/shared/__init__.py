"""Infrastructure shared by every system: settings, database sessions, exact numbers, clock, errors.

This package imports no business area (checked by import-linter).
"""
