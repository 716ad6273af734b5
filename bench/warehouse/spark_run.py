"""Run steward's model SQL (--dialect spark) on local Spark over a features table and save the scored pairs.

    python spark_run.py FEATURES.parquet PREDICT.sql OUT.csv

A local SparkSession (2 cores), a temporary view `features` over the Parquet file, `st_jw` registered as a
Python UDF computing Jaro-Winkler exactly as steward does (strsim 0.11: Spark's own jaro_winkler_similarity
gives other values), every statement of the SQL in order; the last one's result is written as CSV (doubles
at full precision). Not part of the test suite: bench/warehouse/run.sh runs it with SPARK=1.
"""
import csv
import sys

from pyspark.sql import SparkSession
from pyspark.sql.types import DoubleType


def jaro(a, b):
    """strsim::generic_jaro over characters, operation for operation."""
    la, lb = len(a), len(b)
    if la == 0 and lb == 0:
        return 1.0
    if la == 0 or lb == 0:
        return 0.0
    search = max(la, lb) // 2
    search = search - 1 if search > 0 else 0
    af, bf = [False] * la, [False] * lb
    matches = 0
    for i, x in enumerate(a):
        lo = i - search if i > search else 0
        hi = min(lb, i + search + 1)
        for j in range(hi):
            if lo <= j and x == b[j] and not bf[j]:
                af[i] = bf[j] = True
                matches += 1
                break
    t = 0
    if matches:
        bpos = [j for j in range(lb) if bf[j]]
        k = 0
        for i in range(la):
            if af[i]:
                if a[i] != b[bpos[k]]:
                    t += 1
                k += 1
    t //= 2
    if matches == 0:
        return 0.0
    return ((matches / la) + (matches / lb) + ((matches - t) / matches)) / 3.0


def jaro_winkler(a, b):
    if a is None or b is None:
        return None
    sim = jaro(a, b)
    if sim > 0.7:
        prefix = 0
        for x, y in zip(a[:4], b):
            if x != y:
                break
            prefix += 1
        return sim + 0.1 * prefix * (1.0 - sim)
    return sim


def statements(text):
    out, cur = [], []
    for line in text.splitlines():
        if line.startswith("--") and not cur:
            continue
        cur.append(line)
        if line.rstrip().endswith(";"):
            out.append("\n".join(cur).rstrip().rstrip(";"))
            cur = []
    if "".join(cur).strip():
        out.append("\n".join(cur))
    return out


def main():
    features, sql, out = sys.argv[1:4]
    spark = (
        SparkSession.builder.master("local[2]")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "8")
        .config("spark.driver.memory", "8g")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    spark.udf.register("st_jw", jaro_winkler, DoubleType())
    spark.read.parquet(features).createOrReplaceTempView("features")
    stmts = statements(open(sql, encoding="utf-8").read())
    for s in stmts[:-1]:
        spark.sql(s).collect()
    df = spark.sql(stmts[-1])
    with open(out, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(df.columns)
        for r in df.toLocalIterator():
            w.writerow([repr(x) if isinstance(x, float) else x for x in r])
    spark.stop()


if __name__ == "__main__":
    main()
