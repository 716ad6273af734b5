#!/usr/bin/env python3
"""Pairwise precision / recall / F1 of a dedupe clustering against ground truth.

    bench/.venv/bin/python bench/dedupe/evaluate.py TRUTH.csv CLUSTERS.csv [--id-col id] \
        [--cluster-col cluster_id] [--pairs PAIRS.csv] [--name X] [--seconds S] [--peak-kb KB]

A pair of records counts as predicted when both are in the same cluster and as true when both belong to
the same entity. Prints one JSON line ({"tool":"steward", ...}). With --pairs (columns id_l,id_r: the
candidate pairs a blocker produced) it also reports blocking recall = share of true pairs among them.
"""

from __future__ import annotations

import argparse
import json
import os
import sys

import polars as pl


def n_pairs(sizes: pl.Series) -> int:
    """Number of unordered pairs within groups of the given sizes."""
    return int((sizes * (sizes - 1) // 2).sum())


def pairwise_metrics(truth: pl.DataFrame, clusters: pl.DataFrame) -> dict:
    """truth: id, entity; clusters: id, cluster (both text). Ids missing from clusters are singletons."""
    df = truth.join(clusters, on="id", how="left").with_columns(
        pl.coalesce(pl.col("cluster"), pl.lit("__single__") + pl.col("id")).alias("cluster"))
    true_pairs = n_pairs(df.group_by("entity").len()["len"])
    pred_pairs = n_pairs(df.group_by("cluster").len()["len"])
    tp = n_pairs(df.group_by("cluster", "entity").len()["len"])
    p = tp / pred_pairs if pred_pairs else 1.0
    r = tp / true_pairs if true_pairs else 1.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"true_pairs": true_pairs, "predicted_pairs": pred_pairs, "true_positive_pairs": tp,
            "precision": round(p, 4), "recall": round(r, 4), "f1": round(f1, 4)}


def blocking_recall(truth: pl.DataFrame, pairs: pl.DataFrame) -> dict:
    """Share of true pairs present among candidate pairs (id_l, id_r, unordered)."""
    ent = truth.select("id", "entity")
    p = (pairs.select(pl.min_horizontal("id_l", "id_r").alias("a"), pl.max_horizontal("id_l", "id_r").alias("b"))
         .filter(pl.col("a") != pl.col("b")).unique()
         .join(ent.rename({"id": "a", "entity": "ea"}), on="a")
         .join(ent.rename({"id": "b", "entity": "eb"}), on="b"))
    found = p.filter(pl.col("ea") == pl.col("eb")).height
    true_pairs = n_pairs(truth.group_by("entity").len()["len"])
    return {"candidate_pairs": pairs.height, "blocking_recall": round(found / true_pairs, 4) if true_pairs else 1.0}


def read_text_csv(path: str, columns: list[str]) -> pl.DataFrame:
    return pl.read_csv(path, infer_schema=False, columns=columns)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("truth")
    ap.add_argument("clusters")
    ap.add_argument("--id-col", default="id")
    ap.add_argument("--cluster-col", default="cluster_id")
    ap.add_argument("--pairs", help="candidate pairs CSV with columns id_l,id_r")
    ap.add_argument("--name", help="dataset name (default: truth file stem)")
    ap.add_argument("--tool", default="steward")
    ap.add_argument("--seconds", type=float, help="wall time to report")
    ap.add_argument("--peak-kb", type=int, help="peak RSS (KB) to report")
    a = ap.parse_args()

    truth = read_text_csv(a.truth, ["id", "entity"])
    clusters = read_text_csv(a.clusters, [a.id_col, a.cluster_col]).rename(
        {a.id_col: "id", a.cluster_col: "cluster"}).unique("id", keep="first")
    missing = truth.join(clusters, on="id", how="anti")["id"]
    if missing.len():
        print(f"warning: {missing.len()} truth ids missing from {a.clusters} (treated as singletons), "
              f"e.g. {', '.join(missing.head(5).to_list())}", file=sys.stderr)
    extra = clusters.join(truth, on="id", how="anti").height
    if extra:
        print(f"warning: {extra} ids in {a.clusters} are not in the truth file (ignored)", file=sys.stderr)

    name = a.name or os.path.basename(a.truth).removesuffix(".csv").removesuffix("_truth")
    out = {"tool": a.tool, "dataset": name, "records": truth.height}
    m = pairwise_metrics(truth, clusters)
    if a.pairs:
        out.update(blocking_recall(truth, read_text_csv(a.pairs, ["id_l", "id_r"])))
    else:
        out["candidate_pairs"] = None
    out.update({k: m[k] for k in ("precision", "recall", "f1", "true_pairs", "predicted_pairs")})
    out["missing_ids"] = missing.len()
    if a.seconds is not None:
        out["seconds"] = a.seconds
    if a.peak_kb is not None:
        out["peak_mb"] = round(a.peak_kb / 1024, 1)
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
