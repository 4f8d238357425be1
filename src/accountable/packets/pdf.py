"""The review packet as a PDF, rendered by WeasyPrint in the request (one packet, one
click: about a second — docs/packets.md says how it was measured).

The PDF is the same HTML as the page, laid out for A4 by `packet.css`'s print rules, with
the charts inline as SVG so they stay vector. Nothing is fetched from anywhere: the
stylesheets are read from disk and given to WeasyPrint as they are, and its URL fetcher
refuses every URL but inline `data:` ones and files inside the product's own static
folders — so no address in a note or a name can make the server call another host.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher

from accountable.packets.selectors import Packet

STYLESHEETS = ("accountable/app.css", "packets/packet.css")


class LocalOnly(URLFetcher):
    """WeasyPrint's fetcher, allowed `data:` URLs and the product's static files only.
    `refused` keeps what it turned away (for the tests and the log)."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols=("data", "file"), allow_redirects=False)
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        scheme = urlsplit(url).scheme.lower()
        if scheme == "data" or (scheme == "file" and _is_static(url)):
            return super().fetch(url, headers)
        self.refused.append(url)
        raise ValueError(f"The packet loads nothing from elsewhere: refused {url[:200]}")


def _static_roots() -> list[Path]:
    roots = [Path(p).resolve() for p in getattr(settings, "STATICFILES_DIRS", [])]
    for finder in finders.get_finders():
        for storage in getattr(finder, "storages", {}).values():
            location = getattr(storage, "location", None)
            if location:
                roots.append(Path(location).resolve())
    if getattr(settings, "STATIC_ROOT", None):
        roots.append(Path(settings.STATIC_ROOT).resolve())
    return roots


def _is_static(url: str) -> bool:
    path = Path(unquote(urlsplit(url).path)).resolve()
    return any(path.is_relative_to(root) for root in _static_roots())


def stylesheet_text(name: str) -> str:
    """A stylesheet of the product, read from disk."""
    found = finders.find(name)
    if not found:
        raise FileNotFoundError(f"No static file {name}")
    return Path(found).read_text(encoding="utf-8")


def packet_html(packet: Packet) -> str:
    """The packet's HTML for print: the page's sections without the site around them."""
    return render_to_string("packets/packet_print.html", {"packet": packet})


def packet_pdf(packet: Packet, fetcher: LocalOnly | None = None) -> bytes:
    """The packet as PDF bytes."""
    fetcher = fetcher or LocalOnly()
    static = finders.find("accountable/app.css")
    base = Path(static).parent.as_uri() + "/" if static else None
    styles = [CSS(string=stylesheet_text(name), url_fetcher=fetcher) for name in STYLESHEETS]
    document = HTML(string=packet_html(packet), base_url=base, url_fetcher=fetcher)
    return document.write_pdf(stylesheets=styles)
