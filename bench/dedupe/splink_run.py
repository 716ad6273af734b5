#!/usr/bin/env python3
"""Dedupe a CSV with Splink 5 (DuckDB backend) and score it against ground truth.

    bench/.venv/bin/python bench/dedupe/splink_run.py DATA.csv TRUTH.csv [--name X] [--threads N]
        [--clusters OUT.csv] [--setup comparable|febrl]

Handles FEBRL with its original headers (rec_id, given_name, surname, street_number, address_1, address_2,
suburb, postcode, state, date_of_birth) or with steward's (id, given_name, family_name, street_number,
address, address_2, city, postcode, province, birth_date), and the gen_dedupe.py column set (name, email,
mobile, [resident_id], birth_date, address, city, province, postcode, ...). Light normalisation first (lower
case, phone digits, ISO dates), then blocking, u by random sampling, m by EM, prediction and clustering.

Two setups:
- comparable (default): the setup written beside steward's automatic one (several blocking keys, a
  forename/surname comparison, EM on two rules, clustering at 0.9);
- febrl (FEBRL only): the setup of steward issue #18 -- blocking on given_name | surname | date_of_birth |
  postcode; NameComparison on given_name and on surname with term-frequency adjustments,
  DateOfBirthComparison, Jaro-Winkler on suburb and address_1 at 0.9/0.8, Damerau-Levenshtein on postcode at
  1/2, exact street_number and state; u by random sampling, m by EM blocked on date_of_birth then on
  postcode, the prior from given_name+surname+date_of_birth (recall 0.9); connected components at 0.95.

Prints one JSON line: tool, setup, dataset, records, candidate_pairs, precision, recall, f1, seconds
(everything after reading the CSV: preparation, training, prediction, clustering).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import tempfile
import time

import duckdb
import polars as pl

import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on
from splink.blocking_analysis import count_comparisons_from_blocking_rules

sys.dont_write_bytecode = True  # no __pycache__ beside the scripts
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from evaluate import pairwise_metrics  # noqa: E402

THRESHOLD = {"comparable": 0.9, "febrl": 0.95}
# FEBRL's original headers -> the names used below.
FEBRL_HEADERS = {"rec_id": "id", "surname": "family_name", "address_1": "address", "suburb": "city",
                 "state": "province", "date_of_birth": "birth_date"}
# Exact full-name agreement is weighted by term frequency (a shared 'wang wei' or 'john smith' says little).
NAME = cl.ForenameSurnameComparison("given_name", "family_name", forename_surname_concat_col_name="full_name")
CN_COMPOUND = ("欧阳", "司马", "上官", "诸葛", "歐陽", "司馬")


def blank_to_null(e: pl.Expr) -> pl.Expr:
    return pl.when(e.str.len_chars() > 0).then(e).otherwise(None)


def iso_date(col: str) -> pl.Expr:
    """YYYYMMDD or YYYY-MM-DD (or YYYY/MM/DD) -> YYYY-MM-DD text; other text kept as is."""
    d = pl.col(col).str.replace_all(r"[^0-9]", "")
    return blank_to_null(pl.when(d.str.len_chars() == 8)
                         .then(d.str.slice(0, 4) + "-" + d.str.slice(4, 2) + "-" + d.str.slice(6, 2))
                         .otherwise(pl.col(col).str.strip_chars()))


def norm_text(col: str) -> pl.Expr:
    return blank_to_null(pl.col(col).str.to_lowercase().str.replace_all(r"\s+", " ").str.strip_chars())


def split_name(name: str | None) -> tuple[str | None, str | None]:
    """Full name -> (given, family) for gen_dedupe data: 'Family, Given', 'FAMILY Given', 'Given Family',
    Chinese characters (family name first). Swapped orders are left to ForenameSurnameComparison."""
    if not name:
        return None, None
    s = name.strip()
    if s and not s.isascii() and " " not in s:
        k = 2 if s.startswith(CN_COMPOUND) else 1
        return s[k:] or None, s[:k]
    if "," in s:
        fam, _, giv = s.partition(",")
        return giv.strip().lower() or None, fam.strip().lower() or None
    toks = [t for t in s.replace(".", " ").split() if t.lower() not in ("jr", "sr")]
    if not toks:
        return None, None
    caps = [t for t in toks if len(t) > 1 and t.isupper()]
    if caps and len(toks) > 1 and len(caps) < len(toks):  # 'ZHANG Wei' / 'Wei ZHANG'
        fam = caps[0]
        giv = " ".join(t for t in toks if t != fam)
        return giv.lower(), fam.lower()
    if len(toks) == 1:
        return None, toks[0].lower()
    return " ".join(toks[:-1]).lower(), toks[-1].lower()


def prepare(df: pl.DataFrame) -> tuple[pl.DataFrame, str]:
    """Normalised frame for Splink plus the detected column set ('febrl' or 'generated')."""
    if "rec_id" in df.columns and "surname" in df.columns:
        df = df.rename(FEBRL_HEADERS)
    cols = set(df.columns)
    if {"given_name", "family_name"} <= cols and "name" not in cols:
        kind = "febrl"
        out = df.select(
            pl.col("id"),
            *[norm_text(c) for c in ("given_name", "family_name", "street_number", "address", "address_2",
                                     "city", "province") if c in cols],
            blank_to_null(pl.col("postcode").str.replace_all(r"\s", "")).alias("postcode"),
            iso_date("birth_date").alias("birth_date"),
        )
        return with_full_name(out), kind
    kind = "generated"
    names = [split_name(n) for n in df["name"].to_list()]
    out = df.select(
        pl.col("id"),
        pl.Series("given_name", [g for g, _ in names], dtype=pl.String),
        pl.Series("family_name", [f for _, f in names], dtype=pl.String),
        norm_text("email").alias("email"),
        # Digits only, then the last 9: drops +86 / 0086 / +44 / trunk 0 and all separators.
        blank_to_null(pl.col("mobile").str.replace_all(r"[^0-9０-９]", "").str.slice(-9)).alias("phone"),
        *([blank_to_null(pl.col("resident_id").str.to_uppercase().str.strip_chars()).alias("resident_id")]
          if "resident_id" in cols else []),
        iso_date("birth_date").alias("birth_date"),
        norm_text("address").alias("address"),
        norm_text("city").alias("city"),
        blank_to_null(pl.col("postcode").str.to_uppercase().str.replace_all(r"\s", "")).alias("postcode"),
    )
    return with_full_name(out), kind


def with_full_name(df: pl.DataFrame) -> pl.DataFrame:
    """Add full_name = 'given family' (the term-frequency column of the name comparison)."""
    return df.with_columns(blank_to_null(pl.concat_str([pl.col("given_name").fill_null(""), pl.lit(" "),
                                                        pl.col("family_name").fill_null("")]).str.strip_chars())
                           .alias("full_name"))


def settings_for(kind: str, cols: set[str], setup: str) -> tuple[SettingsCreator, list, list]:
    """Splink settings, deterministic rules (for the prior) and EM training rules."""
    if setup == "febrl":
        # Column names here are the prepared ones: family_name = surname, birth_date = date_of_birth,
        # city = suburb, address = address_1, province = state.
        blocking = [block_on("given_name"), block_on("family_name"), block_on("birth_date"),
                    block_on("postcode")]
        comparisons = [
            cl.NameComparison("given_name").configure(term_frequency_adjustments=True),
            cl.NameComparison("family_name").configure(term_frequency_adjustments=True),
            cl.DateOfBirthComparison("birth_date", input_is_string=True, datetime_format="%Y-%m-%d"),
            cl.JaroWinklerAtThresholds("city", [0.9, 0.8]),
            cl.JaroWinklerAtThresholds("address", [0.9, 0.8]),
            cl.DamerauLevenshteinAtThresholds("postcode", [1, 2]),
            cl.ExactMatch("street_number"),
            cl.ExactMatch("province"),
        ]
        deterministic = [block_on("given_name", "family_name", "birth_date")]
        em_rules = [block_on("birth_date"), block_on("postcode")]
    elif kind == "febrl":
        blocking = [block_on("birth_date"),
                    block_on("substr(given_name, 1, 2)", "substr(family_name, 1, 2)"),
                    block_on("postcode", "substr(family_name, 1, 1)"),
                    block_on("street_number", "postcode")]
        comparisons = [NAME,
                       cl.DateOfBirthComparison("birth_date", input_is_string=True, datetime_format="%Y-%m-%d"),
                       cl.ExactMatch("street_number"),
                       cl.JaroWinklerAtThresholds("address", [0.95, 0.85]),
                       cl.JaroWinklerAtThresholds("address_2", [0.95, 0.85]),
                       cl.JaroWinklerAtThresholds("city", [0.95, 0.85]),
                       cl.LevenshteinAtThresholds("postcode", [1]),
                       cl.ExactMatch("province")]
        deterministic = [block_on("given_name", "family_name", "birth_date"),
                         block_on("given_name", "family_name", "postcode")]
        em_rules = [block_on("birth_date"), block_on("substr(given_name, 1, 2)", "substr(family_name, 1, 2)")]
    else:
        rid = "resident_id" in cols
        blocking = [block_on("email"), block_on("phone")] + ([block_on("resident_id")] if rid else []) + [
            block_on("birth_date", "substr(family_name, 1, 1)"),
            block_on("postcode", "substr(given_name, 1, 1)", "substr(family_name, 1, 1)")]
        comparisons = [NAME,
                       cl.EmailComparison("email"),
                       cl.LevenshteinAtThresholds("phone", [1, 2]),
                       cl.DateOfBirthComparison("birth_date", input_is_string=True, datetime_format="%Y-%m-%d"),
                       cl.JaroWinklerAtThresholds("address", [0.95, 0.85]),
                       cl.ExactMatch("city").configure(term_frequency_adjustments=True),
                       cl.LevenshteinAtThresholds("postcode", [1])]
        if rid:
            comparisons.append(cl.LevenshteinAtThresholds("resident_id", [1, 2]))
        deterministic = [block_on("email", "birth_date"), block_on("phone", "birth_date")] + (
            [block_on("resident_id")] if rid else [])
        em_rules = [block_on("email"), block_on("birth_date", "substr(family_name, 1, 1)")]
    settings = SettingsCreator(link_type="dedupe_only", unique_id_column_name="id",
                               blocking_rules_to_generate_predictions=blocking, comparisons=comparisons,
                               retain_intermediate_calculation_columns=False, retain_matching_columns=False)
    return settings, deterministic, em_rules


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("data")
    ap.add_argument("truth")
    ap.add_argument("--name", help="dataset name (default: data file stem)")
    ap.add_argument("--threads", type=int, help="DuckDB threads (default: DuckDB's, i.e. all cores)")
    ap.add_argument("--clusters", help="also write id,cluster_id here")
    ap.add_argument("--memory-limit", help="DuckDB memory_limit, e.g. 4GB (default: DuckDB's, 80%% of RAM)")
    ap.add_argument("--max-pairs", type=float, default=2e6, help="random pairs for u estimation")
    ap.add_argument("--setup", choices=sorted(THRESHOLD), default="comparable",
                    help="comparable: beside steward's automatic setup; febrl: the setup of issue #18 (FEBRL only)")
    a = ap.parse_args()
    logging.getLogger("splink").setLevel(logging.ERROR)

    raw = pl.read_csv(a.data, infer_schema=False)
    truth = pl.read_csv(a.truth, infer_schema=False, columns=["id", "entity"])
    t0 = time.time()
    df, kind = prepare(raw)
    if a.setup == "febrl" and kind != "febrl":
        sys.exit(f"--setup febrl needs FEBRL columns; {a.data} has {', '.join(raw.columns)}")
    settings, deterministic, em_rules = settings_for(kind, set(df.columns), a.setup)
    threshold = THRESHOLD[a.setup]

    con = duckdb.connect()
    # Spill files go to the system temp dir, never into the working directory.
    con.execute(f"SET temp_directory = '{os.path.join(tempfile.gettempdir(), 'splink_duckdb')}'")
    if a.memory_limit:
        con.execute(f"SET memory_limit = '{a.memory_limit}'")
    if a.threads:
        con.execute(f"SET threads = {a.threads}")
    db_api = DuckDBAPI(connection=con)
    sdf = db_api.register(df.to_arrow())

    blocks = count_comparisons_from_blocking_rules(
        sdf, blocking_rules=settings.blocking_rules_to_generate_predictions, link_type="dedupe_only",
        unique_id_column_name="id", record_sample_proportion=1.0)
    candidate_pairs = int(blocks[-1]["cumulative_comparison_count"])

    linker = Linker(sdf, settings)
    linker.training.estimate_probability_two_random_records_match(
        deterministic, recall=0.9 if a.setup == "febrl" else 0.6)
    linker.training.estimate_u_using_random_sampling(max_pairs=a.max_pairs, seed=1)
    em_failed = []
    for rule in em_rules:
        try:
            linker.training.estimate_parameters_using_expectation_maximisation(rule)
        except ValueError as e:
            # Splink 5 stops a session whose EM drives an m below 1e-300 (a level never observed among the
            # pairs of that rule); the estimates of the other sessions stand, and the result says so.
            em_failed.append(f"{rule.blocking_rule_sql if hasattr(rule, 'blocking_rule_sql') else rule}: {str(e)[:120]}")
            print(f"EM session failed, kept the other estimates: {e}", file=sys.stderr)
    # Pairs below the clustering threshold cannot join clusters, so predict only those above it.
    pred = linker.inference.predict(threshold_match_probability=threshold)
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(pred, threshold_match_probability=threshold)
    cl_df = pl.from_pandas(clusters.as_pandas_dataframe()[["id", "cluster_id"]]).cast(pl.String)
    seconds = time.time() - t0

    if a.clusters:
        cl_df.write_csv(a.clusters)
    m = pairwise_metrics(truth, cl_df.rename({"cluster_id": "cluster"}))
    name = a.name or os.path.basename(a.data).removesuffix(".csv")
    print(json.dumps({"tool": "splink", "setup": a.setup, "dataset": name, "records": raw.height, "candidate_pairs": candidate_pairs,
                      "precision": m["precision"], "recall": m["recall"], "f1": m["f1"],
                      "seconds": round(seconds, 2), "em_sessions_failed": len(em_failed)}, ensure_ascii=False))


if __name__ == "__main__":
    main()
