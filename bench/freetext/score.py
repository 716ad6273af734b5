#!/usr/bin/env python3
"""Score a pseudonymized notes.csv against labels.jsonl (from gen_notes.py).

recall: identifiers no longer present in the note (as written, or in any spelling of its digits);
look-alikes kept: order numbers, amounts, dates... still in the note verbatim;
precision: identifiers removed / tokens written into notes (every token beyond a labelled identifier
replaced something that was not one); joins: where the note held the row's own e-mail or mobile, the note
carries the very token of the email/mobile column.

    python3 bench/freetext/score.py /tmp/ft/labels.jsonl /tmp/ft/out.csv
"""
import csv
import json
import re
import sys

TOKEN = re.compile(r"(em|ph|ri)_[0-9a-f]{32}")


def main():
    labels_path, out_path = sys.argv[1], sys.argv[2]
    with open(out_path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    labels = [json.loads(line) for line in open(labels_path, encoding="utf-8")]
    assert len(rows) == len(labels), (len(rows), len(labels))
    ids = found = looks = kept = tokens = joins = joins_ok = 0
    missed, lost = [], []
    for row, lab in zip(rows, labels):
        note = row["notes"]
        tokens += len(TOKEN.findall(note))
        for i in lab["identifiers"]:
            ids += 1
            if i["value"] not in note:
                found += 1
            elif len(missed) < 10:
                missed.append((i["value"], note))
            own = {"email": ("own_email", "email"), "phone": ("own_phone", "mobile")}.get(i["kind"])
            if own and i["value"] == lab[own[0]]:
                joins += 1
                joins_ok += row[own[1]] in note
        for v in lab["lookalikes"]:
            looks += 1
            if v in note:
                kept += 1
            elif len(lost) < 10:
                lost.append((v, note))
    print(f"identifiers: {found}/{ids} replaced, recall {found / max(ids, 1):.4f}")
    print(f"tokens written into notes: {tokens}, precision {found / max(tokens, 1):.4f}")
    print(f"look-alikes kept: {kept}/{looks} ({looks - kept} replaced)")
    print(f"joins: {joins_ok}/{joins} own identifiers carry their column's token")
    for v, n in missed:
        print(f"  missed {v!r} in {n!r}")
    for v, n in lost:
        print(f"  look-alike lost {v!r} in {n!r}")


if __name__ == "__main__":
    main()
