"""CRM customer records: ids, loyalty cards, signups, contact details, versions and dirt.

`build_crm` writes `crm_customers` (and its identity truth) and returns the CRM facts later
steps need: which crm_id and loyalty card a person has, when they signed up, their opt-in.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from custseg.generator import crm_profile
from custseg.generator import sql as S
from custseg.generator import vocab as V
from custseg.generator.calendar import DAY, Calendar
from custseg.generator.context import Context, Source
from custseg.generator.draw import obj, pick, unique_numbers, upper
from custseg.generator.io import MALFORMED_EMAILS, MALFORMED_PHONES, Arrays, DirtSpec
from custseg.generator.people import People
from custseg.generator.versions import Versions, expand, late_arrivals


@dataclass(frozen=True)
class Crm:
    """Per person (index = person): CRM numbers, loyalty card, signup day and opt-in."""

    primary: np.ndarray  # crm number of the person's record, -1 without one
    dup: np.ndarray  # crm number of the person's duplicate record, -1 without one
    card: np.ndarray  # loyalty card number, -1 without one
    signup_day: np.ndarray  # day offset of the primary record's signup
    opt_in: np.ndarray  # marketing opt-in of the primary record's newest version
    superseded: int  # crm_customers rows that are older versions


def build_crm(ctx: Context, people: People) -> Crm:
    """Draw the CRM records, write `crm_customers` and its truth, return the CRM facts."""
    rng, cal = ctx.rng, ctx.cal
    persons = np.flatnonzero(people.has_crm)
    dups = np.flatnonzero(people.has_dup)
    rec_person = np.concatenate([persons, dups])
    is_dup = np.concatenate([np.zeros(len(persons), bool), np.ones(len(dups), bool)])
    n_rec = len(rec_person)
    crm_num = unique_numbers(rng, n_rec, 100_000_000)
    primary = np.full(people.n, -1, np.int64)
    primary[persons] = crm_num[: len(persons)]
    dup = np.full(people.n, -1, np.int64)
    dup[dups] = crm_num[len(persons) :]
    card = np.full(people.n, -1, np.int64)
    holders = np.flatnonzero(people.has_card)
    card[holders] = unique_numbers(rng, len(holders), 10_000_000_000)
    # signup before the first activity; the duplicate record is created later
    first = people.first_day[rec_person]
    signup_day = first - rng.exponential(120, n_rec).astype(int)
    signup_day = np.where(is_dup, first + rng.integers(30, 400, n_rec), signup_day)
    signup_day = np.clip(signup_day, -730, cal.days - 2)
    signup = cal.start_sec + signup_day.astype(np.int64) * DAY + rng.integers(0, DAY, n_rec)
    rec = {
        "person": rec_person,
        "crm": crm_num,
        "is_dup": is_dup,
        "signup": signup,
        "card": np.where(is_dup, -1, card[rec_person]),
        **_contact_columns(rng, people, rec_person, is_dup),
        **crm_profile.demographics(rng, cal, people, rec_person),
        **crm_profile.place(rng, people, rec_person),
        **crm_profile.business(rng, people, rec_person),
    }
    ver, base = _versions(rng, cal, people, rec)
    _write_crm(ctx, people, rec, ver, base)
    first_signup = np.zeros(people.n, np.int64)
    first_signup[persons] = signup_day[: len(persons)]
    opt_in = np.zeros(people.n, bool)
    opt_in[persons] = rec["opt_in"][: len(persons)]
    return Crm(primary, dup, card, first_signup, opt_in, ver.superseded)


def _contact_columns(
    rng: np.random.Generator, people: People, rec_person: np.ndarray, is_dup: np.ndarray
) -> Arrays:
    """Email, phone and names; the duplicate shares the email (60%) or the phone."""
    n_rec = len(rec_person)
    country = people.country[rec_person]
    rec: Arrays = {}
    share_email = rng.random(n_rec) < 0.6
    rec["email"] = np.where(
        is_dup & ~share_email, people.email2[rec_person], people.email[rec_person]
    )
    rec["phone"] = np.where(is_dup & share_email, None, people.phone[rec_person])
    rec["pk"] = people.pk[rec_person]
    rec["cc"] = people.cc[rec_person]
    rec["ev"] = np.where(is_dup, rng.integers(1, 5, n_rec), pick(rng, n_rec, (8, 1, 0.3, 0.5, 0.2)))
    rec["pv"] = np.where(is_dup, rng.integers(0, 5, n_rec), pick(rng, n_rec, (5, 2, 1, 1, 1)))
    first_name = people.first[rec_person]
    last_name = np.where(
        country == 0,
        people.last[rec_person] + " " + people.middle[rec_person],
        people.last[rec_person],
    )
    shout = is_dup & (rng.random(n_rec) < 0.3)
    rec["first_name"] = np.where(shout, upper(first_name), first_name)
    rec["last_name"] = np.where(shout, upper(last_name), last_name)
    return rec


def _versions(
    rng: np.random.Generator, cal: Calendar, people: People, rec: Arrays
) -> tuple[Versions, Arrays]:
    """25% of records have two versions, 5% three; identifiers never change between them.
    Older versions may carry an older address, the other opt-in, fewer children."""
    n_rec = len(rec["person"])
    nver = 1 + (rng.random(n_rec) < 0.25) + (rng.random(n_rec) < 0.05)
    nver = np.where(people.safe[rec["person"]], 1, nver)
    ver, base = expand(rec, nver)
    rows, v, nv = ver.rows, ver.v, ver.nv
    frac = np.where(v == 0, 0.0, (v + rng.random(len(rows))) / nv)
    span = np.maximum(cal.end_sec - base["signup"], 1)
    upd = base["signup"] + (frac * span).astype(np.int64) + v
    base["upd"] = np.minimum(upd, cal.end_sec)
    base["v"] = v
    older = v < nv - 1
    moved = older & (rng.random(len(rows)) < 0.5)
    # an older address: a neighbouring city of the same country (if there is one)
    city = people.city[rec["person"]].astype(np.int64)
    flat, offsets = crm_profile.city_variants()
    city_country = np.array([c[5] for c in V.CITIES])
    nxt = (city[rows] + 1) % len(V.CITIES)
    prv = (city[rows] - 1) % len(V.CITIES)
    alt = np.where(
        city_country[nxt] == city_country[city[rows]],
        nxt,
        np.where(city_country[prv] == city_country[city[rows]], prv, city[rows]),
    )
    base["city"] = np.where(moved, flat[offsets[alt]], base["city"])
    base["region"] = np.where(moved, obj([c[1] for c in V.CITIES])[alt], base["region"])
    base["postal"] = np.where(moved, obj([c[2] for c in V.CITIES])[alt], base["postal"])
    base["lat"] = np.where(moved, np.nan, base["lat"])
    base["lon"] = np.where(moved, np.nan, base["lon"])
    flip = older & (rng.random(len(rows)) < 0.3)
    base["opt_in"] = np.where(flip, ~base["opt_in"], base["opt_in"])
    base["kids"] = np.where(older & (base["kids"] > 0), base["kids"] - 1, base["kids"])
    base["marital"] = np.where(older & (rng.random(len(rows)) < 0.2), "single", base["marital"])
    base["income"] = np.where(older, np.round(base["income"] * 0.85, -2), base["income"])
    return ver, base


def _write_crm(ctx: Context, people: People, rec: Arrays, ver: Versions, base: Arrays) -> None:
    """Late older versions, dirt on single-version records, the file and its truth."""
    arrival, log, used = late_arrivals(ctx.rng, base["upd"], ver, 0.04, 5 * DAY)
    country = people.country[base["person"]]
    single = ver.nv == 1
    safe = single & people.safe[base["person"]] & ~base["is_dup"]
    plain = single & ~people.has_dup[base["person"]]
    vn_plain = plain & (country == 0)
    biz_rows = plain & (base["ctype"] == "business")
    masks = {
        "safe": safe,
        "safe_vn": safe & (country == 0),
        "plain": plain,
        "vn_plain": vn_plain,
        "biz": biz_rows,
    }
    source = Source("crm_customers", _COLUMNS, "crm_id", S.CRM_ID, timed_arrival=True)
    ctx.finish_source(source, base, arrival, _SPECS, masks, log=log, used=used)
    ctx.sink.truth("crm_customers", rec, S.CRM_ID, S.PERSON_ID)


_SPECS = (
    DirtSpec(
        "malformed_email",
        "email",
        (*MALFORMED_EMAILS, "lan.tran@gmail"),
        0.004,
        "safe",
        rejected=False,
    ),
    DirtSpec(
        "malformed_phone",
        "phone",
        (*MALFORMED_PHONES, "09123"),
        0.004,
        "safe",
        rejected=False,
    ),
    DirtSpec(
        "placeholder_identifier",
        "email",
        (
            "test@test.com",
            "noemail@example.com",
            "none@none.com",
            "test@example.com",
            "n/a",
        ),
        0.003,
        "safe",
        rejected=False,
    ),
    DirtSpec(
        "placeholder_identifier",
        "phone",
        ("0000000000", "1111111111", "0123456789", "unknown"),
        0.003,
        "safe_vn",
        rejected=False,
    ),
    DirtSpec(
        "unparsable_date",
        "birth_date",
        ("1990-13-45", "1985-02-30", "12/31/19xx"),
        0.003,
        "plain",
        rejected=False,
    ),
    DirtSpec(
        "implausible_birth_date",
        "birth_date",
        ("2031-05-01", "1850-01-01", "1899-12-31"),
        0.003,
        "plain",
        rejected=False,
    ),
    DirtSpec(
        "unparsable_number",
        "annual_income",
        ("lots", "≈ 200 triệu", "1.2.3"),
        0.003,
        "plain",
        rejected=False,
    ),
    DirtSpec(
        "unparsable_number",
        "children_count",
        ("three", "nhiều"),
        0.002,
        "plain",
        rejected=False,
    ),
    DirtSpec(
        "unparsable_boolean",
        "marketing_opt_in",
        ("maybe", "yes please", "2"),
        0.003,
        "plain",
        rejected=False,
    ),
    DirtSpec(
        "invalid_coordinates",
        "latitude",
        ("123.4", "-95.0", "91.5"),
        0.002,
        "plain",
        rejected=False,
    ),
    DirtSpec(
        "invalid_coordinates",
        "longitude",
        ("200.5", "-190.0"),
        0.002,
        "plain",
        rejected=False,
    ),
    DirtSpec(
        "unknown_country_code",
        "country_code",
        ("XX", "Vietnam", "VNM"),
        0.003,
        "vn_plain",
        rejected=False,
    ),
    DirtSpec("negative_count", "children_count", ("-1", "-2"), 0.002, "plain", rejected=False),
    DirtSpec("negative_count", "employee_count", ("-5", "-120"), 0.002, "biz", rejected=False),
    DirtSpec("missing_key", "crm_id", (None,), 0.002, "plain", kind="nokey"),
    DirtSpec("duplicate_delivery", "", (), 0.003, "plain", kind="dup"),
)
_COLUMNS = (
    ("crm_id", S.CRM_ID),
    ("updated_at", S.ts_plain("upd")),
    ("email", S.EMAIL),
    ("phone", S.PHONE),
    ("first_name", "first_name"),
    ("last_name", "last_name"),
    ("birth_date", f"case when isnan(birth) then null else {S.day('birth')} end"),
    ("gender", "gender"),
    ("marital_status", "marital"),
    ("children_count", "case when kids >= 0 then kids::varchar end"),
    ("education", "education"),
    ("occupation", "occupation"),
    ("annual_income", S.money("income")),
    ("income_currency", "income_cur"),
    ("city", "city"),
    ("region", "region"),
    ("postal_code", "postal"),
    ("country_code", "country_code"),
    ("latitude", "case when isnan(lat) then null else printf('%.6f', lat) end"),
    ("longitude", "case when isnan(lon) then null else printf('%.6f', lon) end"),
    ("urbanicity", "urbanicity"),
    ("preferred_language", "language"),
    ("loyalty_card_id", S.CARD_ID),
    ("signup_at", S.ts_plain("signup")),
    ("customer_type", "ctype"),
    ("company_name", "company"),
    ("industry", "industry"),
    ("employee_count", "case when employees >= 0 then employees::varchar end"),
    ("marketing_opt_in", "case when opt_in then 'true' else 'false' end"),
)
