"""`phoihop benchgen`: deterministic synthetic data at city, province or nation scale.

Everything goes through the project's models and bulk paths: `bulk_create` in batches, and on
PostgreSQL `COPY` for the two big tables (data values and reports). Rows are produced one
organisation at a time and written in batches, so memory stays flat whatever the scale. Periods
come from `reporting.services.get_period`; the review from `reviews.services.prepare_review`.
The same scale and seed always give the same figures (each organisation has its own seeded
random generator, so the order of writing does not matter).
"""

from __future__ import annotations

import datetime as dt
import random
import sys
import time
from collections import Counter
from decimal import Decimal

from bench import scales as S

MARK = "benchgen"  # Organization.source starts with this on every generated organisation
PASSWORD = "thu-tai-phoi-hop-2026"  # every generated user's password (a synthetic database)
VN_TZ = dt.timezone(dt.timedelta(hours=7))
REOPENED_UNTIL = dt.date(2099, 12, 31)


class Sink:
    """Rows of one table, written in batches: COPY on PostgreSQL, bulk_create elsewhere."""

    def __init__(self, model, columns: list[str], counts: Counter, batch: int = 20_000, copy: bool = True):
        from django.db import connection

        self.model, self.columns, self.counts, self.batch = model, columns, counts, batch
        self.copy = copy and connection.vendor == "postgresql"
        self.rows: list[tuple] = []
        table = model._meta.db_table
        cols = ", ".join(f'"{model._meta.get_field(c).column}"' for c in columns)
        self.sql = f'COPY "{table}" ({cols}) FROM STDIN'

    def add(self, row: tuple) -> None:
        self.rows.append(row)
        if len(self.rows) >= self.batch:
            self.flush()

    def flush(self) -> None:
        if not self.rows:
            return
        from django.db import connection

        if self.copy:
            with connection.cursor() as cursor, cursor.cursor.copy(self.sql) as copy:
                for row in self.rows:
                    copy.write_row(row)
        else:
            objs = [self.model(**dict(zip(self.columns, row, strict=True))) for row in self.rows]
            self.model.objects.bulk_create(objs, batch_size=5000)
        self.counts[self.model.__name__] += len(self.rows)
        self.rows = []


def already_generated() -> str | None:
    """The mark of the benchmark data in this database ("benchgen:<scale>:<seed>"), if any."""
    from phoihop.organizations.models import Organization

    return (Organization.objects.filter(source__startswith=MARK + ":").values_list("source", flat=True).first())


def foreign_data() -> bool:
    """Does the database hold organisations that the generator did not make (a real database)?"""
    from phoihop.organizations.models import Organization

    return Organization.objects.exclude(source__startswith=MARK + ":").exists()


