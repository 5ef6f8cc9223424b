"""The import of the official administrative units (slices in tests/data, see its README)."""

from __future__ import annotations

import datetime as dt
import shutil
import unicodedata
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import F

from motcua.accounts.constants import SuccessionKind, UnitKind
from motcua.accounts.models import AuditEvent, Unit, UnitSuccession
from motcua.accounts.selectors import unit_get_by_code
from motcua.accounts.services import units_import
from motcua.accounts.tests.factories import UnitFactory
from motcua.accounts.unit_sources import (
    LEGACY_UNITS_FILE,
    MAPPING_FLAT_FILE,
    NEW_UNITS_FILE,
    SourceError,
)

SLICES = Path(__file__).parent / "data"
BEFORE = dt.date(2025, 6, 30)
AFTER = dt.date(2025, 7, 1)

pytestmark = pytest.mark.django_db


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A writable copy of the slices, for tests that alter a row."""
    target = tmp_path / "admin_units"
    shutil.copytree(SLICES, target)
    return target


def _replace_line(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_imports_every_unit_and_link_of_the_slices() -> None:
    report = units_import(data_dir=SLICES)

    # 01 continuing, 31 new, 30 and 31 legacy; 14 legacy districts; 45 legacy
    # communes and 7 new ones; 46 commune links and 2 province links.
    assert Unit.objects.filter(kind=UnitKind.PROVINCE).count() == 4
    assert Unit.objects.filter(kind=UnitKind.DISTRICT).count() == 14
    assert Unit.objects.filter(kind=UnitKind.COMMUNE).count() == 52
    assert UnitSuccession.objects.count() == 48
    assert str(report.units) == "created=70 updated=0 unchanged=0 rejected=0"
    assert str(report.successions) == "created=48 updated=0 unchanged=0 rejected=0"
    assert report.rejections == []


def test_hanoi_is_one_continuing_row_parent_of_both_eras() -> None:
    units_import(data_dir=SLICES)

    hanoi = Unit.objects.get(code="01")
    assert (hanoi.valid_from, hanoi.valid_to) == (None, None)
    assert hanoi.admin_type == "Thành phố"
    assert hanoi.short_name == "Hà Nội"
    long_bien_district = unit_get_by_code(code="004", on=BEFORE)
    long_bien_ward = unit_get_by_code(code="00145", on=AFTER)
    assert long_bien_district.parent == hanoi
    assert long_bien_district.kind == UnitKind.DISTRICT
    assert long_bien_district.admin_type == "Quận"
    assert long_bien_district.valid_to == BEFORE
    assert long_bien_ward.parent == hanoi
    assert long_bien_ward.valid_from == AFTER
    assert not UnitSuccession.objects.filter(predecessor=hanoi).exists()


def test_official_codes_are_reused_across_eras() -> None:
    units_import(data_dir=SLICES)

    old, new = Unit.objects.filter(code="00004").order_by(F("valid_from").asc(nulls_first=True))
    assert (old.name, old.valid_from, old.valid_to) == ("Phường Trúc Bạch", None, BEFORE)
    assert (new.name, new.valid_from, new.valid_to) == ("Phường Ba Đình", AFTER, None)
    assert unit_get_by_code(code="00004", on=BEFORE) == old
    assert unit_get_by_code(code="00004", on=AFTER) == new
    assert old.parent.name == "Quận Ba Đình"
    assert old.parent.parent.code == "01"


def test_merged_provinces_end_and_link_to_the_new_province_with_the_reused_code() -> None:
    units_import(data_dir=SLICES)

    new_hai_phong = unit_get_by_code(code="31", on=AFTER)
    old_hai_phong = unit_get_by_code(code="31", on=BEFORE)
    old_hai_duong = unit_get_by_code(code="30", on=BEFORE)
    assert new_hai_phong.pk != old_hai_phong.pk
    assert new_hai_phong.valid_from == AFTER
    assert old_hai_phong.valid_to == old_hai_duong.valid_to == BEFORE
    links = UnitSuccession.objects.filter(successor=new_hai_phong)
    assert {(link.predecessor.code, link.kind) for link in links} == {
        ("30", SuccessionKind.FULL),
        ("31", SuccessionKind.FULL),
    }
    # The new ward of the merged province hangs under the new province row.
    assert unit_get_by_code(code="10525", on=AFTER).parent == new_hai_phong
    assert unit_get_by_code(code="10525", on=BEFORE).parent.parent == old_hai_duong


def test_commune_links_keep_full_and_partial_and_the_legal_basis() -> None:
    units_import(data_dir=SLICES)

    chuong_my = unit_get_by_code(code="10015", on=AFTER)
    links = {
        link.predecessor.name: link
        for link in UnitSuccession.objects.filter(successor=chuong_my).select_related(
            "predecessor"
        )
    }
    assert links["Thị trấn Chúc Sơn"].kind == SuccessionKind.FULL
    assert links["Phường Đồng Mai"].kind == SuccessionKind.PARTIAL
    assert len(links) == 8
    link = links["Xã Phụng Châu"]
    assert link.effective_on == AFTER
    assert link.legal_basis == (
        "Nghị quyết của UBTVQH về sắp xếp đơn vị hành chính cấp xã năm 2025"
    )
    assert link.predecessor.valid_to == BEFORE


def test_an_island_district_is_linked_to_its_special_zone() -> None:
    units_import(data_dir=SLICES)

    zone = unit_get_by_code(code="11948", on=AFTER)
    assert (zone.kind, zone.admin_type) == (UnitKind.COMMUNE, "Đặc khu")
    link = UnitSuccession.objects.get(successor=zone)
    assert link.predecessor.kind == UnitKind.DISTRICT
    assert link.predecessor.name == "Huyện Bạch Long Vĩ"


def test_paths_and_depths_are_materialised_for_every_row() -> None:
    units_import(data_dir=SLICES)

    for unit in Unit.objects.select_related("parent"):
        expected = (unit.parent.path if unit.parent else "/") + f"{unit.pk}/"
        assert unit.path == expected
        assert unit.depth == expected.strip("/").count("/")
    commune = unit_get_by_code(code="00130", on=BEFORE)  # Phường Gia Thụy
    assert commune.depth == 2


def test_coordinates_are_kept() -> None:
    units_import(data_dir=SLICES)

    ward = unit_get_by_code(code="00145", on=AFTER)
    assert ward.latitude is not None
    assert ward.longitude is not None
    assert 20 < ward.latitude < 22 and 105 < ward.longitude < 107


def test_a_second_run_changes_nothing() -> None:
    units_import(data_dir=SLICES)
    events = AuditEvent.objects.count()
    snapshot = list(Unit.objects.values_list("pk", "path", "name", "updated_at"))

    report = units_import(data_dir=SLICES)

    assert str(report.units) == "created=0 updated=0 unchanged=70 rejected=0"
    assert str(report.successions) == "created=0 updated=0 unchanged=48 rejected=0"
    assert list(Unit.objects.values_list("pk", "path", "name", "updated_at")) == snapshot
    assert AuditEvent.objects.count() == events


def test_a_changed_name_is_updated_and_audited(data_dir: Path) -> None:
    units_import(data_dir=data_dir)
    _replace_line(
        data_dir / NEW_UNITS_FILE, ",00145,Phường Long Biên,", ",00145,Phường Long Biên Mới,"
    )

    report = units_import(data_dir=data_dir)

    assert report.units.updated == 1
    assert report.units.created == 0
    assert unit_get_by_code(code="00145", on=AFTER).name == "Phường Long Biên Mới"
    assert unit_get_by_code(code="00145", on=AFTER).short_name == "Long Biên Mới"
    assert AuditEvent.objects.filter(action="unit.import").count() == 2


def test_a_malformed_row_is_rejected_with_a_reason_and_the_rest_imports(data_dir: Path) -> None:
    _replace_line(
        data_dir / LEGACY_UNITS_FILE, ",00130,Phường Gia Thụy,", ",0013X,Phường Gia Thụy,"
    )
    _replace_line(
        data_dir / LEGACY_UNITS_FILE, ",00139,Phường Bồ Đề,Phường,", ",00139,Phường Bồ Đề,Làng,"
    )

    report = units_import(data_dir=data_dir)

    reasons = [str(rejection) for rejection in report.rejections]
    assert any("0013X" in reason and "không hợp lệ" in reason for reason in reasons)
    assert any("Làng" in reason and "Phường Bồ Đề" in reason for reason in reasons)
    assert any(reason.startswith(LEGACY_UNITS_FILE + ":") for reason in reasons)
    # The two legacy communes are missing, so their links to Phường Long Biên
    # are rejected too; everything else is in.
    assert report.by_kind[UnitKind.COMMUNE].rejected == 2
    assert report.successions.rejected == 2
    assert Unit.objects.count() == 68
    assert UnitSuccession.objects.count() == 46
    assert not Unit.objects.filter(name="Phường Gia Thụy").exists()


def test_a_link_to_an_unknown_unit_is_rejected_with_a_reason(data_dir: Path) -> None:
    _replace_line(
        data_dir / MAPPING_FLAT_FILE,
        "00145,Phường Long Biên,00583,Xã Bát Tràng,partial",
        "00145,Phường Long Biên,99999,Xã Không Có,partial",
    )

    report = units_import(data_dir=data_dir)

    [rejection] = report.rejections
    assert rejection.where.startswith(MAPPING_FLAT_FILE)
    assert "99999" in rejection.reason and "Xã Không Có" in rejection.reason
    assert report.successions.created == 47


def test_nfd_input_is_stored_as_nfc(data_dir: Path) -> None:
    for name in (NEW_UNITS_FILE, LEGACY_UNITS_FILE, MAPPING_FLAT_FILE):
        path = data_dir / name
        path.write_text(unicodedata.normalize("NFD", path.read_text("utf-8")), "utf-8")
    assert "Phường" not in (data_dir / NEW_UNITS_FILE).read_text("utf-8")  # really NFD

    report = units_import(data_dir=data_dir)

    assert report.rejections == []
    ward = unit_get_by_code(code="00145", on=AFTER)
    assert ward.name == "Phường Long Biên"
    assert ward.name == unicodedata.normalize("NFC", ward.name)
    assert ward.admin_type == "Phường"
    assert UnitSuccession.objects.count() == 48


def test_units_created_by_people_under_a_ward_are_left_alone() -> None:
    units_import(data_dir=SLICES)
    ward = unit_get_by_code(code="00145", on=AFTER)
    centre = UnitFactory(service_centre=True, parent=ward, code="00145.TTPVHCC")

    report = units_import(data_dir=SLICES)

    assert report.units.created == report.units.updated == 0
    centre.refresh_from_db()
    assert centre.parent == ward
    assert centre.path.startswith(ward.path)


def test_a_unit_moved_by_the_sources_takes_its_subtree_along(data_dir: Path) -> None:
    units_import(data_dir=data_dir)
    commune = unit_get_by_code(code="00130", on=BEFORE)
    office = UnitFactory(department=True, parent=commune, code="00130.VP")
    _replace_line(
        data_dir / LEGACY_UNITS_FILE,
        "004,Quận Long Biên,Quận,00130,Phường Gia Thụy,Phường,21.027764,105.83416,"
        "21.038676,105.887749,",
        "005,Quận Cầu Giấy,Quận,00130,Phường Gia Thụy,Phường,21.027764,105.83416,"
        "21.027601,105.790872,",
    )

    report = units_import(data_dir=data_dir)

    assert str(report.units) == "created=0 updated=1 unchanged=69 rejected=0"
    commune.refresh_from_db()
    office.refresh_from_db()
    assert commune.parent.name == "Quận Cầu Giấy"
    assert commune.path == f"{commune.parent.path}{commune.pk}/"
    assert office.path == f"{commune.path}{office.pk}/"


def test_a_missing_file_stops_the_import_with_a_clear_error(data_dir: Path) -> None:
    (data_dir / MAPPING_FLAT_FILE).unlink()

    with pytest.raises(SourceError, match=MAPPING_FLAT_FILE):
        units_import(data_dir=data_dir)
    assert not Unit.objects.exists()


def test_command_prints_one_line_per_kind_and_the_totals() -> None:
    out = StringIO()

    call_command("units", "import", "--data-dir", str(SLICES), "--quiet", stdout=out)

    lines = out.getvalue().splitlines()
    assert "province: created=4 updated=0 unchanged=0 rejected=0" in lines
    assert "district: created=14 updated=0 unchanged=0 rejected=0" in lines
    assert "commune: created=52 updated=0 unchanged=0 rejected=0" in lines
    assert (
        "units: created=70 updated=0 unchanged=0 rejected=0; "
        "successions: created=48 updated=0 unchanged=0 rejected=0"
    ) in lines


def test_command_reports_a_missing_directory_as_a_command_error(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="Không tìm thấy tệp"):
        call_command("units", "import", "--data-dir", str(tmp_path / "none"), "--quiet")
