
use builtin;
use str;

set edit:completion:arg-completer[steward] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'steward'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'steward'= {
            cand -q 'Print no messages on stderr (errors still go there)'
            cand --quiet 'Print no messages on stderr (errors still go there)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand inspect 'Show what steward detects in a file: format, encoding, delimiter, header row, counts and column mapping'
            cand import 'Read customer lists and write one table: schema fields, then unmapped columns, then _source and _row'
            cand validate 'Check every row against the schema and report, per field, what is valid, invalid and missing'
            cand normalize 'Write the table with every value normalized (E.164 phones, ISO dates, clean text); nothing is dropped'
            cand clean 'The whole cleanup job in one command: import, validate, normalize, dedupe, segment, and pseudonymize when a key is given; every output, a report and a manifest with checksums written into one folder'
            cand run 'Run a declared cleanup job (TOML): sources, schema, options, outputs and a policy; one folder per run'
            cand profile 'A data-quality profile: per column completeness, validity, uniqueness, distinct values, top values, value patterns, ranges, stale records, and an estimate of duplicate records'
            cand diff 'Compare two versions of a customer list: customers added, removed and changed (which fields)'
            cand dedupe 'Find records of the same customer, cluster them, and write one golden record per cluster'
            cand segment 'Grade customers by value (RFM scores and segment, A/B/C tier) and place them in their lifecycle stage'
            cand pseudonymize 'Write a dataset that can leave the team: identifiers tokenized, quasi-identifiers generalized, sensitive fields dropped, each as the schema''s privacy classes say unless a policy or flag says otherwise'
            cand reveal 'Decrypt values written by `pseudonymize --encrypt`, for a person authorized to hold the key'
            cand risk 'Report re-identification risk: how many records share each combination of quasi-identifiers'
            cand erase 'Remove every row of the people who asked to be deleted, with a receipt that holds no personal data'
            cand key 'Keys for tokens and encryption: create one (0600), print its id'
            cand audit 'Audit logs: verify the hash chain and the outputs each entry records'
            cand model 'A saved matching model past one machine: its features table, SQL for DuckDB, native scores'
            cand schema 'The customer schema: show it, or write an editable copy'
            cand completions 'Print a shell completion script'
            cand man 'Write man pages (one per subcommand) into a folder'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'steward;inspect'= {
            cand -d 'Field delimiter: a character, or one of comma, semicolon, tab, pipe [default: sniffed]'
            cand --delimiter 'Field delimiter: a character, or one of comma, semicolon, tab, pipe [default: sniffed]'
            cand --encoding 'Text encoding label, e.g. utf-8, gbk, gb18030, utf-16le, windows-1252 [default: detected]'
            cand --sheet 'Workbook sheet to read: its name, its 1-based number, or `all` [default: the first non-empty sheet]'
            cand --input-format 'Read every source as this format instead of detecting it'
            cand --table 'The table to read from a database source (postgres://USER@HOST/DB, mysql://USER@HOST/DB, sqlite:FILE or env:VAR)'
            cand --query 'A query whose result is read from a database source, instead of --table'
            cand --schema 'A schema file: steward TOML (see `steward schema init`) or a Frictionless Table Schema (.json)'
            cand --map 'Map a column onto a field by hand, e.g. --map "Cust No=id"; `COLUMN=` keeps it unmapped. Repeatable'
            cand --format 'Summary format: human (on stderr), or json (one document on stdout; on stderr when the data goes to stdout) [default: human]'
            cand --samples 'How many sample values to show per column'
            cand --steward-checks 'With a Table Schema: also run steward''s own checks of each field''s kind (email, phone and postcode by country, dates in other forms, ...) and normalize values, besides the spec''s types and constraints'
            cand --unmask 'Show sample values of personal fields unmasked (they are masked by default)'
            cand -q 'Print no messages on stderr (errors still go there)'
            cand --quiet 'Print no messages on stderr (errors still go there)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'steward;import'= {
            cand -o 'Output file, or - for stdout'
            cand --output 'Output file, or - for stdout'
            cand --output-format 'Data format: csv, tsv, jsonl, parquet or xlsx [default: from the extension of OUT; csv for stdout]'
            cand --out-table 'The table to write when -o names a database; loaded in one transaction that commits with the command''s other outputs'
            cand --if-exists 'When the --out-table exists: fail (the default; the table is created), replace its rows (one transaction, the table itself kept), or append to it'
            cand --format 'Summary format: human (on stderr), or json (one document on stdout; on stderr when the data goes to stdout) [default: human]'
            cand -d 'Field delimiter: a character, or one of comma, semicolon, tab, pipe [default: sniffed]'
            cand --delimiter 'Field delimiter: a character, or one of comma, semicolon, tab, pipe [default: sniffed]'
            cand --encoding 'Text encoding label, e.g. utf-8, gbk, gb18030, utf-16le, windows-1252 [default: detected]'
            cand --sheet 'Workbook sheet to read: its name, its 1-based number, or `all` [default: the first non-empty sheet]'
            cand --input-format 'Read every source as this format instead of detecting it'
            cand --table 'The table to read from a database source (postgres://USER@HOST/DB, mysql://USER@HOST/DB, sqlite:FILE or env:VAR)'
            cand --query 'A query whose result is read from a database source, instead of --table'
            cand --schema 'A schema file: steward TOML (see `steward schema init`) or a Frictionless Table Schema (.json)'
            cand --map 'Map a column onto a field by hand, e.g. --map "Cust No=id"; `COLUMN=` keeps it unmapped. Repeatable'
            cand --rejects 'Rejects file for --lenient [default: OUT with .rejects.csv]'
            cand --bom 'Start every CSV and TSV file written with a UTF-8 byte-order mark, so Excel on Windows opens Chinese and other non-ASCII text correctly (files only; other formats are unchanged)'
            cand --steward-checks 'With a Table Schema: also run steward''s own checks of each field''s kind (email, phone and postcode by country, dates in other forms, ...) and normalize values, besides the spec''s types and constraints'
            cand --lenient 'Send malformed rows to a rejects file instead of failing'
            cand --force 'Replace output files that already exist'
            cand --no-formula-guard 'Do not neutralize spreadsheet formulas in CSV/TSV output (for machine pipelines)'
            cand -q 'Print no messages on stderr (errors still go there)'
            cand --quiet 'Print no messages on stderr (errors still go there)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'steward;validate'= {
            cand -d 'Field delimiter: a character, or one of comma, semicolon, tab, pipe [default: sniffed]'
            cand --delimiter 'Field delimiter: a character, or one of comma, semicolon, tab, pipe [default: sniffed]'
            cand --encoding 'Text encoding label, e.g. utf-8, gbk, gb18030, utf-16le, windows-1252 [default: detected]'
            cand --sheet 'Workbook sheet to read: its name, its 1-based number, or `all` [default: the first non-empty sheet]'
            cand --input-format 'Read every source as this format instead of detecting it'
            cand --table 'The table to read from a database source (postgres://USER@HOST/DB, mysql://USER@HOST/DB, sqlite:FILE or env:VAR)'
            cand --query 'A query whose result is read from a database source, instead of --table'
            cand --schema 'A schema file: steward TOML (see `steward schema init`) or a Frictionless Table Schema (.json)'
            cand --map 'Map a column onto a field by hand, e.g. --map "Cust No=id"; `COLUMN=` keeps it unmapped. Repeatable'
            cand --findings 'Write every finding (_source, _row, record_id, field, rule, severity, value, message, suggestion) to FILE'
            cand --rejects 'Write the rows with errors, each with its reasons, to FILE'
            cand --fail-on 'Which findings make the run fail (exit code 1) [default: error for validate, never for normalize]'
            cand --max-errors 'How many failing findings are tolerated: a count, or a percentage of rows such as 2%'
            cand --format 'Summary format: human (on stderr), or json (one document on stdout; on stderr when the data goes to stdout) [default: human]'
            cand --default-region 'Region for phone numbers of rows without a country, e.g. CN, US, GB'
            cand --stale-after 'Flag records not updated or active for this long: 365d, 52w, 12m, 1y'
            cand --as-of 'The date checks count from (future dates, ages, staleness) [default: today]'
            cand --steward-checks 'With a Table Schema: also run steward''s own checks of each field''s kind (email, phone and postcode by country, dates in other forms, ...) and normalize values, besides the spec''s types and constraints'
            cand --mask-values 'Mask personal values in the findings and rejects files too'
            cand --day-first 'Read dates like 05/03/2024 as day/month/year (otherwise such ambiguous dates are findings)'
            cand --lenient 'Send malformed CSV rows to the rejects instead of failing'
            cand --bom 'Start every CSV and TSV file written with a UTF-8 byte-order mark, so Excel on Windows opens Chinese and other non-ASCII text correctly (files only; other formats are unchanged)'
            cand --force 'Replace findings and rejects files that already exist'
            cand -q 'Print no messages on stderr (errors still go there)'
            cand --quiet 'Print no messages on stderr (errors still go there)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'steward;normalize'= {
            cand -d 'Field delimiter: a character, or one of comma, semicolon, tab, pipe [default: sniffed]'
            cand --delimiter 'Field delimiter: a character, or one of comma, semicolon, tab, pipe [default: sniffed]'
            cand --encoding 'Text encoding label, e.g. utf-8, gbk, gb18030, utf-16le, windows-1252 [default: detected]'
            cand --sheet 'Workbook sheet to read: its name, its 1-based number, or `all` [default: the first non-empty sheet]'
            cand --input-format 'Read every source as this format instead of detecting it'
            cand --table 'The table to read from a database source (postgres://USER@HOST/DB, mysql://USER@HOST/DB, sqlite:FILE or env:VAR)'
            cand --query 'A query whose result is read from a database source, instead of --table'
            cand --schema 'A schema file: steward TOML (see `steward schema init`) or a Frictionless Table Schema (.json)'
            cand --map 'Map a column onto a field by hand, e.g. --map "Cust No=id"; `COLUMN=` keeps it unmapped. Repeatable'
            cand --findings 'Write every finding (_source, _row, record_id, field, rule, severity, value, message, suggestion) to FILE'
            cand --rejects 'Write the rows with errors, each with its reasons, to FILE'
            cand --fail-on 'Which findings make the run fail (exit code 1) [default: error for validate, never for normalize]'
            cand --max-errors 'How many failing findings are tolerated: a count, or a percentage of rows such as 2%'
            cand --format 'Summary format: human (on stderr), or json (one document on stdout; on stderr when the data goes to stdout) [default: human]'
            cand --default-region 'Region for phone numbers of rows without a country, e.g. CN, US, GB'
            cand --stale-after 'Flag records not updated or active for this long: 365d, 52w, 12m, 1y'
            cand --as-of 'The date checks count from (future dates, ages, staleness) [default: today]'
            cand -o 'Output file, or - for stdout'
            cand --output 'Output file, or - for stdout'
            cand --output-format 'Data format: csv, tsv, jsonl, parquet or xlsx [default: from the extension of OUT; csv for stdout]'
            cand --out-table 'The table to write when -o names a database; loaded in one transaction that commits with the command''s other outputs'
            cand --if-exists 'When the --out-table exists: fail (the default; the table is created), replace its rows (one transaction, the table itself kept), or append to it'
            cand --changes 'Write every change (_source, _row, field, before, after, rule) to FILE'
            cand --steward-checks 'With a Table Schema: also run steward''s own checks of each field''s kind (email, phone and postcode by country, dates in other forms, ...) and normalize values, besides the spec''s types and constraints'
            cand --mask-values 'Mask personal values in the findings and rejects files too'
            cand --day-first 'Read dates like 05/03/2024 as day/month/year (otherwise such ambiguous dates are findings)'
            cand --lenient 'Send malformed CSV rows to the rejects instead of failing'
            cand --bom 'Start every CSV and TSV file written with a UTF-8 byte-order mark, so Excel on Windows opens Chinese and other non-ASCII text correctly (files only; other formats are unchanged)'
            cand --split-names 'Fill given_name and family_name from the full name where both are empty (Chinese: family name first, compound surnames such as 欧阳; Latin: particles stay with the family name)'
            cand --force 'Replace output files that already exist'
            cand --no-formula-guard 'Do not neutralize spreadsheet formulas in CSV/TSV output'
            cand -q 'Print no messages on stderr (errors still go there)'
            cand --quiet 'Print no messages on stderr (errors still go there)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'steward;clean'= {
            cand --out 'Folder for every output (created if missing)'
            cand -o 'Also load the cleaned dataset into a database table (postgres://USER@HOST/DB, sqlite:FILE or env:VAR, with --out-table): committed when the output set lands, and only then'
            cand --output 'Also load the cleaned dataset into a database table (postgres://USER@HOST/DB, sqlite:FILE or env:VAR, with --out-table): committed when the output set lands, and only then'
            cand --out-table 'The table to write when -o names a database; loaded in one transaction that commits with the command''s other outputs'
            cand --if-exists 'When the --out-table exists: fail (the default; the table is created), replace its rows (one transaction, the table itself kept), or append to it'
            cand -d 'Field delimiter: a character, or one of comma, semicolon, tab, pipe [default: sniffed]'
            cand --delimiter 'Field delimiter: a character, or one of comma, semicolon, tab, pipe [default: sniffed]'
            cand --encoding 'Text encoding label, e.g. utf-8, gbk, gb18030, utf-16le, windows-1252 [default: detected]'
            cand --sheet 'Workbook sheet to read: its name, its 1-based number, or `all` [default: the first non-empty sheet]'
            cand --input-format 'Read every source as this format instead of detecting it'
            cand --table 'The table to read from a database source (postgres://USER@HOST/DB, mysql://USER@HOST/DB, sqlite:FILE or env:VAR)'
            cand --query 'A query whose result is read from a database source, instead of --table'
            cand --schema 'A schema file: steward TOML (see `steward schema init`) or a Frictionless Table Schema (.json)'
            cand --map 'Map a column onto a field by hand, e.g. --map "Cust No=id"; `COLUMN=` keeps it unmapped. Repeatable'
            cand --key-file 'Pseudonymize the cleaned dataset with this key (or STEWARD_KEY); without a key it keeps personal data'
            cand --domain 'Purpose or recipient of the tokens [default: default]'
            cand --normalization 'Normalization before tokens: n2, or n1 to reproduce tokens made before n2 (e-mail domains kept as written, phone numbers read as before n2; README: Normalization versions) [default: n2]'
            cand --audit-log 'Append this run to a hash-chained audit log (JSON lines; each entry sealed when a key is given)'
            cand --default-region 'Region for phone numbers of rows without a country, e.g. CN'
            cand --stale-after 'Flag records not updated or active for this long: 365d, 52w, 12m, 1y'
            cand --as-of 'Dates are checked and customers segmented as of this date [default: today]'
            cand --threshold 'Match probability at which two records are merged [default: 0.9, or the model''s]'
            cand --model 'Dedupe with a saved model (model.json of an earlier run, or dedupe --save-model) instead of training one on this run''s rows: the same weights and decisions run after run'
            cand --skip 'Steps to leave out: dedupe (every valid row becomes its own golden record), segment'
            cand --format 'Summary format: human (on stderr), or json (one document on stdout; on stderr when the data goes to stdout) [default: human]'
            cand --findings-format 'Format of the findings and rejects in the set, the files a steward reviews: csv, tsv, jsonl, parquet or xlsx (a workbook with a frozen header and filters, for Excel) [default: csv]'
            cand --output-format 'Format of the cleaned dataset: csv, tsv, jsonl, parquet or xlsx (cleaned.csv, cleaned.tsv...) [default: csv]'
            cand --steward-checks 'With a Table Schema: also run steward''s own checks of each field''s kind (email, phone and postcode by country, dates in other forms, ...) and normalize values, besides the spec''s types and constraints'
            cand --day-first 'Read dates like 05/03/2024 as day/month/year'
            cand --bom 'Start every CSV and TSV file written with a UTF-8 byte-order mark, so Excel on Windows opens Chinese and other non-ASCII text correctly (files only; other formats are unchanged)'
            cand --lenient 'Send malformed CSV rows to the rejects instead of failing'
            cand --no-restricted 'With a key: leave the raw files (golden records, rejects, findings, clusters, merge map, segments) out of the set instead of writing them to DIR/restricted/'
            cand --force 'Replace the output set already in DIR (the whole set: no earlier file survives)'
            cand -q 'Print no messages on stderr (errors still go there)'
            cand --quiet 'Print no messages on stderr (errors still go there)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'steward;run'= {
            cand --format 'Summary format: human (on stderr), or json (one document on stdout; on stderr when the data goes to stdout) [default: human]'
            cand --dry-run 'Print what the job would do, without doing it'
            cand -q 'Print no messages on stderr (errors still go there)'
            cand --quiet 'Print no messages on stderr (errors still go there)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'steward;profile'= {
            cand -d 'Field delimiter: a character, or one of comma, semicolon, tab, pipe [default: sniffed]'
            cand --delimiter 'Field delimiter: a character, or one of comma, semicolon, tab, pipe [default: sniffed]'
            cand --encoding 'Text encoding label, e.g. utf-8, gbk, gb18030, utf-16le, windows-1252 [default: detected]'
            cand --sheet 'Workbook sheet to read: its name, its 1-based number, or `all` [default: the first non-empty sheet]'
            cand --input-format 'Read every source as this format instead of detecting it'
            cand --table 'The table to read from a database source (postgres://USER@HOST/DB, mysql://USER@HOST/DB, sqlite:FILE or env:VAR)'
            cand --query 'A query whose result is read from a database source, instead of --table'
            cand --schema 'A schema file: steward TOML (see `steward schema init`) or a Frictionless Table Schema (.json)'
            cand --map 'Map a column onto a field by hand, e.g. --map "Cust No=id"; `COLUMN=` keeps it unmapped. Repeatable'
            cand --format 'Report format: human, json or md (Markdown); on stdout'
            cand --html 'Also write a self-contained HTML report (inline CSS and SVG, no network)'
            cand --stale-after 'Records whose updated_at or last purchase is older than this are stale: 365d, 52w, 12m, 1y'
            cand --as-of 'Dates are checked as of this date [default: today]'
            cand --default-region 'Region for phone numbers of rows without a country, e.g. CN'
            cand --top 'How many top values and patterns to show per column'
            cand --steward-checks 'With a Table Schema: also run steward''s own checks of each field''s kind (email, phone and postcode by country, dates in other forms, ...) and normalize values, besides the spec''s types and constraints'
            cand --unmask 'Show top values of personal fields unmasked'
            cand --lenient 'Count malformed CSV rows instead of failing'
            cand --force 'Replace the HTML file if it exists'
            cand -q 'Print no messages on stderr (errors still go there)'
            cand --quiet 'Print no messages on stderr (errors still go there)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'steward;diff'= {
            cand --key 'The field (or column) that identifies a customer in both lists'
            cand --changes 'Write every difference (key, status, field, old, new) to FILE'
            cand -d 'Field delimiter: a character, or one of comma, semicolon, tab, pipe [default: sniffed]'
            cand --delimiter 'Field delimiter: a character, or one of comma, semicolon, tab, pipe [default: sniffed]'
            cand --encoding 'Text encoding label, e.g. utf-8, gbk, gb18030, utf-16le, windows-1252 [default: detected]'
            cand --sheet 'Workbook sheet to read: its name, its 1-based number, or `all` [default: the first non-empty sheet]'
            cand --input-format 'Read every source as this format instead of detecting it'
            cand --table 'The table to read from a database source (postgres://USER@HOST/DB, mysql://USER@HOST/DB, sqlite:FILE or env:VAR)'
            cand --query 'A query whose result is read from a database source, instead of --table'
            cand --schema 'A schema file: steward TOML (see `steward schema init`) or a Frictionless Table Schema (.json)'
            cand --map 'Map a column onto a field by hand, e.g. --map "Cust No=id"; `COLUMN=` keeps it unmapped. Repeatable'
            cand --format 'Summary format: human (on stderr), or json (one document on stdout; on stderr when the data goes to stdout) [default: human]'
            cand --steward-checks 'With a Table Schema: also run steward''s own checks of each field''s kind (email, phone and postcode by country, dates in other forms, ...) and normalize values, besides the spec''s types and constraints'
            cand --mask-values 'Values in the changes file are masked for personal fields'
            cand --bom 'Start every CSV and TSV file written with a UTF-8 byte-order mark, so Excel on Windows opens Chinese and other non-ASCII text correctly (files only; other formats are unchanged)'
            cand --force 'Replace the changes file if it exists'
            cand -q 'Print no messages on stderr (errors still go there)'
            cand --quiet 'Print no messages on stderr (errors still go there)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'steward;dedupe'= {
            cand -o 'Golden records (one per cluster); with --link, each row of B with its match in A'
            cand --output 'Golden records (one per cluster); with --link, each row of B with its match in A'
            cand --output-format 'Data format: csv, tsv, jsonl, parquet or xlsx [default: from the extension of OUT; csv for stdout]'
            cand --out-table 'The table to write when -o names a database; loaded in one transaction that commits with the command''s other outputs'
            cand --if-exists 'When the --out-table exists: fail (the default; the table is created), replace its rows (one transaction, the table itself kept), or append to it'
            cand --format 'Summary format: human (on stderr), or json (one document on stdout; on stderr when the data goes to stdout) [default: human]'
            cand --clusters 'Every input row with cluster_id, cluster_size and match_probability'
            cand --pairs 'Scored candidate pairs with a per-field breakdown (level and weight of each comparison)'
            cand --merge-map 'Old record -> golden id, to update other systems'
            cand --review 'Uncertain pairs side by side with a decision column (xlsx: a drop-down of match / not a match / unsure, differing fields filled, the threshold, band and model on its About sheet; or csv), for a steward to decide'
            cand --review-html 'The uncertain pairs as one self-contained page: each pair''s fields and weights, decided with a click or a key (m / n / u, j / k to move), filtered by probability and field, saved as a CSV for --labels'
            cand --labels 'A filled-in review file (the xlsx or csv of --review, or the CSV saved from --review-html): decided pairs are obeyed (match / not a match; unsure is skipped) and refine the weights'
            cand --save-model 'Write the trained model (blocking rules, comparison levels, m and u per level, the prior, guards and thresholds; no personal value) as JSON, to score later lists the same way with --model'
            cand --model 'Score with a saved model (from --save-model) instead of training one: its blocking and weights, the same decisions run after run; with --labels, the labels refine it. --threshold still applies'
            cand --against 'Match new records into existing golden records (a previous OUT), keeping their golden ids'
            cand --explain 'Print why two records (by id, or by row number) do or do not match, field by field'
            cand --threshold 'Match probability at which a pair is accepted [default: 0.9, or the schema''s [dedupe] threshold]'
            cand --review-lower 'Lower bound of the review band [default: 0.5]'
            cand -d 'Field delimiter: a character, or one of comma, semicolon, tab, pipe [default: sniffed]'
            cand --delimiter 'Field delimiter: a character, or one of comma, semicolon, tab, pipe [default: sniffed]'
            cand --encoding 'Text encoding label, e.g. utf-8, gbk, gb18030, utf-16le, windows-1252 [default: detected]'
            cand --sheet 'Workbook sheet to read: its name, its 1-based number, or `all` [default: the first non-empty sheet]'
            cand --input-format 'Read every source as this format instead of detecting it'
            cand --table 'The table to read from a database source (postgres://USER@HOST/DB, mysql://USER@HOST/DB, sqlite:FILE or env:VAR)'
            cand --query 'A query whose result is read from a database source, instead of --table'
            cand --schema 'A schema file: steward TOML (see `steward schema init`) or a Frictionless Table Schema (.json)'
            cand --map 'Map a column onto a field by hand, e.g. --map "Cust No=id"; `COLUMN=` keeps it unmapped. Repeatable'
            cand --bom 'Start every CSV and TSV file written with a UTF-8 byte-order mark, so Excel on Windows opens Chinese and other non-ASCII text correctly (files only; other formats are unchanged)'
            cand --link 'Link two lists: for each row of the second, the matching customer in the first'
            cand --steward-checks 'With a Table Schema: also run steward''s own checks of each field''s kind (email, phone and postcode by country, dates in other forms, ...) and normalize values, besides the spec''s types and constraints'
            cand --lenient 'Send malformed CSV rows to the report instead of failing'
            cand --force 'Replace output files that already exist'
            cand --no-formula-guard 'Do not neutralize spreadsheet formulas in CSV/TSV output'
            cand -q 'Print no messages on stderr (errors still go there)'
            cand --quiet 'Print no messages on stderr (errors still go there)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'steward;segment'= {
            cand -o 'Output file, or - for stdout'
            cand --output 'Output file, or - for stdout'
            cand --output-format 'Data format: csv, tsv, jsonl, parquet or xlsx [default: from the extension of OUT; csv for stdout]'
            cand --out-table 'The table to write when -o names a database; loaded in one transaction that commits with the command''s other outputs'
            cand --if-exists 'When the --out-table exists: fail (the default; the table is created), replace its rows (one transaction, the table itself kept), or append to it'
            cand --as-of 'The date recency is counted from [default: today]'
            cand --new-days 'A customer whose only order is at most this many days old is new'
            cand --loyal-orders 'Orders that make a recent customer loyal'
            cand --at-risk-days 'No purchase for this many days: at risk'
            cand --churn-days 'No purchase for this many days: churned'
            cand --tiers 'Cumulative share of spend that makes tier A, and A+B (percent)'
            cand --format 'Summary format: human (on stderr), or json (one document on stdout; on stderr when the data goes to stdout) [default: human]'
            cand -d 'Field delimiter: a character, or one of comma, semicolon, tab, pipe [default: sniffed]'
            cand --delimiter 'Field delimiter: a character, or one of comma, semicolon, tab, pipe [default: sniffed]'
            cand --encoding 'Text encoding label, e.g. utf-8, gbk, gb18030, utf-16le, windows-1252 [default: detected]'
            cand --sheet 'Workbook sheet to read: its name, its 1-based number, or `all` [default: the first non-empty sheet]'
            cand --input-format 'Read every source as this format instead of detecting it'
            cand --table 'The table to read from a database source (postgres://USER@HOST/DB, mysql://USER@HOST/DB, sqlite:FILE or env:VAR)'
            cand --query 'A query whose result is read from a database source, instead of --table'
            cand --schema 'A schema file: steward TOML (see `steward schema init`) or a Frictionless Table Schema (.json)'
            cand --map 'Map a column onto a field by hand, e.g. --map "Cust No=id"; `COLUMN=` keeps it unmapped. Repeatable'
            cand --bom 'Start every CSV and TSV file written with a UTF-8 byte-order mark, so Excel on Windows opens Chinese and other non-ASCII text correctly (files only; other formats are unchanged)'
            cand --steward-checks 'With a Table Schema: also run steward''s own checks of each field''s kind (email, phone and postcode by country, dates in other forms, ...) and normalize values, besides the spec''s types and constraints'
            cand --force 'Replace output files that already exist'
            cand --no-formula-guard 'Do not neutralize spreadsheet formulas in CSV/TSV output'
            cand -q 'Print no messages on stderr (errors still go there)'
            cand --quiet 'Print no messages on stderr (errors still go there)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'steward;pseudonymize'= {
            cand -o 'Output file, or - for stdout'
            cand --output 'Output file, or - for stdout'
            cand --output-format 'Data format: csv, tsv, jsonl, parquet or xlsx [default: from the extension of OUT; csv for stdout]'
            cand --out-table 'The table to write when -o names a database; loaded in one transaction that commits with the command''s other outputs'
            cand --if-exists 'When the --out-table exists: fail (the default; the table is created), replace its rows (one transaction, the table itself kept), or append to it'
            cand --format 'Summary format: human (on stderr), or json (one document on stdout; on stderr when the data goes to stdout) [default: human]'
            cand -d 'Field delimiter: a character, or one of comma, semicolon, tab, pipe [default: sniffed]'
            cand --delimiter 'Field delimiter: a character, or one of comma, semicolon, tab, pipe [default: sniffed]'
            cand --encoding 'Text encoding label, e.g. utf-8, gbk, gb18030, utf-16le, windows-1252 [default: detected]'
            cand --sheet 'Workbook sheet to read: its name, its 1-based number, or `all` [default: the first non-empty sheet]'
            cand --input-format 'Read every source as this format instead of detecting it'
            cand --table 'The table to read from a database source (postgres://USER@HOST/DB, mysql://USER@HOST/DB, sqlite:FILE or env:VAR)'
            cand --query 'A query whose result is read from a database source, instead of --table'
            cand --schema 'A schema file: steward TOML (see `steward schema init`) or a Frictionless Table Schema (.json)'
            cand --map 'Map a column onto a field by hand, e.g. --map "Cust No=id"; `COLUMN=` keeps it unmapped. Repeatable'
            cand --key-file 'Key file (from `steward key new`; mode 0600) [default: the STEWARD_KEY environment variable, hex]'
            cand --domain 'Purpose or recipient the tokens are for: another domain gives unrelated tokens [default: default]'
            cand --policy 'Policy file (TOML): `domain = "..."` and a [columns] table of COLUMN = "ACTION"'
            cand --normalization 'Normalization before tokens: n2, or n1 to reproduce tokens made before n2 (e-mail domains kept as written, phone numbers read as before n2; README: Normalization versions) [default: the policy file''s, else n2]'
            cand --token 'Tokenize these columns (schema field names or source headers)'
            cand --encrypt 'Encrypt these columns (AES-SIV; `steward reveal` decrypts them)'
            cand --mask 'Mask these columns for people reading them'
            cand --generalize 'Generalize columns: birth_date=year, signup_date=month, birth_date=age10, postcode=3, total_spend=band:1000'
            cand --drop 'Drop these columns'
            cand --keep 'Keep these columns as they are (e-mails, phone numbers and resident IDs written inside them are still replaced by their tokens; see --no-scan)'
            cand --no-scan 'Kept columns NOT to scan for embedded e-mails, phone numbers and resident IDs (they are written exactly as they came)'
            cand --k 'Generalize further or suppress records until every group of quasi-identifiers has at least K records'
            cand --quasi 'Quasi-identifiers for --k [default: the schema''s quasi-identifier fields in the output]'
            cand --max-suppress 'With --k: the share of records that may be suppressed before generalizing further'
            cand --mapping 'Write token -> original value to FILE (mode 0600), for whoever may re-identify; never by default'
            cand --consent-field 'The consent field (e.g. marketing_consent), with --consent-only'
            cand --metadata 'Metadata file [default: OUT.meta.json; required when OUT is stdout]'
            cand --default-region 'Region for phone numbers of rows without a country, e.g. CN'
            cand --as-of 'Age bands are counted at this date [default: today]'
            cand --bom 'Start every CSV and TSV file written with a UTF-8 byte-order mark, so Excel on Windows opens Chinese and other non-ASCII text correctly (files only; other formats are unchanged)'
            cand --steward-checks 'With a Table Schema: also run steward''s own checks of each field''s kind (email, phone and postcode by country, dates in other forms, ...) and normalize values, besides the spec''s types and constraints'
            cand --consent-only 'Keep only customers whose consent field says yes'
            cand --lenient 'Send malformed CSV rows to the rejects instead of failing'
            cand --force 'Replace output files that already exist'
            cand --no-formula-guard 'Do not neutralize spreadsheet formulas in CSV/TSV output'
            cand -q 'Print no messages on stderr (errors still go there)'
            cand --quiet 'Print no messages on stderr (errors still go there)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'steward;reveal'= {
            cand -o 'Output file, or - for stdout'
            cand --output 'Output file, or - for stdout'
            cand --output-format 'Data format: csv, tsv, jsonl, parquet or xlsx [default: from the extension of OUT; csv for stdout]'
            cand --out-table 'The table to write when -o names a database; loaded in one transaction that commits with the command''s other outputs'
            cand --if-exists 'When the --out-table exists: fail (the default; the table is created), replace its rows (one transaction, the table itself kept), or append to it'
            cand --columns 'Columns to decrypt [default: every column holding encrypted values]'
            cand -d 'Field delimiter: a character, or one of comma, semicolon, tab, pipe [default: sniffed]'
            cand --delimiter 'Field delimiter: a character, or one of comma, semicolon, tab, pipe [default: sniffed]'
            cand --encoding 'Text encoding label, e.g. utf-8, gbk, gb18030, utf-16le, windows-1252 [default: detected]'
            cand --sheet 'Workbook sheet to read: its name, its 1-based number, or `all` [default: the first non-empty sheet]'
            cand --input-format 'Read every source as this format instead of detecting it'
            cand --table 'The table to read from a database source (postgres://USER@HOST/DB, mysql://USER@HOST/DB, sqlite:FILE or env:VAR)'
            cand --query 'A query whose result is read from a database source, instead of --table'
            cand --key-file 'Key file (from `steward key new`; mode 0600) [default: the STEWARD_KEY environment variable, hex]'
            cand --domain 'Purpose or recipient the tokens are for: another domain gives unrelated tokens [default: default]'
            cand --bom 'Start every CSV and TSV file written with a UTF-8 byte-order mark, so Excel on Windows opens Chinese and other non-ASCII text correctly (files only; other formats are unchanged)'
            cand --force 'Replace output files that already exist'
            cand -q 'Print no messages on stderr (errors still go there)'
            cand --quiet 'Print no messages on stderr (errors still go there)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'steward;risk'= {
            cand --quasi 'Quasi-identifiers (schema field names or source headers) [default: the schema''s quasi-identifiers]'
            cand -k 'The smallest acceptable group size'
            cand --k 'The smallest acceptable group size'
            cand -d 'Field delimiter: a character, or one of comma, semicolon, tab, pipe [default: sniffed]'
            cand --delimiter 'Field delimiter: a character, or one of comma, semicolon, tab, pipe [default: sniffed]'
            cand --encoding 'Text encoding label, e.g. utf-8, gbk, gb18030, utf-16le, windows-1252 [default: detected]'
            cand --sheet 'Workbook sheet to read: its name, its 1-based number, or `all` [default: the first non-empty sheet]'
            cand --input-format 'Read every source as this format instead of detecting it'
            cand --table 'The table to read from a database source (postgres://USER@HOST/DB, mysql://USER@HOST/DB, sqlite:FILE or env:VAR)'
            cand --query 'A query whose result is read from a database source, instead of --table'
            cand --schema 'A schema file: steward TOML (see `steward schema init`) or a Frictionless Table Schema (.json)'
            cand --map 'Map a column onto a field by hand, e.g. --map "Cust No=id"; `COLUMN=` keeps it unmapped. Repeatable'
            cand --format 'Summary format: human (on stderr), or json (one document on stdout; on stderr when the data goes to stdout) [default: human]'
            cand --steward-checks 'With a Table Schema: also run steward''s own checks of each field''s kind (email, phone and postcode by country, dates in other forms, ...) and normalize values, besides the spec''s types and constraints'
            cand -q 'Print no messages on stderr (errors still go there)'
            cand --quiet 'Print no messages on stderr (errors still go there)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'steward;erase'= {
            cand --requests 'File of identifiers to erase: one per line, or columns under a header naming their kind'
            cand -o 'Output file for one source (- for stdout), or an existing folder for several'
            cand --output 'Output file for one source (- for stdout), or an existing folder for several'
            cand --format 'Summary format: human (on stderr), or json (one document on stdout; on stderr when the data goes to stdout) [default: human]'
            cand --receipt 'Erasure receipt (JSON)'
            cand --key-file 'Key file (from `steward key new`; mode 0600) [default: the STEWARD_KEY environment variable, hex]'
            cand --domain 'Purpose or recipient the tokens are for: another domain gives unrelated tokens [default: default]'
            cand -d 'Field delimiter: a character, or one of comma, semicolon, tab, pipe [default: sniffed]'
            cand --delimiter 'Field delimiter: a character, or one of comma, semicolon, tab, pipe [default: sniffed]'
            cand --encoding 'Text encoding label, e.g. utf-8, gbk, gb18030, utf-16le, windows-1252 [default: detected]'
            cand --sheet 'Workbook sheet to read: its name, its 1-based number, or `all` [default: the first non-empty sheet]'
            cand --input-format 'Read every source as this format instead of detecting it'
            cand --table 'The table to read from a database source (postgres://USER@HOST/DB, mysql://USER@HOST/DB, sqlite:FILE or env:VAR)'
            cand --query 'A query whose result is read from a database source, instead of --table'
            cand --schema 'A schema file: steward TOML (see `steward schema init`) or a Frictionless Table Schema (.json)'
            cand --map 'Map a column onto a field by hand, e.g. --map "Cust No=id"; `COLUMN=` keeps it unmapped. Repeatable'
            cand --default-region 'Region for phone numbers written without a country code in rows without a country, e.g. CN'
            cand --normalization 'Normalization the receipt''s request tokens are made with: n2, or n1 to join with data tokenized before n2 (requests are matched with the current one either way) [default: n2]'
            cand --in-place 'Rewrite each source in place, atomically, in its own format (no backup copy is kept); a database table has its rows deleted in one transaction'
            cand --dry-run 'Count what would be erased and redacted, and write nothing (no output, no receipt)'
            cand --steward-checks 'With a Table Schema: also run steward''s own checks of each field''s kind (email, phone and postcode by country, dates in other forms, ...) and normalize values, besides the spec''s types and constraints'
            cand --force 'Replace output files that already exist'
            cand -q 'Print no messages on stderr (errors still go there)'
            cand --quiet 'Print no messages on stderr (errors still go there)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'steward;key'= {
            cand -q 'Print no messages on stderr (errors still go there)'
            cand --quiet 'Print no messages on stderr (errors still go there)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand new 'Create a 256-bit random key file readable by its owner only (0600)'
            cand id 'Print a key''s id: a fingerprint that reveals nothing of the key'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'steward;key;new'= {
            cand --force 'Replace the file if it exists'
            cand -q 'Print no messages on stderr (errors still go there)'
            cand --quiet 'Print no messages on stderr (errors still go there)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'steward;key;id'= {
            cand -q 'Print no messages on stderr (errors still go there)'
            cand --quiet 'Print no messages on stderr (errors still go there)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'steward;key;help'= {
            cand new 'Create a 256-bit random key file readable by its owner only (0600)'
            cand id 'Print a key''s id: a fingerprint that reveals nothing of the key'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'steward;key;help;new'= {
        }
        &'steward;key;help;id'= {
        }
        &'steward;key;help;help'= {
        }
        &'steward;audit'= {
            cand -q 'Print no messages on stderr (errors still go there)'
            cand --quiet 'Print no messages on stderr (errors still go there)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand verify 'Check an audit log: every entry chained to the one before, each entry''s own hash and (with keys) its seal, and every recorded output still as recorded; prints the entry count and the head hash to anchor elsewhere'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'steward;audit;verify'= {
            cand --key-file 'Check seals with this key (repeatable, for a log that spans a key rotation; STEWARD_KEY is used too)'
            cand --expect-head 'The head hash anchored elsewhere: detects a removed or edited last entry'
            cand --expect-entries 'The number of entries anchored elsewhere: detects removed entries at the end'
            cand --format 'Summary format: human (on stderr), or json (one document on stdout; on stderr when the data goes to stdout) [default: human]'
            cand --chain-only 'Check only the chain, hashes and seals, not the output files'
            cand -q 'Print no messages on stderr (errors still go there)'
            cand --quiet 'Print no messages on stderr (errors still go there)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'steward;audit;help'= {
            cand verify 'Check an audit log: every entry chained to the one before, each entry''s own hash and (with keys) its seal, and every recorded output still as recorded; prints the entry count and the head hash to anchor elsewhere'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'steward;audit;help;verify'= {
        }
        &'steward;audit;help;help'= {
        }
        &'steward;model'= {
            cand -q 'Print no messages on stderr (errors still go there)'
            cand --quiet 'Print no messages on stderr (errors still go there)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand features 'Every per-record value a saved model''s comparisons and blocking rules need, one row per record, as Parquet for a warehouse engine to score with `steward model sql`'
            cand sql 'SQL that scores a saved model''s candidate pairs over its features table in DuckDB, as steward does natively: the same pairs, levels and probabilities'
            cand score 'Score a list''s candidate pairs natively with a saved model, in the columns `steward model sql` returns (to compare an engine''s result with steward''s)'
            cand cluster 'Cluster a list by candidate pairs a warehouse engine scored with a saved model''s SQL: connected components of the pairs at or above the threshold, with the chaining guard, as `steward dedupe --model` clusters'
            cand train 'Train a model from the counts its SQL returned in a warehouse engine (`model sql --counts`): u from the random pairs'' levels, m and the prior by EM over the candidate pairs'' patterns, as the native engine does'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'steward;model;features'= {
            cand -o 'The features table (.parquet)'
            cand --output 'The features table (.parquet)'
            cand --model 'The saved model (dedupe --save-model, or a cleanup''s model.json)'
            cand --row-offset 'The first record''s row number: a shard of a list featurized on its own starts where the shards before it end, so the shards'' tables together are the whole list''s'
            cand -d 'Field delimiter: a character, or one of comma, semicolon, tab, pipe [default: sniffed]'
            cand --delimiter 'Field delimiter: a character, or one of comma, semicolon, tab, pipe [default: sniffed]'
            cand --encoding 'Text encoding label, e.g. utf-8, gbk, gb18030, utf-16le, windows-1252 [default: detected]'
            cand --sheet 'Workbook sheet to read: its name, its 1-based number, or `all` [default: the first non-empty sheet]'
            cand --input-format 'Read every source as this format instead of detecting it'
            cand --table 'The table to read from a database source (postgres://USER@HOST/DB, mysql://USER@HOST/DB, sqlite:FILE or env:VAR)'
            cand --query 'A query whose result is read from a database source, instead of --table'
            cand --schema 'A schema file: steward TOML (see `steward schema init`) or a Frictionless Table Schema (.json)'
            cand --map 'Map a column onto a field by hand, e.g. --map "Cust No=id"; `COLUMN=` keeps it unmapped. Repeatable'
            cand --steward-checks 'With a Table Schema: also run steward''s own checks of each field''s kind (email, phone and postcode by country, dates in other forms, ...) and normalize values, besides the spec''s types and constraints'
            cand --lenient 'Send malformed CSV rows to the report instead of failing'
            cand --force 'Replace an output file that already exists'
            cand -q 'Print no messages on stderr (errors still go there)'
            cand --quiet 'Print no messages on stderr (errors still go there)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'steward;model;sql'= {
            cand --model 'The saved model'
            cand --dialect 'The SQL dialect'
            cand -o 'The SQL file [default: stdout]'
            cand --output 'The SQL file [default: stdout]'
            cand --random-pairs 'With --counts: random pairs whose levels estimate u'
            cand --counts 'SQL returning the counts `steward model train` fits a model from (level patterns of the candidate pairs and of random pairs), instead of the scores'
            cand --force 'Replace an output file that already exists'
            cand -q 'Print no messages on stderr (errors still go there)'
            cand --quiet 'Print no messages on stderr (errors still go there)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'steward;model;score'= {
            cand -o 'The scored pairs (csv, tsv, jsonl, parquet, xlsx by extension; - for stdout)'
            cand --output 'The scored pairs (csv, tsv, jsonl, parquet, xlsx by extension; - for stdout)'
            cand --model 'The saved model'
            cand -d 'Field delimiter: a character, or one of comma, semicolon, tab, pipe [default: sniffed]'
            cand --delimiter 'Field delimiter: a character, or one of comma, semicolon, tab, pipe [default: sniffed]'
            cand --encoding 'Text encoding label, e.g. utf-8, gbk, gb18030, utf-16le, windows-1252 [default: detected]'
            cand --sheet 'Workbook sheet to read: its name, its 1-based number, or `all` [default: the first non-empty sheet]'
            cand --input-format 'Read every source as this format instead of detecting it'
            cand --table 'The table to read from a database source (postgres://USER@HOST/DB, mysql://USER@HOST/DB, sqlite:FILE or env:VAR)'
            cand --query 'A query whose result is read from a database source, instead of --table'
            cand --schema 'A schema file: steward TOML (see `steward schema init`) or a Frictionless Table Schema (.json)'
            cand --map 'Map a column onto a field by hand, e.g. --map "Cust No=id"; `COLUMN=` keeps it unmapped. Repeatable'
            cand --steward-checks 'With a Table Schema: also run steward''s own checks of each field''s kind (email, phone and postcode by country, dates in other forms, ...) and normalize values, besides the spec''s types and constraints'
            cand --lenient 'Send malformed CSV rows to the report instead of failing'
            cand --force 'Replace an output file that already exists'
            cand -q 'Print no messages on stderr (errors still go there)'
            cand --quiet 'Print no messages on stderr (errors still go there)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'steward;model;cluster'= {
            cand -o 'Every input row with golden_id, cluster_id, cluster_size and match_probability'
            cand --output 'Every input row with golden_id, cluster_id, cluster_size and match_probability'
            cand --merge-map 'Old record -> golden id'
            cand --model 'The saved model that scored the pairs'
            cand --pairs 'The scored pairs (.csv or .parquet): row_a, row_b, match_probability'
            cand -d 'Field delimiter: a character, or one of comma, semicolon, tab, pipe [default: sniffed]'
            cand --delimiter 'Field delimiter: a character, or one of comma, semicolon, tab, pipe [default: sniffed]'
            cand --encoding 'Text encoding label, e.g. utf-8, gbk, gb18030, utf-16le, windows-1252 [default: detected]'
            cand --sheet 'Workbook sheet to read: its name, its 1-based number, or `all` [default: the first non-empty sheet]'
            cand --input-format 'Read every source as this format instead of detecting it'
            cand --table 'The table to read from a database source (postgres://USER@HOST/DB, mysql://USER@HOST/DB, sqlite:FILE or env:VAR)'
            cand --query 'A query whose result is read from a database source, instead of --table'
            cand --schema 'A schema file: steward TOML (see `steward schema init`) or a Frictionless Table Schema (.json)'
            cand --map 'Map a column onto a field by hand, e.g. --map "Cust No=id"; `COLUMN=` keeps it unmapped. Repeatable'
            cand --steward-checks 'With a Table Schema: also run steward''s own checks of each field''s kind (email, phone and postcode by country, dates in other forms, ...) and normalize values, besides the spec''s types and constraints'
            cand --lenient 'Send malformed CSV rows to the report instead of failing'
            cand --force 'Replace output files that already exist'
            cand -q 'Print no messages on stderr (errors still go there)'
            cand --quiet 'Print no messages on stderr (errors still go there)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'steward;model;train'= {
            cand --model 'The model whose configuration is trained (dedupe --save-model, or a cleanup''s model.json)'
            cand --counts 'The counts (.csv or .parquet)'
            cand --save-model 'Where the trained model is written'
            cand --force 'Replace an output file that already exists'
            cand -q 'Print no messages on stderr (errors still go there)'
            cand --quiet 'Print no messages on stderr (errors still go there)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'steward;model;help'= {
            cand features 'Every per-record value a saved model''s comparisons and blocking rules need, one row per record, as Parquet for a warehouse engine to score with `steward model sql`'
            cand sql 'SQL that scores a saved model''s candidate pairs over its features table in DuckDB, as steward does natively: the same pairs, levels and probabilities'
            cand score 'Score a list''s candidate pairs natively with a saved model, in the columns `steward model sql` returns (to compare an engine''s result with steward''s)'
            cand cluster 'Cluster a list by candidate pairs a warehouse engine scored with a saved model''s SQL: connected components of the pairs at or above the threshold, with the chaining guard, as `steward dedupe --model` clusters'
            cand train 'Train a model from the counts its SQL returned in a warehouse engine (`model sql --counts`): u from the random pairs'' levels, m and the prior by EM over the candidate pairs'' patterns, as the native engine does'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'steward;model;help;features'= {
        }
        &'steward;model;help;sql'= {
        }
        &'steward;model;help;score'= {
        }
        &'steward;model;help;cluster'= {
        }
        &'steward;model;help;train'= {
        }
        &'steward;model;help;help'= {
        }
        &'steward;schema'= {
            cand -q 'Print no messages on stderr (errors still go there)'
            cand --quiet 'Print no messages on stderr (errors still go there)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand show 'Print the schema: fields, kinds, privacy classes, rules and header aliases'
            cand init 'Write an editable copy of the built-in schema'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'steward;schema;show'= {
            cand --schema 'Show this schema instead of the built-in one'
            cand --format 'format'
            cand -q 'Print no messages on stderr (errors still go there)'
            cand --quiet 'Print no messages on stderr (errors still go there)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'steward;schema;init'= {
            cand --force 'Replace the file if it exists'
            cand -q 'Print no messages on stderr (errors still go there)'
            cand --quiet 'Print no messages on stderr (errors still go there)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'steward;schema;help'= {
            cand show 'Print the schema: fields, kinds, privacy classes, rules and header aliases'
            cand init 'Write an editable copy of the built-in schema'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'steward;schema;help;show'= {
        }
        &'steward;schema;help;init'= {
        }
        &'steward;schema;help;help'= {
        }
        &'steward;completions'= {
            cand -q 'Print no messages on stderr (errors still go there)'
            cand --quiet 'Print no messages on stderr (errors still go there)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'steward;man'= {
            cand -q 'Print no messages on stderr (errors still go there)'
            cand --quiet 'Print no messages on stderr (errors still go there)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'steward;help'= {
            cand inspect 'Show what steward detects in a file: format, encoding, delimiter, header row, counts and column mapping'
            cand import 'Read customer lists and write one table: schema fields, then unmapped columns, then _source and _row'
            cand validate 'Check every row against the schema and report, per field, what is valid, invalid and missing'
            cand normalize 'Write the table with every value normalized (E.164 phones, ISO dates, clean text); nothing is dropped'
            cand clean 'The whole cleanup job in one command: import, validate, normalize, dedupe, segment, and pseudonymize when a key is given; every output, a report and a manifest with checksums written into one folder'
            cand run 'Run a declared cleanup job (TOML): sources, schema, options, outputs and a policy; one folder per run'
            cand profile 'A data-quality profile: per column completeness, validity, uniqueness, distinct values, top values, value patterns, ranges, stale records, and an estimate of duplicate records'
            cand diff 'Compare two versions of a customer list: customers added, removed and changed (which fields)'
            cand dedupe 'Find records of the same customer, cluster them, and write one golden record per cluster'
            cand segment 'Grade customers by value (RFM scores and segment, A/B/C tier) and place them in their lifecycle stage'
            cand pseudonymize 'Write a dataset that can leave the team: identifiers tokenized, quasi-identifiers generalized, sensitive fields dropped, each as the schema''s privacy classes say unless a policy or flag says otherwise'
            cand reveal 'Decrypt values written by `pseudonymize --encrypt`, for a person authorized to hold the key'
            cand risk 'Report re-identification risk: how many records share each combination of quasi-identifiers'
            cand erase 'Remove every row of the people who asked to be deleted, with a receipt that holds no personal data'
            cand key 'Keys for tokens and encryption: create one (0600), print its id'
            cand audit 'Audit logs: verify the hash chain and the outputs each entry records'
            cand model 'A saved matching model past one machine: its features table, SQL for DuckDB, native scores'
            cand schema 'The customer schema: show it, or write an editable copy'
            cand completions 'Print a shell completion script'
            cand man 'Write man pages (one per subcommand) into a folder'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'steward;help;inspect'= {
        }
        &'steward;help;import'= {
        }
        &'steward;help;validate'= {
        }
        &'steward;help;normalize'= {
        }
        &'steward;help;clean'= {
        }
        &'steward;help;run'= {
        }
        &'steward;help;profile'= {
        }
        &'steward;help;diff'= {
        }
        &'steward;help;dedupe'= {
        }
        &'steward;help;segment'= {
        }
        &'steward;help;pseudonymize'= {
        }
        &'steward;help;reveal'= {
        }
        &'steward;help;risk'= {
        }
        &'steward;help;erase'= {
        }
        &'steward;help;key'= {
            cand new 'Create a 256-bit random key file readable by its owner only (0600)'
            cand id 'Print a key''s id: a fingerprint that reveals nothing of the key'
        }
        &'steward;help;key;new'= {
        }
        &'steward;help;key;id'= {
        }
        &'steward;help;audit'= {
            cand verify 'Check an audit log: every entry chained to the one before, each entry''s own hash and (with keys) its seal, and every recorded output still as recorded; prints the entry count and the head hash to anchor elsewhere'
        }
        &'steward;help;audit;verify'= {
        }
        &'steward;help;model'= {
            cand features 'Every per-record value a saved model''s comparisons and blocking rules need, one row per record, as Parquet for a warehouse engine to score with `steward model sql`'
            cand sql 'SQL that scores a saved model''s candidate pairs over its features table in DuckDB, as steward does natively: the same pairs, levels and probabilities'
            cand score 'Score a list''s candidate pairs natively with a saved model, in the columns `steward model sql` returns (to compare an engine''s result with steward''s)'
            cand cluster 'Cluster a list by candidate pairs a warehouse engine scored with a saved model''s SQL: connected components of the pairs at or above the threshold, with the chaining guard, as `steward dedupe --model` clusters'
            cand train 'Train a model from the counts its SQL returned in a warehouse engine (`model sql --counts`): u from the random pairs'' levels, m and the prior by EM over the candidate pairs'' patterns, as the native engine does'
        }
        &'steward;help;model;features'= {
        }
        &'steward;help;model;sql'= {
        }
        &'steward;help;model;score'= {
        }
        &'steward;help;model;cluster'= {
        }
        &'steward;help;model;train'= {
        }
        &'steward;help;schema'= {
            cand show 'Print the schema: fields, kinds, privacy classes, rules and header aliases'
            cand init 'Write an editable copy of the built-in schema'
        }
        &'steward;help;schema;show'= {
        }
        &'steward;help;schema;init'= {
        }
        &'steward;help;completions'= {
        }
        &'steward;help;man'= {
        }
        &'steward;help;help'= {
        }
    ]
    $completions[$command]
}
