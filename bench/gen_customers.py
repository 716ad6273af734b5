#!/usr/bin/env python3
"""Generate a large synthetic customer CSV for steward benchmarks.

    python3 bench/gen_customers.py                      # 1,000,000 rows -> bench/data/customers_1m.csv
    python3 bench/gen_customers.py --rows 10000 --out /tmp/c10k.csv

Same column shape as fixtures/customers_semicolon.csv (English headers) but
UTF-8 without BOM, comma-delimited, LF line endings. ~60 % Chinese customers,
~40 % international; about 2 % of rows are near-duplicates of a recent row
(phone re-formatted / e-mail case changed / name order swapped). Values are
messy in the same ways as the fixtures (mixed date formats, phone formats,
money formats, consent/gender spellings, empty cells). Deterministic for a
given --seed. Roughly 150 bytes per row; ~1M rows in well under a minute.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import random
import sys
import time

HEADERS = ["Customer ID", "Full Name", "Mobile", "E-mail", "ID Number", "Date of Birth",
           "Gender", "Address", "City", "State", "Zip", "Country", "Company", "Signup Date",
           "Last Purchase", "Total Spend", "Orders", "Marketing Consent", "Notes"]

CN_SUR = [("王", "wang"), ("李", "li"), ("张", "zhang"), ("刘", "liu"), ("陈", "chen"), ("杨", "yang"),
          ("黄", "huang"), ("赵", "zhao"), ("吴", "wu"), ("周", "zhou"), ("徐", "xu"), ("孙", "sun"),
          ("马", "ma"), ("朱", "zhu"), ("胡", "hu"), ("郭", "guo"), ("何", "he"), ("高", "gao"),
          ("林", "lin"), ("罗", "luo"), ("郑", "zheng"), ("梁", "liang"), ("谢", "xie"), ("宋", "song"),
          ("唐", "tang"), ("韩", "han"), ("冯", "feng"), ("欧阳", "ouyang"), ("司马", "sima"), ("上官", "shangguan")]
CN_GIVEN = [("伟", "wei"), ("芳", "fang"), ("娜", "na"), ("敏", "min"), ("静", "jing"), ("丽", "li"),
            ("强", "qiang"), ("磊", "lei"), ("军", "jun"), ("洋", "yang"), ("勇", "yong"), ("艳", "yan"),
            ("杰", "jie"), ("涛", "tao"), ("明", "ming"), ("超", "chao"), ("霞", "xia"), ("平", "ping"),
            ("华", "hua"), ("玉", "yu"), ("文", "wen"), ("婷", "ting"), ("浩", "hao"), ("宇", "yu"),
            ("欣", "xin"), ("怡", "yi"), ("佳", "jia"), ("俊", "jun"), ("晓", "xiao"), ("海", "hai")]
# city, province, ID area code, postcode, district
CN_CITY = [("北京市", "北京市", "110105", "100020", "朝阳区"), ("上海市", "上海市", "310104", "200030", "徐汇区"),
           ("广州市", "广东省", "440106", "510630", "天河区"), ("深圳市", "广东省", "440305", "518052", "南山区"),
           ("杭州市", "浙江省", "330106", "310013", "西湖区"), ("成都市", "四川省", "510107", "610041", "武侯区"),
           ("武汉市", "湖北省", "420106", "430061", "武昌区"), ("南京市", "江苏省", "320102", "210018", "玄武区"),
           ("西安市", "陕西省", "610113", "710061", "雁塔区"), ("天津市", "天津市", "120101", "300041", "和平区")]
CN_STREET = ["人民路", "中山路", "解放路", "建设路", "和平路", "长安街", "淮海中路", "深南大道", "文三路", "学院路"]
CN_MAIL = ["163.com", "126.com", "qq.com", "sina.com", "foxmail.com", "gmail.com"]
CN_PREFIX = ["130", "131", "135", "136", "137", "138", "139", "150", "151", "158", "159", "177", "186", "188", "199"]
CN_COUNTRY = ["中国", "中国", "中国", "CN", "China", ""]

INTL = [  # country codes, first names, last names, (city, state, zip), mail domains, phone kind, streets
    (["US", "USA", "United States"], ["James", "Mary", "John", "Linda", "David", "Emily", "José"],
     ["Smith", "Johnson", "Brown", "García", "Miller", "O'Connor", "Nguyen"],
     [("New York", "NY", "10001"), ("Cambridge", "MA", "02139"), ("Austin", "TX", "78701")],
     ["gmail.com", "yahoo.com", "outlook.com", "gmial.com"], "nanp", ["Main St", "Oak Avenue"]),
    (["GB", "UK", "United Kingdom"], ["Oliver", "Amelia", "Harry", "Isla"], ["Taylor", "Evans", "O'Neil", "Walker"],
     [("London", "", "SW1A 1AA"), ("Manchester", "England", "M1 1AE")], ["btinternet.com", "gmail.com"], "gb", ["High Street", "Baker Street"]),
    (["DE", "Germany", "德国"], ["Lukas", "Anna", "Leon", "Marie"], ["Müller", "Schmidt", "van der Berg", "Weber"],
     [("Berlin", "Berlin", "10115"), ("Dresden", "Sachsen", "01067")], ["web.de", "gmx.de"], "de", ["Bahnhofstr.", "Lindenallee"]),
    (["FR", "France"], ["Jean-Luc", "Chloé", "Hugo", "Léa"], ["Picard", "Dubois", "Lefèvre", "Martin"],
     [("Paris", "Ile-de-France", "75008"), ("Lyon", "Auvergne-Rhone-Alpes", "69002")], ["orange.fr", "free.fr"], "fr", ["rue de Rivoli", "avenue Victor Hugo"]),
    (["JP", "Japan", "日本"], ["Yuki", "Haruto", "Aoi", "Ren"], ["Sato", "Suzuki", "Tanaka", "Watanabe"],
     [("Tokyo", "東京都", "100-0005"), ("Sapporo", "北海道", "060-0001")], ["yahoo.co.jp", "gmail.com"], "jp", ["Marunouchi", "Jingumae"]),
    (["CA", "Canada"], ["Liam", "Olivia", "Noah", "Emma"], ["Tremblay", "Roy", "MacDonald"],
     [("Toronto", "ON", "M5V 3L9"), ("Montréal", "QC", "H2X 1Y4")], ["rogers.com", "gmail.com"], "nanp", ["Queen St W", "rue Sherbrooke O"]),
    (["AU", "Australia"], ["Jack", "Mia", "Lachlan", "Chloe"], ["Kelly", "Wilson", "Ryan"],
     [("Sydney", "NSW", "2000"), ("Darwin", "NT", "0800")], ["bigpond.com", "gmail.com"], "au", ["George Street", "Collins Street"]),
]
INTL_W = [25, 15, 15, 12, 13, 10, 10]
GENDER_M = ["男", "男", "M", "male", ""]
GENDER_F = ["女", "女", "F", "female", ""]
CONSENT = ["是", "否", "yes", "no", "1", "0", ""]
NOTES = [""] * 30 + ["VIP客户", "请勿电话联系", "prefers email", "地址待确认"]
COMPANIES = [""] * 14 + ["星辰科技有限公司", "Acme Corp", "Globex GmbH", "Initech Ltd"]

W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
CHECK = "10X98765432"
FW = str.maketrans("0123456789", "０１２３４５６７８９")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--out", default="bench/data/customers_1m.csv")
    ap.add_argument("--seed", type=int, default=42)
    a = ap.parse_args()

    rng = random.Random(a.seed)
    rnd, rr, choice = rng.random, rng.randrange, rng.choice

    # ---- precomputed pools -------------------------------------------------
    d0 = dt.date(1950, 1, 1)
    days = [d0 + dt.timedelta(days=i) for i in range((dt.date(2025, 12, 31) - d0).days + 1)]
    compact = [f"{d:%Y%m%d}" for d in days]
    fmts = [[f"{d:%Y-%m-%d}" for d in days], [f"{d:%Y-%m-%d}" for d in days],
            [f"{d.year}/{d.month}/{d.day}" for d in days], [f"{d.year}年{d.month}月{d.day}日" for d in days],
            compact]
    date_wsum = [sum(int(c) * w for c, w in zip(s, W[6:14])) for s in compact]
    seq_wsum = [sum(int(c) * w for c, w in zip(f"{s:03d}", W[14:])) for s in range(1000)]
    area_wsum = {c[2]: sum(int(ch) * w for ch, w in zip(c[2], W[:6])) for c in CN_CITY}
    i_birth_lo, i_birth_hi = (dt.date(1955, 1, 1) - d0).days, (dt.date(2005, 12, 31) - d0).days
    i_reg_lo, i_reg_hi = (dt.date(2018, 1, 1) - d0).days, (dt.date(2025, 6, 30) - d0).days
    money = []
    for _ in range(5000):
        x = round(rng.lognormvariate(6.3, 1.1), 2)
        money += [f"{x:g}", f"{x:.2f}", f"￥{x:,.2f}", f"{int(x):,}", ""]
    intl_cum = []
    t = 0
    for w in INTL_W:
        t += w
        intl_cum.append(t)

    def cn_phone(d: str) -> str:
        k = rnd()
        if k < 0.5:
            return d
        if k < 0.65:
            return f"+86 {d[:3]} {d[3:7]} {d[7:]}"
        if k < 0.75:
            return f"{d[:3]}-{d[3:7]}-{d[7:]}"
        if k < 0.83:
            return f"0086-{d[:3]}-{d[3:7]}-{d[7:]}"
        if k < 0.9:
            return "+86" + d
        if k < 0.95:
            return d.translate(FW)
        return ""

    def intl_phone(kind: str) -> str:
        n = rr(10_000_000)
        if kind == "nanp":
            return f"({rr(201, 990)}) {n // 10000 % 800 + 200}-{n % 10000:04d}" if rnd() < 0.6 else f"+1 {rr(201, 990)} {n // 10000 % 800 + 200} {n % 10000:04d}"
        if kind == "gb":
            return f"07700 900{n % 1000:03d}" if rnd() < 0.5 else f"+44 20 7946 0{n % 1000:03d}"
        if kind == "de":
            return f"030 {n:07d}" if rnd() < 0.5 else f"+49 151 {n:08d}"
        if kind == "fr":
            s = f"{n:08d}"
            return f"06 {s[:2]} {s[2:4]} {s[4:6]} {s[6:]}" if rnd() < 0.6 else f"+33 6 {s[:2]} {s[2:4]} {s[4:6]} {s[6:]}"
        if kind == "jp":
            return f"090-{n // 10000 % 10000:04d}-{n % 10000:04d}"
        return f"0412 {n // 1000 % 1000:03d} {n % 1000:03d}" if rnd() < 0.6 else f"(02) {n // 10000 % 10000:04d} {n % 10000:04d}"

    recent: list[list[str]] = []

    def row(i: int) -> list[str]:
        reg = rr(i_reg_lo, i_reg_hi)
        regf = fmts[rr(5)][reg]
        last = "" if rnd() < 0.2 else fmts[rr(5)][min(reg + rr(400), len(days) - 1)]
        spend = choice(money)
        orders = "" if spend == "" else str(rr(1, 40))
        if rnd() < 0.6:
            sur, spy = choice(CN_SUR)
            g1, p1 = choice(CN_GIVEN)
            if rnd() < 0.6:
                g2, p2 = choice(CN_GIVEN)
                g1 += g2
                p1 += p2
            city, prov, area, zipc, dist = choice(CN_CITY)
            male = rnd() < 0.5
            b = rr(i_birth_lo, i_birth_hi)
            seq = rr(500) * 2 + (1 if male else 0)
            chk = CHECK[(area_wsum[area] + date_wsum[b] + seq_wsum[seq]) % 11]
            idno = f"{area}{compact[b]}{seq:03d}{chk}" if rnd() < 0.97 else f"{area}{compact[b]}{seq:03d}{(int(chk) + 1) % 10 if chk != 'X' else 0}"
            mob = choice(CN_PREFIX) + f"{rr(100_000_000):08d}"
            mail = "" if rnd() < 0.1 else (f"{rr(10000, 3999999999)}@qq.com" if rnd() < 0.2 else f"{spy}{p1}{rr(100) if rnd() < 0.5 else ''}@{choice(CN_MAIL)}")
            return [str(1_000_000 + i), sur + g1, cn_phone(mob), mail, idno,
                    "" if rnd() < 0.1 else fmts[rr(5)][b], choice(GENDER_M if male else GENDER_F),
                    f"{dist if rnd() < 0.4 else ''}{choice(CN_STREET)}{rr(1, 999)}号",
                    city if rnd() < 0.5 else city[:-1], prov if rnd() < 0.6 else "",
                    zipc, choice(CN_COUNTRY), choice(COMPANIES), regf, last, spend, orders,
                    choice(CONSENT), choice(NOTES)]
        k = rnd() * 100
        ci = 0
        while intl_cum[ci] < k:
            ci += 1
        countries, firsts, lasts, cities, doms, pk, streets = INTL[ci]
        f, l = choice(firsts), choice(lasts)
        k = rnd()
        name = f"{f} {l}" if k < 0.8 else (f"{l.upper()}, {f}" if k < 0.9 else f"{f} {l}".lower())
        city, state, zipc = choice(cities)
        mail = "" if rnd() < 0.15 else f"{f.lower()}.{l.lower().replace(' ', '')}{rr(100)}@{choice(doms)}"
        return [str(1_000_000 + i), name, intl_phone(pk), mail, "",
                "" if rnd() < 0.35 else fmts[rr(5)][rr(i_birth_lo, i_birth_hi)], choice(("M", "F", "male", "female", "")),
                f"{rr(1, 400)} {choice(streets)}", city, state, zipc, choice(countries), choice(COMPANIES),
                regf, last, spend, orders, choice(CONSENT), choice(NOTES)]

    def near_dup(i: int) -> list[str]:
        r = list(choice(recent))
        r[0] = str(1_000_000 + i)
        k = rnd()
        if k < 0.4:
            digits = "".join(ch for ch in r[2].translate(str.maketrans("０１２３４５６７８９", "0123456789")) if ch.isdigit())
            r[2] = digits
        elif k < 0.7:
            r[3] = r[3].upper()
        elif " " in r[1]:
            f, _, l = r[1].partition(" ")
            r[1] = f"{l}, {f}"
        else:
            r[1] = r[1][0] + " " + r[1][1:]
        return r

    t0 = time.perf_counter()
    out_dir = os.path.dirname(a.out)
    if out_dir:
        os.makedirs(out_dir, exist_ok=True)
    chunk = 20_000
    with open(a.out, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(HEADERS)
        i = 1
        while i <= a.rows:
            n = min(chunk, a.rows - i + 1)
            buf = []
            for j in range(i, i + n):
                if recent and rnd() < 0.02:
                    buf.append(near_dup(j))
                else:
                    r = row(j)
                    buf.append(r)
                    if rnd() < 0.01:
                        if len(recent) >= 1000:
                            recent[rr(1000)] = r
                        else:
                            recent.append(r)
            w.writerows(buf)
            i += n
    size = os.path.getsize(a.out)
    el = time.perf_counter() - t0
    print(f"wrote {a.rows:,} rows, {size:,} bytes ({size / max(a.rows, 1):.0f} B/row) to {a.out} in {el:.1f}s",
          file=sys.stderr)


if __name__ == "__main__":
    main()
