#!/usr/bin/env python3
"""Differential conformance of steward's field checks against reference implementations.

Inputs are generated with the peer libraries themselves (libphonenumber's example numbers, python-stdnum's
region table, ...), written as one CSV per category, run through the real `steward` binary once per category
(`steward normalize --findings`), and joined back by row. Every disagreement is either matched by an entry of
`differences.toml` (a deliberate difference, with its reason) or reported as unexplained.

    python conformance.py --steward target/debug/steward --out bench/data/conformance
    python conformance.py ... --check baseline.json   # exit 1 when a category has more unexplained
                                                       # disagreements, or fewer cases, than the baseline

Writes OUT/report.md, OUT/report.json and OUT/disagreements.csv; the inputs and steward's outputs stay in
OUT/work/ for inspection. Everything is seeded: the same peer versions (requirements.txt) give the same
inputs and the same numbers.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import random
import re
import subprocess
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEED = 21
# The day future-date checks count from, fixed so the suite gives the same numbers on any day.
AS_OF = dt.date(2026, 12, 1)


@dataclass
class Case:
    """One value checked by both sides."""

    category: str
    variant: str
    input: str
    country: str = ""
    peer_valid: bool = False
    peer_value: str = ""
    peer_note: str = ""
    steward_valid: bool = False
    steward_value: str = ""
    steward_note: str = ""


@dataclass
class Disagreement:
    category: str
    aspect: str
    variant: str
    input: str
    country: str
    steward: str
    peer: str
    steward_note: str
    peer_note: str
    steward_verdict: str = ""
    peer_verdict: str = ""
    deliberate: str = ""  # id of the matching differences.toml entry, "" when unexplained
    reason: str = ""


@dataclass
class Tally:
    category: str
    aspect: str
    count: int = 0
    agree: int = 0
    deliberate: int = 0
    unexplained: int = 0
    disagreements: list = field(default_factory=list)


# ---------------------------------------------------------------- running steward


def run_steward(steward: str, work: Path, name: str, header: list[str], rows: list[list[str]],
                extra: list[str] | None = None) -> tuple[dict[int, dict], dict[int, list[dict]]]:
    """Writes rows as NAME.csv, runs `steward normalize` on it once, and returns the normalized rows and the
    findings, both keyed by `_row` (the CSV line: the header is line 1)."""
    src = work / f"{name}.csv"
    out = work / f"{name}.steward.csv"
    findings = work / f"{name}.findings.csv"
    with src.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)
    cmd = [steward, "normalize", str(src), "-o", str(out), "--findings", str(findings), "-d", "comma",
           "--as-of", AS_OF.isoformat(), "--no-formula-guard", "--force", "-q"] + (extra or [])
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"steward failed on {src} (exit {done.returncode}): {done.stderr.strip()}")
    by_row: dict[int, dict] = {}
    with out.open(newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            by_row[int(r["_row"])] = r
    found: dict[int, list[dict]] = {}
    with findings.open(newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            found.setdefault(int(r["_row"]), []).append(r)
    return by_row, found


def field_verdicts(cases: list[Case], steward: str, work: Path, name: str, column: str,
                   flagged_rules: set[str], with_country: bool, extra: list[str] | None = None) -> None:
    """Runs steward on the cases' inputs in COLUMN and fills each case's steward verdict: invalid when a
    finding of that field is an error or one of FLAGGED_RULES (warnings that mean "not valid" in the peer's
    sense), else valid with the normalized value."""
    header = ["id", column] + (["country"] if with_country else [])
    rows = [[str(i + 1), c.input] + ([c.country] if with_country else []) for i, c in enumerate(cases)]
    by_row, found = run_steward(steward, work, name, header, rows, extra)
    for i, c in enumerate(cases):
        line = i + 2
        mine = [f for f in found.get(line, []) if f["field"] == column]
        bad = [f for f in mine if f["severity"] == "error" or f["rule"] in flagged_rules]
        c.steward_valid = not bad
        c.steward_value = by_row[line][column]
        shown = bad or mine
        c.steward_note = "; ".join(f"{f['rule']}: {f['message']}" for f in shown)


# ---------------------------------------------------------------- phone numbers (libphonenumber)

PHONE_REGIONS = [
    "CN", "HK", "MO", "TW", "US", "CA", "GB", "DE", "FR", "IT", "ES", "NL", "BE", "CH", "AT", "SE", "NO",
    "DK", "FI", "PL", "PT", "IE", "RU", "JP", "KR", "IN", "SG", "MY", "TH", "VN", "PH", "ID", "AU", "NZ",
    "BR", "MX", "AR", "CL", "CO", "ZA", "NG", "EG", "AE", "SA", "IL", "TR", "UA", "GR",
]

FULL_WIDTH = str.maketrans("0123456789+", "０１２３４５６７８９＋")


def phone_cases(rng: random.Random) -> list[Case]:
    import phonenumbers as pn
    from phonenumbers import PhoneNumberFormat as F
    from phonenumbers import PhoneNumberType as T

    types = [T.MOBILE, T.FIXED_LINE, T.TOLL_FREE, T.VOIP, T.PERSONAL_NUMBER, T.UAN, T.PREMIUM_RATE,
             T.SHARED_COST, T.PAGER, T.VOICEMAIL]

    def forms(n, region):
        e164 = pn.format_number(n, F.E164)
        intl = pn.format_number(n, F.INTERNATIONAL)
        nat = pn.format_number(n, F.NATIONAL)
        nsn = pn.national_significant_number(n)
        cc = str(n.country_code)
        out = [("e164", e164), ("international", intl), ("national", nat)]
        odd = [
            ("sep-dots", intl.replace(" ", ".")),
            ("sep-dashes", nat.replace(" ", "-")),
            ("sep-paren-cc", f"(+{cc}) {nsn}"),
            ("sep-none-national", re.sub(r"[^0-9]", "", nat) if nat.strip() else nsn),
            ("sep-slash", nat.replace(" ", "/", 1)),
            ("full-width", intl.translate(FULL_WIDTH)),
            ("full-width-national", nat.translate(FULL_WIDTH)),
            ("idd-00", f"00{cc} {nsn}"),
            ("label", f"Tel: {intl}"),
            ("cc-without-plus", f"{cc}{nsn}"),
        ]
        if pn.PhoneMetadata.metadata_for_region(region).national_prefix == "0":
            # The UK and German habit: the trunk 0 kept in brackets after the country code.
            odd.append(("plus-trunk-0", f"+{cc} (0){nsn}"))
            odd.append(("plus-trunk-0-bare", f"+{cc} 0{nsn}"))
        return out + rng.sample(odd, 4)

    cases: list[Case] = []

    def add(variant, raw, region):
        cases.append(Case("phone", variant, raw, region))

    for region in PHONE_REGIONS:
        bases = []
        for t in types:
            ex = pn.example_number_for_type(region, t)
            if ex is not None:
                bases.append(("example", ex))
        # Random numbers near the examples: the last digits replaced; the peer says which are valid.
        seeds = [n for _, n in bases[:3]]
        for seed in seeds:
            nsn = pn.national_significant_number(seed)
            for _ in range(4):
                k = min(len(nsn) - 1, rng.randint(2, 5))
                digits = nsn[:-k] + "".join(rng.choice("0123456789") for _ in range(k))
                n = pn.parse("+" + str(seed.country_code) + digits)
                bases.append(("random", n))
        for kind, n in bases:
            for form, raw in forms(n, region):
                add(f"{kind}/{form}", raw, region)
        # Invalid shapes: too short, too long, random digits.
        ex = bases[0][1]
        nat = pn.format_number(ex, F.NATIONAL)
        add("invalid/truncated", nat[:-2], region)
        add("invalid/extended", pn.format_number(ex, F.E164) + "123", region)
        add("invalid/random-digits", "".join(rng.choice("0123456789") for _ in range(rng.randint(4, 9))), region)
        add("invalid/letters", "call me", region)
        # Random digits in the shape of the region's numbers: a national trunk prefix or none, the length of
        # its example numbers give or take one; most are not valid, some are.
        prefix = pn.PhoneMetadata.metadata_for_region(region).national_prefix or ""
        for _ in range(12):
            length = len(pn.national_significant_number(ex)) + rng.randint(-1, 1)
            digits = "".join(rng.choice("0123456789") for _ in range(length))
            lead = rng.choice(["", prefix, f"+{ex.country_code} "])
            add("fuzz/digits", lead + digits, region)
        # A number of another region written with its country code, in this region's row.
        other = rng.choice([r for r in PHONE_REGIONS if r != region])
        ex_other = pn.example_number_for_type(other, T.MOBILE) or pn.example_number_for_type(other, T.FIXED_LINE)
        add("foreign/international", pn.format_number(ex_other, F.INTERNATIONAL), region)
        add("foreign/idd-00", f"00{ex_other.country_code} {pn.national_significant_number(ex_other)}", region)
        add("foreign/cc-without-plus", f"{ex_other.country_code}{pn.national_significant_number(ex_other)}", region)
        add("foreign/national", pn.format_number(ex_other, F.NATIONAL), region)
    # Hong Kong, Macao and Taiwan numbers in Chinese rows, as mainland lists hold them.
    for other in ["HK", "MO", "TW"]:
        ex_other = pn.example_number_for_type(other, T.MOBILE)
        cc, nsn = ex_other.country_code, pn.national_significant_number(ex_other)
        for raw in [f"00{cc} {nsn}", f"+{cc} {nsn}", f"{cc}-{nsn}", f"({cc}){nsn}", f"00{cc}-{nsn}"]:
            add("greater-china", raw, "CN")
    # Every other region libphonenumber knows: its example numbers, international and national.
    for region in sorted(pn.SUPPORTED_REGIONS - set(PHONE_REGIONS) - {"001"}):
        for t in types:
            ex = pn.example_number_for_type(region, t)
            if ex is not None:
                add("all-regions/international", pn.format_number(ex, F.INTERNATIONAL), region)
                add("all-regions/national", pn.format_number(ex, F.NATIONAL), region)
    # Extensions in the forms people write them.
    for region in ["CN", "US", "GB", "DE"]:
        ex = pn.example_number_for_type(region, T.FIXED_LINE)
        nat = pn.format_number(ex, F.NATIONAL)
        intl = pn.format_number(ex, F.INTERNATIONAL)
        add("extension/ext", f"{intl} ext. 12", region)
        add("extension/x", f"{nat} x123", region)
        add("extension/zhuan", f"{nat} 转 8001", region)
    # Vanity numbers and numbers without a region.
    for raw in ["1-800-FLOWERS", "1-800-GOT-JUNK", "+1 800 356 9377"]:
        add("vanity", raw, "US")
    for raw in ["13800138000", "+86 138 0013 8000", "020 7946 0018"]:
        add("no-region", raw, "")
    return cases


def phone_peer(cases: list[Case]) -> None:
    import phonenumbers as pn

    for c in cases:
        try:
            n = pn.parse(c.input, c.country or None)
        except pn.NumberParseException as e:
            c.peer_valid, c.peer_note = False, f"parse: {e}"
            continue
        c.peer_valid = pn.is_valid_number(n)
        c.peer_value = pn.format_number(n, pn.PhoneNumberFormat.E164)
        if not c.peer_valid:
            c.peer_note = f"is_valid_number false ({pn.format_number(n, pn.PhoneNumberFormat.E164)})"


# ---------------------------------------------------------------- Chinese resident IDs (python-stdnum)


def stdnum_regions() -> tuple[list[str], list[str]]:
    """County codes from stdnum's table: those in use in every year, and those with a start or end year."""
    import stdnum

    path = Path(stdnum.__file__).parent / "cn" / "loc.dat"
    always, dated, province = [], [], ""
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        if not line.startswith(" "):
            province = line.split()[0]
            continue
        code, rest = line.split(maxsplit=1)
        if code.endswith("00"):
            continue
        (dated if "county=\"[" in rest else always).append(province + code)
    return always, dated


