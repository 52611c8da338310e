"""Printable documents."""
