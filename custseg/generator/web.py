"""Web events: the events of every session (page views, searches, carts, checkouts,
purchases, signups, logins) with device, page and campaign details, and their dirt.

`build_web` draws devices and sessions (`web_sessions`), expands sessions into events,
writes `web_events` and its truth (anonymous_id -> person) and returns each device's owner.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from custseg.generator import sql as S
from custseg.generator import vocab as V
from custseg.generator.calendar import DAY, Calendar
from custseg.generator.catalog import Catalog, pick_products
from custseg.generator.context import Context, Source
from custseg.generator.crm import Crm
from custseg.generator.draw import obj, pick
from custseg.generator.io import Arrays, DirtSpec
from custseg.generator.orders import Orders
from custseg.generator.people import People
from custseg.generator.web_sessions import Devices, Sessions, draw_devices, draw_sessions


@dataclass(frozen=True)
class Web:
    """Owner of each device (person, -1 for anonymous-only devices)."""

    dev_owner: np.ndarray


def build_web(ctx: Context, people: People, crm: Crm, catalog: Catalog, orders: Orders) -> Web:
    """Draw devices, sessions and events; write `web_events` and its truth."""
    dev = draw_devices(ctx.rng, ctx.cal, people)
    ses = draw_sessions(ctx.rng, ctx.cal, people, crm, orders, dev)
    events = _events(ctx.rng, ctx.cal, people, catalog, orders, dev, ses)
    _write_events(ctx, events, dev)
    return Web(dev.owner)


def _events(
    rng: np.random.Generator,
    cal: Calendar,
    people: People,
    catalog: Catalog,
    orders: Orders,
    dev: Devices,
    ses: Sessions,
) -> Arrays:
    """Every session's events: type by position, times, products, pages and campaigns."""
    arch = people.arch
    s_len, s_kind, s_t, s_dev, s_order = ses.length, ses.kind, ses.t, ses.dev, ses.order
    signup, login, user = ses.signup, ses.login, ses.user
    owner_crm, s_owner = ses.owner_crm, ses.owner
    so = np.maximum(s_owner, 0)
    platform, dtype_, os_name, browser = dev.platform, dev.dtype, dev.os, dev.browser
    locale, tz, dev_anon = dev.locale, dev.tz, dev.anon
    n_s = len(s_len)
    e_s = np.repeat(np.arange(n_s), s_len)
    n_e = len(e_s)
    pos = np.arange(n_e) - np.repeat(np.cumsum(s_len) - s_len, s_len)
    from_end = s_len[e_s] - 1 - pos
    kind = s_kind[e_s]
    middle = pick(rng, n_e, (0.3, 0.45, 0.2, 0.0, 0.05)).astype(np.int8)
    checkout_abandon = rng.random(n_s) < 0.4
    etype = np.select(
        [
            pos == 0,
            signup[e_s] & (pos == 1),
            (kind == 2) & (from_end == 0),
            (kind == 2) & (from_end == 1),
            (kind == 2) & (from_end == 2),
            (kind == 1) & (from_end == 0),
            (kind == 1) & (from_end == 1) & checkout_abandon[e_s],
        ],
        [
            np.where(login[e_s], 8, 0),
            7,
            6,
            5,
            3,
            np.where(checkout_abandon[e_s], 5, 3),
            3,
        ],
        middle,
    ).astype(np.int8)
    gaps = (rng.exponential(45, n_e) + 3).astype(np.int64)
    cum = np.cumsum(gaps)
    start_cum = np.repeat(cum[np.cumsum(s_len) - s_len], s_len)
    offset = cum - start_cum
    duration = offset[np.cumsum(s_len) - 1]
    t0 = np.where(s_kind == 2, s_t - duration, s_t)
    occ = np.clip(t0[e_s] + offset, cal.start_sec, cal.end_sec)
    lag = np.where(rng.random(n_e) < 0.04, rng.integers(DAY, 5 * DAY, n_e), rng.integers(0, 6, n_e))
    rec = np.minimum(occ + lag, np.maximum(occ, cal.end_sec))
    e_dev = s_dev[e_s]
    e_order = np.where(etype == 6, s_order[e_s], -1)
    guest_checkout = (kind == 2) & (etype == 5) & ~owner_crm[e_s] & (s_owner[e_s] >= 0)
    email_on = (etype == 7) | guest_checkout
    e_own = so[e_s]
    product = np.where(
        np.isin(etype, [1, 3, 4]), pick_products(rng, catalog.products, arch[e_own]), -1
    ).astype(np.int32)
    # page_path code: landing page (page_view) or search term (search)
    pcode = np.where(
        etype == 2, rng.integers(0, len(V.SEARCH_TERMS), n_e), rng.integers(0, 5, n_e)
    ).astype(np.int8)
    has_utm = rng.random(n_s) < 0.35
    utm = rng.integers(0, len(V.UTM), n_s)
    utm_s = np.where(has_utm, utm, -1)[e_s]
    referrer = np.where(
        platform[e_dev] == 0,
        np.where(
            rng.random(n_s) < 0.5,
            obj(V.REFERRERS)[rng.integers(0, len(V.REFERRERS), n_s)],
            None,
        )[e_s],
        None,
    )
    order = np.lexsort((np.arange(n_e), rec))
    eid = np.empty(n_e, np.int32)
    eid[order] = np.arange(n_e)
    del order, gaps, cum, start_cum, offset, lag, pos, from_end, kind, middle
    events = {
        "eid": eid,
        "anon": dev_anon[e_dev],
        "user": user[e_s].astype(np.int32),
        "email": np.where(email_on, people.email[e_own], None),
        "ev": rng.integers(0, 3, n_e).astype(np.int8),
        "sid": e_s.astype(np.int32),
        "etype": etype,
        "occ": occ,
        "rec": rec,
        "tz": tz[e_dev],
        "product": product,
        "oid": np.maximum(e_order, 0).astype(np.int32),
        "osys": orders.sys[np.maximum(e_order, 0)],
        "has_order": e_order >= 0,
        "pcode": pcode,
        "platform": platform[e_dev],
        "dtype": dtype_[e_dev],
        "os": os_name[e_dev],
        "browser": browser[e_dev],
        "locale": locale[e_dev],
        "utm": utm_s,
        "referrer": referrer,
    }
    del e_s, e_dev, e_order, e_own, product, pcode, utm_s, referrer, eid, occ, etype
    return events


