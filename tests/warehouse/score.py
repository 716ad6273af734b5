"""Run steward's model SQL in DuckDB over a features table and save the scored pairs.

    python score.py FEATURES.parquet PREDICT.sql OUT.csv|OUT.parquet

The script is run as a DuckDB user would: a view `features` over the Parquet file, every statement of the
SQL in order; the last one's result is written out (CSV with doubles at full precision, or Parquet).
"""
import csv
import sys

import duckdb


def statements(text):
    out, cur = [], []
    for line in text.splitlines():
        if line.startswith("--") and not cur:
            continue
        cur.append(line)
        if line.rstrip().endswith(";"):
            out.append("\n".join(cur))
            cur = []
    if "".join(cur).strip():
        out.append("\n".join(cur))
    return out


def main():
    features, sql, out = sys.argv[1:4]
    con = duckdb.connect()
    quoted = features.replace("'", "''")
    con.execute(f"CREATE VIEW features AS SELECT * FROM read_parquet('{quoted}')")
    stmts = statements(open(sql, encoding="utf-8").read())
    for s in stmts[:-1]:
        con.execute(s)
    last = stmts[-1].rstrip().rstrip(";")
    if out.endswith(".parquet"):
        target = out.replace("'", "''")
        con.execute(f"COPY ({last}) TO '{target}' (FORMAT parquet)")
        return
    res = con.execute(last)
    cols = [d[0] for d in res.description]
    with open(out, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(cols)
        while True:
            rows = res.fetchmany(10000)
            if not rows:
                break
            for r in rows:
                w.writerow([repr(x) if isinstance(x, float) else x for x in r])


if __name__ == "__main__":
    main()
