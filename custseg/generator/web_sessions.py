"""Web devices and sessions: who browses on which device, when, and when they are logged in.

`draw_devices` gives every person 0-2 devices (plus anonymous-only devices);
`draw_sessions` draws browsing sessions, the tracked sessions of web/app orders and a few
sessions on shared household devices, then decides who is logged in.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from custseg.generator import vocab as V
from custseg.generator.calendar import Calendar
from custseg.generator.crm import Crm
from custseg.generator.draw import obj, pick, tz_of, uuid4
from custseg.generator.orders import Orders
from custseg.generator.people import People


@dataclass(frozen=True)
class Devices:
    """One entry per device: owner (-1 anonymous), activity window, platform, anonymous_id."""

    n_dev: np.ndarray  # devices per person
    owner: np.ndarray
    first: np.ndarray
    last: np.ndarray
    platform: np.ndarray  # 0 web, 1 iOS app, 2 Android app
    dtype: np.ndarray  # 0 mobile, 1 tablet, 2 desktop, 3 tv
    os: np.ndarray
    browser: np.ndarray
    locale: np.ndarray
    tz: np.ndarray
    anon: np.ndarray  # anonymous_id (UUID-4 text)


@dataclass(frozen=True)
class Sessions:
    """One entry per session, grouped by device and in time order within a device."""

    dev: np.ndarray
    kind: np.ndarray  # 0 browse, 1 cart (may abandon), 2 tracked order
    order: np.ndarray  # order number of a tracked order, else -1
    t: np.ndarray  # session time (end time for a tracked order)
    owner: np.ndarray  # device owner, -1 anonymous
    owner_crm: np.ndarray  # the owner has a CRM record
    user: np.ndarray  # crm number logged in, -1 for none
    login: np.ndarray  # the session starts with a login
    signup: np.ndarray  # the session signs up (first session of an owner without CRM)
    length: np.ndarray  # events in the session


def draw_devices(rng: np.random.Generator, cal: Calendar, people: People) -> Devices:
    """Devices of people (prospects: 30% one) and anonymous-only devices."""
    n_people = len(people.prospect)
    arch = people.arch
    n_dev = np.where(
        people.prospect,
        (rng.random(n_people) < 0.3).astype(int),
        pick(rng, n_people, (0.25, 0.5, 0.25)) + ((arch == 5) & (rng.random(n_people) < 0.5)),
    )
    n_anon = max(5, round(0.35 * people.n_cust))
    owner = np.concatenate([np.repeat(np.arange(n_people), n_dev), np.full(n_anon, -1)])
    d = len(owner)
    ow = np.maximum(owner, 0)
    known = owner >= 0
    dev_first = np.where(known, people.first_day[ow], 0)
    dev_last = np.where(known, people.last_day[ow], cal.days - 1)
    platform = np.where(
        arch[ow] == 5, pick(rng, d, (0.3, 0.3, 0.4)), pick(rng, d, (0.55, 0.2, 0.25))
    )
    dtype_ = np.where(
        platform == 0, pick(rng, d, (0.4, 0.05, 0.545, 0.005)), pick(rng, d, (0.9, 0.1, 0, 0))
    )
    os_desktop = pick(rng, d, (0.7, 0.25, 0.05))  # Windows, macOS, Linux
    mobile_ios = rng.random(d) < 0.35
    os_name = np.select(
        [platform == 1, platform == 2, dtype_ == 2, dtype_ == 3],
        ["iOS", "Android", obj(("Windows", "macOS", "Linux"))[os_desktop], "Android"],
        np.where(mobile_ios, "iOS", "Android"),
    ).astype(object)
    browser = np.where(
        platform != 0,
        None,
        np.where(
            dtype_ == 2,
            obj(V.BROWSERS_DESKTOP)[pick(rng, d, (5, 1.5, 1, 1.5, 1.5))],
            np.where(
                os_name == "iOS", "Safari", obj(V.BROWSERS_MOBILE)[pick(rng, d, (6, 0, 2, 2))]
            ),
        ),
    )
    country = np.where(
        known,
        people.country[ow],
        np.where(rng.random(d) < 0.85, 0, pick(rng, d, [c[1] for c in V.COUNTRIES])),
    )
    locale = obj([c[5] for c in V.COUNTRIES])[country]
    locale = np.where((country == 0) & (rng.random(d) < 0.2), "en-US", locale)
    tz = tz_of(country)
    dev_anon = uuid4(rng, d)
    return Devices(
        n_dev, owner, dev_first, dev_last, platform, dtype_, os_name, browser, locale, tz, dev_anon
    )


def draw_sessions(
    rng: np.random.Generator,
    cal: Calendar,
    people: People,
    crm: Crm,
    orders: Orders,
    dev: Devices,
) -> Sessions:
    """Browsing sessions, tracked web/app orders and shared-device logins, then who is
    logged in on each session and how many events it has."""
    n_dev, owner, tz = dev.n_dev, dev.owner, dev.tz
    dev_first, dev_last = dev.first, dev.last
    d = len(owner)
    ow = np.maximum(owner, 0)
    known = owner >= 0
    arch = people.arch
    # sessions: browsing plus tracked purchases of web/app orders
    n_browse = 1 + rng.poisson(np.where(known & (arch[ow] == 5), 0.8, 0.4))
    n_browse = np.where(known, n_browse, 1 + rng.poisson(0.2, d))
    s_dev = np.repeat(np.arange(d), n_browse)
    s_kind = np.where(rng.random(len(s_dev)) < 0.25, 1, 0)
    s_order = np.full(len(s_dev), -1, np.int64)
    online = np.flatnonzero((orders.sys <= 1) & (orders.person >= 0))
    o_person = orders.person[online]
    dev_start = np.concatenate([[0], np.cumsum(n_dev)])
    has_dev = n_dev[o_person] > 0
    tracked = online[has_dev & (rng.random(len(online)) < 0.45)]
    tp = orders.person[tracked]
    t_dev = dev_start[tp] + (rng.random(len(tracked)) * n_dev[tp]).astype(int)
    s_dev = np.concatenate([s_dev, t_dev])
    s_kind = np.concatenate([s_kind, np.full(len(tracked), 2)])
    s_order = np.concatenate([s_order, tracked])
    n_s = len(s_dev)
    s_day = cal.sample_days(rng, dev_first[s_dev], dev_last[s_dev])
    s_t = cal.seconds(rng, s_day, tz[s_dev])
    s_t = np.where(s_order >= 0, orders.ts[np.maximum(s_order, 0)], s_t)
    # shared household devices: another CRM person logs in once
    s_user = np.full(n_s, -1, np.int64)
    crm_dev = np.flatnonzero(known & people.has_crm[ow] & ~people.safe[ow])
    crm_people = np.flatnonzero(people.has_crm & ~people.safe)
    n_shared = min(len(crm_dev), max(2, round(0.001 * len(crm_dev))))
    shared = rng.choice(crm_dev, n_shared, replace=False) if n_shared else np.zeros(0, int)
    guest_person = crm_people[rng.integers(0, len(crm_people), len(shared))]
    guest_person = np.where(guest_person == owner[shared], crm_people[0], guest_person)
    s_dev = np.concatenate([s_dev, shared])
    s_kind = np.concatenate([s_kind, np.zeros(len(shared), int)])
    s_order = np.concatenate([s_order, np.full(len(shared), -1)])
    s_t = np.concatenate(
        [
            s_t,
            cal.seconds(rng, cal.sample_days(rng, dev_first[shared], dev_last[shared]), tz[shared]),
        ]
    )
    s_user = np.concatenate([s_user, crm.primary[guest_person]])
    s_guest = np.concatenate([np.zeros(n_s, bool), np.ones(len(shared), bool)])
    return _logins(rng, people, crm, orders, dev, (s_dev, s_kind, s_order, s_t, s_user, s_guest))


def _logins(
    rng: np.random.Generator,
    people: People,
    crm: Crm,
    orders: Orders,
    dev: Devices,
    drawn: tuple[np.ndarray, ...],
) -> Sessions:
    """Sort the sessions by device and time; owners with a CRM record log in from their
    k-th session on (and on every session of an order with a crm_id).

    `drawn`: per session, in draw order: device, kind, order, time, guest user, is guest."""
    owner, d = dev.owner, len(dev.owner)
    n_s = len(drawn[0])
    order = np.lexsort((np.arange(n_s), drawn[3], drawn[0]))  # by device, then time
    s_dev, s_kind, s_order, s_t, s_user, s_guest = (a[order] for a in drawn)
    counts = np.bincount(s_dev, minlength=d)
    rank = np.arange(n_s) - np.repeat(np.cumsum(counts) - counts, counts)
    s_owner = owner[s_dev]
    so = np.maximum(s_owner, 0)
    owner_crm = (s_owner >= 0) & people.has_crm[so]
    k0 = np.minimum(rng.geometric(0.5, d) - 1, np.maximum(counts - 1, 0))
    crm_order = (s_order >= 0) & (orders.crm[np.maximum(s_order, 0)] >= 0)
    logged = owner_crm & ~s_guest & ((rank >= k0[s_dev]) | crm_order)
    login = (owner_crm & ~s_guest & logged & ((rank == k0[s_dev]) | (rank < k0[s_dev]))) | s_guest
    user = np.where(logged, crm.primary[so], -1)
    user = np.where(s_guest, s_user, user)
    signup = (s_owner >= 0) & ~owner_crm & (rank == 0)
    s_len = np.select(
        [s_kind == 0, s_kind == 1],
        [2 + rng.poisson(1.2, n_s), 3 + rng.poisson(1.5, n_s)],
        4 + rng.poisson(1.5, n_s),
    )
    s_len = np.where(signup, np.maximum(s_len, 5), s_len)
    return Sessions(s_dev, s_kind, s_order, s_t, s_owner, owner_crm, user, login, signup, s_len)