def _write_events(ctx: Context, events: Arrays, dev: Devices) -> None:
    """Dirt on anonymous rows without an order, the file and the device truth."""
    plain = (events["user"] < 0) & np.equal(events["email"], None) & (events["etype"] != 6)
    bad_ts = ("31/02/2024 25:61", "yesterday", "2024-13-45T99:99:99", "soon")
    specs = [
        DirtSpec("missing_key", "event_id", (None,), 0.0004, "plain", kind="nokey"),
        DirtSpec("duplicate_delivery", "", (), 0.003, "plain", kind="dup"),
        DirtSpec("missing_required_value", "occurred_at", (None,), 0.0004, "plain"),
        DirtSpec("missing_required_value", "anonymous_id", (None,), 0.0004, "plain"),
        DirtSpec("unparsable_timestamp", "occurred_at", bad_ts, 0.0008, "plain"),
        DirtSpec(
            "future_timestamp",
            "occurred_at",
            ("2031-06-01T12:00:00+07:00", "2040-01-01T00:00:00Z"),
            0.0008,
            "plain",
        ),
        DirtSpec(
            "unknown_event_type",
            "event_type",
            ("click??", "purchase", "pageview"),
            0.0008,
            "plain",
        ),
        DirtSpec(
            "unknown_platform",
            "platform",
            ("smart_fridge", "windows_phone", "WEB APP"),
            0.0006,
            "plain",
        ),
    ]
    utm_src = "(" + str([u[0] for u in V.UTM]) + ")[utm + 1]"
    utm_med = "(" + str([u[1] for u in V.UTM]) + ")[utm + 1]"
    utm_cmp = "(" + str([u[2] for u in V.UTM]) + ")[utm + 1]"
    anon_id = "anon"
    event_id = "'ev_' || lpad((eid + 1)::varchar, 10, '0')"
    landing = str(["/", "/sale", "/collections/new", "/blog/sustainability", "/stores"])
    fixed_paths = str(
        [
            "/cart",
            "/cart",
            "/checkout",
            "/checkout/confirmation",
            "/account/signup",
            "/account/login",
        ]
    )
    page_path = (
        f"case etype when 0 then ({landing})[pcode + 1] when 1 then '/p/' || {S.PRODUCT_ID} "
        f"when 2 then '/search?q=' || ({list(V.SEARCH_TERMS)})[pcode + 1] "
        f"else ({fixed_paths})[etype - 2] end"
    )
    columns = [
        ("event_id", event_id),
        ("anonymous_id", anon_id),
        ("user_id", "case when user >= 0 then 'C' || lpad(user::varchar, 8, '0') end"),
        (
            "email",
            "case when email is null then null when ev = 1 then upper(email) "
            "when ev = 2 then ' ' || email else email end",
        ),
        ("session_id", "'s_' || lpad((sid + 1)::varchar, 9, '0')"),
        ("event_type", "(" + str(list(V.EVENT_TYPES)) + ")[etype + 1]"),
        ("occurred_at", S.ts("occ", "tz")),
        ("received_at", S.ts("rec")),
        ("product_id", "case when product >= 0 then " + S.PRODUCT_ID + " end"),
        ("order_id", "case when has_order then " + S.ORDER_ID.replace("sys", "osys") + " end"),
        ("page_path", page_path),
        ("platform", "(['web', 'ios_app', 'android_app'])[platform + 1]"),
        ("device_type", "(['mobile', 'tablet', 'desktop', 'tv'])[dtype + 1]"),
        ("os", "os"),
        ("browser", "browser"),
        ("locale", "locale"),
        ("utm_source", f"case when utm >= 0 then {utm_src} end"),
        ("utm_medium", f"case when utm >= 0 then {utm_med} end"),
        ("utm_campaign", f"case when utm >= 0 then {utm_cmp} end"),
        ("referrer", "referrer"),
    ]
    source = Source("web_events", columns, "event_id", event_id, parts=4, timed_arrival=True)
    ctx.finish_source(source, events, events["rec"], specs, {"plain": plain})
    truth = {"dev": np.arange(len(dev.owner)), "person": dev.owner, "anon": dev.anon}
    ctx.sink.truth(
        "web_events",
        truth,
        anon_id,
        f"case when person >= 0 then {S.PERSON_ID} "
        "else 'V' || lpad((dev + 1)::varchar, 8, '0') end",
    )
