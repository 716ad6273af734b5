#!/usr/bin/env python3
"""Seeded generator of customer lists with planted duplicates and ground truth, for `steward dedupe`.

    bench/.venv/bin/python bench/dedupe/gen_dedupe.py --flavor intl --n 5000 --dup-rate 0.2 \
        --seed 7 --out bench/data/dd_intl_5k.csv --truth bench/data/dd_intl_5k_truth.csv

Flavors: intl (GB/US/AU customers), cn (Chinese customers, with resident_id), mix (about half each).
--dup-rate is the share of output rows that are duplicates (not the first record of their entity).

Ground truth: every output row belongs to exactly one entity (a person); the truth file maps row id ->
entity id. Each record of a person is rendered from the person's data with its own random blanks
(email 8 %, phone 5 %, birth date 5 %, resident id 30 %); duplicates also get 1-3 planted variations
(typos, nicknames, initials, swapped names, married name, homophones, traditional characters, pinyin,
birth date typos or day/month swaps, phone formats, moves, new phone/email, extra blanks). Every pair of
records of one entity shares at least two pieces of evidence (name-ish, birth date, email, phone,
resident id, address); otherwise the variations are redrawn (after 8 tries: a plain re-formatted copy).
Hard negatives are separate entities that look alike on purpose: twins, father and son with the same
name at one address, household members sharing address + phone or email, and groups of people with very
common names in one city; their duplicates only get name variations that keep them distinguishable,
and must share a distinguishing field. Emails and phones are unique per person unless shared on purpose.
Rows are shuffled; ids (C0000123) do not reveal the entity.
"""

from __future__ import annotations

import argparse
import collections
import csv
import datetime as dt
import itertools
import random
import string
import sys
import time

# ---------------------------------------------------------------------------------------------------
# Pools: international
# ---------------------------------------------------------------------------------------------------
NICK = {  # formal given name -> nicknames
    "Robert": ["Bob", "Rob", "Bobby"], "William": ["Bill", "Will", "Billy"], "James": ["Jim", "Jimmy", "Jamie"],
    "Michael": ["Mike", "Mick"], "Thomas": ["Tom", "Tommy"], "Richard": ["Rick", "Dick", "Rich"],
    "Joseph": ["Joe", "Joey"], "Charles": ["Charlie", "Chuck"], "Daniel": ["Dan", "Danny"],
    "Matthew": ["Matt"], "Anthony": ["Tony"], "Christopher": ["Chris"], "Edward": ["Ed", "Ted", "Eddie"],
    "Benjamin": ["Ben"], "Nicholas": ["Nick"], "Andrew": ["Andy", "Drew"], "Alexander": ["Alex"],
    "Steven": ["Steve"], "Jonathan": ["Jon"], "David": ["Dave"], "Peter": ["Pete"], "Samuel": ["Sam"],
    "Henry": ["Harry", "Hank"], "John": ["Jack", "Johnny"],
    "Elizabeth": ["Liz", "Beth", "Betty", "Lizzie"], "Katherine": ["Kate", "Kathy", "Katie"],
    "Margaret": ["Maggie", "Meg", "Peggy"], "Jennifer": ["Jen", "Jenny"], "Patricia": ["Pat", "Patty", "Trish"],
    "Susan": ["Sue", "Susie"], "Deborah": ["Deb", "Debbie"], "Rebecca": ["Becky", "Becca"],
    "Jessica": ["Jess", "Jessie"], "Victoria": ["Vicky", "Tori"], "Christine": ["Chrissy", "Tina"],
    "Samantha": ["Sam", "Sammy"], "Alexandra": ["Alex", "Sasha"], "Abigail": ["Abby"], "Barbara": ["Barb"],
    "Kimberly": ["Kim"], "Amanda": ["Mandy"],
}
GIVEN_M = ["Robert", "William", "James", "Michael", "Thomas", "Richard", "Joseph", "Charles", "Daniel",
           "Matthew", "Anthony", "Christopher", "Edward", "Benjamin", "Nicholas", "Andrew", "Alexander",
           "Steven", "Jonathan", "David", "Peter", "Samuel", "Henry", "John", "Oliver", "Liam", "Noah",
           "Ethan", "George", "Lucas", "Ryan", "Adam", "Mark", "Paul", "Kevin", "Brian", "Jason", "Eric",
           "Carlos", "Juan", "Luis", "Ahmed", "Omar", "Raj", "Arjun", "Connor", "Sean", "Patrick", "Hugo",
           "Leon", "Marco", "Ivan", "Aaron", "Dylan", "Owen", "Callum", "Jacob", "Nathan", "Tyler", "Felix"]
GIVEN_F = ["Elizabeth", "Katherine", "Margaret", "Jennifer", "Patricia", "Susan", "Deborah", "Rebecca",
           "Jessica", "Victoria", "Christine", "Samantha", "Alexandra", "Abigail", "Barbara", "Kimberly",
           "Amanda", "Mary", "Maria", "Emma", "Olivia", "Sophia", "Isabella", "Mia", "Charlotte", "Amelia",
           "Grace", "Chloe", "Laura", "Sarah", "Anna", "Lucy", "Hannah", "Priya", "Fatima", "Ana", "Sofia",
           "Emily", "Ella", "Ava", "Zoe", "Ruby", "Holly", "Megan", "Niamh", "Aisha", "Leah", "Julia",
           "Rachel", "Helen", "Claire", "Fiona", "Nina", "Eva", "Lily", "Isla", "Freya", "Erin", "Naomi"]
