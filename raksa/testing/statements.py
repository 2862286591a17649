"""Back-office test helpers: several claims at one unit (accepted, or in review), ready for statements."""

from __future__ import annotations

import datetime as dt
import re
import subprocess

from raksa.booking.tests.helpers import NOW
from raksa.claims.models import Claim
from raksa.claims.submit import claim_submit
from raksa.testing.claims import ClaimCase, make_visit
from raksa.testing.factories import CitizenFactory, CoverageFactory


def claim_at(case: ClaimCase, *, now: dt.datetime = NOW, verified: bool = True, amount=None, **citizen) -> Claim:
    """Another citizen's visit at ``case.unit`` at ``now``, claimed at once (accepted when verified, in review
    when not)."""
    person = CitizenFactory(**citizen)
    CoverageFactory(citizen=person)
    visit = make_visit(unit=case.unit, citizen=person, service=case.service, now=now, verified=verified)
    return claim_submit(actor=None, unit=case.unit, authen_code=visit.authen_code, amount=amount, now=now)


def pdf_text(pdf: bytes) -> str:
    """The PDF's text as `pdftotext -raw` reads it (content order: Thai marks stay with their letters), with
    SARA AM read back as NIKHAHIT + SARA AA (see raksa.claims.statements.PDF_GLYPH_PRIMER) folded into SARA AM."""
    text = subprocess.run(["pdftotext", "-raw", "-nopgbrk", "-", "-"], input=pdf, capture_output=True, check=True
                          ).stdout.decode()
    return re.sub("\u0e4d([\u0e48-\u0e4b]?)\u0e32", "\\1\u0e33", text)