def ric_check(body17: str) -> str:
    from stdnum.cn import ric

    return ric.calc_check_digit(body17 + "0")


def cn_id_cases(rng: random.Random) -> list[Case]:
    always, dated = stdnum_regions()
    cases: list[Case] = []

    def birth(lo=1935, hi=2008):
        start = dt.date(lo, 1, 1).toordinal()
        return dt.date.fromordinal(rng.randint(start, dt.date(hi, 12, 31).toordinal()))

    def make(region: str, date: str, seq: int | None = None) -> str:
        body = f"{region}{date}{seq if seq is not None else rng.randint(0, 999):03d}"
        return body + ric_check(body)

    def add(variant, raw):
        cases.append(Case("cn_id", variant, raw))

    for _ in range(150):
        add("valid", make(rng.choice(always), birth().strftime("%Y%m%d")))
    for _ in range(40):
        ok = make(rng.choice(always), birth().strftime("%Y%m%d"))
        wrong = rng.choice([d for d in "0123456789X" if d != ok[-1]])
        add("check-digit", ok[:-1] + wrong)
    for _ in range(15):
        ok = make(rng.choice(always), birth().strftime("%Y%m%d"))
        add("lowercase-x" if ok.endswith("X") else "spaced", ok.lower() if ok.endswith("X") else
            f"{ok[:6]} {ok[6:14]} {ok[14:]}")
        add("full-width", ok.translate(FULL_WIDTH).replace("X", "Ｘ"))
    for bad in ["20230229", "19991301", "19990431", "19990100", "19990032", "18990101"]:
        add(f"date/{bad}", make(rng.choice(always), bad))
    for _ in range(10):
        add("date/future", make(rng.choice(always), (AS_OF + dt.timedelta(days=rng.randint(1, 2000))).strftime("%Y%m%d")))
    for province in ["99", "00", "28", "72", "90"]:
        add(f"region/province-{province}", make(province + "0101", birth().strftime("%Y%m%d")))
    for county in ["110199", "310999", "440999", "659999"]:
        add("region/unknown-county", make(county, birth().strftime("%Y%m%d")))
    for _ in range(15):
        add("region/dated-county", make(rng.choice(dated), birth().strftime("%Y%m%d")))
    for permit in ["810000", "820000", "830000"]:
        for year in (1970, 2001):
            add(f"permit/{permit}", make(permit, birth(year, year + 5).strftime("%Y%m%d")))
    for _ in range(10):
        full = make(rng.choice(always), birth(1935, 1999).strftime("%Y%m%d"))
        add("legacy-15", full[:6] + full[8:17])
    for raw in ["11010519491231002", "1101051949123100211", "11010519491231002Y", "ABCDEF19491231002X"]:
        add("shape", raw)
    return cases


