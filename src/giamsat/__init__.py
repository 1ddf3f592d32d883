"""giamsat: party inspection, supervision, discipline and directive implementation on data."""

__version__ = "0.1.0"
