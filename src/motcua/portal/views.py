"""Citizen-facing pages. Thin: parse, fetch through selectors, render."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def home(request: HttpRequest) -> HttpResponse:
    """The portal home: what the one-stop shop does, procedure search and quick links."""
    return render(request, "portal/home.html")
