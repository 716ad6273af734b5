#!/usr/bin/env python3
"""Streaming generator of a large international customer list with planted fuzzy duplicates and its truth.

    python3 bench/scale/gen_scale.py --rows 10000000 --out bench/data/scale_10m.csv \
        --truth bench/data/scale_10m_truth.csv

The list #19 is measured on: customers from GB, US, DE, FR, AU, CA, SG and CN (Latin-script names), 10 % of rows
fuzzy duplicates of another row's person, without households or look-alikes. Names and addresses are as varied
as a real list's: half the family names come from the 300 most common, the rest from a long tail of ~160,000
compounds (15 % of given names likewise), and streets are 1,000-3,000 names per country with house numbers up to
4,000, so a street address is shared by few people. Each duplicate gets one or two of
a typo in the name, a case change, a re-formatted phone, a re-cased email, one emptied field (email, phone or
birth date, never two). Constant memory: rows pass through a shuffle buffer, so a person's records land
apart but within ~200,000 rows of each other; ids (C000000123) do not reveal the person. Truth: id,entity.
Deterministic for a given --seed; about 150 bytes a row, ~1M rows per 15 s.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import time

GIVEN = ("James Mary John Patricia Robert Jennifer Michael Linda William Elizabeth David Barbara Richard Susan "
         "Joseph Jessica Thomas Sarah Charles Karen Daniel Nancy Matthew Lisa Anthony Betty Mark Margaret Donald "
         "Sandra Steven Ashley Paul Kimberly Andrew Emily Joshua Donna Kenneth Michelle Kevin Dorothy Brian Carol "
         "George Amanda Timothy Melissa Ronald Deborah Edward Stephanie Jason Rebecca Jeffrey Sharon Ryan Laura "
         "Jacob Cynthia Gary Kathleen Nicholas Amy Eric Angela Jonathan Shirley Stephen Anna Larry Brenda Justin "
         "Pamela Scott Emma Brandon Nicole Benjamin Helen Samuel Samantha Gregory Katherine Alexander Christine "
         "Frank Debra Patrick Rachel Raymond Carolyn Jack Janet Dennis Catherine Jerry Maria Tyler Heather Aaron "
         "Diane Jose Ruth Adam Julie Nathan Olivia Henry Joyce Douglas Virginia Zachary Victoria Peter Kelly Kyle "
         "Lauren Ethan Christina Walter Joan Noah Evelyn Jeremy Judith Christian Megan Keith Andrea Roger Cheryl "
         "Terry Hannah Gerald Jacqueline Harold Martha Sean Gloria Austin Teresa Carl Ann Arthur Sara Lawrence "
         "Madison Dylan Frances Jesse Kathryn Jordan Janice Bryan Jean Billy Abigail Joe Alice Bruce Julia Gabriel "
         "Judy Logan Sophia Albert Grace Willie Denise Alan Amber Juan Doris Wayne Marilyn Elijah Danielle Randy "
         "Beverly Roy Isabella Vincent Theresa Ralph Diana Eugene Natalie Russell Brittany Bobby Charlotte Mason "
         "Marie Philip Kayla Louis Alexis Wei Fang Min Jing Lei Jun Yang Yong Jie Tao Ming Chao Hua Yu Wen Ting "
         "Hao Xin Yi Jia Hans Greta Lukas Lena Jonas Mia Felix Lea Pierre Camille Louis Chloe Hugo Manon").split()
SURNAMES = ("Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez Gonzalez "
            "Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White Harris Sanchez Clark "
            "Ramirez Lewis Robinson Walker Young Allen King Wright Scott Torres Nguyen Hill Flores Green Adams "
            "Nelson Baker Hall Rivera Campbell Mitchell Carter Roberts Gomez Phillips Evans Turner Diaz Parker "
            "Cruz Edwards Collins Reyes Stewart Morris Morales Murphy Cook Rogers Gutierrez Ortiz Morgan Cooper "
            "Peterson Bailey Reed Kelly Howard Ramos Kim Cox Ward Richardson Watson Brooks Chavez Wood James Bennett "
            "Gray Mendoza Ruiz Hughes Price Alvarez Castillo Sanders Patel Myers Long Ross Foster Jimenez Powell "
            "Jenkins Perry Russell Sullivan Bell Coleman Butler Henderson Barnes Gonzales Fisher Vasquez Simmons "
            "Romero Jordan Patterson Alexander Hamilton Graham Reynolds Griffin Wallace Moreno West Cole Hayes "
            "Bryant Herrera Gibson Ellis Tran Medina Aguilar Stevens Murray Ford Castro Marshall Owens Harrison "
            "Fernandez McDonald Woods Washington Kennedy Wells Vargas Henry Chen Freeman Webb Tucker Guzman Burns "
            "Crawford Olson Simpson Porter Hunter Gordon Mendez Silva Shaw Snyder Mason Dixon Munoz Hunt Hicks "
            "Holmes Palmer Wagner Black Robertson Boyd Rose Stone Salazar Fox Warren Mills Meyer Rice Schmidt Garza "
            "Daniels Ferguson Nichols Stephens Soto Weaver Ryan Gardner Payne Grant Dunn Kelley Spencer Hawkins "
            "Arnold Pierce Vazquez Hansen Peters Santos Hart Bradley Knight Elliott Cunningham Duncan Armstrong "
            "Hudson Carroll Lane Riley Andrews Alvarado Ray Delgado Berry Perkins Hoffman Johnston Matthews Pena "
            "Richards Contreras Willis Carpenter Lawrence Sandoval Wang Li Zhang Liu Huang Zhao Wu Zhou Xu Sun "
            "Muller Schneider Fischer Weber Becker Schulz Dubois Durand Lefebvre Moreau Laurent Tan Lim Ng Ong").split()
STREET_STEMS = ("Oak Maple Cedar Elm Pine Birch Willow Ash Beech Chestnut Hazel Holly Laurel Poplar Rowan Spruce "
                "Church Mill Station School Park Bridge Castle Manor Abbey Priory Grange Farm Meadow Orchard Garden "
                "Victoria Albert George Queen King Prince Princess Windsor York Lancaster Warwick Kent Essex Surrey "
                "Market Chapel Water Spring Well Brook River Lake Forest Wood Hill Valley Field Green Common Heath "
                "North South East West Upper Lower New Old High Long Broad Narrow Fair Grand Royal Union Liberty "
                "Washington Lincoln Jefferson Madison Franklin Jackson Monroe Adams Hamilton Grant Wilson Harrison "
                "Goethe Schiller Mozart Beethoven Bismarck Kant Luther Humboldt Lessing Heine Brahms Bach Wagner "
                "Voltaire Rousseau Moliere Pasteur Curie Hugo Zola Balzac Jaures Gambetta Foch Joffre Clemenceau "
                "Orchard Tanjong Bukit Jurong Serangoon Changi Bedok Tampines Clementi Toa Payoh Novena Geylang "
                "Nanjing Huaihai Zhongshan Renmin Jiefang Heping Xinhua Yanan Beijing Hubin Wenyi Tianmu Jianguo "
                "Acacia Alder Aspen Bay Cherry Cypress Dogwood Fir Hawthorn Juniper Linden Magnolia Mulberry Myrtle "
                "Sycamore Walnut Yew Primrose Daisy Lilac Lavender Rose Ivy Fern Heather Clover Thistle Bramble "
                "Kingfisher Heron Swallow Robin Wren Falcon Eagle Raven Lark Finch Sparrow Dove Swan Kestrel Osprey "
                "Ashford Bedford Belmont Carlton Chester Clifton Denton Elmwood Fairview Glendale Hampton Kingston "
                "Langley Marlow Newport Oakland Preston Richmond Sheffield Stanley Trenton Wembley Weston Whitby").split()
STREET_KINDS = {"GB": "Street Road Lane Avenue Close Drive Way Crescent Grove Place Gardens Terrace Mews Rise".split(),
                "US": "Street Avenue Road Boulevard Drive Lane Court Place Way Parkway Terrace Circle Trail".split(),
                "CA": "Street Avenue Road Boulevard Drive Crescent Court Place Way Gate".split(),
                "AU": "Street Road Avenue Parade Drive Crescent Place Close Terrace Highway Grove".split(),
                "DE": "strasse weg allee platz ring gasse damm ufer".split(),
                "FR": ["Rue", "Avenue", "Boulevard", "Place", "Impasse", "Allee", "Chemin", "Quai"],
                "SG": "Road Avenue Street Drive Crescent Walk Close Rise Link".split(),
                "CN": "Lu Jie Dadao Xiang Hutong".split()}
# The long tail of family names (a real list's top 300 names cover about half its people): syllable compounds.
SYL_A = "Ab Al Am An Ar As Bal Bar Bel Ber Bor Bran Bur Cal Car Cas Dal Dan Del Dor Dun El Em En Fal Far Fen Gal " \
        "Gar Gil Gor Hal Har Hel Hol Kal Kar Kel Kim Lan Lar Lin Lor Mal Mar Mel Mor Nal Nor Or Pal Par Pen Quin " \
        "Ral Ran Rob Ros Sal San Sel Sor Tal Tan Tor Val Van Vel Wal War Wen Win Yor Zan Zel"
SYL_B = "ba be bi bo da de di do ga ge gi go ka ke ki ko la le li lo ma me mi mo na ne ni no ra re ri ro sa se si " \
        "so ta te ti to va ve vi wa we wi za ze"
SYL_C = "berg bury by dale den don er ers ett ey field ford gan gate ham hart hurst ick ing ins kin ley lin low " \
        "man mer more ner ney ock ridge ron sen ski son stein ston ter ton vich well wick win worth"
TAIL = [a + b + c for a in SYL_A.split() for b in [""] + SYL_B.split() for c in SYL_C.split()]
GIVEN_TAIL = [a + b + c for a in SYL_A.split() for b in SYL_B.split() for c in "a an el en ia ie in o on us y".split()]


def street(r: random.Random, country: str) -> str:
    stem, kind = r.choice(STREET_STEMS), r.choice(STREET_KINDS[country])
    n = r.randint(1, 400) if r.random() < 0.9 else r.randint(401, 4000)
    if country == "DE":
        return f"{stem}{kind} {n}"
    if country == "FR":
        return f"{n} {kind} {stem}"
    return f"{n} {stem} {kind}"


# country, calling code, cities with postcode makers, national phone pattern
def _gb(r): return f"{r.choice('SW NW SE EC W E N M B L'.split())}{r.randint(1, 20)} {r.randint(1, 9)}{r.choice('ABDEFGHJ')}{r.choice('LNPQRSTU')}"
def _us(r): return f"{r.randint(10000, 99950):05d}"
def _de(r): return f"{r.randint(10115, 99998):05d}"
def _fr(r): return f"{r.randint(10000, 95999):05d}"
def _au(r): return f"{r.randint(2000, 7999)}"
def _ca(r): return f"{r.choice('KLMNT')}{r.randint(1, 9)}{r.choice('ABCEGHJ')} {r.randint(1, 9)}{r.choice('ABCEGHJ')}{r.randint(1, 9)}"
def _sg(r): return f"{r.randint(10000, 829999):06d}"
def _cn(r): return f"{r.randint(100000, 850000):06d}"
COUNTRIES = [
    ("GB", "44", ["London", "Manchester", "Leeds", "Bristol", "Glasgow"], _gb, lambda r: f"7{r.randint(100000000, 999999999)}", 0.2),
    ("US", "1", ["New York", "Chicago", "Houston", "Phoenix", "Seattle"], _us, lambda r: f"{r.choice([212, 312, 415, 617, 713, 206])}{r.randint(2000000, 9999999)}", 0.25),
    ("DE", "49", ["Berlin", "Hamburg", "Munich", "Cologne"], _de, lambda r: f"15{r.randint(100000000, 999999999)}", 0.1),
    ("FR", "33", ["Paris", "Lyon", "Marseille", "Toulouse"], _fr, lambda r: f"6{r.randint(10000000, 99999999)}", 0.1),
    ("AU", "61", ["Sydney", "Melbourne", "Brisbane", "Perth"], _au, lambda r: f"4{r.randint(10000000, 99999999)}", 0.1),
    ("CA", "1", ["Toronto", "Montreal", "Vancouver", "Calgary"], _ca, lambda r: f"{r.choice([416, 514, 604, 403])}{r.randint(2000000, 9999999)}", 0.1),
    ("SG", "65", ["Singapore"], _sg, lambda r: f"{r.choice([8, 9])}{r.randint(1000000, 9999999)}", 0.05),
    ("CN", "86", ["Shanghai", "Beijing", "Shenzhen", "Hangzhou"], _cn, lambda r: f"1{r.choice([38, 39, 50, 58, 86, 88])}{r.randint(10000000, 99999999)}", 0.1),
]
WEIGHTS = [c[5] for c in COUNTRIES]
DOMAINS = ["gmail.com", "outlook.com", "yahoo.com", "icloud.com", "hotmail.co.uk", "web.de", "orange.fr", "qq.com"]
HEADER = ["id", "name", "email", "mobile", "birth_date", "address", "city", "postcode", "country",
          "signup_date", "last_purchase_date", "total_spend", "orders"]


def person(r: random.Random, n: int) -> dict:
    c = r.choices(COUNTRIES, WEIGHTS)[0]
    given = r.choice(GIVEN) if r.random() < 0.85 else r.choice(GIVEN_TAIL)
    family = r.choice(SURNAMES) if r.random() < 0.5 else r.choice(TAIL)
    y = r.randint(1940, 2005)
    signup = f"{r.randint(2015, 2025)}-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}"
    return {
        "name": f"{given} {family}",
        # The number makes email and phone unique per person.
        "email": f"{given.lower()}.{family.lower()}{n % 100000}@{r.choice(DOMAINS)}",
        "mobile": f"+{c[1]}{c[4](r)}",
        "birth_date": f"{y}-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}",
        "address": street(r, c[0]),
        "city": r.choice(c[2]),
        "postcode": c[3](r),
        "country": c[0],
        "signup_date": signup,
        "last_purchase_date": f"{r.randint(2024, 2026)}-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}",
        "total_spend": f"{r.randint(0, 500000) / 100:.2f}",
        "orders": str(r.randint(0, 60)),
    }


def typo(r: random.Random, s: str) -> str:
    i = r.randrange(1, len(s) - 1)
    k = r.random()
    if k < 0.3:
        return s[:i] + s[i + 1:]                      # deletion
    if k < 0.6:
        return s[:i] + s[i + 1] + s[i] + s[i + 2:]    # transposition
    if k < 0.8:
        return s[:i] + r.choice("aeiourstln") + s[i + 1:]   # substitution
    return s[:i] + s[i] + s[i:]                        # doubled letter


def reformat_phone(r: random.Random, p: str) -> str:
    cc = next(c[1] for c in COUNTRIES if p.startswith("+" + c[1]))
    nat = p[1 + len(cc):]
    k = r.random()
    if k < 0.4:
        return f"+{cc} {nat[:3]} {nat[3:6]} {nat[6:]}"
    if k < 0.7:
        return f"00{cc}-{nat}"
    return f"({cc}) {nat[:4]}-{nat[4:]}"


def duplicate(r: random.Random, p: dict) -> dict:
    d = dict(p)
    changes = r.sample(["typo", "case", "phone", "email", "empty"], r.choice((1, 1, 2)))
    for ch in changes:
        if ch == "typo":
            given, family = d["name"].split(" ", 1)
            if r.random() < 0.5 and len(given) > 3:
                given = typo(r, given)
            elif len(family) > 3:
                family = typo(r, family)
            d["name"] = f"{given} {family}"
        elif ch == "case":
            d["name"] = r.choice((d["name"].upper(), d["name"].lower()))
        elif ch == "phone" and d["mobile"]:
            d["mobile"] = reformat_phone(r, d["mobile"])
        elif ch == "email" and d["email"]:
            d["email"] = d["email"].capitalize() if r.random() < 0.5 else d["email"].upper()
        elif ch == "empty":
            d[r.choice(("email", "mobile", "birth_date"))] = ""
    return d


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=10_000_000)
    ap.add_argument("--dup-rate", type=float, default=0.1)
    ap.add_argument("--seed", type=int, default=19)
    ap.add_argument("--out", required=True)
    ap.add_argument("--truth", required=True)
    ap.add_argument("--buffer", type=int, default=200_000, help="shuffle buffer (rows)")
    a = ap.parse_args()
    r = random.Random(a.seed)
    t0 = time.time()
    width = len(str(a.rows)) + 1
    buf: list[tuple[int, dict]] = []
    written = 0
    entities = 0
    dups = 0
    with open(a.out, "w", newline="", encoding="utf-8") as f, open(a.truth, "w", newline="", encoding="utf-8") as t:
        w, tw = csv.writer(f, lineterminator="\n"), csv.writer(t, lineterminator="\n")
        w.writerow(HEADER)
        tw.writerow(["id", "entity"])

        def emit(item: tuple[int, dict]) -> None:
            nonlocal written
            written += 1
            ent, rec = item
            rid = f"C{written:0{width}d}"
            w.writerow([rid] + [rec[h] for h in HEADER[1:]])
            tw.writerow([rid, f"E{ent}"])

        while written + len(buf) < a.rows:
            p = person(r, entities)
            recs = [p]
            if r.random() < a.dup_rate / (1 - a.dup_rate):
                recs.append(duplicate(r, p))
            for rec in recs[: a.rows - written - len(buf)]:
                buf.append((entities, rec))
                dups += rec is not p
            entities += 1
            while len(buf) > a.buffer:
                i = r.randrange(len(buf))
                buf[i], buf[-1] = buf[-1], buf[i]
                emit(buf.pop())
        r.shuffle(buf)
        for item in buf:
            emit(item)
    print(f"{a.out}: {written} records, {entities} people, {dups} duplicates ({dups / max(written, 1):.1%}), "
          f"{time.time() - t0:.0f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
