"""Load two years of a province's dossiers into PostgreSQL with COPY, for the dossier benchmarks.

Creates the database when missing (``DATABASE_URL``, default
postgresql://postgres@127.0.0.1:5432/motcua_bench_dossiers) and migrates it.
Then, once each (a second run skips what is there):

1. the organisation, through the services: Tỉnh Bắc Ninh and its 99 communes
   and wards (official codes and names since 1 July 2025, ``shared/data``),
   each with a public service centre (a DEMO agency code), three offices and
   18 officers with their roles — 1,782 logins sharing one password;
2. the catalog: the 243 commune procedures of the demo seed, in force from
   2024-01-01 (so that two years back have a version), listed at every commune;
3. ``--dossiers`` dossiers (default 1,000,000) received over the two years
   before now, with their steps, events, documents, fees, results, deliveries
   and supplement requests, written with ``COPY`` in chunks (not the ORM): the
   secondary indexes and foreign keys of those tables are dropped first and
   rebuilt afterwards, all in one transaction, so an interrupted load leaves
   the database as it was. Code counters are set to the highest number used
   per agency and day, then everything is analysed.

The lifecycle of every dossier is the services' own (receive → handover to a
specialist → handover to a leader → result ready → returned, with supplement
requests, refusals, stops, results never collected and files stuck with one
officer), timed in working time on the real calendar and cut at "now": what
would have finished later is still open (one open step, assignee, deadline).

Usage: ``python bench/dossiers_load.py [--dossiers 1000000] [--seed 42] [--force]
[--chunk 25000] [--workers 1]``. Another ``DATABASE_URL`` keeps another volume
beside the first (10,000,000 dossiers: about 51 GB).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from catalog_search import ensure_database, setup_django

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/motcua_bench_dossiers"
BENCH_PASSWORD = "motcua-bench-2026"  # noqa: S105 - public, bench accounts only
PROVINCE_CODE = "24"  # Tỉnh Bắc Ninh: 99 communes and wards since 1 July 2025
UNITS_FILE = "admin_units/vn_admin_units_2025_34_3321_vietnamadminunits.csv"
CATALOG_FILE = "procedures/demo_seed_cap_xa_citizen_fields_full.jsonl"
REFORM_DATE = dt.date(2025, 7, 1)
VERSIONS_FROM = dt.date(2024, 1, 1)
YEARS = 2
STATE_TABLE = "bench_dossiers_load"

# The tables written with COPY, parents first.
TABLES = (
    "dossiers_dossier",
    "dossiers_dossierstep",
    "dossiers_dossierevent",
    "dossiers_dossierdocument",
    "dossiers_dossierfee",
    "dossiers_dossierresult",
    "dossiers_delivery",
    "dossiers_supplementrequest",
)
# Cleared too (rows that point at dossiers, and the counters).
OTHER_TABLES = ("dossiers_stopnotice", "dossiers_dossiercodecounter")


def database_url() -> str:
    return os.environ.get("DATABASE_URL") or DEFAULT_URL


# --- organisation -------------------------------------------------------------

# Offices under each commune: (code suffix, kind, name template).
CENTRE, OFFICE, ECONOMY, SOCIETY = "TTPVHCC", "VP", "KT", "VHXH"
# (username suffix, body, position, role); "" is the commune itself.
PEOPLE = (
    ("tiepnhan1", CENTRE, "Công chức tiếp nhận và trả kết quả", "counter_officer"),
    ("tiepnhan2", CENTRE, "Công chức tiếp nhận và trả kết quả", "counter_officer"),
    ("tiepnhan3", CENTRE, "Công chức tiếp nhận và trả kết quả", "counter_officer"),
    ("tiepnhan4", CENTRE, "Công chức tiếp nhận và trả kết quả", "counter_officer"),
    ("giamdoc", CENTRE, "Giám đốc Trung tâm", "head"),
    ("chanhvanphong", OFFICE, "Chánh Văn phòng HĐND và UBND", "head"),
    ("hotich", OFFICE, "Công chức Tư pháp - Hộ tịch", "specialist"),
    ("tuphap", OFFICE, "Công chức Tư pháp - Hộ tịch", "specialist"),
    ("vanphong", OFFICE, "Công chức Văn phòng - Thống kê", "specialist"),
    ("truongphongkt", ECONOMY, "Trưởng phòng", "head"),
    ("diachinh", ECONOMY, "Công chức Địa chính - Xây dựng", "specialist"),
    ("kinhte", ECONOMY, "Chuyên viên", "specialist"),
    ("truongphongvhxh", SOCIETY, "Trưởng phòng", "head"),
    ("laodong", SOCIETY, "Chuyên viên Lao động - Thương binh và Xã hội", "specialist"),
    ("vanhoa", SOCIETY, "Công chức Văn hóa - Xã hội", "specialist"),
    ("chutich", "", "Chủ tịch UBND", "leader"),
    ("phochutich1", "", "Phó Chủ tịch UBND", "leader"),
    ("phochutich2", "", "Phó Chủ tịch UBND", "leader"),
)

_FAMILY = (
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi",
    "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Đào", "Đinh", "Mai", "Trịnh", "Tạ", "Lương",
)  # fmt: skip
# Rough shares of the commonest family names (Nguyễn about a third).
_FAMILY_WEIGHTS = (
    32, 11, 9, 7, 5, 2, 4, 4, 2, 2, 2, 1.5, 1.3, 1.3, 1, 0.5, 0.8, 0.8, 0.6, 0.6, 0.3, 0.5,
)  # fmt: skip
_MIDDLE_WOMEN = ("Thị", "Ngọc", "Thu", "Thanh", "Minh", "Phương", "Bích", "Hồng", "Kim", "Mỹ")
_MIDDLE_MEN = ("Văn", "Đức", "Minh", "Quang", "Hữu", "Thành", "Công", "Xuân", "Tiến", "Đình")
_GIVEN_WOMEN = (
    "Lan", "Hà", "Mai", "Hương", "Thảo", "Ngân", "Trang", "Vân", "Yến", "Linh", "Hằng",
    "Nga", "Huệ", "Ngọc", "Anh", "Hạnh", "Dung", "Thủy", "Loan", "Nhung", "Oanh", "Quỳnh",
)  # fmt: skip
_GIVEN_MEN = (
    "An", "Bình", "Dũng", "Hùng", "Long", "Nam", "Sơn", "Tuấn", "Thắng", "Việt", "Khoa",
    "Phong", "Cường", "Giang", "Hải", "Hiếu", "Khánh", "Lâm", "Phúc", "Quân", "Tâm", "Trung",
)  # fmt: skip


def person_name(index: int) -> str:
    """The ``index``-th fictional officer name (stable across runs)."""
    women = index % 2 == 0
    middle = (_MIDDLE_WOMEN if women else _MIDDLE_MEN)[(index // 2) % 10]
    given = (_GIVEN_WOMEN if women else _GIVEN_MEN)[(index * 7 // 2) % 22]
    return f"{_FAMILY[(index * 5) % len(_FAMILY)]} {middle} {given}"


@dataclass
class Commune:
    """One commune or ward with its bodies and people (primary keys)."""

    unit_id: int
    code: str
    name: str
    centre_id: int
    agency_code: str
    offices: dict[str, int]
    counters: list[tuple[int, int]] = field(default_factory=list)  # (officer, user)
    specialists: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    leaders: list[tuple[int, int]] = field(default_factory=list)
    names: dict[int, str] = field(default_factory=dict)  # officer -> full name


def commune_rows() -> list[dict[str, str]]:
    from django.conf import settings

    path = Path(settings.SHARED_DATA_DIR) / UNITS_FILE
    with path.open(encoding="utf-8") as handle:
        return [row for row in csv.DictReader(handle) if row["province_code"] == PROVINCE_CODE]


def agency_code_for(index: int) -> str:
    # DEMO ONLY: shaped like an electronic agency identifier (Circular
    # 10/2016/TT-BTTTT); the real codes of these centres are not known to us.
    return f"000.{index // 100 + 20:02d}.{index % 100:02d}.H24"


def build_organisation() -> list[Commune]:
    """Create the province, its communes, bodies and officers once; return them."""
    from django.contrib.auth.hashers import make_password
    from django.db import transaction

    from motcua.accounts.constants import StaffCategory, UnitKind
    from motcua.accounts.models import Officer, Unit, User
    from motcua.accounts.services import officer_create, unit_create

    rows = commune_rows()
    province = Unit.objects.filter(code=PROVINCE_CODE, valid_from=REFORM_DATE).first()
    expected = len(rows) * len(PEOPLE)
    have = Officer.objects.filter(user__username__startswith="bn.").count()
    if province is None or have < expected:
        started = time.perf_counter()
        password = make_password(BENCH_PASSWORD)  # one Argon2 hash for every login
        with transaction.atomic():
            if province is None:
                province = unit_create(
                    code=PROVINCE_CODE,
                    name=rows[0]["province"],
                    short_name=rows[0]["province_short"],
                    kind=UnitKind.PROVINCE,
                    admin_type="Tỉnh",
                    valid_from=REFORM_DATE,
                )
            index = 0
            for number, row in enumerate(rows):
                commune = Unit.objects.filter(
                    code=row["ward_code"], valid_from=REFORM_DATE
                ).first()
                if commune is None:
                    commune = unit_create(
                        parent=province,
                        code=row["ward_code"],
                        name=row["ward"],
                        kind=UnitKind.COMMUNE,
                        admin_type=row["ward_type"],
                        valid_from=REFORM_DATE,
                    )
                label = row["ward"][0].lower() + row["ward"][1:]
                economy = (
                    "Phòng Kinh tế, Hạ tầng và Đô thị"
                    if row["ward_type"] == "Phường"
                    else "Phòng Kinh tế"
                )
                bodies = {"": commune}
                for suffix, kind, name in (
                    (CENTRE, UnitKind.SERVICE_CENTRE, "Trung tâm Phục vụ hành chính công"),
                    (OFFICE, UnitKind.DEPARTMENT, "Văn phòng HĐND và UBND"),
                    (ECONOMY, UnitKind.DEPARTMENT, economy),
                    (SOCIETY, UnitKind.DEPARTMENT, "Phòng Văn hóa - Xã hội"),
                ):
                    code = f"{row['ward_code']}.{suffix}"
                    body = Unit.objects.filter(code=code, valid_from=REFORM_DATE).first()
                    if body is None:
                        body = unit_create(
                            parent=commune,
                            code=code,
                            name=f"{name} {label}",
                            short_name=name,
                            kind=kind,
                            valid_from=REFORM_DATE,
                            agency_code=agency_code_for(number) if suffix == CENTRE else "",
                        )
                    bodies[suffix] = body
                for suffix, body, position, role in PEOPLE:
                    username = f"bn.{row['ward_code']}.{suffix}"
                    index += 1
                    if User.objects.filter(username=username).exists():
                        continue
                    officer_create(
                        actor=None,
                        unit=bodies[body],
                        username=username,
                        full_name=person_name(index),
                        roles=[role],
                        position=position,
                        category=(
                            StaffCategory.CADRE
                            if role == "leader"
                            else StaffCategory.CIVIL_SERVANT
                        ),
                    )
            User.objects.filter(username__startswith="bn.").update(password=password)
        print(
            f"organisation: {len(rows)} communes, {expected} officers created "
            f"in {time.perf_counter() - started:.1f} s"
        )
    return load_organisation(rows)


def load_organisation(rows: list[dict[str, str]]) -> list[Commune]:
    from motcua.accounts.models import Officer, Unit

    units = {unit.code: unit for unit in Unit.objects.filter(valid_from=REFORM_DATE)}
    officers = list(
        Officer.objects.filter(user__username__startswith="bn.")
        .select_related("user")
        .order_by("pk")
    )
    by_username = {officer.user.username: officer for officer in officers}
    communes = []
    for row in rows:
        code = row["ward_code"]
        centre = units[f"{code}.{CENTRE}"]
        commune = Commune(
            unit_id=units[code].pk,
            code=code,
            name=row["ward"],
            centre_id=centre.pk,
            agency_code=centre.agency_code,
            offices={
                suffix: units[f"{code}.{suffix}"].pk for suffix in (OFFICE, ECONOMY, SOCIETY)
            },
        )
        for suffix, body, _position, role in PEOPLE:
            officer = by_username[f"bn.{code}.{suffix}"]
            pair = (officer.pk, officer.user_id)
            commune.names[officer.pk] = officer.user.full_name
            if role == "counter_officer":
                commune.counters.append(pair)
            elif role == "specialist":
                commune.specialists.setdefault(body, []).append(pair)
            elif role == "leader":
                commune.leaders.append(pair)
        communes.append(commune)
    return communes


# --- catalog ------------------------------------------------------------------


def load_catalog(communes: list[Commune]) -> None:
    """Import the 243 commune procedures once and list them at every commune."""
    from django.conf import settings
    from django.db import connection

    from motcua.catalog.models import Procedure, ProcedureUnit, ProcedureVersion
    from motcua.catalog.services import catalog_import
    from motcua.workcalendar.services import calendar_load_official

    calendar_load_official()
    if Procedure.objects.count() < 243:
        started = time.perf_counter()
        report = catalog_import(path=Path(settings.SHARED_DATA_DIR) / CATALOG_FILE)
        # Published "today" by the import; the dossiers go two years back.
        ProcedureVersion.objects.filter(effective_from__gt=VERSIONS_FROM).update(
            effective_from=VERSIONS_FROM
        )
        print(
            f"catalog: {report.created} procedures imported, {report.rejected} rejected, "
            f"in {time.perf_counter() - started:.1f} s"
        )
    procedures = list(Procedure.objects.filter(is_listed=True).values_list("pk", flat=True))
    listed = set(ProcedureUnit.objects.values_list("procedure_id", "unit_id"))
    missing = [
        ProcedureUnit(procedure_id=procedure, unit_id=commune.unit_id)
        for commune in communes
        for procedure in procedures
        if (procedure, commune.unit_id) not in listed
    ]
    ProcedureUnit.objects.bulk_create(missing, batch_size=5000)
    if missing:
        print(f"catalog: {len(missing)} listings at {len(communes)} communes")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


# --- the world the generator draws from ---------------------------------------

# Share of a commune's dossiers by field (certification and civil status lead).
FIELD_WEIGHTS = {
    "Hộ tịch": 24, "Chứng thực": 18, "Đăng ký, quản lý cư trú": 10,
    "Cấp, quản lý căn cước": 6, "Định danh và xác thực điện tử": 3, "Đất đai": 9,
    "Thực hiện chính sách BHXH": 5, "Người có công": 2, "Giảm nghèo": 2, "Chính sách": 1,
    "Hoạt động xây dựng": 4, "Nhà ở và công sở": 1, "Đăng ký biện pháp bảo đảm": 2,
    "Thành lập và hoạt động của tổ hợp tác, hợp tác xã, liên hiệp hợp tác xã": 2,
    "Nông nghiệp": 2, "Thủy lợi": 1, "Lâm nghiệp": 1, "Hòa giải ở cơ sở": 1,
}  # fmt: skip
OTHER_FIELD_WEIGHT = 0.5
OFFICE_FIELDS = {
    "Hộ tịch", "Chứng thực", "Đăng ký, quản lý cư trú", "Cấp, quản lý căn cước",
    "Định danh và xác thực điện tử", "Hòa giải ở cơ sở", "Nuôi con nuôi", "Khiếu nại, tố cáo",
    "Bồi thường nhà nước", "Đăng ký biện pháp bảo đảm",
}  # fmt: skip
SOCIETY_FIELDS = {
    "Thực hiện chính sách BHXH", "Người có công", "Giảm nghèo", "Chính sách",
    "Quản lý Đê điều và Phòng, chống thiên tai",
}  # fmt: skip
ORGANISATION_FIELDS = {
    "Thành lập và hoạt động của tổ hợp tác, hợp tác xã, liên hiệp hợp tác xã",
    "Hỗ trợ tổ hợp tác, hợp tác xã, liên hiệp hợp tác xã", "Thủy lợi",
}  # fmt: skip

# How dossiers go (shares): the rest go straight through.
SCENARIOS = (
    ("normal", 0.875),
    ("supplement", 0.040),  # supplement requested once, brought back
    ("supplement_abandoned", 0.004),  # never brought back: waits for ever
    ("refused", 0.015),  # refused at signing
    ("stopped", 0.005),  # stopped at the applicant's request during processing
    ("stuck", 0.006),  # processing never finished: late for ever in an inbox
    ("uncollected", 0.025),  # result never collected: waits at the counter
    ("late", 0.030),  # processing overruns its share
)
(NORMAL, SUPPLEMENT, ABANDONED, REFUSED, STOPPED, STUCK, UNCOLLECTED, LATE) = range(8)
ONLINE_SHARE = 0.25
POSTAL_SHARE = 0.03
REMINDER_DAYS = (3, 10, 30)
SUPPLEMENT_REASON = "Giấy tờ nộp chưa đúng mẫu quy định, đề nghị bổ sung bản chính."
REFUSAL_REASON = "Hồ sơ không đủ điều kiện giải quyết theo quy định."
STOP_DECISION = "Dừng giải quyết hồ sơ theo đề nghị của người nộp hồ sơ."
LEGAL_BASIS = {"2018": "Nghị định 61/2018/NĐ-CP", "2025": "Nghị định 118/2025/NĐ-CP"}
NOW_SLACK = 0  # dossiers end at the load's "now"


def copy_text(value: str) -> str:
    """``value`` escaped for COPY's text format."""
    return (
        value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    )


