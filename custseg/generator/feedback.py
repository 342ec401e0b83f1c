"""Customer feedback: survey responses (one row per answer) and support tickets.

Both reach customers by crm_id (often) and email; `_contact` chooses which a record carries.
"""

from __future__ import annotations

import numpy as np

from custseg.generator import sql as S
from custseg.generator import vocab as V
from custseg.generator.context import Context, Source
from custseg.generator.crm import Crm
from custseg.generator.draw import obj, pick
from custseg.generator.io import DirtSpec, take
from custseg.generator.people import People


def build_surveys(ctx: Context, people: People, crm: Crm) -> None:
    """Write `survey_responses` (NPS, CSAT and profile answers) and its truth."""
    rng, cal = ctx.rng, ctx.cal
    n_cust = people.n_cust
    respondents = np.flatnonzero(rng.random(n_cust) < 0.25)
    n_resp = 1 + rng.poisson(0.5, len(respondents))
    person = np.repeat(respondents, n_resp)
    r = len(person)
    crm_ids, email = _contact(rng, people, crm, person, 0.85)
    stype = pick(rng, r, (0.45, 0.35, 0.2))
    day = cal.sample_days(rng, people.first_day[person], np.full(r, cal.days - 1))
    t = cal.seconds(rng, day, people.tz[person])
    # rows: nps -> score (+ comment 30%), csat -> score, profile -> each key with 75%
    keys = np.array([[0, 5, -1, -1, -1], [1, -1, -1, -1, -1], [2, 3, 4, 6, -1]])
    take_key = np.zeros((r, 5), bool)
    take_key[:, 0] = True
    take_key[:, 1] = (stype == 0) & (rng.random(r) < 0.3)
    prof = stype == 2
    chosen = rng.random((r, 4)) < 0.75
    chosen[:, 0] |= ~chosen.any(axis=1)
    take_key[prof, 0:4] = chosen[prof]
    take_key[prof, 4] = False
    resp_rows, slot = np.nonzero(take_key)
    qkey = np.where(
        prof[resp_rows],
        np.array([2, 3, 4, 6])[np.minimum(slot, 3)],
        keys[stype[resp_rows], slot],
    )
    n = len(resp_rows)
    arch = people.arch[person[resp_rows]]
    fav = np.array(V.ARCHETYPE_ANSWERS)[arch]
    vocab = [V.INTERESTS, V.VALUES, V.LIFESTYLES, V.PAIN_POINTS]
    texts = np.full(n, None, dtype=object)
    for j, (qk, words) in enumerate(zip((2, 3, 4, 6), vocab, strict=True)):
        m = qkey == qk
        choice = np.where(rng.random(n) < 0.6, fav[:, j], rng.integers(0, len(words), n))
        texts[m] = obj(words)[choice[m]]
    texts[qkey == 5] = obj(V.NPS_COMMENTS)[
        rng.integers(0, len(V.NPS_COMMENTS), int((qkey == 5).sum()))
    ]
    nps = np.clip(np.round(rng.normal(np.where(arch == 3, 8.5, 7.3), 2.0, n)), 0, 10)
    csat = np.clip(np.round(rng.normal(3.9, 1.0, n)), 1, 5)
    score = np.select([qkey == 0, qkey == 1], [nps, csat], np.nan)
    data = {
        "rid": resp_rows.astype(np.int64),
        "crm": crm_ids[resp_rows],
        "email": email[resp_rows],
        "ev": rng.integers(0, 5, n).astype(np.int8),
        "t": t[resp_rows],
        "stype": stype[resp_rows].astype(np.int8),
        "qkey": obj(
            (
                "nps_score",
                "csat_score",
                "interest",
                "value",
                "lifestyle",
                "comment",
                "pain_point",
            )
        )[qkey],
        "text": texts,
        "score": score,
    }
    data = take(data, np.lexsort((np.arange(n), data["t"])))
    nps_rows = data["qkey"] == "nps_score"
    csat_rows = data["qkey"] == "csat_score"
    specs = [
        DirtSpec("score_out_of_range", "answer_score", ("11", "-1", "42"), 0.004, "nps"),
        DirtSpec("score_out_of_range", "answer_score", ("0", "6", "10"), 0.004, "csat"),
        DirtSpec("unknown_survey_type", "survey_type", ("exit_poll", "NPS v2", "poll"), 0.003),
        DirtSpec("missing_key", "response_id", (None,), 0.002, kind="nokey"),
        DirtSpec("missing_required_value", "submitted_at", (None,), 0.002),
        DirtSpec("unparsable_timestamp", "submitted_at", ("31/02/2024 25:61", "last week"), 0.002),
        DirtSpec("duplicate_delivery", "", (), 0.003, kind="dup"),
    ]
    response_id = "'R' || lpad((rid + 1)::varchar, 8, '0')"
    columns = [
        ("response_id", response_id),
        ("crm_id", S.CRM_ID),
        ("email", S.EMAIL),
        ("submitted_at", S.ts("t")),
        ("survey_type", "(['nps', 'csat', 'profile'])[stype + 1]"),
        ("question_key", "qkey"),
        ("answer_text", "text"),
        ("answer_score", "case when isnan(score) then null else score::integer::varchar end"),
    ]
    source = Source("survey_responses", columns, "response_id", f"{response_id} || '|' || qkey")
    ctx.finish_source(
        source, data, np.arange(n, dtype=np.float64), specs, {"nps": nps_rows, "csat": csat_rows}
    )
    ctx.sink.truth(
        "survey_responses", {"rid": np.arange(r), "person": person}, response_id, S.PERSON_ID
    )


