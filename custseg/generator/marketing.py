"""Marketing: leads (prospects and converted customers) and marketing touches.

`build_leads` returns which prospects left a phone number and which are reached by
campaigns; `build_touches` needs both to choose channels and recipients.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from custseg.generator import sql as S
from custseg.generator import vocab as V
from custseg.generator.calendar import DAY
from custseg.generator.context import Context, Source
from custseg.generator.crm import Crm
from custseg.generator.draw import obj, pick
from custseg.generator.io import DirtSpec, malformed_contact
from custseg.generator.people import People
from custseg.generator.web import Web


@dataclass(frozen=True)
class Leads:
    """Per person: a lead with a phone number (prospects only), reached by campaigns."""

    has_phone: np.ndarray
    touched: np.ndarray


def build_leads(ctx: Context, people: People, crm: Crm, web: Web) -> Leads:
    """Write `leads` and its truth; dirt only where no other record points to the person."""
    rng, cal = ctx.rng, ctx.cal
    prospects = np.arange(people.n_cust, people.n)
    crm_people = np.flatnonzero(people.has_crm & ~people.safe)
    converted = crm_people[rng.random(len(crm_people)) < 0.07]
    person = np.concatenate([prospects, converted])
    n = len(person)
    is_conv = np.arange(n) >= len(prospects)
    created_day = np.where(
        is_conv,
        np.maximum(crm.signup_day[person] - rng.integers(3, 90, n), -300),
        pick(rng, n, cal.weights),
    )
    created_day = np.clip(created_day, -300, cal.days - 1)
    t = cal.start_sec + created_day.astype(np.int64) * DAY + rng.integers(0, DAY, n)
    order = np.argsort(t, kind="stable")
    person, is_conv, t = person[order], is_conv[order], t[order]
    vn = people.country[person] == 0
    full = np.where(
        vn,
        people.last[person] + " " + people.middle[person] + " " + people.first[person],
        people.first[person] + " " + people.last[person],
    )
    biz = people.business[person]
    company = (
        obj(V.COMPANY_WORDS_1)[people.company_1[person]]
        + " "
        + obj(V.COMPANY_WORDS_2)[people.company_2[person]]
    )
    has_phone = np.zeros(len(people.prospect), bool)
    phone_on = is_conv & (rng.random(n) < 0.3) | ~is_conv & (rng.random(n) < 0.7)
    has_phone[person[phone_on & ~is_conv]] = True
    status = np.where(is_conv, 4, pick(rng, n, (0.35, 0.3, 0.15, 0.2)))
    data = {
        "lid": np.arange(n, dtype=np.int64),
        "person": person,
        "email": people.email[person],
        "ev": rng.integers(0, 5, n).astype(np.int8),
        "phone": np.where(phone_on, people.phone[person], None),
        "pk": people.pk[person],
        "cc": people.cc[person],
        "pv": rng.integers(0, 5, n).astype(np.int8),
        "fullname": full,
        "company": np.where(biz, company, None),
        "industry": np.where(
            biz,
            obj(V.INDUSTRIES)[
                (people.company_1[person] * 7 + people.company_2[person]) % len(V.INDUSTRIES)
            ],
            None,
        ),
        "employees": np.where(biz, np.exp(rng.normal(3.2, 1.3, n)).astype(int) + 2, -1),
        "source": obj(V.LEAD_SOURCES)[pick(rng, n, (4, 2, 1.5, 3, 1))],
        "status": obj(V.LEAD_STATUSES)[status],
        "t": t,
    }
    # dirt only on leaves: converted leads, or prospects reached by nothing else
    leaf = is_conv.copy()
    prospect_has_dev = np.zeros(len(people.prospect), bool)
    prospect_has_dev[web.dev_owner[web.dev_owner >= 0]] = True
    touched = rng.random(len(people.prospect)) < 0.8
    lonely = ~is_conv & ~prospect_has_dev[person] & ~touched[person]
    leaf |= lonely
    biz_leaf = leaf & biz
    specs = [
        DirtSpec("unknown_lead_status", "status", ("hot??", "maybe_later", "won"), 0.006, "leaf"),
        DirtSpec(
            "unknown_lead_source", "source", ("tradeshow??", "cold_call", "tv"), 0.006, "leaf"
        ),
        DirtSpec("missing_required_value", "created_at", (None,), 0.004, "leaf"),
        DirtSpec("missing_key", "lead_id", (None,), 0.004, "leaf", kind="nokey"),
        DirtSpec("duplicate_delivery", "", (), 0.004, "leaf", kind="dup"),
        DirtSpec(
            "negative_count", "employee_count", ("-5", "-40"), 0.004, "biz_leaf", rejected=False
        ),
    ]
    lead_id = "'L' || lpad((lid + 1)::varchar, 8, '0')"
    columns = [
        ("lead_id", lead_id),
        ("email", S.EMAIL),
        ("phone", S.PHONE),
        ("full_name", "fullname"),
        ("company_name", "company"),
        ("industry", "industry"),
        ("employee_count", "case when employees >= 0 then employees::varchar end"),
        ("source", "source"),
        ("status", "status"),
        ("created_at", S.ts("t")),
    ]
    source = Source("leads", columns, "lead_id", lead_id)
    ctx.finish_source(
        source, data, np.arange(n, dtype=np.float64), specs, {"leaf": leaf, "biz_leaf": biz_leaf}
    )
    ctx.sink.truth("leads", data, lead_id, S.PERSON_ID)
    return Leads(has_phone, touched)


def build_touches(ctx: Context, people: People, crm: Crm, leads: Leads) -> None:
    """Write `marketing_touches` (opted-in customers, touched prospects) and its truth."""
    rng, cal = ctx.rng, ctx.cal
    n_people = len(people.prospect)
    cust = np.arange(n_people) < people.n_cust
    per = np.where(
        cust & crm.opt_in,
        rng.poisson(2.2, n_people),
        np.where(
            ~cust & leads.touched,
            np.where(
                rng.random(n_people) < 0.15,
                rng.integers(6, 13, n_people),
                1 + rng.poisson(1.5, n_people),
            ),
            0,
        ),
    )
    person = np.repeat(np.arange(n_people), per)
    n = len(person)
    is_cust = person < people.n_cust
    channel = pick(rng, n, (0.5, 0.2, 0.15, 0.05, 0.1))
    no_phone = ~is_cust & ~leads.has_phone[person]
    channel = np.where(~is_cust & (channel == 2), 0, channel)
    channel = np.where(no_phone & np.isin(channel, [1, 3]), 0, channel)
    crm_ids = np.where(is_cust & people.has_crm[person], crm.primary[person], -1)
    # customers without a CRM record are reached on email/sms only
    channel = np.where(is_cust & (crm_ids < 0) & np.isin(channel, [2, 4]), 0, channel)
    email_on = np.isin(channel, [0, 4]) & ((crm_ids < 0) | (rng.random(n) < 0.7))
    email_on |= (crm_ids < 0) & ~np.isin(channel, [1, 3])
    phone_on = np.isin(channel, [1, 3])
    first = np.where(is_cust, people.first_day[person], rng.integers(0, cal.days, n))
    day = cal.sample_days(rng, np.minimum(first, cal.days - 1), np.full(n, cal.days - 1))
    sent = cal.seconds(rng, day, np.full(n, 7))
    order = np.lexsort((person, sent))
    person, channel, crm_ids, email_on, phone_on, sent = (
        a[order] for a in (person, channel, crm_ids, email_on, phone_on, sent)
    )
    opened = np.where(
        np.isin(channel, [0, 2, 1]) & (rng.random(n) < 0.35),
        sent + rng.integers(60, 2 * DAY, n),
        -1,
    )
    clicked = np.where(
        ((opened >= 0) | (channel == 4)) & (rng.random(n) < 0.25),
        np.maximum(opened, sent) + rng.integers(5, 3600, n),
        -1,
    )
    converted = np.where(
        (clicked >= 0) & (rng.random(n) < 0.15), clicked + rng.integers(60, 3 * DAY, n), -1
    )
    unsub = np.where(
        (channel <= 1) & (rng.random(n) < 0.015), sent + rng.integers(60, 5 * DAY, n), -1
    )
    clip = cal.end_sec
    month = ((sent - cal.start_sec) // (30 * DAY)).astype(np.int64)
    data = {
        "tid": np.arange(n, dtype=np.int64),
        "person": person,
        "crm": crm_ids,
        "email": np.where(email_on, people.email[person], None),
        "ev": rng.integers(0, 5, n).astype(np.int8),
        "phone": np.where(phone_on, people.phone[person], None),
        "pk": people.pk[person],
        "cc": people.cc[person],
        "pv": rng.integers(0, 5, n).astype(np.int8),
        "camp": month * 10 + channel,
        "channel": channel.astype(np.int8),
        "sent": sent,
        "opened": np.where(opened > clip, -1, opened),
        "clicked": np.where(clicked > clip, -1, clicked),
        "converted": np.where(converted > clip, -1, converted),
        "unsub": np.where(unsub > clip, -1, unsub),
    }
    crm_rows = crm_ids >= 0
    specs = [
        DirtSpec("unknown_channel", "channel", ("fax", "carrier_pigeon", "whatsapp??"), 0.001),
        DirtSpec(
            "future_timestamp",
            "sent_at",
            ("2031-03-01T08:00:00Z", "2045-07-07T07:07:07Z"),
            0.001,
        ),
        DirtSpec("missing_required_value", "sent_at", (None,), 0.0006),
        DirtSpec("unparsable_timestamp", "sent_at", ("31/02/2024 25:61", "tomorrow"), 0.0006),
        DirtSpec("missing_key", "touch_id", (None,), 0.0006, kind="nokey"),
        DirtSpec("duplicate_delivery", "", (), 0.001, kind="dup"),
        *malformed_contact(0.0008, 0.0006, "crm_rows"),
        DirtSpec(
            "placeholder_identifier",
            "email",
            ("test@test.com", "noemail@example.com", "none@none.com", "unknown"),
            0.0008,
            "crm_rows",
            rejected=False,
        ),
    ]
    touch_id = "'T' || lpad((tid + 1)::varchar, 9, '0')"

    def opt(col: str) -> str:
        return f"case when {col} >= 0 then {S.ts(col)} end"

    columns = [
        ("touch_id", touch_id),
        ("crm_id", S.CRM_ID),
        ("email", S.EMAIL),
        ("phone", S.PHONE),
        (
            "campaign_id",
            "'CMP-' || lpad((camp // 10 + 1)::varchar, 3, '0') || '-' || "
            "(['EM', 'SMS', 'PUSH', 'CALL', 'SOC'])[camp % 10 + 1]",
        ),
        ("channel", "(" + str(list(V.TOUCH_CHANNELS)) + ")[channel + 1]"),
        ("sent_at", S.ts("sent")),
        ("opened_at", opt("opened")),
        ("clicked_at", opt("clicked")),
        ("converted_at", opt("converted")),
        ("unsubscribed_at", opt("unsub")),
    ]
    source = Source("marketing_touches", columns, "touch_id", touch_id, parts=4)
    ctx.finish_source(source, data, np.arange(n, dtype=np.float64), specs, {"crm_rows": crm_rows})
    ctx.sink.truth("marketing_touches", data, touch_id, S.PERSON_ID)