def json_text(value: Any) -> str:
    return copy_text(json.dumps(value, ensure_ascii=False))


@dataclass
class ProcedureSpec:
    """What the generator needs of one procedure version (strings already COPY-escaped)."""

    version_id: int
    procedure_id: int
    field: str
    office: str
    kind: str  # working_days, days, working_hours, same_day, months
    value: float
    steps: list[tuple[int, str, int]]  # (process step id, name, share in working seconds)
    documents: list[tuple[int, str, int, int]]  # (required document id, name, originals, copies)
    supplement_items: str  # the items of a supplement request for the first document, as JSON
    fee: tuple[str, int] | None
    result_name: str
    document_required: bool
    online: bool
    organisation: bool
    weight: float = 0.0


@dataclass
class World:
    """Everything a chunk needs, built once and shared with the worker processes."""

    seed: int
    now: dt.datetime
    day_length: int
    sessions: tuple[tuple[int, int], ...]
    working_ords: list[int]
    first_working: list[int]  # calendar ordinal - base -> index of first working day on/after
    base_ord: int
    start_pos: int
    now_pos: int
    communes: list[Commune]
    commune_weights: np.ndarray
    procedures: list[ProcedureSpec]
    procedure_weights: np.ndarray
    names: list[tuple[str, str]]  # (name, folded) — people
    organisations: list[tuple[str, str]]
    villages: list[list[str]]  # per commune
    # Strings by index, for fast timestamps.
    wday: list[str] = field(default_factory=list)  # "YYYY-MM-DD " per working day index
    wclose: list[str] = field(default_factory=list)  # close of each working day
    wyymmdd: list[str] = field(default_factory=list)  # code part per working day index
    wrule: list[str] = field(default_factory=list)  # rule set per working day index
    tod: list[str] = field(default_factory=list)  # "HH:MM:SS+07" per second of the day


