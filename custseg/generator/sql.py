"""SQL text expressions that turn the generator's column arrays into the raw sources' text.

Identifiers, contact variants, timestamps, dates and money: shared by the source files, the
identity truth and the dirt list, so that a record key is spelled the same way everywhere.
"""

from __future__ import annotations

PERSON_ID = "'P' || lpad((person + 1)::varchar, 8, '0')"
CRM_ID = "case when crm >= 0 then 'C' || lpad(crm::varchar, 8, '0') end"
CARD_ID = "case when card >= 0 then 'LC' || lpad(card::varchar, 10, '0') end"
ORDER_ID = "(['WEB', 'APP', 'POS', 'MKP'])[sys + 1] || '-' || lpad((oid + 100001)::varchar, 9, '0')"
PRODUCT_ID = "'P' || lpad((product + 1)::varchar, 5, '0')"
STORE_ID = "case when store >= 0 then 'ST' || lpad((store + 1)::varchar, 3, '0') end"
EMAIL = (
    "case when email is null then null when ev = 1 then upper(left(email, 1)) || substr(email, 2) "
    "when ev = 2 then upper(email) when ev = 3 then ' ' || email || ' ' "
    "when ev = 4 then 'mailto:' || email else email end"
)
PHONE = (
    "case when phone is null then null "
    "when pk = 0 then case pv "
    "when 0 then '0' || substr(phone, 3, 3) || ' ' || substr(phone, 6, 3) || ' ' "
    "|| substr(phone, 9, 3) "
    "when 1 then '+' || phone "
    "when 2 then '84 ' || substr(phone, 3, 3) || ' ' || substr(phone, 6, 3) || ' ' "
    "|| substr(phone, 9, 3) "
    "when 3 then '0' || substr(phone, 3) "
    "else '+84 ' || substr(phone, 3, 3) || ' ' || substr(phone, 6, 3) || ' ' "
    "|| substr(phone, 9, 3) end "
    "when pk = 1 then case pv % 3 "
    "when 0 then '(0' || substr(phone, 3, 2) || ') ' || substr(phone, 5, 4) || '-' "
    "|| substr(phone, 9, 4) "
    "when 1 then '+' || phone "
    "else '0' || substr(phone, 3, 2) || ' ' || substr(phone, 5, 4) || ' ' || substr(phone, 9, 4) "
    "end "
    "else case pv % 3 when 0 then '+' || phone "
    "when 1 then '+' || cc || ' ' || substr(phone, length(cc) + 1) "
    "else '00' || cc || ' ' || substr(phone, length(cc) + 1) end end"
)


def ts(col: str, offset: str | None = None) -> str:
    """ISO-8601 text of epoch seconds: UTC with `Z`, or local time with a `+HH:00` offset."""
    if offset is None:
        return f"strftime(make_timestamp({col}::bigint * 1000000), '%Y-%m-%dT%H:%M:%SZ')"
    suffixes = ", ".join(
        "'Z'" if h == 0 else f"'{'+' if h > 0 else '-'}{abs(h):02d}:00'" for h in range(-12, 15)
    )
    return (
        f"strftime(make_timestamp(({col} + {offset} * 3600)::bigint * 1000000), "
        f"'%Y-%m-%dT%H:%M:%S') || ([{suffixes}])[{offset} + 13]"
    )


def ts_plain(col: str) -> str:
    """`YYYY-MM-DD HH:MM:SS` (no offset: UTC)."""
    return f"strftime(make_timestamp({col}::bigint * 1000000), '%Y-%m-%d %H:%M:%S')"


def day(col: str) -> str:
    """`YYYY-MM-DD` of a day number (days since 1970-01-01)."""
    return f"strftime(date '1970-01-01' + {col}::integer, '%Y-%m-%d')"


def money(col: str) -> str:
    """Two decimals; NaN becomes a missing value."""
    return f"case when isnan({col}) then null else printf('%.2f', {col}) end"
