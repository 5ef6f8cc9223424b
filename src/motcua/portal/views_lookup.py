"""The public status lookup ``/tra-cuu/``: by dossier code and a second factor, or by QR.

Thin: parse, check the rate limits, call
:func:`~motcua.dossiers.selectors_public.dossier_lookup_public`, render. The
receipt's QR code opens ``/tra-cuu/?ma=<code>&k=<secret>`` (see
``dossiers.forms_pdf.lookup_url``); the form posts the same two fields, so
the last digits of a phone number never land in an address bar or a log.

A wrong code and a wrong factor get the same page with the same status;
every lookup counts against the client address, and every failed one
against the code, in the cache (:func:`lookup_limited`).
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from motcua.dossiers.selectors_public import (
    PublicDossier,
    dossier_lookup_public,
    normalise_code,
)
from motcua.feedback.selectors import survey_answered
from motcua.feedback.signing import survey_token_for_dossier

_PERIODS = {
    "s": 1,
    "sec": 1,
    "m": 60,
    "min": 60,
    "h": 3600,
    "hour": 3600,
    "d": 86400,
    "day": 86400,
}


# --- rate limits (shared with the API and the survey) ----------------------------------


@dataclass(frozen=True)
class Rate:
    """``count`` requests per ``seconds``."""

    count: int
    seconds: int


def parse_rate(text: str) -> Rate | None:
    """ "60/min" → Rate(60, 60); empty, "0" or malformed → None (no limit)."""
    count, _sep, period = (text or "").strip().partition("/")
    if not count.isdigit() or int(count) == 0:
        return None
    seconds = _PERIODS.get(period.strip().lower())
    if seconds is None:
        return None
    return Rate(int(count), seconds)


def client_ip(request: HttpRequest) -> str:
    """The client address: REMOTE_ADDR, or the entry MOTCUA_NUM_PROXIES from the right of
    X-Forwarded-For (only trusted proxies append there; the left part is the client's word)."""
    proxies = int(getattr(settings, "MOTCUA_NUM_PROXIES", 0) or 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies > 0 and forwarded:
        entries = [entry.strip() for entry in forwarded.split(",") if entry.strip()]
        if entries:
            return entries[-min(proxies, len(entries))][:64]
    return str(request.META.get("REMOTE_ADDR", ""))[:64]


def _window_key(name: str, rate: Rate) -> str:
    window = int(time.time() // rate.seconds)
    return "motcua:rl:%s:%d:%d" % (name, rate.seconds, window)  # noqa: UP031


def _count(name: str, rate: Rate) -> int:
    return int(cache.get(_window_key(name, rate), 0))


def _hit(name: str, rate: Rate) -> int:
    """Add one to the counter of the current window; the new value."""
    key = _window_key(name, rate)
    # perf: add the hit first and create the counter only when the window
    # has none yet: one Redis round trip fewer on all but the first hit of
    # a window (bench/public_lookup.py --counted).
    try:
        return int(cache.incr(key))
    except ValueError:  # the window's first hit
        if cache.add(key, 1, rate.seconds + 1):
            return 1
    try:
        return int(cache.incr(key))  # another process created it meanwhile
    except ValueError:  # and it expired since
        cache.set(key, 1, rate.seconds + 1)
        return 1


def _code_name(code: str) -> str:
    # Hashed: cache keys must be short and plain whatever the client typed.
    return "code:" + hashlib.sha256(normalise_code(code).encode()).hexdigest()[:32]


def _retry_after(rate: Rate) -> int:
    return max(1, rate.seconds - int(time.time()) % rate.seconds)


def lookup_limited(request: HttpRequest, code: str) -> int | None:
    """Count one lookup from this client; seconds to wait if a limit is reached, else None."""
    per_ip = parse_rate(settings.MOTCUA_LOOKUP_RATE_PER_IP)
    per_code = parse_rate(settings.MOTCUA_LOOKUP_RATE_PER_CODE)
    ip_name = "ip:" + client_ip(request)
    counts = _redis_counts(ip_name, per_ip, _code_name(code), per_code)
    if counts is None:
        counts = (
            _hit(ip_name, per_ip) if per_ip is not None else 0,
            _count(_code_name(code), per_code) if per_code is not None else 0,
        )
    if per_ip is not None and counts[0] > per_ip.count:
        return _retry_after(per_ip)
    if per_code is not None and counts[1] >= per_code.count:
        return _retry_after(per_code)
    return None


def _redis_counts(
    ip_name: str, per_ip: Rate | None, code_name: str, per_code: Rate | None
) -> tuple[int, int] | None:
    """Both counters in one Redis round trip when the cache is Redis, else None.

    perf: through the cache API a lookup's limits took four round trips (add,
    exists, incr, get) on the busiest public read; here it is one pipeline
    on the same keys and values the cache API reads and writes.
    """
    backend = caches["default"]
    if not isinstance(backend, RedisCache) or (per_ip is None and per_code is None):
        return None
    client = backend._cache.get_client(write=True)
    pipeline = client.pipeline(transaction=False)
    if per_ip is not None:
        key = backend.make_and_validate_key(_window_key(ip_name, per_ip))
        pipeline.set(key, 0, ex=per_ip.seconds + 1, nx=True)
        pipeline.incr(key)
    if per_code is not None:
        pipeline.get(backend.make_and_validate_key(_window_key(code_name, per_code)))
    replies = pipeline.execute()
    ip_count = int(replies[1]) if per_ip is not None else 0
    code_count = int(replies[-1] or 0) if per_code is not None else 0
    return ip_count, code_count


def lookup_failed(code: str) -> None:
    """Count a failed lookup against the code (a wrong factor, or a code that does not exist)."""
    per_code = parse_rate(settings.MOTCUA_LOOKUP_RATE_PER_CODE)
    if per_code is not None:
        _hit(_code_name(code), per_code)


def survey_limited(request: HttpRequest) -> int | None:
    """Count one survey answer from this client; seconds to wait if over the limit."""
    rate = parse_rate(settings.MOTCUA_SURVEY_RATE_PER_IP)
    if rate is not None and _hit("survey:" + client_ip(request), rate) > rate.count:
        return _retry_after(rate)
    return None


# --- the page ----------------------------------------------------------------------


class LookupForm(forms.Form):
    ma = forms.CharField(
        label=gettext_lazy("Mã hồ sơ"),
        max_length=60,
        help_text=gettext_lazy("In trên giấy tiếp nhận hồ sơ, ví dụ 000.00.01.H26-260105-0012."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    k = forms.CharField(
        label=gettext_lazy("Bốn số cuối số điện thoại hoặc mã bí mật tra cứu"),
        max_length=32,
        help_text=gettext_lazy(
            "Số điện thoại đã khai khi nộp hồ sơ, hoặc mã bí mật 6 ký tự in trên giấy tiếp nhận."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


def _private(response: HttpResponse) -> HttpResponse:
    # Personal data and a secret in the address: never cached by anyone,
    # never sent to another site as a Referer ("same-origin", not
    # "no-referrer": with that, browsers post forms with "Origin: null" and
    # the CSRF check refuses them), never indexed.
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _form_page(
    request: HttpRequest, form: LookupForm, *, status: int = 200, error: str = ""
) -> HttpResponse:
    return _private(
        render(request, "portal/lookup/form.html", {"form": form, "error": error}, status=status)
    )


def _not_found_message() -> str:
    return _(
        "Không tìm thấy hồ sơ khớp với mã hồ sơ và thông tin xác nhận đã nhập. Vui lòng kiểm "
        "tra lại mã trên giấy tiếp nhận, bốn số cuối số điện thoại hoặc mã bí mật tra cứu."
    )


def throttled_message(wait: int) -> str:
    return _("Bạn đã tra cứu quá nhiều lần. Vui lòng thử lại sau %(wait)s giây.") % {"wait": wait}


@require_http_methods(["GET", "HEAD", "POST"])
def lookup(request: HttpRequest) -> HttpResponse:
    """``/tra-cuu/``: the form; with a code and a factor (QR link or form), the masked status."""
    data = request.POST if request.method == "POST" else request.GET
    if "ma" not in data and "k" not in data:
        return _form_page(request, LookupForm())
    form = LookupForm(data)
    if not form.is_valid():
        return _form_page(request, form, status=400)
    code, factor = form.cleaned_data["ma"], form.cleaned_data["k"]
    wait = lookup_limited(request, code)
    if wait is not None:
        response = _form_page(
            request, LookupForm(initial={"ma": code}), status=429, error=throttled_message(wait)
        )
        response["Retry-After"] = str(wait)
        return response
    found = dossier_lookup_public(code=code, factor=factor)
    if found is None:
        lookup_failed(code)
        # The same page and status for an unknown code and a wrong factor.
        return _form_page(
            request, LookupForm(initial={"ma": code}), status=404, error=_not_found_message()
        )
    return _private(render(request, "portal/lookup/result.html", _result_context(found)))


def _result_context(found: PublicDossier) -> dict[str, object]:
    survey_token = ""
    answered = False
    if found.rateable:
        answered = survey_answered(dossier_id=found.id)
        if not answered:
            survey_token = survey_token_for_dossier(dossier_id=found.id)
    return {"dossier": found, "survey_token": survey_token, "survey_answered": answered}