WORLD: World | None = None


def build_world(communes: list[Commune], *, seed: int, now: dt.datetime) -> World:
    """The calendar, procedures, weights and name pools (deterministic for a seed)."""
    from motcua.accounts.models import Unit
    from motcua.catalog.models import ProcedureVersion
    from motcua.catalog.selectors import version_period
    from motcua.core.text import fold
    from motcua.dossiers.constants import rule_set_for
    from motcua.workcalendar.engine import TZ
    from motcua.workcalendar.selectors import calendar_for_unit

    rng = np.random.default_rng(seed)
    calendar = calendar_for_unit(unit=Unit.objects.get(pk=communes[0].centre_id))
    sessions = tuple(
        (a.hour * 3600 + a.minute * 60, b.hour * 3600 + b.minute * 60)
        for a, b in calendar.schedule.sessions
    )
    if len(sessions) != 2:
        raise SystemExit("the generator expects two working sessions a day")
    now_local = now.astimezone(TZ)
    first_day = now_local.date().replace(year=now_local.year - YEARS) - dt.timedelta(days=10)
    last_day = now_local.date() + dt.timedelta(days=3 * 366)
    working = calendar.working_days(first_day, last_day)
    working_ords = [day.toordinal() for day in working]
    base = first_day.toordinal()
    first_working = []
    index = 0
    for ordinal in range(base, last_day.toordinal() + 2):
        while index < len(working_ords) and working_ords[index] < ordinal:
            index += 1
        first_working.append(index)
    day_length = calendar.day_length
    start_ord = now_local.date().replace(year=now_local.year - YEARS).toordinal()
    start_pos = first_working[start_ord - base] * day_length
    today_index = first_working[now_local.toordinal() - base]
    seconds = now_local.hour * 3600 + now_local.minute * 60 + now_local.second
    offset = 0
    if working_ords[today_index] == now_local.toordinal():
        for a, b in sessions:
            if seconds > a:
                offset += min(seconds, b) - a
    now_pos = today_index * day_length + offset

    procedures = []
    versions = (
        ProcedureVersion.objects.filter(status="published")
        .select_related("procedure")
        .prefetch_related("methods__fees", "documents", "process_steps", "results")
        .order_by("procedure__code")
    )
    for version in versions:
        steps = sorted(version.process_steps.all(), key=lambda step: step.position)
        period = version_period(version=version, channel="in_person") or version_period(
            version=version
        )
        if period is None or len(steps) != 4:
            continue  # needs review in the demo seed: no dossiers for it
        documents = [d for d in version.documents.all() if d.required] or list(
            version.documents.all()
        )[:2]
        documents = sorted(documents, key=lambda d: d.position)[:6]
        fee = None
        for method in version.methods.all():
            if method.channel == "in_person":
                for item in method.fees.all():
                    if not item.free:
                        amount = (
                            item.amount
                            or (10_000, 20_000, 30_000, 50_000)[version.procedure_id % 4]
                        )
                        fee = (copy_text(str(item.get_kind_display())), int(amount))
                        break
        results = sorted(version.results.all(), key=lambda r: r.position)
        field_name = version.procedure.field
        office = (
            OFFICE
            if field_name in OFFICE_FIELDS
            else SOCIETY
            if field_name in SOCIETY_FIELDS
            else ECONOMY
        )
        procedures.append(
            ProcedureSpec(
                version_id=version.pk,
                procedure_id=version.procedure_id,
                field=field_name,
                office=office,
                kind=str(period.unit),
                value=float(period.value),
                steps=[
                    (
                        step.pk,
                        copy_text(step.name),
                        int(
                            float(step.share_value)
                            * (3600 if step.share_unit == "working_hours" else day_length)
                        ),
                    )
                    for step in steps
                ],
                documents=[
                    (d.pk, copy_text(d.name), d.originals or (0 if d.copies else 1), d.copies)
                    for d in documents
                ],
                supplement_items=json_text(
                    [
                        {
                            "required_document_id": document.pk,
                            "name": document.name,
                            "originals": document.originals,
                            "copies": document.copies,
                            "reason": SUPPLEMENT_REASON,
                        }
                        for document in documents[:1]
                    ]
                ),
                fee=fee,
                result_name=copy_text((results[0].name if results else version.name)[:500]),
                document_required=version.result_document_required,
                online=any(m.channel == "online" for m in version.methods.all()),
                organisation=field_name in ORGANISATION_FIELDS,
            )
        )
    # Field shares, then a Zipf-like spread inside each field.
    by_field: dict[str, list[ProcedureSpec]] = {}
    for spec in procedures:
        by_field.setdefault(spec.field, []).append(spec)
    for name, specs in by_field.items():
        order = rng.permutation(len(specs))
        ranks = np.empty(len(specs))
        ranks[order] = np.arange(1, len(specs) + 1)
        shares = 1 / ranks
        shares /= shares.sum()
        for spec, share in zip(specs, shares, strict=True):
            spec.weight = FIELD_WEIGHTS.get(name, OTHER_FIELD_WEIGHT) * share
    procedure_weights = np.array([spec.weight for spec in procedures])
    procedure_weights /= procedure_weights.sum()

    # Communes: wards bigger than rural communes; a lognormal spread (about 10x).
    commune_weights = rng.lognormal(0, 0.6, len(communes))
    for number, commune in enumerate(communes):
        if commune.name.startswith("Phường"):
            commune_weights[number] *= 1.8
    commune_weights /= commune_weights.sum()

    names = []
    count = 40_000
    family_p = np.array(_FAMILY_WEIGHTS) / sum(_FAMILY_WEIGHTS)
    families = rng.choice(len(_FAMILY), count, p=family_p).tolist()
    middles = rng.integers(0, 10, count).tolist()
    givens = rng.integers(0, len(_GIVEN_MEN), (count, 2)).tolist()
    for index in range(count):
        women = index % 2 == 0
        middle = (_MIDDLE_WOMEN if women else _MIDDLE_MEN)[middles[index]]
        pool = _GIVEN_WOMEN if women else _GIVEN_MEN
        given, second = pool[givens[index][0]], pool[givens[index][1]]
        family = _FAMILY[families[index]]
        name = (
            f"{family} {middle} {second} {given}"
            if index % 5 == 0
            else f"{family} {middle} {given}"
        )
        names.append((name, fold(name)))
    organisations = []
    for index in range(2_000):
        kind = ("Hợp tác xã", "Công ty TNHH", "Tổ hợp tác", "Công ty cổ phần")[index % 4]
        word = rng.choice(("Nông nghiệp", "Dịch vụ", "Thương mại", "Xây dựng", "Thủy sản"))
        place = rng.choice([commune.name.split(" ", 1)[1] for commune in communes])
        name = f"{kind} {word} {place} {index + 1}"
        organisations.append((name, fold(name)))
    villages = []
    for commune in communes:
        place = commune.name
        if place.startswith("Phường"):
            parts = [f"Tổ dân phố {n}" for n in range(1, 21)]
        else:
            parts = [
                f"Thôn {rng.choice(('Đông', 'Tây', 'Nam', 'Bắc', 'Thượng', 'Hạ', 'Trung'))} {n}"
                for n in range(1, 21)
            ]
        villages.append([f"{part}, {place}, tỉnh Bắc Ninh" for part in parts])

    world = World(
        seed=seed,
        now=now,
        day_length=day_length,
        sessions=sessions,
        working_ords=working_ords,
        first_working=first_working,
        base_ord=base,
        start_pos=start_pos,
        now_pos=now_pos,
        communes=communes,
        commune_weights=commune_weights,
        procedures=procedures,
        procedure_weights=procedure_weights,
        names=names,
        organisations=organisations,
        villages=villages,
    )
    for ordinal in working_ords:
        day = dt.date.fromordinal(ordinal)
        world.wday.append(f"{day:%Y-%m-%d} ")
        world.wyymmdd.append(f"{day:%y%m%d}")
        world.wrule.append(str(rule_set_for(day)))
    close = sessions[-1][1]
    world.wclose = [
        f"{prefix}{close // 3600:02d}:{close // 60 % 60:02d}:00+07" for prefix in world.wday
    ]
    world.tod = [
        f"{second // 3600:02d}:{second // 60 % 60:02d}:{second % 60:02d}+07"
        for second in range(86_400)
    ]
    return world


