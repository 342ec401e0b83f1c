"""The descriptive columns of CRM records: demographics, address and business details.

Each function draws its columns for the CRM records `rec_person` (one person per record)
and returns them as arrays; `crm.build_crm` calls them in a fixed order.
"""

from __future__ import annotations

import numpy as np

from custseg.generator import vocab as V
from custseg.generator.calendar import EPOCH, Calendar
from custseg.generator.draw import home_currency, obj, pick
from custseg.generator.io import Arrays
from custseg.generator.people import People


def city_variants() -> tuple[np.ndarray, np.ndarray]:
    """All spellings of all cities (flat) and the offset of each city's first spelling."""
    flat = obj([v for c in V.CITIES for v in c[0]])
    offsets = np.concatenate([[0], np.cumsum([len(c[0]) for c in V.CITIES])])
    return flat, offsets


def demographics(
    rng: np.random.Generator, cal: Calendar, people: People, rec_person: np.ndarray
) -> Arrays:
    """Birth date, gender, marital status, children, education, occupation, income."""
    n_rec = len(rec_person)
    country = people.country[rec_person]
    cols: Arrays = {}
    age = np.clip(rng.normal(36, 11, n_rec), 18, 80)
    birth_day = (cal.end - EPOCH).days - (age * 365.25).astype(int)
    cols["birth"] = np.where(rng.random(n_rec) < 0.05, np.nan, birth_day)
    g = people.gender[rec_person]
    gtext = np.select(
        [g == 0, g == 1],
        [
            obj(V.GENDER_F)[pick(rng, n_rec, (5, 3, 3, 1, 1, 1))],
            obj(V.GENDER_M)[pick(rng, n_rec, (5, 3, 3, 1, 1, 1))],
        ],
        obj(V.GENDER_OTHER)[rng.integers(0, 3, n_rec)],
    )
    cols["gender"] = np.where(rng.random(n_rec) < 0.06, None, gtext)
    arch = people.arch[rec_person]
    married_p = np.clip((age - 22) / 15, 0.05, 0.85)
    mstatus = np.where(rng.random(n_rec) < married_p, 1, 0)
    mstatus = np.where(
        (mstatus == 1) & (rng.random(n_rec) < 0.12), pick(rng, n_rec, (0, 0, 5, 2, 3)), mstatus
    )
    mtext = marital(rng, mstatus)
    cols["marital"] = np.where(rng.random(n_rec) < 0.1, None, mtext)
    kids = np.where(mstatus >= 1, rng.poisson(1.2, n_rec), rng.poisson(0.15, n_rec))
    kids = np.where(arch == 4, np.maximum(kids, 1) + rng.poisson(0.5, n_rec), kids)
    cols["kids"] = np.where(rng.random(n_rec) < 0.15, -1, kids)
    edu_level = np.clip(pick(rng, n_rec, (2, 1.5, 4, 1.5, 0.3)) + (arch == 3), 0, 4)
    edu = obj([e[0] for e in V.EDUCATION])[edu_level]
    alt = rng.random(n_rec) < 0.4
    edu_alt = np.array([e[1] for e in V.EDUCATION], dtype=object)[edu_level]
    cols["education"] = np.where(rng.random(n_rec) < 0.15, None, np.where(alt, edu_alt, edu))
    occ = obj(V.OCCUPATIONS)[rng.integers(0, len(V.OCCUPATIONS), n_rec)]
    cols["occupation"] = np.where(rng.random(n_rec) < 0.1, None, occ)
    income_usd = np.exp(rng.normal(np.log(9000), 0.6, n_rec)) * np.where(country == 0, 1, 4)
    income_usd *= np.where(arch == 3, 2.5, 1.0)
    home_cur = home_currency(country)
    income = income_usd / np.array(V.FX_BASE)[home_cur]
    income = np.where(home_cur == 1, np.round(income, -6), np.round(income, -2))
    no_income = rng.random(n_rec) < 0.25
    cols["income"] = np.where(no_income, np.nan, income)
    cols["income_cur"] = np.where(no_income, None, obj(V.CURRENCIES)[home_cur])
    return cols


