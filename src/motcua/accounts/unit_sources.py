"""Readers for the official lists of administrative units (``shared/data/admin_units``).

Pure parsing, no database: each reader returns records and the rows it
rejected with a reason, so that one bad row never stops an import. All text
is normalised to NFC (the sources mix NFC and NFD).

Files (see ``shared/data/README.md``):

* the two-tier list in force since 1 July 2025 (34 provinces, 3,321 communes,
  wards and special zones);
* the legacy three-tier list (63 provinces, 696 districts, 10,035 communes);
* the old → new mapping, as a flat CSV (commune links, full/partial) and as
  JSON (whose ``merges`` per province say which old provinces formed it).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.accounts.constants import SuccessionKind, UnitKind
from motcua.core.exceptions import DomainError
from motcua.core.text import nfc

NEW_UNITS_FILE = "vn_admin_units_2025_34_3321_vietnamadminunits.csv"
LEGACY_UNITS_FILE = "vn_admin_units_legacy_63_696_10035_vietnamadminunits.csv"
MAPPING_FLAT_FILE = "vn_2025_mapping_new_to_old_flat.csv"
MAPPING_JSON_FILE = "vn_2025_mapping_new_to_old_merges_dvhcvn20250701.json"

# The two-tier organisation took effect on 1 July 2025 (domain.md section 0).
REFORM_DATE = dt.date(2025, 7, 1)
LEGACY_END = REFORM_DATE - dt.timedelta(days=1)

PROVINCE_TYPES = ("Thành phố", "Tỉnh")
DISTRICT_TYPES = frozenset({"Quận", "Huyện", "Thị xã", "Thành phố"})
COMMUNE_TYPES = frozenset({"Phường", "Xã", "Thị trấn", "Đặc khu"})
MERGE_KINDS = {"full": SuccessionKind.FULL, "partial": SuccessionKind.PARTIAL}

# Labels used in rejection reasons; lazy, so that a clean row costs no lookup.
LABEL_PROVINCE = gettext_lazy("tỉnh")
LABEL_OLD_PROVINCE = gettext_lazy("tỉnh cũ")
LABEL_DISTRICT = gettext_lazy("huyện")
LABEL_COMMUNE = gettext_lazy("xã")
LABEL_NEW_COMMUNE = gettext_lazy("xã mới")
LABEL_OLD_UNIT = gettext_lazy("đơn vị cũ")
LABEL_LATITUDE = gettext_lazy("vĩ độ")
LABEL_LONGITUDE = gettext_lazy("kinh độ")

_CODE_PATTERNS: dict[str, re.Pattern[str]] = {
    UnitKind.PROVINCE: re.compile(r"\d{2}"),
    UnitKind.DISTRICT: re.compile(r"\d{3}"),
    UnitKind.COMMUNE: re.compile(r"\d{5}"),
}
_MICRO = Decimal("0.000001")

NEW_COLUMNS = ("province_code", "province", "province_short", "ward_code", "ward", "ward_type")
LEGACY_COLUMNS = (
    "province_code",
    "province",
    "province_short",
    "district_code",
    "district",
    "district_type",
    "ward_code",
    "ward",
    "ward_type",
)
FLAT_COLUMNS = ("new_province_code", "new_ward_code", "new_ward", "old_ward_code", "old_ward")


class SourceError(DomainError):
    """A whole source file is missing or unreadable; nothing can be imported from it."""

    code = "source_unreadable"


class RowError(Exception):
    """One row is malformed; the message says why (in Vietnamese)."""


@dataclass(frozen=True)
class Rejection:
    """A source row left out of the import, with where it is and why."""

    where: str
    kind: str
    reason: str

    def __str__(self) -> str:
        return f"{self.where}: {self.reason}"


@dataclass
class UnitRecord:
    """One administrative unit as the sources describe it."""

    kind: str
    code: str
    name: str
    short_name: str
    admin_type: str
    parent_code: str | None
    latitude: Decimal | None
    longitude: Decimal | None
    where: str


@dataclass(frozen=True)
class MergeLink:
    """Old unit ``old_code`` went wholly or partly into new commune ``new_code``."""

    new_code: str
    new_name: str
    new_province_code: str
    old_code: str
    old_name: str
    kind: str
    where: str


@dataclass
class OfficialUnits:
    """Everything read from the four files, keyed by official code within each era."""

    new_provinces: dict[str, UnitRecord] = field(default_factory=dict)
    new_communes: dict[str, UnitRecord] = field(default_factory=dict)
    legacy_provinces: dict[str, UnitRecord] = field(default_factory=dict)
    legacy_districts: dict[str, UnitRecord] = field(default_factory=dict)
    legacy_communes: dict[str, UnitRecord] = field(default_factory=dict)
    # new province code -> [(old province code, succession kind, where)]
    province_merges: dict[str, list[tuple[str, str, str]]] = field(default_factory=dict)
    commune_links: list[MergeLink] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)
    rows_read: int = 0

    def is_continuing(self, province_code: str) -> bool:
        """True when the 2025 province is the old one unchanged (e.g. Hà Nội 01)."""
        merges = self.province_merges.get(province_code, [])
        return [(code, kind) for code, kind, _where in merges] == [
            (province_code, SuccessionKind.FULL)
        ]


# --- field parsers ----------------------------------------------------------


_CODE_DIGITS: dict[str, int] = {UnitKind.PROVINCE: 2, UnitKind.DISTRICT: 3, UnitKind.COMMUNE: 5}


def _code(value: str, kind: str, label: Any) -> str:
    if not _CODE_PATTERNS[kind].fullmatch(value):
        raise RowError(
            _("mã %(label)s “%(value)s” không hợp lệ (cần %(digits)d chữ số)")
            % {"label": label, "value": value, "digits": _CODE_DIGITS[kind]}
        )
    return value


def _name(value: str, label: Any) -> str:
    if not value:
        raise RowError(_("thiếu tên %(label)s") % {"label": label})
    if len(value) > 255:
        raise RowError(_("tên %(label)s quá dài") % {"label": label})
    return value


def _coordinate(value: str, limit: int, label: Any) -> Decimal | None:
    if not value:
        return None
    try:
        number = Decimal(value).quantize(_MICRO)
    except (InvalidOperation, ValueError):
        raise RowError(
            _("%(label)s “%(value)s” không phải là số") % {"label": label, "value": value}
        ) from None
    if not number.is_finite() or abs(number) > limit:
        raise RowError(
            _("%(label)s “%(value)s” nằm ngoài khoảng cho phép") % {"label": label, "value": value}
        )
    return number


def _short(name: str, admin_type: str) -> str:
    if admin_type and name.startswith(admin_type + " "):
        return name[len(admin_type) + 1 :].strip()
    return name


def _province(row: dict[str, str], lat: str, lon: str, where: str) -> UnitRecord:
    code = _code(row["province_code"], UnitKind.PROVINCE, LABEL_PROVINCE)
    name = _name(row["province"], LABEL_PROVINCE)
    admin_type = next((t for t in PROVINCE_TYPES if name.startswith(t + " ")), "")
    if not admin_type:
        raise RowError(
            _("không nhận ra loại đơn vị của “%(name)s” (Tỉnh hoặc Thành phố)") % {"name": name}
        )
    return UnitRecord(
        kind=UnitKind.PROVINCE,
        code=code,
        name=name,
        short_name=row.get("province_short") or _short(name, admin_type),
        admin_type=admin_type,
        parent_code=None,
        latitude=_coordinate(row.get(lat, ""), 90, LABEL_LATITUDE),
        longitude=_coordinate(row.get(lon, ""), 180, LABEL_LONGITUDE),
        where=where,
    )


def _unit(
    row: dict[str, str],
    *,
    kind: str,
    prefix: str,
    types: frozenset[str],
    parent_code: str,
    label: Any,
    lat: str,
    lon: str,
    where: str,
) -> UnitRecord:
    code = _code(row[f"{prefix}_code"], kind, label)
    name = _name(row[prefix], label)
    admin_type = row[f"{prefix}_type"]
    if admin_type not in types:
        raise RowError(
            _("loại đơn vị “%(type)s” của %(name)s không hợp lệ")
            % {"type": admin_type, "name": name}
        )
    return UnitRecord(
        kind=kind,
        code=code,
        name=name,
        short_name=_short(name, admin_type),
        admin_type=admin_type,
        parent_code=parent_code,
        latitude=_coordinate(row.get(lat, ""), 90, LABEL_LATITUDE),
        longitude=_coordinate(row.get(lon, ""), 180, LABEL_LONGITUDE),
        where=where,
    )


def _same(a: UnitRecord, b: UnitRecord) -> bool:
    return (a.name, a.admin_type, a.parent_code) == (b.name, b.admin_type, b.parent_code)


def _check_consistent(registry: dict[str, UnitRecord], record: UnitRecord) -> None:
    """A unit repeated on several rows must be described the same way each time."""
    first = registry.get(record.code)
    if first is not None and not _same(first, record):
        raise RowError(
            _("%(name)s (mã %(code)s) mâu thuẫn với %(where)s")
            % {"name": record.name, "code": record.code, "where": first.where}
        )


def _check_new(registry: dict[str, UnitRecord], record: UnitRecord) -> None:
    """A commune appears on one row only."""
    first = registry.get(record.code)
    if first is not None:
        raise RowError(
            _("mã %(code)s trùng với %(where)s") % {"code": record.code, "where": first.where}
        )


# --- file readers -----------------------------------------------------------


def _csv_rows(path: Path, required: tuple[str, ...]) -> Iterator[tuple[str, dict[str, str]]]:
    if not path.is_file():
        raise SourceError(_("Không tìm thấy tệp %(path)s.") % {"path": path})
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        try:
            header = [nfc(cell) for cell in next(reader)]
        except StopIteration:
            raise SourceError(_("Tệp %(path)s rỗng.") % {"path": path}) from None
        missing = [column for column in required if column not in header]
        if missing:
            raise SourceError(
                _("Tệp %(path)s thiếu cột: %(columns)s.")
                % {"path": path, "columns": ", ".join(missing)}
            )
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            where = f"{path.name}:{reader.line_num}"
            if len(cells) != len(header):
                yield where, {"__error__": _("số cột không khớp với dòng tiêu đề")}
                continue
            yield where, {key: nfc(value) for key, value in zip(header, cells, strict=True)}


def _reject(units: OfficialUnits, where: str, kind: str, reason: str) -> None:
    units.rejections.append(Rejection(where=where, kind=kind, reason=reason))


def read_new_units(path: Path, units: OfficialUnits) -> None:
    """The 2025 list: one row per commune, with its province."""
    for where, row in _csv_rows(path, NEW_COLUMNS):
        units.rows_read += 1
        if "__error__" in row:
            _reject(units, where, UnitKind.COMMUNE, row["__error__"])
            continue
        try:
            province = _province(row, "provinceLat", "provinceLon", where)
            commune = _unit(
                row,
                kind=UnitKind.COMMUNE,
                prefix="ward",
                types=COMMUNE_TYPES,
                parent_code=province.code,
                label=LABEL_COMMUNE,
                lat="wardLat",
                lon="wardLon",
                where=where,
            )
            _check_consistent(units.new_provinces, province)
            _check_new(units.new_communes, commune)
            units.new_provinces.setdefault(province.code, province)
            units.new_communes[commune.code] = commune
        except RowError as exc:
            _reject(units, where, UnitKind.COMMUNE, str(exc))


def read_legacy_units(path: Path, units: OfficialUnits) -> None:
    """The pre-2025 list: one row per commune, with its district and province.

    Five island districts have no commune: their row has empty commune columns
    and registers the district alone.
    """
    for where, row in _csv_rows(path, LEGACY_COLUMNS):
        units.rows_read += 1
        if "__error__" in row:
            _reject(units, where, UnitKind.COMMUNE, row["__error__"])
            continue
        district_only = not (row["ward_code"] or row["ward"] or row["ward_type"])
        kind = UnitKind.DISTRICT if district_only else UnitKind.COMMUNE
        try:
            province = _province(row, "provinceLat", "provinceLon", where)
            district = _unit(
                row,
                kind=UnitKind.DISTRICT,
                prefix="district",
                types=DISTRICT_TYPES,
                parent_code=province.code,
                label=LABEL_DISTRICT,
                lat="districtLat",
                lon="districtLon",
                where=where,
            )
            commune = None
            if not district_only:
                commune = _unit(
                    row,
                    kind=UnitKind.COMMUNE,
                    prefix="ward",
                    types=COMMUNE_TYPES,
                    parent_code=district.code,
                    label=LABEL_COMMUNE,
                    lat="wardLat",
                    lon="wardLon",
                    where=where,
                )
            # Check every part before registering any, so that a rejected
            # row contributes nothing.
            _check_consistent(units.legacy_provinces, province)
            _check_consistent(units.legacy_districts, district)
            if commune is not None:
                _check_new(units.legacy_communes, commune)
            units.legacy_provinces.setdefault(province.code, province)
            units.legacy_districts.setdefault(district.code, district)
            if commune is not None:
                units.legacy_communes[commune.code] = commune
        except RowError as exc:
            _reject(units, where, kind, str(exc))


def read_province_merges(path: Path, units: OfficialUnits) -> None:
    """Which old provinces formed each 2025 province (``data[].merges`` of the JSON)."""
    if not path.is_file():
        raise SourceError(_("Không tìm thấy tệp %(path)s.") % {"path": path})
    try:
        document: Any = json.loads(path.read_text(encoding="utf-8-sig"))
        provinces = document["data"]
        if not isinstance(provinces, list):
            raise TypeError
    except (ValueError, KeyError, TypeError):
        raise SourceError(
            _("Tệp %(path)s không đúng cấu trúc (cần danh sách “data”).") % {"path": path}
        ) from None
    for index, province in enumerate(provinces):
        where = f"{path.name}:data[{index}]"
        units.rows_read += 1
        try:
            if not isinstance(province, dict):
                raise RowError(_("phần tử không phải là đối tượng"))
            code = _code(
                nfc(str(province.get("level1_id", ""))), UnitKind.PROVINCE, LABEL_PROVINCE
            )
            merges = province.get("merges")
            if not isinstance(merges, list) or not merges:
                raise RowError(_("thiếu danh sách tỉnh cũ (merges)"))
            parsed: list[tuple[str, str, str]] = []
            for position, merge in enumerate(merges):
                merge_where = f"{where}.merges[{position}]"
                if not isinstance(merge, dict):
                    raise RowError(_("phần tử merges không phải là đối tượng"))
                old = _code(
                    nfc(str(merge.get("old_id", ""))), UnitKind.PROVINCE, LABEL_OLD_PROVINCE
                )
                kind = MERGE_KINDS.get(nfc(str(merge.get("type", ""))))
                if kind is None:
                    raise RowError(
                        _("hình thức sáp nhập “%(type)s” không hợp lệ")
                        % {"type": merge.get("type")}
                    )
                parsed.append((old, kind, merge_where))
            if code in units.province_merges:
                raise RowError(_("tỉnh %(code)s xuất hiện hai lần") % {"code": code})
            units.province_merges[code] = parsed
        except RowError as exc:
            _reject(units, where, "succession", str(exc))


def read_commune_links(path: Path, units: OfficialUnits) -> None:
    """Old commune (or island district) → new commune links from the flat CSV."""
    seen: dict[tuple[str, str], str] = {}
    for where, row in _csv_rows(path, (*FLAT_COLUMNS, "merge_type")):
        units.rows_read += 1
        if "__error__" in row:
            _reject(units, where, "succession", row["__error__"])
            continue
        try:
            new_code = _code(row["new_ward_code"], UnitKind.COMMUNE, LABEL_NEW_COMMUNE)
            old_code = row["old_ward_code"]
            if not (
                _CODE_PATTERNS[UnitKind.COMMUNE].fullmatch(old_code)
                or _CODE_PATTERNS[UnitKind.DISTRICT].fullmatch(old_code)
            ):
                raise RowError(
                    _("mã %(label)s “%(value)s” không hợp lệ")
                    % {"label": LABEL_OLD_UNIT, "value": old_code}
                )
            kind = MERGE_KINDS.get(row["merge_type"])
            if kind is None:
                raise RowError(
                    _("hình thức sáp nhập “%(type)s” không hợp lệ") % {"type": row["merge_type"]}
                )
            if (new_code, old_code) in seen:
                raise RowError(
                    _("liên kết %(old)s → %(new)s trùng với %(where)s")
                    % {"old": old_code, "new": new_code, "where": seen[(new_code, old_code)]}
                )
            seen[(new_code, old_code)] = where
            units.commune_links.append(
                MergeLink(
                    new_code=new_code,
                    new_name=row["new_ward"],
                    new_province_code=row["new_province_code"],
                    old_code=old_code,
                    old_name=row["old_ward"],
                    kind=kind,
                    where=where,
                )
            )
        except RowError as exc:
            _reject(units, where, "succession", str(exc))


def read_official_units(data_dir: Path) -> OfficialUnits:
    """Read and check the four files in ``data_dir``.

    Raises :class:`SourceError` when a file is missing or unreadable as a whole.
    """
    units = OfficialUnits()
    read_new_units(data_dir / NEW_UNITS_FILE, units)
    read_legacy_units(data_dir / LEGACY_UNITS_FILE, units)
    read_province_merges(data_dir / MAPPING_JSON_FILE, units)
    read_commune_links(data_dir / MAPPING_FLAT_FILE, units)
    return units