# --- generation ---------------------------------------------------------------

DOSSIER_COLS = (
    "id", "created_at", "updated_at", "code", "reference", "lookup_secret", "status",
    "rule_set", "channel", "applicant_kind", "applicant_name", "applicant_id_number",
    "applicant_phone", "applicant_email", "applicant_address", "applicant_search",
    "submitted_at", "received_at", "received_outside_hours", "appointment_original",
    "appointment", "paused_at", "paused_seconds", "processed_at", "returned_at", "ended_at",
    "outcome", "return_channel", "result_location", "reminders_sent", "last_reminded_at",
    "supplement_requests", "event_count", "idempotency_key", "bundle_id", "citizen_id",
    "procedure_version_id", "processing_unit_id", "received_by_id", "receiving_unit_id",
    "participants",
)  # fmt: skip
STEP_COLS = (
    "id", "dossier_id", "sequence", "process_step_id", "name", "unit_id", "agency_name",
    "assignee_id", "handed_over_by_id", "started_at", "due_at", "finished_at",
    "finished_by_id", "outcome", "note",
)  # fmt: skip
EVENT_COLS = (
    "dossier_id", "sequence", "at", "actor_id", "unit_id", "action", "from_status",
    "to_status", "step_id", "reason", "legal_basis", "internal", "data",
)  # fmt: skip
DOCUMENT_COLS = (
    "dossier_id", "required_document_id", "name", "originals", "copies", "file", "digitised",
    "reused_from_data", "from_supplement", "received_at",
)  # fmt: skip
FEE_COLS = (
    "dossier_id", "name", "amount", "exempt", "exemption_basis", "payment_channel",
    "receipt_number", "paid_at",
)  # fmt: skip
RESULT_COLS = (
    "created_at", "updated_at", "dossier_id", "procedure_id", "name", "document_number",
    "result_code", "file", "signer_id", "signed_at", "is_refusal",
)  # fmt: skip
DELIVERY_COLS = (
    "created_at", "updated_at", "dossier_id", "channel", "delivered_at", "delivered_by_id",
    "recipient_name", "recipient_id_number", "postal_tracking_number", "acknowledgement",
)  # fmt: skip
SUPPLEMENT_COLS = (
    "created_at", "updated_at", "dossier_id", "during_processing", "number", "requested_at",
    "requested_by_id", "reason", "items", "received_at",
)  # fmt: skip
STOP_COLS = (
    "created_at", "updated_at", "dossier_id", "cause", "requested_at", "stage", "decision",
    "fee_handling", "decided_by_id",
)  # fmt: skip
COLUMNS = {
    "dossiers_dossier": DOSSIER_COLS,
    "dossiers_dossierstep": STEP_COLS,
    "dossiers_dossierevent": EVENT_COLS,
    "dossiers_dossierdocument": DOCUMENT_COLS,
    "dossiers_dossierfee": FEE_COLS,
    "dossiers_dossierresult": RESULT_COLS,
    "dossiers_delivery": DELIVERY_COLS,
    "dossiers_supplementrequest": SUPPLEMENT_COLS,
    "dossiers_stopnotice": STOP_COLS,
}
COPY_TABLES = tuple(COLUMNS)

_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # as dossier_reference_new
_PAIRS = [a + b for a in _ALPHABET for b in _ALPHABET]
_SPACE = 31**10
NULL = "\\N"


def reference_for(dossier_id: int, seed: int) -> str:
    """A unique 'HS' + 10 characters per id (a bijection modulo 31**10)."""
    x = (dossier_id * 2654435761 + seed * 7919) % _SPACE
    out = []
    for _ in range(5):
        x, r = divmod(x, 961)
        out.append(_PAIRS[r])
    return "HS" + "".join(out)


@dataclass
class Chunk:
    """Whole working days, so that code numbers per agency and day are complete."""

    number: int
    first_id: int
    first_step_id: int
    days: list[tuple[int, int]]  # (working day index, dossiers)

    @property
    def size(self) -> int:
        return sum(count for _, count in self.days)


def plan(world: World, total: int, chunk_size: int) -> list[Chunk]:
    """Dossiers per working day (growing by a third over two years), grouped in chunks."""
    rng = np.random.default_rng([world.seed, 1])
    L = world.day_length
    first, last = world.start_pos // L, world.now_pos // L
    days = np.arange(first, last + 1)
    weights = 1 + 0.33 * (days - first) / max(1, last - first)
    weights = weights * rng.uniform(0.85, 1.15, len(days))
    weights[-1] *= (world.now_pos - last * L) / L  # today, so far
    counts = rng.multinomial(total, weights / weights.sum())
    chunks: list[Chunk] = []
    current: list[tuple[int, int]] = []
    first_id = 1
    running = 0
    for day, count in zip(days.tolist(), counts.tolist(), strict=True):
        current.append((day, count))
        running += count
        if running >= chunk_size:
            chunks.append(Chunk(len(chunks), first_id, 4 * (first_id - 1) + 1, current))
            first_id += running
            current, running = [], 0
    if current:
        chunks.append(Chunk(len(chunks), first_id, 4 * (first_id - 1) + 1, current))
    return chunks