def cn_id_peer(cases: list[Case]) -> None:
    from stdnum.cn import ric
    from stdnum.exceptions import ValidationError

    for c in cases:
        try:
            c.peer_value = ric.validate(c.input)
            c.peer_valid = True
        except ValidationError as e:
            c.peer_valid, c.peer_note = False, f"{type(e).__name__}: {e}"
        except KeyError as e:
            # stdnum 2.2 fails this way on a known province with a county code it does not list.
            c.peer_valid, c.peer_note = False, f"stdnum raised KeyError {e}: county not in its table"


# ---------------------------------------------------------------- e-mail addresses (email-validator)


def email_cases(rng: random.Random) -> list[Case]:
    locals_ok = ["john", "john.doe", "John.Doe", "j_doe+news", "o'brien", "user-1", "a", "x" * 64,
                 "first.middle.last", "用户", "josé", "müller", "#!$%&'*+-/=?^_`{}|~", "1234"]
    quoted = ['"john doe"', '"a@b"', '"john..doe"', '"quoted\\"escape"', '""', '" "']
    domains_ok = ["example.com", "Example.COM", "mail.example.co.uk", "sub-domain.example.org", "qq.com",
                  "163.com", "münchen.de", "例え.jp", "测试.中国", "xn--mnchen-3ya.de", "bücher.example",
                  "ÉCOLE.fr", "a-b.c-d.io", "x" * 63 + ".com", "gmail.com", "outlook.com"]
    bad_locals = [".john", "john.", "jo..hn", "jo hn", "jo(hn", "jo,hn", "jo[hn]", "x" * 65, "jo\\hn"]
    bad_domains = ["-example.com", "example-.com", "exa_mple.com", "example", "example.c", "example..com",
                   "example.com.", "localhost", "example.test", "example.local", "[192.0.2.1]",
                   "x" * 64 + ".com", "example.123", "exa mple.com", "ex!ample.com"]
    cases: list[Case] = []

    def add(variant, raw):
        cases.append(Case("email", variant, raw))

    for lp in locals_ok:
        for d in domains_ok:
            add("valid-shape" if lp.isascii() and d.isascii() else "unicode", f"{lp}@{d}")
    for lp in quoted:
        for d in rng.sample(domains_ok[:6], 2):
            add("quoted-local", f"{lp}@{d}")
    for lp in bad_locals:
        add("bad-local", f"{lp}@example.com")
    for d in bad_domains:
        add("bad-domain", f"john@{d}")
    long_domain = ".".join(["a" * 60] * 4) + ".com"
    add("too-long", f"john@{long_domain}")
    for raw in ["plainaddress", "@example.com", "john@", "john@@example.com", "john@exa@mple.com",
                "John Doe <john@example.com>", "john@example.com (home)", " john@example.com ",
                "john＠example.com", "JOHN@EXAMPLE.COM", "john.doe@ｅｘａｍｐｌｅ.com", "mailto:john@example.com",
                "john@gmial.com", "john@example.con", "info@example.com", "john@MÜNCHEN.DE",
                "cafe\u0301@example.com", "john@example\u3002com", "john@☕.example", "john@xn--bad-.com",
                "john@xn--mnchen-3ya.DE", "john@ex\u200bample.com", "jöhn@EXAMPLE.com", "john@email.com",
                "john@example.co", "a.b.c.d.e@f.g.hi", "john@123.example.com", "\"\"@example.com"]:
        add("odd", raw)
    # Random addresses from characters that are legal somewhere and illegal elsewhere: the peer decides.
    local_chars = "abcXYZ019._-+!#$%&'*/=?^`{|}~\"(),:;<>[] é用"
    label_chars = "abz09-_é例"
    tlds = ["com", "cn", "de", "c", "123", "xn--p1ai", "中国", "co.uk", "a1", "com-"]
    for _ in range(300):
        lp = "".join(rng.choice(local_chars) for _ in range(rng.randint(1, 10)))
        labels = ["".join(rng.choice(label_chars) for _ in range(rng.randint(1, 8)))
                  for _ in range(rng.randint(1, 2))]
        add("random", f"{lp}@{'.'.join(labels + [rng.choice(tlds)])}")
    return cases


