"""Tests of the synthetic landing-zone generator (custseg.generate)."""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
from collections import Counter, defaultdict
from pathlib import Path

import duckdb
import pytest

from custseg import generate as gen

RULES = {
    "missing_key",
    "missing_required_value",
    "missing_identifier",
    "unparsable_number",
    "unparsable_timestamp",
    "negative_amount",
    "future_timestamp",
    "invalid_quantity",
    "score_out_of_range",
    "unknown_currency",
    "unknown_status",
    "unknown_source_system",
    "unknown_payment_method",
    "unknown_event_type",
    "unknown_platform",
    "unknown_survey_type",
    "unknown_ticket_category",
    "unknown_channel",
    "unknown_lead_status",
    "unknown_lead_source",
    "unknown_request_type",
    "duplicate_delivery",
    "malformed_email",
    "malformed_phone",
    "placeholder_identifier",
    "unparsable_date",
    "implausible_birth_date",
    "unparsable_boolean",
    "invalid_coordinates",
    "unknown_country_code",
    "negative_count",
    "superseded_version",
}
KEYS = {
    "crm_customers": "crm_id",
    "orders": "order_id",
    "order_items": "order_id || '|' || line_number",
    "web_events": "event_id",
    "survey_responses": "response_id || '|' || question_key",
    "support_tickets": "ticket_id",
    "marketing_touches": "touch_id",
    "leads": "lead_id",
    "privacy_requests": "request_id",
    "fx_rates": "rate_date || '|' || currency",
}
REPO = Path(__file__).resolve().parents[2]


