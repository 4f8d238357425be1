"""The review packet's page and its PDF: `/packets/<person>/?period=2026-Q4&as_of=…`.

Each view reads the period and day (bad ones fall back to this quarter with a message,
never a server error), asks `selectors.packet_get` for the packet as the signed-in
person may read it, and renders it — as the page, or through WeasyPrint as a PDF.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from accountable.org import abilities
from accountable.org.calendar import PeriodError
from accountable.org.scoping import ability_required
from accountable.org.services import organisation_get
from accountable.packets import selectors
from accountable.packets.pdf import packet_pdf
from accountable.packets.sections import may_read_private


def _packet(request, pk: int) -> selectors.Packet:
    person = selectors.packet_person(request.user, pk)
    today = timezone.localdate()
    calendar = organisation_get().calendar
    get = request.GET
    try:
        period, as_of = selectors.packet_span(
            calendar, get.get("period", "")[:20], get.get("as_of", "")[:20], today
        )
    except PeriodError as error:
        period, as_of = selectors.packet_span(calendar, "", "", today)
        messages.error(request, f"Showing {period.label} instead: {error}")
    return selectors.packet_get(
        request.user, person, period=period, as_of=as_of, private=get.get("private") == "1"
    )


def _query(packet: selectors.Packet) -> str:
    keep = {"period": packet.period.label, "as_of": packet.as_of.isoformat()}
    if packet.private:
        keep["private"] = "1"
    return urlencode(keep)


@ability_required(abilities.SEE_PACKETS)
def packet_page(request, pk: int):
    """The packet as a page, laid out to print."""
    packet = _packet(request, pk)
    context = {
        "packet": packet,
        "may_private": may_read_private(request.user, packet.person),
        "pdf_url": reverse("packets:pdf", args=[pk]) + "?" + _query(packet),
    }
    return render(request, "packets/packet.html", context)


@ability_required(abilities.SEE_PACKETS)
def packet_download(request, pk: int):
    """The packet as a PDF file."""
    packet = _packet(request, pk)
    response = HttpResponse(packet_pdf(packet), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{packet.file_name}"'
    response["Cache-Control"] = "private, no-store"
    return response