def email_peer(cases: list[Case]) -> None:
    from email_validator import EmailNotValidError, validate_email

    for c in cases:
        try:
            v = validate_email(c.input, check_deliverability=False, allow_quoted_local=True)
            c.peer_valid, c.peer_value = True, v.normalized
        except EmailNotValidError as e:
            c.peer_valid, c.peer_note = False, str(e)


# ---------------------------------------------------------------- dates (python-dateutil)

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]


def date_cases(rng: random.Random) -> list[Case]:
    cases: list[Case] = []

    def add(variant, raw):
        cases.append(Case("date", variant, raw))

    def some_date():
        start = dt.date(1950, 1, 1).toordinal()
        return dt.date.fromordinal(rng.randint(start, dt.date(2030, 12, 31).toordinal()))

    def ordinal(d):
        return f"{d}{'th' if 11 <= d <= 13 else {1: 'st', 2: 'nd', 3: 'rd'}.get(d % 10, 'th')}"

    styles = {
        "iso": lambda d: d.isoformat(),
        "iso-slash": lambda d: f"{d.year}/{d.month}/{d.day}",
        "iso-dots": lambda d: d.strftime("%Y.%m.%d"),
        "compact": lambda d: d.strftime("%Y%m%d"),
        "iso-time": lambda d: f"{d.isoformat()}T{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:00",
        "iso-space-time": lambda d: f"{d.isoformat()} {rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}",
        "iso-zone": lambda d: f"{d.isoformat()}T08:30:00Z",
        "day-month-name": lambda d: f"{d.day} {MONTHS[d.month - 1]} {d.year}",
        "month-name-day": lambda d: f"{MONTHS[d.month - 1]} {d.day}, {d.year}",
        "short-month": lambda d: f"{d.day}-{MONTHS[d.month - 1][:3]}-{d.year}",
        "short-month-first": lambda d: f"{MONTHS[d.month - 1][:3]} {d.day} {d.year}",
        "weekday": lambda d: d.strftime("%a, ") + f"{d.day} {MONTHS[d.month - 1][:3]} {d.year}",
        "ordinal": lambda d: f"{ordinal(d.day)} {MONTHS[d.month - 1]} {d.year}",
        "year-month-name": lambda d: f"{d.year}-{MONTHS[d.month - 1][:3]}-{d.day:02d}",
        "upper-month": lambda d: f"{d.day} {MONTHS[d.month - 1].upper()} {d.year}",
        "chinese": lambda d: f"{d.year}年{d.month}月{d.day}日",
        "full-width": lambda d: d.isoformat().translate(FULL_WIDTH).replace("-", "－"),
        "time-pm": lambda d: f"{d.isoformat()} 3:45 PM",
        "iso-unpadded": lambda d: f"{d.year}-{d.month}-{d.day}",
        "iso-offset": lambda d: f"{d.isoformat()}T14:30:00+08:00",
        "weekday-long": lambda d: d.strftime("%A, ") + f"{MONTHS[d.month - 1]} {ordinal(d.day)}, {d.year}",
        "chinese-time": lambda d: f"{d.year}年{d.month:02d}月{d.day:02d}日 14:30",
        "chinese-hao": lambda d: f"{d.year}年{d.month}月{d.day}号",
        "month-name-comma": lambda d: f"{d.day} {MONTHS[d.month - 1][:3]}, {d.year}",
    }
    for name, render in styles.items():
        for _ in range(25):
            add(name, render(some_date()))
    # Day/month order: certain when one part is over 12, ambiguous otherwise.
    for _ in range(30):
        d = some_date()
        if d.day > 12:
            add("month-first-certain", f"{d.month:02d}/{d.day:02d}/{d.year}")
            add("day-first-certain", f"{d.day:02d}/{d.month:02d}/{d.year}")
            add("day-first-dots", f"{d.day}.{d.month}.{d.year}")
        elif d.day != d.month:
            add("ambiguous", f"{d.day:02d}/{d.month:02d}/{d.year}")
            add("ambiguous-dashes", f"{d.day:02d}-{d.month:02d}-{d.year}")
    for _ in range(20):
        d = some_date()
        add("two-digit-year", f"{d.day}-{MONTHS[d.month - 1][:3]}-{d.strftime('%y')}")
        if d.day > 12:
            add("two-digit-year/numeric", f"{d.month}/{d.day}/{d.strftime('%y')}")
        if d.year % 100 > 31:
            add("two-digit-year/year-first", f"{d.strftime('%y')}-{d.month:02d}-{d.day:02d}")
    for _ in range(10):
        d = some_date()
        add("excel-serial", str((d - dt.date(1899, 12, 30)).days))
    for raw in ["2023-02-29", "2024-02-30", "2024-04-31", "2024-13-01", "2024-00-10", "2024-03-00",
                "31/04/2024", "30 February 2024", "2024/2/30", "0/3/2024", "00.03.2024", "2024年2月30日",
                "32/01/2024", "2024-03-05T25:00:00"]:
        add("impossible", raw)
    for raw in ["March 2024", "2024-03", "5 March", "2024", "Mar 24", "tomorrow", "n/a", "2024-03-05-06",
                "5/3", "12:30"]:
        add("partial-or-junk", raw)
    return cases