def generate(chunk: Chunk) -> tuple[dict[str, bytes], dict[tuple[str, str], int], dict[str, int]]:
    """The COPY text of every table for one chunk, its code counters and its row counts."""
    world = WORLD
    assert world is not None
    rng = np.random.default_rng([world.seed, 2, chunk.number])
    L = world.day_length
    (a1, b1), (a2, _b2) = world.sessions
    len1 = b1 - a1
    wday, wclose, tod, wyymmdd, wrule = (
        world.wday, world.wclose, world.tod, world.wyymmdd, world.wrule,
    )  # fmt: skip
    now_pos = world.now_pos
    seed = world.seed
    n = chunk.size

    def ts(p: int) -> str:
        i, r = divmod(p, L)
        if r == 0 and i > 0:
            return wclose[i - 1]
        return wday[i] + tod[a1 + r if r <= len1 else a2 + r - len1]

    def outcome(finished: int, due: int) -> str:
        if finished > due:
            return "late"
        if (finished - 1) // L < (due - 1) // L:
            return "early"
        return "on_time"

    # Received instants: sorted within each day; today only up to now.
    t0s = []
    for day, count in chunk.days:
        span = min(L, now_pos - day * L) if day == now_pos // L else L
        t0s.append(np.sort(rng.integers(day * L + 60, day * L + max(span, 120), count)))
    t0_all = np.concatenate(t0s).tolist() if t0s else []
    communes_ix = rng.choice(len(world.communes), n, p=world.commune_weights).tolist()
    procs_ix = rng.choice(len(world.procedures), n, p=world.procedure_weights).tolist()
    scen_p = np.array([share for _, share in SCENARIOS])
    scenarios = rng.choice(len(SCENARIOS), n, p=scen_p / scen_p.sum()).tolist()
    channel_u = rng.random(n).tolist()
    counter_ix = rng.choice(4, n, p=[0.4, 0.3, 0.2, 0.1]).tolist()
    spec_u = rng.random(n).tolist()
    leader_ix = rng.choice(3, n, p=[0.3, 0.4, 0.3]).tolist()
    names_ix = rng.integers(0, len(world.names), n).tolist()
    orgs_ix = rng.integers(0, len(world.organisations), n).tolist()
    numbers = rng.integers(0, 10**9, (n, 4)).tolist()
    u = rng.random((n, 8)).tolist()
    d1s = (rng.lognormal(np.log(2400), 0.8, n)).astype(np.int64).tolist()
    d2f = rng.beta(2, 3, n).tolist()
    d3s = (rng.lognormal(np.log(5400), 0.7, n)).astype(np.int64).tolist()
    d4s = (rng.exponential(1.2 * L, n)).astype(np.int64).tolist()
    accept_delay = (rng.exponential(0.15 * L, n)).astype(np.int64).tolist()
    pauses = (rng.exponential(3 * L, n) + 0.2 * L).astype(np.int64).tolist()

    dossiers: list[str] = []
    steps: list[str] = []
    events: list[str] = []
    documents: list[str] = []
    fees: list[str] = []
    results: list[str] = []
    deliveries: list[str] = []
    supplements: list[str] = []
    stops: list[str] = []
    code_numbers: dict[tuple[int, int], int] = {}
    step_id = chunk.first_step_id
    procedures = world.procedures
    communes = world.communes

    for k in range(n):
        dossier_id = chunk.first_id + k
        t0 = t0_all[k]
        commune = communes[communes_ix[k]]
        spec = procedures[procs_ix[k]]
        scenario = scenarios[k]
        uk = u[k]
        nums = numbers[k]
        day = t0 // L
        rule = wrule[day]
        legal = LEGAL_BASIS[rule]
        if not spec.documents and scenario in (SUPPLEMENT, ABANDONED):
            scenario = NORMAL
        # Channel and who.
        cu = channel_u[k]
        online = spec.online and cu < ONLINE_SHARE
        postal = not online and cu > 1 - POSTAL_SHARE
        channel = "online" if online else "postal" if postal else "in_person"
        if online:
            return_channel = "online" if uk[0] < 0.7 else "counter"
        else:
            return_channel = "postal" if postal or uk[0] < 0.07 else "counter"
        counter_officer, counter_user = commune.counters[counter_ix[k]]
        office_people = commune.specialists[spec.office]
        spec_officer, spec_user = office_people[
            0 if spec_u[k] < 0.6 else 1 if spec_u[k] < 0.9 or len(office_people) < 3 else 2
        ]
        leader_officer, leader_user = commune.leaders[leader_ix[k]]
        office_unit = commune.offices[spec.office]
        centre = commune.centre_id
        # Applicant.
        if spec.organisation and uk[1] < 0.8:
            applicant_kind = "organisation"
            name, folded = world.organisations[orgs_ix[k]]
            id_number = f"{2300000000 + nums[0] % 99999999:010d}"
        else:
            applicant_kind = "person"
            name, folded = world.names[names_ix[k]]
            id_number = f"027{nums[0] % 4}{nums[0] // 4 % 60 + 40:02d}{nums[1] % 1000000:06d}"
        phone = f"0{(3, 9, 9, 8, 7)[nums[2] % 5]}{nums[2] // 5 % 100000000:08d}"
        email = f"{folded.split()[-1]}{nums[3] % 10000}@gmail.com" if uk[2] < 0.25 else ""
        villages = world.villages[communes_ix[k]]
        address = f"Số {nums[3] % 200 + 1}, {villages[nums[3] // 200 % len(villages)]}"

        # The lifecycle, in working-time positions, cut at now.
        seq_event = 0
        ev: list[str] = []
        st: list[str] = []
        status = "in_progress"
        code = NULL
        received_at = ts(t0)
        clock = a1 + (t0 % L) if t0 % L <= len1 else a2 + t0 % L - len1
        submitted = wday[day] + tod[max(0, clock - int(uk[3] * 7200))] if online else received_at
        created = submitted
        last_at = submitted

        def event(
            at: str,
            actor: object,
            unit: object,
            action: str,
            from_status: str,
            to_status: str,
            step: object,
            data: str = "{}",
            reason: str = "",
        ) -> None:
            # Called only within this dossier's iteration: the loop variables are current.
            nonlocal seq_event, last_at
            seq_event += 1
            last_at = at
            ev.append(  # noqa: B023
                f"{dossier_id}\t{seq_event}\t{at}\t{actor}\t{unit}\t{action}\t{from_status}\t"  # noqa: B023
                f"{to_status}\t{step}\t{reason}\t{legal}\tf\t{data}\n"  # noqa: B023
            )

        # Appointment (R5): close of the Nth working day after receipt, etc.
        kind, value = spec.kind, spec.value
        if kind == "working_days" and value == int(value):
            appointment = (day + int(value) + 1) * L
        elif kind == "working_days":
            appointment = t0 + int(value * L)
        elif kind == "working_hours":
            appointment = t0 + int(value * 3600)
        elif kind == "days" or kind == "months":
            days = int(value) if kind == "days" else int(value) * 30
            ordinal = world.working_ords[day] + days
            appointment = (world.first_working[ordinal - world.base_ord] + 1) * L
        else:  # same day
            appointment = (day + 1) * L if clock <= 15 * 3600 else (day + 2) * L
        appointment_original = appointment
        paused_at = NULL
        paused_seconds = 0
        processed_at = returned_at = ended_at = NULL
        dossier_outcome = ""
        reminders = 0
        last_reminded = NULL
        supplement_requests = 0
        received_by = counter_officer
        (ps1, name1, share1), (ps2, name2, share2), (ps3, name3, share3), (ps4, name4, share4) = (
            spec.steps
        )

        if online:
            event(submitted, NULL, NULL, "submit_online", "", "submitted", NULL)
        accepted = t0 + accept_delay[k] if online else t0
        if online and accepted > now_pos:
            status = "submitted"
            received_at = NULL
            received_by = NULL
            appointment = appointment_original = None
        else:
            number = code_numbers.get((communes_ix[k], day), 0) + 1
            code_numbers[(communes_ix[k], day)] = number
            code = f"{commune.agency_code}-{wyymmdd[day]}-{number:04d}"
            s1 = step_id
            step_id += 1
            due1 = t0 + share1
            receipt = (
                f'{{"code": "{code}", "appointment": "{ts(appointment)}", "outside_hours": false}}'
            )
            if online:
                event(
                    ts(accepted), counter_user, centre, "accept_online", "submitted",
                    "in_progress", s1, receipt[:-1] + f', "received_at": "{received_at}"}}',
                )  # fmt: skip
            else:
                event(received_at, counter_user, centre, "receive", "", "in_progress", s1, receipt)
            t1 = accepted + max(120, d1s[k])
            if uk[4] < 0.03:
                t1 += int(L * (0.5 + uk[5]))
            if t1 > now_pos:
                st.append(
                    f"{s1}\t{dossier_id}\t1\t{ps1}\t{name1}\t{centre}\t\t{counter_officer}\t"
                    f"{NULL}\t{received_at}\t{ts(due1)}\t{NULL}\t{NULL}\t\t\n"
                )
            else:
                o1 = outcome(t1, due1)
                st.append(
                    f"{s1}\t{dossier_id}\t1\t{ps1}\t{name1}\t{centre}\t\t{counter_officer}\t"
                    f"{NULL}\t{received_at}\t{ts(due1)}\t{ts(t1)}\t{counter_officer}\t{o1}\t\n"
                )
                s2 = step_id
                step_id += 1
                due2 = t1 + share2
                event(
                    ts(t1), counter_user, centre, "handover", "in_progress", "in_progress", s2,
                    f'{{"from_step": 1, "outcome": "{o1}", "to": {spec_officer}, '
                    f'"to_name": "{commune.names[spec_officer]}"}}',
                )  # fmt: skip
                d2 = max(900, int(share2 * d2f[k]))
                if scenario == LATE:
                    d2 = int(share2 * (1.05 + uk[5]))
                t2 = t1 + d2
                open_step = None  # (started, due) when step 2 stays open
                if scenario == STUCK:
                    t2 = 1 << 62
                if scenario in (SUPPLEMENT, ABANDONED):
                    ts_pos = t1 + min(int((0.1 + 0.4 * uk[5]) * share2), 2 * L) + 300
                    if ts_pos <= now_pos:
                        supplement_requests = 1
                        event(
                            ts(ts_pos), spec_user, NULL, "request_supplement", "in_progress",
                            "supplement_requested", s2,
                            f'{{"items": {spec.supplement_items}, "sector_rule": ""}}',
                            SUPPLEMENT_REASON,
                        )  # fmt: skip
                        status = "supplement_requested"
                        paused_at = ts(ts_pos)
                        tr = ts_pos + pauses[k] if scenario == SUPPLEMENT else 1 << 62
                        supplement_received = NULL
                        if tr <= now_pos:
                            pause = tr - ts_pos
                            paused_seconds = pause
                            appointment += pause
                            due2 += pause
                            paused_at = NULL
                            status = "in_progress"
                            supplement_received = ts(tr)
                            event(
                                supplement_received, counter_user, NULL, "receive_supplement",
                                "supplement_requested", "in_progress", s2,
                                f'{{"appointment": "{ts(appointment)}", '
                                f'"paused_seconds": {pause}}}',
                            )  # fmt: skip
                            first = spec.documents[0]
                            documents.append(
                                f"{dossier_id}\t{first[0]}\t{first[1]}\t{first[2]}\t{first[3]}"
                                f"\t\tf\tf\tt\t{supplement_received}\n"
                            )
                            t2 = tr + max(900, d2 - (ts_pos - t1))
                        else:
                            t2 = 1 << 62
                        supplements.append(
                            f"{ts(ts_pos)}\t{last_at}\t{dossier_id}\tt\t\t{ts(ts_pos)}\t"
                            f"{spec_officer}\t{SUPPLEMENT_REASON}\t{spec.supplement_items}\t"
                            f"{supplement_received}\n"
                        )
                if scenario == STOPPED:
                    stop = t1 + int(d2 * (0.2 + 0.6 * uk[5]))
                    if stop <= now_pos:
                        stop_at = ts(stop)
                        st.append(
                            f"{s2}\t{dossier_id}\t2\t{ps2}\t{name2}\t{office_unit}\t\t"
                            f"{spec_officer}\t{counter_officer}\t{ts(t1)}\t{ts(due2)}\t"
                            f"{stop_at}\t{leader_officer}\t\t{STOP_DECISION}\n"
                        )
                        event(
                            stop_at, leader_user, NULL, "stop", "in_progress", "stopped", s2,
                            '{"cause": "applicant_request", "fee_handling": ""}', STOP_DECISION,
                        )  # fmt: skip
                        stops.append(
                            f"{stop_at}\t{stop_at}\t{dossier_id}\tapplicant_request\t{stop_at}\t"
                            f"{name2}\t{STOP_DECISION}\t\t{leader_officer}\n"
                        )
                        status = "stopped"
                        ended_at = stop_at
                        dossier_outcome = outcome(stop, appointment)
                        t2 = -1
                if t2 == -1:
                    pass
                elif t2 > now_pos:
                    open_step = (t1, due2)
                else:
                    o2 = outcome(t2, due2)
                    st.append(
                        f"{s2}\t{dossier_id}\t2\t{ps2}\t{name2}\t{office_unit}\t\t{spec_officer}\t"
                        f"{counter_officer}\t{ts(t1)}\t{ts(due2)}\t{ts(t2)}\t{spec_officer}\t"
                        f"{o2}\t\n"
                    )
                    s3 = step_id
                    step_id += 1
                    due3 = t2 + share3
                    event(
                        ts(t2), spec_user, office_unit, "handover", "in_progress", "in_progress",
                        s3,
                        f'{{"from_step": 2, "outcome": "{o2}", "to": {leader_officer}, '
                        f'"to_name": "{commune.names[leader_officer]}"}}',
                    )  # fmt: skip
                    t3 = t2 + max(300, d3s[k])
                    if uk[6] < 0.04:
                        t3 += int(L * (0.5 + uk[5]))
                    if t3 > now_pos:
                        st.append(
                            f"{s3}\t{dossier_id}\t3\t{ps3}\t{name3}\t{commune.unit_id}\t\t"
                            f"{leader_officer}\t{spec_officer}\t{ts(t2)}\t{ts(due3)}\t{NULL}\t"
                            f"{NULL}\t\t\n"
                        )
                    elif scenario == REFUSED:
                        refused_at = ts(t3)
                        st.append(
                            f"{s3}\t{dossier_id}\t3\t{ps3}\t{name3}\t{commune.unit_id}\t\t"
                            f"{leader_officer}\t{spec_officer}\t{ts(t2)}\t{ts(due3)}\t"
                            f"{refused_at}\t{leader_officer}\t{outcome(t3, due3)}\t"
                            f"{REFUSAL_REASON}\n"
                        )
                        results.append(
                            f"{refused_at}\t{refused_at}\t{dossier_id}\t{spec.procedure_id}\t"
                            "Văn bản từ chối giải quyết\t\t\t\t"
                            f"{leader_officer}\t{refused_at}\tt\n"
                        )
                        event(refused_at, leader_user, NULL, "refuse", "in_progress", "refused",
                              s3, "{}", REFUSAL_REASON)  # fmt: skip
                        status = "refused"
                        ended_at = refused_at
                        dossier_outcome = outcome(t3, appointment)
                    else:
                        ready_at = ts(t3)
                        o3 = outcome(t3, due3)
                        st.append(
                            f"{s3}\t{dossier_id}\t3\t{ps3}\t{name3}\t{commune.unit_id}\t\t"
                            f"{leader_officer}\t{spec_officer}\t{ts(t2)}\t{ts(due3)}\t"
                            f"{ready_at}\t{leader_officer}\t{o3}\t\n"
                        )
                        number = (
                            f"{dossier_id % 9000 + 1}/QĐ-UBND" if spec.document_required else ""
                        )
                        results.append(
                            f"{ready_at}\t{ready_at}\t{dossier_id}\t{spec.procedure_id}\t"
                            f"{spec.result_name}\t{number}\t\t\t{leader_officer}\t{ready_at}\tf\n"
                        )
                        processed_at = ended_at = ready_at
                        dossier_outcome = outcome(t3, appointment)
                        status = "result_ready"
                        s4 = step_id
                        step_id += 1
                        due4 = t3 + share4
                        event(
                            ready_at, leader_user, NULL, "result_ready", "in_progress",
                            "result_ready", s4,
                            f'{{"early": {"true" if dossier_outcome == "early" else "false"}, '
                            f'"outcome": "{dossier_outcome}"}}',
                        )  # fmt: skip
                        t4 = t3 + 600 if return_channel == "online" else t3 + d4s[k]
                        if scenario == UNCOLLECTED:
                            t4 = 1 << 62
                        for days in REMINDER_DAYS:
                            remind = t3 + days * L
                            if remind < t4 and remind <= now_pos:
                                reminders += 1
                                last_reminded = ts(remind)
                                count = f'{{"count": {reminders}}}'
                                event(last_reminded, NULL, NULL, "remind", "result_ready",
                                      "result_ready", NULL, count)  # fmt: skip
                        if t4 > now_pos:
                            st.append(
                                f"{s4}\t{dossier_id}\t4\t{ps4}\t{name4}\t{centre}\t\t"
                                f"{counter_officer}\t{leader_officer}\t{ready_at}\t{ts(due4)}\t"
                                f"{NULL}\t{NULL}\t\t\n"
                            )
                        else:
                            returned_at = ts(t4)
                            st.append(
                                f"{s4}\t{dossier_id}\t4\t{ps4}\t{name4}\t{centre}\t\t"
                                f"{counter_officer}\t{leader_officer}\t{ready_at}\t{ts(due4)}\t"
                                f"{returned_at}\t{counter_officer}\t{outcome(t4, due4)}\t\n"
                            )
                            if return_channel == "counter":
                                delivery = (
                                    f"{name}\t{id_number}\t\tĐã ký nhận vào sổ theo dõi hồ sơ"
                                )
                            elif return_channel == "postal":
                                delivery = f"\t\tEB{nums[1] % 10**9:09d}VN\tPhiếu báo phát"
                            else:
                                delivery = "\t\t\tĐã gửi vào kho dữ liệu điện tử của người dân"
                            deliveries.append(
                                f"{returned_at}\t{returned_at}\t{dossier_id}\t{return_channel}\t"
                                f"{returned_at}\t{counter_officer}\t{delivery}\n"
                            )
                            event(returned_at, counter_user, NULL, "return_result",
                                  "result_ready", "returned", s4,
                                  f'{{"channel": "{return_channel}"}}')  # fmt: skip
                            status = "returned"
                if open_step is not None:
                    started, due = open_step
                    st.append(
                        f"{s2}\t{dossier_id}\t2\t{ps2}\t{name2}\t{office_unit}\t\t{spec_officer}\t"
                        f"{counter_officer}\t{ts(started)}\t{ts(due)}\t{NULL}\t{NULL}\t\t\n"
                    )
        # Components received at submission or receipt, and the fee.
        document_at = submitted if online else received_at
        for required, doc_name, originals, copies in spec.documents:
            documents.append(
                f"{dossier_id}\t{required}\t{doc_name}\t{originals}\t{copies}\t\t"
                f"{'t' if online else 'f'}\tf\tf\t{document_at}\n"
            )
        if spec.fee is not None and code != NULL:
            fee_name, amount = spec.fee
            fees.append(
                f"{dossier_id}\t{fee_name}\t{amount}\tf\t\t"
                f"{'national_portal' if online else 'cash'}\t{dossier_id:08d}\t{received_at}\n"
            )
        # Dossier.participants: its units, and each step's unit and assignee.
        seen_by = {f"u{centre}", f"u{commune.unit_id}"}
        for line in st:
            fields = line.split("\t", 8)
            if fields[5] not in (NULL, ""):
                seen_by.add("u" + fields[5])
            if fields[7] not in (NULL, ""):
                seen_by.add("o" + fields[7])
        participants = "{" + ", ".join(f'"{key}": true' for key in sorted(seen_by)) + "}"
        steps.extend(st)
        events.extend(ev)
        dossiers.append(
            f"{dossier_id}\t{created}\t{last_at}\t{code}\t{reference_for(dossier_id, seed)}\t"
            f"{_PAIRS[nums[0] % 961]}{_PAIRS[nums[1] % 961]}{_PAIRS[nums[2] % 961]}\t{status}\t"
            f"{rule}\t{channel}\t{applicant_kind}\t{name}\t{id_number}\t{phone}\t{email}\t"
            f"{address}\t{folded}\t{submitted}\t{received_at}\tf\t"
            f"{NULL if appointment_original is None else ts(appointment_original)}\t"
            f"{NULL if appointment is None else ts(appointment)}\t{paused_at}\t"
            f"{paused_seconds}\t{processed_at}\t{returned_at}\t{ended_at}\t{dossier_outcome}\t"
            f"{return_channel}\t\t{reminders}\t{last_reminded}\t{supplement_requests}\t"
            f"{seq_event}\t{NULL}\t{NULL}\t{NULL}\t{spec.version_id}\t{commune.unit_id}\t"
            f"{NULL if received_by == NULL else received_by}\t{centre}\t{participants}\n"
        )
    counters = {
        (communes[c].agency_code, dt.date.fromordinal(world.working_ords[day]).isoformat()): last
        for (c, day), last in code_numbers.items()
    }
    texts = {
        "dossiers_dossier": dossiers,
        "dossiers_dossierstep": steps,
        "dossiers_dossierevent": events,
        "dossiers_dossierdocument": documents,
        "dossiers_dossierfee": fees,
        "dossiers_dossierresult": results,
        "dossiers_delivery": deliveries,
        "dossiers_supplementrequest": supplements,
        "dossiers_stopnotice": stops,
    }
    counts = {table: len(rows) for table, rows in texts.items()}
    return {table: "".join(rows).encode() for table, rows in texts.items()}, counters, counts


