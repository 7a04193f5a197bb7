"""Phối Hợp — inter-agency coordination programs."""