class Generator:
    def __init__(self, scale: S.Scale, seed: int = 1, out=None):
        from django.utils import timezone

        self.scale, self.seed = scale, seed
        self.out = out or (lambda text: print(text, flush=True))
        self.mark = f"{MARK}:{scale.name}:{seed}"
        self.counts: Counter = Counter()
        self.now = timezone.now()
        self.started = time.perf_counter()

    def rng(self, *parts) -> random.Random:
        return random.Random("/".join(str(p) for p in (self.seed, self.scale.name, *parts)))

    def say(self, text: str) -> None:
        self.out(f"[{time.perf_counter() - self.started:7.1f}s] {text}")

    # ---------------------------------------------------------------- the whole run

    def run(self) -> Counter:
        from django.db import transaction

        from phoihop.demo.catalogs import ensure_catalogs

        ensure_catalogs()
        with transaction.atomic():
            self.catalog()
            self.structure()
            self.periods()
            self.programs()
        self.values_and_reports()
        with transaction.atomic():
            self.targets()
            self.activities()
            self.users()
            self.review()
            self.articles()
        self.rollup()
        self.say("done")
        return self.counts

    def rollup(self) -> None:
        """Catch the rollup up with the bulk load now (the triggers queued every cell), as the
        first read after a bulk import would; timed, so the cost of a full catch-up is on record."""
        import time

        from phoihop.results import rollup
        from phoihop.results.models import Rollup

        started = time.perf_counter()
        cells = rollup.refresh()
        self.counts["Rollup"] = Rollup.objects.count()
        self.say(f"rollup: {cells:,} changed cells recomputed in {time.perf_counter() - started:.1f} s")

    # ---------------------------------------------------------------- indicators

    def catalog(self) -> None:
        from phoihop.programs.models import ContentArea
        from phoihop.reporting.models import Disaggregation, Indicator

        areas = {a.code: a for a in ContentArea.objects.all()}
        groups = {g.code: g for g in Disaggregation.objects.all()}
        for order, (code, name, unit, vtype, area, rule, dis) in enumerate(S.EXTRA_INDICATORS, start=200):
            _obj, created = Indicator.objects.get_or_create(code=code, defaults={
                "name": name, "unit": unit, "value_type": vtype, "content_area": areas[area], "aggregation": rule,
                "disaggregation": groups.get(dis) if dis else None, "order": order,
                "max_value": Decimal(100) if vtype == "percent" else None,
            })
            self.counts["Indicator"] += int(created)
        self.indicators = {
            i.code: i for i in Indicator.objects.select_related("disaggregation", "content_area")
        }
        self.options = {
            code: [o.pk for o in i.disaggregation.options.all()] if i.disaggregation_id else [None]
            for code, i in self.indicators.items()
        }
        self.say(f"indicators: {len(self.indicators)} ({sum(1 for o in self.options.values() if o != [None])} disaggregated)")

    # ---------------------------------------------------------------- administrative tree and organisations

    def structure(self) -> None:
        from phoihop.core.vietnamese import fold, nfc
        from phoihop.organizations.models import (
            AdministrativeUnit,
            Organization,
            OrganizationParent,
        )

        scale = self.scale
        Unit = AdministrativeUnit
        units: list = []

        def unit(name, level, parent=None):
            u = Unit(name=nfc(name), level=level, parent=parent, source=self.mark, search_text=fold(name))
            units.append(u)
            return u

        # Tiers: (tier kind, unit, place words, parent tier index or None)
        tiers: list[dict] = []
        if scale.root_level == "city":
            province = unit("Tỉnh Thử Tải", "province")
            Unit.objects.bulk_create([province])
            root_unit = Unit(name="Thành phố Thử Tải", level="city", parent=province, source=self.mark,
                             search_text=fold("Thành phố Thử Tải"))
            Unit.objects.bulk_create([root_unit])
            tiers.append({"kind": "root", "unit": root_unit, "place": "thành phố Thử Tải", "parent": None})
        elif scale.root_level == "province":
            root_unit = unit("Tỉnh Thử Tải", "province")
            Unit.objects.bulk_create([root_unit])
            tiers.append({"kind": "root", "unit": root_unit, "place": "tỉnh Thử Tải", "parent": None})
        else:
            tiers.append({"kind": "root", "unit": None, "place": "Trung ương (thử tải)", "parent": None})
        units.clear()
        for p in range(1, scale.provinces + 1):
            u = unit(f"Tỉnh Thử Tải {p:02d}", "province")
            tiers.append({"kind": "province", "unit": u, "place": f"tỉnh Thử Tải {p:02d}", "parent": 0})
        Unit.objects.bulk_create(units)
        units.clear()
        # Communes: spread over the provinces (nation) or under the root unit.
        holders = [i for i, t in enumerate(tiers) if t["kind"] == "province"] or [0]
        commune_tiers: list[tuple[int, object, str]] = []
        for c in range(1, scale.communes + 1):
            holder = holders[(c - 1) % len(holders)]
            ward = c % 4 == 0
            word = "Phường" if ward else "Xã"
            name = f"{word} Thử Tải {c:04d}"
            commune_tiers.append((holder, unit(name, "ward" if ward else "commune", tiers[holder]["unit"]), name))
        Unit.objects.bulk_create(units, batch_size=2000)
        self.counts["AdministrativeUnit"] += len(units) + 1 + (scale.root_level == "city")

        bodies = {key: (kind, name, short) for key, kind, name, short in S.ROOT_BODIES}
        orgs: list = []
        meta: list[dict] = []  # per organisation: tier kind, body key, tier index, commune index

        def org(key, place, admin_unit, tier_kind, tier_index, commune=None):
            kind, name, short = bodies[key]
            full = nfc(f"{name} {place}")
            orgs.append(Organization(
                name=full[:250], short_name=nfc(f"{short} {place}")[:80], kind=kind, administrative_unit=admin_unit,
                source=self.mark, search_text=fold(f"{full} {short}")[:600],
            ))
            meta.append({"tier": tier_kind, "key": key, "kind": kind, "tier_index": tier_index, "commune": commune})

        for t_index, tier in enumerate(tiers):
            for key, *_rest in S.ROOT_BODIES:
                org(key, tier["place"], tier["unit"], tier["kind"], t_index)
        for c_index, (holder, u, name) in enumerate(commune_tiers):
            place = name[0].lower() + name[1:]
            for key in S.COMMUNE_BODIES[: scale.commune_orgs]:
                org(key, place, u, "commune", holder, c_index)
        Organization.objects.bulk_create(orgs, batch_size=2000)
        self.counts["Organization"] += len(orgs)
        # Each body sits under the same body one tier up (a commune's women's union under the
        # province's, a province's under the centre's).
        by_tier_key = {(m["tier_index"], m["key"]): o.pk for o, m in zip(orgs, meta, strict=True) if m["tier"] != "commune"}
        links = []
        for o, m in zip(orgs, meta, strict=True):
            parent_tier = m["tier_index"] if m["tier"] == "commune" else tiers[m["tier_index"]]["parent"]
            if parent_tier is None:
                continue
            links.append(OrganizationParent(child_id=o.pk, parent_id=by_tier_key[(parent_tier, m["key"])]))
        OrganizationParent.objects.bulk_create(links, batch_size=2000)
        self.counts["OrganizationParent"] += len(links)
        self.orgs = [(o.pk, m) for o, m in zip(orgs, meta, strict=True)]
        self.root = {m["key"]: o.pk for o, m in zip(orgs, meta, strict=True) if m["tier"] == "root"}
        self.say(f"organisations: {len(orgs)} over {len(tiers)} tiers and {len(commune_tiers)} communes")

    # ---------------------------------------------------------------- periods and programs

    def periods(self) -> None:
        from phoihop.reporting.services import get_period

        codes = S.months_from(self.scale.first_month) + list(S.OPEN_MONTHS)
        self.period = {code: get_period(code) for code in codes}
        self.months = S.months_from(self.scale.first_month)
        self.counts["Period"] += len(self.period)

    def programs(self) -> None:
        from phoihop.programs.models import (
            ContentArea,
            Program,
            ProgramParty,
            ProgramStatus,
            SteeringCommittee,
        )

        areas = list(ContentArea.objects.all())
        self.program = {}
        previous = None
        for start, end in S.PHASES:
            code = f"bench-{self.scale.name}-{start}-{end}"
            status = ProgramStatus.IN_FORCE if end >= 2026 else ProgramStatus.ENDED
            program = Program.objects.create(
                code=code, title=f"Chương trình phối hợp thử tải ({self.scale.name}) giai đoạn {start} - {end}",
                start=dt.date(start, 1, 1), end=dt.date(end, 12, 31), status=status, signing_date=dt.date(start, 1, 1),
                purpose="Dữ liệu tổng hợp để đo hiệu năng (phoihop benchgen); không phải số liệu thật.",
            )
            program.content_areas.set(areas)
            if previous is not None:
                program.predecessors.add(previous)
            parties = [
                ProgramParty(program=program, organization_id=pk, role="lead" if i == 0 else "member", order=i)
                for i, (pk, _m) in enumerate(self.orgs)
            ]
            ProgramParty.objects.bulk_create(parties, batch_size=5000)
            self.counts["ProgramParty"] += len(parties)
            self.counts["Program"] += 1
            self.program[(start, end)] = program
            previous = program
        committee = SteeringCommittee.objects.create(
            name=f"Ban Chỉ đạo chương trình phối hợp thử tải ({self.scale.name})", standing_office_id=self.root["chqs"],
        )
        committee.programs.set(self.program.values())
        self.committee = committee
        self.say(f"programs: {len(self.program)} phases × {len(self.orgs)} parties")

    def program_of_year(self, year: int):
        for (start, end), program in self.program.items():
            if start <= year <= end:
                return program
        raise ValueError(year)

    # ---------------------------------------------------------------- values and reports

    def values_and_reports(self) -> None:
        from django.db import transaction

        from phoihop.reporting.models import DataValue, Submission

        value_sink = Sink(DataValue, ["organization_id", "indicator_id", "period_id", "option_id", "value", "text_value",
                                      "comment", "version", "updated_by_id", "created_at", "updated_at"], self.counts)
        report_sink = Sink(Submission, ["organization_id", "period_id", "status", "submitted_at", "approved_at",
                                        "return_reason", "reopened_until", "created_at", "updated_at"], self.counts)
        is_pg = value_sink.copy
        total = len(self.orgs)
        step = max(1, total // 20)
        last = self.months[-1]
        with transaction.atomic():
            for n, (org_pk, meta) in enumerate(self.orgs):
                rng = self.rng("values", n)
                for row in self.org_values(org_pk, meta, rng, is_pg):
                    value_sink.add(row)
                for row in self.org_reports(org_pk, rng, last):
                    report_sink.add(row)
                if (n + 1) % step == 0 or n + 1 == total:
                    self.say(f"values: {self.counts['DataValue'] + len(value_sink.rows):,} "
                             f"({n + 1}/{total} organisations)")
            value_sink.flush()
            report_sink.flush()
        if is_pg:
            from django.db import connection

            with connection.cursor() as cursor:
                cursor.execute(f'ANALYZE "{DataValue._meta.db_table}"')
                cursor.execute(f'ANALYZE "{Submission._meta.db_table}"')

    def org_values(self, org_pk: int, meta: dict, rng: random.Random, is_pg: bool):
        factor = S.TIER_FACTOR[meta["tier"]]
        now = self.now
        stocks: dict[str, float] = {}
        profile = S.PROFILES[meta["kind"]]
        for code in self.months:
            period_id = self.period[code].pk
            month = int(code[5:7])
            for ind_code, p, size in profile:
                if p == "feb":
                    if month != 2:
                        continue
                elif p == "quarter":
                    if month % 3:
                        continue
                elif rng.random() >= p:
                    continue
                indicator = self.indicators[ind_code]
                mean = size * factor
                if indicator.aggregation == "last":
                    level = stocks.get(ind_code) or mean * rng.uniform(0.8, 1.2)
                    level *= 1 + rng.gauss(0.001, 0.004)
                    stocks[ind_code] = level
                    number = round(level)
                elif indicator.value_type == "percent":
                    number = round(min(100.0, max(0.0, rng.gauss(size, 5))), 1)
                elif indicator.value_type in ("money", "decimal"):
                    number = round(max(0.0, rng.gauss(mean, mean * 0.3)), 1)
                else:
                    number = max(0, round(rng.gauss(mean, mean * 0.3)))
                options = self.options[ind_code]
                if len(options) == 1:
                    parts = [(None, number)]
                else:
                    weights = [rng.uniform(0.5, 1.5) for _ in options]
                    scale = number / sum(weights)
                    parts = [(opt, round(w * scale)) for opt, w in zip(options, weights, strict=True)]
                for option_id, amount in parts:
                    value = amount if is_pg else Decimal(str(amount)).quantize(Decimal("0.01"))
                    yield (org_pk, indicator.pk, period_id, option_id, value, "", "", 1, None, now, now)

    def org_reports(self, org_pk: int, rng: random.Random, last: str):
        now = self.now
        for code in self.months:
            period = self.period[code]
            submitted = dt.datetime.combine(period.deadline - dt.timedelta(days=rng.randint(0, 3)), dt.time(16, 0), VN_TZ)
            approved = submitted + dt.timedelta(days=rng.randint(1, 4))
            status, reason, reopened = "approved", "", None
            draw = rng.random()
            if code == last:
                if draw < 0.15:
                    status, approved = "submitted", None
                elif draw < 0.30:
                    status, submitted, approved = "draft", None, None
            elif draw < 0.01:
                status, approved, reason = "returned", None, "Số liệu chưa khớp với sổ theo dõi; đề nghị rà soát (thử tải)."
            yield (org_pk, period.pk, status, submitted, approved, reason, reopened, now, now)
        for code in S.OPEN_MONTHS:
            yield (org_pk, self.period[code].pk, "draft", None, None, "", REOPENED_UNTIL, now, now)

    # ---------------------------------------------------------------- targets

    def targets(self) -> None:
        from phoihop.reporting.models import Target

        sink = Sink(Target, ["program_id", "organization_id", "indicator_id", "year", "value", "created_at", "updated_at"],
                    self.counts, copy=False)
        years = range(int(self.scale.first_month[:4]), int(S.LAST_DATA_MONTH[:4]) + 1)
        now = self.now
        for n, (org_pk, meta) in enumerate(self.orgs):
            rng = self.rng("targets", n)
            factor = S.TIER_FACTOR[meta["tier"]]
            for ind_code, p, size in S.PROFILES[meta["kind"]]:
                if ind_code not in S.TARGETED or isinstance(p, str):
                    continue
                indicator = self.indicators[ind_code]
                for year in years:
                    if indicator.aggregation == "last":
                        value = round(size * factor * rng.uniform(0.9, 1.3))
                    else:
                        value = max(1, round(12 * p * size * factor * rng.uniform(0.85, 1.15)))
                    sink.add((self.program_of_year(year).pk, org_pk, indicator.pk, year, Decimal(value), now, now))
        for program in self.program.values():
            for code in ("blood_units", "propaganda_sessions", "bench_meetings"):
                sink.add((program.pk, None, self.indicators[code].pk, None, Decimal(1000 * len(self.orgs)), now, now))
        sink.flush()

    # ---------------------------------------------------------------- plans and (joint) activities

    def activities(self) -> None:
        from phoihop.core.vietnamese import fold
        from phoihop.reporting.models import Activity, ActivityValue, Plan

        years = range(int(self.scale.first_month[:4]), int(S.LAST_DATA_MONTH[:4]) + 1)
        plans = {}
        for program in self.program.values():
            for year in range(program.start.year, program.end.year + 1):
                plans[(program.pk, year)] = Plan(program=program, year=year, title=f"Kế hoạch năm {year} (thử tải)")
        Plan.objects.bulk_create(plans.values())
        self.counts["Plan"] += len(plans)
        # Same-tier partners: a commune's other bodies, or the tier's other bodies.
        tier_members: dict[tuple, list[int]] = {}
        for pk, m in self.orgs:
            key = ("c", m["commune"]) if m["tier"] == "commune" else ("t", m["tier_index"])
            tier_members.setdefault(key, []).append(pk)
        sum_codes = {
            kind: [c for c, p, _s in profile if not isinstance(p, str) and self.indicators[c].aggregation == "sum"]
            for kind, profile in S.PROFILES.items()
        }
        areas = {code: i.content_area_id for code, i in self.indicators.items()}
        batch: list[tuple] = []

        def flush():
            acts = Activity.objects.bulk_create([a for a, _co, _v in batch], batch_size=2000)
            through = Activity.co_organizers.through
            through.objects.bulk_create(
                [through(activity_id=a.pk, organization_id=o) for a, (_x, co, _v) in zip(acts, batch, strict=True) for o in co],
                batch_size=5000,
            )
            ActivityValue.objects.bulk_create(
                [ActivityValue(activity_id=a.pk, indicator_id=i, value=v) for a, (_x, _c, vals) in zip(acts, batch, strict=True)
                 for i, v in vals], batch_size=5000,
            )
            self.counts["Activity"] += len(acts)
            self.counts["Activity.co_organizers"] += sum(len(co) for _a, co, _v in batch)
            self.counts["ActivityValue"] += sum(len(v) for _a, _c, v in batch)
            batch.clear()

        for n, (org_pk, meta) in enumerate(self.orgs):
            rng = self.rng("activities", n)
            per_year = 1 if meta["tier"] == "commune" else 6
            partners_key = ("c", meta["commune"]) if meta["tier"] == "commune" else ("t", meta["tier_index"])
            partners = [p for p in tier_members[partners_key] if p != org_pk]
            factor = S.TIER_FACTOR[meta["tier"]]
            for year in years:
                program = self.program_of_year(year)
                for k in range(per_year):
                    code = rng.choice(sum_codes[meta["kind"]])
                    size = next(s for c, _p, s in S.PROFILES[meta["kind"]] if c == code)
                    end = dt.date(year, 1, 1) + dt.timedelta(days=rng.randint(0, 330))
                    if f"{end:%Y-%m}" > S.LAST_DATA_MONTH:
                        continue
                    co = rng.sample(partners, k=min(len(partners), rng.randint(1, 3))) if partners and rng.random() < 0.5 else []
                    title = f"Hoạt động phối hợp thử tải số {k + 1} năm {year}"
                    activity = Activity(
                        plan=plans[(program.pk, year)], program=program, title=title, content_area_id=areas[code],
                        lead_organization_id=org_pk, status="done", start_date=end - dt.timedelta(days=rng.randint(0, 2)),
                        end_date=end, participants=rng.randint(20, 300), search_text=fold(title),
                    )
                    amount = Decimal(max(1, round(size * factor * rng.uniform(1, 3))))
                    batch.append((activity, co, [(self.indicators[code].pk, amount)]))
            if len(batch) >= 5000:
                flush()
        flush()
        self.say(f"activities: {self.counts['Activity']:,} ({self.counts['Activity.co_organizers']:,} co-organiser links)")

    # ---------------------------------------------------------------- people who log in

    def users(self) -> None:
        from django.contrib.auth import get_user_model
        from django.contrib.auth.hashers import make_password

        from phoihop.accounts.models import Membership

        User = get_user_model()
        password = make_password(PASSWORD)
        admin = User(username="bench-admin", is_superuser=True, is_staff=True, password=password)
        leader = User(username="bench-lanhdao", password=password, first_name="Lãnh đạo", last_name="(thử tải)")
        office = User(username="bench-thuongtruc", password=password)
        # Reporters: one organisation each, communes first (the most numerous reporters).
        ordered = [pk for pk, m in self.orgs if m["tier"] == "commune"] + [pk for pk, m in self.orgs if m["tier"] != "commune"]
        reporters = [User(username=f"bench-r{n:03d}", password=password) for n in range(1, S.LOAD_USERS + 1)]
        User.objects.bulk_create([admin, leader, office, *reporters])
        memberships = [
            Membership(user=leader, organization_id=self.root["bdv"], role="viewer"),
            Membership(user=office, organization_id=self.root["chqs"], role="committee_admin"),
        ]
        memberships += [
            Membership(user=user, organization_id=ordered[n % len(ordered)], role="reporter")
            for n, user in enumerate(reporters)
        ]
        Membership.objects.bulk_create(memberships)
        self.counts["User"] += 3 + len(reporters)
        self.counts["Membership"] += len(memberships)

    # ---------------------------------------------------------------- the review (tổng kết) read by the report benchmark

    def review(self) -> None:
        from phoihop.reviews import services as reviews
        from phoihop.reviews.models import Contribution, Narrative, Section

        program = self.program[S.REVIEWED_PHASE]
        review = self._prepare_review(reviews, program)
        texts = {
            Section.SITUATION: "Tình hình chính trị ổn định; các bên triển khai chương trình đồng bộ (nội dung thử tải).",
            Section.SHORTCOMINGS: "Một số đơn vị báo cáo chưa đúng hạn (nội dung thử tải).",
            Section.LESSONS: "Phân công rõ đơn vị chủ trì, phối hợp; sơ kết, rút kinh nghiệm thường xuyên (nội dung thử tải).",
            Section.DIRECTIONS: "Tiếp tục đổi mới nội dung, phương thức phối hợp (nội dung thử tải).",
            Section.PROPOSALS: "Đề nghị bố trí kinh phí cho hoạt động của Ban chỉ đạo (nội dung thử tải).",
        }
        for section, text in texts.items():
            Contribution.objects.create(review=review, organization_id=self.root["mttq"], section=section, text=text)
        Narrative.objects.create(review=review, section=Section.RESULTS,
                                 text="Chương trình được triển khai toàn diện, đạt nhiều kết quả (nội dung thử tải).")
        self.counts["Review"] += 1

    def _org(self, pk):
        from phoihop.organizations.models import Organization

        return Organization.objects.get(pk=pk)

    def _prepare_review(self, reviews, program):
        chqs, bdv = self._org(self.root["chqs"]), self._org(self.root["bdv"])
        return reviews.prepare_review(
            title=f"Tổng kết chương trình phối hợp thử tải ({self.scale.name}) giai đoạn {program.phase_label}",
            kind="final", date=dt.date(2026, 1, 20), organizer=chqs, committee=self.committee, place="Thử Tải", user=None,
            items=[reviews.ItemInput(program.code, program.start, program.end)],
            issuers=[{"organization": chqs, "number": 1, "signer_title": "CHỈ HUY TRƯỞNG"},
                     {"organization": bdv, "number": 1, "signer_title": "TRƯỞNG BAN"}],
        )

    # ---------------------------------------------------------------- public articles (when the news app has them)

    def articles(self) -> None:
        from bench import news

        made = news.make_articles(self.rng("articles"), self.root, count=20)
        if made:
            self.counts[made[0]] += made[1]


def generate(scale_name: str, seed: int = 1, out=None) -> Counter:
    scale = S.SCALES[scale_name]
    return Generator(scale, seed, out).run()


def print_counts(counts: Counter, out=None) -> None:
    out = out or (lambda text: print(text, flush=True))
    width = max(len(k) for k in counts) if counts else 10
    for name, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        out(f"  {name:<{width}}  {n:>12,}")


if __name__ == "__main__":  # pragma: no cover - use `phoihop benchgen` or `python -m bench gen`
    sys.exit("use: phoihop benchgen --scale city|province|nation [--seed N]")