# --- loading ------------------------------------------------------------------


def _schema_objects(cursor: Any) -> tuple[list[tuple[str, str, str]], list[tuple[str, str]]]:
    """Foreign keys and unique constraints (table, name, definition) and other indexes."""
    tables = [*COPY_TABLES, "dossiers_dossiercodecounter"]
    cursor.execute(
        "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid), contype "
        "FROM pg_constraint WHERE contype IN ('f', 'u') "
        "AND (conrelid::regclass::text = ANY(%s) OR confrelid::regclass::text = ANY(%s)) "
        "ORDER BY contype DESC, conrelid::regclass::text, conname",
        [tables, tables],
    )
    constraints = [(table, name, definition) for table, name, definition, _ in cursor.fetchall()]
    cursor.execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s) "
        "AND indexname NOT IN (SELECT conname FROM pg_constraint WHERE contype IN ('p', 'u')) "
        "ORDER BY tablename, indexname",
        [tables],
    )
    return constraints, list(cursor.fetchall())


def load_dossiers(world: World, chunks: list[Chunk], *, url: str, workers: int) -> dict[str, Any]:
    """Everything in one transaction: drop indexes, COPY the chunks, rebuild, analyse."""
    import multiprocessing

    import psycopg

    global WORLD
    WORLD = world
    report: dict[str, Any] = {"rows": dict.fromkeys(COPY_TABLES, 0)}
    started = time.perf_counter()
    with psycopg.connect(url) as connection, connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit = off")
        cursor.execute("SET maintenance_work_mem = '1GB'")
        constraints, indexes = _schema_objects(cursor)
        cursor.execute(
            "TRUNCATE "
            + ", ".join([*COPY_TABLES, "dossiers_dossiercodecounter"])
            + " RESTART IDENTITY CASCADE"
        )
        # Foreign keys first (they may use the unique indexes), then the rest.
        for table, name, definition in constraints:
            if definition.startswith("FOREIGN KEY"):
                cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for table, name, definition in constraints:
            if not definition.startswith("FOREIGN KEY"):
                cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        print(
            f"dropped {len(constraints)} constraints and {len(indexes)} indexes; "
            f"loading {sum(c.size for c in chunks):,} dossiers in {len(chunks)} chunks"
        )

        counters: dict[tuple[str, str], int] = {}
        copy_seconds = 0.0
        done = 0
        total_rows = 0
        if workers > 0:
            pool = multiprocessing.get_context("fork").Pool(workers)
            produced = pool.imap(generate, chunks)
        else:
            pool = None
            produced = map(generate, chunks)
        for chunk, (texts, chunk_counters, counts) in zip(chunks, produced, strict=True):
            copy_started = time.perf_counter()
            for table in COPY_TABLES:
                columns = ", ".join(COLUMNS[table])
                with cursor.copy(f"COPY {table} ({columns}) FROM STDIN WITH (FREEZE)") as copy:
                    copy.write(texts[table])
                report["rows"][table] += counts[table]
            copy_seconds += time.perf_counter() - copy_started
            counters.update(chunk_counters)
            done += chunk.size
            total_rows += sum(counts.values())
            elapsed = time.perf_counter() - started
            print(
                f"  chunk {chunk.number + 1}/{len(chunks)}: {done:,} dossiers, "
                f"{total_rows:,} rows, {elapsed:.0f} s, {total_rows / elapsed:,.0f} rows/s "
                f"(COPY {copy_seconds:.0f} s)",
                flush=True,
            )
        if pool is not None:
            pool.close()
            pool.join()
        load_seconds = time.perf_counter() - started
        report["copy_seconds"] = load_seconds
        report["copy_wait_seconds"] = copy_seconds

        with cursor.copy(
            "COPY dossiers_dossiercodecounter (agency_code, day, last_number) FROM STDIN"
        ) as copy:
            for (agency, day), last in sorted(counters.items()):
                copy.write_row((agency, day, last))
        report["rows"]["dossiers_dossiercodecounter"] = len(counters)
        for table in [*COPY_TABLES, "dossiers_dossiercodecounter"]:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                f"greatest(1, (SELECT max(id) FROM {table})))"
            )

        rebuild_started = time.perf_counter()
        for table, name, definition in constraints:
            if not definition.startswith("FOREIGN KEY"):
                step = time.perf_counter()
                cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
                print(f"  {name}: {time.perf_counter() - step:.1f} s", flush=True)
        for name, definition in indexes:
            step = time.perf_counter()
            cursor.execute(definition)
            print(f"  {name}: {time.perf_counter() - step:.1f} s", flush=True)
        index_seconds = time.perf_counter() - rebuild_started
        for table, name, definition in constraints:
            if definition.startswith("FOREIGN KEY"):
                step = time.perf_counter()
                cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
                print(f"  {name}: {time.perf_counter() - step:.1f} s", flush=True)
        report["index_seconds"] = index_seconds
        report["fk_seconds"] = time.perf_counter() - rebuild_started - index_seconds
        step = time.perf_counter()
        for table in [*COPY_TABLES, "dossiers_dossiercodecounter"]:
            cursor.execute(f"ANALYZE {table}")
        report["analyze_seconds"] = time.perf_counter() - step
        report["seconds"] = time.perf_counter() - started
        cursor.execute(
            f"INSERT INTO {STATE_TABLE} (id, dossiers, seed, now, loaded_at, report) "  # noqa: S608
            "VALUES (1, %s, %s, %s, now(), %s) ON CONFLICT (id) DO UPDATE SET "
            "dossiers = excluded.dossiers, seed = excluded.seed, now = excluded.now, "
            "loaded_at = excluded.loaded_at, report = excluded.report",
            [sum(c.size for c in chunks), world.seed, world.now, json.dumps(report)],
        )
        step = time.perf_counter()
    # The commit (leaving the with block) writes the last of the WAL.
    report["commit_seconds"] = time.perf_counter() - step
    report["seconds"] = time.perf_counter() - started
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(
            f"UPDATE {STATE_TABLE} SET report = %s",  # noqa: S608 - a constant table name
            [json.dumps(report)],
        )
    return report


