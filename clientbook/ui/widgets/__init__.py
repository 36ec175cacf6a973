"""Reusable widgets: the virtual client table and the form field with its error line."""
