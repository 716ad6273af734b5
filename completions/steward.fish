# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_steward_global_optspecs
    string join \n q/quiet h/help V/version
end

function __fish_steward_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_steward_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_steward_using_subcommand
    set -l cmd (__fish_steward_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c steward -n "__fish_steward_needs_command" -s q -l quiet -d 'Print no messages on stderr (errors still go there)'
complete -c steward -n "__fish_steward_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c steward -n "__fish_steward_needs_command" -s V -l version -d 'Print version'
complete -c steward -n "__fish_steward_needs_command" -f -a "inspect" -d 'Show what steward detects in a file: format, encoding, delimiter, header row, counts and column mapping'
complete -c steward -n "__fish_steward_needs_command" -f -a "import" -d 'Read customer lists and write one table: schema fields, then unmapped columns, then _source and _row'
complete -c steward -n "__fish_steward_needs_command" -f -a "validate" -d 'Check every row against the schema and report, per field, what is valid, invalid and missing'
complete -c steward -n "__fish_steward_needs_command" -f -a "normalize" -d 'Write the table with every value normalized (E.164 phones, ISO dates, clean text); nothing is dropped'
complete -c steward -n "__fish_steward_needs_command" -f -a "clean" -d 'The whole cleanup job in one command: import, validate, normalize, dedupe, segment, and pseudonymize when a key is given; every output, a report and a manifest with checksums written into one folder'
complete -c steward -n "__fish_steward_needs_command" -f -a "run" -d 'Run a declared cleanup job (TOML): sources, schema, options, outputs and a policy; one folder per run'
complete -c steward -n "__fish_steward_needs_command" -f -a "profile" -d 'A data-quality profile: per column completeness, validity, uniqueness, distinct values, top values, value patterns, ranges, stale records, and an estimate of duplicate records'
complete -c steward -n "__fish_steward_needs_command" -f -a "diff" -d 'Compare two versions of a customer list: customers added, removed and changed (which fields)'
complete -c steward -n "__fish_steward_needs_command" -f -a "dedupe" -d 'Find records of the same customer, cluster them, and write one golden record per cluster'
complete -c steward -n "__fish_steward_needs_command" -f -a "segment" -d 'Grade customers by value (RFM scores and segment, A/B/C tier) and place them in their lifecycle stage'
complete -c steward -n "__fish_steward_needs_command" -f -a "pseudonymize" -d 'Write a dataset that can leave the team: identifiers tokenized, quasi-identifiers generalized, sensitive fields dropped, each as the schema\'s privacy classes say unless a policy or flag says otherwise'
complete -c steward -n "__fish_steward_needs_command" -f -a "reveal" -d 'Decrypt values written by `pseudonymize --encrypt`, for a person authorized to hold the key'
complete -c steward -n "__fish_steward_needs_command" -f -a "risk" -d 'Report re-identification risk: how many records share each combination of quasi-identifiers'
complete -c steward -n "__fish_steward_needs_command" -f -a "erase" -d 'Remove every row of the people who asked to be deleted, with a receipt that holds no personal data'
complete -c steward -n "__fish_steward_needs_command" -f -a "key" -d 'Keys for tokens and encryption: create one (0600), print its id'
complete -c steward -n "__fish_steward_needs_command" -f -a "audit" -d 'Audit logs: verify the hash chain and the outputs each entry records'
complete -c steward -n "__fish_steward_needs_command" -f -a "model" -d 'A saved matching model past one machine: its features table, SQL for DuckDB, native scores'
complete -c steward -n "__fish_steward_needs_command" -f -a "schema" -d 'The customer schema: show it, or write an editable copy'
complete -c steward -n "__fish_steward_needs_command" -f -a "completions" -d 'Print a shell completion script'
complete -c steward -n "__fish_steward_needs_command" -f -a "man" -d 'Write man pages (one per subcommand) into a folder'
complete -c steward -n "__fish_steward_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c steward -n "__fish_steward_using_subcommand inspect" -s d -l delimiter -d 'Field delimiter: a character, or one of comma, semicolon, tab, pipe [default: sniffed]' -r
complete -c steward -n "__fish_steward_using_subcommand inspect" -l encoding -d 'Text encoding label, e.g. utf-8, gbk, gb18030, utf-16le, windows-1252 [default: detected]' -r
complete -c steward -n "__fish_steward_using_subcommand inspect" -l sheet -d 'Workbook sheet to read: its name, its 1-based number, or `all` [default: the first non-empty sheet]' -r
complete -c steward -n "__fish_steward_using_subcommand inspect" -l input-format -d 'Read every source as this format instead of detecting it' -r -f -a "csv\t''
tsv\t''
xlsx\t''
xls\t''
ods\t''"
complete -c steward -n "__fish_steward_using_subcommand inspect" -l table -d 'The table to read from a database source (postgres://USER@HOST/DB, mysql://USER@HOST/DB, sqlite:FILE or env:VAR)' -r
complete -c steward -n "__fish_steward_using_subcommand inspect" -l query -d 'A query whose result is read from a database source, instead of --table' -r
complete -c steward -n "__fish_steward_using_subcommand inspect" -l schema -d 'A schema file: steward TOML (see `steward schema init`) or a Frictionless Table Schema (.json)' -r -F
complete -c steward -n "__fish_steward_using_subcommand inspect" -l map -d 'Map a column onto a field by hand, e.g. --map "Cust No=id"; `COLUMN=` keeps it unmapped. Repeatable' -r
complete -c steward -n "__fish_steward_using_subcommand inspect" -l format -d 'Summary format: human (on stderr), or json (one document on stdout; on stderr when the data goes to stdout) [default: human]' -r -f -a "human\t''
json\t''"
complete -c steward -n "__fish_steward_using_subcommand inspect" -l samples -d 'How many sample values to show per column' -r
complete -c steward -n "__fish_steward_using_subcommand inspect" -l steward-checks -d 'With a Table Schema: also run steward\'s own checks of each field\'s kind (email, phone and postcode by country, dates in other forms, ...) and normalize values, besides the spec\'s types and constraints'
complete -c steward -n "__fish_steward_using_subcommand inspect" -l unmask -d 'Show sample values of personal fields unmasked (they are masked by default)'
complete -c steward -n "__fish_steward_using_subcommand inspect" -s q -l quiet -d 'Print no messages on stderr (errors still go there)'
complete -c steward -n "__fish_steward_using_subcommand inspect" -s h -l help -d 'Print help'
complete -c steward -n "__fish_steward_using_subcommand inspect" -s V -l version -d 'Print version'
complete -c steward -n "__fish_steward_using_subcommand import" -s o -l output -d 'Output file, or - for stdout' -r
complete -c steward -n "__fish_steward_using_subcommand import" -l output-format -d 'Data format: csv, tsv, jsonl, parquet or xlsx [default: from the extension of OUT; csv for stdout]' -r -f -a "csv\t''
tsv\t''
jsonl\t''
parquet\t''
xlsx\t''"
complete -c steward -n "__fish_steward_using_subcommand import" -l out-table -d 'The table to write when -o names a database; loaded in one transaction that commits with the command\'s other outputs' -r
complete -c steward -n "__fish_steward_using_subcommand import" -l if-exists -d 'When the --out-table exists: fail (the default; the table is created), replace its rows (one transaction, the table itself kept), or append to it' -r -f -a "fail\t'Refuse: the table must not exist (it is created)'
replace\t'Delete its rows and load the new ones, in one transaction (the table itself stays: grants, views, foreign keys and triggers keep working). MySQL: a copy of the table is loaded and swapped in by one RENAME TABLE, refused when views, foreign keys or triggers depend on it'
append\t'Add the rows to it'"
complete -c steward -n "__fish_steward_using_subcommand import" -l format -d 'Summary format: human (on stderr), or json (one document on stdout; on stderr when the data goes to stdout) [default: human]' -r -f -a "human\t''
json\t''"
complete -c steward -n "__fish_steward_using_subcommand import" -s d -l delimiter -d 'Field delimiter: a character, or one of comma, semicolon, tab, pipe [default: sniffed]' -r
complete -c steward -n "__fish_steward_using_subcommand import" -l encoding -d 'Text encoding label, e.g. utf-8, gbk, gb18030, utf-16le, windows-1252 [default: detected]' -r
complete -c steward -n "__fish_steward_using_subcommand import" -l sheet -d 'Workbook sheet to read: its name, its 1-based number, or `all` [default: the first non-empty sheet]' -r
complete -c steward -n "__fish_steward_using_subcommand import" -l input-format -d 'Read every source as this format instead of detecting it' -r -f -a "csv\t''
tsv\t''
xlsx\t''
xls\t''
ods\t''"
complete -c steward -n "__fish_steward_using_subcommand import" -l table -d 'The table to read from a database source (postgres://USER@HOST/DB, mysql://USER@HOST/DB, sqlite:FILE or env:VAR)' -r
complete -c steward -n "__fish_steward_using_subcommand import" -l query -d 'A query whose result is read from a database source, instead of --table' -r
complete -c steward -n "__fish_steward_using_subcommand import" -l schema -d 'A schema file: steward TOML (see `steward schema init`) or a Frictionless Table Schema (.json)' -r -F
complete -c steward -n "__fish_steward_using_subcommand import" -l map -d 'Map a column onto a field by hand, e.g. --map "Cust No=id"; `COLUMN=` keeps it unmapped. Repeatable' -r
complete -c steward -n "__fish_steward_using_subcommand import" -l rejects -d 'Rejects file for --lenient [default: OUT with .rejects.csv]' -r
complete -c steward -n "__fish_steward_using_subcommand import" -l bom -d 'Start every CSV and TSV file written with a UTF-8 byte-order mark, so Excel on Windows opens Chinese and other non-ASCII text correctly (files only; other formats are unchanged)'
complete -c steward -n "__fish_steward_using_subcommand import" -l steward-checks -d 'With a Table Schema: also run steward\'s own checks of each field\'s kind (email, phone and postcode by country, dates in other forms, ...) and normalize values, besides the spec\'s types and constraints'
complete -c steward -n "__fish_steward_using_subcommand import" -l lenient -d 'Send malformed rows to a rejects file instead of failing'
complete -c steward -n "__fish_steward_using_subcommand import" -l force -d 'Replace output files that already exist'
complete -c steward -n "__fish_steward_using_subcommand import" -l no-formula-guard -d 'Do not neutralize spreadsheet formulas in CSV/TSV output (for machine pipelines)'
complete -c steward -n "__fish_steward_using_subcommand import" -s q -l quiet -d 'Print no messages on stderr (errors still go there)'
complete -c steward -n "__fish_steward_using_subcommand import" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c steward -n "__fish_steward_using_subcommand import" -s V -l version -d 'Print version'
complete -c steward -n "__fish_steward_using_subcommand validate" -s d -l delimiter -d 'Field delimiter: a character, or one of comma, semicolon, tab, pipe [default: sniffed]' -r
complete -c steward -n "__fish_steward_using_subcommand validate" -l encoding -d 'Text encoding label, e.g. utf-8, gbk, gb18030, utf-16le, windows-1252 [default: detected]' -r
complete -c steward -n "__fish_steward_using_subcommand validate" -l sheet -d 'Workbook sheet to read: its name, its 1-based number, or `all` [default: the first non-empty sheet]' -r
complete -c steward -n "__fish_steward_using_subcommand validate" -l input-format -d 'Read every source as this format instead of detecting it' -r -f -a "csv\t''
tsv\t''
xlsx\t''
xls\t''
ods\t''"
complete -c steward -n "__fish_steward_using_subcommand validate" -l table -d 'The table to read from a database source (postgres://USER@HOST/DB, mysql://USER@HOST/DB, sqlite:FILE or env:VAR)' -r
complete -c steward -n "__fish_steward_using_subcommand validate" -l query -d 'A query whose result is read from a database source, instead of --table' -r
complete -c steward -n "__fish_steward_using_subcommand validate" -l schema -d 'A schema file: steward TOML (see `steward schema init`) or a Frictionless Table Schema (.json)' -r -F
complete -c steward -n "__fish_steward_using_subcommand validate" -l map -d 'Map a column onto a field by hand, e.g. --map "Cust No=id"; `COLUMN=` keeps it unmapped. Repeatable' -r
complete -c steward -n "__fish_steward_using_subcommand validate" -l findings -d 'Write every finding (_source, _row, record_id, field, rule, severity, value, message, suggestion) to FILE' -r
complete -c steward -n "__fish_steward_using_subcommand validate" -l rejects -d 'Write the rows with errors, each with its reasons, to FILE' -r
complete -c steward -n "__fish_steward_using_subcommand validate" -l fail-on -d 'Which findings make the run fail (exit code 1) [default: error for validate, never for normalize]' -r -f -a "error\t''
warning\t''
never\t''"
complete -c steward -n "__fish_steward_using_subcommand validate" -l max-errors -d 'How many failing findings are tolerated: a count, or a percentage of rows such as 2%' -r
complete -c steward -n "__fish_steward_using_subcommand validate" -l format -d 'Summary format: human (on stderr), or json (one document on stdout; on stderr when the data goes to stdout) [default: human]' -r -f -a "human\t''
json\t''"
complete -c steward -n "__fish_steward_using_subcommand validate" -l default-region -d 'Region for phone numbers of rows without a country, e.g. CN, US, GB' -r
complete -c steward -n "__fish_steward_using_subcommand validate" -l stale-after -d 'Flag records not updated or active for this long: 365d, 52w, 12m, 1y' -r
complete -c steward -n "__fish_steward_using_subcommand validate" -l as-of -d 'The date checks count from (future dates, ages, staleness) [default: today]' -r
complete -c steward -n "__fish_steward_using_subcommand validate" -l steward-checks -d 'With a Table Schema: also run steward\'s own checks of each field\'s kind (email, phone and postcode by country, dates in other forms, ...) and normalize values, besides the spec\'s types and constraints'
complete -c steward -n "__fish_steward_using_subcommand validate" -l mask-values -d 'Mask personal values in the findings and rejects files too'
complete -c steward -n "__fish_steward_using_subcommand validate" -l day-first -d 'Read dates like 05/03/2024 as day/month/year (otherwise such ambiguous dates are findings)'
complete -c steward -n "__fish_steward_using_subcommand validate" -l lenient -d 'Send malformed CSV rows to the rejects instead of failing'
complete -c steward -n "__fish_steward_using_subcommand validate" -l bom -d 'Start every CSV and TSV file written with a UTF-8 byte-order mark, so Excel on Windows opens Chinese and other non-ASCII text correctly (files only; other formats are unchanged)'
complete -c steward -n "__fish_steward_using_subcommand validate" -l force -d 'Replace findings and rejects files that already exist'
complete -c steward -n "__fish_steward_using_subcommand validate" -s q -l quiet -d 'Print no messages on stderr (errors still go there)'
complete -c steward -n "__fish_steward_using_subcommand validate" -s h -l help -d 'Print help'
complete -c steward -n "__fish_steward_using_subcommand validate" -s V -l version -d 'Print version'
complete -c steward -n "__fish_steward_using_subcommand normalize" -s d -l delimiter -d 'Field delimiter: a character, or one of comma, semicolon, tab, pipe [default: sniffed]' -r
complete -c steward -n "__fish_steward_using_subcommand normalize" -l encoding -d 'Text encoding label, e.g. utf-8, gbk, gb18030, utf-16le, windows-1252 [default: detected]' -r
complete -c steward -n "__fish_steward_using_subcommand normalize" -l sheet -d 'Workbook sheet to read: its name, its 1-based number, or `all` [default: the first non-empty sheet]' -r
complete -c steward -n "__fish_steward_using_subcommand normalize" -l input-format -d 'Read every source as this format instead of detecting it' -r -f -a "csv\t''
tsv\t''
xlsx\t''
xls\t''
ods\t''"
complete -c steward -n "__fish_steward_using_subcommand normalize" -l table -d 'The table to read from a database source (postgres://USER@HOST/DB, mysql://USER@HOST/DB, sqlite:FILE or env:VAR)' -r
complete -c steward -n "__fish_steward_using_subcommand normalize" -l query -d 'A query whose result is read from a database source, instead of --table' -r
complete -c steward -n "__fish_steward_using_subcommand normalize" -l schema -d 'A schema file: steward TOML (see `steward schema init`) or a Frictionless Table Schema (.json)' -r -F
complete -c steward -n "__fish_steward_using_subcommand normalize" -l map -d 'Map a column onto a field by hand, e.g. --map "Cust No=id"; `COLUMN=` keeps it unmapped. Repeatable' -r
complete -c steward -n "__fish_steward_using_subcommand normalize" -l findings -d 'Write every finding (_source, _row, record_id, field, rule, severity, value, message, suggestion) to FILE' -r
complete -c steward -n "__fish_steward_using_subcommand normalize" -l rejects -d 'Write the rows with errors, each with its reasons, to FILE' -r
complete -c steward -n "__fish_steward_using_subcommand normalize" -l fail-on -d 'Which findings make the run fail (exit code 1) [default: error for validate, never for normalize]' -r -f -a "error\t''
warning\t''
never\t''"
complete -c steward -n "__fish_steward_using_subcommand normalize" -l max-errors -d 'How many failing findings are tolerated: a count, or a percentage of rows such as 2%' -r
complete -c steward -n "__fish_steward_using_subcommand normalize" -l format -d 'Summary format: human (on stderr), or json (one document on stdout; on stderr when the data goes to stdout) [default: human]' -r -f -a "human\t''
json\t''"
complete -c steward -n "__fish_steward_using_subcommand normalize" -l default-region -d 'Region for phone numbers of rows without a country, e.g. CN, US, GB' -r
complete -c steward -n "__fish_steward_using_subcommand normalize" -l stale-after -d 'Flag records not updated or active for this long: 365d, 52w, 12m, 1y' -r
complete -c steward -n "__fish_steward_using_subcommand normalize" -l as-of -d 'The date checks count from (future dates, ages, staleness) [default: today]' -r
complete -c steward -n "__fish_steward_using_subcommand normalize" -s o -l output -d 'Output file, or - for stdout' -r
complete -c steward -n "__fish_steward_using_subcommand normalize" -l output-format -d 'Data format: csv, tsv, jsonl, parquet or xlsx [default: from the extension of OUT; csv for stdout]' -r -f -a "csv\t''
tsv\t''
jsonl\t''
parquet\t''
xlsx\t''"
complete -c steward -n "__fish_steward_using_subcommand normalize" -l out-table -d 'The table to write when -o names a database; loaded in one transaction that commits with the command\'s other outputs' -r
complete -c steward -n "__fish_steward_using_subcommand normalize" -l if-exists -d 'When the --out-table exists: fail (the default; the table is created), replace its rows (one transaction, the table itself kept), or append to it' -r -f -a "fail\t'Refuse: the table must not exist (it is created)'
replace\t'Delete its rows and load the new ones, in one transaction (the table itself stays: grants, views, foreign keys and triggers keep working). MySQL: a copy of the table is loaded and swapped in by one RENAME TABLE, refused when views, foreign keys or triggers depend on it'
append\t'Add the rows to it'"
complete -c steward -n "__fish_steward_using_subcommand normalize" -l changes -d 'Write every change (_source, _row, field, before, after, rule) to FILE' -r
complete -c steward -n "__fish_steward_using_subcommand normalize" -l steward-checks -d 'With a Table Schema: also run steward\'s own checks of each field\'s kind (email, phone and postcode by country, dates in other forms, ...) and normalize values, besides the spec\'s types and constraints'
complete -c steward -n "__fish_steward_using_subcommand normalize" -l mask-values -d 'Mask personal values in the findings and rejects files too'
complete -c steward -n "__fish_steward_using_subcommand normalize" -l day-first -d 'Read dates like 05/03/2024 as day/month/year (otherwise such ambiguous dates are findings)'
complete -c steward -n "__fish_steward_using_subcommand normalize" -l lenient -d 'Send malformed CSV rows to the rejects instead of failing'
complete -c steward -n "__fish_steward_using_subcommand normalize" -l bom -d 'Start every CSV and TSV file written with a UTF-8 byte-order mark, so Excel on Windows opens Chinese and other non-ASCII text correctly (files only; other formats are unchanged)'
complete -c steward -n "__fish_steward_using_subcommand normalize" -l split-names -d 'Fill given_name and family_name from the full name where both are empty (Chinese: family name first, compound surnames such as 欧阳; Latin: particles stay with the family name)'
complete -c steward -n "__fish_steward_using_subcommand normalize" -l force -d 'Replace output files that already exist'
complete -c steward -n "__fish_steward_using_subcommand normalize" -l no-formula-guard -d 'Do not neutralize spreadsheet formulas in CSV/TSV output'
complete -c steward -n "__fish_steward_using_subcommand normalize" -s q -l quiet -d 'Print no messages on stderr (errors still go there)'
complete -c steward -n "__fish_steward_using_subcommand normalize" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c steward -n "__fish_steward_using_subcommand normalize" -s V -l version -d 'Print version'
complete -c steward -n "__fish_steward_using_subcommand clean" -l out -d 'Folder for every output (created if missing)' -r -F
complete -c steward -n "__fish_steward_using_subcommand clean" -s o -l output -d 'Also load the cleaned dataset into a database table (postgres://USER@HOST/DB, sqlite:FILE or env:VAR, with --out-table): committed when the output set lands, and only then' -r
complete -c steward -n "__fish_steward_using_subcommand clean" -l out-table -d 'The table to write when -o names a database; loaded in one transaction that commits with the command\'s other outputs' -r
complete -c steward -n "__fish_steward_using_subcommand clean" -l if-exists -d 'When the --out-table exists: fail (the default; the table is created), replace its rows (one transaction, the table itself kept), or append to it' -r -f -a "fail\t'Refuse: the table must not exist (it is created)'
replace\t'Delete its rows and load the new ones, in one transaction (the table itself stays: grants, views, foreign keys and triggers keep working). MySQL: a copy of the table is loaded and swapped in by one RENAME TABLE, refused when views, foreign keys or triggers depend on it'
append\t'Add the rows to it'"
complete -c steward -n "__fish_steward_using_subcommand clean" -s d -l delimiter -d 'Field delimiter: a character, or one of comma, semicolon, tab, pipe [default: sniffed]' -r
complete -c steward -n "__fish_steward_using_subcommand clean" -l encoding -d 'Text encoding label, e.g. utf-8, gbk, gb18030, utf-16le, windows-1252 [default: detected]' -r
complete -c steward -n "__fish_steward_using_subcommand clean" -l sheet -d 'Workbook sheet to read: its name, its 1-based number, or `all` [default: the first non-empty sheet]' -r
complete -c steward -n "__fish_steward_using_subcommand clean" -l input-format -d 'Read every source as this format instead of detecting it' -r -f -a "csv\t''
tsv\t''
xlsx\t''
xls\t''
ods\t''"
complete -c steward -n "__fish_steward_using_subcommand clean" -l table -d 'The table to read from a database source (postgres://USER@HOST/DB, mysql://USER@HOST/DB, sqlite:FILE or env:VAR)' -r
complete -c steward -n "__fish_steward_using_subcommand clean" -l query -d 'A query whose result is read from a database source, instead of --table' -r
complete -c steward -n "__fish_steward_using_subcommand clean" -l schema -d 'A schema file: steward TOML (see `steward schema init`) or a Frictionless Table Schema (.json)' -r -F
complete -c steward -n "__fish_steward_using_subcommand clean" -l map -d 'Map a column onto a field by hand, e.g. --map "Cust No=id"; `COLUMN=` keeps it unmapped. Repeatable' -r
complete -c steward -n "__fish_steward_using_subcommand clean" -l key-file -d 'Pseudonymize the cleaned dataset with this key (or STEWARD_KEY); without a key it keeps personal data' -r -F
complete -c steward -n "__fish_steward_using_subcommand clean" -l domain -d 'Purpose or recipient of the tokens [default: default]' -r
complete -c steward -n "__fish_steward_using_subcommand clean" -l normalization -d 'Normalization before tokens: n2, or n1 to reproduce tokens made before n2 (e-mail domains kept as written, phone numbers read as before n2; README: Normalization versions) [default: n2]' -r
complete -c steward -n "__fish_steward_using_subcommand clean" -l audit-log -d 'Append this run to a hash-chained audit log (JSON lines; each entry sealed when a key is given)' -r -F
complete -c steward -n "__fish_steward_using_subcommand clean" -l default-region -d 'Region for phone numbers of rows without a country, e.g. CN' -r
complete -c steward -n "__fish_steward_using_subcommand clean" -l stale-after -d 'Flag records not updated or active for this long: 365d, 52w, 12m, 1y' -r
complete -c steward -n "__fish_steward_using_subcommand clean" -l as-of -d 'Dates are checked and customers segmented as of this date [default: today]' -r
complete -c steward -n "__fish_steward_using_subcommand clean" -l threshold -d 'Match probability at which two records are merged [default: 0.9, or the model\'s]' -r
complete -c steward -n "__fish_steward_using_subcommand clean" -l model -d 'Dedupe with a saved model (model.json of an earlier run, or dedupe --save-model) instead of training one on this run\'s rows: the same weights and decisions run after run' -r -F
complete -c steward -n "__fish_steward_using_subcommand clean" -l skip -d 'Steps to leave out: dedupe (every valid row becomes its own golden record), segment' -r -f -a "dedupe\t''
segment\t''"
complete -c steward -n "__fish_steward_using_subcommand clean" -l format -d 'Summary format: human (on stderr), or json (one document on stdout; on stderr when the data goes to stdout) [default: human]' -r -f -a "human\t''
json\t''"
complete -c steward -n "__fish_steward_using_subcommand clean" -l findings-format -d 'Format of the findings and rejects in the set, the files a steward reviews: csv, tsv, jsonl, parquet or xlsx (a workbook with a frozen header and filters, for Excel) [default: csv]' -r -f -a "csv\t''
tsv\t''
jsonl\t''
parquet\t''
xlsx\t''"
complete -c steward -n "__fish_steward_using_subcommand clean" -l output-format -d 'Format of the cleaned dataset: csv, tsv, jsonl, parquet or xlsx (cleaned.csv, cleaned.tsv...) [default: csv]' -r -f -a "csv\t''
tsv\t''
jsonl\t''
parquet\t''
xlsx\t''"
complete -c steward -n "__fish_steward_using_subcommand clean" -l steward-checks -d 'With a Table Schema: also run steward\'s own checks of each field\'s kind (email, phone and postcode by country, dates in other forms, ...) and normalize values, besides the spec\'s types and constraints'
complete -c steward -n "__fish_steward_using_subcommand clean" -l day-first -d 'Read dates like 05/03/2024 as day/month/year'
complete -c steward -n "__fish_steward_using_subcommand clean" -l bom -d 'Start every CSV and TSV file written with a UTF-8 byte-order mark, so Excel on Windows opens Chinese and other non-ASCII text correctly (files only; other formats are unchanged)'
complete -c steward -n "__fish_steward_using_subcommand clean" -l lenient -d 'Send malformed CSV rows to the rejects instead of failing'
complete -c steward -n "__fish_steward_using_subcommand clean" -l no-restricted -d 'With a key: leave the raw files (golden records, rejects, findings, clusters, merge map, segments) out of the set instead of writing them to DIR/restricted/'
complete -c steward -n "__fish_steward_using_subcommand clean" -l force -d 'Replace the output set already in DIR (the whole set: no earlier file survives)'
complete -c steward -n "__fish_steward_using_subcommand clean" -s q -l quiet -d 'Print no messages on stderr (errors still go there)'
complete -c steward -n "__fish_steward_using_subcommand clean" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c steward -n "__fish_steward_using_subcommand clean" -s V -l version -d 'Print version'
complete -c steward -n "__fish_steward_using_subcommand run" -l format -d 'Summary format: human (on stderr), or json (one document on stdout; on stderr when the data goes to stdout) [default: human]' -r -f -a "human\t''
json\t''"
complete -c steward -n "__fish_steward_using_subcommand run" -l dry-run -d 'Print what the job would do, without doing it'
complete -c steward -n "__fish_steward_using_subcommand run" -s q -l quiet -d 'Print no messages on stderr (errors still go there)'
complete -c steward -n "__fish_steward_using_subcommand run" -s h -l help -d 'Print help'
complete -c steward -n "__fish_steward_using_subcommand run" -s V -l version -d 'Print version'
complete -c steward -n "__fish_steward_using_subcommand profile" -s d -l delimiter -d 'Field delimiter: a character, or one of comma, semicolon, tab, pipe [default: sniffed]' -r
complete -c steward -n "__fish_steward_using_subcommand profile" -l encoding -d 'Text encoding label, e.g. utf-8, gbk, gb18030, utf-16le, windows-1252 [default: detected]' -r
complete -c steward -n "__fish_steward_using_subcommand profile" -l sheet -d 'Workbook sheet to read: its name, its 1-based number, or `all` [default: the first non-empty sheet]' -r
complete -c steward -n "__fish_steward_using_subcommand profile" -l input-format -d 'Read every source as this format instead of detecting it' -r -f -a "csv\t''
tsv\t''
xlsx\t''
xls\t''
ods\t''"
complete -c steward -n "__fish_steward_using_subcommand profile" -l table -d 'The table to read from a database source (postgres://USER@HOST/DB, mysql://USER@HOST/DB, sqlite:FILE or env:VAR)' -r
complete -c steward -n "__fish_steward_using_subcommand profile" -l query -d 'A query whose result is read from a database source, instead of --table' -r
complete -c steward -n "__fish_steward_using_subcommand profile" -l schema -d 'A schema file: steward TOML (see `steward schema init`) or a Frictionless Table Schema (.json)' -r -F
complete -c steward -n "__fish_steward_using_subcommand profile" -l map -d 'Map a column onto a field by hand, e.g. --map "Cust No=id"; `COLUMN=` keeps it unmapped. Repeatable' -r
complete -c steward -n "__fish_steward_using_subcommand profile" -l format -d 'Report format: human, json or md (Markdown); on stdout' -r -f -a "human\t''
json\t''
md\t''"
complete -c steward -n "__fish_steward_using_subcommand profile" -l html -d 'Also write a self-contained HTML report (inline CSS and SVG, no network)' -r
complete -c steward -n "__fish_steward_using_subcommand profile" -l stale-after -d 'Records whose updated_at or last purchase is older than this are stale: 365d, 52w, 12m, 1y' -r
complete -c steward -n "__fish_steward_using_subcommand profile" -l as-of -d 'Dates are checked as of this date [default: today]' -r
complete -c steward -n "__fish_steward_using_subcommand profile" -l default-region -d 'Region for phone numbers of rows without a country, e.g. CN' -r
complete -c steward -n "__fish_steward_using_subcommand profile" -l top -d 'How many top values and patterns to show per column' -r
complete -c steward -n "__fish_steward_using_subcommand profile" -l steward-checks -d 'With a Table Schema: also run steward\'s own checks of each field\'s kind (email, phone and postcode by country, dates in other forms, ...) and normalize values, besides the spec\'s types and constraints'
complete -c steward -n "__fish_steward_using_subcommand profile" -l unmask -d 'Show top values of personal fields unmasked'
complete -c steward -n "__fish_steward_using_subcommand profile" -l lenient -d 'Count malformed CSV rows instead of failing'
complete -c steward -n "__fish_steward_using_subcommand profile" -l force -d 'Replace the HTML file if it exists'
complete -c steward -n "__fish_steward_using_subcommand profile" -s q -l quiet -d 'Print no messages on stderr (errors still go there)'
complete -c steward -n "__fish_steward_using_subcommand profile" -s h -l help -d 'Print help'
complete -c steward -n "__fish_steward_using_subcommand profile" -s V -l version -d 'Print version'
complete -c steward -n "__fish_steward_using_subcommand diff" -l key -d 'The field (or column) that identifies a customer in both lists' -r
complete -c steward -n "__fish_steward_using_subcommand diff" -l changes -d 'Write every difference (key, status, field, old, new) to FILE' -r
complete -c steward -n "__fish_steward_using_subcommand diff" -s d -l delimiter -d 'Field delimiter: a character, or one of comma, semicolon, tab, pipe [default: sniffed]' -r
complete -c steward -n "__fish_steward_using_subcommand diff" -l encoding -d 'Text encoding label, e.g. utf-8, gbk, gb18030, utf-16le, windows-1252 [default: detected]' -r
complete -c steward -n "__fish_steward_using_subcommand diff" -l sheet -d 'Workbook sheet to read: its name, its 1-based number, or `all` [default: the first non-empty sheet]' -r
complete -c steward -n "__fish_steward_using_subcommand diff" -l input-format -d 'Read every source as this format instead of detecting it' -r -f -a "csv\t''
tsv\t''
xlsx\t''
xls\t''
ods\t''"
complete -c steward -n "__fish_steward_using_subcommand diff" -l table -d 'The table to read from a database source (postgres://USER@HOST/DB, mysql://USER@HOST/DB, sqlite:FILE or env:VAR)' -r
complete -c steward -n "__fish_steward_using_subcommand diff" -l query -d 'A query whose result is read from a database source, instead of --table' -r
complete -c steward -n "__fish_steward_using_subcommand diff" -l schema -d 'A schema file: steward TOML (see `steward schema init`) or a Frictionless Table Schema (.json)' -r -F
complete -c steward -n "__fish_steward_using_subcommand diff" -l map -d 'Map a column onto a field by hand, e.g. --map "Cust No=id"; `COLUMN=` keeps it unmapped. Repeatable' -r
complete -c steward -n "__fish_steward_using_subcommand diff" -l format -d 'Summary format: human (on stderr), or json (one document on stdout; on stderr when the data goes to stdout) [default: human]' -r -f -a "human\t''
json\t''"
complete -c steward -n "__fish_steward_using_subcommand diff" -l steward-checks -d 'With a Table Schema: also run steward\'s own checks of each field\'s kind (email, phone and postcode by country, dates in other forms, ...) and normalize values, besides the spec\'s types and constraints'
complete -c steward -n "__fish_steward_using_subcommand diff" -l mask-values -d 'Values in the changes file are masked for personal fields'
complete -c steward -n "__fish_steward_using_subcommand diff" -l bom -d 'Start every CSV and TSV file written with a UTF-8 byte-order mark, so Excel on Windows opens Chinese and other non-ASCII text correctly (files only; other formats are unchanged)'
complete -c steward -n "__fish_steward_using_subcommand diff" -l force -d 'Replace the changes file if it exists'
complete -c steward -n "__fish_steward_using_subcommand diff" -s q -l quiet -d 'Print no messages on stderr (errors still go there)'
complete -c steward -n "__fish_steward_using_subcommand diff" -s h -l help -d 'Print help'
complete -c steward -n "__fish_steward_using_subcommand diff" -s V -l version -d 'Print version'
complete -c steward -n "__fish_steward_using_subcommand dedupe" -s o -l output -d 'Golden records (one per cluster); with --link, each row of B with its match in A' -r
complete -c steward -n "__fish_steward_using_subcommand dedupe" -l output-format -d 'Data format: csv, tsv, jsonl, parquet or xlsx [default: from the extension of OUT; csv for stdout]' -r -f -a "csv\t''
tsv\t''
jsonl\t''
parquet\t''
xlsx\t''"
complete -c steward -n "__fish_steward_using_subcommand dedupe" -l out-table -d 'The table to write when -o names a database; loaded in one transaction that commits with the command\'s other outputs' -r
complete -c steward -n "__fish_steward_using_subcommand dedupe" -l if-exists -d 'When the --out-table exists: fail (the default; the table is created), replace its rows (one transaction, the table itself kept), or append to it' -r -f -a "fail\t'Refuse: the table must not exist (it is created)'
replace\t'Delete its rows and load the new ones, in one transaction (the table itself stays: grants, views, foreign keys and triggers keep working). MySQL: a copy of the table is loaded and swapped in by one RENAME TABLE, refused when views, foreign keys or triggers depend on it'
append\t'Add the rows to it'"
complete -c steward -n "__fish_steward_using_subcommand dedupe" -l format -d 'Summary format: human (on stderr), or json (one document on stdout; on stderr when the data goes to stdout) [default: human]' -r -f -a "human\t''
json\t''"
complete -c steward -n "__fish_steward_using_subcommand dedupe" -l clusters -d 'Every input row with cluster_id, cluster_size and match_probability' -r
complete -c steward -n "__fish_steward_using_subcommand dedupe" -l pairs -d 'Scored candidate pairs with a per-field breakdown (level and weight of each comparison)' -r
complete -c steward -n "__fish_steward_using_subcommand dedupe" -l merge-map -d 'Old record -> golden id, to update other systems' -r
complete -c steward -n "__fish_steward_using_subcommand dedupe" -l review -d 'Uncertain pairs side by side with a decision column (xlsx: a drop-down of match / not a match / unsure, differing fields filled, the threshold, band and model on its About sheet; or csv), for a steward to decide' -r
complete -c steward -n "__fish_steward_using_subcommand dedupe" -l review-html -d 'The uncertain pairs as one self-contained page: each pair\'s fields and weights, decided with a click or a key (m / n / u, j / k to move), filtered by probability and field, saved as a CSV for --labels' -r
complete -c steward -n "__fish_steward_using_subcommand dedupe" -l labels -d 'A filled-in review file (the xlsx or csv of --review, or the CSV saved from --review-html): decided pairs are obeyed (match / not a match; unsure is skipped) and refine the weights' -r
complete -c steward -n "__fish_steward_using_subcommand dedupe" -l save-model -d 'Write the trained model (blocking rules, comparison levels, m and u per level, the prior, guards and thresholds; no personal value) as JSON, to score later lists the same way with --model' -r
complete -c steward -n "__fish_steward_using_subcommand dedupe" -l model -d 'Score with a saved model (from --save-model) instead of training one: its blocking and weights, the same decisions run after run; with --labels, the labels refine it. --threshold still applies' -r -F
complete -c steward -n "__fish_steward_using_subcommand dedupe" -l against -d 'Match new records into existing golden records (a previous OUT), keeping their golden ids' -r
complete -c steward -n "__fish_steward_using_subcommand dedupe" -l explain -d 'Print why two records (by id, or by row number) do or do not match, field by field' -r
complete -c steward -n "__fish_steward_using_subcommand dedupe" -l threshold -d 'Match probability at which a pair is accepted [default: 0.9, or the schema\'s [dedupe] threshold]' -r
complete -c steward -n "__fish_steward_using_subcommand dedupe" -l review-lower -d 'Lower bound of the review band [default: 0.5]' -r
complete -c steward -n "__fish_steward_using_subcommand dedupe" -s d -l delimiter -d 'Field delimiter: a character, or one of comma, semicolon, tab, pipe [default: sniffed]' -r
complete -c steward -n "__fish_steward_using_subcommand dedupe" -l encoding -d 'Text encoding label, e.g. utf-8, gbk, gb18030, utf-16le, windows-1252 [default: detected]' -r
complete -c steward -n "__fish_steward_using_subcommand dedupe" -l sheet -d 'Workbook sheet to read: its name, its 1-based number, or `all` [default: the first non-empty sheet]' -r
complete -c steward -n "__fish_steward_using_subcommand dedupe" -l input-format -d 'Read every source as this format instead of detecting it' -r -f -a "csv\t''
tsv\t''
xlsx\t''
xls\t''
ods\t''"
complete -c steward -n "__fish_steward_using_subcommand dedupe" -l table -d 'The table to read from a database source (postgres://USER@HOST/DB, mysql://USER@HOST/DB, sqlite:FILE or env:VAR)' -r
complete -c steward -n "__fish_steward_using_subcommand dedupe" -l query -d 'A query whose result is read from a database source, instead of --table' -r
complete -c steward -n "__fish_steward_using_subcommand dedupe" -l schema -d 'A schema file: steward TOML (see `steward schema init`) or a Frictionless Table Schema (.json)' -r -F
complete -c steward -n "__fish_steward_using_subcommand dedupe" -l map -d 'Map a column onto a field by hand, e.g. --map "Cust No=id"; `COLUMN=` keeps it unmapped. Repeatable' -r
complete -c steward -n "__fish_steward_using_subcommand dedupe" -l bom -d 'Start every CSV and TSV file written with a UTF-8 byte-order mark, so Excel on Windows opens Chinese and other non-ASCII text correctly (files only; other formats are unchanged)'
complete -c steward -n "__fish_steward_using_subcommand dedupe" -l link -d 'Link two lists: for each row of the second, the matching customer in the first'
complete -c steward -n "__fish_steward_using_subcommand dedupe" -l steward-checks -d 'With a Table Schema: also run steward\'s own checks of each field\'s kind (email, phone and postcode by country, dates in other forms, ...) and normalize values, besides the spec\'s types and constraints'
complete -c steward -n "__fish_steward_using_subcommand dedupe" -l lenient -d 'Send malformed CSV rows to the report instead of failing'
complete -c steward -n "__fish_steward_using_subcommand dedupe" -l force -d 'Replace output files that already exist'
complete -c steward -n "__fish_steward_using_subcommand dedupe" -l no-formula-guard -d 'Do not neutralize spreadsheet formulas in CSV/TSV output'
complete -c steward -n "__fish_steward_using_subcommand dedupe" -s q -l quiet -d 'Print no messages on stderr (errors still go there)'
complete -c steward -n "__fish_steward_using_subcommand dedupe" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c steward -n "__fish_steward_using_subcommand dedupe" -s V -l version -d 'Print version'
complete -c steward -n "__fish_steward_using_subcommand segment" -s o -l output -d 'Output file, or - for stdout' -r
complete -c steward -n "__fish_steward_using_subcommand segment" -l output-format -d 'Data format: csv, tsv, jsonl, parquet or xlsx [default: from the extension of OUT; csv for stdout]' -r -f -a "csv\t''
tsv\t''
jsonl\t''
parquet\t''
xlsx\t''"
complete -c steward -n "__fish_steward_using_subcommand segment" -l out-table -d 'The table to write when -o names a database; loaded in one transaction that commits with the command\'s other outputs' -r
complete -c steward -n "__fish_steward_using_subcommand segment" -l if-exists -d 'When the --out-table exists: fail (the default; the table is created), replace its rows (one transaction, the table itself kept), or append to it' -r -f -a "fail\t'Refuse: the table must not exist (it is created)'
replace\t'Delete its rows and load the new ones, in one transaction (the table itself stays: grants, views, foreign keys and triggers keep working). MySQL: a copy of the table is loaded and swapped in by one RENAME TABLE, refused when views, foreign keys or triggers depend on it'
append\t'Add the rows to it'"
complete -c steward -n "__fish_steward_using_subcommand segment" -l as-of -d 'The date recency is counted from [default: today]' -r
complete -c steward -n "__fish_steward_using_subcommand segment" -l new-days -d 'A customer whose only order is at most this many days old is new' -r
complete -c steward -n "__fish_steward_using_subcommand segment" -l loyal-orders -d 'Orders that make a recent customer loyal' -r
complete -c steward -n "__fish_steward_using_subcommand segment" -l at-risk-days -d 'No purchase for this many days: at risk' -r
complete -c steward -n "__fish_steward_using_subcommand segment" -l churn-days -d 'No purchase for this many days: churned' -r
complete -c steward -n "__fish_steward_using_subcommand segment" -l tiers -d 'Cumulative share of spend that makes tier A, and A+B (percent)' -r
complete -c steward -n "__fish_steward_using_subcommand segment" -l format -d 'Summary format: human (on stderr), or json (one document on stdout; on stderr when the data goes to stdout) [default: human]' -r -f -a "human\t''
json\t''"
complete -c steward -n "__fish_steward_using_subcommand segment" -s d -l delimiter -d 'Field delimiter: a character, or one of comma, semicolon, tab, pipe [default: sniffed]' -r
complete -c steward -n "__fish_steward_using_subcommand segment" -l encoding -d 'Text encoding label, e.g. utf-8, gbk, gb18030, utf-16le, windows-1252 [default: detected]' -r
complete -c steward -n "__fish_steward_using_subcommand segment" -l sheet -d 'Workbook sheet to read: its name, its 1-based number, or `all` [default: the first non-empty sheet]' -r
complete -c steward -n "__fish_steward_using_subcommand segment" -l input-format -d 'Read every source as this format instead of detecting it' -r -f -a "csv\t''
tsv\t''
xlsx\t''
xls\t''
ods\t''"
complete -c steward -n "__fish_steward_using_subcommand segment" -l table -d 'The table to read from a database source (postgres://USER@HOST/DB, mysql://USER@HOST/DB, sqlite:FILE or env:VAR)' -r
complete -c steward -n "__fish_steward_using_subcommand segment" -l query -d 'A query whose result is read from a database source, instead of --table' -r
complete -c steward -n "__fish_steward_using_subcommand segment" -l schema -d 'A schema file: steward TOML (see `steward schema init`) or a Frictionless Table Schema (.json)' -r -F
complete -c steward -n "__fish_steward_using_subcommand segment" -l map -d 'Map a column onto a field by hand, e.g. --map "Cust No=id"; `COLUMN=` keeps it unmapped. Repeatable' -r
complete -c steward -n "__fish_steward_using_subcommand segment" -l bom -d 'Start every CSV and TSV file written with a UTF-8 byte-order mark, so Excel on Windows opens Chinese and other non-ASCII text correctly (files only; other formats are unchanged)'
complete -c steward -n "__fish_steward_using_subcommand segment" -l steward-checks -d 'With a Table Schema: also run steward\'s own checks of each field\'s kind (email, phone and postcode by country, dates in other forms, ...) and normalize values, besides the spec\'s types and constraints'
complete -c steward -n "__fish_steward_using_subcommand segment" -l force -d 'Replace output files that already exist'
complete -c steward -n "__fish_steward_using_subcommand segment" -l no-formula-guard -d 'Do not neutralize spreadsheet formulas in CSV/TSV output'
complete -c steward -n "__fish_steward_using_subcommand segment" -s q -l quiet -d 'Print no messages on stderr (errors still go there)'
complete -c steward -n "__fish_steward_using_subcommand segment" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c steward -n "__fish_steward_using_subcommand segment" -s V -l version -d 'Print version'
complete -c steward -n "__fish_steward_using_subcommand pseudonymize" -s o -l output -d 'Output file, or - for stdout' -r
complete -c steward -n "__fish_steward_using_subcommand pseudonymize" -l output-format -d 'Data format: csv, tsv, jsonl, parquet or xlsx [default: from the extension of OUT; csv for stdout]' -r -f -a "csv\t''
tsv\t''
jsonl\t''
parquet\t''
xlsx\t''"
complete -c steward -n "__fish_steward_using_subcommand pseudonymize" -l out-table -d 'The table to write when -o names a database; loaded in one transaction that commits with the command\'s other outputs' -r
complete -c steward -n "__fish_steward_using_subcommand pseudonymize" -l if-exists -d 'When the --out-table exists: fail (the default; the table is created), replace its rows (one transaction, the table itself kept), or append to it' -r -f -a "fail\t'Refuse: the table must not exist (it is created)'
replace\t'Delete its rows and load the new ones, in one transaction (the table itself stays: grants, views, foreign keys and triggers keep working). MySQL: a copy of the table is loaded and swapped in by one RENAME TABLE, refused when views, foreign keys or triggers depend on it'
append\t'Add the rows to it'"
complete -c steward -n "__fish_steward_using_subcommand pseudonymize" -l format -d 'Summary format: human (on stderr), or json (one document on stdout; on stderr when the data goes to stdout) [default: human]' -r -f -a "human\t''
json\t''"
complete -c steward -n "__fish_steward_using_subcommand pseudonymize" -s d -l delimiter -d 'Field delimiter: a character, or one of comma, semicolon, tab, pipe [default: sniffed]' -r
complete -c steward -n "__fish_steward_using_subcommand pseudonymize" -l encoding -d 'Text encoding label, e.g. utf-8, gbk, gb18030, utf-16le, windows-1252 [default: detected]' -r
complete -c steward -n "__fish_steward_using_subcommand pseudonymize" -l sheet -d 'Workbook sheet to read: its name, its 1-based number, or `all` [default: the first non-empty sheet]' -r
complete -c steward -n "__fish_steward_using_subcommand pseudonymize" -l input-format -d 'Read every source as this format instead of detecting it' -r -f -a "csv\t''
tsv\t''
xlsx\t''
xls\t''
ods\t''"
complete -c steward -n "__fish_steward_using_subcommand pseudonymize" -l table -d 'The table to read from a database source (postgres://USER@HOST/DB, mysql://USER@HOST/DB, sqlite:FILE or env:VAR)' -r
complete -c steward -n "__fish_steward_using_subcommand pseudonymize" -l query -d 'A query whose result is read from a database source, instead of --table' -r
complete -c steward -n "__fish_steward_using_subcommand pseudonymize" -l schema -d 'A schema file: steward TOML (see `steward schema init`) or a Frictionless Table Schema (.json)' -r -F
complete -c steward -n "__fish_steward_using_subcommand pseudonymize" -l map -d 'Map a column onto a field by hand, e.g. --map "Cust No=id"; `COLUMN=` keeps it unmapped. Repeatable' -r
complete -c steward -n "__fish_steward_using_subcommand pseudonymize" -l key-file -d 'Key file (from `steward key new`; mode 0600) [default: the STEWARD_KEY environment variable, hex]' -r -F
complete -c steward -n "__fish_steward_using_subcommand pseudonymize" -l domain -d 'Purpose or recipient the tokens are for: another domain gives unrelated tokens [default: default]' -r
complete -c steward -n "__fish_steward_using_subcommand pseudonymize" -l policy -d 'Policy file (TOML): `domain = "..."` and a [columns] table of COLUMN = "ACTION"' -r -F
complete -c steward -n "__fish_steward_using_subcommand pseudonymize" -l normalization -d 'Normalization before tokens: n2, or n1 to reproduce tokens made before n2 (e-mail domains kept as written, phone numbers read as before n2; README: Normalization versions) [default: the policy file\'s, else n2]' -r
complete -c steward -n "__fish_steward_using_subcommand pseudonymize" -l token -d 'Tokenize these columns (schema field names or source headers)' -r
complete -c steward -n "__fish_steward_using_subcommand pseudonymize" -l encrypt -d 'Encrypt these columns (AES-SIV; `steward reveal` decrypts them)' -r
complete -c steward -n "__fish_steward_using_subcommand pseudonymize" -l mask -d 'Mask these columns for people reading them' -r
complete -c steward -n "__fish_steward_using_subcommand pseudonymize" -l generalize -d 'Generalize columns: birth_date=year, signup_date=month, birth_date=age10, postcode=3, total_spend=band:1000' -r
complete -c steward -n "__fish_steward_using_subcommand pseudonymize" -l drop -d 'Drop these columns' -r
complete -c steward -n "__fish_steward_using_subcommand pseudonymize" -l keep -d 'Keep these columns as they are (e-mails, phone numbers and resident IDs written inside them are still replaced by their tokens; see --no-scan)' -r
complete -c steward -n "__fish_steward_using_subcommand pseudonymize" -l no-scan -d 'Kept columns NOT to scan for embedded e-mails, phone numbers and resident IDs (they are written exactly as they came)' -r
complete -c steward -n "__fish_steward_using_subcommand pseudonymize" -l k -d 'Generalize further or suppress records until every group of quasi-identifiers has at least K records' -r
complete -c steward -n "__fish_steward_using_subcommand pseudonymize" -l quasi -d 'Quasi-identifiers for --k [default: the schema\'s quasi-identifier fields in the output]' -r
complete -c steward -n "__fish_steward_using_subcommand pseudonymize" -l max-suppress -d 'With --k: the share of records that may be suppressed before generalizing further' -r
complete -c steward -n "__fish_steward_using_subcommand pseudonymize" -l mapping -d 'Write token -> original value to FILE (mode 0600), for whoever may re-identify; never by default' -r
complete -c steward -n "__fish_steward_using_subcommand pseudonymize" -l consent-field -d 'The consent field (e.g. marketing_consent), with --consent-only' -r
complete -c steward -n "__fish_steward_using_subcommand pseudonymize" -l metadata -d 'Metadata file [default: OUT.meta.json; required when OUT is stdout]' -r
complete -c steward -n "__fish_steward_using_subcommand pseudonymize" -l default-region -d 'Region for phone numbers of rows without a country, e.g. CN' -r
complete -c steward -n "__fish_steward_using_subcommand pseudonymize" -l as-of -d 'Age bands are counted at this date [default: today]' -r
complete -c steward -n "__fish_steward_using_subcommand pseudonymize" -l bom -d 'Start every CSV and TSV file written with a UTF-8 byte-order mark, so Excel on Windows opens Chinese and other non-ASCII text correctly (files only; other formats are unchanged)'
complete -c steward -n "__fish_steward_using_subcommand pseudonymize" -l steward-checks -d 'With a Table Schema: also run steward\'s own checks of each field\'s kind (email, phone and postcode by country, dates in other forms, ...) and normalize values, besides the spec\'s types and constraints'
complete -c steward -n "__fish_steward_using_subcommand pseudonymize" -l consent-only -d 'Keep only customers whose consent field says yes'
complete -c steward -n "__fish_steward_using_subcommand pseudonymize" -l lenient -d 'Send malformed CSV rows to the rejects instead of failing'
complete -c steward -n "__fish_steward_using_subcommand pseudonymize" -l force -d 'Replace output files that already exist'
complete -c steward -n "__fish_steward_using_subcommand pseudonymize" -l no-formula-guard -d 'Do not neutralize spreadsheet formulas in CSV/TSV output'
complete -c steward -n "__fish_steward_using_subcommand pseudonymize" -s q -l quiet -d 'Print no messages on stderr (errors still go there)'
complete -c steward -n "__fish_steward_using_subcommand pseudonymize" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c steward -n "__fish_steward_using_subcommand pseudonymize" -s V -l version -d 'Print version'
complete -c steward -n "__fish_steward_using_subcommand reveal" -s o -l output -d 'Output file, or - for stdout' -r
complete -c steward -n "__fish_steward_using_subcommand reveal" -l output-format -d 'Data format: csv, tsv, jsonl, parquet or xlsx [default: from the extension of OUT; csv for stdout]' -r -f -a "csv\t''
tsv\t''
jsonl\t''
parquet\t''
xlsx\t''"
complete -c steward -n "__fish_steward_using_subcommand reveal" -l out-table -d 'The table to write when -o names a database; loaded in one transaction that commits with the command\'s other outputs' -r
complete -c steward -n "__fish_steward_using_subcommand reveal" -l if-exists -d 'When the --out-table exists: fail (the default; the table is created), replace its rows (one transaction, the table itself kept), or append to it' -r -f -a "fail\t'Refuse: the table must not exist (it is created)'
replace\t'Delete its rows and load the new ones, in one transaction (the table itself stays: grants, views, foreign keys and triggers keep working). MySQL: a copy of the table is loaded and swapped in by one RENAME TABLE, refused when views, foreign keys or triggers depend on it'
append\t'Add the rows to it'"
complete -c steward -n "__fish_steward_using_subcommand reveal" -l columns -d 'Columns to decrypt [default: every column holding encrypted values]' -r
complete -c steward -n "__fish_steward_using_subcommand reveal" -s d -l delimiter -d 'Field delimiter: a character, or one of comma, semicolon, tab, pipe [default: sniffed]' -r
complete -c steward -n "__fish_steward_using_subcommand reveal" -l encoding -d 'Text encoding label, e.g. utf-8, gbk, gb18030, utf-16le, windows-1252 [default: detected]' -r
complete -c steward -n "__fish_steward_using_subcommand reveal" -l sheet -d 'Workbook sheet to read: its name, its 1-based number, or `all` [default: the first non-empty sheet]' -r
complete -c steward -n "__fish_steward_using_subcommand reveal" -l input-format -d 'Read every source as this format instead of detecting it' -r -f -a "csv\t''
tsv\t''
xlsx\t''
xls\t''
ods\t''"
complete -c steward -n "__fish_steward_using_subcommand reveal" -l table -d 'The table to read from a database source (postgres://USER@HOST/DB, mysql://USER@HOST/DB, sqlite:FILE or env:VAR)' -r
complete -c steward -n "__fish_steward_using_subcommand reveal" -l query -d 'A query whose result is read from a database source, instead of --table' -r
complete -c steward -n "__fish_steward_using_subcommand reveal" -l key-file -d 'Key file (from `steward key new`; mode 0600) [default: the STEWARD_KEY environment variable, hex]' -r -F
complete -c steward -n "__fish_steward_using_subcommand reveal" -l domain -d 'Purpose or recipient the tokens are for: another domain gives unrelated tokens [default: default]' -r
complete -c steward -n "__fish_steward_using_subcommand reveal" -l bom -d 'Start every CSV and TSV file written with a UTF-8 byte-order mark, so Excel on Windows opens Chinese and other non-ASCII text correctly (files only; other formats are unchanged)'
complete -c steward -n "__fish_steward_using_subcommand reveal" -l force -d 'Replace output files that already exist'
complete -c steward -n "__fish_steward_using_subcommand reveal" -s q -l quiet -d 'Print no messages on stderr (errors still go there)'
complete -c steward -n "__fish_steward_using_subcommand reveal" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c steward -n "__fish_steward_using_subcommand reveal" -s V -l version -d 'Print version'
complete -c steward -n "__fish_steward_using_subcommand risk" -l quasi -d 'Quasi-identifiers (schema field names or source headers) [default: the schema\'s quasi-identifiers]' -r
complete -c steward -n "__fish_steward_using_subcommand risk" -s k -l k -d 'The smallest acceptable group size' -r
complete -c steward -n "__fish_steward_using_subcommand risk" -s d -l delimiter -d 'Field delimiter: a character, or one of comma, semicolon, tab, pipe [default: sniffed]' -r
complete -c steward -n "__fish_steward_using_subcommand risk" -l encoding -d 'Text encoding label, e.g. utf-8, gbk, gb18030, utf-16le, windows-1252 [default: detected]' -r
complete -c steward -n "__fish_steward_using_subcommand risk" -l sheet -d 'Workbook sheet to read: its name, its 1-based number, or `all` [default: the first non-empty sheet]' -r
complete -c steward -n "__fish_steward_using_subcommand risk" -l input-format -d 'Read every source as this format instead of detecting it' -r -f -a "csv\t''
tsv\t''
xlsx\t''
xls\t''
ods\t''"
complete -c steward -n "__fish_steward_using_subcommand risk" -l table -d 'The table to read from a database source (postgres://USER@HOST/DB, mysql://USER@HOST/DB, sqlite:FILE or env:VAR)' -r
complete -c steward -n "__fish_steward_using_subcommand risk" -l query -d 'A query whose result is read from a database source, instead of --table' -r
complete -c steward -n "__fish_steward_using_subcommand risk" -l schema -d 'A schema file: steward TOML (see `steward schema init`) or a Frictionless Table Schema (.json)' -r -F
complete -c steward -n "__fish_steward_using_subcommand risk" -l map -d 'Map a column onto a field by hand, e.g. --map "Cust No=id"; `COLUMN=` keeps it unmapped. Repeatable' -r
complete -c steward -n "__fish_steward_using_subcommand risk" -l format -d 'Summary format: human (on stderr), or json (one document on stdout; on stderr when the data goes to stdout) [default: human]' -r -f -a "human\t''
json\t''"
complete -c steward -n "__fish_steward_using_subcommand risk" -l steward-checks -d 'With a Table Schema: also run steward\'s own checks of each field\'s kind (email, phone and postcode by country, dates in other forms, ...) and normalize values, besides the spec\'s types and constraints'
complete -c steward -n "__fish_steward_using_subcommand risk" -s q -l quiet -d 'Print no messages on stderr (errors still go there)'
complete -c steward -n "__fish_steward_using_subcommand risk" -s h -l help -d 'Print help'
complete -c steward -n "__fish_steward_using_subcommand risk" -s V -l version -d 'Print version'
complete -c steward -n "__fish_steward_using_subcommand erase" -l requests -d 'File of identifiers to erase: one per line, or columns under a header naming their kind' -r -F
complete -c steward -n "__fish_steward_using_subcommand erase" -s o -l output -d 'Output file for one source (- for stdout), or an existing folder for several' -r
complete -c steward -n "__fish_steward_using_subcommand erase" -l format -d 'Summary format: human (on stderr), or json (one document on stdout; on stderr when the data goes to stdout) [default: human]' -r -f -a "human\t''
json\t''"
complete -c steward -n "__fish_steward_using_subcommand erase" -l receipt -d 'Erasure receipt (JSON)' -r
complete -c steward -n "__fish_steward_using_subcommand erase" -l key-file -d 'Key file (from `steward key new`; mode 0600) [default: the STEWARD_KEY environment variable, hex]' -r -F
complete -c steward -n "__fish_steward_using_subcommand erase" -l domain -d 'Purpose or recipient the tokens are for: another domain gives unrelated tokens [default: default]' -r
complete -c steward -n "__fish_steward_using_subcommand erase" -s d -l delimiter -d 'Field delimiter: a character, or one of comma, semicolon, tab, pipe [default: sniffed]' -r
complete -c steward -n "__fish_steward_using_subcommand erase" -l encoding -d 'Text encoding label, e.g. utf-8, gbk, gb18030, utf-16le, windows-1252 [default: detected]' -r
complete -c steward -n "__fish_steward_using_subcommand erase" -l sheet -d 'Workbook sheet to read: its name, its 1-based number, or `all` [default: the first non-empty sheet]' -r
complete -c steward -n "__fish_steward_using_subcommand erase" -l input-format -d 'Read every source as this format instead of detecting it' -r -f -a "csv\t''
tsv\t''
xlsx\t''
xls\t''
ods\t''"
complete -c steward -n "__fish_steward_using_subcommand erase" -l table -d 'The table to read from a database source (postgres://USER@HOST/DB, mysql://USER@HOST/DB, sqlite:FILE or env:VAR)' -r
complete -c steward -n "__fish_steward_using_subcommand erase" -l query -d 'A query whose result is read from a database source, instead of --table' -r
complete -c steward -n "__fish_steward_using_subcommand erase" -l schema -d 'A schema file: steward TOML (see `steward schema init`) or a Frictionless Table Schema (.json)' -r -F
complete -c steward -n "__fish_steward_using_subcommand erase" -l map -d 'Map a column onto a field by hand, e.g. --map "Cust No=id"; `COLUMN=` keeps it unmapped. Repeatable' -r
complete -c steward -n "__fish_steward_using_subcommand erase" -l default-region -d 'Region for phone numbers written without a country code in rows without a country, e.g. CN' -r
complete -c steward -n "__fish_steward_using_subcommand erase" -l normalization -d 'Normalization the receipt\'s request tokens are made with: n2, or n1 to join with data tokenized before n2 (requests are matched with the current one either way) [default: n2]' -r
complete -c steward -n "__fish_steward_using_subcommand erase" -l in-place -d 'Rewrite each source in place, atomically, in its own format (no backup copy is kept); a database table has its rows deleted in one transaction'
complete -c steward -n "__fish_steward_using_subcommand erase" -l dry-run -d 'Count what would be erased and redacted, and write nothing (no output, no receipt)'
complete -c steward -n "__fish_steward_using_subcommand erase" -l steward-checks -d 'With a Table Schema: also run steward\'s own checks of each field\'s kind (email, phone and postcode by country, dates in other forms, ...) and normalize values, besides the spec\'s types and constraints'
complete -c steward -n "__fish_steward_using_subcommand erase" -l force -d 'Replace output files that already exist'
complete -c steward -n "__fish_steward_using_subcommand erase" -s q -l quiet -d 'Print no messages on stderr (errors still go there)'
complete -c steward -n "__fish_steward_using_subcommand erase" -s h -l help -d 'Print help'
complete -c steward -n "__fish_steward_using_subcommand erase" -s V -l version -d 'Print version'
complete -c steward -n "__fish_steward_using_subcommand key; and not __fish_seen_subcommand_from new id help" -s q -l quiet -d 'Print no messages on stderr (errors still go there)'
complete -c steward -n "__fish_steward_using_subcommand key; and not __fish_seen_subcommand_from new id help" -s h -l help -d 'Print help'
complete -c steward -n "__fish_steward_using_subcommand key; and not __fish_seen_subcommand_from new id help" -s V -l version -d 'Print version'
complete -c steward -n "__fish_steward_using_subcommand key; and not __fish_seen_subcommand_from new id help" -f -a "new" -d 'Create a 256-bit random key file readable by its owner only (0600)'
complete -c steward -n "__fish_steward_using_subcommand key; and not __fish_seen_subcommand_from new id help" -f -a "id" -d 'Print a key\'s id: a fingerprint that reveals nothing of the key'
complete -c steward -n "__fish_steward_using_subcommand key; and not __fish_seen_subcommand_from new id help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c steward -n "__fish_steward_using_subcommand key; and __fish_seen_subcommand_from new" -l force -d 'Replace the file if it exists'
complete -c steward -n "__fish_steward_using_subcommand key; and __fish_seen_subcommand_from new" -s q -l quiet -d 'Print no messages on stderr (errors still go there)'
complete -c steward -n "__fish_steward_using_subcommand key; and __fish_seen_subcommand_from new" -s h -l help -d 'Print help'
complete -c steward -n "__fish_steward_using_subcommand key; and __fish_seen_subcommand_from new" -s V -l version -d 'Print version'
complete -c steward -n "__fish_steward_using_subcommand key; and __fish_seen_subcommand_from id" -s q -l quiet -d 'Print no messages on stderr (errors still go there)'
complete -c steward -n "__fish_steward_using_subcommand key; and __fish_seen_subcommand_from id" -s h -l help -d 'Print help'
complete -c steward -n "__fish_steward_using_subcommand key; and __fish_seen_subcommand_from id" -s V -l version -d 'Print version'
complete -c steward -n "__fish_steward_using_subcommand key; and __fish_seen_subcommand_from help" -f -a "new" -d 'Create a 256-bit random key file readable by its owner only (0600)'
complete -c steward -n "__fish_steward_using_subcommand key; and __fish_seen_subcommand_from help" -f -a "id" -d 'Print a key\'s id: a fingerprint that reveals nothing of the key'
complete -c steward -n "__fish_steward_using_subcommand key; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c steward -n "__fish_steward_using_subcommand audit; and not __fish_seen_subcommand_from verify help" -s q -l quiet -d 'Print no messages on stderr (errors still go there)'
complete -c steward -n "__fish_steward_using_subcommand audit; and not __fish_seen_subcommand_from verify help" -s h -l help -d 'Print help'
complete -c steward -n "__fish_steward_using_subcommand audit; and not __fish_seen_subcommand_from verify help" -s V -l version -d 'Print version'
complete -c steward -n "__fish_steward_using_subcommand audit; and not __fish_seen_subcommand_from verify help" -f -a "verify" -d 'Check an audit log: every entry chained to the one before, each entry\'s own hash and (with keys) its seal, and every recorded output still as recorded; prints the entry count and the head hash to anchor elsewhere'
complete -c steward -n "__fish_steward_using_subcommand audit; and not __fish_seen_subcommand_from verify help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c steward -n "__fish_steward_using_subcommand audit; and __fish_seen_subcommand_from verify" -l key-file -d 'Check seals with this key (repeatable, for a log that spans a key rotation; STEWARD_KEY is used too)' -r -F
complete -c steward -n "__fish_steward_using_subcommand audit; and __fish_seen_subcommand_from verify" -l expect-head -d 'The head hash anchored elsewhere: detects a removed or edited last entry' -r
complete -c steward -n "__fish_steward_using_subcommand audit; and __fish_seen_subcommand_from verify" -l expect-entries -d 'The number of entries anchored elsewhere: detects removed entries at the end' -r
complete -c steward -n "__fish_steward_using_subcommand audit; and __fish_seen_subcommand_from verify" -l format -d 'Summary format: human (on stderr), or json (one document on stdout; on stderr when the data goes to stdout) [default: human]' -r -f -a "human\t''
json\t''"
complete -c steward -n "__fish_steward_using_subcommand audit; and __fish_seen_subcommand_from verify" -l chain-only -d 'Check only the chain, hashes and seals, not the output files'
complete -c steward -n "__fish_steward_using_subcommand audit; and __fish_seen_subcommand_from verify" -s q -l quiet -d 'Print no messages on stderr (errors still go there)'
complete -c steward -n "__fish_steward_using_subcommand audit; and __fish_seen_subcommand_from verify" -s h -l help -d 'Print help'
complete -c steward -n "__fish_steward_using_subcommand audit; and __fish_seen_subcommand_from verify" -s V -l version -d 'Print version'
complete -c steward -n "__fish_steward_using_subcommand audit; and __fish_seen_subcommand_from help" -f -a "verify" -d 'Check an audit log: every entry chained to the one before, each entry\'s own hash and (with keys) its seal, and every recorded output still as recorded; prints the entry count and the head hash to anchor elsewhere'
complete -c steward -n "__fish_steward_using_subcommand audit; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c steward -n "__fish_steward_using_subcommand model; and not __fish_seen_subcommand_from features sql score cluster train help" -s q -l quiet -d 'Print no messages on stderr (errors still go there)'
complete -c steward -n "__fish_steward_using_subcommand model; and not __fish_seen_subcommand_from features sql score cluster train help" -s h -l help -d 'Print help'
complete -c steward -n "__fish_steward_using_subcommand model; and not __fish_seen_subcommand_from features sql score cluster train help" -s V -l version -d 'Print version'
complete -c steward -n "__fish_steward_using_subcommand model; and not __fish_seen_subcommand_from features sql score cluster train help" -f -a "features" -d 'Every per-record value a saved model\'s comparisons and blocking rules need, one row per record, as Parquet for a warehouse engine to score with `steward model sql`'
complete -c steward -n "__fish_steward_using_subcommand model; and not __fish_seen_subcommand_from features sql score cluster train help" -f -a "sql" -d 'SQL that scores a saved model\'s candidate pairs over its features table in DuckDB, as steward does natively: the same pairs, levels and probabilities'
complete -c steward -n "__fish_steward_using_subcommand model; and not __fish_seen_subcommand_from features sql score cluster train help" -f -a "score" -d 'Score a list\'s candidate pairs natively with a saved model, in the columns `steward model sql` returns (to compare an engine\'s result with steward\'s)'
complete -c steward -n "__fish_steward_using_subcommand model; and not __fish_seen_subcommand_from features sql score cluster train help" -f -a "cluster" -d 'Cluster a list by candidate pairs a warehouse engine scored with a saved model\'s SQL: connected components of the pairs at or above the threshold, with the chaining guard, as `steward dedupe --model` clusters'
complete -c steward -n "__fish_steward_using_subcommand model; and not __fish_seen_subcommand_from features sql score cluster train help" -f -a "train" -d 'Train a model from the counts its SQL returned in a warehouse engine (`model sql --counts`): u from the random pairs\' levels, m and the prior by EM over the candidate pairs\' patterns, as the native engine does'
complete -c steward -n "__fish_steward_using_subcommand model; and not __fish_seen_subcommand_from features sql score cluster train help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c steward -n "__fish_steward_using_subcommand model; and __fish_seen_subcommand_from features" -s o -l output -d 'The features table (.parquet)' -r
complete -c steward -n "__fish_steward_using_subcommand model; and __fish_seen_subcommand_from features" -l model -d 'The saved model (dedupe --save-model, or a cleanup\'s model.json)' -r -F
complete -c steward -n "__fish_steward_using_subcommand model; and __fish_seen_subcommand_from features" -l row-offset -d 'The first record\'s row number: a shard of a list featurized on its own starts where the shards before it end, so the shards\' tables together are the whole list\'s' -r
complete -c steward -n "__fish_steward_using_subcommand model; and __fish_seen_subcommand_from features" -s d -l delimiter -d 'Field delimiter: a character, or one of comma, semicolon, tab, pipe [default: sniffed]' -r
complete -c steward -n "__fish_steward_using_subcommand model; and __fish_seen_subcommand_from features" -l encoding -d 'Text encoding label, e.g. utf-8, gbk, gb18030, utf-16le, windows-1252 [default: detected]' -r
complete -c steward -n "__fish_steward_using_subcommand model; and __fish_seen_subcommand_from features" -l sheet -d 'Workbook sheet to read: its name, its 1-based number, or `all` [default: the first non-empty sheet]' -r
complete -c steward -n "__fish_steward_using_subcommand model; and __fish_seen_subcommand_from features" -l input-format -d 'Read every source as this format instead of detecting it' -r -f -a "csv\t''
tsv\t''
xlsx\t''
xls\t''
ods\t''"
complete -c steward -n "__fish_steward_using_subcommand model; and __fish_seen_subcommand_from features" -l table -d 'The table to read from a database source (postgres://USER@HOST/DB, mysql://USER@HOST/DB, sqlite:FILE or env:VAR)' -r
complete -c steward -n "__fish_steward_using_subcommand model; and __fish_seen_subcommand_from features" -l query -d 'A query whose result is read from a database source, instead of --table' -r
complete -c steward -n "__fish_steward_using_subcommand model; and __fish_seen_subcommand_from features" -l schema -d 'A schema file: steward TOML (see `steward schema init`) or a Frictionless Table Schema (.json)' -r -F
complete -c steward -n "__fish_steward_using_subcommand model; and __fish_seen_subcommand_from features" -l map -d 'Map a column onto a field by hand, e.g. --map "Cust No=id"; `COLUMN=` keeps it unmapped. Repeatable' -r
complete -c steward -n "__fish_steward_using_subcommand model; and __fish_seen_subcommand_from features" -l steward-checks -d 'With a Table Schema: also run steward\'s own checks of each field\'s kind (email, phone and postcode by country, dates in other forms, ...) and normalize values, besides the spec\'s types and constraints'
complete -c steward -n "__fish_steward_using_subcommand model; and __fish_seen_subcommand_from features" -l lenient -d 'Send malformed CSV rows to the report instead of failing'
complete -c steward -n "__fish_steward_using_subcommand model; and __fish_seen_subcommand_from features" -l force -d 'Replace an output file that already exists'
complete -c steward -n "__fish_steward_using_subcommand model; and __fish_seen_subcommand_from features" -s q -l quiet -d 'Print no messages on stderr (errors still go there)'
complete -c steward -n "__fish_steward_using_subcommand model; and __fish_seen_subcommand_from features" -s h -l help -d 'Print help'
complete -c steward -n "__fish_steward_using_subcommand model; and __fish_seen_subcommand_from features" -s V -l version -d 'Print version'
complete -c steward -n "__fish_steward_using_subcommand model; and __fish_seen_subcommand_from sql" -l model -d 'The saved model' -r -F
complete -c steward -n "__fish_steward_using_subcommand model; and __fish_seen_subcommand_from sql" -l dialect -d 'The SQL dialect' -r -f -a "duckdb\t''
spark\t'Spark SQL 4 (the session registers st_jw: see the SQL\'s first lines)'"
complete -c steward -n "__fish_steward_using_subcommand model; and __fish_seen_subcommand_from sql" -s o -l output -d 'The SQL file [default: stdout]' -r
complete -c steward -n "__fish_steward_using_subcommand model; and __fish_seen_subcommand_from sql" -l random-pairs -d 'With --counts: random pairs whose levels estimate u' -r
complete -c steward -n "__fish_steward_using_subcommand model; and __fish_seen_subcommand_from sql" -l counts -d 'SQL returning the counts `steward model train` fits a model from (level patterns of the candidate pairs and of random pairs), instead of the scores'
complete -c steward -n "__fish_steward_using_subcommand model; and __fish_seen_subcommand_from sql" -l force -d 'Replace an output file that already exists'
complete -c steward -n "__fish_steward_using_subcommand model; and __fish_seen_subcommand_from sql" -s q -l quiet -d 'Print no messages on stderr (errors still go there)'
complete -c steward -n "__fish_steward_using_subcommand model; and __fish_seen_subcommand_from sql" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c steward -n "__fish_steward_using_subcommand model; and __fish_seen_subcommand_from sql" -s V -l version -d 'Print version'
complete -c steward -n "__fish_steward_using_subcommand model; and __fish_seen_subcommand_from score" -s o -l output -d 'The scored pairs (csv, tsv, jsonl, parquet, xlsx by extension; - for stdout)' -r
complete -c steward -n "__fish_steward_using_subcommand model; and __fish_seen_subcommand_from score" -l model -d 'The saved model' -r -F
complete -c steward -n "__fish_steward_using_subcommand model; and __fish_seen_subcommand_from score" -s d -l delimiter -d 'Field delimiter: a character, or one of comma, semicolon, tab, pipe [default: sniffed]' -r
complete -c steward -n "__fish_steward_using_subcommand model; and __fish_seen_subcommand_from score" -l encoding -d 'Text encoding label, e.g. utf-8, gbk, gb18030, utf-16le, windows-1252 [default: detected]' -r
complete -c steward -n "__fish_steward_using_subcommand model; and __fish_seen_subcommand_from score" -l sheet -d 'Workbook sheet to read: its name, its 1-based number, or `all` [default: the first non-empty sheet]' -r
complete -c steward -n "__fish_steward_using_subcommand model; and __fish_seen_subcommand_from score" -l input-format -d 'Read every source as this format instead of detecting it' -r -f -a "csv\t''
tsv\t''
xlsx\t''
xls\t''
ods\t''"
complete -c steward -n "__fish_steward_using_subcommand model; and __fish_seen_subcommand_from score" -l table -d 'The table to read from a database source (postgres://USER@HOST/DB, mysql://USER@HOST/DB, sqlite:FILE or env:VAR)' -r
complete -c steward -n "__fish_steward_using_subcommand model; and __fish_seen_subcommand_from score" -l query -d 'A query whose result is read from a database source, instead of --table' -r
complete -c steward -n "__fish_steward_using_subcommand model; and __fish_seen_subcommand_from score" -l schema -d 'A schema file: steward TOML (see `steward schema init`) or a Frictionless Table Schema (.json)' -r -F
complete -c steward -n "__fish_steward_using_subcommand model; and __fish_seen_subcommand_from score" -l map -d 'Map a column onto a field by hand, e.g. --map "Cust No=id"; `COLUMN=` keeps it unmapped. Repeatable' -r
complete -c steward -n "__fish_steward_using_subcommand model; and __fish_seen_subcommand_from score" -l steward-checks -d 'With a Table Schema: also run steward\'s own checks of each field\'s kind (email, phone and postcode by country, dates in other forms, ...) and normalize values, besides the spec\'s types and constraints'
complete -c steward -n "__fish_steward_using_subcommand model; and __fish_seen_subcommand_from score" -l lenient -d 'Send malformed CSV rows to the report instead of failing'
complete -c steward -n "__fish_steward_using_subcommand model; and __fish_seen_subcommand_from score" -l force -d 'Replace an output file that already exists'
complete -c steward -n "__fish_steward_using_subcommand model; and __fish_seen_subcommand_from score" -s q -l quiet -d 'Print no messages on stderr (errors still go there)'
complete -c steward -n "__fish_steward_using_subcommand model; and __fish_seen_subcommand_from score" -s h -l help -d 'Print help'
complete -c steward -n "__fish_steward_using_subcommand model; and __fish_seen_subcommand_from score" -s V -l version -d 'Print version'
complete -c steward -n "__fish_steward_using_subcommand model; and __fish_seen_subcommand_from cluster" -s o -l output -d 'Every input row with golden_id, cluster_id, cluster_size and match_probability' -r
complete -c steward -n "__fish_steward_using_subcommand model; and __fish_seen_subcommand_from cluster" -l merge-map -d 'Old record -> golden id' -r
complete -c steward -n "__fish_steward_using_subcommand model; and __fish_seen_subcommand_from cluster" -l model -d 'The saved model that scored the pairs' -r -F
complete -c steward -n "__fish_steward_using_subcommand model; and __fish_seen_subcommand_from cluster" -l pairs -d 'The scored pairs (.csv or .parquet): row_a, row_b, match_probability' -r -F
complete -c steward -n "__fish_steward_using_subcommand model; and __fish_seen_subcommand_from cluster" -s d -l delimiter -d 'Field delimiter: a character, or one of comma, semicolon, tab, pipe [default: sniffed]' -r
complete -c steward -n "__fish_steward_using_subcommand model; and __fish_seen_subcommand_from cluster" -l encoding -d 'Text encoding label, e.g. utf-8, gbk, gb18030, utf-16le, windows-1252 [default: detected]' -r
complete -c steward -n "__fish_steward_using_subcommand model; and __fish_seen_subcommand_from cluster" -l sheet -d 'Workbook sheet to read: its name, its 1-based number, or `all` [default: the first non-empty sheet]' -r
complete -c steward -n "__fish_steward_using_subcommand model; and __fish_seen_subcommand_from cluster" -l input-format -d 'Read every source as this format instead of detecting it' -r -f -a "csv\t''
tsv\t''
xlsx\t''
xls\t''
ods\t''"
complete -c steward -n "__fish_steward_using_subcommand model; and __fish_seen_subcommand_from cluster" -l table -d 'The table to read from a database source (postgres://USER@HOST/DB, mysql://USER@HOST/DB, sqlite:FILE or env:VAR)' -r
complete -c steward -n "__fish_steward_using_subcommand model; and __fish_seen_subcommand_from cluster" -l query -d 'A query whose result is read from a database source, instead of --table' -r
complete -c steward -n "__fish_steward_using_subcommand model; and __fish_seen_subcommand_from cluster" -l schema -d 'A schema file: steward TOML (see `steward schema init`) or a Frictionless Table Schema (.json)' -r -F
complete -c steward -n "__fish_steward_using_subcommand model; and __fish_seen_subcommand_from cluster" -l map -d 'Map a column onto a field by hand, e.g. --map "Cust No=id"; `COLUMN=` keeps it unmapped. Repeatable' -r
complete -c steward -n "__fish_steward_using_subcommand model; and __fish_seen_subcommand_from cluster" -l steward-checks -d 'With a Table Schema: also run steward\'s own checks of each field\'s kind (email, phone and postcode by country, dates in other forms, ...) and normalize values, besides the spec\'s types and constraints'
complete -c steward -n "__fish_steward_using_subcommand model; and __fish_seen_subcommand_from cluster" -l lenient -d 'Send malformed CSV rows to the report instead of failing'
complete -c steward -n "__fish_steward_using_subcommand model; and __fish_seen_subcommand_from cluster" -l force -d 'Replace output files that already exist'
complete -c steward -n "__fish_steward_using_subcommand model; and __fish_seen_subcommand_from cluster" -s q -l quiet -d 'Print no messages on stderr (errors still go there)'
complete -c steward -n "__fish_steward_using_subcommand model; and __fish_seen_subcommand_from cluster" -s h -l help -d 'Print help'
complete -c steward -n "__fish_steward_using_subcommand model; and __fish_seen_subcommand_from cluster" -s V -l version -d 'Print version'
complete -c steward -n "__fish_steward_using_subcommand model; and __fish_seen_subcommand_from train" -l model -d 'The model whose configuration is trained (dedupe --save-model, or a cleanup\'s model.json)' -r -F
complete -c steward -n "__fish_steward_using_subcommand model; and __fish_seen_subcommand_from train" -l counts -d 'The counts (.csv or .parquet)' -r -F
complete -c steward -n "__fish_steward_using_subcommand model; and __fish_seen_subcommand_from train" -l save-model -d 'Where the trained model is written' -r
complete -c steward -n "__fish_steward_using_subcommand model; and __fish_seen_subcommand_from train" -l force -d 'Replace an output file that already exists'
complete -c steward -n "__fish_steward_using_subcommand model; and __fish_seen_subcommand_from train" -s q -l quiet -d 'Print no messages on stderr (errors still go there)'
complete -c steward -n "__fish_steward_using_subcommand model; and __fish_seen_subcommand_from train" -s h -l help -d 'Print help'
complete -c steward -n "__fish_steward_using_subcommand model; and __fish_seen_subcommand_from train" -s V -l version -d 'Print version'
complete -c steward -n "__fish_steward_using_subcommand model; and __fish_seen_subcommand_from help" -f -a "features" -d 'Every per-record value a saved model\'s comparisons and blocking rules need, one row per record, as Parquet for a warehouse engine to score with `steward model sql`'
complete -c steward -n "__fish_steward_using_subcommand model; and __fish_seen_subcommand_from help" -f -a "sql" -d 'SQL that scores a saved model\'s candidate pairs over its features table in DuckDB, as steward does natively: the same pairs, levels and probabilities'
complete -c steward -n "__fish_steward_using_subcommand model; and __fish_seen_subcommand_from help" -f -a "score" -d 'Score a list\'s candidate pairs natively with a saved model, in the columns `steward model sql` returns (to compare an engine\'s result with steward\'s)'
complete -c steward -n "__fish_steward_using_subcommand model; and __fish_seen_subcommand_from help" -f -a "cluster" -d 'Cluster a list by candidate pairs a warehouse engine scored with a saved model\'s SQL: connected components of the pairs at or above the threshold, with the chaining guard, as `steward dedupe --model` clusters'
complete -c steward -n "__fish_steward_using_subcommand model; and __fish_seen_subcommand_from help" -f -a "train" -d 'Train a model from the counts its SQL returned in a warehouse engine (`model sql --counts`): u from the random pairs\' levels, m and the prior by EM over the candidate pairs\' patterns, as the native engine does'
complete -c steward -n "__fish_steward_using_subcommand model; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c steward -n "__fish_steward_using_subcommand schema; and not __fish_seen_subcommand_from show init help" -s q -l quiet -d 'Print no messages on stderr (errors still go there)'
complete -c steward -n "__fish_steward_using_subcommand schema; and not __fish_seen_subcommand_from show init help" -s h -l help -d 'Print help'
complete -c steward -n "__fish_steward_using_subcommand schema; and not __fish_seen_subcommand_from show init help" -s V -l version -d 'Print version'
complete -c steward -n "__fish_steward_using_subcommand schema; and not __fish_seen_subcommand_from show init help" -f -a "show" -d 'Print the schema: fields, kinds, privacy classes, rules and header aliases'
complete -c steward -n "__fish_steward_using_subcommand schema; and not __fish_seen_subcommand_from show init help" -f -a "init" -d 'Write an editable copy of the built-in schema'
complete -c steward -n "__fish_steward_using_subcommand schema; and not __fish_seen_subcommand_from show init help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c steward -n "__fish_steward_using_subcommand schema; and __fish_seen_subcommand_from show" -l schema -d 'Show this schema instead of the built-in one' -r -F
complete -c steward -n "__fish_steward_using_subcommand schema; and __fish_seen_subcommand_from show" -l format -r -f -a "human\t''
toml\t''
json\t''"
complete -c steward -n "__fish_steward_using_subcommand schema; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Print no messages on stderr (errors still go there)'
complete -c steward -n "__fish_steward_using_subcommand schema; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help'
complete -c steward -n "__fish_steward_using_subcommand schema; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c steward -n "__fish_steward_using_subcommand schema; and __fish_seen_subcommand_from init" -l force -d 'Replace the file if it exists'
complete -c steward -n "__fish_steward_using_subcommand schema; and __fish_seen_subcommand_from init" -s q -l quiet -d 'Print no messages on stderr (errors still go there)'
complete -c steward -n "__fish_steward_using_subcommand schema; and __fish_seen_subcommand_from init" -s h -l help -d 'Print help'
complete -c steward -n "__fish_steward_using_subcommand schema; and __fish_seen_subcommand_from init" -s V -l version -d 'Print version'
complete -c steward -n "__fish_steward_using_subcommand schema; and __fish_seen_subcommand_from help" -f -a "show" -d 'Print the schema: fields, kinds, privacy classes, rules and header aliases'
complete -c steward -n "__fish_steward_using_subcommand schema; and __fish_seen_subcommand_from help" -f -a "init" -d 'Write an editable copy of the built-in schema'
complete -c steward -n "__fish_steward_using_subcommand schema; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c steward -n "__fish_steward_using_subcommand completions" -s q -l quiet -d 'Print no messages on stderr (errors still go there)'
complete -c steward -n "__fish_steward_using_subcommand completions" -s h -l help -d 'Print help'
complete -c steward -n "__fish_steward_using_subcommand completions" -s V -l version -d 'Print version'
complete -c steward -n "__fish_steward_using_subcommand man" -s q -l quiet -d 'Print no messages on stderr (errors still go there)'
complete -c steward -n "__fish_steward_using_subcommand man" -s h -l help -d 'Print help'
complete -c steward -n "__fish_steward_using_subcommand man" -s V -l version -d 'Print version'
complete -c steward -n "__fish_steward_using_subcommand help; and not __fish_seen_subcommand_from inspect import validate normalize clean run profile diff dedupe segment pseudonymize reveal risk erase key audit model schema completions man help" -f -a "inspect" -d 'Show what steward detects in a file: format, encoding, delimiter, header row, counts and column mapping'
complete -c steward -n "__fish_steward_using_subcommand help; and not __fish_seen_subcommand_from inspect import validate normalize clean run profile diff dedupe segment pseudonymize reveal risk erase key audit model schema completions man help" -f -a "import" -d 'Read customer lists and write one table: schema fields, then unmapped columns, then _source and _row'
complete -c steward -n "__fish_steward_using_subcommand help; and not __fish_seen_subcommand_from inspect import validate normalize clean run profile diff dedupe segment pseudonymize reveal risk erase key audit model schema completions man help" -f -a "validate" -d 'Check every row against the schema and report, per field, what is valid, invalid and missing'
complete -c steward -n "__fish_steward_using_subcommand help; and not __fish_seen_subcommand_from inspect import validate normalize clean run profile diff dedupe segment pseudonymize reveal risk erase key audit model schema completions man help" -f -a "normalize" -d 'Write the table with every value normalized (E.164 phones, ISO dates, clean text); nothing is dropped'
complete -c steward -n "__fish_steward_using_subcommand help; and not __fish_seen_subcommand_from inspect import validate normalize clean run profile diff dedupe segment pseudonymize reveal risk erase key audit model schema completions man help" -f -a "clean" -d 'The whole cleanup job in one command: import, validate, normalize, dedupe, segment, and pseudonymize when a key is given; every output, a report and a manifest with checksums written into one folder'
complete -c steward -n "__fish_steward_using_subcommand help; and not __fish_seen_subcommand_from inspect import validate normalize clean run profile diff dedupe segment pseudonymize reveal risk erase key audit model schema completions man help" -f -a "run" -d 'Run a declared cleanup job (TOML): sources, schema, options, outputs and a policy; one folder per run'
complete -c steward -n "__fish_steward_using_subcommand help; and not __fish_seen_subcommand_from inspect import validate normalize clean run profile diff dedupe segment pseudonymize reveal risk erase key audit model schema completions man help" -f -a "profile" -d 'A data-quality profile: per column completeness, validity, uniqueness, distinct values, top values, value patterns, ranges, stale records, and an estimate of duplicate records'
complete -c steward -n "__fish_steward_using_subcommand help; and not __fish_seen_subcommand_from inspect import validate normalize clean run profile diff dedupe segment pseudonymize reveal risk erase key audit model schema completions man help" -f -a "diff" -d 'Compare two versions of a customer list: customers added, removed and changed (which fields)'
complete -c steward -n "__fish_steward_using_subcommand help; and not __fish_seen_subcommand_from inspect import validate normalize clean run profile diff dedupe segment pseudonymize reveal risk erase key audit model schema completions man help" -f -a "dedupe" -d 'Find records of the same customer, cluster them, and write one golden record per cluster'
complete -c steward -n "__fish_steward_using_subcommand help; and not __fish_seen_subcommand_from inspect import validate normalize clean run profile diff dedupe segment pseudonymize reveal risk erase key audit model schema completions man help" -f -a "segment" -d 'Grade customers by value (RFM scores and segment, A/B/C tier) and place them in their lifecycle stage'
complete -c steward -n "__fish_steward_using_subcommand help; and not __fish_seen_subcommand_from inspect import validate normalize clean run profile diff dedupe segment pseudonymize reveal risk erase key audit model schema completions man help" -f -a "pseudonymize" -d 'Write a dataset that can leave the team: identifiers tokenized, quasi-identifiers generalized, sensitive fields dropped, each as the schema\'s privacy classes say unless a policy or flag says otherwise'
complete -c steward -n "__fish_steward_using_subcommand help; and not __fish_seen_subcommand_from inspect import validate normalize clean run profile diff dedupe segment pseudonymize reveal risk erase key audit model schema completions man help" -f -a "reveal" -d 'Decrypt values written by `pseudonymize --encrypt`, for a person authorized to hold the key'
complete -c steward -n "__fish_steward_using_subcommand help; and not __fish_seen_subcommand_from inspect import validate normalize clean run profile diff dedupe segment pseudonymize reveal risk erase key audit model schema completions man help" -f -a "risk" -d 'Report re-identification risk: how many records share each combination of quasi-identifiers'
complete -c steward -n "__fish_steward_using_subcommand help; and not __fish_seen_subcommand_from inspect import validate normalize clean run profile diff dedupe segment pseudonymize reveal risk erase key audit model schema completions man help" -f -a "erase" -d 'Remove every row of the people who asked to be deleted, with a receipt that holds no personal data'
complete -c steward -n "__fish_steward_using_subcommand help; and not __fish_seen_subcommand_from inspect import validate normalize clean run profile diff dedupe segment pseudonymize reveal risk erase key audit model schema completions man help" -f -a "key" -d 'Keys for tokens and encryption: create one (0600), print its id'
complete -c steward -n "__fish_steward_using_subcommand help; and not __fish_seen_subcommand_from inspect import validate normalize clean run profile diff dedupe segment pseudonymize reveal risk erase key audit model schema completions man help" -f -a "audit" -d 'Audit logs: verify the hash chain and the outputs each entry records'
complete -c steward -n "__fish_steward_using_subcommand help; and not __fish_seen_subcommand_from inspect import validate normalize clean run profile diff dedupe segment pseudonymize reveal risk erase key audit model schema completions man help" -f -a "model" -d 'A saved matching model past one machine: its features table, SQL for DuckDB, native scores'
complete -c steward -n "__fish_steward_using_subcommand help; and not __fish_seen_subcommand_from inspect import validate normalize clean run profile diff dedupe segment pseudonymize reveal risk erase key audit model schema completions man help" -f -a "schema" -d 'The customer schema: show it, or write an editable copy'
complete -c steward -n "__fish_steward_using_subcommand help; and not __fish_seen_subcommand_from inspect import validate normalize clean run profile diff dedupe segment pseudonymize reveal risk erase key audit model schema completions man help" -f -a "completions" -d 'Print a shell completion script'
complete -c steward -n "__fish_steward_using_subcommand help; and not __fish_seen_subcommand_from inspect import validate normalize clean run profile diff dedupe segment pseudonymize reveal risk erase key audit model schema completions man help" -f -a "man" -d 'Write man pages (one per subcommand) into a folder'
complete -c steward -n "__fish_steward_using_subcommand help; and not __fish_seen_subcommand_from inspect import validate normalize clean run profile diff dedupe segment pseudonymize reveal risk erase key audit model schema completions man help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c steward -n "__fish_steward_using_subcommand help; and __fish_seen_subcommand_from key" -f -a "new" -d 'Create a 256-bit random key file readable by its owner only (0600)'
complete -c steward -n "__fish_steward_using_subcommand help; and __fish_seen_subcommand_from key" -f -a "id" -d 'Print a key\'s id: a fingerprint that reveals nothing of the key'
complete -c steward -n "__fish_steward_using_subcommand help; and __fish_seen_subcommand_from audit" -f -a "verify" -d 'Check an audit log: every entry chained to the one before, each entry\'s own hash and (with keys) its seal, and every recorded output still as recorded; prints the entry count and the head hash to anchor elsewhere'
complete -c steward -n "__fish_steward_using_subcommand help; and __fish_seen_subcommand_from model" -f -a "features" -d 'Every per-record value a saved model\'s comparisons and blocking rules need, one row per record, as Parquet for a warehouse engine to score with `steward model sql`'
complete -c steward -n "__fish_steward_using_subcommand help; and __fish_seen_subcommand_from model" -f -a "sql" -d 'SQL that scores a saved model\'s candidate pairs over its features table in DuckDB, as steward does natively: the same pairs, levels and probabilities'
complete -c steward -n "__fish_steward_using_subcommand help; and __fish_seen_subcommand_from model" -f -a "score" -d 'Score a list\'s candidate pairs natively with a saved model, in the columns `steward model sql` returns (to compare an engine\'s result with steward\'s)'
complete -c steward -n "__fish_steward_using_subcommand help; and __fish_seen_subcommand_from model" -f -a "cluster" -d 'Cluster a list by candidate pairs a warehouse engine scored with a saved model\'s SQL: connected components of the pairs at or above the threshold, with the chaining guard, as `steward dedupe --model` clusters'
complete -c steward -n "__fish_steward_using_subcommand help; and __fish_seen_subcommand_from model" -f -a "train" -d 'Train a model from the counts its SQL returned in a warehouse engine (`model sql --counts`): u from the random pairs\' levels, m and the prior by EM over the candidate pairs\' patterns, as the native engine does'
complete -c steward -n "__fish_steward_using_subcommand help; and __fish_seen_subcommand_from schema" -f -a "show" -d 'Print the schema: fields, kinds, privacy classes, rules and header aliases'
complete -c steward -n "__fish_steward_using_subcommand help; and __fish_seen_subcommand_from schema" -f -a "init" -d 'Write an editable copy of the built-in schema'