def loaded_state(url: str) -> dict[str, Any] | None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(
            f"CREATE TABLE IF NOT EXISTS {STATE_TABLE} (id int PRIMARY KEY, dossiers bigint, "
            "seed int, now timestamptz, loaded_at timestamptz, report jsonb)"
        )
        row = connection.execute(
            f"SELECT dossiers, seed, now, loaded_at, report FROM {STATE_TABLE}"  # noqa: S608
        ).fetchone()
    if row is None:
        return None
    return dict(zip(("dossiers", "seed", "now", "loaded_at", "report"), row, strict=True))


def forget_added_dossiers(url: str, loaded: int) -> int:
    """Remove the dossiers added since the load (ids above ``loaded``); how many.

    The intake scenario and in-process profiles add dossiers, each with an
    open step of the counter officer who received it: after a few runs those
    officers top the inbox scenario with tens of thousands of open steps, and
    the inbox figures measure that instead of an officer's day. Every run of
    the HTTP driver starts from the loaded state. One transaction: Django's
    foreign keys are checked at commit, so the order of the tables is free.
    """
    import psycopg

    with psycopg.connect(url) as connection:
        references = connection.execute(
            "SELECT cl.relname, a.attname FROM pg_constraint c "
            "JOIN pg_class cl ON cl.oid = c.conrelid "
            "JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1] "
            "WHERE c.contype = 'f' AND c.confrelid = 'dossiers_dossier'::regclass "
            "AND cl.relname <> 'dossiers_dossier'"
        ).fetchall()
        for table, column in references:
            connection.execute(
                f'DELETE FROM "{table}" WHERE "{column}" > %s',  # noqa: S608 - catalog names
                [loaded],
            )
        removed = connection.execute("DELETE FROM dossiers_dossier WHERE id > %s", [loaded])
        return removed.rowcount


