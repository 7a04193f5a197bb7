"""The generated leak probe: requests for every URL pattern and every API GET operation, with the
path and query parameters filled from org_a's private objects (see conftest.private_world).

Routes come from the live URL conf and the live OpenAPI schema, so a new route is probed the day it
is added. Parameters are filled by name first (pk, org_id, period_code, code…), else by converter
type (int, slug, str, path); a route whose parameters cannot be filled has no requests, and
test_leak_probe fails naming it.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import re
import zipfile
from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern
from django.utils import timezone

_ROUTE_PARAM = re.compile(r"<(?:(?P<conv>[^>:]+):)?(?P<name>[^>]+)>")
_REGEX_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>(?P<body>[^()]*)\)")


@dataclass(frozen=True)
class PageRoute:
    name: str  # "namespace:name" (or the pattern when unnamed)
    pattern: str  # the full pattern, route syntax or regex
    regex: bool
    converters: tuple[tuple[str, str], ...]  # (parameter, converter class name)

    @property
    def is_admin(self) -> bool:
        return self.pattern.startswith("quan-tri/")


@dataclass(frozen=True)
class ApiOperation:
    name: str  # "GET /api/..."
    path: str  # "/api/programs/{code}"
    path_params: tuple[str, ...]
    query_params: tuple[tuple[str, str, bool], ...]  # (name, type, required)


def page_routes() -> list[PageRoute]:
    """Every URL pattern of the site except the API (probed from its schema)."""
    routes: list[PageRoute] = []

    def walk(resolver, prefix: str, namespace: str, regex: bool, converters: dict):
        for entry in resolver.url_patterns:
            is_regex = regex or isinstance(entry.pattern, RegexPattern)
            text = entry.pattern.regex.pattern if isinstance(entry.pattern, RegexPattern) else str(entry.pattern)
            if isinstance(entry.pattern, RegexPattern):
                text = text.lstrip("^").removesuffix("\\Z").removesuffix("$")
            convs = {**converters, **{k: type(v).__name__ for k, v in getattr(entry.pattern, "converters", {}).items()}}
            if isinstance(entry, URLResolver):
                ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                if (entry.namespace or "").startswith("api"):
                    continue
                walk(entry, prefix + text, ns, is_regex, convs)
            elif isinstance(entry, URLPattern):
                full = prefix + text
                name = f"{namespace}{entry.name}" if entry.name else f"{namespace}<{full}>"
                routes.append(PageRoute(name, full, is_regex, tuple(sorted(convs.items()))))

    walk(get_resolver(), "", "", False, {})
    return routes


def api_operations() -> list[ApiOperation]:
    """Every GET operation of the API schema (HEAD is probed on the same paths)."""
    from phoihop.api.urls import api

    schema = api.get_openapi_schema()
    operations = []
    for path, item in schema["paths"].items():
        for method, op in item.items():
            if method != "get":
                continue
            params = op.get("parameters", [])
            path_params = tuple(p["name"] for p in params if p["in"] == "path")
            query = tuple((p["name"], _schema_type(p.get("schema", {})), bool(p.get("required"))) for p in params if p["in"] == "query")
            operations.append(ApiOperation(f"GET {path}", path, path_params, query))
    return sorted(operations, key=lambda o: o.name)


def _schema_type(schema: dict) -> str:
    if "type" in schema:
        return schema["type"]
    for option in schema.get("anyOf", []):
        if option.get("type") not in (None, "null"):
            return option["type"]
    return "string"


# ---------------------------------------------------------------- filling parameters

class Fills:
    """Candidate values for parameters, taken from the private world."""

    def __init__(self, world):
        today = timezone.localdate()
        self.world = world
        self.pks = sorted(set(world.pks.values()))
        self.codes = [world.draft_program.code, world.shared_program.code]
        event_day = timezone.localtime(world.event.starts_at).date()
        self.by_name: dict[str, list] = {
            "org_id": [world.org_a.pk],
            "code": self.codes,
            "period_code": world.period_codes,
            "year": sorted({today.year, event_day.year}),
            "month": sorted({today.month, event_day.month}),
            "ext": ["docx"],  # not pdf: LibreOffice is slow, and access is checked before converting
            "day": [today.isoformat()],
            "event_id": [world.event.pk],
            "activity_id": [world.activity.pk, world.shared_activity.pk],
            "url": ["", "programs/program/"],
            # Admin change pages: every one is behind the staff check, a few objects suffice.
            "object_id": sorted({world.draft_program.pk, world.event.pk, world.activity.pk}),
        }
        self.by_converter: dict[str, list] = {
            "IntConverter": self.pks,
            "SlugConverter": self.codes,
            "StringConverter": self.codes + world.period_codes,
            "PathConverter": [str(pk) for pk in self.pks],
        }
        self.today = today

    def values(self, name: str, converter: str | None) -> list:
        if name in self.by_name:
            return self.by_name[name]
        if name == "pk" or name.endswith("_id"):
            return self.pks
        return self.by_converter.get(converter or "", [])

    # Query strings that point page views at private objects (views ignore what they do not read).
    def page_queries(self) -> list[str]:
        w = self.world
        draft, shared = w.draft_program.code, w.shared_program.code
        open_code, prev_code = w.period_codes[0], w.period_codes[1]
        common = {"nhap": "1", "include_unapproved": "true", "draft": "true"}
        return [
            "",
            "?" + urlencode({"program": draft, "chuong_trinh": draft, "don_vi": w.org_a.pk, "period": open_code,
                             "ky": open_code, "format": "csv", **common}),
            "?" + urlencode({"program": shared, "chuong_trinh": shared, "don_vi": w.org_a.pk, "period": prev_code,
                             "format": "xlsx", "q": "zqx", "chung": "1", **common}),
            "?" + urlencode({"org": w.org_a.pk, **common}),
        ]

    def api_query(self, name: str, kind: str, program: str | None):
        w = self.world
        known = {
            "program": program, "org": w.org_a.pk, "include_unapproved": "true", "draft": "true", "by_year": "true",
            "from": "2019-01-01", "to": (self.today + dt.timedelta(days=400)).isoformat(),
            "as_of": self.today.isoformat(), "year": self.today.year, "period": w.period_codes[0],
        }
        if name in known:
            return known[name]
        return {"integer": w.org_a.pk, "boolean": "true", "number": 1}.get(kind, "")


def page_requests(route: PageRoute, fills: Fills, max_queries: int | None = None) -> list[str]:
    """Paths (with query strings) for a page route; [] when a parameter cannot be filled.

    `max_queries` limits the query variants (the bare path comes first, then the draft program's)."""
    if route.regex:
        groups = list(_REGEX_GROUP.finditer(route.pattern))
        choices = []
        for group in groups:
            body = group.group("body")
            if re.fullmatch(r"[\w|-]+", body):
                choices.append(body.split("|"))
            else:
                choices.append(fills.values(group.group("name"), None))
        if any(not c for c in choices):
            return []
        paths = []
        for combo in itertools.product(*choices):
            text = route.pattern
            for group, value in zip(groups, combo, strict=True):
                text = text.replace(group.group(0), str(value), 1)
            if re.search(r"[\\^$()\[\]*+?]", text):
                return []  # a regex this probe cannot write out: counted as not covered
            paths.append("/" + text)
    else:
        converters = dict(route.converters)
        params = [(m.group("name"), m.group("conv")) for m in _ROUTE_PARAM.finditer(route.pattern)]
        choices = [fills.values(name, _converter_name(conv, converters.get(name))) for name, conv in params]
        if any(not c for c in choices):
            return []
        paths = []
        for combo in itertools.product(*choices):
            values = iter(combo)
            paths.append("/" + _ROUTE_PARAM.sub(lambda _m, values=values: str(next(values)), route.pattern))
    if route.is_admin:
        return paths
    queries = fills.page_queries()[:max_queries]
    # A file download (…/bao-cao.docx, lich.ics) is probed bare and with the draft-program query only.
    return [p + q for p in paths for q in (queries[:2] if re.search(r"\.\w+$", p) else queries)]


def _converter_name(short: str | None, resolved: str | None) -> str:
    if resolved:
        return resolved
    return {"int": "IntConverter", "slug": "SlugConverter", "str": "StringConverter", "path": "PathConverter",
            None: "StringConverter"}.get(short, short or "")


def api_requests(operation: ApiOperation, fills: Fills) -> list[str]:
    choices = [fills.values(name, "StringConverter" if name not in ("org_id",) else "IntConverter")
               for name in operation.path_params]
    if any(not c for c in choices):
        return []
    paths = []
    for combo in itertools.product(*choices):
        path = operation.path
        for name, value in zip(operation.path_params, combo, strict=True):
            path = path.replace("{" + name + "}", str(value))
        paths.append(path)
    requests = []
    programs = [None, *fills.codes] if any(q[0] == "program" for q in operation.query_params) else [None]
    for path in paths:
        for program in programs:
            query = {}
            for name, kind, required in operation.query_params:
                if name == "program" and program is None:
                    if required:
                        query[name] = fills.codes[0]
                    continue
                if name in ("limit", "offset"):
                    continue
                query[name] = fills.api_query(name, kind, program)
            requests.append(path + ("?" + urlencode(query) if query else ""))
    return sorted(set(requests))


# ---------------------------------------------------------------- reading responses

def response_text(response) -> str:
    """Everything a client could read: headers and body, zip archives (.xlsx, .docx) opened."""
    parts = [f"{k}: {v}" for k, v in response.items()]
    if getattr(response, "streaming", False):
        body = b"".join(response.streaming_content)
    else:
        body = response.content
    parts.append(_decode(body))
    return "\n".join(parts)


def _decode(body: bytes) -> str:
    if body.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(body)) as archive:
                return "\n".join(_decode(archive.read(name)) for name in archive.namelist())
        except zipfile.BadZipFile:
            pass
    return body.decode("utf-8", errors="replace")


def found_markers(text: str, markers: dict[str, str], numbers: dict[str, list[str]]) -> list[str]:
    found = [name for name, marker in markers.items() if marker in text]
    for name, forms in numbers.items():
        if any(re.search(rf"(?<![\d.,]){re.escape(form)}(?![\d])", text) for form in forms):
            found.append(name)
    return found