def date_peer(cases: list[Case], day_first: bool = False) -> None:
    from dateutil import parser

    # A string that names no year, month or day gets that part from `default`: parsing with two defaults that
    # differ in every part tells a complete date from a partial one.
    d1, d2 = dt.datetime(1904, 1, 1), dt.datetime(1908, 2, 2)
    for c in cases:
        try:
            a = parser.parse(c.input, dayfirst=day_first, default=d1)
            b = parser.parse(c.input, dayfirst=day_first, default=d2)
        except (ValueError, OverflowError, parser.ParserError) as e:
            c.peer_valid, c.peer_note = False, str(e)
            continue
        if a.date() != b.date():
            c.peer_valid, c.peer_note = False, f"partial: parts filled from the default ({a.date()}, {b.date()})"
            continue
        c.peer_valid, c.peer_value = True, a.date().isoformat()


def steward_date_value(c: Case) -> None:
    # A date column's normalized value is the ISO date; the comparison is on the date read.
    c.steward_value = c.steward_value[:10]


# ---------------------------------------------------------------- Table Schema (frictionless)

TABLE_SCHEMA = {
    "fields": [
        {"name": "id", "type": "integer", "constraints": {"required": True}},
        {"name": "region", "type": "string", "constraints": {"required": True}},
        {"name": "shop", "type": "integer"},
        {"name": "code", "type": "string", "constraints": {"pattern": "[A-Z]{2}-[0-9]{3}"}},
        {"name": "email", "type": "string", "format": "email"},
        {"name": "website", "type": "string", "format": "uri"},
        {"name": "token", "type": "string", "format": "uuid"},
        {"name": "opened", "type": "date", "constraints": {"minimum": "2020-01-01", "maximum": "2025-12-31"}},
        {"name": "status", "type": "string", "constraints": {"enum": ["active", "closed"]}},
        {"name": "score", "type": "number", "constraints": {"minimum": 0, "maximum": 100}},
        {"name": "visits", "type": "integer", "constraints": {"minimum": 0}},
        {"name": "ref", "type": "string", "constraints": {"unique": True, "minLength": 3, "maxLength": 8}},
        {"name": "active", "type": "boolean"},
        {"name": "updated", "type": "datetime"},
        {"name": "founded", "type": "year"},
        {"name": "tier", "type": "integer", "constraints": {"enum": [1, 2, 3]}},
    ],
    "missingValues": ["", "NA", "-"],
    "primaryKey": ["region", "shop"],
}

# (variant, field, bad value): each planted in a row of its own; every other cell of that row is valid.
PLANTED = [
    ("type/integer", "visits", "12.5"),
    ("type/integer-text", "visits", "many"),
    ("type/number", "score", "abc"),
    ("type/number-comma", "score", "1,5"),
    ("type/date", "opened", "2024/03/05"),
    ("type/date-impossible", "opened", "2024-02-30"),
    ("type/boolean", "active", "yes"),
    ("type/boolean-word", "active", "maybe"),
    ("type/boolean-one", "active", "1"),
    ("type/boolean-upper", "active", "TRUE"),
    ("type/integer-plus", "visits", "+5"),
    ("type/integer-exponent", "visits", "1e3"),
    ("type/integer-spaces", "visits", " 7"),
    ("type/number-exponent", "score", "1e1"),
    ("type/number-nan", "score", "NaN"),
    ("type/date-compact", "opened", "20240305"),
    ("type/date-chinese", "opened", "2024年3月5日"),
    ("type/integer-leading-zeros", "visits", "007"),
    ("type/datetime-space", "updated", "2024-03-05 14:30:00"),
    ("type/datetime-date-only", "updated", "2024-03-05"),
    ("type/datetime-text", "updated", "yesterday"),
    ("type/year-two-digits", "founded", "99"),
    ("type/year-text", "founded", "MCMXCIX"),
    ("enum/integer", "tier", "4"),
    ("enum/integer-text", "tier", "2.0"),
    ("format/uri", "website", "not a uri"),
    ("format/uri-no-scheme", "website", "www.example.com"),
    ("format/uuid", "token", "1234-not-a-uuid"),
    ("format/uuid-short", "token", "5f1c9d3e-1b2a-4c3d-9e8f"),
    ("format/email", "email", "john@@example.com"),
    ("format/email-no-domain", "email", "john@"),
    ("date/minimum", "opened", "2019-12-31"),
    ("date/maximum", "opened", "2026-01-01"),
    ("enum", "status", "pending"),
    ("enum-case", "status", "Active"),
    ("pattern", "code", "ab-123"),
    ("pattern-partial", "code", "XAB-1234"),
    ("minimum", "score", "-1"),
    ("maximum", "score", "100.5"),
    ("integer-minimum", "visits", "-3"),
    ("min-length", "ref", "ab"),
    ("max-length", "ref", "abcdefghi"),
    ("max-length-cjk", "ref", "客户编号一二三四"),
    ("pattern-cjk", "code", "ＡＢ-123"),
    ("required/missing", "region", ""),
    ("required/missing-value-NA", "region", "NA"),
    ("required/id-dash", "id", "-"),
    ("missing-value/NA-optional", "score", "NA"),
    ("missing-value/dash-optional", "email", "-"),
    ("unique/ref", "ref", "DUP01"),
    ("unique/ref", "ref", "DUP01"),
    ("primary-key/duplicate", "shop", "PK"),
    ("primary-key/duplicate", "shop", "PK"),
]