FAMILY = ["Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez",
          "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore",
          "Jackson", "Martin", "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark", "Ramirez",
          "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright", "Scott", "Torres", "Nguyen",
          "Hill", "Flores", "Green", "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell",
          "Carter", "Roberts", "Evans", "Turner", "Phillips", "Parker", "Collins", "Edwards", "Stewart",
          "Morris", "Murphy", "Cook", "Rogers", "Morgan", "Cooper", "Peterson", "Reed", "Bailey", "Bell",
          "Kelly", "Howard", "Ward", "Cox", "Richardson", "Wood", "Watson", "Brooks", "Bennett", "Gray",
          "Hughes", "Price", "Sanders", "Myers", "Long", "Ross", "Foster", "O'Connor", "O'Brien", "McDonald",
          "MacLeod", "Fitzgerald", "Sullivan", "Patel", "Shah", "Khan", "Ali", "Singh", "Kowalski", "Novak",
          "Schmidt", "Muller", "Rossi", "Russo", "Silva", "Santos", "Costa", "Dubois", "Laurent", "Jansen",
          "de Vries", "van Dijk", "Larsen", "Hansen", "Nielsen", "Andersson", "Murray", "Graham", "Hamilton",
          "Fletcher", "Chapman", "Hart", "Lloyd", "Owen", "Hughes-Jones", "Doyle", "Byrne", "Walsh", "Kaur"]
COMMON_INTL = [("John", "Smith", "M"), ("Maria", "Garcia", "F"), ("James", "Smith", "M"),
               ("Michael", "Johnson", "M"), ("David", "Brown", "M"), ("Mary", "Jones", "F"),
               ("Maria", "Rodriguez", "F"), ("Sarah", "Williams", "F")]
STREETS = ["High", "Church", "Station", "Park", "Victoria", "Green", "Manor", "Mill", "King", "Queen",
           "Oak", "Maple", "Cedar", "Elm", "Pine", "Main", "Washington", "Lake", "Hill", "Sunset", "River",
           "Bridge", "Albert", "George", "Chapel", "School", "Windsor", "York", "Cambridge", "Highland"]
SUFFIX = ["Street", "Road", "Avenue", "Lane", "Drive", "Close", "Way", "Court"]
# country -> (cities [(city, province, postcode maker key)], mail domains, weight)
INTL_CITIES = {
    "GB": [("London", "England", ["SW1A", "E1", "N1", "SE1", "W2", "NW3", "EC2A", "WC1"]),
           ("Manchester", "England", ["M1", "M4", "M14", "M20"]), ("Birmingham", "England", ["B1", "B15", "B29"]),
           ("Leeds", "England", ["LS1", "LS6", "LS11"]), ("Glasgow", "Scotland", ["G1", "G12", "G41"]),
           ("Bristol", "England", ["BS1", "BS8"]), ("Edinburgh", "Scotland", ["EH1", "EH3", "EH10"]),
           ("Cardiff", "Wales", ["CF10", "CF24"])],
    "US": [("New York", "NY", 10001), ("Los Angeles", "CA", 90001), ("Chicago", "IL", 60601),
           ("Houston", "TX", 77001), ("Phoenix", "AZ", 85001), ("Seattle", "WA", 98101),
           ("Boston", "MA", 2108), ("Denver", "CO", 80202), ("Atlanta", "GA", 30301)],
    "AU": [("Sydney", "NSW", 2000), ("Melbourne", "VIC", 3000), ("Brisbane", "QLD", 4000),
           ("Perth", "WA", 6000), ("Adelaide", "SA", 5000)],
}
INTL_MAIL = {"GB": ["gmail.com", "outlook.com", "btinternet.com", "yahoo.co.uk", "hotmail.co.uk"],
             "US": ["gmail.com", "yahoo.com", "outlook.com", "icloud.com", "comcast.net"],
             "AU": ["gmail.com", "bigpond.com", "outlook.com", "optusnet.com.au"]}
INTL_COUNTRIES = ["GB", "GB", "US", "US", "AU"]

# ---------------------------------------------------------------------------------------------------
# Pools: Chinese
# ---------------------------------------------------------------------------------------------------
# (simplified, pinyin, traditional)
CN_SUR = [("王", "wang", "王"), ("李", "li", "李"), ("张", "zhang", "張"), ("刘", "liu", "劉"), ("陈", "chen", "陳"),
          ("杨", "yang", "楊"), ("黄", "huang", "黃"), ("赵", "zhao", "趙"), ("吴", "wu", "吳"), ("周", "zhou", "周"),
          ("徐", "xu", "徐"), ("孙", "sun", "孫"), ("马", "ma", "馬"), ("朱", "zhu", "朱"), ("胡", "hu", "胡"),
          ("郭", "guo", "郭"), ("何", "he", "何"), ("高", "gao", "高"), ("林", "lin", "林"), ("罗", "luo", "羅"),
          ("郑", "zheng", "鄭"), ("梁", "liang", "梁"), ("谢", "xie", "謝"), ("宋", "song", "宋"), ("唐", "tang", "唐"),
          ("许", "xu", "許"), ("韩", "han", "韓"), ("冯", "feng", "馮"), ("邓", "deng", "鄧"), ("曹", "cao", "曹"),
          ("彭", "peng", "彭"), ("曾", "zeng", "曾"), ("肖", "xiao", "蕭"), ("田", "tian", "田"), ("董", "dong", "董"),
          ("袁", "yuan", "袁"), ("潘", "pan", "潘"), ("蒋", "jiang", "蔣"), ("蔡", "cai", "蔡"), ("叶", "ye", "葉"),
          ("苏", "su", "蘇"), ("魏", "wei", "魏"), ("吕", "lv", "呂"), ("丁", "ding", "丁"), ("沈", "shen", "沈"),
          ("欧阳", "ouyang", "歐陽"), ("司马", "sima", "司馬")]
