#!/usr/bin/env python3
"""A labelled set of free-text notes for the embedded-identifier scanner (steward pseudonymize).

Each row is a customer (id, country, email, mobile) with a `notes` cell that mixes, in English and Chinese,
0-3 identifiers (e-mails, phone numbers in national and international spellings, resident IDs, some in
full-width digits) with look-alikes that must survive: order and invoice numbers, amounts, dates, times,
postcodes, tracking and card numbers. Writes notes.csv and labels.jsonl (one line per row: the identifiers
as written, and the look-alikes). Seeded: the same arguments give the same files.

    python3 bench/freetext/gen_notes.py --rows 20000 --seed 7 --out /tmp/ft
"""
import argparse
import csv
import json
import os
import random

WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
CHECK = "10X98765432"
FULL = str.maketrans("0123456789", "０１２３４５６７８９")


def resident_id(r):
    region = r.choice(["110101", "310104", "440305", "510104", "330106", "420102"])
    y, m, d = r.randint(1950, 2005), r.randint(1, 12), r.randint(1, 28)
    body = f"{region}{y:04d}{m:02d}{d:02d}{r.randint(0, 999):03d}"
    s = sum(int(c) * w for c, w in zip(body, WEIGHTS))
    return body + CHECK[s % 11]


def phone(r, country):
    """A number valid (or in the drama ranges) for the country, in one of its usual spellings."""
    if country == "CN":
        n = r.choice(["138", "139", "186", "150", "177", "135"]) + f"{r.randint(0, 99999999):08d}"
        return r.choice([
            n, f"{n[:3]} {n[3:7]} {n[7:]}", f"{n[:3]}-{n[3:7]}-{n[7:]}", f"+86 {n[:3]} {n[3:7]} {n[7:]}",
            f"+86{n}", f"(+86){n}", n.translate(FULL), f"010-{r.randint(6000, 6999)}{r.randint(0, 9999):04d}",
        ])
    if country == "GB":
        tail = f"{r.randint(0, 999):03d}"
        return r.choice([
            f"07700 900{tail}", f"07700900{tail}", f"+44 7700 900{tail}", f"+44 (0)20 7946 0{tail}",
            f"020 7946 0{tail}", f"+447700900{tail}",
        ])
    if country == "US":
        area = r.choice(["212", "415", "646", "312", "617", "202"])
        ex, line = r.randint(200, 999), r.randint(0, 9999)
        return r.choice([
            f"({area}) {ex}-{line:04d}", f"{area}-{ex}-{line:04d}", f"{area}.{ex}.{line:04d}",
            f"+1 {area} {ex} {line:04d}", f"+1 ({area}) {ex}-{line:04d}",
        ])
    if country == "DE":
        n = f"{r.randint(0, 99999999):08d}"
        return r.choice([f"+49 151 {n[:4]} {n[4:]}", f"0151 {n}", f"+49 (0)151 {n}"])
    if country == "FR":
        p = [f"{r.randint(0, 99):02d}" for _ in range(4)]
        return r.choice([f"06 {' '.join(p)}", f"+33 6 {' '.join(p)}", f"06.{'.'.join(p)}"])
    # HK: no trunk prefix, eight digits.
    n = r.choice(["912", "923", "935", "946", "613", "634", "651", "512", "523", "590"]) + f"{r.randint(0, 99999):05d}"
    return r.choice([f"{n[:4]} {n[4:]}", f"+852 {n[:4]} {n[4:]}", n])


FIRST = ["carol", "bob", "amelia", "zhang.wei", "li.na", "j.smith", "maria", "wang_fang", "tom"]
DOMAINS = ["example.com", "gmail.com", "163.com", "qq.com", "corp.co.uk", "mail.example.org", "outlook.de"]


def email(r):
    local = r.choice(FIRST) + r.choice(["", str(r.randint(1, 999)), "+crm", ".work"])
    e = f"{local}@{r.choice(DOMAINS)}"
    return e.upper() if r.random() < 0.05 else e