def schema_rows(rng: random.Random) -> tuple[list[str], list[list[str]], list[tuple[str, str]]]:
    """Rows of a table for TABLE_SCHEMA: clean rows, then one row per planted violation. Returns the header,
    the rows and, per row, (variant, planted field)."""
    header = [f["name"] for f in TABLE_SCHEMA["fields"]]
    rows, tags = [], []

    def clean_row(i):
        return {
            "id": str(i), "region": rng.choice(["north", "south", "east", "west"]), "shop": str(1000 + i),
            "code": f"{rng.choice(['AB', 'CN', 'XY'])}-{rng.randint(0, 999):03d}",
            "email": f"user{i}@example.com", "website": f"https://example.com/shop/{i}",
            "token": f"{rng.getrandbits(32):08x}-{rng.getrandbits(16):04x}-4{rng.getrandbits(12):03x}-"
                     f"{rng.choice('89ab')}{rng.getrandbits(12):03x}-{rng.getrandbits(48):012x}",
            "opened": (dt.date(2020, 1, 1) + dt.timedelta(days=rng.randint(0, 2191))).isoformat(),
            "status": rng.choice(["active", "closed"]), "score": f"{rng.uniform(0, 100):.1f}",
            "visits": str(rng.randint(0, 500)), "ref": f"R{i:05d}", "active": rng.choice(["true", "false"]),
            "updated": f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T{rng.randint(0, 23):02d}:15:00Z",
            "founded": str(rng.randint(1950, 2020)), "tier": str(rng.randint(1, 3)),
        }

    n = 0
    for _ in range(40):
        n += 1
        r = clean_row(n)
        rows.append([r[h] for h in header])
        tags.append(("clean", ""))
    for variant, fname, bad in PLANTED:
        n += 1
        r = clean_row(n)
        if variant.startswith("primary-key"):
            r["region"], r["shop"] = "pk-region", "77"
        else:
            r[fname] = bad
        rows.append([r[h] for h in header])
        tags.append((variant, fname))
    return header, rows, tags


def frictionless_errors(work: Path, data: Path, schema: Path) -> tuple[dict[tuple[int, str], list[str]], str]:
    exe = Path(sys.executable).parent / "frictionless"
    # frictionless refuses absolute paths as unsafe: it runs in the work folder on the files' names.
    done = subprocess.run([str(exe), "validate", data.name, "--schema", schema.name, "--json"],
                          capture_output=True, text=True, cwd=work)
    if not done.stdout.strip().startswith("{"):
        sys.exit(f"frictionless validate failed (exit {done.returncode}): {done.stderr.strip()[:500]}")
    report = json.loads(done.stdout)
    (work / "frictionless-report.json").write_text(json.dumps(report, indent=1), encoding="utf-8")
    errors: dict[tuple[int, str], list[str]] = {}
    for task in report.get("tasks", []):
        for e in task.get("errors", []):
            row = e.get("rowNumber")
            if row is None:
                sys.exit(f"frictionless reported a table error: {e.get('type')}: {e.get('message')}")
            fname = e.get("fieldName") or "(row)"
            errors.setdefault((row, fname), []).append(e["type"] + ": " + e.get("note", ""))
    version = subprocess.run([str(exe), "--version"], capture_output=True, text=True).stdout.strip()
    return errors, version


