"""The demo scenario: Bắc Ninh city's coordination programs around 09/7/2019 (see README)."""