def build_tickets(ctx: Context, people: People, crm: Crm) -> None:
    """Write `support_tickets` and its truth."""
    rng, cal = ctx.rng, ctx.cal
    who = np.flatnonzero(rng.random(people.n_cust) < 0.12)
    person = np.repeat(who, 1 + rng.poisson(0.4, len(who)))
    n = len(person)
    crm_ids, email = _contact(rng, people, crm, person, 0.8)
    day = cal.sample_days(rng, people.first_day[person], people.last_day[person])
    t = np.sort(cal.seconds(rng, day, people.tz[person]))
    arch = people.arch[person]
    cat = np.where(
        arch == 0,
        pick(rng, n, (3, 1, 3, 1, 1, 0.5, 1)),
        pick(rng, n, (4, 2, 1, 1.5, 1, 1, 1)),
    )
    sat = np.where(
        rng.random(n) < 0.4, -1, np.clip(np.round(rng.normal(3.6, 1.2, n)), 1, 5)
    ).astype(int)
    data = {
        "tid": np.arange(n, dtype=np.int64),
        "crm": crm_ids,
        "email": email,
        "ev": rng.integers(0, 5, n).astype(np.int8),
        "t": t,
        "cat": obj(V.TICKET_CATEGORIES)[cat],
        "status": obj(V.TICKET_STATUSES)[pick(rng, n, (5, 3, 1, 1, 0.3))],
        "sat": sat,
    }
    specs = [
        DirtSpec("unknown_ticket_category", "category", ("shipping??", "misc", "complaint"), 0.006),
        DirtSpec("score_out_of_range", "satisfaction_score", ("0", "7", "9"), 0.006),
        DirtSpec("unparsable_timestamp", "created_at", ("31/02/2024 25:61", "yesterday"), 0.005),
        DirtSpec("missing_required_value", "created_at", (None,), 0.004),
        DirtSpec("missing_key", "ticket_id", (None,), 0.004, kind="nokey"),
        DirtSpec("duplicate_delivery", "", (), 0.004, kind="dup"),
    ]
    ticket_id = "'TK' || lpad((tid + 1)::varchar, 8, '0')"
    columns = [
        ("ticket_id", ticket_id),
        ("crm_id", S.CRM_ID),
        ("email", S.EMAIL),
        ("created_at", S.ts("t")),
        ("category", "cat"),
        ("status", "status"),
        ("satisfaction_score", "case when sat >= 0 then sat::varchar end"),
    ]
    source = Source("support_tickets", columns, "ticket_id", ticket_id)
    ctx.finish_source(source, data, np.arange(n, dtype=np.float64), specs, {})
    ctx.sink.truth(
        "support_tickets", {"tid": np.arange(n), "person": person}, ticket_id, S.PERSON_ID
    )


def _contact(
    rng: np.random.Generator, people: People, crm: Crm, person: np.ndarray, crm_share: float
) -> tuple[np.ndarray, np.ndarray]:
    """crm_id number (or -1) and canonical email (or None) for records of customers."""
    n = len(person)
    has_crm = people.has_crm[person]
    safe = people.safe[person]
    crm_on = has_crm & ((rng.random(n) < crm_share) | safe)
    use_dup = crm_on & people.has_dup[person] & (rng.random(n) < 0.3)
    crm_ids = np.where(crm_on, np.where(use_dup, crm.dup[person], crm.primary[person]), -1)
    email_on = ~crm_on | (rng.random(n) < 0.5)
    return crm_ids, np.where(email_on, people.email[person], None)