def schema_compare(rng: random.Random, steward: str, work: Path) -> list[Case]:
    header, rows, tags = schema_rows(rng)
    schema_path = work / "table.json"
    schema_path.write_text(json.dumps(TABLE_SCHEMA, indent=2), encoding="utf-8")
    data = work / "schema.csv"
    with data.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)
    peer, _ = frictionless_errors(work, data, schema_path)
    cmd = [steward, "validate", str(data), "--schema", str(schema_path), "--findings",
           str(work / "schema.findings.csv"), "-d", "comma", "--as-of", AS_OF.isoformat(), "--fail-on", "never",
           "--force", "-q"]
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"steward validate --schema failed (exit {done.returncode}): {done.stderr.strip()}")
    mine: dict[tuple[int, str], list[str]] = {}
    with (work / "schema.findings.csv").open(newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if r["severity"] != "error":
                continue
            # A finding on no single column of the schema (a primary key of several) is the row's.
            fname = r["field"] if r["field"] in header else "(row)"
            mine.setdefault((int(r["_row"]), fname), []).append(f"{r['rule']}: {r['message']}")
    # One case per cell, plus one per row for errors of the row as a whole (frictionless: primary-key).
    cases: list[Case] = []
    for i, (row, (variant, planted)) in enumerate(zip(rows, tags)):
        line = i + 2
        for j, fname in enumerate(header + ["(row)"]):
            value = row[j] if j < len(row) else ""
            v = variant if fname == planted or (variant.startswith("primary-key") and fname in ("(row)", "region", "shop")) else "clean"
            c = Case("schema", v, f"row {line} {fname}={value!r}")
            pe, se = peer.get((line, fname), []), mine.get((line, fname), [])
            c.peer_valid, c.peer_note = not pe, "; ".join(pe)
            c.steward_valid, c.steward_note = not se, "; ".join(se)
            c.peer_value = ",".join(sorted({e.split(":")[0] for e in pe}))
            c.steward_value = ",".join(sorted({e.split(":")[0] for e in se}))
            cases.append(c)
    return cases


# ---------------------------------------------------------------- comparison


def load_differences() -> list[dict]:
    with (HERE / "differences.toml").open("rb") as f:
        entries = tomllib.load(f)["difference"]
    for e in entries:
        for key in ("id", "category", "reason"):
            if key not in e:
                sys.exit(f"differences.toml: an entry has no {key}: {e}")
    return entries


def explain(d: Disagreement, entries: list[dict]) -> dict | None:
    for e in entries:
        if not re.fullmatch(e["category"], d.category):
            continue
        if "aspect" in e and e["aspect"] != d.aspect:
            continue
        if "variant" in e and not re.search(e["variant"], d.variant):
            continue
        if "input" in e and not re.search(e["input"], d.input):
            continue
        if "country" in e and not re.search(e["country"], d.country):
            continue
        if "steward" in e and e["steward"] != d.steward_verdict:
            continue
        if "peer" in e and e["peer"] != d.peer_verdict:
            continue
        if "steward_note" in e and not re.search(e["steward_note"], d.steward_note):
            continue
        if "peer_note" in e and not re.search(e["peer_note"], d.peer_note):
            continue
        # Values that must agree in their last N characters (dates read the same but for the century).
        if "same_suffix" in e and d.steward[-e["same_suffix"]:] != d.peer[-e["same_suffix"]:]:
            continue
        return e
    return None


def compare(category: str, cases: list[Case], entries: list[dict], value_aspect: str | None) -> list[Tally]:
    validity = Tally(category, "validity")
    value = Tally(category, value_aspect) if value_aspect else None
    for c in cases:
        verdict = lambda ok: "valid" if ok else "invalid"  # noqa: E731
        validity.count += 1
        if c.steward_valid == c.peer_valid:
            validity.agree += 1
            if value is not None and c.steward_valid:
                value.count += 1
                if c.steward_value == c.peer_value:
                    value.agree += 1
                else:
                    d = Disagreement(category, value.aspect, c.variant, c.input, c.country, c.steward_value,
                                     c.peer_value, c.steward_note, c.peer_note, "valid", "valid")
                    value.disagreements.append(d)
            continue
        d = Disagreement(category, "validity", c.variant, c.input, c.country,
                         verdict(c.steward_valid) + (f" {c.steward_value}" if c.steward_valid and c.steward_value else ""),
                         verdict(c.peer_valid) + (f" {c.peer_value}" if c.peer_valid and c.peer_value else ""),
                         c.steward_note, c.peer_note, verdict(c.steward_valid), verdict(c.peer_valid))
        validity.disagreements.append(d)
    tallies = [validity] + ([value] if value is not None else [])
    for t in tallies:
        for d in t.disagreements:
            e = explain(d, entries)
            if e is not None:
                d.deliberate, d.reason = e["id"], e["reason"]
                t.deliberate += 1
            else:
                t.unexplained += 1
    return tallies


# ---------------------------------------------------------------- report


def versions() -> dict[str, str]:
    from importlib.metadata import version

    return {p: version(p) for p in ["phonenumbers", "python-stdnum", "email-validator", "python-dateutil",
                                    "frictionless"]}


def write_report(out: Path, tallies: list[Tally], steward_version: str, entries: list[dict],
                 baseline: dict | None) -> dict:
    peers = {"phone": "phonenumbers `parse` + `is_valid_number` + E.164",
             "cn_id": "python-stdnum `stdnum.cn.ric.validate`",
             "email": "email-validator `validate_email(check_deliverability=False, allow_quoted_local=True)`",
             "date": "python-dateutil `parser.parse` (month first)",
             "date-day-first": "python-dateutil `parser.parse(dayfirst=True)` beside `--day-first`",
             "schema": "frictionless `validate` (Table Schema), per cell"}
    doc = {
        "as_of": AS_OF.isoformat(), "seed": SEED, "steward": steward_version, "peers": versions(),
        "categories": [
            {"category": t.category, "aspect": t.aspect, "count": t.count, "agree": t.agree,
             "disagree": t.count - t.agree, "deliberate": t.deliberate, "unexplained": t.unexplained}
            for t in tallies
        ],
        "disagreements": [d.__dict__ for t in tallies for d in t.disagreements],
    }
    (out / "report.json").write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    with (out / "disagreements.csv").open("w", newline="", encoding="utf-8") as f:
        cols = list(Disagreement.__dataclass_fields__)
        w = csv.DictWriter(f, fieldnames=cols)
        w.writeheader()
        for d in doc["disagreements"]:
            w.writerow(d)

    lines = ["# Conformance with reference implementations", "",
             f"{steward_version}; peers: " + ", ".join(f"{k} {v}" for k, v in doc["peers"].items())
             + f"; seed {SEED}, as of {AS_OF}.", "",
             "| category | compared with | aspect | count | agree | disagree | deliberate | unexplained |"
             + (" fixed since the baseline |" if baseline else ""),
             "|---|---|---|---:|---:|---:|---:|---:|" + ("---:|" if baseline else "")]
    for c in doc["categories"]:
        row = (f"| {c['category']} | {peers.get(c['category'], '')} | {c['aspect']} | {c['count']} | "
               f"{c['agree']} | {c['disagree']} | {c['deliberate']} | {c['unexplained']} |")
        if baseline:
            was = baseline.get(f"{c['category']}/{c['aspect']}", {}).get("unexplained")
            row += f" {max(0, was - c['unexplained']) if was is not None else ''} |"
        lines.append(row)
    lines += ["", "## Deliberate differences seen", "",
              "| id | category | cases | reason | example (steward / peer) |", "|---|---|---:|---|---|"]
    by_id: dict[str, list[Disagreement]] = {}
    for t in tallies:
        for d in t.disagreements:
            if d.deliberate:
                by_id.setdefault(d.deliberate, []).append(d)
    for e in entries:
        seen = by_id.get(e["id"], [])
        if not seen:
            continue
        ex = seen[0]
        lines.append(f"| {e['id']} | {e['category']} | {len(seen)} | {e['reason']} | "
                     f"`{md(ex.input)}`: {md(ex.steward)} / {md(ex.peer)} |")
    unused = [e["id"] for e in entries if e["id"] not in by_id]
    if unused:
        lines += ["", "Entries of differences.toml that matched nothing this run: " + ", ".join(unused) + "."]
    lines += ["", "## Unexplained disagreements", ""]
    groups: dict[tuple[str, str, str], list[Disagreement]] = {}
    for t in tallies:
        for d in t.disagreements:
            if not d.deliberate:
                groups.setdefault((d.category, d.aspect, d.variant.split("/")[0]), []).append(d)
    if not groups:
        lines.append("None.")
    for (cat, aspect, variant), ds in sorted(groups.items()):
        lines.append(f"### {cat} / {aspect} / {variant}: {len(ds)}")
        lines.append("")
        lines.append("| input | country | variant | steward | peer | steward says | peer says |")
        lines.append("|---|---|---|---|---|---|---|")
        for d in ds[:8]:
            lines.append(f"| `{md(d.input)}` | {d.country} | {d.variant} | {md(d.steward)} | {md(d.peer)} | "
                         f"{md(d.steward_note)} | {md(d.peer_note)} |")
        if len(ds) > 8:
            lines.append(f"| … {len(ds) - 8} more in disagreements.csv | | | | | | |")
        lines.append("")
    (out / "report.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return doc


def md(s: str) -> str:
    return s.replace("|", "\\|").replace("\n", " ")[:160]


def check(doc: dict, baseline_path: Path) -> int:
    """Fails when a category/aspect has more unexplained disagreements than the baseline allows, or fewer
    cases than it had (a generator that lost its inputs would otherwise look like progress)."""
    baseline = json.loads(baseline_path.read_text(encoding="utf-8"))
    failed = 0
    for c in doc["categories"]:
        key = f"{c['category']}/{c['aspect']}"
        want = baseline.get(key)
        if want is None:
            print(f"conformance: {key}: not in {baseline_path.name}; add it", file=sys.stderr)
            failed += 1
            continue
        if c["unexplained"] > want["unexplained"]:
            print(f"conformance: {key}: {c['unexplained']} unexplained disagreements, the baseline allows "
                  f"{want['unexplained']}: see report.md (fix steward, or add a deliberate difference with its "
                  f"reason to differences.toml)", file=sys.stderr)
            failed += 1
        elif c["unexplained"] < want["unexplained"]:
            print(f"conformance: {key}: {c['unexplained']} unexplained, fewer than the baseline's "
                  f"{want['unexplained']}: lower it in {baseline_path.name}", file=sys.stderr)
        # Value aspects count the cases both sides found valid, which moves with fixes; the inputs are the
        # validity rows.
        if c["aspect"] == "validity" and c["count"] < want["count"]:
            print(f"conformance: {key}: {c['count']} cases, the baseline had {want['count']}", file=sys.stderr)
            failed += 1
    return 1 if failed else 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--steward", required=True, help="the steward binary")
    ap.add_argument("--out", required=True, type=Path, help="folder for report.md, report.json and work/")
    ap.add_argument("--check", type=Path, help="baseline JSON: fail when unexplained disagreements grow")
    ap.add_argument("--write-baseline", type=Path, help="write the measured counts as a baseline")
    args = ap.parse_args()
    work = args.out / "work"
    work.mkdir(parents=True, exist_ok=True)
    entries = load_differences()
    steward_version = subprocess.run([args.steward, "--version"], capture_output=True, text=True).stdout.strip()

    tallies: list[Tally] = []
    rng = random.Random(SEED)

    phones = phone_cases(rng)
    phone_peer(phones)
    field_verdicts(phones, args.steward, work, "phone", "phone", {"phone-possible-only"}, with_country=True)
    tallies += compare("phone", phones, entries, "e164")

    ids = cn_id_cases(rng)
    cn_id_peer(ids)
    field_verdicts(ids, args.steward, work, "cn_id", "resident_id", {"cn-id-region"}, with_country=False)
    tallies += compare("cn_id", ids, entries, None)

    emails = email_cases(rng)
    email_peer(emails)
    field_verdicts(emails, args.steward, work, "email", "email", set(), with_country=False)
    tallies += compare("email", emails, entries, "normalized")

    dates = date_cases(rng)
    for name, day_first in (("date", False), ("date-day-first", True)):
        run = [Case(name, c.variant, c.input) for c in dates]
        date_peer(run, day_first)
        field_verdicts(run, args.steward, work, name, "signup_date", set(), with_country=False,
                       extra=["--day-first"] if day_first else None)
        for c in run:
            steward_date_value(c)
        tallies += compare(name, run, entries, "date read")

    cells = schema_compare(rng, args.steward, work)
    tallies += compare("schema", cells, entries, "error type")

    baseline = json.loads(args.check.read_text(encoding="utf-8")) if args.check else None
    doc = write_report(args.out, tallies, steward_version, entries, baseline)
    width = max(len(f"{c['category']}/{c['aspect']}") for c in doc["categories"])
    print(f"{'category/aspect':<{width}} {'count':>6} {'agree':>6} {'deliberate':>10} {'unexplained':>11}")
    for c in doc["categories"]:
        key = f"{c['category']}/{c['aspect']}"
        print(f"{key:<{width}} {c['count']:>6} {c['agree']:>6} {c['deliberate']:>10} {c['unexplained']:>11}")
    print(f"report: {args.out / 'report.md'}")
    if args.write_baseline:
        base = {f"{c['category']}/{c['aspect']}": {"count": c["count"], "unexplained": c["unexplained"]}
                for c in doc["categories"]}
        args.write_baseline.write_text(json.dumps(base, indent=1) + "\n", encoding="utf-8")
    if args.check:
        return check(doc, args.check)
    return 0


if __name__ == "__main__":
    sys.exit(main())
