"""Input serializers built once per thread (``api.inputs``): no body leaks into the next."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from rest_framework import serializers
from rest_framework.exceptions import ValidationError

from motcua.api.inputs import validated_input
from motcua.api.serializers_dossiers import ReceiveInputSerializer


class _Row(serializers.Serializer):
    name = serializers.CharField(max_length=10)
    count = serializers.IntegerField(min_value=0, default=0)


class _Body(serializers.Serializer):
    """A body with a nested list, like the intake's documents."""

    made = 0

    title = serializers.CharField(max_length=20)
    rows = _Row(many=True, required=False, default=list)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        type(self).made += 1
        super().__init__(*args, **kwargs)


def _in_a_new_thread(work: Any) -> None:
    """Run ``work`` in a thread of its own, so it starts without built serializers."""
    failures: list[BaseException] = []

    def run() -> None:
        try:
            work()
        except BaseException as exc:  # re-raised in the test's thread
            failures.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if failures:
        raise failures[0]


def test_a_thread_builds_the_serializer_once_and_validates_each_body_afresh() -> None:
    def work() -> None:
        made = _Body.made
        first = validated_input(_Body, {"title": "một", "rows": [{"name": "a", "count": 2}]})
        second = validated_input(_Body, {"title": "hai"})
        third = validated_input(_Body, {"title": "ba", "rows": [{"name": "b"}]})

        assert _Body.made == made + 1
        assert first == {"title": "một", "rows": [{"name": "a", "count": 2}]}
        assert second == {"title": "hai", "rows": []}
        assert third == {"title": "ba", "rows": [{"name": "b", "count": 0}]}

    _in_a_new_thread(work)


def test_errors_of_one_body_do_not_stay_for_the_next() -> None:
    with pytest.raises(ValidationError) as refused:
        validated_input(_Body, {"title": "x" * 21, "rows": [{"name": "quá dài tên này"}]})
    assert set(refused.value.detail) == {"title", "rows"}

    assert validated_input(_Body, {"title": "được"}) == {"title": "được", "rows": []}

    with pytest.raises(ValidationError):  # not an object at all: refused, not a 500
        validated_input(_Body, ["không", "phải", "đối tượng"])

    with pytest.raises(ValidationError) as again:
        validated_input(_Body, {"rows": [{"name": "a", "count": -1}]})
    assert set(again.value.detail) == {"title", "rows"}
    assert "count" in again.value.detail["rows"][0]


def test_each_thread_has_its_own_serializer() -> None:
    seen: list[dict[str, Any]] = []

    def validate(title: str) -> None:
        seen.append(validated_input(_Body, {"title": title}))

    threads = [threading.Thread(target=validate, args=(f"luồng {n}",)) for n in range(3)]
    made = _Body.made
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(row["title"] for row in seen) == ["luồng 0", "luồng 1", "luồng 2"]
    assert _Body.made == made + 3


def test_the_intake_body_keeps_its_vietnamese_errors() -> None:
    body = {
        "unit": "một",
        "procedure": "1.0001",
        "applicant_name": "Nguyễn Văn A",
        "documents": [{"required_document": 5, "copies": 101}],
    }
    with pytest.raises(ValidationError) as first:
        validated_input(ReceiveInputSerializer, body)
    with pytest.raises(ValidationError) as second:
        validated_input(ReceiveInputSerializer, body)

    assert first.value.detail == second.value.detail
    assert set(first.value.detail) == {"unit", "documents"}
    assert "copies" in first.value.detail["documents"][0]
