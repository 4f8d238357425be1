"""The review packet as a PDF, for scripts: the same packet as the page's PDF button and
`accountable packet`, as the caller may read it (their own, their people's; never
another rep's: 404)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from accountable.api.people import person_by_email
from accountable.org.services import organisation_get
from accountable.packets.pdf import packet_pdf
from accountable.packets.selectors import packet_get, packet_span

router = Router(tags=["packets"])


class PacketQuery(Schema):
    person: str = Field(..., min_length=1, max_length=254, description="Whose (an e-mail).")
    period: str = Field(
        "", max_length=20, description="2026-Q4, 2026-11, 2026 or 2026-W45 (default: this quarter)."
    )
    as_of: str = Field(
        "", max_length=20, description="YYYY-MM-DD (default: today, or a past period's end)."
    )
    private: bool = Field(
        False,
        description="Include private check-in notes: only for the person's manager chain and "
        "admins (ignored for anyone else); the packet then says on every page that it is "
        "for them only.",
    )


@router.get(
    "/packets/pdf",
    summary="A person's review packet as a PDF",
    description="Everything for a review conversation about a person and a period: the "
    "scorecard against the team and their own history, warnings with their evidence, the "
    "diagnosis and the three rights, commitments, forecast accuracy, open action items, the "
    "last check-ins and the latest performance review. The PDF says when its data was read. "
    "400: a period or day that cannot be read; 404: no such person among yours.",
    openapi_extra={
        "responses": {
            200: {
                "description": "The packet (application/pdf).",
                "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def packet_download(request: HttpRequest, query: Query[PacketQuery]):
    person = person_by_email(request.user, query.person)
    period, as_of = packet_span(
        organisation_get().calendar, query.period, query.as_of, timezone.localdate()
    )
    packet = packet_get(request.user, person, period=period, as_of=as_of, private=query.private)
    response = HttpResponse(packet_pdf(packet), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{packet.file_name}"'
    return response