def _files(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _read(folder: Path, name: str) -> list[dict[str, str]]:
    with open(folder / f"{name}.csv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("landing")
    gen.generate(out, customers=2000, seed=7)
    return out


def test_every_source_and_truth_written(sample: Path) -> None:
    for name in gen.SOURCES:
        assert (sample / f"{name}.csv").stat().st_size > 0, name
    for name in ("identity.csv", "dirt.csv", "manifest.json"):
        assert (sample / "_truth" / name).exists()
    manifest = json.loads((sample / "_truth" / "manifest.json").read_text())
    assert manifest["seed"] == 7 and manifest["customers"] == 2000
    con = duckdb.connect()
    for name in gen.SOURCES:
        rows = con.execute(f"select count(*) from read_csv('{sample}/{name}.csv', header = true)")
        assert rows.fetchall()[0][0] == manifest["rows"][name], name


def test_columns_follow_the_contract(sample: Path) -> None:
    """Every file has the contract's columns, in its order (models/staging/_raw__sources.yml)."""
    from custseg import contract

    header = {name: next(csv.reader(open(sample / f"{name}.csv"))) for name in gen.SOURCES}
    assert header["orders"][:3] == ["order_id", "updated_at", "source_system"]
    for name, columns in header.items():
        assert tuple(columns) == contract.columns(name), name


@pytest.mark.parametrize("fmt", ["csv", "parquet", "parquet-folder"])
def test_every_format_writes_every_source(tmp_path: Path, fmt: str) -> None:
    rows = gen.generate(tmp_path, customers=300, seed=3, fmt=fmt)
    assert set(rows) == set(gen.SOURCES)
    con = duckdb.connect()
    for name in gen.SOURCES:
        if fmt == "csv":
            reader = f"read_csv('{tmp_path}/{name}.csv', header = true, all_varchar = true)"
        elif fmt == "parquet":
            reader = f"read_parquet('{tmp_path}/{name}.parquet')"
        else:
            assert (tmp_path / name / "part-0000.parquet").exists()
            reader = f"read_parquet('{tmp_path}/{name}/*.parquet')"
        assert con.execute(f"select count(*) from {reader}").fetchall()[0][0] == rows[name]
    if fmt == "parquet-folder":
        assert len(list((tmp_path / "orders").glob("part-*.parquet"))) == 4


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_same_seed_same_bytes_other_seed_differs(tmp_path: Path, fmt: str) -> None:
    gen.generate(tmp_path / "a", customers=500, seed=11, fmt=fmt)
    gen.generate(tmp_path / "b", customers=500, seed=11, fmt=fmt)
    gen.generate(tmp_path / "c", customers=500, seed=12, fmt=fmt)
    a, b, c = (_files(tmp_path / x) for x in "abc")
    assert a == b
    differing = [name for name in a if a[name] != c.get(name)]
    assert "orders." + ("csv" if fmt == "csv" else "parquet") in differing
    assert "_truth/identity.csv" in differing


def test_manifest_counts_the_dirt_and_versions_of_each_source(sample: Path) -> None:
    manifest = json.loads((sample / "_truth" / "manifest.json").read_text())
    listed = Counter(row["source"] for row in _read(sample / "_truth", "dirt"))
    assert manifest["dirt_rows"] == dict(listed)
    assert set(listed) == set(gen.SOURCES) - {"products", "stores"}
    con = duckdb.connect()
    for name, key in (("crm_customers", "crm_id"), ("orders", "order_id")):
        reader = f"read_csv('{sample}/{name}.csv', header = true, all_varchar = true)"
        older = con.execute(
            f"select count(*) - count(distinct {key}) from (select distinct * from {reader} "
            f"where {key} is not null)"
        ).fetchall()[0][0]
        assert manifest["superseded_rows"][name] == older > 0, name


def test_every_rule_is_injected(sample: Path) -> None:
    dirt = _read(sample / "_truth", "dirt")
    counts = Counter(row["rule"] for row in dirt)
    assert RULES <= set(counts), RULES - set(counts)
    assert set(counts) <= RULES, set(counts) - RULES
    for rule in RULES:
        assert counts[rule] >= 3, rule
    for table in ("currency", "status", "event_type", "channel", "request_type"):
        assert any(r["rule"].startswith("unknown_") and r["column_name"] == table for r in dirt)
    manifest = json.loads((sample / "_truth" / "manifest.json").read_text())
    share = len(dirt) / sum(manifest["rows"].values())
    assert 0.005 < share < 0.03


def test_dirt_keys_exist_and_one_defect_per_row(sample: Path) -> None:
    dirt = _read(sample / "_truth", "dirt")
    con = duckdb.connect()
    keys = {}
    for name, key in KEYS.items():
        reader = f"read_csv('{sample}/{name}.csv', header = true, all_varchar = true)"
        keys[name] = {r[0] for r in con.execute(f"select {key} from {reader}").fetchall()}
    seen: set[tuple[str, str, str]] = set()
    for row in dirt:
        if row["rule"] == "missing_key":
            assert row["record_key"] == ""
            continue
        assert row["record_key"] in keys[row["source"]], row
        if row["rule"] not in ("superseded_version",):
            marker = (row["source"], row["record_key"], row["rule"] + row["column_name"])
            assert marker not in seen, row
            seen.add(marker)
    per_key = Counter(
        (r["source"], r["record_key"])
        for r in dirt
        if r["rule"] not in ("missing_key", "superseded_version")
    )
    assert max(per_key.values()) == 1


def test_truth_covers_every_record(sample: Path) -> None:
    identity = _read(sample / "_truth", "identity")
    by_source = defaultdict(set)
    for row in identity:
        by_source[row["source"]].add(row["record_key"])
        assert row["person_id"]
    con = duckdb.connect()
    checks = {
        "crm_customers": "crm_id",
        "orders": "order_id",
        "leads": "lead_id",
        "web_events": "anonymous_id",
        "survey_responses": "response_id",
        "support_tickets": "ticket_id",
        "marketing_touches": "touch_id",
        "privacy_requests": "request_id",
    }
    for name, key in checks.items():
        reader = f"read_csv('{sample}/{name}.csv', header = true, all_varchar = true)"
        present = {r[0] for r in con.execute(f"select distinct {key} from {reader}").fetchall()}
        present.discard(None)
        assert present <= by_source[name], (name, list(present - by_source[name])[:3])
    assert len(identity) == len({(r["source"], r["record_key"]) for r in identity})


def test_versions_and_late_arrivals(sample: Path) -> None:
    con = duckdb.connect()
    reader = f"read_csv('{sample}/orders.csv', header = true, all_varchar = true)"
    multi = con.execute(
        f"select count(*) from (select order_id from {reader} where order_id is not null "
        "group by order_id having count(distinct updated_at) > 1)"
    ).fetchall()[0][0]
    assert multi > 100
    late = [r for r in _read(sample / "_truth", "dirt") if r["rule"] == "superseded_version"]
    assert {r["source"] for r in late} == {"crm_customers", "orders"}
    rows = _read(sample, "orders")
    position = defaultdict(list)
    for i, row in enumerate(rows):
        position[row["order_id"]].append((i, row["updated_at"]))
    for r in late:
        if r["source"] != "orders":
            continue
        versions = position[r["record_key"]]
        newest = max(versions, key=lambda v: v[1])
        assert any(i > newest[0] and ts < newest[1] for i, ts in versions), r


def _violations_sql(name: str, folder: Path) -> str:
    """Rows breaking a staging rule: (record_key, rule, column_name)."""
    reader = f"read_csv('{folder}/{name}.csv', header = true, all_varchar = true)"
    email_norm = "nullif(trim(replace(lower(trim({c})), 'mailto:', '')), '')"
    placeholder_email = (
        "({e} like 'test@%' or {e} like 'noemail@%' or {e} like 'none@%' or "
        "{e} like '%@example.com' or {e} like '%@test.com' or lower(trim({c})) in "
        "('unknown', 'n/a', 'na', 'none', 'null', '-', 'test'))"
    )
    valid_email = "regexp_full_match({e}, '[^@\\s]+@[a-z0-9-]+(\\.[a-z0-9-]+)*\\.[a-z]{{2,}}')"
    digits = "regexp_replace({c}, '[^0-9]', '', 'g')"

    def email(c: str) -> list[tuple[str, str, str]]:
        e = email_norm.format(c=c)
        ph = placeholder_email.format(e=e, c=c)
        return [
            ("placeholder_identifier", c, f"{c} is not null and {ph}"),
            (
                "malformed_email",
                c,
                f"{c} is not null and not {ph} and not " + valid_email.format(e=e),
            ),
        ]

    def phone(c: str, cc: str = "'84'") -> list[tuple[str, str, str]]:
        d = digits.format(c=c)
        e164 = (
            f"case when {d} = '' then null when trim({c}) like '+%' then '+' || {d} "
            f"when {d} like '00%' then "
            f"'+' || substr({d}, 3) when {d} like '0%' then '+' || {cc} || substr({d}, 2) "
            f"when {d} like {cc} || '%' and length({d}) >= length({cc}) + 8 then '+' || {d} "
            f"else '+' || {cc} || {d} end"
        )
        ph = (
            f"coalesce(lower(trim({c})) in ('unknown', 'n/a') or {e164} in ('+840000000000', "
            f"'+841111111111', '+840123456789', '+84123456789') or "
            f"replace(substr({e164}, 4), substr({e164}, 5, 1), '') = '', false)"
        )
        ok = (
            f"regexp_full_match(lower(trim({c})), '(tel:)?[0-9 +().\\-/]+') and "
            f"coalesce(length({e164}) between 9 and 16, false)"
        )
        return [
            ("placeholder_identifier", c, f"{c} is not null and {ph}"),
            ("malformed_phone", c, f"{c} is not null and not {ph} and not ({ok})"),
        ]

    def ts(c: str) -> str:
        return f"try_cast({c} as timestamptz)"

    def bad_ts(c: str, required: bool = True) -> list[tuple[str, str, str]]:
        out = [
            ("unparsable_timestamp", c, f"{c} is not null and {ts(c)} is null"),
            ("future_timestamp", c, f"{ts(c)} > now() + interval 24 hours"),
        ]
        if required:
            out.append(("missing_required_value", c, f"{c} is null"))
        return out

    def code(rule: str, c: str, values: tuple[str, ...]) -> tuple[str, str, str]:
        listed = ", ".join(f"'{v}'" for v in values)
        return (rule, c, f"{c} is null or {c} not in ({listed})")

    def num(c: str, kind: str = "decimal(18, 4)") -> str:
        return f"try_cast({c} as {kind})"

    V = gen.V
    checks: list[tuple[str, str, str]] = []
    key_col = {"order_items": "order_id", "survey_responses": "response_id"}.get(name)
    if name == "orders":
        checks += [("missing_key", "order_id", "order_id is null")]
        checks += bad_ts("ordered_at") + bad_ts("updated_at", False)
        checks += [
            ("missing_required_value", "order_total", "order_total is null"),
            (
                "unparsable_number",
                "order_total",
                f"order_total is not null and {num('order_total')} is null",
            ),
        ]
        for c in ("order_total", "discount_amount", "shipping_amount", "tax_amount"):
            checks.append(("negative_amount", c, f"{num(c)} < 0"))
        checks += [
            (
                "unknown_currency",
                "currency",
                "currency not in (select currency_code from read_csv('"
                f"{REPO}/seeds/currency_codes.csv', all_varchar = true))",
            ),
            code("unknown_status", "status", V.ORDER_STATUSES),
            code("unknown_source_system", "source_system", V.SOURCE_SYSTEMS),
            code("unknown_payment_method", "payment_method", V.PAYMENT_METHODS),
        ]
        checks += email("email") + phone("phone")
    elif name == "crm_customers":
        cc = (
            "coalesce((select calling_code from read_csv('" + f"{REPO}/seeds/country_codes.csv'"
            ", all_varchar = true) s where s.country_code = upper(t.country_code)), '84')"
        )
        checks += [("missing_key", "crm_id", "crm_id is null")]
        checks += email("email") + phone("phone", cc) + bad_ts("updated_at", False)
        checks += [
            (
                "unparsable_date",
                "birth_date",
                "birth_date is not null and try_cast(birth_date as date) is null",
            ),
            (
                "implausible_birth_date",
                "birth_date",
                "try_cast(birth_date as date) < date '1900-01-01' or "
                "try_cast(birth_date as date) > current_date",
            ),
            (
                "unparsable_number",
                "annual_income",
                f"annual_income is not null and {num('annual_income')} is null",
            ),
            (
                "unparsable_number",
                "children_count",
                f"children_count is not null and {num('children_count', 'integer')} is null",
            ),
            ("negative_count", "children_count", f"{num('children_count', 'integer')} < 0"),
            ("negative_count", "employee_count", f"{num('employee_count', 'integer')} < 0"),
            ("unparsable_boolean", "marketing_opt_in", "marketing_opt_in not in ('true', 'false')"),
            ("invalid_coordinates", "latitude", f"abs({num('latitude')}) > 90"),
            ("invalid_coordinates", "longitude", f"abs({num('longitude')}) > 180"),
            (
                "unknown_country_code",
                "country_code",
                "country_code not in (select country_code from read_csv('"
                f"{REPO}/seeds/country_codes.csv', all_varchar = true))",
            ),
        ]
    elif name == "order_items":
        checks += [
            ("missing_key", "order_id", "order_id is null or line_number is null"),
            ("missing_required_value", "product_id", "product_id is null"),
            ("unparsable_number", "quantity", f"{num('quantity', 'integer')} is null"),
            ("unparsable_number", "unit_price", f"{num('unit_price')} is null"),
            ("negative_amount", "unit_price", f"{num('unit_price')} < 0"),
            ("invalid_quantity", "quantity", f"{num('quantity', 'integer')} <= 0"),
        ]
    elif name == "web_events":
        checks += [("missing_key", "event_id", "event_id is null")]
        checks += bad_ts("occurred_at") + bad_ts("received_at", False)
        checks += [
            ("missing_required_value", "anonymous_id", "anonymous_id is null"),
            code("unknown_event_type", "event_type", V.EVENT_TYPES),
            code("unknown_platform", "platform", V.PLATFORMS),
        ]
    elif name == "survey_responses":
        checks += [("missing_key", "response_id", "response_id is null or question_key is null")]
        checks += bad_ts("submitted_at")
        checks += [
            code("unknown_survey_type", "survey_type", ("nps", "csat", "profile")),
            (
                "score_out_of_range",
                "answer_score",
                "question_key = 'nps_score' and try_cast(answer_score as decimal) not between 0 "
                "and 10 or question_key = 'csat_score' and try_cast(answer_score as decimal) not "
                "between 1 and 5",
            ),
        ]
    elif name == "support_tickets":
        checks += [("missing_key", "ticket_id", "ticket_id is null")] + bad_ts("created_at")
        checks += [
            code("unknown_ticket_category", "category", V.TICKET_CATEGORIES),
            (
                "score_out_of_range",
                "satisfaction_score",
                "try_cast(satisfaction_score as integer) not between 1 and 5",
            ),
        ]
        checks += email("email")
    elif name == "marketing_touches":
        checks += [("missing_key", "touch_id", "touch_id is null")] + bad_ts("sent_at")
        checks += [code("unknown_channel", "channel", V.TOUCH_CHANNELS)]
        for c in ("opened_at", "clicked_at", "converted_at", "unsubscribed_at"):
            checks += bad_ts(c, False)
        checks += email("email") + phone("phone")
    elif name == "leads":
        checks += [("missing_key", "lead_id", "lead_id is null")] + bad_ts("created_at")
        checks += [
            code("unknown_lead_status", "status", V.LEAD_STATUSES),
            code("unknown_lead_source", "source", V.LEAD_SOURCES),
            ("negative_count", "employee_count", f"{num('employee_count', 'integer')} < 0"),
        ]
        checks += email("email") + phone("phone")
    elif name == "privacy_requests":
        checks += [("missing_key", "request_id", "request_id is null")] + bad_ts("requested_at")
        checks += [
            code(
                "unknown_request_type",
                "request_type",
                ("marketing_opt_out", "marketing_opt_in", "erasure"),
            ),
            ("missing_identifier", "crm_id", "crm_id is null and email is null"),
        ]
        checks += email("email")
    elif name == "fx_rates":
        checks += [
            ("missing_key", "currency", "rate_date is null or currency is null"),
            ("missing_required_value", "rate_to_reporting", "rate_to_reporting is null"),
            (
                "unparsable_number",
                "rate_to_reporting",
                f"rate_to_reporting is not null and {num('rate_to_reporting')} is null",
            ),
            ("negative_amount", "rate_to_reporting", f"{num('rate_to_reporting', 'double')} <= 0"),
        ]
    del key_col
    key = KEYS[name]
    parts = [
        f"select case when {key} is null then '' else {key} end as k, '{rule}' as rule, "
        f"'{col}' as col from {reader} t where coalesce(({cond}), false)"
        for rule, col, cond in checks
    ]
    return " union all ".join(parts)


@pytest.mark.parametrize("name", [n for n in gen.SOURCES if n not in ("products", "stores")])
def test_dirt_matches_the_staging_rules(sample: Path, name: str) -> None:
    """Every flagged cell is listed in dirt.csv with its rule, and nothing else is flagged."""
    found = Counter(duckdb.connect().execute(_violations_sql(name, sample)).fetchall())
    expected = Counter(
        (r["record_key"], r["rule"], r["column_name"])
        for r in _read(sample / "_truth", "dirt")
        if r["source"] == name and r["rule"] not in ("duplicate_delivery", "superseded_version")
    )
    # the rule detectors use the column that carries the defect; missing_key rows have no key
    expected = Counter(
        {
            (k if rule != "missing_key" else "", rule, col): n
            for (k, rule, col), n in expected.items()
        }
    )
    assert found == expected, (found - expected, expected - found)


def test_duplicate_deliveries_are_exact_copies(sample: Path) -> None:
    dirt = [r for r in _read(sample / "_truth", "dirt") if r["rule"] == "duplicate_delivery"]
    assert {r["source"] for r in dirt} >= {"orders", "crm_customers", "web_events", "fx_rates"}
    con = duckdb.connect()
    for name in {r["source"] for r in dirt}:
        reader = f"read_csv('{sample}/{name}.csv', header = true, all_varchar = true)"
        dups = con.execute(
            f"select {KEYS[name]} as k from (select *, count(*) as n_copies from {reader} "
            "group by all) where n_copies > 1"
        ).fetchall()
        assert {d[0] for d in dups} == {r["record_key"] for r in dirt if r["source"] == name}


def test_deterministic_matching_reaches_precision_and_recall(sample: Path) -> None:
    precision, recall = match_quality(sample)
    assert precision >= 0.995, precision
    assert recall >= 0.98, recall


def match_quality(sample: Path) -> tuple[float, float]:
    """Pairwise precision and recall of a deterministic union-find over crm_id, normalised
    email, E.164 phone, loyalty card and anonymous_id/user_id, against _truth/identity.csv."""
    dirt = _read(sample / "_truth", "dirt")
    rejected = {(r["source"], r["record_key"]) for r in dirt if r["is_row_rejected"] == "true"}
    bad_value = {(r["source"], r["record_key"], r["column_name"]) for r in dirt}
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        root = x
        while parent.setdefault(root, root) != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    def union(a: str, b: str) -> None:
        parent[find(a)] = find(b)

    def norm_email(v: str) -> str:
        return v.strip().lower().replace("mailto:", "").strip()

    def norm_phone(v: str) -> str:
        d = "".join(ch for ch in v if ch.isdigit())
        if v.strip().startswith("+"):
            return "+" + d
        if d.startswith("00"):
            return "+" + d[2:]
        if d.startswith("0"):
            return "+84" + d[1:]
        if d.startswith("84") and len(d) >= 10:
            return "+" + d
        return "+84" + d

    idents = {
        "crm_customers": ("crm_id", ["crm_id", "email", "phone", "loyalty_card_id"]),
        "orders": ("order_id", ["crm_id", "email", "phone", "loyalty_card_id"]),
        "leads": ("lead_id", ["email", "phone"]),
        "web_events": ("anonymous_id", ["user_id", "email"]),
        "survey_responses": ("response_id", ["crm_id", "email"]),
        "support_tickets": ("ticket_id", ["crm_id", "email"]),
        "marketing_touches": ("touch_id", ["crm_id", "email", "phone"]),
        "privacy_requests": ("request_id", ["crm_id", "email"]),
    }
    records: set[tuple[str, str]] = set()
    for name, (key, columns) in idents.items():
        for row in _read(sample, name):
            dirt_key = row["event_id"] if name == "web_events" else row[key]
            if name == "survey_responses":
                dirt_key = row["response_id"] + "|" + row["question_key"]
            if not row[key] or (name, dirt_key) in rejected:
                continue
            node = f"{name}:{row[key]}"
            records.add((name, row[key]))
            find(node)
            for column in columns:
                value = row[column]
                if not value or (name, dirt_key, column) in bad_value:
                    continue
                if column in ("crm_id", "user_id"):
                    union(node, "crm:" + value)
                elif column == "email":
                    union(node, "email:" + norm_email(value))
                elif column == "phone":
                    union(node, "phone:" + norm_phone(value))
                else:
                    union(node, "card:" + value)
    truth = {
        (r["source"], r["record_key"]): r["person_id"] for r in _read(sample / "_truth", "identity")
    }
    clusters: Counter[str] = Counter()
    persons: Counter[str] = Counter()
    both: Counter[tuple[str, str]] = Counter()
    for name, key in records:
        cluster, person = find(f"{name}:{key}"), truth[(name, key)]
        clusters[cluster] += 1
        persons[person] += 1
        both[(cluster, person)] += 1

    def pairs(counter: Counter) -> int:
        return sum(n * (n - 1) // 2 for n in counter.values())

    tp = pairs(both)
    return tp / pairs(clusters), tp / pairs(persons)


def test_register_adds_generate_subcommand(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    parser = argparse.ArgumentParser()
    gen.register(parser.add_subparsers())
    args = parser.parse_args(
        [
            "generate",
            "--out",
            str(tmp_path),
            "--customers",
            "100",
            "--seed",
            "5",
            "--format",
            "parquet",
            "--end-date",
            "2025-12-31",
            "--orders-per-customer",
            "3",
        ]
    )
    assert args.func(args) == 0
    out, err = capsys.readouterr()
    assert "orders" in out and "total" in out
    assert "wrote orders" in err
    manifest = json.loads((tmp_path / "_truth" / "manifest.json").read_text())
    assert manifest["end_date"] == "2025-12-31" and manifest["format"] == "parquet"
    assert (tmp_path / "orders.parquet").exists()