def place(rng: np.random.Generator, people: People, rec_person: np.ndarray) -> Arrays:
    """City (in one of its spellings), region, postal code, country, coordinates, language."""
    n_rec = len(rec_person)
    country = people.country[rec_person]
    city = people.city[rec_person].astype(np.int64)
    cols: Arrays = {}
    variant_n = np.array([len(c[0]) for c in V.CITIES])[city]
    variant = np.where(rng.random(n_rec) < 0.75, 0, (rng.random(n_rec) * variant_n).astype(int))
    flat, offsets = city_variants()
    cols["city"] = flat[offsets[city] + variant]
    cols["region"] = obj([c[1] for c in V.CITIES])[city]
    cols["postal"] = np.where(rng.random(n_rec) < 0.2, None, obj([c[2] for c in V.CITIES])[city])
    cols["country_code"] = obj([c[0] for c in V.COUNTRIES])[country]
    urb = pick(rng, n_rec, (0.6, 0.25, 0.15))
    spread = np.array([0.03, 0.08, 0.25])[urb]
    no_geo = rng.random(n_rec) < 0.08
    cols["lat"] = np.where(
        no_geo,
        np.nan,
        np.array([c[3] for c in V.CITIES])[city] + rng.normal(0, 1, n_rec) * spread,
    )
    cols["lon"] = np.where(
        no_geo,
        np.nan,
        np.array([c[4] for c in V.CITIES])[city] + rng.normal(0, 1, n_rec) * spread,
    )
    cols["urbanicity"] = np.where(
        rng.random(n_rec) < 0.07, None, obj(("urban", "suburban", "rural"))[urb]
    )
    langs = [c[6] for c in V.COUNTRIES]
    lang_flat = obj([lang for ls in langs for lang in ls])
    lang_off = np.concatenate([[0], np.cumsum([len(ls) for ls in langs])])[country]
    lang_n = np.array([len(ls) for ls in langs])[country]
    cols["language"] = lang_flat[lang_off + (rng.random(n_rec) * lang_n).astype(int)]
    return cols


def business(rng: np.random.Generator, people: People, rec_person: np.ndarray) -> Arrays:
    """Customer type, company, industry and size, marketing opt-in."""
    n_rec = len(rec_person)
    cols: Arrays = {}
    biz = people.business[rec_person]
    cols["ctype"] = np.where(biz, "business", "person").astype(object)
    c1, c2 = people.company_1[rec_person], people.company_2[rec_person]
    company = (
        obj(V.COMPANY_WORDS_1)[c1]
        + " "
        + obj(V.COMPANY_WORDS_2)[c2]
        + " "
        + obj(V.COMPANY_SUFFIX)[(c1 + c2) % len(V.COMPANY_SUFFIX)]
    )
    cols["company"] = np.where(biz, company, None)
    cols["industry"] = np.where(biz, obj(V.INDUSTRIES)[(c1 * 7 + c2) % len(V.INDUSTRIES)], None)
    cols["employees"] = np.where(biz, np.exp(rng.normal(3.5, 1.4, n_rec)).astype(int) + 2, -1)
    cols["opt_in"] = rng.random(n_rec) < 0.7
    return cols


def marital(rng: np.random.Generator, status: np.ndarray) -> np.ndarray:
    """Marital status texts (canonical 60%, else one of the status's spellings)."""
    flat = obj([m for group in V.MARITAL for m in group])
    offsets = np.concatenate([[0], np.cumsum([len(g) for g in V.MARITAL])])
    sizes = np.array([len(g) for g in V.MARITAL])[status]
    variant = np.where(
        rng.random(len(status)) < 0.6, 0, (rng.random(len(status)) * sizes).astype(int)
    )
    return flat[offsets[status] + variant]
