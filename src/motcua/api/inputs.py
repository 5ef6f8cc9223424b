"""Request bodies and query parameters validated by serializers built once per thread.

perf: a DRF serializer re-creates every declared field when it is made (its
``fields`` are a deep copy of the class's, and a nested list serializer's child
is made again with its own fields). For the intake's body of up to 14 documents
that was two thirds of the time spent validating it (bench/dossiers_http.py,
docs/performance.md). The fields of an input serializer keep nothing of a
request once it is validated, so each thread keeps one serializer per class
and validates the next body with it; the validated data is handed over and
the serializer forgets it.

Only for serializers validated without context (no request, no instance):
what they check depends on the data alone.
"""

from __future__ import annotations

import threading
from typing import Any, cast

from rest_framework.serializers import Serializer

_built = threading.local()

# What ``is_valid`` leaves on a serializer; removed before the next validation.
_STATE = ("initial_data", "_validated_data", "_errors", "_data")


def validated_input(serializer_class: type[Serializer], data: Any) -> dict[str, Any]:
    """``data`` validated by ``serializer_class``; else DRF's ``ValidationError``."""
    serializers: dict[type[Serializer], Serializer] = _built.__dict__.setdefault("serializers", {})
    serializer = serializers.get(serializer_class)
    if serializer is None:
        serializer = serializers[serializer_class] = serializer_class()
    serializer.initial_data = data
    try:
        serializer.is_valid(raise_exception=True)
        return cast(dict[str, Any], serializer.validated_data)
    finally:
        for name in _STATE:
            serializer.__dict__.pop(name, None)