def decoys(r):
    """Numbers that are not personal data and must come through untouched."""
    y, m, d = r.randint(2019, 2026), r.randint(1, 12), r.randint(1, 28)
    return [
        f"ORD-{y}-{r.randint(0, 999999):06d}", f"#{r.randint(100000000, 999999999)}",
        f"INV-{y}{m:02d}{d:02d}-{r.randint(0, 9999):04d}", f"订单号{y}{m:02d}{d:02d}{r.randint(0, 9999999):07d}",
        f"¥{r.randint(1, 99)},{r.randint(0, 999):03d}.{r.randint(0, 99):02d}", f"${r.randint(1, 99)},000",
        f"€{r.randint(1, 999)}.{r.randint(0, 99):02d}", f"{r.randint(100, 99999)}元",
        f"{y}-{m:02d}-{d:02d}", f"{d:02d}/{m:02d}/{y}", f"{y}{m:02d}{d:02d}", f"{y}年{m}月{d}日",
        f"{r.randint(0, 23):02d}:{r.randint(0, 59):02d}", f"{r.randint(0, 23):02d}:{r.randint(0, 59):02d}:{r.randint(0, 59):02d}",
        r.choice(["SW1A 1AA", "EC1A 1BB", "100020", "200030", "10001", "10115", "75008", "10001-1234"]),
        f"1Z{r.randint(100, 999)}AA1{r.randint(0, 999999999):09d}{r.randint(0, 9999):04d}",
        f"SF{r.randint(0, 10**13 - 1):013d}", f"JD{r.randint(0, 10**13 - 1):013d}",
        f"9400 {r.randint(1000, 9999)} {r.randint(1000, 9999)} {r.randint(1000, 9999)} {r.randint(1000, 9999)} {r.randint(10, 99)}",
        f"GB{r.randint(10, 99)} NWBK {r.randint(1000, 9999)} {r.randint(1000, 9999)} {r.randint(1000, 9999)} {r.randint(10, 99)}",
        f"qty {r.randint(1, 20)}", f"{r.randint(1, 99)}.{r.randint(0, 99):02d}",
    ]


EN_WORDS = ["please", "call", "back", "about", "the", "order", "refund", "customer", "asked", "VIP", "note:"]
ZH_WORDS = ["请回电", "客户", "退款", "订单", "备注：", "联系", "已发货", "金额", "，", "。"]
BEFORE_ID = {"email": ["email", "mail:", "邮箱", "e-mail", "contact"], "phone": ["tel", "mobile", "手机", "电话：", "Tel:", "call"],
             "resident_id": ["身份证", "ID", "证件号", "身份证号："]}


def note(r, country, own_email, own_phone):
    parts, ids, looks = [], [], []
    zh = country == "CN" or r.random() < 0.2
    for _ in range(r.randint(0, 3)):
        kind = r.choices(["email", "phone", "resident_id"], [4, 5, 1 if country != "CN" else 3])[0]
        if kind == "email":
            v = own_email if r.random() < 0.5 else email(r)
        elif kind == "phone":
            v = own_phone if r.random() < 0.5 else phone(r, country)
        else:
            v = resident_id(r)
        ids.append({"kind": kind, "value": v})
        parts.append(("id", r.choice(BEFORE_ID[kind]), v))
    for _ in range(r.randint(1, 4)):
        v = r.choice(decoys(r))
        looks.append(v)
        parts.append(("decoy", "", v))
    for _ in range(r.randint(1, 5)):
        parts.append(("word", "", r.choice(ZH_WORDS if zh else EN_WORDS)))
    r.shuffle(parts)
    out = []
    for what, label, v in parts:
        if what == "id" and r.random() < 0.6:
            # Chinese labels are written straight before the number; others with a space.
            out.append(label + ("" if not label.isascii() else " ") + v)
        else:
            out.append(v)
    seps = [" ", " ", " ", ", ", "; ", "，", " / "]
    text = out[0] if out else ""
    for piece in out[1:]:
        text += r.choice(seps) + piece
    return text, ids, looks


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    r = random.Random(a.seed)
    os.makedirs(a.out, exist_ok=True)
    with open(os.path.join(a.out, "notes.csv"), "w", newline="", encoding="utf-8") as f, \
            open(os.path.join(a.out, "labels.jsonl"), "w", encoding="utf-8") as lab:
        w = csv.writer(f)
        w.writerow(["id", "country", "email", "mobile", "notes"])
        for i in range(a.rows):
            country = r.choices(["CN", "GB", "US", "HK", "DE", "FR"], [5, 3, 3, 1, 1, 1])[0]
            own_email, own_phone = email(r), phone(r, country)
            text, ids, looks = note(r, country, own_email, own_phone)
            w.writerow([f"C{i + 1:06d}", country, own_email, own_phone, text])
            lab.write(json.dumps({"id": f"C{i + 1:06d}", "identifiers": ids, "lookalikes": looks,
                                  "own_email": own_email, "own_phone": own_phone}, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
