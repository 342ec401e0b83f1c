"""Privacy requests: marketing opt-out / opt-in and erasure requests of CRM customers."""

from __future__ import annotations

import numpy as np

from custseg.generator import sql as S
from custseg.generator.context import Context, Source
from custseg.generator.crm import Crm
from custseg.generator.draw import pick
from custseg.generator.io import DirtSpec
from custseg.generator.people import People

ERASURE = 2  # request type index: marketing_opt_out, marketing_opt_in, erasure
# share of consent requests and of erasure requests made in the last 30 days of the calendar
RECENT_SHARE = (1 / 3, 1 / 2)


def build_privacy(ctx: Context, people: People, crm: Crm) -> None:
    """Write `privacy_requests` and its truth."""
    rng, cal = ctx.rng, ctx.cal
    requesters = np.flatnonzero(
        people.has_crm & ~people.safe & (rng.random(len(people.prospect)) < 0.035)
    )
    n = len(requesters)
    rtype = pick(rng, n, (0.55, 0.35, 0.1))
    crm_on = rng.random(n) < 0.7
    use_dup = crm_on & people.has_dup[requesters] & (rng.random(n) < 0.3)
    crm_ids = np.where(crm_on, np.where(use_dup, crm.dup[requesters], crm.primary[requesters]), -1)
    email = np.where(~crm_on | (rng.random(n) < 0.4), people.email[requesters], None)
    # some requests are recent (the last 30 days), so that with daily deliveries erasure and
    # consent requests arrive after the person's data
    recent = rng.random(n) < np.where(rtype == ERASURE, RECENT_SHARE[1], RECENT_SHARE[0])
    earliest = np.minimum(people.first_day[requesters] + 30, cal.days - 1)
    earliest = np.where(recent, np.maximum(earliest, cal.days - 30), earliest)
    day = cal.sample_days(rng, earliest, np.full(n, cal.days - 1))
    t = cal.seconds(rng, day, people.tz[requesters])
    ev = rng.integers(0, 5, n).astype(np.int8)
    # request ids in time order; each request keeps its person, identifiers, type and time
    order = np.argsort(t, kind="stable")
    data = {
        "qid": np.arange(n, dtype=np.int64),
        "person": requesters[order],
        "crm": crm_ids[order],
        "email": email[order],
        "ev": ev[order],
        "rtype": rtype[order].astype(np.int8),
        "t": t[order],
    }
    specs = [
        DirtSpec("missing_identifier", "crm_id", (None,), 0.01),
        DirtSpec(
            "unknown_request_type",
            "request_type",
            ("delete_me??", "unsubscribe_all", "gdpr"),
            0.01,
        ),
        DirtSpec("missing_required_value", "requested_at", (None,), 0.008),
        DirtSpec("missing_key", "request_id", (None,), 0.008, kind="nokey"),
        DirtSpec("duplicate_delivery", "", (), 0.008, kind="dup"),
    ]
    request_id = "'PR' || lpad((qid + 1)::varchar, 7, '0')"
    columns = [
        ("request_id", request_id),
        ("crm_id", S.CRM_ID),
        ("email", "case when dc = 1 then null else " + S.EMAIL + " end"),
        ("request_type", "(['marketing_opt_out', 'marketing_opt_in', 'erasure'])[rtype + 1]"),
        ("requested_at", S.ts("t")),
    ]
    # missing_identifier overrides crm_id (column 1) with null; the email expression
    # empties itself on the same rows, so the row has neither identifier.
    source = Source("privacy_requests", columns, "request_id", request_id)
    ctx.finish_source(source, data, np.arange(n, dtype=np.float64), specs, {})
    ctx.sink.truth("privacy_requests", data, request_id, S.PERSON_ID)
