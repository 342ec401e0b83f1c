"""Writing orders and order items: status versions, late arrivals, dirt, truth.

An order that changes status (pending -> completed, completed -> returned/refunded) is
delivered once per version; `write_orders` expands the versions, marks late older versions
and writes `orders` with its dirt and identity truth; `write_items` writes `order_items`.
"""

from __future__ import annotations

import numpy as np

from custseg.generator import sql as S
from custseg.generator import vocab as V
from custseg.generator.calendar import DAY
from custseg.generator.context import Context, Source
from custseg.generator.draw import obj
from custseg.generator.io import Arrays, DirtSpec, malformed_contact
from custseg.generator.versions import expand, late_arrivals


def write_orders(ctx: Context, orders: Arrays, final: np.ndarray) -> int:
    """Write `orders` (one row per version) and its truth; return the superseded rows."""
    rng, cal = ctx.rng, ctx.cal
    ts, n = orders["ts"], len(final)
    # versions: pending -> final (15%), completed -> returned/refunded (+ pending 40%)
    old_enough = ts < cal.end_sec - 30 * DAY
    two_step = np.isin(final, [3, 4]) & old_enough
    pend_first = old_enough & (
        np.isin(final, [0, 2]) & (rng.random(n) < 0.15) | two_step & (rng.random(n) < 0.4)
    )
    nver = 1 + two_step + pend_first
    ver, base = expand(orders, nver)
    rows, v, nv = ver.rows, ver.v, ver.nv
    status = final[rows].copy()
    status = np.where((v == 0) & pend_first[rows], 1, status)
    status = np.where(two_step[rows] & (v == nv - 2), 0, status)
    base["status"] = obj(V.ORDER_STATUSES)[status]
    step = np.where(v == 0, 0, rng.integers(3600, 10 * DAY, len(rows)))
    step = np.where(two_step[rows] & (v == nv - 1), rng.integers(3, 20, len(rows)) * DAY, step)
    offs = np.cumsum(step) - np.repeat(
        np.cumsum(np.bincount(rows, step, n)) - np.bincount(rows, step, n), nver
    )
    base["upd"] = base["ts"] + offs.astype(np.int64) + rng.integers(0, 120, len(rows))
    base["upd"] = np.minimum(base["upd"], cal.end_sec - (nv - 1 - v))
    arrival, log, used = late_arrivals(rng, base["upd"], ver, 0.03, 3 * DAY)
    single = nv == 1
    crm_rows = single & (base["crm"] >= 0)
    anchor = single & ((base["crm"] >= 0) | (base["person"] < 0))
    masks = {"anchor": anchor, "crm_rows": crm_rows}
    source = Source("orders", _ORDER_COLUMNS, "order_id", S.ORDER_ID, parts=4, timed_arrival=True)
    ctx.finish_source(source, base, arrival, _ORDER_SPECS, masks, log=log, used=used)
    truth = {k_: orders[k_] for k_ in ("oid", "sys", "person")}
    ctx.sink.truth(
        "orders",
        truth,
        S.ORDER_ID,
        f"case when person >= 0 then {S.PERSON_ID} "
        "else 'S' || lpad((oid + 1)::varchar, 9, '0') end",
    )
    return ver.superseded


def write_items(ctx: Context, items: Arrays) -> None:
    """Write `order_items` with its dirt."""
    specs = [
        DirtSpec("missing_key", "order_id", (None,), 0.0005, kind="nokey"),
        DirtSpec("duplicate_delivery", "", (), 0.001, kind="dup"),
        DirtSpec("missing_required_value", "product_id", (None,), 0.0005),
        DirtSpec("unparsable_number", "quantity", ("two", "1.0.0", "một"), 0.0008),
        DirtSpec("unparsable_number", "unit_price", ("12,5O", "abc", "N/A"), 0.0008),
        DirtSpec("negative_amount", "unit_price", ("-5.00", "-129000.00"), 0.0008),
        DirtSpec("invalid_quantity", "quantity", ("0", "-1", "-3"), 0.0008),
    ]
    columns = [
        ("order_id", S.ORDER_ID),
        ("line_number", "line::varchar"),
        ("product_id", S.PRODUCT_ID),
        ("quantity", "qty::varchar"),
        ("unit_price", S.money("price")),
        ("discount_amount", S.money("disc")),
    ]
    key = f"{S.ORDER_ID} || '|' || line::varchar"
    source = Source("order_items", columns, "order_id", key, parts=4)
    ctx.finish_source(source, items, np.arange(len(items["line"]), dtype=np.float64), specs, {})


_BAD_TS = ("31/02/2024 25:61", "yesterday", "2024-13-45T99:99:99Z", "not a date")
_ORDER_SPECS = (
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
    DirtSpec("unparsable_timestamp", "ordered_at", _BAD_TS, 0.001, "anchor"),
    DirtSpec(
        "negative_amount",
        "order_total",
        ("-125000.00", "-19.99", "-1.00"),
        0.0008,
        "anchor",
    ),
    DirtSpec("negative_amount", "discount_amount", ("-5.00", "-20000.00"), 0.0005, "anchor"),
    DirtSpec("negative_amount", "shipping_amount", ("-15000.00", "-2.50"), 0.0005, "anchor"),
    DirtSpec("negative_amount", "tax_amount", ("-8000.00", "-1.20"), 0.0005, "anchor"),
    DirtSpec(
        "future_timestamp",
        "ordered_at",
        ("2031-04-12T10:00:00Z", "2035-01-01T00:00:00Z", "2099-12-31T23:59:59Z"),
        0.001,
        "anchor",
    ),
    DirtSpec("unknown_currency", "currency", ("DOLLARS", "XYZ", "VNĐ", "US$"), 0.001, "anchor"),
    DirtSpec("unknown_status", "status", ("shipped??", "done", "in_progress"), 0.001, "anchor"),
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
    *malformed_contact(0.001, 0.001, "crm_rows"),
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
)
_ORDER_COLUMNS = (
    ("order_id", S.ORDER_ID),
    ("updated_at", S.ts("upd")),
    ("source_system", "(['web', 'app', 'pos', 'marketplace'])[sys + 1]"),
    ("crm_id", S.CRM_ID),
    ("email", S.EMAIL),
    ("phone", S.PHONE),
    ("loyalty_card_id", S.CARD_ID),
    ("store_id", S.STORE_ID),
    ("ordered_at", S.ts("ts", "tz")),
    ("status", "status"),
    ("currency", "cur"),
    ("order_total", S.money("total")),
    ("discount_amount", S.money("discount")),
    ("shipping_amount", S.money("shipping")),
    ("tax_amount", S.money("tax")),
    ("payment_method", "payment"),
)
