"""The home page (above the domain apps it summarises; core stays below every domain app)."""
