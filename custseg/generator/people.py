"""People: the buying customers and the prospects every source draws its records from.

`build_people` is the first draw of a run: identities (names, emails, phones), places,
behaviour archetypes and activity windows. Every later step reads these arrays and never
changes them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from custseg.generator import vocab as V
from custseg.generator.calendar import Calendar
from custseg.generator.draw import digits, fold_rows, obj, pick, tz_of, unique_numbers


@dataclass(frozen=True)
class People:
    """One entry per person: customers 0..n_cust-1, then prospects (never buy)."""

    n_cust: int
    prospect: np.ndarray
    country: np.ndarray
    city: np.ndarray
    business: np.ndarray
    gender: np.ndarray
    first: np.ndarray
    last: np.ndarray
    middle: np.ndarray
    email: np.ndarray
    phone: np.ndarray
    pk: np.ndarray  # phone kind: 0 VN mobile, 1 VN landline, 2 abroad
    cc: np.ndarray  # calling code
    arch: np.ndarray  # behaviour archetype
    has_crm: np.ndarray
    has_dup: np.ndarray  # a second CRM record
    safe: np.ndarray  # kept clean: no dirt, no duplicate, one CRM version
    has_card: np.ndarray
    company_1: np.ndarray
    company_2: np.ndarray
    first_day: np.ndarray
    last_day: np.ndarray
    tz: np.ndarray
    email2: np.ndarray  # the other address a duplicate CRM record may carry

    @property
    def n(self) -> int:
        """Number of people (customers and prospects)."""
        return len(self.prospect)


def build_people(rng: np.random.Generator, n_cust: int, n_prosp: int, cal: Calendar) -> People:
    """Customers (0..n_cust-1) then prospects: identity, demographics and behaviour."""
    n = n_cust + n_prosp
    prospect = np.arange(n) >= n_cust
    country = pick(rng, n, [c[1] for c in V.COUNTRIES]).astype(np.int8)
    city = np.zeros(n, np.int16)
    for code, (cc, *_rest) in enumerate(V.COUNTRIES):
        idx = np.flatnonzero(country == code)
        in_country = [i for i, c in enumerate(V.CITIES) if c[5] == cc]
        weights = [V.CITIES[i][6] for i in in_country]
        city[idx] = np.array(in_country)[pick(rng, len(idx), weights)]
    business = rng.random(n) < np.where(prospect, 0.3, 0.05)
    gender = pick(rng, n, (0.52, 0.47, 0.01)).astype(np.int8)
    vn = country == 0
    male = gender == 1
    # names: VN given/family/middle; international first/last
    first = np.where(
        male,
        np.where(
            vn,
            obj(V.VN_FIRST_M)[rng.integers(0, len(V.VN_FIRST_M), n)],
            obj(V.INTL_FIRST_M)[rng.integers(0, len(V.INTL_FIRST_M), n)],
        ),
        np.where(
            vn,
            obj(V.VN_FIRST_F)[rng.integers(0, len(V.VN_FIRST_F), n)],
            obj(V.INTL_FIRST_F)[rng.integers(0, len(V.INTL_FIRST_F), n)],
        ),
    )
    last = np.where(
        vn,
        obj(V.VN_LAST)[pick(rng, n, V.VN_LAST_W)],
        obj(V.INTL_LAST)[rng.integers(0, len(V.INTL_LAST), n)],
    )
    middle = np.where(
        male,
        obj(V.VN_MIDDLE_M)[rng.integers(0, len(V.VN_MIDDLE_M), n)],
        obj(V.VN_MIDDLE_F)[rng.integers(0, len(V.VN_MIDDLE_F), n)],
    )
    fold = np.frompyfunc(V.ascii_fold, 1, 1)
    # fold the vocabularies, not the rows: map each distinct name through a dict
    first_a = fold_rows(first, fold)
    last_a = fold_rows(last, fold)
    num = digits(unique_numbers(rng, n, 10_000_000), 1)
    pattern = rng.integers(0, 4, n)
    local = np.select(
        [pattern == 0, pattern == 1, pattern == 2],
        [first_a + "." + last_a + num, last_a + first_a + num, first_a + "_" + last_a + num],
        first_a + num,
    )
    domain = np.where(
        vn,
        obj(V.EMAIL_DOMAINS_VN)[pick(rng, n, V.EMAIL_DOMAINS_VN_W)],
        obj(V.EMAIL_DOMAINS_INTL)[pick(rng, n, V.EMAIL_DOMAINS_INTL_W)],
    )
    company_1 = rng.integers(0, len(V.COMPANY_WORDS_1), n)
    company_2 = rng.integers(0, len(V.COMPANY_WORDS_2), n)
    company_domain = obj([V.ascii_fold(w) for w in V.COMPANY_WORDS_1])[company_1] + np.where(
        vn, ".com.vn", ".com"
    )
    domain = np.where(business, company_domain, domain)
    email = local + "@" + domain
    # phones: 7 unique digits per person behind a country/operator prefix
    u7 = digits(unique_numbers(rng, n, 10_000_000), 7)
    cc = obj([c[3] for c in V.COUNTRIES])[country]
    mobile_prefix = obj(V.VN_MOBILE_PREFIXES)[rng.integers(0, len(V.VN_MOBILE_PREFIXES), n)]
    intl_prefix = obj([V.INTL_PHONE_PREFIX.get(c[0], "9") for c in V.COUNTRIES])[country]
    landline = vn & (city <= 1) & (rng.random(n) < 0.06)
    area = np.where(city == 0, "28", "24").astype(object)
    phone = np.where(
        vn,
        np.where(landline, "84" + area + "3" + u7, "84" + mobile_prefix + u7),
        cc + intl_prefix + u7,
    )
    pk = np.where(vn, np.where(landline, 1, 0), 2).astype(np.int8)
    arch = pick(rng, n, V.ARCHETYPE_W).astype(np.int8)
    arch[business] = 6
    has_crm = ~prospect & ((rng.random(n) < 0.82) | business)
    has_dup = has_crm & (rng.random(n) < 0.05)
    safe = has_crm & ~has_dup & ~business & (rng.random(n) < 0.05)
    store_country = np.isin(country, [0, 1, 2, 6, 7])
    has_card = has_crm & store_country & (rng.random(n) < 0.65)
    # activity window (day offsets)
    first_day = np.where(
        rng.random(n) < 0.3, 0, np.minimum(pick(rng, n, cal.weights**0.3), cal.days - 1)
    )
    churn = rng.random(n) < 0.3
    last_day = np.where(
        churn,
        np.minimum(first_day + rng.exponential(250, n).astype(int) + 30, cal.days - 1),
        cal.days - 1,
    )
    return People(
        n_cust=n_cust,
        prospect=prospect,
        country=country,
        city=city,
        business=business,
        gender=gender,
        first=first,
        last=last,
        middle=middle,
        email=email,
        phone=phone,
        pk=pk,
        cc=cc,
        arch=arch,
        has_crm=has_crm,
        has_dup=has_dup,
        safe=safe,
        has_card=has_card,
        company_1=company_1,
        company_2=company_2,
        first_day=first_day.astype(np.int32),
        last_day=last_day.astype(np.int32),
        tz=tz_of(country),
        email2="w." + local + "@" + np.where(vn, "outlook.com.vn", "mail.com").astype(object),
    )
