"""Reference data: products, stores and daily FX rates, and the product choice of a purchase.

`build_catalog` draws the three reference sources; `write_catalog` writes them (FX rates with
their injected dirt). `pick_products` is shared by order items and product web events.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from custseg.generator import sql as S
from custseg.generator import vocab as V
from custseg.generator.calendar import EPOCH, Calendar
from custseg.generator.context import Context, Source
from custseg.generator.draw import obj, pick
from custseg.generator.io import Arrays, DirtSpec


@dataclass(frozen=True)
class Catalog:
    """Products, stores (column arrays), FX rates and the (day, currency) rate matrix."""

    products: Arrays
    stores: Arrays
    fx: Arrays
    rates: np.ndarray  # USD per unit, [day of the span, currency]


def build_catalog(rng: np.random.Generator, cal: Calendar) -> Catalog:
    """Draw products, stores and FX rates (in that order)."""
    products = _products(rng, cal)
    stores = _stores(rng, cal)
    fx, rates = _fx(rng, cal)
    return Catalog(products, stores, fx, rates)


def _products(rng: np.random.Generator, cal: Calendar) -> Arrays:
    n = 600
    cat = pick(rng, n, (14, 9, 7, 10, 9, 8, 7, 7, 8, 3))
    sub_n = np.array([len(c[1]) for c in V.CATEGORIES])[cat]
    sub = (rng.random(n) * sub_n).astype(int)
    sub_names = obj([s for c in V.CATEGORIES for s in c[1]])
    sub_offset = np.concatenate([[0], np.cumsum([len(c[1]) for c in V.CATEGORIES])])[cat]
    lo = np.array([c[2] for c in V.CATEGORIES])[cat]
    hi = np.array([c[3] for c in V.CATEGORIES])[cat]
    price = np.round(np.exp(np.log(lo) + rng.random(n) ** 1.5 * (np.log(hi) - np.log(lo))))
    price = price - 0.01
    eco = rng.random(n) < np.array([c[4] for c in V.CATEGORIES])[cat]
    adj = rng.integers(0, len(V.PRODUCT_ADJ), n)
    adj = np.where(eco & (rng.random(n) < 0.6), rng.choice([1, 8, 9, 14], n), adj)
    brand = rng.integers(0, len(V.BRANDS), n)
    name = obj(V.BRANDS)[brand] + " " + obj(V.PRODUCT_ADJ)[adj] + " " + sub_names[sub_offset + sub]
    order = np.lexsort((rng.random(n), cat))  # products grouped by category
    data = {
        "product": np.arange(n),
        "name": name[order],
        "cat": cat[order],
        "sub": sub_names[(sub_offset + sub)[order]],
        "brand": obj(V.BRANDS)[brand[order]],
        "price": price[order],
        "cost": np.round(price[order] * rng.uniform(0.35, 0.7, n), 2),
        "eco": eco[order],
        "launched": ((cal.start - EPOCH).days - 900 + rng.integers(0, 900 + cal.days - 60, n)),
        "pop": rng.pareto(1.2, n) + 0.05,
    }
    return data


def _stores(rng: np.random.Generator, cal: Calendar) -> Arrays:
    city = np.repeat([c for c, _ in V.STORE_CITIES], [k for _, k in V.STORE_CITIES])
    n = len(city)
    ordinal = np.concatenate([np.arange(k) + 1 for _, k in V.STORE_CITIES])
    lat = np.array([c[3] for c in V.CITIES])[city] + rng.normal(0, 0.02, n)
    lon = np.array([c[4] for c in V.CITIES])[city] + rng.normal(0, 0.02, n)
    canonical = obj([c[0][0] for c in V.CITIES])
    country_codes = obj([c[5] for c in V.CITIES])
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


def _fx(rng: np.random.Generator, cal: Calendar) -> tuple[Arrays, np.ndarray]:
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


def write_catalog(ctx: Context, catalog: Catalog) -> None:
    """Write products and stores (clean) and FX rates (with dirt)."""
    products = {
        **catalog.products,
        "cat_name": obj([c[0] for c in V.CATEGORIES])[catalog.products["cat"]],
    }
    ctx.sink.write(
        "products",
        products,
        [
            ("product_id", S.PRODUCT_ID),
            ("product_name", "name"),
            ("category", "cat_name"),
            ("subcategory", "sub"),
            ("brand", "brand"),
            ("list_price", S.money("price")),
            ("unit_cost", S.money("cost")),
            ("is_eco_friendly", "case when eco then 'true' else 'false' end"),
            ("launched_at", S.day("launched")),
        ],
    )
    ctx.sink.write(
        "stores",
        catalog.stores,
        [
            ("store_id", S.STORE_ID),
            ("store_name", "name"),
            ("city", "city_name"),
            ("country_code", "country_code"),
            ("latitude", "printf('%.6f', lat)"),
            ("longitude", "printf('%.6f', lon)"),
            ("opened_at", S.day("opened")),
        ],
    )
    _write_fx(ctx, catalog.fx)


def _write_fx(ctx: Context, fx: Arrays) -> None:
    n = len(fx["day"])
    fx = {**fx, "cur_code": obj(V.CURRENCIES)[fx["cur"]]}
    late = fx["day"] >= fx["day"].min() + 14
    specs = [
        DirtSpec(
            "unparsable_number", "rate_to_reporting", ("1,0845", "n/a", "0.00o4"), 0.002, "late"
        ),
        DirtSpec("negative_amount", "rate_to_reporting", ("-0.742", "0", "-1.085"), 0.002, "late"),
        DirtSpec("missing_required_value", "rate_to_reporting", (None,), 0.001, "late"),
        DirtSpec("missing_key", "currency", (None,), 0.001, "late", kind="nokey"),
        DirtSpec("duplicate_delivery", "", (), 0.001, "late", kind="dup"),
    ]
    key = "strftime(date '1970-01-01' + day::integer, '%Y-%m-%d') || '|' || cur_code"
    columns = [
        ("rate_date", S.day("day")),
        ("currency", "cur_code"),
        ("rate_to_reporting", "printf('%.10f', rate)"),
    ]
    source = Source("fx_rates", columns, "currency", key)
    ctx.finish_source(source, fx, np.arange(n, dtype=np.float64), specs, {"late": late})


def pick_products(rng: np.random.Generator, products: Arrays, arch: np.ndarray) -> np.ndarray:
    """Products by archetype affinity to categories and product popularity."""
    pr = products
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
