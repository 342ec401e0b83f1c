"""Synthetic landing zone: every source of the raw contract, with ground truth and dirt.

`generate()` writes `<out_dir>/<source>.csv|.parquet|/part-XXXX.parquet` for the 12 sources of
`raw_sources.md`, plus `_truth/identity.csv` (which person each record belongs to),
`_truth/dirt.csv` (every injected defect) and `_truth/manifest.json`. Everything is drawn from
one `np.random.default_rng(seed)` stream with vectorised numpy; DuckDB formats and writes the
text. The same arguments always give the same bytes; the wall clock is never read.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import numpy as np

from custseg.generator import vocab as V
from custseg.generator.calendar import DAY, EPOCH
from custseg.generator.calendar import Calendar as _Calendar
from custseg.generator.draw import digits as _digits
from custseg.generator.draw import fold_rows as _fold_rows
from custseg.generator.draw import home_currency as _home_currency
from custseg.generator.draw import obj as _obj
from custseg.generator.draw import pick as _pick
from custseg.generator.draw import pick_rows as _pick_rows
from custseg.generator.draw import round_money as _round_money
from custseg.generator.draw import tz_of as _tz
from custseg.generator.draw import unique_numbers as _unique_numbers
from custseg.generator.draw import upper as _upper
from custseg.generator.draw import uuid4 as _uuid4
from custseg.generator.io import Arrays, DirtLog, DirtSpec, Sink, inject, take
from custseg.generator.sql import (
    CARD_ID,
    CRM_ID,
    EMAIL,
    ORDER_ID,
    PERSON_ID,
    PHONE,
    PRODUCT_ID,
    STORE_ID,
)
from custseg.generator.sql import day as _day
from custseg.generator.sql import money as _money
from custseg.generator.sql import ts as _ts
from custseg.generator.sql import ts_plain as _ts_plain

SOURCES = (
    "crm_customers",
    "orders",
    "order_items",
    "products",
    "stores",
    "web_events",
    "survey_responses",
    "support_tickets",
    "marketing_touches",
    "leads",
    "privacy_requests",
    "fx_rates",
)


def _people(rng: np.random.Generator, n_cust: int, n_prosp: int, cal: _Calendar) -> Arrays:
    """Customers (0..n_cust-1) then prospects: identity, demographics and behaviour."""
    n = n_cust + n_prosp
    prospect = np.arange(n) >= n_cust
    country = _pick(rng, n, [c[1] for c in V.COUNTRIES]).astype(np.int8)
    city = np.zeros(n, np.int16)
    for code, (cc, *_rest) in enumerate(V.COUNTRIES):
        idx = np.flatnonzero(country == code)
        in_country = [i for i, c in enumerate(V.CITIES) if c[5] == cc]
        weights = [V.CITIES[i][6] for i in in_country]
        city[idx] = np.array(in_country)[_pick(rng, len(idx), weights)]
    business = rng.random(n) < np.where(prospect, 0.3, 0.05)
    gender = _pick(rng, n, (0.52, 0.47, 0.01)).astype(np.int8)
    vn = country == 0
    male = gender == 1
    # names: VN given/family/middle; international first/last
    first = np.where(
        male,
        np.where(
            vn,
            _obj(V.VN_FIRST_M)[rng.integers(0, len(V.VN_FIRST_M), n)],
            _obj(V.INTL_FIRST_M)[rng.integers(0, len(V.INTL_FIRST_M), n)],
        ),
        np.where(
            vn,
            _obj(V.VN_FIRST_F)[rng.integers(0, len(V.VN_FIRST_F), n)],
            _obj(V.INTL_FIRST_F)[rng.integers(0, len(V.INTL_FIRST_F), n)],
        ),
    )
    last = np.where(
        vn,
        _obj(V.VN_LAST)[_pick(rng, n, V.VN_LAST_W)],
        _obj(V.INTL_LAST)[rng.integers(0, len(V.INTL_LAST), n)],
    )
    middle = np.where(
        male,
        _obj(V.VN_MIDDLE_M)[rng.integers(0, len(V.VN_MIDDLE_M), n)],
        _obj(V.VN_MIDDLE_F)[rng.integers(0, len(V.VN_MIDDLE_F), n)],
    )
    fold = np.frompyfunc(V.ascii_fold, 1, 1)
    # fold the vocabularies, not the rows: map each distinct name through a dict
    first_a = _fold_rows(first, fold)
    last_a = _fold_rows(last, fold)
    num = _digits(_unique_numbers(rng, n, 10_000_000), 1)
    pattern = rng.integers(0, 4, n)
    local = np.select(
        [pattern == 0, pattern == 1, pattern == 2],
        [first_a + "." + last_a + num, last_a + first_a + num, first_a + "_" + last_a + num],
        first_a + num,
    )
    domain = np.where(
        vn,
        _obj(V.EMAIL_DOMAINS_VN)[_pick(rng, n, V.EMAIL_DOMAINS_VN_W)],
        _obj(V.EMAIL_DOMAINS_INTL)[_pick(rng, n, V.EMAIL_DOMAINS_INTL_W)],
    )
    company_1 = rng.integers(0, len(V.COMPANY_WORDS_1), n)
    company_2 = rng.integers(0, len(V.COMPANY_WORDS_2), n)
    company_domain = _obj([V.ascii_fold(w) for w in V.COMPANY_WORDS_1])[company_1] + np.where(
        vn, ".com.vn", ".com"
    )
    domain = np.where(business, company_domain, domain)
    email = local + "@" + domain
    # phones: 7 unique digits per person behind a country/operator prefix
    u7 = _digits(_unique_numbers(rng, n, 10_000_000), 7)
    cc = _obj([c[3] for c in V.COUNTRIES])[country]
    mobile_prefix = _obj(V.VN_MOBILE_PREFIXES)[rng.integers(0, len(V.VN_MOBILE_PREFIXES), n)]
    intl_prefix = _obj([V.INTL_PHONE_PREFIX.get(c[0], "9") for c in V.COUNTRIES])[country]
    landline = vn & (city <= 1) & (rng.random(n) < 0.06)
    area = np.where(city == 0, "28", "24").astype(object)
    phone = np.where(
        vn,
        np.where(landline, "84" + area + "3" + u7, "84" + mobile_prefix + u7),
        cc + intl_prefix + u7,
    )
    pk = np.where(vn, np.where(landline, 1, 0), 2).astype(np.int8)
    arch = _pick(rng, n, V.ARCHETYPE_W).astype(np.int8)
    arch[business] = 6
    has_crm = ~prospect & ((rng.random(n) < 0.82) | business)
    has_dup = has_crm & (rng.random(n) < 0.05)
    safe = has_crm & ~has_dup & ~business & (rng.random(n) < 0.05)
    store_country = np.isin(country, [0, 1, 2, 6, 7])
    has_card = has_crm & store_country & (rng.random(n) < 0.65)
    # activity window (day offsets)
    first_day = np.where(
        rng.random(n) < 0.3, 0, np.minimum(_pick(rng, n, cal.weights**0.3), cal.days - 1)
    )
    churn = rng.random(n) < 0.3
    last_day = np.where(
        churn,
        np.minimum(first_day + rng.exponential(250, n).astype(int) + 30, cal.days - 1),
        cal.days - 1,
    )
    return {
        "prospect": prospect,
        "country": country,
        "city": city,
        "business": business,
        "gender": gender,
        "first": first,
        "last": last,
        "middle": middle,
        "email": email,
        "phone": phone,
        "pk": pk,
        "cc": cc,
        "arch": arch,
        "has_crm": has_crm,
        "has_dup": has_dup,
        "safe": safe,
        "has_card": has_card,
        "company_1": company_1,
        "company_2": company_2,
        "first_day": first_day.astype(np.int32),
        "last_day": last_day.astype(np.int32),
        "tz": _tz(country),
        "email2": "w." + local + "@" + np.where(vn, "outlook.com.vn", "mail.com").astype(object),
    }


def _products(rng: np.random.Generator, cal: _Calendar) -> Arrays:
    n = 600
    cat = _pick(rng, n, (14, 9, 7, 10, 9, 8, 7, 7, 8, 3))
    sub_n = np.array([len(c[1]) for c in V.CATEGORIES])[cat]
    sub = (rng.random(n) * sub_n).astype(int)
    sub_names = _obj([s for c in V.CATEGORIES for s in c[1]])
    sub_offset = np.concatenate([[0], np.cumsum([len(c[1]) for c in V.CATEGORIES])])[cat]
    lo = np.array([c[2] for c in V.CATEGORIES])[cat]
    hi = np.array([c[3] for c in V.CATEGORIES])[cat]
    price = np.round(np.exp(np.log(lo) + rng.random(n) ** 1.5 * (np.log(hi) - np.log(lo))))
    price = price - 0.01
    eco = rng.random(n) < np.array([c[4] for c in V.CATEGORIES])[cat]
    adj = rng.integers(0, len(V.PRODUCT_ADJ), n)
    adj = np.where(eco & (rng.random(n) < 0.6), rng.choice([1, 8, 9, 14], n), adj)
    brand = rng.integers(0, len(V.BRANDS), n)
    name = (
        _obj(V.BRANDS)[brand] + " " + _obj(V.PRODUCT_ADJ)[adj] + " " + sub_names[sub_offset + sub]
    )
    order = np.lexsort((rng.random(n), cat))  # products grouped by category
    data = {
        "product": np.arange(n),
        "name": name[order],
        "cat": cat[order],
        "sub": sub_names[(sub_offset + sub)[order]],
        "brand": _obj(V.BRANDS)[brand[order]],
        "price": price[order],
        "cost": np.round(price[order] * rng.uniform(0.35, 0.7, n), 2),
        "eco": eco[order],
        "launched": ((cal.start - EPOCH).days - 900 + rng.integers(0, 900 + cal.days - 60, n)),
        "pop": rng.pareto(1.2, n) + 0.05,
    }
    return data


def _stores(rng: np.random.Generator, cal: _Calendar) -> Arrays:
    city = np.repeat([c for c, _ in V.STORE_CITIES], [k for _, k in V.STORE_CITIES])
    n = len(city)
    ordinal = np.concatenate([np.arange(k) + 1 for _, k in V.STORE_CITIES])
    lat = np.array([c[3] for c in V.CITIES])[city] + rng.normal(0, 0.02, n)
    lon = np.array([c[4] for c in V.CITIES])[city] + rng.normal(0, 0.02, n)
    canonical = _obj([c[0][0] for c in V.CITIES])
    country_codes = _obj([c[5] for c in V.CITIES])
    return {
        "store": np.arange(n),
        "city": city,
        "name": "Lotus Lane " + canonical[city] + " #" + ordinal.astype(str).astype(object),
        "city_name": canonical[city],
        "country_code": country_codes[city],
        "lat": lat,
        "lon": lon,
        "opened": (cal.start - EPOCH).days - 2000 + rng.integers(0, 2000 + cal.days // 2, n),
    }


def _fx(rng: np.random.Generator, cal: _Calendar) -> tuple[Arrays, np.ndarray]:
    """Daily USD-per-unit rates from 7 days before the span to its end; also (day, cur) matrix."""
    days = cal.days + 7
    k = len(V.CURRENCIES)
    steps = rng.normal(0, 1, (days, k)) * np.array(V.FX_VOL)
    rates = np.array(V.FX_BASE) * np.exp(np.cumsum(steps, axis=0))
    rates = np.round(rates, 10)
    first_day = (cal.start - EPOCH).days - 7
    data = {
        "day": np.repeat(np.arange(days) + first_day, k),
        "cur": np.tile(np.arange(k), days),
        "rate": rates.reshape(-1),
    }
    return data, rates[7:]


def generate(
    out_dir: Path,
    customers: int = 2000,
    seed: int = 42,
    fmt: str = "csv",
    end_date: date = date(2026, 9, 30),
    years: int = 3,
    orders_per_customer: float = 4.0,
    *,
    progress: Callable[[str, int], None] | None = None,
) -> dict[str, int]:
    """Write the synthetic landing zone into `out_dir`; return rows written per source."""
    if customers < 10:
        raise ValueError("customers must be at least 10")
    if orders_per_customer < 1:
        raise ValueError("orders_per_customer must be at least 1")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    for name in SOURCES:  # a previous run in another format must not linger
        for stale in (out_dir / f"{name}.csv", out_dir / f"{name}.parquet"):
            stale.unlink(missing_ok=True)
        if (out_dir / name).is_dir():
            for part in (out_dir / name).glob("*.parquet"):
                part.unlink()
            (out_dir / name).rmdir()
    rng = np.random.default_rng(seed)
    cal = _Calendar(end_date, years)
    sink = Sink(out_dir, fmt, progress)
    gen = _Generator(rng, cal, sink, customers, orders_per_customer)
    gen.run()
    sink.finish()
    manifest = {
        "generator": "custseg.generate",
        "seed": seed,
        "customers": customers,
        "prospects": gen.n_prosp,
        "end_date": end_date.isoformat(),
        "start_date": cal.start.isoformat(),
        "years": years,
        "orders_per_customer": orders_per_customer,
        "format": fmt,
        "rows": {name: sink.rows[name] for name in SOURCES},
        "superseded_rows": gen.superseded,
        "dirt_rows": gen.dirt_counts,
        "conventions": {
            "timestamps": "ISO-8601; 'Z' or '+HH:00' offset, or no offset (UTC)",
            "booleans": "true/false",
            "missing": "empty field (CSV) / null (Parquet)",
        },
    }
    (out_dir / "_truth" / "manifest.json").write_text(
        json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return {name: sink.rows[name] for name in SOURCES}


class _Generator:
    """Builds the sources one after another; shared state lives on the instance."""

    def __init__(
        self,
        rng: np.random.Generator,
        cal: _Calendar,
        sink: Sink,
        customers: int,
        orders_per_customer: float,
    ) -> None:
        self.rng = rng
        self.cal = cal
        self.sink = sink
        self.n_cust = customers
        self.n_prosp = max(3, round(customers * 0.15))
        self.opc = orders_per_customer
        self.superseded: dict[str, int] = {}
        self.dirt_counts: dict[str, int] = {}

    # ------------------------------------------------------------------------------------------
    def run(self) -> None:
        rng, cal = self.rng, self.cal
        self.p = _people(rng, self.n_cust, self.n_prosp, cal)
        self.products = _products(rng, cal)
        self.stores = _stores(rng, cal)
        fx, self.rates = _fx(rng, cal)
        self._write_reference(fx)
        self._crm()
        self._orders()
        self._web()
        self._surveys()
        self._tickets()
        self._leads()
        self._touches()
        self._privacy()

    def _finish_source(
        self,
        name: str,
        base: Arrays,
        arrival: np.ndarray,
        specs: list[DirtSpec],
        masks: dict[str, np.ndarray],
        columns: list[tuple[str, str]],
        key_col: str,
        key_expr: str,
        parts: int = 1,
        log: DirtLog | None = None,
        used: np.ndarray | None = None,
    ) -> None:
        log = DirtLog() if log is None else log
        masks = {"all": np.ones(len(arrival), bool), **masks}
        names = [c for c, _ in columns]
        final = inject(self.rng, base, arrival, specs, masks, names, key_col, log, used)
        self.sink.write(name, final, columns, parts)
        self.sink.dirt(name, base, log, key_expr)
        self.dirt_counts[name] = log.count()

    # --- reference data -------------------------------------------------------------------------
    def _write_reference(self, fx: Arrays) -> None:
        pr = self.products
        pr["cat_name"] = _obj([c[0] for c in V.CATEGORIES])[pr["cat"]]
        self.sink.write(
            "products",
            pr,
            [
                ("product_id", PRODUCT_ID),
                ("product_name", "name"),
                ("category", "cat_name"),
                ("subcategory", "sub"),
                ("brand", "brand"),
                ("list_price", _money("price")),
                ("unit_cost", _money("cost")),
                ("is_eco_friendly", "case when eco then 'true' else 'false' end"),
                ("launched_at", _day("launched")),
            ],
        )
        self.sink.write(
            "stores",
            self.stores,
            [
                ("store_id", STORE_ID),
                ("store_name", "name"),
                ("city", "city_name"),
                ("country_code", "country_code"),
                ("latitude", "printf('%.6f', lat)"),
                ("longitude", "printf('%.6f', lon)"),
                ("opened_at", _day("opened")),
            ],
        )
        n = len(fx["day"])
        fx["cur_code"] = _obj(V.CURRENCIES)[fx["cur"]]
        late = fx["day"] >= fx["day"].min() + 14
        specs = [
            DirtSpec(
                "unparsable_number", "rate_to_reporting", ("1,0845", "n/a", "0.00o4"), 0.002, "late"
            ),
            DirtSpec(
                "negative_amount", "rate_to_reporting", ("-0.742", "0", "-1.085"), 0.002, "late"
            ),
            DirtSpec("missing_required_value", "rate_to_reporting", (None,), 0.001, "late"),
            DirtSpec("missing_key", "currency", (None,), 0.001, "late", kind="nokey"),
            DirtSpec("duplicate_delivery", "", (), 0.001, "late", kind="dup"),
        ]
        key = "strftime(date '1970-01-01' + day::integer, '%Y-%m-%d') || '|' || cur_code"
        self._finish_source(
            "fx_rates",
            fx,
            np.arange(n, dtype=np.float64),
            specs,
            {"late": late},
            [
                ("rate_date", _day("day")),
                ("currency", "cur_code"),
                ("rate_to_reporting", "printf('%.10f', rate)"),
            ],
            "currency",
            key,
        )

    # --- CRM --------------------------------------------------------------------------------------
    def _crm(self) -> None:
        rng, cal, p = self.rng, self.cal, self.p
        persons = np.flatnonzero(p["has_crm"])
        dups = np.flatnonzero(p["has_dup"])
        rec_person = np.concatenate([persons, dups])
        is_dup = np.concatenate([np.zeros(len(persons), bool), np.ones(len(dups), bool)])
        n_rec = len(rec_person)
        crm_num = _unique_numbers(rng, n_rec, 100_000_000)
        self.crm_primary = np.full(len(p["prospect"]), -1, np.int64)
        self.crm_primary[persons] = crm_num[: len(persons)]
        self.crm_dup = np.full(len(p["prospect"]), -1, np.int64)
        self.crm_dup[dups] = crm_num[len(persons) :]
        card = np.full(len(p["prospect"]), -1, np.int64)
        holders = np.flatnonzero(p["has_card"])
        card[holders] = _unique_numbers(rng, len(holders), 10_000_000_000)
        self.card = card
        # signup before the first activity; the duplicate record is created later
        first = p["first_day"][rec_person]
        signup_day = first - rng.exponential(120, n_rec).astype(int)
        signup_day = np.where(is_dup, first + rng.integers(30, 400, n_rec), signup_day)
        signup_day = np.clip(signup_day, -730, cal.days - 2)
        signup = cal.start_sec + signup_day.astype(np.int64) * DAY + rng.integers(0, DAY, n_rec)
        self.signup_day = np.zeros(len(p["prospect"]), np.int64)
        self.signup_day[persons] = signup_day[: len(persons)]
        rec = {
            "person": rec_person,
            "crm": crm_num,
            "is_dup": is_dup,
            "signup": signup,
            "card": np.where(is_dup, -1, card[rec_person]),
        }
        country = p["country"][rec_person]
        city = p["city"][rec_person].astype(np.int64)
        # identifiers: the duplicate shares the email (60%) or the phone with the primary
        share_email = rng.random(n_rec) < 0.6
        rec["email"] = np.where(
            is_dup & ~share_email, p["email2"][rec_person], p["email"][rec_person]
        )
        rec["phone"] = np.where(is_dup & share_email, None, p["phone"][rec_person])
        rec["pk"] = p["pk"][rec_person]
        rec["cc"] = p["cc"][rec_person]
        rec["ev"] = np.where(
            is_dup, rng.integers(1, 5, n_rec), _pick(rng, n_rec, (8, 1, 0.3, 0.5, 0.2))
        )
        rec["pv"] = np.where(is_dup, rng.integers(0, 5, n_rec), _pick(rng, n_rec, (5, 2, 1, 1, 1)))
        first_name = p["first"][rec_person]
        last_name = np.where(
            country == 0,
            p["last"][rec_person] + " " + p["middle"][rec_person],
            p["last"][rec_person],
        )
        upper = is_dup & (rng.random(n_rec) < 0.3)
        rec["first_name"] = np.where(upper, _upper(first_name), first_name)
        rec["last_name"] = np.where(upper, _upper(last_name), last_name)
        age = np.clip(rng.normal(36, 11, n_rec), 18, 80)
        birth_day = (cal.end - EPOCH).days - (age * 365.25).astype(int)
        rec["birth"] = np.where(rng.random(n_rec) < 0.05, np.nan, birth_day)
        g = p["gender"][rec_person]
        gtext = np.select(
            [g == 0, g == 1],
            [
                _obj(V.GENDER_F)[_pick(rng, n_rec, (5, 3, 3, 1, 1, 1))],
                _obj(V.GENDER_M)[_pick(rng, n_rec, (5, 3, 3, 1, 1, 1))],
            ],
            _obj(V.GENDER_OTHER)[rng.integers(0, 3, n_rec)],
        )
        rec["gender"] = np.where(rng.random(n_rec) < 0.06, None, gtext)
        arch = p["arch"][rec_person]
        married_p = np.clip((age - 22) / 15, 0.05, 0.85)
        mstatus = np.where(rng.random(n_rec) < married_p, 1, 0)
        mstatus = np.where(
            (mstatus == 1) & (rng.random(n_rec) < 0.12), _pick(rng, n_rec, (0, 0, 5, 2, 3)), mstatus
        )
        mtext = _marital(rng, mstatus)
        rec["marital"] = np.where(rng.random(n_rec) < 0.1, None, mtext)
        kids = np.where(mstatus >= 1, rng.poisson(1.2, n_rec), rng.poisson(0.15, n_rec))
        kids = np.where(arch == 4, np.maximum(kids, 1) + rng.poisson(0.5, n_rec), kids)
        rec["kids"] = np.where(rng.random(n_rec) < 0.15, -1, kids)
        edu_level = np.clip(_pick(rng, n_rec, (2, 1.5, 4, 1.5, 0.3)) + (arch == 3), 0, 4)
        edu = _obj([e[0] for e in V.EDUCATION])[edu_level]
        alt = rng.random(n_rec) < 0.4
        edu_alt = np.array([e[1] for e in V.EDUCATION], dtype=object)[edu_level]
        rec["education"] = np.where(rng.random(n_rec) < 0.15, None, np.where(alt, edu_alt, edu))
        occ = _obj(V.OCCUPATIONS)[rng.integers(0, len(V.OCCUPATIONS), n_rec)]
        rec["occupation"] = np.where(rng.random(n_rec) < 0.1, None, occ)
        income_usd = np.exp(rng.normal(np.log(9000), 0.6, n_rec)) * np.where(country == 0, 1, 4)
        income_usd *= np.where(arch == 3, 2.5, 1.0)
        home_cur = _home_currency(country)
        income = income_usd / np.array(V.FX_BASE)[home_cur]
        income = np.where(home_cur == 1, np.round(income, -6), np.round(income, -2))
        no_income = rng.random(n_rec) < 0.25
        rec["income"] = np.where(no_income, np.nan, income)
        rec["income_cur"] = np.where(no_income, None, _obj(V.CURRENCIES)[home_cur])
        variant_n = np.array([len(c[0]) for c in V.CITIES])[city]
        variant = np.where(rng.random(n_rec) < 0.75, 0, (rng.random(n_rec) * variant_n).astype(int))
        flat = _obj([v for c in V.CITIES for v in c[0]])
        offsets = np.concatenate([[0], np.cumsum([len(c[0]) for c in V.CITIES])])
        rec["city"] = flat[offsets[city] + variant]
        rec["region"] = _obj([c[1] for c in V.CITIES])[city]
        rec["postal"] = np.where(
            rng.random(n_rec) < 0.2, None, _obj([c[2] for c in V.CITIES])[city]
        )
        rec["country_code"] = _obj([c[0] for c in V.COUNTRIES])[country]
        urb = _pick(rng, n_rec, (0.6, 0.25, 0.15))
        spread = np.array([0.03, 0.08, 0.25])[urb]
        no_geo = rng.random(n_rec) < 0.08
        rec["lat"] = np.where(
            no_geo,
            np.nan,
            np.array([c[3] for c in V.CITIES])[city] + rng.normal(0, 1, n_rec) * spread,
        )
        rec["lon"] = np.where(
            no_geo,
            np.nan,
            np.array([c[4] for c in V.CITIES])[city] + rng.normal(0, 1, n_rec) * spread,
        )
        rec["urbanicity"] = np.where(
            rng.random(n_rec) < 0.07, None, _obj(("urban", "suburban", "rural"))[urb]
        )
        langs = [c[6] for c in V.COUNTRIES]
        lang_flat = _obj([lang for ls in langs for lang in ls])
        lang_off = np.concatenate([[0], np.cumsum([len(ls) for ls in langs])])[country]
        lang_n = np.array([len(ls) for ls in langs])[country]
        rec["language"] = lang_flat[lang_off + (rng.random(n_rec) * lang_n).astype(int)]
        biz = p["business"][rec_person]
        rec["ctype"] = np.where(biz, "business", "person").astype(object)
        c1, c2 = p["company_1"][rec_person], p["company_2"][rec_person]
        company = (
            _obj(V.COMPANY_WORDS_1)[c1]
            + " "
            + _obj(V.COMPANY_WORDS_2)[c2]
            + " "
            + _obj(V.COMPANY_SUFFIX)[(c1 + c2) % len(V.COMPANY_SUFFIX)]
        )
        rec["company"] = np.where(biz, company, None)
        rec["industry"] = np.where(biz, _obj(V.INDUSTRIES)[(c1 * 7 + c2) % len(V.INDUSTRIES)], None)
        rec["employees"] = np.where(biz, np.exp(rng.normal(3.5, 1.4, n_rec)).astype(int) + 2, -1)
        opt_in = rng.random(n_rec) < 0.7
        rec["opt_in"] = opt_in
        self.opt_in = np.zeros(len(p["prospect"]), bool)
        self.opt_in[persons] = opt_in[: len(persons)]
        # versions: 25% two, 5% three; identifiers never change between versions
        nver = 1 + (rng.random(n_rec) < 0.25) + (rng.random(n_rec) < 0.05)
        nver = np.where(p["safe"][rec_person], 1, nver)
        rows = np.repeat(np.arange(n_rec), nver)
        v = np.arange(len(rows)) - np.repeat(np.cumsum(nver) - nver, nver)
        nv = nver[rows]
        base = take(rec, rows)
        frac = np.where(v == 0, 0.0, (v + rng.random(len(rows))) / nv)
        span = np.maximum(cal.end_sec - base["signup"], 1)
        upd = base["signup"] + (frac * span).astype(np.int64) + v
        base["upd"] = np.minimum(upd, cal.end_sec)
        base["v"] = v
        older = v < nv - 1
        moved = older & (rng.random(len(rows)) < 0.5)
        # an older address: a neighbouring city of the same country (if there is one)
        city_country = np.array([c[5] for c in V.CITIES])
        nxt = (city[rows] + 1) % len(V.CITIES)
        prv = (city[rows] - 1) % len(V.CITIES)
        alt = np.where(
            city_country[nxt] == city_country[city[rows]],
            nxt,
            np.where(city_country[prv] == city_country[city[rows]], prv, city[rows]),
        )
        base["city"] = np.where(moved, flat[offsets[alt]], base["city"])
        base["region"] = np.where(moved, _obj([c[1] for c in V.CITIES])[alt], base["region"])
        base["postal"] = np.where(moved, _obj([c[2] for c in V.CITIES])[alt], base["postal"])
        base["lat"] = np.where(moved, np.nan, base["lat"])
        base["lon"] = np.where(moved, np.nan, base["lon"])
        flip = older & (rng.random(len(rows)) < 0.3)
        base["opt_in"] = np.where(flip, ~base["opt_in"], base["opt_in"])
        base["kids"] = np.where(older & (base["kids"] > 0), base["kids"] - 1, base["kids"])
        base["marital"] = np.where(older & (rng.random(len(rows)) < 0.2), "single", base["marital"])
        base["income"] = np.where(older, np.round(base["income"] * 0.85, -2), base["income"])
        n = len(rows)
        arrival = base["upd"].astype(np.float64)
        # late-arriving older versions (superseded_version)
        log = DirtLog()
        used = np.zeros(n, bool)
        used[nv > 1] = True  # dirt only on single-version keys
        latest_row = np.cumsum(nver)[rows] - 1
        second_last = np.flatnonzero(v == nv - 2)
        k = min(len(second_last), max(3, round(0.04 * len(second_last))))
        late = np.sort(rng.choice(second_last, k, replace=False)) if k else np.zeros(0, int)
        arrival[late] = base["upd"][latest_row[late]] + rng.uniform(600, 5 * DAY, k)
        log.add(late, "superseded_version", "", False)
        self.superseded["crm_customers"] = int(n - n_rec)
        single = nv == 1
        safe = single & p["safe"][base["person"]] & ~base["is_dup"]
        plain = single & ~p["has_dup"][base["person"]]
        vn_plain = plain & (country[rows] == 0)
        biz_rows = plain & (base["ctype"] == "business")
        specs = [
            DirtSpec(
                "malformed_email",
                "email",
                ("nguyen.an@@gmail", "an.nguyen gmail.com", "@yahoo.com", "lan.tran@gmail"),
                0.004,
                "safe",
                rejected=False,
            ),
            DirtSpec(
                "malformed_phone",
                "phone",
                ("12", "abc-phone", "+84 12", "09123"),
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
            DirtSpec(
                "negative_count", "children_count", ("-1", "-2"), 0.002, "plain", rejected=False
            ),
            DirtSpec(
                "negative_count", "employee_count", ("-5", "-120"), 0.002, "biz", rejected=False
            ),
            DirtSpec("missing_key", "crm_id", (None,), 0.002, "plain", kind="nokey"),
            DirtSpec("duplicate_delivery", "", (), 0.003, "plain", kind="dup"),
        ]
        columns = [
            ("crm_id", CRM_ID),
            ("updated_at", _ts_plain("upd")),
            ("email", EMAIL),
            ("phone", PHONE),
            ("first_name", "first_name"),
            ("last_name", "last_name"),
            ("birth_date", f"case when isnan(birth) then null else {_day('birth')} end"),
            ("gender", "gender"),
            ("marital_status", "marital"),
            ("children_count", "case when kids >= 0 then kids::varchar end"),
            ("education", "education"),
            ("occupation", "occupation"),
            ("annual_income", _money("income")),
            ("income_currency", "income_cur"),
            ("city", "city"),
            ("region", "region"),
            ("postal_code", "postal"),
            ("country_code", "country_code"),
            ("latitude", "case when isnan(lat) then null else printf('%.6f', lat) end"),
            ("longitude", "case when isnan(lon) then null else printf('%.6f', lon) end"),
            ("urbanicity", "urbanicity"),
            ("preferred_language", "language"),
            ("loyalty_card_id", CARD_ID),
            ("signup_at", _ts_plain("signup")),
            ("customer_type", "ctype"),
            ("company_name", "company"),
            ("industry", "industry"),
            ("employee_count", "case when employees >= 0 then employees::varchar end"),
            ("marketing_opt_in", "case when opt_in then 'true' else 'false' end"),
        ]
        self._finish_source(
            "crm_customers",
            base,
            arrival,
            specs,
            {
                "safe": safe,
                "safe_vn": safe & (country[rows] == 0),
                "plain": plain,
                "vn_plain": vn_plain,
                "biz": biz_rows,
            },
            columns,
            "crm_id",
            CRM_ID,
            log=log,
            used=used,
        )
        self.sink.truth("crm_customers", rec, CRM_ID, PERSON_ID)

    # --- orders and items -----------------------------------------------------------------------
    def _orders(self) -> None:
        rng, cal, p = self.rng, self.cal, self.p
        n_cust = self.n_cust
        arch = p["arch"][:n_cust]
        mult = np.array(V.ARCHETYPE_ORDER_MULT)[arch] * np.where(p["business"][:n_cust], 2.0, 1.0)
        mean_extra = (self.opc - 1) * mult / mult.mean()
        r = 1.5
        extra = rng.negative_binomial(r, r / (r + mean_extra))
        k = 1 + extra
        person = np.repeat(np.arange(n_cust), k)
        n_known = len(person)
        n_anon = max(5, round(0.02 * n_known))
        days = cal.sample_days(
            rng, p["first_day"][person], p["last_day"][person], arch[person] == 0
        )
        ts = cal.seconds(rng, days, p["tz"][person])
        anon_days = cal.sample_days(rng, np.zeros(n_anon, int), np.full(n_anon, cal.days - 1))
        anon_ts = cal.seconds(rng, anon_days, np.full(n_anon, 7))
        person = np.concatenate([person, np.full(n_anon, -1)])
        ts = np.concatenate([ts, anon_ts])
        order = np.lexsort((person, ts))
        person, ts = person[order], ts[order]
        n = len(person)
        known = person >= 0
        pp = np.where(known, person, 0)
        country = np.where(known, p["country"][pp], 0)
        # source system by the person's channel taste; no POS where there is no store
        cum = np.cumsum(np.array(V.ARCHETYPE_CHANNEL)[p["arch"][pp]], axis=1)
        sys_ = _pick_rows(rng, cum)
        store_country = np.isin(country, [0, 1, 2, 6, 7])
        sys_ = np.where((sys_ == 2) & ~store_country, 0, sys_)
        safe = known & p["safe"][pp]
        sys_ = np.where(safe, rng.integers(0, 2, n), sys_)
        sys_ = np.where(known, sys_, 2).astype(np.int8)
        has_crm = known & p["has_crm"][pp]
        online = sys_ <= 1
        u = rng.random((n, 4))
        crm_on = has_crm & online & ((u[:, 0] < 0.92) | safe)
        # first order of a guest carries both email and phone: it bridges the others
        first_of_person = np.ones(n, bool)
        by_person = np.lexsort((ts, person))
        same = person[by_person][1:] == person[by_person][:-1]
        first_of_person[by_person[1:][same]] = False
        guest_first = known & ~has_crm & first_of_person
        card_on = (sys_ == 2) & known & p["has_card"][pp] & (u[:, 1] < 0.75)
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
        use_dup = crm_on & p["has_dup"][pp] & (rng.random(n) < 0.2)
        crm = np.where(crm_on, np.where(use_dup, self.crm_dup[pp], self.crm_primary[pp]), -1)
        # store: one in the person's city, else one in the same country
        scity = self.stores["city"]
        store_country_code = np.array([V.CITIES[c][5] for c in scity])
        pcity = np.where(known, p["city"][pp], 0)
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
        cur = np.where(known, _home_currency(country), 1)
        store_cur = _home_currency(
            np.array([[c[0] for c in V.COUNTRIES].index(x) for x in store_country_code])
        )
        cur = np.where(store >= 0, store_cur[np.maximum(store, 0)], cur)
        cur = np.where((sys_ == 3) & (country != 0) & (rng.random(n) < 0.3), 0, cur)
        day = ((ts - cal.start_sec) // DAY).astype(np.int64)
        # items
        n_items = 1 + rng.poisson(np.where(p["arch"][pp] == 4, 1.6, 0.9))
        n_items = np.where(known & p["business"][pp], n_items + 2, n_items)
        item_order = np.repeat(np.arange(n), n_items)
        line = np.arange(len(item_order)) - np.repeat(np.cumsum(n_items) - n_items, n_items) + 1
        product = self._pick_products(p["arch"][pp][item_order])
        qty = 1 + rng.poisson(0.3, len(item_order))
        qty = np.where(
            known[item_order] & p["business"][pp][item_order],
            qty + rng.poisson(10, len(item_order)),
            qty,
        )
        promo = np.where(
            cal.weights[day[item_order]] > 2.0, rng.uniform(0.1, 0.4, len(item_order)), 0.0
        )
        rate = self.rates[day[item_order], cur[item_order]]
        price_local = self.products["price"][product] * (1 - promo) / rate
        icur = cur[item_order]
        unit_price = _round_money(price_local, icur)
        line_disc = np.where(
            rng.random(len(item_order)) < 0.12,
            _round_money(unit_price * qty * rng.uniform(0.05, 0.3, len(item_order)), icur),
            np.nan,
        )
        line_net = unit_price * qty - np.nan_to_num(line_disc)
        subtotal = np.bincount(item_order, line_net, minlength=n)
        voucher_p = np.where(p["arch"][pp] == 0, 0.4, 0.1)
        discount = np.where(
            rng.random(n) < voucher_p,
            _round_money(subtotal * rng.uniform(0.05, 0.15, n), cur),
            np.nan,
        )
        ship_usd = np.where(
            sys_ == 2, 0.0, np.where(subtotal * self.rates[day, cur] > 60, 0.0, 1.5)
        )
        shipping = np.where(
            ship_usd > 0,
            _round_money(ship_usd / self.rates[day, cur], cur),
            np.where(sys_ == 2, np.nan, 0.0),
        )
        tax_rate = np.where(country == 0, 0.08, 0.07)
        tax = _round_money((subtotal - np.nan_to_num(discount)) * tax_rate, cur)
        total = subtotal - np.nan_to_num(discount) + np.nan_to_num(shipping) + tax
        # status and payment
        final = _pick(rng, n, (84, 0, 5, 4, 2))
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
        payment = _pick_rows(rng, pay_cum.astype(np.float64))
        orders = {
            "oid": np.arange(n, dtype=np.int64),
            "sys": sys_,
            "person": person,
            "crm": crm,
            "email": np.where(email_on, p["email"][pp], None),
            "ev": _pick(rng, n, (8, 1, 0.5, 0.7, 0.5)).astype(np.int8),
            "phone": np.where(phone_on, p["phone"][pp], None),
            "pk": p["pk"][pp],
            "cc": p["cc"][pp],
            "pv": rng.integers(0, 5, n).astype(np.int8),
            "card": np.where(card_on, self.card[pp], -1),
            "store": store,
            "ts": ts,
            "tz": np.where(
                sys_ == 2, np.array([c[4] for c in V.COUNTRIES])[np.maximum(country, 0)], 0
            ).astype(np.int8),
            "cur": _obj(V.CURRENCIES)[cur],
            "total": total,
            "discount": discount,
            "shipping": shipping,
            "tax": np.where(tax > 0, tax, np.nan),
            "payment": _obj(V.PAYMENT_METHODS)[payment],
        }
        self.order_items_first_product = product[np.cumsum(n_items) - n_items]
        # versions: pending -> final (15%), completed -> returned/refunded (+ pending 40%)
        old_enough = ts < cal.end_sec - 30 * DAY
        two_step = np.isin(final, [3, 4]) & old_enough
        pend_first = old_enough & (
            np.isin(final, [0, 2]) & (rng.random(n) < 0.15) | two_step & (rng.random(n) < 0.4)
        )
        nver = 1 + two_step + pend_first
        rows = np.repeat(np.arange(n), nver)
        v = np.arange(len(rows)) - np.repeat(np.cumsum(nver) - nver, nver)
        nv = nver[rows]
        base = take(orders, rows)
        base["person_"] = base.pop("person")
        status = final[rows].copy()
        status = np.where((v == 0) & pend_first[rows], 1, status)
        status = np.where(two_step[rows] & (v == nv - 2), 0, status)
        base["status"] = _obj(V.ORDER_STATUSES)[status]
        step = np.where(v == 0, 0, rng.integers(3600, 10 * DAY, len(rows)))
        step = np.where(two_step[rows] & (v == nv - 1), rng.integers(3, 20, len(rows)) * DAY, step)
        offs = np.cumsum(step) - np.repeat(
            np.cumsum(np.bincount(rows, step, n)) - np.bincount(rows, step, n), nver
        )
        base["upd"] = base["ts"] + offs.astype(np.int64) + rng.integers(0, 120, len(rows))
        base["upd"] = np.minimum(base["upd"], cal.end_sec - (nv - 1 - v))
        m = len(rows)
        arrival = base["upd"].astype(np.float64)
        log = DirtLog()
        used = np.zeros(m, bool)
        used[nv > 1] = True
        latest_row = np.cumsum(nver)[rows] - 1
        second_last = np.flatnonzero(v == nv - 2)
        k = min(len(second_last), max(3, round(0.03 * len(second_last))))
        late = np.sort(rng.choice(second_last, k, replace=False)) if k else np.zeros(0, int)
        arrival[late] = base["upd"][latest_row[late]] + rng.uniform(600, 3 * DAY, k)
        log.add(late, "superseded_version", "", False)
        self.superseded["orders"] = int(m - n)
        single = nv == 1
        crm_rows = single & (base["crm"] >= 0)
        anchor = single & ((base["crm"] >= 0) | (base["person_"] < 0))
        bad_ts = ("31/02/2024 25:61", "yesterday", "2024-13-45T99:99:99Z", "not a date")
        specs = [
            DirtSpec("missing_key", "order_id", (None,), 0.001, "anchor", kind="nokey"),
            DirtSpec("duplicate_delivery", "", (), 0.002, "anchor", kind="dup"),
            DirtSpec("missing_required_value", "ordered_at", (None,), 0.0008, "anchor"),
            DirtSpec("missing_required_value", "order_total", (None,), 0.0008, "anchor"),
            DirtSpec(
                "unparsable_number",
                "order_total",
                ("12,5O", "abc", "1.234.567,00"),
                0.001,
                "anchor",
            ),
            DirtSpec("unparsable_timestamp", "ordered_at", bad_ts, 0.001, "anchor"),
            DirtSpec(
                "negative_amount",
                "order_total",
                ("-125000.00", "-19.99", "-1.00"),
                0.0008,
                "anchor",
            ),
            DirtSpec(
                "negative_amount", "discount_amount", ("-5.00", "-20000.00"), 0.0005, "anchor"
            ),
            DirtSpec(
                "negative_amount", "shipping_amount", ("-15000.00", "-2.50"), 0.0005, "anchor"
            ),
            DirtSpec("negative_amount", "tax_amount", ("-8000.00", "-1.20"), 0.0005, "anchor"),
            DirtSpec(
                "future_timestamp",
                "ordered_at",
                ("2031-04-12T10:00:00Z", "2035-01-01T00:00:00Z", "2099-12-31T23:59:59Z"),
                0.001,
                "anchor",
            ),
            DirtSpec(
                "unknown_currency", "currency", ("DOLLARS", "XYZ", "VNĐ", "US$"), 0.001, "anchor"
            ),
            DirtSpec(
                "unknown_status", "status", ("shipped??", "done", "in_progress"), 0.001, "anchor"
            ),
            DirtSpec(
                "unknown_source_system",
                "source_system",
                ("fax", "kiosk??", "telegram"),
                0.0008,
                "anchor",
            ),
            DirtSpec(
                "unknown_payment_method",
                "payment_method",
                ("crypto", "cheque", "barter"),
                0.0008,
                "anchor",
            ),
            DirtSpec(
                "malformed_email",
                "email",
                ("nguyen.an@@gmail", "an.nguyen gmail.com", "@yahoo.com"),
                0.001,
                "crm_rows",
                rejected=False,
            ),
            DirtSpec(
                "malformed_phone",
                "phone",
                ("12", "abc-phone", "+84 12"),
                0.001,
                "crm_rows",
                rejected=False,
            ),
            DirtSpec(
                "placeholder_identifier",
                "email",
                ("test@test.com", "noemail@example.com", "none@none.com", "test@example.com"),
                0.001,
                "crm_rows",
                rejected=False,
            ),
            DirtSpec(
                "placeholder_identifier",
                "phone",
                ("0000000000", "1111111111", "0123456789", "n/a"),
                0.001,
                "crm_rows",
                rejected=False,
            ),
        ]
        columns = [
            ("order_id", ORDER_ID),
            ("updated_at", _ts("upd")),
            ("source_system", "(['web', 'app', 'pos', 'marketplace'])[sys + 1]"),
            ("crm_id", CRM_ID),
            ("email", EMAIL),
            ("phone", PHONE),
            ("loyalty_card_id", CARD_ID),
            ("store_id", STORE_ID),
            ("ordered_at", _ts("ts", "tz")),
            ("status", "status"),
            ("currency", "cur"),
            ("order_total", _money("total")),
            ("discount_amount", _money("discount")),
            ("shipping_amount", _money("shipping")),
            ("tax_amount", _money("tax")),
            ("payment_method", "payment"),
        ]
        base["person"] = base["person_"]
        self._finish_source(
            "orders",
            base,
            arrival,
            specs,
            {"anchor": anchor, "crm_rows": crm_rows},
            columns,
            "order_id",
            ORDER_ID,
            parts=4,
            log=log,
            used=used,
        )
        truth = {k_: orders[k_] for k_ in ("oid", "sys", "person")}
        self.sink.truth(
            "orders",
            truth,
            ORDER_ID,
            f"case when person >= 0 then {PERSON_ID} "
            "else 'S' || lpad((oid + 1)::varchar, 9, '0') end",
        )
        items = {
            "oid": item_order.astype(np.int64),
            "sys": sys_[item_order],
            "line": line,
            "product": product,
            "qty": qty,
            "price": unit_price,
            "disc": line_disc,
        }
        specs = [
            DirtSpec("missing_key", "order_id", (None,), 0.0005, kind="nokey"),
            DirtSpec("duplicate_delivery", "", (), 0.001, kind="dup"),
            DirtSpec("missing_required_value", "product_id", (None,), 0.0005),
            DirtSpec("unparsable_number", "quantity", ("two", "1.0.0", "một"), 0.0008),
            DirtSpec("unparsable_number", "unit_price", ("12,5O", "abc", "N/A"), 0.0008),
            DirtSpec("negative_amount", "unit_price", ("-5.00", "-129000.00"), 0.0008),
            DirtSpec("invalid_quantity", "quantity", ("0", "-1", "-3"), 0.0008),
        ]
        self._finish_source(
            "order_items",
            items,
            np.arange(len(line), dtype=np.float64),
            specs,
            {},
            [
                ("order_id", ORDER_ID),
                ("line_number", "line::varchar"),
                ("product_id", PRODUCT_ID),
                ("quantity", "qty::varchar"),
                ("unit_price", _money("price")),
                ("discount_amount", _money("disc")),
            ],
            "order_id",
            f"{ORDER_ID} || '|' || line::varchar",
            parts=4,
        )
        self.order_person = person
        self.order_sys = sys_
        self.order_ts = ts
        self.order_crm = crm
        self.order_email_on = email_on

    def _pick_products(self, arch: np.ndarray) -> np.ndarray:
        """Products by archetype affinity to categories and product popularity."""
        rng, pr = self.rng, self.products
        n = len(arch)
        aff = np.array([c[5] for c in V.CATEGORIES]).T  # archetypes x categories
        cum = np.cumsum(aff, axis=1)
        cum = cum / cum[:, -1:]
        flat = (np.arange(len(aff))[:, None] + cum).reshape(-1)
        cat = np.searchsorted(flat, arch + rng.random(n), "right") - arch * len(V.CATEGORIES)
        cat = np.clip(cat, 0, len(V.CATEGORIES) - 1)
        starts = np.searchsorted(pr["cat"], np.arange(len(V.CATEGORIES)))
        ends = np.searchsorted(pr["cat"], np.arange(len(V.CATEGORIES)), "right")
        pop_cum = np.cumsum(pr["pop"])
        lo = np.concatenate([[0.0], pop_cum])[starts[cat]]
        hi = pop_cum[np.maximum(ends[cat] - 1, 0)]
        product = np.searchsorted(pop_cum, lo + rng.random(n) * (hi - lo), "right")
        product = np.clip(product, starts[cat], np.maximum(ends[cat] - 1, starts[cat]))
        eco_ids = np.flatnonzero(pr["eco"])
        eco_pick = (arch == 1) & (rng.random(n) < 0.55)
        product[eco_pick] = eco_ids[rng.integers(0, len(eco_ids), int(eco_pick.sum()))]
        return product.astype(np.int32)

    # --- web events -------------------------------------------------------------------------------
    def _web(self) -> None:
        rng, cal, p = self.rng, self.cal, self.p
        n_people = len(p["prospect"])
        arch = p["arch"]
        n_dev = np.where(
            p["prospect"],
            (rng.random(n_people) < 0.3).astype(int),
            _pick(rng, n_people, (0.25, 0.5, 0.25)) + ((arch == 5) & (rng.random(n_people) < 0.5)),
        )
        n_anon = max(5, round(0.35 * self.n_cust))
        owner = np.concatenate([np.repeat(np.arange(n_people), n_dev), np.full(n_anon, -1)])
        d = len(owner)
        ow = np.maximum(owner, 0)
        known = owner >= 0
        dev_first = np.where(known, p["first_day"][ow], 0)
        dev_last = np.where(known, p["last_day"][ow], cal.days - 1)
        platform = np.where(
            arch[ow] == 5, _pick(rng, d, (0.3, 0.3, 0.4)), _pick(rng, d, (0.55, 0.2, 0.25))
        )
        dtype_ = np.where(
            platform == 0, _pick(rng, d, (0.4, 0.05, 0.545, 0.005)), _pick(rng, d, (0.9, 0.1, 0, 0))
        )
        os_desktop = _pick(rng, d, (0.7, 0.25, 0.05))  # Windows, macOS, Linux
        mobile_ios = rng.random(d) < 0.35
        os_name = np.select(
            [platform == 1, platform == 2, dtype_ == 2, dtype_ == 3],
            ["iOS", "Android", _obj(("Windows", "macOS", "Linux"))[os_desktop], "Android"],
            np.where(mobile_ios, "iOS", "Android"),
        ).astype(object)
        browser = np.where(
            platform != 0,
            None,
            np.where(
                dtype_ == 2,
                _obj(V.BROWSERS_DESKTOP)[_pick(rng, d, (5, 1.5, 1, 1.5, 1.5))],
                np.where(
                    os_name == "iOS", "Safari", _obj(V.BROWSERS_MOBILE)[_pick(rng, d, (6, 0, 2, 2))]
                ),
            ),
        )
        country = np.where(
            known,
            p["country"][ow],
            np.where(rng.random(d) < 0.85, 0, _pick(rng, d, [c[1] for c in V.COUNTRIES])),
        )
        locale = _obj([c[5] for c in V.COUNTRIES])[country]
        locale = np.where((country == 0) & (rng.random(d) < 0.2), "en-US", locale)
        tz = _tz(country)
        dev_anon = _uuid4(rng, d)
        # sessions: browsing plus tracked purchases of web/app orders
        n_browse = 1 + rng.poisson(np.where(known & (arch[ow] == 5), 0.8, 0.4))
        n_browse = np.where(known, n_browse, 1 + rng.poisson(0.2, d))
        s_dev = np.repeat(np.arange(d), n_browse)
        s_kind = np.where(rng.random(len(s_dev)) < 0.25, 1, 0)
        s_order = np.full(len(s_dev), -1, np.int64)
        online = np.flatnonzero((self.order_sys <= 1) & (self.order_person >= 0))
        o_person = self.order_person[online]
        dev_start = np.concatenate([[0], np.cumsum(n_dev)])
        has_dev = n_dev[o_person] > 0
        tracked = online[has_dev & (rng.random(len(online)) < 0.45)]
        tp = self.order_person[tracked]
        t_dev = dev_start[tp] + (rng.random(len(tracked)) * n_dev[tp]).astype(int)
        s_dev = np.concatenate([s_dev, t_dev])
        s_kind = np.concatenate([s_kind, np.full(len(tracked), 2)])
        s_order = np.concatenate([s_order, tracked])
        n_s = len(s_dev)
        s_day = cal.sample_days(rng, dev_first[s_dev], dev_last[s_dev])
        s_t = cal.seconds(rng, s_day, tz[s_dev])
        s_t = np.where(s_order >= 0, self.order_ts[np.maximum(s_order, 0)], s_t)
        # shared household devices: another CRM person logs in once
        s_user = np.full(n_s, -1, np.int64)
        crm_dev = np.flatnonzero(known & p["has_crm"][ow] & ~p["safe"][ow])
        crm_people = np.flatnonzero(p["has_crm"] & ~p["safe"])
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
                cal.seconds(
                    rng, cal.sample_days(rng, dev_first[shared], dev_last[shared]), tz[shared]
                ),
            ]
        )
        s_user = np.concatenate([s_user, self.crm_primary[guest_person]])
        s_guest = np.concatenate([np.zeros(n_s, bool), np.ones(len(shared), bool)])
        n_s = len(s_dev)
        order = np.lexsort((np.arange(n_s), s_t, s_dev))
        s_dev, s_kind, s_order, s_t, s_user, s_guest = (
            a[order] for a in (s_dev, s_kind, s_order, s_t, s_user, s_guest)
        )
        counts = np.bincount(s_dev, minlength=d)
        rank = np.arange(n_s) - np.repeat(np.cumsum(counts) - counts, counts)
        s_owner = owner[s_dev]
        so = np.maximum(s_owner, 0)
        owner_crm = (s_owner >= 0) & p["has_crm"][so]
        k0 = np.minimum(rng.geometric(0.5, d) - 1, np.maximum(counts - 1, 0))
        crm_order = (s_order >= 0) & (self.order_crm[np.maximum(s_order, 0)] >= 0)
        logged = owner_crm & ~s_guest & ((rank >= k0[s_dev]) | crm_order)
        login = (
            owner_crm & ~s_guest & logged & ((rank == k0[s_dev]) | (rank < k0[s_dev]))
        ) | s_guest
        user = np.where(logged, self.crm_primary[so], -1)
        user = np.where(s_guest, s_user, user)
        signup = (s_owner >= 0) & ~owner_crm & (rank == 0)
        s_len = np.select(
            [s_kind == 0, s_kind == 1],
            [2 + rng.poisson(1.2, n_s), 3 + rng.poisson(1.5, n_s)],
            4 + rng.poisson(1.5, n_s),
        )
        s_len = np.where(signup, np.maximum(s_len, 5), s_len)
        # events
        e_s = np.repeat(np.arange(n_s), s_len)
        n_e = len(e_s)
        pos = np.arange(n_e) - np.repeat(np.cumsum(s_len) - s_len, s_len)
        from_end = s_len[e_s] - 1 - pos
        kind = s_kind[e_s]
        middle = _pick(rng, n_e, (0.3, 0.45, 0.2, 0.0, 0.05)).astype(np.int8)
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
        lag = np.where(
            rng.random(n_e) < 0.04, rng.integers(DAY, 5 * DAY, n_e), rng.integers(0, 6, n_e)
        )
        rec = np.minimum(occ + lag, np.maximum(occ, cal.end_sec))
        e_dev = s_dev[e_s]
        e_order = np.where(etype == 6, s_order[e_s], -1)
        guest_checkout = (kind == 2) & (etype == 5) & ~owner_crm[e_s] & (s_owner[e_s] >= 0)
        email_on = (etype == 7) | guest_checkout
        e_own = so[e_s]
        product = np.where(np.isin(etype, [1, 3, 4]), self._pick_products(arch[e_own]), -1).astype(
            np.int32
        )
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
                _obj(V.REFERRERS)[rng.integers(0, len(V.REFERRERS), n_s)],
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
            "email": np.where(email_on, p["email"][e_own], None),
            "ev": rng.integers(0, 3, n_e).astype(np.int8),
            "sid": e_s.astype(np.int32),
            "etype": etype,
            "occ": occ,
            "rec": rec,
            "tz": tz[e_dev],
            "product": product,
            "oid": np.maximum(e_order, 0).astype(np.int32),
            "osys": self.order_sys[np.maximum(e_order, 0)],
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
            f"case etype when 0 then ({landing})[pcode + 1] when 1 then '/p/' || {PRODUCT_ID} "
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
            ("occurred_at", _ts("occ", "tz")),
            ("received_at", _ts("rec")),
            ("product_id", "case when product >= 0 then " + PRODUCT_ID + " end"),
            ("order_id", "case when has_order then " + ORDER_ID.replace("sys", "osys") + " end"),
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
        self._finish_source(
            "web_events",
            events,
            events["rec"],
            specs,
            {"plain": plain},
            columns,
            "event_id",
            event_id,
            parts=4,
        )
        truth = {"dev": np.arange(d), "person": owner, "anon": dev_anon}
        self.sink.truth(
            "web_events",
            truth,
            anon_id,
            f"case when person >= 0 then {PERSON_ID} "
            "else 'V' || lpad((dev + 1)::varchar, 8, '0') end",
        )
        self.dev_owner = owner

    # --- surveys, tickets, leads, touches, privacy ---------------------------------------------
    def _contact(self, person: np.ndarray, crm_share: float) -> tuple[np.ndarray, np.ndarray]:
        """crm_id number (or -1) and canonical email (or None) for records of customers."""
        rng, p = self.rng, self.p
        n = len(person)
        has_crm = p["has_crm"][person]
        safe = p["safe"][person]
        crm_on = has_crm & ((rng.random(n) < crm_share) | safe)
        use_dup = crm_on & p["has_dup"][person] & (rng.random(n) < 0.3)
        crm = np.where(
            crm_on, np.where(use_dup, self.crm_dup[person], self.crm_primary[person]), -1
        )
        email_on = ~crm_on | (rng.random(n) < 0.5)
        return crm, np.where(email_on, p["email"][person], None)

    def _surveys(self) -> None:
        rng, cal, p = self.rng, self.cal, self.p
        n_cust = self.n_cust
        respondents = np.flatnonzero(rng.random(n_cust) < 0.25)
        n_resp = 1 + rng.poisson(0.5, len(respondents))
        person = np.repeat(respondents, n_resp)
        r = len(person)
        crm, email = self._contact(person, 0.85)
        stype = _pick(rng, r, (0.45, 0.35, 0.2))
        day = cal.sample_days(rng, p["first_day"][person], np.full(r, cal.days - 1))
        t = cal.seconds(rng, day, p["tz"][person])
        # rows: nps -> score (+ comment 30%), csat -> score, profile -> each key with 75%
        keys = np.array([[0, 5, -1, -1, -1], [1, -1, -1, -1, -1], [2, 3, 4, 6, -1]])
        take_key = np.zeros((r, 5), bool)
        take_key[:, 0] = True
        take_key[:, 1] = (stype == 0) & (rng.random(r) < 0.3)
        prof = stype == 2
        pick = rng.random((r, 4)) < 0.75
        pick[:, 0] |= ~pick.any(axis=1)
        take_key[prof, 0:4] = pick[prof]
        take_key[prof, 4] = False
        resp_rows, slot = np.nonzero(take_key)
        qkey = np.where(
            prof[resp_rows],
            np.array([2, 3, 4, 6])[np.minimum(slot, 3)],
            keys[stype[resp_rows], slot],
        )
        n = len(resp_rows)
        arch = p["arch"][person[resp_rows]]
        fav = np.array(V.ARCHETYPE_ANSWERS)[arch]
        vocab = [V.INTERESTS, V.VALUES, V.LIFESTYLES, V.PAIN_POINTS]
        texts = np.full(n, None, dtype=object)
        for j, (qk, words) in enumerate(zip((2, 3, 4, 6), vocab, strict=True)):
            m = qkey == qk
            choice = np.where(rng.random(n) < 0.6, fav[:, j], rng.integers(0, len(words), n))
            texts[m] = _obj(words)[choice[m]]
        texts[qkey == 5] = _obj(V.NPS_COMMENTS)[
            rng.integers(0, len(V.NPS_COMMENTS), int((qkey == 5).sum()))
        ]
        nps = np.clip(np.round(rng.normal(np.where(arch == 3, 8.5, 7.3), 2.0, n)), 0, 10)
        csat = np.clip(np.round(rng.normal(3.9, 1.0, n)), 1, 5)
        score = np.select([qkey == 0, qkey == 1], [nps, csat], np.nan)
        data = {
            "rid": resp_rows.astype(np.int64),
            "crm": crm[resp_rows],
            "email": email[resp_rows],
            "ev": rng.integers(0, 5, n).astype(np.int8),
            "t": t[resp_rows],
            "stype": stype[resp_rows].astype(np.int8),
            "qkey": _obj(
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
            DirtSpec(
                "unparsable_timestamp", "submitted_at", ("31/02/2024 25:61", "last week"), 0.002
            ),
            DirtSpec("duplicate_delivery", "", (), 0.003, kind="dup"),
        ]
        response_id = "'R' || lpad((rid + 1)::varchar, 8, '0')"
        columns = [
            ("response_id", response_id),
            ("crm_id", CRM_ID),
            ("email", EMAIL),
            ("submitted_at", _ts("t")),
            ("survey_type", "(['nps', 'csat', 'profile'])[stype + 1]"),
            ("question_key", "qkey"),
            ("answer_text", "text"),
            ("answer_score", "case when isnan(score) then null else score::integer::varchar end"),
        ]
        self._finish_source(
            "survey_responses",
            data,
            np.arange(n, dtype=np.float64),
            specs,
            {"nps": nps_rows, "csat": csat_rows},
            columns,
            "response_id",
            f"{response_id} || '|' || qkey",
        )
        self.sink.truth(
            "survey_responses", {"rid": np.arange(r), "person": person}, response_id, PERSON_ID
        )

    def _tickets(self) -> None:
        rng, cal, p = self.rng, self.cal, self.p
        who = np.flatnonzero(rng.random(self.n_cust) < 0.12)
        person = np.repeat(who, 1 + rng.poisson(0.4, len(who)))
        n = len(person)
        crm, email = self._contact(person, 0.8)
        day = cal.sample_days(rng, p["first_day"][person], p["last_day"][person])
        t = np.sort(cal.seconds(rng, day, p["tz"][person]))
        arch = p["arch"][person]
        cat = np.where(
            arch == 0,
            _pick(rng, n, (3, 1, 3, 1, 1, 0.5, 1)),
            _pick(rng, n, (4, 2, 1, 1.5, 1, 1, 1)),
        )
        sat = np.where(
            rng.random(n) < 0.4, -1, np.clip(np.round(rng.normal(3.6, 1.2, n)), 1, 5)
        ).astype(int)
        data = {
            "tid": np.arange(n, dtype=np.int64),
            "crm": crm,
            "email": email,
            "ev": rng.integers(0, 5, n).astype(np.int8),
            "t": t,
            "cat": _obj(V.TICKET_CATEGORIES)[cat],
            "status": _obj(V.TICKET_STATUSES)[_pick(rng, n, (5, 3, 1, 1, 0.3))],
            "sat": sat,
        }
        specs = [
            DirtSpec(
                "unknown_ticket_category", "category", ("shipping??", "misc", "complaint"), 0.006
            ),
            DirtSpec("score_out_of_range", "satisfaction_score", ("0", "7", "9"), 0.006),
            DirtSpec(
                "unparsable_timestamp", "created_at", ("31/02/2024 25:61", "yesterday"), 0.005
            ),
            DirtSpec("missing_required_value", "created_at", (None,), 0.004),
            DirtSpec("missing_key", "ticket_id", (None,), 0.004, kind="nokey"),
            DirtSpec("duplicate_delivery", "", (), 0.004, kind="dup"),
        ]
        ticket_id = "'TK' || lpad((tid + 1)::varchar, 8, '0')"
        columns = [
            ("ticket_id", ticket_id),
            ("crm_id", CRM_ID),
            ("email", EMAIL),
            ("created_at", _ts("t")),
            ("category", "cat"),
            ("status", "status"),
            ("satisfaction_score", "case when sat >= 0 then sat::varchar end"),
        ]
        self._finish_source(
            "support_tickets",
            data,
            np.arange(n, dtype=np.float64),
            specs,
            {},
            columns,
            "ticket_id",
            ticket_id,
        )
        self.sink.truth(
            "support_tickets", {"tid": np.arange(n), "person": person}, ticket_id, PERSON_ID
        )

    def _leads(self) -> None:
        rng, cal, p = self.rng, self.cal, self.p
        prospects = np.arange(self.n_cust, self.n_cust + self.n_prosp)
        crm_people = np.flatnonzero(p["has_crm"] & ~p["safe"])
        converted = crm_people[rng.random(len(crm_people)) < 0.07]
        person = np.concatenate([prospects, converted])
        n = len(person)
        is_conv = np.arange(n) >= len(prospects)
        created_day = np.where(
            is_conv,
            np.maximum(self.signup_day[person] - rng.integers(3, 90, n), -300),
            _pick(rng, n, cal.weights),
        )
        created_day = np.clip(created_day, -300, cal.days - 1)
        t = cal.start_sec + created_day.astype(np.int64) * DAY + rng.integers(0, DAY, n)
        order = np.argsort(t, kind="stable")
        person, is_conv, t = person[order], is_conv[order], t[order]
        vn = p["country"][person] == 0
        full = np.where(
            vn,
            p["last"][person] + " " + p["middle"][person] + " " + p["first"][person],
            p["first"][person] + " " + p["last"][person],
        )
        biz = p["business"][person]
        company = (
            _obj(V.COMPANY_WORDS_1)[p["company_1"][person]]
            + " "
            + _obj(V.COMPANY_WORDS_2)[p["company_2"][person]]
        )
        self.lead_has_phone = np.zeros(len(p["prospect"]), bool)
        phone_on = is_conv & (rng.random(n) < 0.3) | ~is_conv & (rng.random(n) < 0.7)
        self.lead_has_phone[person[phone_on & ~is_conv]] = True
        status = np.where(is_conv, 4, _pick(rng, n, (0.35, 0.3, 0.15, 0.2)))
        data = {
            "lid": np.arange(n, dtype=np.int64),
            "person": person,
            "email": p["email"][person],
            "ev": rng.integers(0, 5, n).astype(np.int8),
            "phone": np.where(phone_on, p["phone"][person], None),
            "pk": p["pk"][person],
            "cc": p["cc"][person],
            "pv": rng.integers(0, 5, n).astype(np.int8),
            "fullname": full,
            "company": np.where(biz, company, None),
            "industry": np.where(
                biz,
                _obj(V.INDUSTRIES)[
                    (p["company_1"][person] * 7 + p["company_2"][person]) % len(V.INDUSTRIES)
                ],
                None,
            ),
            "employees": np.where(biz, np.exp(rng.normal(3.2, 1.3, n)).astype(int) + 2, -1),
            "source": _obj(V.LEAD_SOURCES)[_pick(rng, n, (4, 2, 1.5, 3, 1))],
            "status": _obj(V.LEAD_STATUSES)[status],
            "t": t,
        }
        self.leads = data
        self.lead_prospect_persons = prospects
        # dirt only on leaves: converted leads, or prospects reached by nothing else
        leaf = is_conv.copy()
        self.prospect_has_dev = np.zeros(len(p["prospect"]), bool)
        self.prospect_has_dev[self.dev_owner[self.dev_owner >= 0]] = True
        self.prospect_touched = rng.random(len(p["prospect"])) < 0.8
        lonely = ~is_conv & ~self.prospect_has_dev[person] & ~self.prospect_touched[person]
        leaf |= lonely
        biz_leaf = leaf & biz
        specs = [
            DirtSpec(
                "unknown_lead_status", "status", ("hot??", "maybe_later", "won"), 0.006, "leaf"
            ),
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
            ("email", EMAIL),
            ("phone", PHONE),
            ("full_name", "fullname"),
            ("company_name", "company"),
            ("industry", "industry"),
            ("employee_count", "case when employees >= 0 then employees::varchar end"),
            ("source", "source"),
            ("status", "status"),
            ("created_at", _ts("t")),
        ]
        self._finish_source(
            "leads",
            data,
            np.arange(n, dtype=np.float64),
            specs,
            {"leaf": leaf, "biz_leaf": biz_leaf},
            columns,
            "lead_id",
            lead_id,
        )
        self.sink.truth("leads", data, lead_id, PERSON_ID)

    def _touches(self) -> None:
        rng, cal, p = self.rng, self.cal, self.p
        n_people = len(p["prospect"])
        cust = np.arange(n_people) < self.n_cust
        per = np.where(
            cust & self.opt_in,
            rng.poisson(2.2, n_people),
            np.where(
                ~cust & self.prospect_touched,
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
        is_cust = person < self.n_cust
        channel = _pick(rng, n, (0.5, 0.2, 0.15, 0.05, 0.1))
        no_phone = ~is_cust & ~self.lead_has_phone[person]
        channel = np.where(~is_cust & (channel == 2), 0, channel)
        channel = np.where(no_phone & np.isin(channel, [1, 3]), 0, channel)
        crm = np.where(is_cust & p["has_crm"][person], self.crm_primary[person], -1)
        # customers without a CRM record are reached on email/sms only
        channel = np.where(is_cust & (crm < 0) & np.isin(channel, [2, 4]), 0, channel)
        email_on = np.isin(channel, [0, 4]) & ((crm < 0) | (rng.random(n) < 0.7))
        email_on |= (crm < 0) & ~np.isin(channel, [1, 3])
        phone_on = np.isin(channel, [1, 3])
        first = np.where(is_cust, p["first_day"][person], rng.integers(0, cal.days, n))
        day = cal.sample_days(rng, np.minimum(first, cal.days - 1), np.full(n, cal.days - 1))
        sent = cal.seconds(rng, day, np.full(n, 7))
        order = np.lexsort((person, sent))
        person, channel, crm, email_on, phone_on, sent = (
            a[order] for a in (person, channel, crm, email_on, phone_on, sent)
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
            "crm": crm,
            "email": np.where(email_on, p["email"][person], None),
            "ev": rng.integers(0, 5, n).astype(np.int8),
            "phone": np.where(phone_on, p["phone"][person], None),
            "pk": p["pk"][person],
            "cc": p["cc"][person],
            "pv": rng.integers(0, 5, n).astype(np.int8),
            "camp": month * 10 + channel,
            "channel": channel.astype(np.int8),
            "sent": sent,
            "opened": np.where(opened > clip, -1, opened),
            "clicked": np.where(clicked > clip, -1, clicked),
            "converted": np.where(converted > clip, -1, converted),
            "unsub": np.where(unsub > clip, -1, unsub),
        }
        crm_rows = crm >= 0
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
            DirtSpec(
                "malformed_email",
                "email",
                ("nguyen.an@@gmail", "an.nguyen gmail.com", "@yahoo.com"),
                0.0008,
                "crm_rows",
                rejected=False,
            ),
            DirtSpec(
                "malformed_phone",
                "phone",
                ("12", "abc-phone", "+84 12"),
                0.0006,
                "crm_rows",
                rejected=False,
            ),
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
            return f"case when {col} >= 0 then {_ts(col)} end"

        columns = [
            ("touch_id", touch_id),
            ("crm_id", CRM_ID),
            ("email", EMAIL),
            ("phone", PHONE),
            (
                "campaign_id",
                "'CMP-' || lpad((camp // 10 + 1)::varchar, 3, '0') || '-' || "
                "(['EM', 'SMS', 'PUSH', 'CALL', 'SOC'])[camp % 10 + 1]",
            ),
            ("channel", "(" + str(list(V.TOUCH_CHANNELS)) + ")[channel + 1]"),
            ("sent_at", _ts("sent")),
            ("opened_at", opt("opened")),
            ("clicked_at", opt("clicked")),
            ("converted_at", opt("converted")),
            ("unsubscribed_at", opt("unsub")),
        ]
        self._finish_source(
            "marketing_touches",
            data,
            np.arange(n, dtype=np.float64),
            specs,
            {"crm_rows": crm_rows},
            columns,
            "touch_id",
            touch_id,
            parts=4,
        )
        self.sink.truth("marketing_touches", data, touch_id, PERSON_ID)

    def _privacy(self) -> None:
        rng, cal, p = self.rng, self.cal, self.p
        people = np.flatnonzero(
            p["has_crm"] & ~p["safe"] & (rng.random(len(p["prospect"])) < 0.035)
        )
        n = len(people)
        rtype = _pick(rng, n, (0.55, 0.35, 0.1))
        crm_on = rng.random(n) < 0.7
        use_dup = crm_on & p["has_dup"][people] & (rng.random(n) < 0.3)
        crm = np.where(
            crm_on, np.where(use_dup, self.crm_dup[people], self.crm_primary[people]), -1
        )
        email = np.where(~crm_on | (rng.random(n) < 0.4), p["email"][people], None)
        day = cal.sample_days(
            rng, np.minimum(p["first_day"][people] + 30, cal.days - 1), np.full(n, cal.days - 1)
        )
        t = np.sort(cal.seconds(rng, day, p["tz"][people]))
        data = {
            "qid": np.arange(n, dtype=np.int64),
            "person": people,
            "crm": crm,
            "email": email,
            "ev": rng.integers(0, 5, n).astype(np.int8),
            "rtype": rtype.astype(np.int8),
            "t": t,
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
            ("crm_id", CRM_ID),
            ("email", "case when dc = 1 then null else " + EMAIL + " end"),
            ("request_type", "(['marketing_opt_out', 'marketing_opt_in', 'erasure'])[rtype + 1]"),
            ("requested_at", _ts("t")),
        ]
        # missing_identifier overrides crm_id (column 1) with null; the email expression
        # empties itself on the same rows, so the row has neither identifier.
        self._finish_source(
            "privacy_requests",
            data,
            np.arange(n, dtype=np.float64),
            specs,
            {},
            columns,
            "request_id",
            request_id,
        )
        self.sink.truth("privacy_requests", data, request_id, PERSON_ID)


def _marital(rng: np.random.Generator, status: np.ndarray) -> np.ndarray:
    flat = _obj([m for group in V.MARITAL for m in group])
    offsets = np.concatenate([[0], np.cumsum([len(g) for g in V.MARITAL])])
    sizes = np.array([len(g) for g in V.MARITAL])[status]
    variant = np.where(
        rng.random(len(status)) < 0.6, 0, (rng.random(len(status)) * sizes).astype(int)
    )
    return flat[offsets[status] + variant]


# --- command line ------------------------------------------------------------------------------
def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `generate` subcommand."""
    parser = subparsers.add_parser(
        "generate",
        help="write a synthetic landing zone (all raw sources, ground truth, injected dirt)",
        description=__doc__,
    )
    parser.add_argument("--out", type=Path, default=Path("sample_data"), help="output folder")
    parser.add_argument("--customers", type=int, default=2000, help="number of customers")
    parser.add_argument("--seed", type=int, default=42, help="random seed (same seed, same bytes)")
    parser.add_argument(
        "--format", dest="fmt", choices=("csv", "parquet", "parquet-folder"), default="csv"
    )
    parser.add_argument(
        "--end-date",
        type=date.fromisoformat,
        default=date(2026, 9, 30),
        help="last day of the generated history (YYYY-MM-DD)",
    )
    parser.add_argument("--years", type=int, default=3, help="years of history")
    parser.add_argument("--orders-per-customer", type=float, default=4.0)
    parser.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    started = time.perf_counter()

    def progress(name: str, rows: int) -> None:
        elapsed = time.perf_counter() - started
        print(f"[{elapsed:7.1f}s] wrote {name} ({rows:,} rows)", file=sys.stderr, flush=True)

    rows = generate(
        args.out,
        customers=args.customers,
        seed=args.seed,
        fmt=args.fmt,
        end_date=args.end_date,
        years=args.years,
        orders_per_customer=args.orders_per_customer,
        progress=progress,
    )
    width = max(len(name) for name in rows)
    for name, count in rows.items():
        print(f"{name:<{width}}  {count:>12,}")
    total = time.perf_counter() - started
    print(f"{'total':<{width}}  {sum(rows.values()):>12,} rows in {total:.1f}s -> {args.out}")
    return 0