CN_SUR_POOL = [s for i, s in enumerate(CN_SUR) for _ in range(max(1, 40 - i))]  # common surnames more frequent
# (simplified, pinyin, traditional, gender tendency m/f/n)
CN_GIVEN = [("伟", "wei", "偉", "m"), ("芳", "fang", "芳", "f"), ("娜", "na", "娜", "f"), ("敏", "min", "敏", "f"),
            ("静", "jing", "靜", "f"), ("丽", "li", "麗", "f"), ("强", "qiang", "強", "m"), ("磊", "lei", "磊", "m"),
            ("军", "jun", "軍", "m"), ("洋", "yang", "洋", "m"), ("勇", "yong", "勇", "m"), ("艳", "yan", "艷", "f"),
            ("杰", "jie", "傑", "m"), ("涛", "tao", "濤", "m"), ("明", "ming", "明", "m"), ("超", "chao", "超", "m"),
            ("霞", "xia", "霞", "f"), ("平", "ping", "平", "n"), ("华", "hua", "華", "n"), ("玉", "yu", "玉", "f"),
            ("文", "wen", "文", "n"), ("婷", "ting", "婷", "f"), ("浩", "hao", "浩", "m"), ("宇", "yu", "宇", "m"),
            ("欣", "xin", "欣", "f"), ("怡", "yi", "怡", "f"), ("佳", "jia", "佳", "n"), ("俊", "jun", "俊", "m"),
            ("晓", "xiao", "曉", "n"), ("海", "hai", "海", "m"), ("红", "hong", "紅", "f"), ("建", "jian", "建", "m"),
            ("国", "guo", "國", "m"), ("志", "zhi", "志", "m"), ("鹏", "peng", "鵬", "m"), ("辉", "hui", "輝", "m"),
            ("琳", "lin", "琳", "f"), ("雪", "xue", "雪", "f"), ("梅", "mei", "梅", "f"), ("兰", "lan", "蘭", "f"),
            ("斌", "bin", "斌", "m"), ("波", "bo", "波", "m"), ("宁", "ning", "寧", "n"), ("思", "si", "思", "n"),
            ("子", "zi", "子", "n"), ("涵", "han", "涵", "n"), ("博", "bo", "博", "m"), ("鑫", "xin", "鑫", "m"),
            ("娟", "juan", "娟", "f"), ("慧", "hui", "慧", "f"), ("颖", "ying", "穎", "f"), ("丹", "dan", "丹", "f"),
            ("龙", "long", "龍", "m"), ("飞", "fei", "飛", "m"), ("嘉", "jia", "嘉", "n"), ("婉", "wan", "婉", "f")]
CN_GIVEN_M = [g for g in CN_GIVEN if g[3] in "mn"]
CN_GIVEN_F = [g for g in CN_GIVEN if g[3] in "fn"]
# Same-pinyin characters people confuse in given names.
HOMOPHONE = {"伟": "玮炜", "静": "婧", "丽": "莉俐", "琳": "林霖", "婷": "亭", "杰": "洁", "华": "桦", "明": "铭",
             "军": "君钧", "洋": "阳", "娟": "鹃", "宇": "雨羽", "欣": "馨心", "怡": "仪宜", "佳": "嘉", "嘉": "佳",
             "涛": "滔", "敏": "旻", "慧": "惠", "颖": "莹", "辉": "晖", "鹏": "朋", "梅": "玫", "芳": "方",
             "斌": "彬", "龙": "隆", "飞": "菲", "强": "蔷", "磊": "蕾", "平": "萍", "文": "雯", "海": "海"}
HOMOPHONE = {k: v for k, v in HOMOPHONE.items() if v != k}
TRAD = {s: t for s, _, t in CN_SUR} | {g[0]: g[2] for g in CN_GIVEN}
COMMON_CN = [("张", "伟", "m"), ("王", "芳", "f"), ("李", "娜", "f"), ("王", "伟", "m"), ("李", "伟", "m"),
             ("张", "敏", "f"), ("刘", "洋", "m"), ("王", "静", "f")]
# city, province, [(district, ID area code, postcode)]
CN_CITIES = [
    ("北京市", "北京市", [("朝阳区", "110105", "100020"), ("海淀区", "110108", "100080"), ("东城区", "110101", "100010")]),
    ("上海市", "上海市", [("徐汇区", "310104", "200030"), ("浦东新区", "310115", "200120"), ("静安区", "310106", "200040")]),
    ("广州市", "广东省", [("天河区", "440106", "510630"), ("越秀区", "440104", "510030")]),
    ("深圳市", "广东省", [("南山区", "440305", "518052"), ("福田区", "440304", "518033")]),
    ("杭州市", "浙江省", [("西湖区", "330106", "310013"), ("上城区", "330102", "310002")]),
    ("成都市", "四川省", [("武侯区", "510107", "610041"), ("锦江区", "510104", "610021")]),
    ("武汉市", "湖北省", [("武昌区", "420106", "430061"), ("洪山区", "420111", "430070")]),
    ("南京市", "江苏省", [("玄武区", "320102", "210018"), ("鼓楼区", "320106", "210009")]),
    ("西安市", "陕西省", [("雁塔区", "610113", "710061"), ("碑林区", "610103", "710001")]),
    ("天津市", "天津市", [("和平区", "120101", "300041"), ("南开区", "120104", "300100")]),
    ("重庆市", "重庆市", [("渝中区", "500103", "400010"), ("江北区", "500105", "400020")]),
    ("苏州市", "江苏省", [("姑苏区", "320508", "215002"), ("吴中区", "320506", "215128")]),
]
CN_STREETS = ["人民路", "中山路", "解放路", "建设路", "和平路", "长安街", "淮海中路", "深南大道", "文三路", "学院路",
              "复兴路", "南京西路", "天府大道", "珞喻路", "北京东路", "科技园路", "滨江路", "长江路", "黄河路", "光明街"]
CN_MAIL = ["163.com", "126.com", "qq.com", "sina.com", "foxmail.com", "gmail.com", "139.com"]
CN_PREFIX = ["130", "131", "132", "135", "136", "137", "138", "139", "150", "151", "152", "158", "159", "177",
             "180", "186", "187", "188", "189", "199"]

