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
            "invitation_id": [world.invitation.pk] if world.invitation else [],
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


# ---------------------------------------------------------------- writes (escalation by writing)

WRITE_METHODS = ("post", "put", "patch", "delete")


@dataclass(frozen=True)
class ApiWrite:
    name: str  # "PUT /api/programs/{code}"
    method: str
    path: str
    path_params: tuple[str, ...]
    query_params: tuple[tuple[str, str, bool], ...]
    body: dict | None  # the request body's JSON schema, references resolved; None: no body


def api_write_operations() -> list[ApiWrite]:
    """Every POST/PUT/PATCH/DELETE operation of the API schema."""
    from phoihop.api.urls import api

    schema = api.get_openapi_schema()
    components = schema.get("components", {}).get("schemas", {})
    operations = []
    for path, item in schema["paths"].items():
        for method, op in item.items():
            if method not in WRITE_METHODS:
                continue
            params = op.get("parameters", [])
            body = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
            operations.append(ApiWrite(
                f"{method.upper()} {path}", method, path,
                tuple(p["name"] for p in params if p["in"] == "path"),
                tuple((p["name"], _schema_type(p.get("schema", {})), bool(p.get("required"))) for p in params if p["in"] == "query"),
                _resolve(body, components) if body is not None else None,
            ))
    return sorted(operations, key=lambda o: o.name)


def _resolve(schema, components: dict, depth: int = 0):
    if depth > 8:
        return schema
    if isinstance(schema, dict):
        if "$ref" in schema:
            return _resolve(components.get(schema["$ref"].rsplit("/", 1)[-1], {}), components, depth + 1)
        return {k: _resolve(v, components, depth + 1) for k, v in schema.items()}
    if isinstance(schema, list):
        return [_resolve(v, components, depth + 1) for v in schema]
    return schema


class Unfillable(Exception):
    """A required part of a request body the probe does not know how to write."""


class HostileFills:
    """Values for a write that names the attacker's own organisation inside org_a's objects (or
    org_a's objects under the attacker's name): each field has candidates, and body i takes the
    i-th candidate of every field (cycling), so every candidate is sent at least once."""

    def __init__(self, fills: Fills, own_org: int):
        w = fills.world
        today = fills.today
        self.fills = fills
        self.own_org = own_org
        self._keys: dict[str, int] = {}
        orgs = [own_org, w.org_a.pk]
        draft, shared = w.draft_program.code, w.shared_program.code
        self.by_name: dict[str, list] = {
            "organization": orgs,
            "lead_organization": orgs,
            "co_organizers": [[own_org], [w.org_a.pk, own_org]],
            "parties": [
                [{"organization": own_org, "role": "lead"}],
                [{"organization": w.org_a.pk, "role": "lead"}, {"organization": w.org_b.pk}, {"organization": own_org}],
            ],
            "program": [draft, shared],
            "code": [draft, "ct-nguoi-ngoai"],
            "predecessors": [[], [draft], [shared]],
            "content_areas": [["recruitment", "gratitude"], ["gratitude"]],
            "content_area": ["recruitment"],
            "indicator": ["recruit_called", "recruit_enlisted"],
            "period": fills.world.period_codes,
            "value": [1, None],
            "values": [[], [{"indicator": "recruit_enlisted", "value": 1}]],
            "year": [today.year, None],
            "kind": ["program"],
            "role": ["lead"],
            "title": ["Ghi đè của người ngoài"],
            "start": ["2019-01-01"],
            "end": ["2099-12-31", None],
            "start_date": [today.isoformat()],
            "end_date": [today.isoformat()],
            "signing_date": [None],
            "until": [(today + dt.timedelta(days=7)).isoformat()],
            "status": ["signed", "ended", "done"],
            "reason": ["Lý do của người ngoài"],
            "note": ["Ghi chú của người ngoài"],
            "version": [None],
            "disaggregation": [None],
        }

    # Fields that say whose or which object a write is about: every combination of their candidates
    # is sent; the other fields take their candidates in turn.
    KEYS = ("organization", "lead_organization", "program", "parties", "code", "period")

    def bodies(self, schema: dict, path_values: dict) -> list:
        """Request bodies for `schema` (raises Unfillable)."""
        fields = schema.get("items", {}).get("properties", {}) if schema.get("type") == "array" else schema.get("properties", {})
        keys = [k for k in self.KEYS if k in fields and k not in path_values]
        others = [len(self.by_name[k]) for k in fields if k in self.by_name and k not in keys]
        combos = list(itertools.product(*(range(len(self.by_name[k])) for k in keys)))
        count = max(len(combos), *others) if others else len(combos)
        bodies = []
        for i in range(count):
            self._keys = dict(zip(keys, combos[i % len(combos)], strict=True))
            bodies.append(self._value(schema, i, path_values, required=True))
        return bodies

    def _value(self, schema: dict, i: int, path_values: dict, required: bool, name: str = ""):
        if name in path_values:  # a body field repeating a path parameter (the program's code): the same object
            return path_values[name]
        enum = schema.get("enum") or next((o["enum"] for o in schema.get("anyOf", []) if "enum" in o), None)
        if enum and name not in self._keys:
            return enum[i % len(enum)]
        if name in self.by_name:
            options = self.by_name[name]
            return options[self._keys.get(name, i) % len(options)]
        kind = schema.get("type") or _schema_type(schema)
        if "properties" in schema:
            needed = set(schema.get("required", []))
            body = {}
            for prop, sub in schema["properties"].items():
                if prop in needed or prop in self.by_name or prop in path_values:
                    body[prop] = self._value(sub, i, path_values, prop in needed, prop)
            return body
        if kind == "array":
            item = schema.get("items", {})
            return [self._value(item, i, path_values, True)] if "properties" in item or required else []
        if not required:
            return None
        if kind == "integer":
            return self.own_org
        if kind == "number":
            return 1
        if kind == "boolean":
            return True
        if kind == "string" and schema.get("format") == "date":
            return self.fills.today.isoformat()
        if kind == "string":
            return "Người ngoài"
        raise Unfillable(f"{name or 'body'}: {schema}")


def write_requests(operation: ApiWrite, fills: Fills, own_org: int) -> list[tuple[str, str, object]]:
    """(method, path with query, JSON body or None) for a write operation; [] when a path parameter
    or a required body field cannot be filled (the test then fails naming the route)."""
    choices = [fills.values(name, "StringConverter" if name not in ("org_id",) else "IntConverter")
               for name in operation.path_params]
    if any(not c for c in choices):
        return []
    hostile = HostileFills(fills, own_org)
    requests = []
    for combo in itertools.product(*choices):
        path = operation.path
        path_values = dict(zip(operation.path_params, combo, strict=True))
        for name, value in path_values.items():
            path = path.replace("{" + name + "}", str(value))
        query = {}
        for name, kind, required in operation.query_params:
            if name in hostile.by_name:
                query[name] = hostile.by_name[name][0]
            elif required:
                query[name] = fills.api_query(name, kind, None)
        if query:
            path += "?" + urlencode(query)
        if operation.body is None:
            requests.append((operation.method, path, None))
            continue
        try:
            bodies = hostile.bodies(operation.body, path_values)
        except Unfillable:
            return []
        requests.extend((operation.method, path, body) for body in bodies)
    return requests
