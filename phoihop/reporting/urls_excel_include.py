"""Excel routes (urls_excel.py) when present."""

try:
    from phoihop.reporting.urls_excel import urlpatterns
except ImportError:  # pragma: no cover - while the Excel module is being built
    urlpatterns = []
