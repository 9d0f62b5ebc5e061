"""Printable outputs of the document system: registers, file indexes and statistics in Excel and PDF."""