PHONE_STYLES = {"CN": 6, "GB": 5, "US": 5, "AU": 4}  # formats fmt_phone knows per country
ID_W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
ID_CHECK = "10X98765432"

# Variation types and weights per flavor; at most one per group in a duplicate.
VARIATIONS = {
    "intl": {"name_typo": 12, "name_swap": 8, "initials": 7, "nickname": 10, "married": 5, "name_case": 3,
             "dob_typo": 7, "dob_swap": 5, "phone_format": 14, "new_phone": 6, "email_typo": 5,
             "new_email": 6, "moved": 10, "addr_typo": 4, "missing": 10},
    "cn": {"homophone": 10, "traditional": 9, "pinyin": 12, "pinyin_typo": 4, "dob_typo": 7, "dob_swap": 4,
           "phone_format": 14, "new_phone": 6, "email_typo": 6, "new_email": 6, "moved": 10, "addr_typo": 4,
           "missing": 10},
}
GROUP = {"name_typo": "name", "name_swap": "name", "initials": "name", "nickname": "name", "married": "name",
         "name_case": "name", "homophone": "name", "traditional": "name", "pinyin": "name",
         "pinyin_typo": "name", "dob_typo": "dob", "dob_swap": "dob", "phone_format": "phone",
         "new_phone": "phone", "email_typo": "email", "new_email": "email", "moved": "addr",
         "addr_typo": "addr", "missing": "missing"}
# Name variations that keep a relative (twin, Jr., household member) unmistakable.
SAFE_FOR_RELATIVES = {"name_swap", "name_case", "traditional", "pinyin"}
EVIDENCE = ("name", "dob", "email", "phone", "rid", "addr")

D0 = dt.date(1940, 1, 1)
# Per-record missingness (every record, base or duplicate, leaves these blank independently).
BLANK_P = (("email", 0.08), ("phone", 0.05), ("dob", 0.05), ("rid", 0.3))
SIGNUP_DAYS = [f"{dt.date(2016, 1, 1) + dt.timedelta(days=i):%Y-%m-%d}" for i in range(365 * 10 - 60)]


class FastRandom(random.Random):
    """random.Random with cheaper randrange/choice (float based; still deterministic per seed)."""

    def randrange(self, start, stop=None, step=1):
        if stop is None:
            start, stop = 0, start
        return start + int(self.random() * (stop - start))

    def choice(self, seq):
        return seq[int(self.random() * len(seq))]


