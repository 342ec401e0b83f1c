"""Orders: who buys when, through which system, with which identifiers, items and amounts.

`build_orders` draws every order (and its lines), hands them to `order_output` to be
versioned, dirtied and written, and returns what the web events need: each order's buyer,
system, time and crm_id.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from custseg.generator import order_output
from custseg.generator import vocab as V
from custseg.generator.calendar import DAY, Calendar
from custseg.generator.catalog import Catalog, pick_products
from custseg.generator.context import Context
from custseg.generator.crm import Crm
from custseg.generator.draw import home_currency, obj, pick, pick_rows, round_money
from custseg.generator.io import Arrays
from custseg.generator.people import People


@dataclass(frozen=True)
class Orders:
    """One entry per order, in time order (the order number is the index)."""

    person: np.ndarray  # buyer, -1 for an anonymous store sale
    sys: np.ndarray  # 0 web, 1 app, 2 pos, 3 marketplace
    ts: np.ndarray  # epoch seconds of the order
    crm: np.ndarray  # crm number on the order, -1 for none
    superseded: int  # orders rows that are older versions


@dataclass(frozen=True)
class _Buyers:
    """Per order: buyer (-1 anonymous), buyer known, person index (0 if anonymous), country."""

    person: np.ndarray
    known: np.ndarray
    pp: np.ndarray
    country: np.ndarray

    @classmethod
    def of(cls, people: People, person: np.ndarray) -> _Buyers:
        known = person >= 0
        pp = np.where(known, person, 0)
        return cls(person, known, pp, np.where(known, people.country[pp], 0))


def build_orders(
    ctx: Context, people: People, crm: Crm, catalog: Catalog, orders_per_customer: float
) -> Orders:
    """Draw orders and order items, write both (with truth and dirt), return the orders."""
    rng, cal = ctx.rng, ctx.cal
    person, ts = _order_times(rng, cal, people, orders_per_customer)
    who = _Buyers.of(people, person)
    ids = _identifiers(rng, people, crm, who, ts)
    sys_ = ids["sys"]
    store = _store_of(rng, people, catalog.stores, who, sys_)
    cur = _currency(rng, catalog.stores, who, sys_, store)
    items, amounts = _lines(rng, cal, people, catalog, who, ts, sys_, cur)
    final, payment = _status_and_payment(rng, cal, who, ts, sys_)
    n, pp, country = len(person), who.pp, who.country
    orders = {
        "oid": np.arange(n, dtype=np.int64),
        "sys": sys_,
        "person": person,
        "crm": ids["crm"],
        "email": np.where(ids["email_on"], people.email[pp], None),
        "ev": pick(rng, n, (8, 1, 0.5, 0.7, 0.5)).astype(np.int8),
        "phone": np.where(ids["phone_on"], people.phone[pp], None),
        "pk": people.pk[pp],
        "cc": people.cc[pp],
        "pv": rng.integers(0, 5, n).astype(np.int8),
        "card": np.where(ids["card_on"], crm.card[pp], -1),
        "store": store,
        "ts": ts,
        "tz": np.where(
            sys_ == 2, np.array([c[4] for c in V.COUNTRIES])[np.maximum(country, 0)], 0
        ).astype(np.int8),
        "cur": obj(V.CURRENCIES)[cur],
        **amounts,
        "payment": obj(V.PAYMENT_METHODS)[payment],
    }
    superseded = order_output.write_orders(ctx, orders, final)
    order_output.write_items(ctx, items)
    return Orders(person, sys_, ts, ids["crm"], superseded)


def _order_times(
    rng: np.random.Generator, cal: Calendar, people: People, orders_per_customer: float
) -> tuple[np.ndarray, np.ndarray]:
    """Buyer and time of every order: at least one per customer, more by archetype, plus 2%
    anonymous store sales; sorted by time."""
    n_cust = people.n_cust
    arch = people.arch[:n_cust]
    mult = np.array(V.ARCHETYPE_ORDER_MULT)[arch] * np.where(people.business[:n_cust], 2.0, 1.0)
    mean_extra = (orders_per_customer - 1) * mult / mult.mean()
    r = 1.5
    extra = rng.negative_binomial(r, r / (r + mean_extra))
    k = 1 + extra
    person = np.repeat(np.arange(n_cust), k)
    n_known = len(person)
    n_anon = max(5, round(0.02 * n_known))
    days = cal.sample_days(
        rng, people.first_day[person], people.last_day[person], arch[person] == 0
    )
    ts = cal.seconds(rng, days, people.tz[person])
    anon_days = cal.sample_days(rng, np.zeros(n_anon, int), np.full(n_anon, cal.days - 1))
    anon_ts = cal.seconds(rng, anon_days, np.full(n_anon, 7))
    person = np.concatenate([person, np.full(n_anon, -1)])
    ts = np.concatenate([ts, anon_ts])
    order = np.lexsort((person, ts))
    person, ts = person[order], ts[order]
    return person, ts


def _identifiers(
    rng: np.random.Generator, people: People, crm: Crm, who: _Buyers, ts: np.ndarray
) -> Arrays:
    """Source system, and which of crm_id, email, phone and loyalty card an order carries."""
    person, known, pp, country = who.person, who.known, who.pp, who.country
    n = len(person)
    # source system by the person's channel taste; no POS where there is no store
    cum = np.cumsum(np.array(V.ARCHETYPE_CHANNEL)[people.arch[pp]], axis=1)
    sys_ = pick_rows(rng, cum)
    store_country = np.isin(country, [0, 1, 2, 6, 7])
    sys_ = np.where((sys_ == 2) & ~store_country, 0, sys_)
    safe = known & people.safe[pp]
    sys_ = np.where(safe, rng.integers(0, 2, n), sys_)
    sys_ = np.where(known, sys_, 2).astype(np.int8)
    has_crm = known & people.has_crm[pp]
    online = sys_ <= 1
    u = rng.random((n, 4))
    crm_on = has_crm & online & ((u[:, 0] < 0.92) | safe)
    # first order of a guest carries both email and phone: it bridges the others
    first_of_person = np.ones(n, bool)
    by_person = np.lexsort((ts, person))
    same = person[by_person][1:] == person[by_person][:-1]
    first_of_person[by_person[1:][same]] = False
    guest_first = known & ~has_crm & first_of_person
    card_on = (sys_ == 2) & known & people.has_card[pp] & (u[:, 1] < 0.75)
    email_on = np.select(
        [~known, online & crm_on, online, sys_ == 3],
        [False, u[:, 2] < 0.85, True, u[:, 2] < 0.6],
        u[:, 2] < 0.1,
    )
    phone_on = np.select(
        [~known, online, sys_ == 2, sys_ == 3],
        [False, u[:, 3] < 0.3, ~card_on | (u[:, 3] < 0.5), ~email_on | (u[:, 3] < 0.4)],
        False,
    )
    email_on |= guest_first
    phone_on |= guest_first
    use_dup = crm_on & people.has_dup[pp] & (rng.random(n) < 0.2)
    crm_ids = np.where(crm_on, np.where(use_dup, crm.dup[pp], crm.primary[pp]), -1)
    return {
        "sys": sys_,
        "crm": crm_ids,
        "email_on": email_on,
        "phone_on": phone_on,
        "card_on": card_on,
    }


def _store_of(
    rng: np.random.Generator, people: People, stores: Arrays, who: _Buyers, sys_: np.ndarray
) -> np.ndarray:
    """Store of each POS order (-1 for the others)."""
    known, pp, country = who.known, who.pp, who.country
    n = len(known)
    # store: one in the person's city, else one in the same country
    scity = stores["city"]
    store_country_code = np.array([V.CITIES[c][5] for c in scity])
    pcity = np.where(known, people.city[pp], 0)
    cities_with_store = np.zeros(len(V.CITIES), bool)
    cities_with_store[scity] = True
    target_city = np.where(cities_with_store[pcity], pcity, -1)
    store = np.full(n, -1, np.int64)
    pos = np.flatnonzero(sys_ == 2)
    rnd = rng.random(len(pos))
    for c in np.unique(scity):
        in_city = np.flatnonzero(scity == c)
        hit = target_city[pos] == c
        store[pos[hit]] = in_city[(rnd[hit] * len(in_city)).astype(int)]
    for code, cinfo in enumerate(V.COUNTRIES):
        in_country = np.flatnonzero(store_country_code == cinfo[0])
        if len(in_country) == 0:
            continue
        miss = (store[pos] < 0) & (country[pos] == code)
        store[pos[miss]] = in_country[(rnd[miss] * len(in_country)).astype(int)]
    return store


def _currency(
    rng: np.random.Generator, stores: Arrays, who: _Buyers, sys_: np.ndarray, store: np.ndarray
) -> np.ndarray:
    """Currency index: the home currency, the store's, or USD on some foreign marketplace
    orders."""
    known, country = who.known, who.country
    n = len(known)
    store_country_code = np.array([V.CITIES[c][5] for c in stores["city"]])
    cur = np.where(known, home_currency(country), 1)
    store_cur = home_currency(
        np.array([[c[0] for c in V.COUNTRIES].index(x) for x in store_country_code])
    )
    cur = np.where(store >= 0, store_cur[np.maximum(store, 0)], cur)
    cur = np.where((sys_ == 3) & (country != 0) & (rng.random(n) < 0.3), 0, cur)
    return cur


def _lines(
    rng: np.random.Generator,
    cal: Calendar,
    people: People,
    catalog: Catalog,
    who: _Buyers,
    ts: np.ndarray,
    sys_: np.ndarray,
    cur: np.ndarray,
) -> tuple[Arrays, Arrays]:
    """Order items (products, quantities, prices in the order's currency) and the order
    amounts that follow from them (total, discount, shipping, tax)."""
    known, pp, country = who.known, who.pp, who.country
    n = len(known)
    day = ((ts - cal.start_sec) // DAY).astype(np.int64)
    # items
    n_items = 1 + rng.poisson(np.where(people.arch[pp] == 4, 1.6, 0.9))
    n_items = np.where(known & people.business[pp], n_items + 2, n_items)
    item_order = np.repeat(np.arange(n), n_items)
    line = np.arange(len(item_order)) - np.repeat(np.cumsum(n_items) - n_items, n_items) + 1
    product = pick_products(rng, catalog.products, people.arch[pp][item_order])
    qty = 1 + rng.poisson(0.3, len(item_order))
    qty = np.where(
        known[item_order] & people.business[pp][item_order],
        qty + rng.poisson(10, len(item_order)),
        qty,
    )
    promo = np.where(
        cal.weights[day[item_order]] > 2.0, rng.uniform(0.1, 0.4, len(item_order)), 0.0
    )
    rate = catalog.rates[day[item_order], cur[item_order]]
    price_local = catalog.products["price"][product] * (1 - promo) / rate
    icur = cur[item_order]
    unit_price = round_money(price_local, icur)
    line_disc = np.where(
        rng.random(len(item_order)) < 0.12,
        round_money(unit_price * qty * rng.uniform(0.05, 0.3, len(item_order)), icur),
        np.nan,
    )
    line_net = unit_price * qty - np.nan_to_num(line_disc)
    subtotal = np.bincount(item_order, line_net, minlength=n)
    voucher_p = np.where(people.arch[pp] == 0, 0.4, 0.1)
    discount = np.where(
        rng.random(n) < voucher_p,
        round_money(subtotal * rng.uniform(0.05, 0.15, n), cur),
        np.nan,
    )
    ship_usd = np.where(sys_ == 2, 0.0, np.where(subtotal * catalog.rates[day, cur] > 60, 0.0, 1.5))
    shipping = np.where(
        ship_usd > 0,
        round_money(ship_usd / catalog.rates[day, cur], cur),
        np.where(sys_ == 2, np.nan, 0.0),
    )
    tax_rate = np.where(country == 0, 0.08, 0.07)
    tax = round_money((subtotal - np.nan_to_num(discount)) * tax_rate, cur)
    total = subtotal - np.nan_to_num(discount) + np.nan_to_num(shipping) + tax
    items = {
        "oid": item_order.astype(np.int64),
        "sys": sys_[item_order],
        "line": line,
        "product": product,
        "qty": qty,
        "price": unit_price,
        "disc": line_disc,
    }
    amounts = {
        "total": total,
        "discount": discount,
        "shipping": shipping,
        "tax": np.where(tax > 0, tax, np.nan),
    }
    return items, amounts


def _status_and_payment(
    rng: np.random.Generator, cal: Calendar, who: _Buyers, ts: np.ndarray, sys_: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Final status code of each order and its payment method code."""
    country = who.country
    n = len(country)
    final = pick(rng, n, (84, 0, 5, 4, 2))
    recent = ts > cal.end_sec - 3 * DAY
    final = np.where(recent & (rng.random(n) < 0.7), 1, final).astype(np.int8)
    pay_cum = np.cumsum(
        np.select(
            [sys_[:, None] == 2, sys_[:, None] == 3],
            [np.array([[35, 45, 0, 20, 0, 0]]), np.array([[20, 0, 40, 40, 0, 0]])],
            np.array([[30, 0, 30, 25, 8, 7]]),
        ),
        axis=1,
    )
    pay_cum = np.where(
        (country[:, None] != 0) & (sys_[:, None] != 2),
        np.cumsum([[80, 0, 0, 10, 5, 5]], axis=1),
        pay_cum,
    )
    payment = pick_rows(rng, pay_cum.astype(np.float64))
    return final, payment