def table_sizes(url: str) -> list[tuple[str, int, int, int, int]]:
    """(table, rows, heap bytes, index bytes, total bytes) for the dossier tables."""
    import psycopg

    tables = [*COPY_TABLES, "dossiers_dossiercodecounter"]
    with psycopg.connect(url, autocommit=True) as connection:
        rows = connection.execute(
            "SELECT c.relname, c.reltuples::bigint, pg_relation_size(c.oid), "
            "pg_indexes_size(c.oid), pg_total_relation_size(c.oid) FROM pg_class c "
            "WHERE c.relname = ANY(%s) ORDER BY pg_total_relation_size(c.oid) DESC",
            [tables],
        ).fetchall()
    return [tuple(row) for row in rows]


def print_sizes(url: str, dossiers: int) -> None:
    import psycopg

    sizes = table_sizes(url)
    mb = 1024 * 1024
    print(f"{'table':32} {'rows':>12} {'heap MB':>9} {'index MB':>9} {'total MB':>9}")
    for name, rows, heap, index, total in sizes:
        print(f"{name:32} {rows:>12,} {heap / mb:>9,.0f} {index / mb:>9,.0f} {total / mb:>9,.0f}")
    total = sum(row[4] for row in sizes)
    rows_total = sum(row[1] for row in sizes)
    with psycopg.connect(url, autocommit=True) as connection:
        database = connection.execute("SELECT pg_database_size(current_database())").fetchone()[0]
    print(
        f"{'all':32} {rows_total:>12,} {'':>9} {'':>9} {total / mb:>9,.0f}  "
        f"(database {database / mb / 1024:.1f} GB; {total / max(1, dossiers) / 1024:.1f} kB "
        f"per dossier)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dossiers", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--chunk", type=int, default=25_000, help="dossiers per COPY batch")
    parser.add_argument("--workers", type=int, default=1, help="generator processes (0: inline)")
    parser.add_argument("--force", action="store_true", help="reload even if already loaded")
    args = parser.parse_args()

    url = database_url()
    ensure_database(url)
    setup_django(url)
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    print(f"migrated in {time.perf_counter() - started:.1f} s")
    state = loaded_state(url)
    if (
        state
        and state["dossiers"] == args.dossiers
        and state["seed"] == args.seed
        and not args.force
    ):
        report = state["report"]
        print(
            f"already loaded: {state['dossiers']:,} dossiers (seed {state['seed']}, now = "
            f"{state['now']:%Y-%m-%d %H:%M}) on {state['loaded_at']:%Y-%m-%d %H:%M} in "
            f"{report['seconds']:.0f} s; --force reloads"
        )
        print_sizes(url, state["dossiers"])
        return
    communes = build_organisation()
    load_catalog(communes)
    connection.close()  # the load runs on its own connection

    step = time.perf_counter()
    now = timezone.now().replace(microsecond=0)
    world = build_world(communes, seed=args.seed, now=now)
    chunks = plan(world, args.dossiers, args.chunk)
    print(
        f"world: {len(world.procedures)} procedures with a process, {len(communes)} communes, "
        f"{len(chunks)} chunks over {sum(len(c.days) for c in chunks)} working days "
        f"({time.perf_counter() - step:.1f} s)"
    )
    report = load_dossiers(world, chunks, url=url, workers=args.workers)
    rows = sum(report["rows"].values())
    print(
        f"loaded {args.dossiers:,} dossiers = {rows:,} rows in {report['seconds']:.0f} s "
        f"({rows / report['seconds']:,.0f} rows/s overall): COPY {report['copy_seconds']:.0f} s "
        f"({rows / report['copy_seconds']:,.0f} rows/s), indexes {report['index_seconds']:.0f} s, "
        f"foreign keys {report['fk_seconds']:.0f} s, analyse {report['analyze_seconds']:.0f} s, "
        f"commit {report['commit_seconds']:.0f} s"
    )
    for table, count in report["rows"].items():
        print(f"  {table:32} {count:>12,}  ({count / args.dossiers:.2f} per dossier)")
    print_sizes(url, args.dossiers)


if __name__ == "__main__":
    main()