class Gen:
    def __init__(self, flavor: str, seed: int):
        self.flavor = flavor
        self.rng = FastRandom(seed)
        kinds = {f: list(VARIATIONS[f]) for f in VARIATIONS}
        self.var_kinds = kinds
        self.var_cum = {f: list(itertools.accumulate(VARIATIONS[f][k] for k in kinds[f])) for f in VARIATIONS}
        self.ents: list[dict] = []
        self.neg = collections.Counter()  # hard-negative groups planted
        self.var = collections.Counter()  # variations planted in duplicates
        self.fallback = 0  # duplicates that ended as a plain copy (format change only)
        self.rid_seq: set[str] = set()
        self.used: set[str] = set()  # emails and phones handed out: unique per person unless shared on purpose

    # ---- small helpers --------------------------------------------------------------------------
    def dob(self, lo=1945, hi=2006) -> dt.date:
        return D0 + dt.timedelta(days=self.rng.randrange((dt.date(lo, 1, 1) - D0).days,
                                                         (dt.date(hi, 12, 31) - D0).days))

    def typo(self, s: str) -> str:
        """One insert / delete / substitute / transpose, away from the first character."""
        r = self.rng
        letters = [i for i, c in enumerate(s) if c.isalpha() and c.isascii()]
        if len(letters) < 3:
            return s + r.choice("aeiou")
        i = r.choice(letters[1:])
        op = r.randrange(4)
        c = r.choice(string.ascii_lowercase)
        if s[i].isupper():
            c = c.upper()
        if op == 0:
            return s[:i] + c + s[i:]
        if op == 1:
            return s[:i] + s[i + 1:]
        if op == 2:
            return s[:i] + (c if c != s[i] else ("e" if s[i] != "e" else "a")) + s[i + 1:]
        j = i - 1 if i == len(s) - 1 or r.random() < 0.5 else i
        if s[j] == s[j + 1]:
            return s[:i] + s[i + 1:]
        return s[:j] + s[j + 1] + s[j] + s[j + 2:]

    def resident_id(self, area: str, dob: dt.date, male: bool) -> str:
        """18-digit PRC resident id with ISO 7064 MOD 11-2 check digit; 17th digit odd = male."""
        r = self.rng
        while True:
            seq = r.randrange(0, 100) * 10 + r.choice((1, 3, 5, 7, 9) if male else (0, 2, 4, 6, 8))
            body = f"{area}{dob:%Y%m%d}{seq:03d}"
            if body not in self.rid_seq:
                self.rid_seq.add(body)
                break
        return body + ID_CHECK[sum(int(c) * w for c, w in zip(body, ID_W)) % 11]

    # ---- phones ---------------------------------------------------------------------------------
    def unique(self, make) -> str:
        """Call make() until it returns a value no other person has."""
        v = make()
        while v in self.used:
            v = make()
        self.used.add(v)
        return v

    def phone_nsn(self, country: str) -> str:
        """National significant number (no country code, no trunk 0), unique."""
        r = self.rng
        if country == "CN":
            return self.unique(lambda: r.choice(CN_PREFIX) + f"{r.randrange(10**8):08d}")
        if country == "GB":
            return self.unique(lambda: f"7{r.randrange(100, 1000)}{r.randrange(10**6):06d}")
        if country == "US":
            return self.unique(lambda: f"{r.randrange(201, 990)}{r.randrange(200, 1000)}{r.randrange(10**4):04d}")
        return self.unique(lambda: f"4{r.randrange(10**8):08d}")  # AU mobile

    @staticmethod
    def fmt_phone(country: str, d: str, style: int) -> str:
        if country == "CN":
            return [d, f"+86 {d[:3]} {d[3:7]} {d[7:]}", f"0086-{d}", f"({d[:3]}){d[3:7]}-{d[7:]}",
                    f"{d[:3]}-{d[3:7]}-{d[7:]}", f"+86{d}"][style % 6]
        if country == "GB":
            return [f"0{d[:4]} {d[4:]}", f"+44 {d[:4]} {d[4:]}", f"0{d}", f"+44{d}", f"(0{d[:4]}) {d[4:]}"][style % 5]
        if country == "US":
            return [f"({d[:3]}) {d[3:6]}-{d[6:]}", f"{d[:3]}-{d[3:6]}-{d[6:]}", f"+1 {d[:3]} {d[3:6]} {d[6:]}",
                    d, f"+1-{d[:3]}-{d[3:6]}-{d[6:]}"][style % 5]
        return [f"0{d[:3]} {d[3:6]} {d[6:]}", f"+61 {d[:3]} {d[3:6]} {d[6:]}", f"0{d}", f"+61{d}"][style % 4]

    # ---- addresses and emails -------------------------------------------------------------------
    def place(self, country: str, city: str | None = None) -> tuple[str, str, str, str]:
        """(address, city, province, postcode), in the given city if any."""
        r = self.rng
        if country == "CN":
            city, prov, dists = next(c for c in CN_CITIES if c[0] == city) if city else r.choice(CN_CITIES)
            dist, _, pc = r.choice(dists)
            addr = f"{dist}{r.choice(CN_STREETS)}{r.randrange(1, 400)}号"
            if r.random() < 0.7:
                addr += f"{r.randrange(1, 30)}栋{r.randrange(1, 33)}{r.randrange(1, 5):02d}室"
            return addr, city, prov, pc
        cities = INTL_CITIES[country]
        city, prov, pcode = next(c for c in cities if c[0] == city) if city else r.choice(cities)
        addr = f"{r.randrange(1, 300)} {r.choice(STREETS)} {r.choice(SUFFIX)}"
        if r.random() < 0.15:
            addr = f"Flat {r.randrange(1, 40)}, {addr}" if country == "GB" else f"{addr} Apt {r.randrange(1, 40)}"
        if country == "GB":
            pc = f"{r.choice(pcode)} {r.randrange(1, 10)}{r.choice('ABDEFGHJLNPQRSTUWXYZ')}{r.choice('ABDEFGHJLNPQRSTUWXYZ')}"
        elif country == "US":
            pc = f"{pcode + r.randrange(0, 40):05d}"
        else:
            pc = f"{pcode + r.randrange(0, 200):04d}"
        return addr, city, prov, pc

    def email(self, e: dict) -> str:
        """A plausible address for the person; a taken one gets a number appended."""
        v = self.email_guess(e)
        local, _, dom = v.partition("@")
        while v in self.used:
            v = f"{local}{self.rng.randrange(1, 10000)}@{dom}"
        self.used.add(v)
        return v

    def email_guess(self, e: dict) -> str:
        r = self.rng
        if e["cn"]:
            if r.random() < 0.35:
                return f"{r.randrange(10**7, 10**10)}@qq.com"
            g, s = e["gpy"], e["spy"]
            local = r.choice([f"{s}{g}", f"{g}.{s}", f"{s}{g}{r.randrange(100)}", f"{s}_{g}{e['dob'].year % 100:02d}",
                              f"{s[0]}{g}{r.randrange(1000)}"])
            return f"{local}@{r.choice(CN_MAIL)}"
        g, f = e["given"].lower(), e["family"].lower().replace("'", "").replace(" ", "")
        local = r.choice([f"{g}.{f}", f"{g}{f}", f"{g[0]}.{f}", f"{g}_{f}{r.randrange(10, 99)}", f"{f}{g[0]}",
                          f"{g}.{f}{e['dob'].year}", f"{g}{r.randrange(1, 999)}"])
        return f"{local}@{r.choice(INTL_MAIL[e['country']])}"

    # ---- entities -------------------------------------------------------------------------------
    def new_entity(self, cn: bool, male: bool | None = None) -> dict:
        r = self.rng
        male = r.random() < 0.5 if male is None else male
        e = {"cn": cn, "male": male, "group": None, "dist": None, "dob": self.dob(), "cache": {}}
        if cn:
            e["country"] = "CN"
            e["sur"] = r.choice(CN_SUR_POOL)
            pool = CN_GIVEN_M if male else CN_GIVEN_F
            e["gchars"] = [r.choice(pool)] if r.random() < 0.35 else [r.choice(pool), r.choice(pool)]
        else:
            e["country"] = r.choice(INTL_COUNTRIES)
            e["given"] = r.choice(GIVEN_M if male else GIVEN_F)
            e["family"] = r.choice(FAMILY)
            e["suffix"] = ""
        e["addr"], e["city"], e["prov"], e["pc"] = self.place(e["country"])
        e["phone"] = self.phone_nsn(e["country"])
        e["pstyle"] = 0 if r.random() < 0.6 else r.randrange(PHONE_STYLES[e["country"]])
        self.finish(e)
        return e

    def finish(self, e: dict) -> None:
        """Derive name strings, resident id and email after the identity fields are settled."""
        if e["cn"]:
            e["gpy"] = "".join(g[1] for g in e["gchars"])
            e["spy"] = e["sur"][1]
            e["name"] = e["sur"][0] + "".join(g[0] for g in e["gchars"])
            area = next(d[1] for c in CN_CITIES if c[0] == e["city"] for d in c[2] if e["addr"].startswith(d[0]))
            e["rid"] = self.resident_id(area, e["dob"], e["male"])
        else:
            e["name"] = f"{e['given']} {e['family']}{e['suffix']}"
            e["rid"] = ""
        e["email"] = self.email(e)

    def add_single(self) -> None:
        self.ents.append(self.new_entity(self.pick_cn()))

    def pick_cn(self) -> bool:
        return self.flavor == "cn" or (self.flavor == "mix" and self.rng.random() < 0.5)

    def add_twins(self) -> None:
        r = self.rng
        a = self.new_entity(self.pick_cn())
        b = self.new_entity(a["cn"])
        for k in ("dob", "addr", "city", "prov", "pc", "phone", "country"):  # household phone, same birthday
            b[k] = a[k]
        if a["cn"]:
            b["sur"] = a["sur"]
            while b["gchars"] == a["gchars"]:
                b["gchars"] = [r.choice(CN_GIVEN_M if b["male"] else CN_GIVEN_F) for _ in a["gchars"]]
        else:
            b["family"] = a["family"]
            while b["given"] == a["given"]:
                b["given"] = r.choice(GIVEN_M if b["male"] else GIVEN_F)
        self.finish(b)
        for x in (a, b):
            x["group"], x["dist"] = "twin", {"name", "email", "rid"}
        self.ents += [a, b]
        self.neg["twins (pairs)"] += 1

    def add_father_son(self) -> None:
        r = self.rng
        f = self.new_entity(self.pick_cn(), male=True)
        f["dob"] = self.dob(1945, 1975)
        s = self.new_entity(f["cn"], male=True)
        for k in ("addr", "city", "prov", "pc", "country"):
            s[k] = f[k]
        s["dob"] = f["dob"] + dt.timedelta(days=r.randrange(22 * 365, 35 * 365))
        shared_phone = r.random() < 0.4
        if shared_phone:
            s["phone"] = f["phone"]
        if f["cn"]:
            s["sur"], s["gchars"] = f["sur"], list(f["gchars"])
        else:
            s["given"], s["family"], s["suffix"] = f["given"], f["family"], " Jr."
        self.finish(f)
        self.finish(s)
        for x in (f, s):
            x["group"] = "father_son"
            x["dist"] = {"dob", "email", "rid"} | (set() if shared_phone else {"phone"})
        self.ents += [f, s]
        self.neg["father/son same name (pairs)"] += 1

    def add_household(self) -> None:
        r = self.rng
        head = self.new_entity(self.pick_cn(), male=True)
        head["dob"] = self.dob(1955, 1985)
        self.finish(head)
        members = [head]
        share = "phone" if r.random() < 0.5 else "email"
        for k in range(r.choice((1, 2, 2))):
            m = self.new_entity(head["cn"], male=(k == 1 and r.random() < 0.5))
            for f in ("addr", "city", "prov", "pc", "country"):
                m[f] = head[f]
            if k == 0:  # spouse: similar age; in China she keeps her own surname
                m["dob"] = head["dob"] + dt.timedelta(days=r.randrange(-5 * 365, 5 * 365))
            else:  # child
                m["dob"] = head["dob"] + dt.timedelta(days=r.randrange(24 * 365, 38 * 365))
            if head["cn"]:
                if k > 0:
                    m["sur"] = head["sur"]
            else:
                m["family"] = head["family"]
            self.finish(m)
            members.append(m)
        for m in members:
            m[share] = head[share]  # family landline/mobile or shared family mailbox
            m["group"] = "household"
            m["dist"] = {"name", "dob", "rid", "email" if share == "phone" else "phone"}
        self.ents += members
        self.neg[f"households sharing address+{share} ({len(members)} people)"] += 1

    def add_common_name(self) -> None:
        r = self.rng
        cn = self.pick_cn()
        k = r.randrange(3, 7)
        first = self.new_entity(cn)
        if cn:
            sur, g, sex = r.choice(COMMON_CN)
            sur_t = next(s for s in CN_SUR if s[0] == sur)
            g_t = next(x for x in CN_GIVEN if x[0] == g)
        else:
            gi, fa, sex = r.choice(COMMON_INTL)
        group = []
        for _ in range(k):
            e = self.new_entity(cn, male=(sex == "m" or sex == "M"))
            e["country"] = first["country"]
            if cn:
                e["sur"], e["gchars"] = sur_t, [g_t]
            else:
                e["given"], e["family"] = gi, fa
                e["phone"] = self.phone_nsn(e["country"])
            e["addr"], e["city"], e["prov"], e["pc"] = self.place(e["country"], first["city"])
            self.finish(e)
            e["group"], e["dist"] = "common", {"dob", "email", "phone", "rid", "addr"}
            group.append(e)
        self.ents += group
        self.neg["very common name in one city (people)"] += k

    # ---- records --------------------------------------------------------------------------------
    def base_record(self, e: dict) -> dict:
        r = self.rng
        rec = {"name": e["name"], "email": e["email"], "phone": e["phone"], "pstyle": e["pstyle"],
               "rid": e["rid"], "dob": f"{e['dob']:%Y-%m-%d}", "addr": e["addr"], "city": e["city"],
               "prov": e["prov"], "pc": e["pc"], "country": e["country"],
               "keys": {"name": "N", "dob": e["dob"], "email": e["email"].lower(), "phone": e["phone"],
                        "rid": e["rid"] or None, "addr": e["addr"]}}
        # Per-record missingness, as in real lists (resident id is often not given at all).
        for f, p in BLANK_P:
            if rec[f] and r.random() < p:
                rec[f] = ""
                rec["keys"][f] = None
        return rec

    def cn_name_parts(self, e: dict, trad: bool = False) -> tuple[str, list[str]]:
        sur = e["sur"][2] if trad else e["sur"][0]
        return sur, [TRAD.get(g[0], g[0]) if trad else g[0] for g in e["gchars"]]

    def pinyin(self, e: dict) -> str:
        r = self.rng
        s, g = e["spy"].capitalize(), e["gpy"].capitalize()
        return r.choice([f"{s} {g}", f"{g} {s}", f"{s.upper()} {g}", f"{s}, {g}", f"{g} {s.upper()}"])

    def applicable(self, e: dict, v: str) -> bool:
        if e["group"] and GROUP[v] == "name" and v not in SAFE_FOR_RELATIVES:
            return False
        if v == "nickname":
            return e["given"] in NICK
        if v == "married":
            return not e["male"] and e["dob"].year < 2000 and not e["group"]
        if v == "dob_swap":
            return e["dob"].day <= 12 and e["dob"].day != e["dob"].month
        if v == "homophone":
            return any(g[0] in HOMOPHONE for g in e["gchars"])
        if v == "traditional":
            return any(TRAD.get(c, c) != c for c in e["name"])
        return True

    def apply(self, e: dict, rec: dict, v: str) -> None:
        """Plant variation v into rec (a copy of the base record); update evidence keys."""
        r, keys, cache = self.rng, rec["keys"], e["cache"]
        if v == "name_typo":
            rec["name"] = self.typo(rec["name"])
        elif v == "name_swap":
            rec["name"] = r.choice([f"{e['family']}, {e['given']}", f"{e['family']} {e['given']}",
                                    f"{e['family'].upper()} {e['given']}"]) + e["suffix"]
        elif v == "initials":
            rec["name"] = r.choice([f"{e['given'][0]}. {e['family']}", f"{e['given'][0]} {e['family']}",
                                    f"{e['family']}, {e['given'][0]}."])
        elif v == "nickname":
            rec["name"] = f"{r.choice(NICK[e['given']])} {e['family']}"
        elif v == "married":
            if "married" not in cache:  # one new family name per person, maybe a move and a new email
                fam = r.choice([f for f in FAMILY if f != e["family"]])
                cache["married"] = (fam, self.email(dict(e, family=fam)))
            fam, mail = cache["married"]
            rec["name"] = f"{e['given']} {fam}"
            keys["name"] = "married"
            if r.random() < 0.4:
                rec["email"], keys["email"] = mail, mail
            if r.random() < 0.3:
                rec["phone"], keys["phone"] = self.cached_new(e, "phone")
        elif v == "name_case":
            rec["name"] = r.choice([rec["name"].upper(), rec["name"].lower(), "  " + rec["name"] + " "])
        elif v == "homophone":
            sur, gs = self.cn_name_parts(e)
            idx = [i for i, g in enumerate(gs) if g in HOMOPHONE]
            i = r.choice(idx)
            gs[i] = r.choice(HOMOPHONE[gs[i]])
            rec["name"] = sur + "".join(gs)
        elif v == "traditional":
            sur, gs = self.cn_name_parts(e, trad=True)
            rec["name"] = sur + "".join(gs)
        elif v == "pinyin":
            rec["name"] = self.pinyin(e)
        elif v == "pinyin_typo":
            rec["name"] = self.typo(self.pinyin(e))
        elif v in ("dob_typo", "dob_swap") and rec["dob"]:
            d = e["dob"]
            if v == "dob_swap":  # applicable() guarantees day <= 12 and day != month
                rec["dob"] = f"{d.year}-{d.day:02d}-{d.month:02d}"
            else:
                s = rec["dob"]
                for _ in range(20):
                    i = r.choice((3, 3, 5, 6, 6, 8, 9, 9))  # mostly year units, month, day
                    t = s[:i] + str((int(s[i]) + r.randrange(1, 10)) % 10) + s[i + 1:]
                    try:
                        dt.date.fromisoformat(t)
                        break
                    except ValueError:
                        continue
                else:
                    t = f"{d.year}-{d.month:02d}-{(d.day % 28) + 1:02d}"
                rec["dob"] = t
            keys["dob"] = "typo:" + rec["dob"]
        elif v == "phone_format" and rec["phone"]:
            n = PHONE_STYLES[e["country"]]
            rec["pstyle"] = r.choice([s for s in range(n) if s != rec["pstyle"] % n])
        elif v == "new_phone":
            rec["phone"], keys["phone"] = self.cached_new(e, "phone")
        elif v == "email_typo" and rec["email"]:
            local, _, dom = rec["email"].partition("@")
            rec["email"] = (self.typo(local) if r.random() < 0.7 else local) + "@" + (
                self.typo(dom) if r.random() < 0.3 else dom)
            if r.random() < 0.3:
                rec["email"] = rec["email"].upper() if r.random() < 0.5 else rec["email"].capitalize()
            keys["email"] = rec["email"].lower()
        elif v == "new_email":
            rec["email"], keys["email"] = self.cached_new(e, "email")
        elif v == "moved":
            if "moved" not in cache:
                cache["moved"] = self.place(e["country"])
            rec["addr"], rec["city"], rec["prov"], rec["pc"] = cache["moved"]
            keys["addr"] = rec["addr"]
        elif v == "addr_typo":
            a = rec["addr"]
            if e["cn"]:  # drop the unit, or write the number with a different marker
                rec["addr"] = a.split("号")[0] + "号" if "栋" in a else a.replace("号", "")
            else:
                rec["addr"] = self.typo(a) if r.random() < 0.6 else a.replace("Street", "St").replace(
                    "Road", "Rd").replace("Avenue", "Ave").replace("Drive", "Dr")
        elif v == "missing":
            fields = ["email", "phone", "dob", "addr", "gender", "pc"] + (["rid"] if rec["rid"] else [])
            for f in r.sample(fields, r.choice((1, 1, 2))):
                if f == "gender":
                    rec["no_gender"] = True
                    continue
                rec[f] = ""
                if f in keys:
                    keys[f] = None

    def cached_new(self, e: dict, what: str) -> tuple[str, str]:
        """The person's one new phone / email (shared by all duplicates that use it)."""
        k = "new_" + what
        if k not in e["cache"]:
            v = self.phone_nsn(e["country"]) if what == "phone" else self.email(e)
            e["cache"][k] = (v, v.lower())
        return e["cache"][k]

    @staticmethod
    def fair(e: dict, a: dict, b: dict) -> bool:
        """Two records of one person share >= 2 pieces of evidence (and one that tells relatives apart)."""
        shared = {f for f in EVIDENCE if a[f] is not None and a[f] == b[f]}
        return len(shared) >= 2 and (e["dist"] is None or bool(shared & e["dist"]))

    def duplicate(self, e: dict, recs: list[dict]) -> dict:
        r = self.rng
        flavor = "cn" if e["cn"] else "intl"
        kinds, cum = self.var_kinds[flavor], self.var_cum[flavor]
        for _ in range(8):
            rec = self.base_record(e)  # its own random blanks
            chosen, groups = [], set()
            for _ in range(r.choice((1, 2, 2, 3, 3))):
                v = r.choices(kinds, cum_weights=cum)[0]
                if GROUP[v] in groups or not self.applicable(e, v):
                    continue
                groups.add(GROUP[v])
                chosen.append(v)
            if not chosen:
                continue
            # Name variations first so that e.g. a pinyin name can get a typo later.
            for v in sorted(chosen, key=lambda v: GROUP[v] != "name"):
                self.apply(e, rec, v)
            if all(self.fair(e, rec["keys"], o["keys"]) for o in recs):
                self.var.update(chosen)
                return rec
        # Fallback: the base record again, with the phone written differently.
        rec = dict(recs[0])
        rec["pstyle"] = (rec["pstyle"] + 1) % PHONE_STYLES[e["country"]]
        self.fallback += 1
        self.var["phone_format"] += 1
        return rec

    def row(self, e: dict, rec: dict, with_rid: bool) -> list[str]:
        r = self.rng
        if rec.get("no_gender"):
            gender = ""
        elif e["cn"]:
            gender = "男" if e["male"] else "女"
        else:
            gender = "M" if e["male"] else "F"
        phone = self.fmt_phone(e["country"], rec["phone"], rec["pstyle"]) if rec["phone"] else ""
        country = "中国" if e["cn"] else e["country"]
        out = [rec["name"], rec["email"], phone]
        if with_rid:
            out.append(rec["rid"])
        return out + [rec["dob"], gender, rec["addr"], rec["city"], rec["prov"], rec["pc"], country,
                      r.choice(SIGNUP_DAYS)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--flavor", choices=("intl", "cn", "mix"), default="intl")
    ap.add_argument("--n", type=int, default=5000, help="number of output records")
    ap.add_argument("--dup-rate", type=float, default=0.2, help="share of rows that are duplicates (0.1..0.5)")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--out", required=True)
    ap.add_argument("--truth", help="id,entity CSV (omit to skip)")
    ap.add_argument("--encoding", choices=("utf-8", "gbk"), default="utf-8")
    ap.add_argument("--quiet", action="store_true")
    a = ap.parse_args()
    if not 0.1 <= a.dup_rate <= 0.5:
        ap.error("--dup-rate must be within 0.1..0.5")
    t0 = time.time()
    g = Gen(a.flavor, a.seed)
    r = g.rng

    # 1. Spread the duplicates over n * (1 - dup_rate) people: most duplicated people have one extra
    #    record, some two to four.
    n_ent = round(a.n * (1 - a.dup_rate))
    extra = [0] * n_ent
    left = a.n - n_ent
    while left > 0:
        i = r.randrange(n_ent)
        k = min(left, r.choice((1, 1, 1, 1, 2, 2, 3)), 4 - extra[i])
        extra[i] += k
        left -= k

    # 2. People (singles plus hard-negative groups) and their records; entities are dropped once turned
    #    into rows, so memory holds only the rows. Then shuffle and number.
    with_rid = a.flavor != "intl"
    rows = []
    cluster_sizes = collections.Counter()
    ent_id = 0
    while ent_id < n_ent:
        x = r.random()
        if x < 0.008:
            g.add_twins()
        elif x < 0.014:
            g.add_father_son()
        elif x < 0.022:
            g.add_household()
        elif x < 0.026:
            g.add_common_name()
        else:
            g.add_single()
        for e in g.ents[:n_ent - ent_id]:
            recs = [g.base_record(e)]
            for _ in range(extra[ent_id]):
                recs.append(g.duplicate(e, recs))
            cluster_sizes[len(recs)] += 1
            rows += [(ent_id, g.row(e, rec, with_rid)) for rec in recs]
            ent_id += 1
        g.ents.clear()
    r.shuffle(rows)

    width = max(6, len(str(len(rows))))
    header = ["id", "name", "email", "mobile"] + (["resident_id"] if with_rid else []) + [
        "birth_date", "gender", "address", "city", "province", "postcode", "country", "signup_date"]
    with open(a.out, "w", newline="", encoding=a.encoding) as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows([f"C{i:0{width}d}"] + row for i, (_, row) in enumerate(rows, 1))
    if a.truth:
        with open(a.truth, "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(["id", "entity"])
            w.writerows([f"C{i:0{width}d}", f"E{ent:0{width}d}"] for i, (ent, _) in enumerate(rows, 1))

    if not a.quiet:
        dups = len(rows) - n_ent
        true_pairs = sum(c * s * (s - 1) // 2 for s, c in cluster_sizes.items())
        print(f"{a.out}: {len(rows)} records, {n_ent} entities, {dups} duplicates "
              f"({dups / len(rows):.1%}), {true_pairs} true pairs, {time.time() - t0:.1f}s", file=sys.stderr)
        print("  entity sizes: " + ", ".join(f"{s}:{c}" for s, c in sorted(cluster_sizes.items())), file=sys.stderr)
        print("  variations planted in duplicates: " + ", ".join(f"{k} {v}" for k, v in g.var.most_common())
              + f" (fallback plain copies: {g.fallback})", file=sys.stderr)
        print("  hard negatives: " + "; ".join(f"{k} {v}" for k, v in sorted(g.neg.items())), file=sys.stderr)


if __name__ == "__main__":
    main()
