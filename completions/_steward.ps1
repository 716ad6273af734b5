
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'steward' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'steward'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'steward' {
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still go there)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still go there)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('inspect', 'inspect', [CompletionResultType]::ParameterValue, 'Show what steward detects in a file: format, encoding, delimiter, header row, counts and column mapping')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Read customer lists and write one table: schema fields, then unmapped columns, then _source and _row')
            [CompletionResult]::new('validate', 'validate', [CompletionResultType]::ParameterValue, 'Check every row against the schema and report, per field, what is valid, invalid and missing')
            [CompletionResult]::new('normalize', 'normalize', [CompletionResultType]::ParameterValue, 'Write the table with every value normalized (E.164 phones, ISO dates, clean text); nothing is dropped')
            [CompletionResult]::new('clean', 'clean', [CompletionResultType]::ParameterValue, 'The whole cleanup job in one command: import, validate, normalize, dedupe, segment, and pseudonymize when a key is given; every output, a report and a manifest with checksums written into one folder')
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Run a declared cleanup job (TOML): sources, schema, options, outputs and a policy; one folder per run')
            [CompletionResult]::new('profile', 'profile', [CompletionResultType]::ParameterValue, 'A data-quality profile: per column completeness, validity, uniqueness, distinct values, top values, value patterns, ranges, stale records, and an estimate of duplicate records')
            [CompletionResult]::new('diff', 'diff', [CompletionResultType]::ParameterValue, 'Compare two versions of a customer list: customers added, removed and changed (which fields)')
            [CompletionResult]::new('dedupe', 'dedupe', [CompletionResultType]::ParameterValue, 'Find records of the same customer, cluster them, and write one golden record per cluster')
            [CompletionResult]::new('segment', 'segment', [CompletionResultType]::ParameterValue, 'Grade customers by value (RFM scores and segment, A/B/C tier) and place them in their lifecycle stage')
            [CompletionResult]::new('pseudonymize', 'pseudonymize', [CompletionResultType]::ParameterValue, 'Write a dataset that can leave the team: identifiers tokenized, quasi-identifiers generalized, sensitive fields dropped, each as the schema''s privacy classes say unless a policy or flag says otherwise')
            [CompletionResult]::new('reveal', 'reveal', [CompletionResultType]::ParameterValue, 'Decrypt values written by `pseudonymize --encrypt`, for a person authorized to hold the key')
            [CompletionResult]::new('risk', 'risk', [CompletionResultType]::ParameterValue, 'Report re-identification risk: how many records share each combination of quasi-identifiers')
            [CompletionResult]::new('erase', 'erase', [CompletionResultType]::ParameterValue, 'Remove every row of the people who asked to be deleted, with a receipt that holds no personal data')
            [CompletionResult]::new('key', 'key', [CompletionResultType]::ParameterValue, 'Keys for tokens and encryption: create one (0600), print its id')
            [CompletionResult]::new('audit', 'audit', [CompletionResultType]::ParameterValue, 'Audit logs: verify the hash chain and the outputs each entry records')
            [CompletionResult]::new('model', 'model', [CompletionResultType]::ParameterValue, 'A saved matching model past one machine: its features table, SQL for DuckDB, native scores')
            [CompletionResult]::new('schema', 'schema', [CompletionResultType]::ParameterValue, 'The customer schema: show it, or write an editable copy')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Write man pages (one per subcommand) into a folder')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'steward;inspect' {
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Field delimiter: a character, or one of comma, semicolon, tab, pipe [default: sniffed]')
            [CompletionResult]::new('--delimiter', '--delimiter', [CompletionResultType]::ParameterName, 'Field delimiter: a character, or one of comma, semicolon, tab, pipe [default: sniffed]')
            [CompletionResult]::new('--encoding', '--encoding', [CompletionResultType]::ParameterName, 'Text encoding label, e.g. utf-8, gbk, gb18030, utf-16le, windows-1252 [default: detected]')
            [CompletionResult]::new('--sheet', '--sheet', [CompletionResultType]::ParameterName, 'Workbook sheet to read: its name, its 1-based number, or `all` [default: the first non-empty sheet]')
            [CompletionResult]::new('--input-format', '--input-format', [CompletionResultType]::ParameterName, 'Read every source as this format instead of detecting it')
            [CompletionResult]::new('--table', '--table', [CompletionResultType]::ParameterName, 'The table to read from a database source (postgres://USER@HOST/DB, mysql://USER@HOST/DB, sqlite:FILE or env:VAR)')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'A query whose result is read from a database source, instead of --table')
            [CompletionResult]::new('--schema', '--schema', [CompletionResultType]::ParameterName, 'A schema file: steward TOML (see `steward schema init`) or a Frictionless Table Schema (.json)')
            [CompletionResult]::new('--map', '--map', [CompletionResultType]::ParameterName, 'Map a column onto a field by hand, e.g. --map "Cust No=id"; `COLUMN=` keeps it unmapped. Repeatable')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Summary format: human (on stderr), or json (one document on stdout; on stderr when the data goes to stdout) [default: human]')
            [CompletionResult]::new('--samples', '--samples', [CompletionResultType]::ParameterName, 'How many sample values to show per column')
            [CompletionResult]::new('--steward-checks', '--steward-checks', [CompletionResultType]::ParameterName, 'With a Table Schema: also run steward''s own checks of each field''s kind (email, phone and postcode by country, dates in other forms, ...) and normalize values, besides the spec''s types and constraints')
            [CompletionResult]::new('--unmask', '--unmask', [CompletionResultType]::ParameterName, 'Show sample values of personal fields unmasked (they are masked by default)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still go there)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still go there)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'steward;import' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output file, or - for stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output file, or - for stdout')
            [CompletionResult]::new('--output-format', '--output-format', [CompletionResultType]::ParameterName, 'Data format: csv, tsv, jsonl, parquet or xlsx [default: from the extension of OUT; csv for stdout]')
            [CompletionResult]::new('--out-table', '--out-table', [CompletionResultType]::ParameterName, 'The table to write when -o names a database; loaded in one transaction that commits with the command''s other outputs')
            [CompletionResult]::new('--if-exists', '--if-exists', [CompletionResultType]::ParameterName, 'When the --out-table exists: fail (the default; the table is created), replace its rows (one transaction, the table itself kept), or append to it')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Summary format: human (on stderr), or json (one document on stdout; on stderr when the data goes to stdout) [default: human]')
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Field delimiter: a character, or one of comma, semicolon, tab, pipe [default: sniffed]')
            [CompletionResult]::new('--delimiter', '--delimiter', [CompletionResultType]::ParameterName, 'Field delimiter: a character, or one of comma, semicolon, tab, pipe [default: sniffed]')
            [CompletionResult]::new('--encoding', '--encoding', [CompletionResultType]::ParameterName, 'Text encoding label, e.g. utf-8, gbk, gb18030, utf-16le, windows-1252 [default: detected]')
            [CompletionResult]::new('--sheet', '--sheet', [CompletionResultType]::ParameterName, 'Workbook sheet to read: its name, its 1-based number, or `all` [default: the first non-empty sheet]')
            [CompletionResult]::new('--input-format', '--input-format', [CompletionResultType]::ParameterName, 'Read every source as this format instead of detecting it')
            [CompletionResult]::new('--table', '--table', [CompletionResultType]::ParameterName, 'The table to read from a database source (postgres://USER@HOST/DB, mysql://USER@HOST/DB, sqlite:FILE or env:VAR)')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'A query whose result is read from a database source, instead of --table')
            [CompletionResult]::new('--schema', '--schema', [CompletionResultType]::ParameterName, 'A schema file: steward TOML (see `steward schema init`) or a Frictionless Table Schema (.json)')
            [CompletionResult]::new('--map', '--map', [CompletionResultType]::ParameterName, 'Map a column onto a field by hand, e.g. --map "Cust No=id"; `COLUMN=` keeps it unmapped. Repeatable')
            [CompletionResult]::new('--rejects', '--rejects', [CompletionResultType]::ParameterName, 'Rejects file for --lenient [default: OUT with .rejects.csv]')
            [CompletionResult]::new('--bom', '--bom', [CompletionResultType]::ParameterName, 'Start every CSV and TSV file written with a UTF-8 byte-order mark, so Excel on Windows opens Chinese and other non-ASCII text correctly (files only; other formats are unchanged)')
            [CompletionResult]::new('--steward-checks', '--steward-checks', [CompletionResultType]::ParameterName, 'With a Table Schema: also run steward''s own checks of each field''s kind (email, phone and postcode by country, dates in other forms, ...) and normalize values, besides the spec''s types and constraints')
            [CompletionResult]::new('--lenient', '--lenient', [CompletionResultType]::ParameterName, 'Send malformed rows to a rejects file instead of failing')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace output files that already exist')
            [CompletionResult]::new('--no-formula-guard', '--no-formula-guard', [CompletionResultType]::ParameterName, 'Do not neutralize spreadsheet formulas in CSV/TSV output (for machine pipelines)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still go there)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still go there)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'steward;validate' {
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Field delimiter: a character, or one of comma, semicolon, tab, pipe [default: sniffed]')
            [CompletionResult]::new('--delimiter', '--delimiter', [CompletionResultType]::ParameterName, 'Field delimiter: a character, or one of comma, semicolon, tab, pipe [default: sniffed]')
            [CompletionResult]::new('--encoding', '--encoding', [CompletionResultType]::ParameterName, 'Text encoding label, e.g. utf-8, gbk, gb18030, utf-16le, windows-1252 [default: detected]')
            [CompletionResult]::new('--sheet', '--sheet', [CompletionResultType]::ParameterName, 'Workbook sheet to read: its name, its 1-based number, or `all` [default: the first non-empty sheet]')
            [CompletionResult]::new('--input-format', '--input-format', [CompletionResultType]::ParameterName, 'Read every source as this format instead of detecting it')
            [CompletionResult]::new('--table', '--table', [CompletionResultType]::ParameterName, 'The table to read from a database source (postgres://USER@HOST/DB, mysql://USER@HOST/DB, sqlite:FILE or env:VAR)')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'A query whose result is read from a database source, instead of --table')
            [CompletionResult]::new('--schema', '--schema', [CompletionResultType]::ParameterName, 'A schema file: steward TOML (see `steward schema init`) or a Frictionless Table Schema (.json)')
            [CompletionResult]::new('--map', '--map', [CompletionResultType]::ParameterName, 'Map a column onto a field by hand, e.g. --map "Cust No=id"; `COLUMN=` keeps it unmapped. Repeatable')
            [CompletionResult]::new('--findings', '--findings', [CompletionResultType]::ParameterName, 'Write every finding (_source, _row, record_id, field, rule, severity, value, message, suggestion) to FILE')
            [CompletionResult]::new('--rejects', '--rejects', [CompletionResultType]::ParameterName, 'Write the rows with errors, each with its reasons, to FILE')
            [CompletionResult]::new('--fail-on', '--fail-on', [CompletionResultType]::ParameterName, 'Which findings make the run fail (exit code 1) [default: error for validate, never for normalize]')
            [CompletionResult]::new('--max-errors', '--max-errors', [CompletionResultType]::ParameterName, 'How many failing findings are tolerated: a count, or a percentage of rows such as 2%')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Summary format: human (on stderr), or json (one document on stdout; on stderr when the data goes to stdout) [default: human]')
            [CompletionResult]::new('--default-region', '--default-region', [CompletionResultType]::ParameterName, 'Region for phone numbers of rows without a country, e.g. CN, US, GB')
            [CompletionResult]::new('--stale-after', '--stale-after', [CompletionResultType]::ParameterName, 'Flag records not updated or active for this long: 365d, 52w, 12m, 1y')
            [CompletionResult]::new('--as-of', '--as-of', [CompletionResultType]::ParameterName, 'The date checks count from (future dates, ages, staleness) [default: today]')
            [CompletionResult]::new('--steward-checks', '--steward-checks', [CompletionResultType]::ParameterName, 'With a Table Schema: also run steward''s own checks of each field''s kind (email, phone and postcode by country, dates in other forms, ...) and normalize values, besides the spec''s types and constraints')
            [CompletionResult]::new('--mask-values', '--mask-values', [CompletionResultType]::ParameterName, 'Mask personal values in the findings and rejects files too')
            [CompletionResult]::new('--day-first', '--day-first', [CompletionResultType]::ParameterName, 'Read dates like 05/03/2024 as day/month/year (otherwise such ambiguous dates are findings)')
            [CompletionResult]::new('--lenient', '--lenient', [CompletionResultType]::ParameterName, 'Send malformed CSV rows to the rejects instead of failing')
            [CompletionResult]::new('--bom', '--bom', [CompletionResultType]::ParameterName, 'Start every CSV and TSV file written with a UTF-8 byte-order mark, so Excel on Windows opens Chinese and other non-ASCII text correctly (files only; other formats are unchanged)')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace findings and rejects files that already exist')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still go there)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still go there)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'steward;normalize' {
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Field delimiter: a character, or one of comma, semicolon, tab, pipe [default: sniffed]')
            [CompletionResult]::new('--delimiter', '--delimiter', [CompletionResultType]::ParameterName, 'Field delimiter: a character, or one of comma, semicolon, tab, pipe [default: sniffed]')
            [CompletionResult]::new('--encoding', '--encoding', [CompletionResultType]::ParameterName, 'Text encoding label, e.g. utf-8, gbk, gb18030, utf-16le, windows-1252 [default: detected]')
            [CompletionResult]::new('--sheet', '--sheet', [CompletionResultType]::ParameterName, 'Workbook sheet to read: its name, its 1-based number, or `all` [default: the first non-empty sheet]')
            [CompletionResult]::new('--input-format', '--input-format', [CompletionResultType]::ParameterName, 'Read every source as this format instead of detecting it')
            [CompletionResult]::new('--table', '--table', [CompletionResultType]::ParameterName, 'The table to read from a database source (postgres://USER@HOST/DB, mysql://USER@HOST/DB, sqlite:FILE or env:VAR)')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'A query whose result is read from a database source, instead of --table')
            [CompletionResult]::new('--schema', '--schema', [CompletionResultType]::ParameterName, 'A schema file: steward TOML (see `steward schema init`) or a Frictionless Table Schema (.json)')
            [CompletionResult]::new('--map', '--map', [CompletionResultType]::ParameterName, 'Map a column onto a field by hand, e.g. --map "Cust No=id"; `COLUMN=` keeps it unmapped. Repeatable')
            [CompletionResult]::new('--findings', '--findings', [CompletionResultType]::ParameterName, 'Write every finding (_source, _row, record_id, field, rule, severity, value, message, suggestion) to FILE')
            [CompletionResult]::new('--rejects', '--rejects', [CompletionResultType]::ParameterName, 'Write the rows with errors, each with its reasons, to FILE')
            [CompletionResult]::new('--fail-on', '--fail-on', [CompletionResultType]::ParameterName, 'Which findings make the run fail (exit code 1) [default: error for validate, never for normalize]')
            [CompletionResult]::new('--max-errors', '--max-errors', [CompletionResultType]::ParameterName, 'How many failing findings are tolerated: a count, or a percentage of rows such as 2%')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Summary format: human (on stderr), or json (one document on stdout; on stderr when the data goes to stdout) [default: human]')
            [CompletionResult]::new('--default-region', '--default-region', [CompletionResultType]::ParameterName, 'Region for phone numbers of rows without a country, e.g. CN, US, GB')
            [CompletionResult]::new('--stale-after', '--stale-after', [CompletionResultType]::ParameterName, 'Flag records not updated or active for this long: 365d, 52w, 12m, 1y')
            [CompletionResult]::new('--as-of', '--as-of', [CompletionResultType]::ParameterName, 'The date checks count from (future dates, ages, staleness) [default: today]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output file, or - for stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output file, or - for stdout')
            [CompletionResult]::new('--output-format', '--output-format', [CompletionResultType]::ParameterName, 'Data format: csv, tsv, jsonl, parquet or xlsx [default: from the extension of OUT; csv for stdout]')
            [CompletionResult]::new('--out-table', '--out-table', [CompletionResultType]::ParameterName, 'The table to write when -o names a database; loaded in one transaction that commits with the command''s other outputs')
            [CompletionResult]::new('--if-exists', '--if-exists', [CompletionResultType]::ParameterName, 'When the --out-table exists: fail (the default; the table is created), replace its rows (one transaction, the table itself kept), or append to it')
            [CompletionResult]::new('--changes', '--changes', [CompletionResultType]::ParameterName, 'Write every change (_source, _row, field, before, after, rule) to FILE')
            [CompletionResult]::new('--steward-checks', '--steward-checks', [CompletionResultType]::ParameterName, 'With a Table Schema: also run steward''s own checks of each field''s kind (email, phone and postcode by country, dates in other forms, ...) and normalize values, besides the spec''s types and constraints')
            [CompletionResult]::new('--mask-values', '--mask-values', [CompletionResultType]::ParameterName, 'Mask personal values in the findings and rejects files too')
            [CompletionResult]::new('--day-first', '--day-first', [CompletionResultType]::ParameterName, 'Read dates like 05/03/2024 as day/month/year (otherwise such ambiguous dates are findings)')
            [CompletionResult]::new('--lenient', '--lenient', [CompletionResultType]::ParameterName, 'Send malformed CSV rows to the rejects instead of failing')
            [CompletionResult]::new('--bom', '--bom', [CompletionResultType]::ParameterName, 'Start every CSV and TSV file written with a UTF-8 byte-order mark, so Excel on Windows opens Chinese and other non-ASCII text correctly (files only; other formats are unchanged)')
            [CompletionResult]::new('--split-names', '--split-names', [CompletionResultType]::ParameterName, 'Fill given_name and family_name from the full name where both are empty (Chinese: family name first, compound surnames such as 欧阳; Latin: particles stay with the family name)')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace output files that already exist')
            [CompletionResult]::new('--no-formula-guard', '--no-formula-guard', [CompletionResultType]::ParameterName, 'Do not neutralize spreadsheet formulas in CSV/TSV output')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still go there)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still go there)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'steward;clean' {
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Folder for every output (created if missing)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Also load the cleaned dataset into a database table (postgres://USER@HOST/DB, sqlite:FILE or env:VAR, with --out-table): committed when the output set lands, and only then')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Also load the cleaned dataset into a database table (postgres://USER@HOST/DB, sqlite:FILE or env:VAR, with --out-table): committed when the output set lands, and only then')
            [CompletionResult]::new('--out-table', '--out-table', [CompletionResultType]::ParameterName, 'The table to write when -o names a database; loaded in one transaction that commits with the command''s other outputs')
            [CompletionResult]::new('--if-exists', '--if-exists', [CompletionResultType]::ParameterName, 'When the --out-table exists: fail (the default; the table is created), replace its rows (one transaction, the table itself kept), or append to it')
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Field delimiter: a character, or one of comma, semicolon, tab, pipe [default: sniffed]')
            [CompletionResult]::new('--delimiter', '--delimiter', [CompletionResultType]::ParameterName, 'Field delimiter: a character, or one of comma, semicolon, tab, pipe [default: sniffed]')
            [CompletionResult]::new('--encoding', '--encoding', [CompletionResultType]::ParameterName, 'Text encoding label, e.g. utf-8, gbk, gb18030, utf-16le, windows-1252 [default: detected]')
            [CompletionResult]::new('--sheet', '--sheet', [CompletionResultType]::ParameterName, 'Workbook sheet to read: its name, its 1-based number, or `all` [default: the first non-empty sheet]')
            [CompletionResult]::new('--input-format', '--input-format', [CompletionResultType]::ParameterName, 'Read every source as this format instead of detecting it')
            [CompletionResult]::new('--table', '--table', [CompletionResultType]::ParameterName, 'The table to read from a database source (postgres://USER@HOST/DB, mysql://USER@HOST/DB, sqlite:FILE or env:VAR)')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'A query whose result is read from a database source, instead of --table')
            [CompletionResult]::new('--schema', '--schema', [CompletionResultType]::ParameterName, 'A schema file: steward TOML (see `steward schema init`) or a Frictionless Table Schema (.json)')
            [CompletionResult]::new('--map', '--map', [CompletionResultType]::ParameterName, 'Map a column onto a field by hand, e.g. --map "Cust No=id"; `COLUMN=` keeps it unmapped. Repeatable')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'Pseudonymize the cleaned dataset with this key (or STEWARD_KEY); without a key it keeps personal data')
            [CompletionResult]::new('--domain', '--domain', [CompletionResultType]::ParameterName, 'Purpose or recipient of the tokens [default: default]')
            [CompletionResult]::new('--normalization', '--normalization', [CompletionResultType]::ParameterName, 'Normalization before tokens: n2, or n1 to reproduce tokens made before n2 (e-mail domains kept as written, phone numbers read as before n2; README: Normalization versions) [default: n2]')
            [CompletionResult]::new('--audit-log', '--audit-log', [CompletionResultType]::ParameterName, 'Append this run to a hash-chained audit log (JSON lines; each entry sealed when a key is given)')
            [CompletionResult]::new('--default-region', '--default-region', [CompletionResultType]::ParameterName, 'Region for phone numbers of rows without a country, e.g. CN')
            [CompletionResult]::new('--stale-after', '--stale-after', [CompletionResultType]::ParameterName, 'Flag records not updated or active for this long: 365d, 52w, 12m, 1y')
            [CompletionResult]::new('--as-of', '--as-of', [CompletionResultType]::ParameterName, 'Dates are checked and customers segmented as of this date [default: today]')
            [CompletionResult]::new('--threshold', '--threshold', [CompletionResultType]::ParameterName, 'Match probability at which two records are merged [default: 0.9, or the model''s]')
            [CompletionResult]::new('--model', '--model', [CompletionResultType]::ParameterName, 'Dedupe with a saved model (model.json of an earlier run, or dedupe --save-model) instead of training one on this run''s rows: the same weights and decisions run after run')
            [CompletionResult]::new('--skip', '--skip', [CompletionResultType]::ParameterName, 'Steps to leave out: dedupe (every valid row becomes its own golden record), segment')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Summary format: human (on stderr), or json (one document on stdout; on stderr when the data goes to stdout) [default: human]')
            [CompletionResult]::new('--findings-format', '--findings-format', [CompletionResultType]::ParameterName, 'Format of the findings and rejects in the set, the files a steward reviews: csv, tsv, jsonl, parquet or xlsx (a workbook with a frozen header and filters, for Excel) [default: csv]')
            [CompletionResult]::new('--output-format', '--output-format', [CompletionResultType]::ParameterName, 'Format of the cleaned dataset: csv, tsv, jsonl, parquet or xlsx (cleaned.csv, cleaned.tsv...) [default: csv]')
            [CompletionResult]::new('--steward-checks', '--steward-checks', [CompletionResultType]::ParameterName, 'With a Table Schema: also run steward''s own checks of each field''s kind (email, phone and postcode by country, dates in other forms, ...) and normalize values, besides the spec''s types and constraints')
            [CompletionResult]::new('--day-first', '--day-first', [CompletionResultType]::ParameterName, 'Read dates like 05/03/2024 as day/month/year')
            [CompletionResult]::new('--bom', '--bom', [CompletionResultType]::ParameterName, 'Start every CSV and TSV file written with a UTF-8 byte-order mark, so Excel on Windows opens Chinese and other non-ASCII text correctly (files only; other formats are unchanged)')
            [CompletionResult]::new('--lenient', '--lenient', [CompletionResultType]::ParameterName, 'Send malformed CSV rows to the rejects instead of failing')
            [CompletionResult]::new('--no-restricted', '--no-restricted', [CompletionResultType]::ParameterName, 'With a key: leave the raw files (golden records, rejects, findings, clusters, merge map, segments) out of the set instead of writing them to DIR/restricted/')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace the output set already in DIR (the whole set: no earlier file survives)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still go there)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still go there)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'steward;run' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Summary format: human (on stderr), or json (one document on stdout; on stderr when the data goes to stdout) [default: human]')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print what the job would do, without doing it')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still go there)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still go there)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'steward;profile' {
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Field delimiter: a character, or one of comma, semicolon, tab, pipe [default: sniffed]')
            [CompletionResult]::new('--delimiter', '--delimiter', [CompletionResultType]::ParameterName, 'Field delimiter: a character, or one of comma, semicolon, tab, pipe [default: sniffed]')
            [CompletionResult]::new('--encoding', '--encoding', [CompletionResultType]::ParameterName, 'Text encoding label, e.g. utf-8, gbk, gb18030, utf-16le, windows-1252 [default: detected]')
            [CompletionResult]::new('--sheet', '--sheet', [CompletionResultType]::ParameterName, 'Workbook sheet to read: its name, its 1-based number, or `all` [default: the first non-empty sheet]')
            [CompletionResult]::new('--input-format', '--input-format', [CompletionResultType]::ParameterName, 'Read every source as this format instead of detecting it')
            [CompletionResult]::new('--table', '--table', [CompletionResultType]::ParameterName, 'The table to read from a database source (postgres://USER@HOST/DB, mysql://USER@HOST/DB, sqlite:FILE or env:VAR)')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'A query whose result is read from a database source, instead of --table')
            [CompletionResult]::new('--schema', '--schema', [CompletionResultType]::ParameterName, 'A schema file: steward TOML (see `steward schema init`) or a Frictionless Table Schema (.json)')
            [CompletionResult]::new('--map', '--map', [CompletionResultType]::ParameterName, 'Map a column onto a field by hand, e.g. --map "Cust No=id"; `COLUMN=` keeps it unmapped. Repeatable')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Report format: human, json or md (Markdown); on stdout')
            [CompletionResult]::new('--html', '--html', [CompletionResultType]::ParameterName, 'Also write a self-contained HTML report (inline CSS and SVG, no network)')
            [CompletionResult]::new('--stale-after', '--stale-after', [CompletionResultType]::ParameterName, 'Records whose updated_at or last purchase is older than this are stale: 365d, 52w, 12m, 1y')
            [CompletionResult]::new('--as-of', '--as-of', [CompletionResultType]::ParameterName, 'Dates are checked as of this date [default: today]')
            [CompletionResult]::new('--default-region', '--default-region', [CompletionResultType]::ParameterName, 'Region for phone numbers of rows without a country, e.g. CN')
            [CompletionResult]::new('--top', '--top', [CompletionResultType]::ParameterName, 'How many top values and patterns to show per column')
            [CompletionResult]::new('--steward-checks', '--steward-checks', [CompletionResultType]::ParameterName, 'With a Table Schema: also run steward''s own checks of each field''s kind (email, phone and postcode by country, dates in other forms, ...) and normalize values, besides the spec''s types and constraints')
            [CompletionResult]::new('--unmask', '--unmask', [CompletionResultType]::ParameterName, 'Show top values of personal fields unmasked')
            [CompletionResult]::new('--lenient', '--lenient', [CompletionResultType]::ParameterName, 'Count malformed CSV rows instead of failing')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace the HTML file if it exists')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still go there)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still go there)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'steward;diff' {
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'The field (or column) that identifies a customer in both lists')
            [CompletionResult]::new('--changes', '--changes', [CompletionResultType]::ParameterName, 'Write every difference (key, status, field, old, new) to FILE')
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Field delimiter: a character, or one of comma, semicolon, tab, pipe [default: sniffed]')
            [CompletionResult]::new('--delimiter', '--delimiter', [CompletionResultType]::ParameterName, 'Field delimiter: a character, or one of comma, semicolon, tab, pipe [default: sniffed]')
            [CompletionResult]::new('--encoding', '--encoding', [CompletionResultType]::ParameterName, 'Text encoding label, e.g. utf-8, gbk, gb18030, utf-16le, windows-1252 [default: detected]')
            [CompletionResult]::new('--sheet', '--sheet', [CompletionResultType]::ParameterName, 'Workbook sheet to read: its name, its 1-based number, or `all` [default: the first non-empty sheet]')
            [CompletionResult]::new('--input-format', '--input-format', [CompletionResultType]::ParameterName, 'Read every source as this format instead of detecting it')
            [CompletionResult]::new('--table', '--table', [CompletionResultType]::ParameterName, 'The table to read from a database source (postgres://USER@HOST/DB, mysql://USER@HOST/DB, sqlite:FILE or env:VAR)')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'A query whose result is read from a database source, instead of --table')
            [CompletionResult]::new('--schema', '--schema', [CompletionResultType]::ParameterName, 'A schema file: steward TOML (see `steward schema init`) or a Frictionless Table Schema (.json)')
            [CompletionResult]::new('--map', '--map', [CompletionResultType]::ParameterName, 'Map a column onto a field by hand, e.g. --map "Cust No=id"; `COLUMN=` keeps it unmapped. Repeatable')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Summary format: human (on stderr), or json (one document on stdout; on stderr when the data goes to stdout) [default: human]')
            [CompletionResult]::new('--steward-checks', '--steward-checks', [CompletionResultType]::ParameterName, 'With a Table Schema: also run steward''s own checks of each field''s kind (email, phone and postcode by country, dates in other forms, ...) and normalize values, besides the spec''s types and constraints')
            [CompletionResult]::new('--mask-values', '--mask-values', [CompletionResultType]::ParameterName, 'Values in the changes file are masked for personal fields')
            [CompletionResult]::new('--bom', '--bom', [CompletionResultType]::ParameterName, 'Start every CSV and TSV file written with a UTF-8 byte-order mark, so Excel on Windows opens Chinese and other non-ASCII text correctly (files only; other formats are unchanged)')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace the changes file if it exists')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still go there)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still go there)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'steward;dedupe' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Golden records (one per cluster); with --link, each row of B with its match in A')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Golden records (one per cluster); with --link, each row of B with its match in A')
            [CompletionResult]::new('--output-format', '--output-format', [CompletionResultType]::ParameterName, 'Data format: csv, tsv, jsonl, parquet or xlsx [default: from the extension of OUT; csv for stdout]')
            [CompletionResult]::new('--out-table', '--out-table', [CompletionResultType]::ParameterName, 'The table to write when -o names a database; loaded in one transaction that commits with the command''s other outputs')
            [CompletionResult]::new('--if-exists', '--if-exists', [CompletionResultType]::ParameterName, 'When the --out-table exists: fail (the default; the table is created), replace its rows (one transaction, the table itself kept), or append to it')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Summary format: human (on stderr), or json (one document on stdout; on stderr when the data goes to stdout) [default: human]')
            [CompletionResult]::new('--clusters', '--clusters', [CompletionResultType]::ParameterName, 'Every input row with cluster_id, cluster_size and match_probability')
            [CompletionResult]::new('--pairs', '--pairs', [CompletionResultType]::ParameterName, 'Scored candidate pairs with a per-field breakdown (level and weight of each comparison)')
            [CompletionResult]::new('--merge-map', '--merge-map', [CompletionResultType]::ParameterName, 'Old record -> golden id, to update other systems')
            [CompletionResult]::new('--review', '--review', [CompletionResultType]::ParameterName, 'Uncertain pairs side by side with a decision column (xlsx: a drop-down of match / not a match / unsure, differing fields filled, the threshold, band and model on its About sheet; or csv), for a steward to decide')
            [CompletionResult]::new('--review-html', '--review-html', [CompletionResultType]::ParameterName, 'The uncertain pairs as one self-contained page: each pair''s fields and weights, decided with a click or a key (m / n / u, j / k to move), filtered by probability and field, saved as a CSV for --labels')
            [CompletionResult]::new('--labels', '--labels', [CompletionResultType]::ParameterName, 'A filled-in review file (the xlsx or csv of --review, or the CSV saved from --review-html): decided pairs are obeyed (match / not a match; unsure is skipped) and refine the weights')
            [CompletionResult]::new('--save-model', '--save-model', [CompletionResultType]::ParameterName, 'Write the trained model (blocking rules, comparison levels, m and u per level, the prior, guards and thresholds; no personal value) as JSON, to score later lists the same way with --model')
            [CompletionResult]::new('--model', '--model', [CompletionResultType]::ParameterName, 'Score with a saved model (from --save-model) instead of training one: its blocking and weights, the same decisions run after run; with --labels, the labels refine it. --threshold still applies')
            [CompletionResult]::new('--against', '--against', [CompletionResultType]::ParameterName, 'Match new records into existing golden records (a previous OUT), keeping their golden ids')
            [CompletionResult]::new('--explain', '--explain', [CompletionResultType]::ParameterName, 'Print why two records (by id, or by row number) do or do not match, field by field')
            [CompletionResult]::new('--threshold', '--threshold', [CompletionResultType]::ParameterName, 'Match probability at which a pair is accepted [default: 0.9, or the schema''s [dedupe] threshold]')
            [CompletionResult]::new('--review-lower', '--review-lower', [CompletionResultType]::ParameterName, 'Lower bound of the review band [default: 0.5]')
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Field delimiter: a character, or one of comma, semicolon, tab, pipe [default: sniffed]')
            [CompletionResult]::new('--delimiter', '--delimiter', [CompletionResultType]::ParameterName, 'Field delimiter: a character, or one of comma, semicolon, tab, pipe [default: sniffed]')
            [CompletionResult]::new('--encoding', '--encoding', [CompletionResultType]::ParameterName, 'Text encoding label, e.g. utf-8, gbk, gb18030, utf-16le, windows-1252 [default: detected]')
            [CompletionResult]::new('--sheet', '--sheet', [CompletionResultType]::ParameterName, 'Workbook sheet to read: its name, its 1-based number, or `all` [default: the first non-empty sheet]')
            [CompletionResult]::new('--input-format', '--input-format', [CompletionResultType]::ParameterName, 'Read every source as this format instead of detecting it')
            [CompletionResult]::new('--table', '--table', [CompletionResultType]::ParameterName, 'The table to read from a database source (postgres://USER@HOST/DB, mysql://USER@HOST/DB, sqlite:FILE or env:VAR)')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'A query whose result is read from a database source, instead of --table')
            [CompletionResult]::new('--schema', '--schema', [CompletionResultType]::ParameterName, 'A schema file: steward TOML (see `steward schema init`) or a Frictionless Table Schema (.json)')
            [CompletionResult]::new('--map', '--map', [CompletionResultType]::ParameterName, 'Map a column onto a field by hand, e.g. --map "Cust No=id"; `COLUMN=` keeps it unmapped. Repeatable')
            [CompletionResult]::new('--bom', '--bom', [CompletionResultType]::ParameterName, 'Start every CSV and TSV file written with a UTF-8 byte-order mark, so Excel on Windows opens Chinese and other non-ASCII text correctly (files only; other formats are unchanged)')
            [CompletionResult]::new('--link', '--link', [CompletionResultType]::ParameterName, 'Link two lists: for each row of the second, the matching customer in the first')
            [CompletionResult]::new('--steward-checks', '--steward-checks', [CompletionResultType]::ParameterName, 'With a Table Schema: also run steward''s own checks of each field''s kind (email, phone and postcode by country, dates in other forms, ...) and normalize values, besides the spec''s types and constraints')
            [CompletionResult]::new('--lenient', '--lenient', [CompletionResultType]::ParameterName, 'Send malformed CSV rows to the report instead of failing')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace output files that already exist')
            [CompletionResult]::new('--no-formula-guard', '--no-formula-guard', [CompletionResultType]::ParameterName, 'Do not neutralize spreadsheet formulas in CSV/TSV output')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still go there)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still go there)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'steward;segment' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output file, or - for stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output file, or - for stdout')
            [CompletionResult]::new('--output-format', '--output-format', [CompletionResultType]::ParameterName, 'Data format: csv, tsv, jsonl, parquet or xlsx [default: from the extension of OUT; csv for stdout]')
            [CompletionResult]::new('--out-table', '--out-table', [CompletionResultType]::ParameterName, 'The table to write when -o names a database; loaded in one transaction that commits with the command''s other outputs')
            [CompletionResult]::new('--if-exists', '--if-exists', [CompletionResultType]::ParameterName, 'When the --out-table exists: fail (the default; the table is created), replace its rows (one transaction, the table itself kept), or append to it')
            [CompletionResult]::new('--as-of', '--as-of', [CompletionResultType]::ParameterName, 'The date recency is counted from [default: today]')
            [CompletionResult]::new('--new-days', '--new-days', [CompletionResultType]::ParameterName, 'A customer whose only order is at most this many days old is new')
            [CompletionResult]::new('--loyal-orders', '--loyal-orders', [CompletionResultType]::ParameterName, 'Orders that make a recent customer loyal')
            [CompletionResult]::new('--at-risk-days', '--at-risk-days', [CompletionResultType]::ParameterName, 'No purchase for this many days: at risk')
            [CompletionResult]::new('--churn-days', '--churn-days', [CompletionResultType]::ParameterName, 'No purchase for this many days: churned')
            [CompletionResult]::new('--tiers', '--tiers', [CompletionResultType]::ParameterName, 'Cumulative share of spend that makes tier A, and A+B (percent)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Summary format: human (on stderr), or json (one document on stdout; on stderr when the data goes to stdout) [default: human]')
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Field delimiter: a character, or one of comma, semicolon, tab, pipe [default: sniffed]')
            [CompletionResult]::new('--delimiter', '--delimiter', [CompletionResultType]::ParameterName, 'Field delimiter: a character, or one of comma, semicolon, tab, pipe [default: sniffed]')
            [CompletionResult]::new('--encoding', '--encoding', [CompletionResultType]::ParameterName, 'Text encoding label, e.g. utf-8, gbk, gb18030, utf-16le, windows-1252 [default: detected]')
            [CompletionResult]::new('--sheet', '--sheet', [CompletionResultType]::ParameterName, 'Workbook sheet to read: its name, its 1-based number, or `all` [default: the first non-empty sheet]')
            [CompletionResult]::new('--input-format', '--input-format', [CompletionResultType]::ParameterName, 'Read every source as this format instead of detecting it')
            [CompletionResult]::new('--table', '--table', [CompletionResultType]::ParameterName, 'The table to read from a database source (postgres://USER@HOST/DB, mysql://USER@HOST/DB, sqlite:FILE or env:VAR)')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'A query whose result is read from a database source, instead of --table')
            [CompletionResult]::new('--schema', '--schema', [CompletionResultType]::ParameterName, 'A schema file: steward TOML (see `steward schema init`) or a Frictionless Table Schema (.json)')
            [CompletionResult]::new('--map', '--map', [CompletionResultType]::ParameterName, 'Map a column onto a field by hand, e.g. --map "Cust No=id"; `COLUMN=` keeps it unmapped. Repeatable')
            [CompletionResult]::new('--bom', '--bom', [CompletionResultType]::ParameterName, 'Start every CSV and TSV file written with a UTF-8 byte-order mark, so Excel on Windows opens Chinese and other non-ASCII text correctly (files only; other formats are unchanged)')
            [CompletionResult]::new('--steward-checks', '--steward-checks', [CompletionResultType]::ParameterName, 'With a Table Schema: also run steward''s own checks of each field''s kind (email, phone and postcode by country, dates in other forms, ...) and normalize values, besides the spec''s types and constraints')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace output files that already exist')
            [CompletionResult]::new('--no-formula-guard', '--no-formula-guard', [CompletionResultType]::ParameterName, 'Do not neutralize spreadsheet formulas in CSV/TSV output')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still go there)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still go there)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'steward;pseudonymize' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output file, or - for stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output file, or - for stdout')
            [CompletionResult]::new('--output-format', '--output-format', [CompletionResultType]::ParameterName, 'Data format: csv, tsv, jsonl, parquet or xlsx [default: from the extension of OUT; csv for stdout]')
            [CompletionResult]::new('--out-table', '--out-table', [CompletionResultType]::ParameterName, 'The table to write when -o names a database; loaded in one transaction that commits with the command''s other outputs')
            [CompletionResult]::new('--if-exists', '--if-exists', [CompletionResultType]::ParameterName, 'When the --out-table exists: fail (the default; the table is created), replace its rows (one transaction, the table itself kept), or append to it')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Summary format: human (on stderr), or json (one document on stdout; on stderr when the data goes to stdout) [default: human]')
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Field delimiter: a character, or one of comma, semicolon, tab, pipe [default: sniffed]')
            [CompletionResult]::new('--delimiter', '--delimiter', [CompletionResultType]::ParameterName, 'Field delimiter: a character, or one of comma, semicolon, tab, pipe [default: sniffed]')
            [CompletionResult]::new('--encoding', '--encoding', [CompletionResultType]::ParameterName, 'Text encoding label, e.g. utf-8, gbk, gb18030, utf-16le, windows-1252 [default: detected]')
            [CompletionResult]::new('--sheet', '--sheet', [CompletionResultType]::ParameterName, 'Workbook sheet to read: its name, its 1-based number, or `all` [default: the first non-empty sheet]')
            [CompletionResult]::new('--input-format', '--input-format', [CompletionResultType]::ParameterName, 'Read every source as this format instead of detecting it')
            [CompletionResult]::new('--table', '--table', [CompletionResultType]::ParameterName, 'The table to read from a database source (postgres://USER@HOST/DB, mysql://USER@HOST/DB, sqlite:FILE or env:VAR)')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'A query whose result is read from a database source, instead of --table')
            [CompletionResult]::new('--schema', '--schema', [CompletionResultType]::ParameterName, 'A schema file: steward TOML (see `steward schema init`) or a Frictionless Table Schema (.json)')
            [CompletionResult]::new('--map', '--map', [CompletionResultType]::ParameterName, 'Map a column onto a field by hand, e.g. --map "Cust No=id"; `COLUMN=` keeps it unmapped. Repeatable')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'Key file (from `steward key new`; mode 0600) [default: the STEWARD_KEY environment variable, hex]')
            [CompletionResult]::new('--domain', '--domain', [CompletionResultType]::ParameterName, 'Purpose or recipient the tokens are for: another domain gives unrelated tokens [default: default]')
            [CompletionResult]::new('--policy', '--policy', [CompletionResultType]::ParameterName, 'Policy file (TOML): `domain = "..."` and a [columns] table of COLUMN = "ACTION"')
            [CompletionResult]::new('--normalization', '--normalization', [CompletionResultType]::ParameterName, 'Normalization before tokens: n2, or n1 to reproduce tokens made before n2 (e-mail domains kept as written, phone numbers read as before n2; README: Normalization versions) [default: the policy file''s, else n2]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'Tokenize these columns (schema field names or source headers)')
            [CompletionResult]::new('--encrypt', '--encrypt', [CompletionResultType]::ParameterName, 'Encrypt these columns (AES-SIV; `steward reveal` decrypts them)')
            [CompletionResult]::new('--mask', '--mask', [CompletionResultType]::ParameterName, 'Mask these columns for people reading them')
            [CompletionResult]::new('--generalize', '--generalize', [CompletionResultType]::ParameterName, 'Generalize columns: birth_date=year, signup_date=month, birth_date=age10, postcode=3, total_spend=band:1000')
            [CompletionResult]::new('--drop', '--drop', [CompletionResultType]::ParameterName, 'Drop these columns')
            [CompletionResult]::new('--keep', '--keep', [CompletionResultType]::ParameterName, 'Keep these columns as they are (e-mails, phone numbers and resident IDs written inside them are still replaced by their tokens; see --no-scan)')
            [CompletionResult]::new('--no-scan', '--no-scan', [CompletionResultType]::ParameterName, 'Kept columns NOT to scan for embedded e-mails, phone numbers and resident IDs (they are written exactly as they came)')
            [CompletionResult]::new('--k', '--k', [CompletionResultType]::ParameterName, 'Generalize further or suppress records until every group of quasi-identifiers has at least K records')
            [CompletionResult]::new('--quasi', '--quasi', [CompletionResultType]::ParameterName, 'Quasi-identifiers for --k [default: the schema''s quasi-identifier fields in the output]')
            [CompletionResult]::new('--max-suppress', '--max-suppress', [CompletionResultType]::ParameterName, 'With --k: the share of records that may be suppressed before generalizing further')
            [CompletionResult]::new('--mapping', '--mapping', [CompletionResultType]::ParameterName, 'Write token -> original value to FILE (mode 0600), for whoever may re-identify; never by default')
            [CompletionResult]::new('--consent-field', '--consent-field', [CompletionResultType]::ParameterName, 'The consent field (e.g. marketing_consent), with --consent-only')
            [CompletionResult]::new('--metadata', '--metadata', [CompletionResultType]::ParameterName, 'Metadata file [default: OUT.meta.json; required when OUT is stdout]')
            [CompletionResult]::new('--default-region', '--default-region', [CompletionResultType]::ParameterName, 'Region for phone numbers of rows without a country, e.g. CN')
            [CompletionResult]::new('--as-of', '--as-of', [CompletionResultType]::ParameterName, 'Age bands are counted at this date [default: today]')
            [CompletionResult]::new('--bom', '--bom', [CompletionResultType]::ParameterName, 'Start every CSV and TSV file written with a UTF-8 byte-order mark, so Excel on Windows opens Chinese and other non-ASCII text correctly (files only; other formats are unchanged)')
            [CompletionResult]::new('--steward-checks', '--steward-checks', [CompletionResultType]::ParameterName, 'With a Table Schema: also run steward''s own checks of each field''s kind (email, phone and postcode by country, dates in other forms, ...) and normalize values, besides the spec''s types and constraints')
            [CompletionResult]::new('--consent-only', '--consent-only', [CompletionResultType]::ParameterName, 'Keep only customers whose consent field says yes')
            [CompletionResult]::new('--lenient', '--lenient', [CompletionResultType]::ParameterName, 'Send malformed CSV rows to the rejects instead of failing')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace output files that already exist')
            [CompletionResult]::new('--no-formula-guard', '--no-formula-guard', [CompletionResultType]::ParameterName, 'Do not neutralize spreadsheet formulas in CSV/TSV output')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still go there)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still go there)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'steward;reveal' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output file, or - for stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output file, or - for stdout')
            [CompletionResult]::new('--output-format', '--output-format', [CompletionResultType]::ParameterName, 'Data format: csv, tsv, jsonl, parquet or xlsx [default: from the extension of OUT; csv for stdout]')
            [CompletionResult]::new('--out-table', '--out-table', [CompletionResultType]::ParameterName, 'The table to write when -o names a database; loaded in one transaction that commits with the command''s other outputs')
            [CompletionResult]::new('--if-exists', '--if-exists', [CompletionResultType]::ParameterName, 'When the --out-table exists: fail (the default; the table is created), replace its rows (one transaction, the table itself kept), or append to it')
            [CompletionResult]::new('--columns', '--columns', [CompletionResultType]::ParameterName, 'Columns to decrypt [default: every column holding encrypted values]')
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Field delimiter: a character, or one of comma, semicolon, tab, pipe [default: sniffed]')
            [CompletionResult]::new('--delimiter', '--delimiter', [CompletionResultType]::ParameterName, 'Field delimiter: a character, or one of comma, semicolon, tab, pipe [default: sniffed]')
            [CompletionResult]::new('--encoding', '--encoding', [CompletionResultType]::ParameterName, 'Text encoding label, e.g. utf-8, gbk, gb18030, utf-16le, windows-1252 [default: detected]')
            [CompletionResult]::new('--sheet', '--sheet', [CompletionResultType]::ParameterName, 'Workbook sheet to read: its name, its 1-based number, or `all` [default: the first non-empty sheet]')
            [CompletionResult]::new('--input-format', '--input-format', [CompletionResultType]::ParameterName, 'Read every source as this format instead of detecting it')
            [CompletionResult]::new('--table', '--table', [CompletionResultType]::ParameterName, 'The table to read from a database source (postgres://USER@HOST/DB, mysql://USER@HOST/DB, sqlite:FILE or env:VAR)')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'A query whose result is read from a database source, instead of --table')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'Key file (from `steward key new`; mode 0600) [default: the STEWARD_KEY environment variable, hex]')
            [CompletionResult]::new('--domain', '--domain', [CompletionResultType]::ParameterName, 'Purpose or recipient the tokens are for: another domain gives unrelated tokens [default: default]')
            [CompletionResult]::new('--bom', '--bom', [CompletionResultType]::ParameterName, 'Start every CSV and TSV file written with a UTF-8 byte-order mark, so Excel on Windows opens Chinese and other non-ASCII text correctly (files only; other formats are unchanged)')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace output files that already exist')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still go there)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still go there)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'steward;risk' {
            [CompletionResult]::new('--quasi', '--quasi', [CompletionResultType]::ParameterName, 'Quasi-identifiers (schema field names or source headers) [default: the schema''s quasi-identifiers]')
            [CompletionResult]::new('-k', '-k', [CompletionResultType]::ParameterName, 'The smallest acceptable group size')
            [CompletionResult]::new('--k', '--k', [CompletionResultType]::ParameterName, 'The smallest acceptable group size')
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Field delimiter: a character, or one of comma, semicolon, tab, pipe [default: sniffed]')
            [CompletionResult]::new('--delimiter', '--delimiter', [CompletionResultType]::ParameterName, 'Field delimiter: a character, or one of comma, semicolon, tab, pipe [default: sniffed]')
            [CompletionResult]::new('--encoding', '--encoding', [CompletionResultType]::ParameterName, 'Text encoding label, e.g. utf-8, gbk, gb18030, utf-16le, windows-1252 [default: detected]')
            [CompletionResult]::new('--sheet', '--sheet', [CompletionResultType]::ParameterName, 'Workbook sheet to read: its name, its 1-based number, or `all` [default: the first non-empty sheet]')
            [CompletionResult]::new('--input-format', '--input-format', [CompletionResultType]::ParameterName, 'Read every source as this format instead of detecting it')
            [CompletionResult]::new('--table', '--table', [CompletionResultType]::ParameterName, 'The table to read from a database source (postgres://USER@HOST/DB, mysql://USER@HOST/DB, sqlite:FILE or env:VAR)')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'A query whose result is read from a database source, instead of --table')
            [CompletionResult]::new('--schema', '--schema', [CompletionResultType]::ParameterName, 'A schema file: steward TOML (see `steward schema init`) or a Frictionless Table Schema (.json)')
            [CompletionResult]::new('--map', '--map', [CompletionResultType]::ParameterName, 'Map a column onto a field by hand, e.g. --map "Cust No=id"; `COLUMN=` keeps it unmapped. Repeatable')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Summary format: human (on stderr), or json (one document on stdout; on stderr when the data goes to stdout) [default: human]')
            [CompletionResult]::new('--steward-checks', '--steward-checks', [CompletionResultType]::ParameterName, 'With a Table Schema: also run steward''s own checks of each field''s kind (email, phone and postcode by country, dates in other forms, ...) and normalize values, besides the spec''s types and constraints')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still go there)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still go there)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'steward;erase' {
            [CompletionResult]::new('--requests', '--requests', [CompletionResultType]::ParameterName, 'File of identifiers to erase: one per line, or columns under a header naming their kind')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output file for one source (- for stdout), or an existing folder for several')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output file for one source (- for stdout), or an existing folder for several')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Summary format: human (on stderr), or json (one document on stdout; on stderr when the data goes to stdout) [default: human]')
            [CompletionResult]::new('--receipt', '--receipt', [CompletionResultType]::ParameterName, 'Erasure receipt (JSON)')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'Key file (from `steward key new`; mode 0600) [default: the STEWARD_KEY environment variable, hex]')
            [CompletionResult]::new('--domain', '--domain', [CompletionResultType]::ParameterName, 'Purpose or recipient the tokens are for: another domain gives unrelated tokens [default: default]')
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Field delimiter: a character, or one of comma, semicolon, tab, pipe [default: sniffed]')
            [CompletionResult]::new('--delimiter', '--delimiter', [CompletionResultType]::ParameterName, 'Field delimiter: a character, or one of comma, semicolon, tab, pipe [default: sniffed]')
            [CompletionResult]::new('--encoding', '--encoding', [CompletionResultType]::ParameterName, 'Text encoding label, e.g. utf-8, gbk, gb18030, utf-16le, windows-1252 [default: detected]')
            [CompletionResult]::new('--sheet', '--sheet', [CompletionResultType]::ParameterName, 'Workbook sheet to read: its name, its 1-based number, or `all` [default: the first non-empty sheet]')
            [CompletionResult]::new('--input-format', '--input-format', [CompletionResultType]::ParameterName, 'Read every source as this format instead of detecting it')
            [CompletionResult]::new('--table', '--table', [CompletionResultType]::ParameterName, 'The table to read from a database source (postgres://USER@HOST/DB, mysql://USER@HOST/DB, sqlite:FILE or env:VAR)')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'A query whose result is read from a database source, instead of --table')
            [CompletionResult]::new('--schema', '--schema', [CompletionResultType]::ParameterName, 'A schema file: steward TOML (see `steward schema init`) or a Frictionless Table Schema (.json)')
            [CompletionResult]::new('--map', '--map', [CompletionResultType]::ParameterName, 'Map a column onto a field by hand, e.g. --map "Cust No=id"; `COLUMN=` keeps it unmapped. Repeatable')
            [CompletionResult]::new('--default-region', '--default-region', [CompletionResultType]::ParameterName, 'Region for phone numbers written without a country code in rows without a country, e.g. CN')
            [CompletionResult]::new('--normalization', '--normalization', [CompletionResultType]::ParameterName, 'Normalization the receipt''s request tokens are made with: n2, or n1 to join with data tokenized before n2 (requests are matched with the current one either way) [default: n2]')
            [CompletionResult]::new('--in-place', '--in-place', [CompletionResultType]::ParameterName, 'Rewrite each source in place, atomically, in its own format (no backup copy is kept); a database table has its rows deleted in one transaction')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Count what would be erased and redacted, and write nothing (no output, no receipt)')
            [CompletionResult]::new('--steward-checks', '--steward-checks', [CompletionResultType]::ParameterName, 'With a Table Schema: also run steward''s own checks of each field''s kind (email, phone and postcode by country, dates in other forms, ...) and normalize values, besides the spec''s types and constraints')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace output files that already exist')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still go there)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still go there)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'steward;key' {
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still go there)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still go there)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('new', 'new', [CompletionResultType]::ParameterValue, 'Create a 256-bit random key file readable by its owner only (0600)')
            [CompletionResult]::new('id', 'id', [CompletionResultType]::ParameterValue, 'Print a key''s id: a fingerprint that reveals nothing of the key')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'steward;key;new' {
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace the file if it exists')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still go there)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still go there)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'steward;key;id' {
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still go there)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still go there)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'steward;key;help' {
            [CompletionResult]::new('new', 'new', [CompletionResultType]::ParameterValue, 'Create a 256-bit random key file readable by its owner only (0600)')
            [CompletionResult]::new('id', 'id', [CompletionResultType]::ParameterValue, 'Print a key''s id: a fingerprint that reveals nothing of the key')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'steward;key;help;new' {
            break
        }
        'steward;key;help;id' {
            break
        }
        'steward;key;help;help' {
            break
        }
        'steward;audit' {
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still go there)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still go there)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check an audit log: every entry chained to the one before, each entry''s own hash and (with keys) its seal, and every recorded output still as recorded; prints the entry count and the head hash to anchor elsewhere')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'steward;audit;verify' {
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'Check seals with this key (repeatable, for a log that spans a key rotation; STEWARD_KEY is used too)')
            [CompletionResult]::new('--expect-head', '--expect-head', [CompletionResultType]::ParameterName, 'The head hash anchored elsewhere: detects a removed or edited last entry')
            [CompletionResult]::new('--expect-entries', '--expect-entries', [CompletionResultType]::ParameterName, 'The number of entries anchored elsewhere: detects removed entries at the end')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Summary format: human (on stderr), or json (one document on stdout; on stderr when the data goes to stdout) [default: human]')
            [CompletionResult]::new('--chain-only', '--chain-only', [CompletionResultType]::ParameterName, 'Check only the chain, hashes and seals, not the output files')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still go there)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still go there)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'steward;audit;help' {
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check an audit log: every entry chained to the one before, each entry''s own hash and (with keys) its seal, and every recorded output still as recorded; prints the entry count and the head hash to anchor elsewhere')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'steward;audit;help;verify' {
            break
        }
        'steward;audit;help;help' {
            break
        }
        'steward;model' {
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still go there)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still go there)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('features', 'features', [CompletionResultType]::ParameterValue, 'Every per-record value a saved model''s comparisons and blocking rules need, one row per record, as Parquet for a warehouse engine to score with `steward model sql`')
            [CompletionResult]::new('sql', 'sql', [CompletionResultType]::ParameterValue, 'SQL that scores a saved model''s candidate pairs over its features table in DuckDB, as steward does natively: the same pairs, levels and probabilities')
            [CompletionResult]::new('score', 'score', [CompletionResultType]::ParameterValue, 'Score a list''s candidate pairs natively with a saved model, in the columns `steward model sql` returns (to compare an engine''s result with steward''s)')
            [CompletionResult]::new('cluster', 'cluster', [CompletionResultType]::ParameterValue, 'Cluster a list by candidate pairs a warehouse engine scored with a saved model''s SQL: connected components of the pairs at or above the threshold, with the chaining guard, as `steward dedupe --model` clusters')
            [CompletionResult]::new('train', 'train', [CompletionResultType]::ParameterValue, 'Train a model from the counts its SQL returned in a warehouse engine (`model sql --counts`): u from the random pairs'' levels, m and the prior by EM over the candidate pairs'' patterns, as the native engine does')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'steward;model;features' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'The features table (.parquet)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'The features table (.parquet)')
            [CompletionResult]::new('--model', '--model', [CompletionResultType]::ParameterName, 'The saved model (dedupe --save-model, or a cleanup''s model.json)')
            [CompletionResult]::new('--row-offset', '--row-offset', [CompletionResultType]::ParameterName, 'The first record''s row number: a shard of a list featurized on its own starts where the shards before it end, so the shards'' tables together are the whole list''s')
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Field delimiter: a character, or one of comma, semicolon, tab, pipe [default: sniffed]')
            [CompletionResult]::new('--delimiter', '--delimiter', [CompletionResultType]::ParameterName, 'Field delimiter: a character, or one of comma, semicolon, tab, pipe [default: sniffed]')
            [CompletionResult]::new('--encoding', '--encoding', [CompletionResultType]::ParameterName, 'Text encoding label, e.g. utf-8, gbk, gb18030, utf-16le, windows-1252 [default: detected]')
            [CompletionResult]::new('--sheet', '--sheet', [CompletionResultType]::ParameterName, 'Workbook sheet to read: its name, its 1-based number, or `all` [default: the first non-empty sheet]')
            [CompletionResult]::new('--input-format', '--input-format', [CompletionResultType]::ParameterName, 'Read every source as this format instead of detecting it')
            [CompletionResult]::new('--table', '--table', [CompletionResultType]::ParameterName, 'The table to read from a database source (postgres://USER@HOST/DB, mysql://USER@HOST/DB, sqlite:FILE or env:VAR)')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'A query whose result is read from a database source, instead of --table')
            [CompletionResult]::new('--schema', '--schema', [CompletionResultType]::ParameterName, 'A schema file: steward TOML (see `steward schema init`) or a Frictionless Table Schema (.json)')
            [CompletionResult]::new('--map', '--map', [CompletionResultType]::ParameterName, 'Map a column onto a field by hand, e.g. --map "Cust No=id"; `COLUMN=` keeps it unmapped. Repeatable')
            [CompletionResult]::new('--steward-checks', '--steward-checks', [CompletionResultType]::ParameterName, 'With a Table Schema: also run steward''s own checks of each field''s kind (email, phone and postcode by country, dates in other forms, ...) and normalize values, besides the spec''s types and constraints')
            [CompletionResult]::new('--lenient', '--lenient', [CompletionResultType]::ParameterName, 'Send malformed CSV rows to the report instead of failing')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace an output file that already exists')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still go there)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still go there)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'steward;model;sql' {
            [CompletionResult]::new('--model', '--model', [CompletionResultType]::ParameterName, 'The saved model')
            [CompletionResult]::new('--dialect', '--dialect', [CompletionResultType]::ParameterName, 'The SQL dialect')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'The SQL file [default: stdout]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'The SQL file [default: stdout]')
            [CompletionResult]::new('--random-pairs', '--random-pairs', [CompletionResultType]::ParameterName, 'With --counts: random pairs whose levels estimate u')
            [CompletionResult]::new('--counts', '--counts', [CompletionResultType]::ParameterName, 'SQL returning the counts `steward model train` fits a model from (level patterns of the candidate pairs and of random pairs), instead of the scores')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace an output file that already exists')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still go there)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still go there)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'steward;model;score' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'The scored pairs (csv, tsv, jsonl, parquet, xlsx by extension; - for stdout)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'The scored pairs (csv, tsv, jsonl, parquet, xlsx by extension; - for stdout)')
            [CompletionResult]::new('--model', '--model', [CompletionResultType]::ParameterName, 'The saved model')
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Field delimiter: a character, or one of comma, semicolon, tab, pipe [default: sniffed]')
            [CompletionResult]::new('--delimiter', '--delimiter', [CompletionResultType]::ParameterName, 'Field delimiter: a character, or one of comma, semicolon, tab, pipe [default: sniffed]')
            [CompletionResult]::new('--encoding', '--encoding', [CompletionResultType]::ParameterName, 'Text encoding label, e.g. utf-8, gbk, gb18030, utf-16le, windows-1252 [default: detected]')
            [CompletionResult]::new('--sheet', '--sheet', [CompletionResultType]::ParameterName, 'Workbook sheet to read: its name, its 1-based number, or `all` [default: the first non-empty sheet]')
            [CompletionResult]::new('--input-format', '--input-format', [CompletionResultType]::ParameterName, 'Read every source as this format instead of detecting it')
            [CompletionResult]::new('--table', '--table', [CompletionResultType]::ParameterName, 'The table to read from a database source (postgres://USER@HOST/DB, mysql://USER@HOST/DB, sqlite:FILE or env:VAR)')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'A query whose result is read from a database source, instead of --table')
            [CompletionResult]::new('--schema', '--schema', [CompletionResultType]::ParameterName, 'A schema file: steward TOML (see `steward schema init`) or a Frictionless Table Schema (.json)')
            [CompletionResult]::new('--map', '--map', [CompletionResultType]::ParameterName, 'Map a column onto a field by hand, e.g. --map "Cust No=id"; `COLUMN=` keeps it unmapped. Repeatable')
            [CompletionResult]::new('--steward-checks', '--steward-checks', [CompletionResultType]::ParameterName, 'With a Table Schema: also run steward''s own checks of each field''s kind (email, phone and postcode by country, dates in other forms, ...) and normalize values, besides the spec''s types and constraints')
            [CompletionResult]::new('--lenient', '--lenient', [CompletionResultType]::ParameterName, 'Send malformed CSV rows to the report instead of failing')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace an output file that already exists')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still go there)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still go there)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'steward;model;cluster' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Every input row with golden_id, cluster_id, cluster_size and match_probability')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Every input row with golden_id, cluster_id, cluster_size and match_probability')
            [CompletionResult]::new('--merge-map', '--merge-map', [CompletionResultType]::ParameterName, 'Old record -> golden id')
            [CompletionResult]::new('--model', '--model', [CompletionResultType]::ParameterName, 'The saved model that scored the pairs')
            [CompletionResult]::new('--pairs', '--pairs', [CompletionResultType]::ParameterName, 'The scored pairs (.csv or .parquet): row_a, row_b, match_probability')
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Field delimiter: a character, or one of comma, semicolon, tab, pipe [default: sniffed]')
            [CompletionResult]::new('--delimiter', '--delimiter', [CompletionResultType]::ParameterName, 'Field delimiter: a character, or one of comma, semicolon, tab, pipe [default: sniffed]')
            [CompletionResult]::new('--encoding', '--encoding', [CompletionResultType]::ParameterName, 'Text encoding label, e.g. utf-8, gbk, gb18030, utf-16le, windows-1252 [default: detected]')
            [CompletionResult]::new('--sheet', '--sheet', [CompletionResultType]::ParameterName, 'Workbook sheet to read: its name, its 1-based number, or `all` [default: the first non-empty sheet]')
            [CompletionResult]::new('--input-format', '--input-format', [CompletionResultType]::ParameterName, 'Read every source as this format instead of detecting it')
            [CompletionResult]::new('--table', '--table', [CompletionResultType]::ParameterName, 'The table to read from a database source (postgres://USER@HOST/DB, mysql://USER@HOST/DB, sqlite:FILE or env:VAR)')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'A query whose result is read from a database source, instead of --table')
            [CompletionResult]::new('--schema', '--schema', [CompletionResultType]::ParameterName, 'A schema file: steward TOML (see `steward schema init`) or a Frictionless Table Schema (.json)')
            [CompletionResult]::new('--map', '--map', [CompletionResultType]::ParameterName, 'Map a column onto a field by hand, e.g. --map "Cust No=id"; `COLUMN=` keeps it unmapped. Repeatable')
            [CompletionResult]::new('--steward-checks', '--steward-checks', [CompletionResultType]::ParameterName, 'With a Table Schema: also run steward''s own checks of each field''s kind (email, phone and postcode by country, dates in other forms, ...) and normalize values, besides the spec''s types and constraints')
            [CompletionResult]::new('--lenient', '--lenient', [CompletionResultType]::ParameterName, 'Send malformed CSV rows to the report instead of failing')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace output files that already exist')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still go there)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still go there)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'steward;model;train' {
            [CompletionResult]::new('--model', '--model', [CompletionResultType]::ParameterName, 'The model whose configuration is trained (dedupe --save-model, or a cleanup''s model.json)')
            [CompletionResult]::new('--counts', '--counts', [CompletionResultType]::ParameterName, 'The counts (.csv or .parquet)')
            [CompletionResult]::new('--save-model', '--save-model', [CompletionResultType]::ParameterName, 'Where the trained model is written')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace an output file that already exists')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still go there)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still go there)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'steward;model;help' {
            [CompletionResult]::new('features', 'features', [CompletionResultType]::ParameterValue, 'Every per-record value a saved model''s comparisons and blocking rules need, one row per record, as Parquet for a warehouse engine to score with `steward model sql`')
            [CompletionResult]::new('sql', 'sql', [CompletionResultType]::ParameterValue, 'SQL that scores a saved model''s candidate pairs over its features table in DuckDB, as steward does natively: the same pairs, levels and probabilities')
            [CompletionResult]::new('score', 'score', [CompletionResultType]::ParameterValue, 'Score a list''s candidate pairs natively with a saved model, in the columns `steward model sql` returns (to compare an engine''s result with steward''s)')
            [CompletionResult]::new('cluster', 'cluster', [CompletionResultType]::ParameterValue, 'Cluster a list by candidate pairs a warehouse engine scored with a saved model''s SQL: connected components of the pairs at or above the threshold, with the chaining guard, as `steward dedupe --model` clusters')
            [CompletionResult]::new('train', 'train', [CompletionResultType]::ParameterValue, 'Train a model from the counts its SQL returned in a warehouse engine (`model sql --counts`): u from the random pairs'' levels, m and the prior by EM over the candidate pairs'' patterns, as the native engine does')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'steward;model;help;features' {
            break
        }
        'steward;model;help;sql' {
            break
        }
        'steward;model;help;score' {
            break
        }
        'steward;model;help;cluster' {
            break
        }
        'steward;model;help;train' {
            break
        }
        'steward;model;help;help' {
            break
        }
        'steward;schema' {
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still go there)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still go there)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Print the schema: fields, kinds, privacy classes, rules and header aliases')
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Write an editable copy of the built-in schema')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'steward;schema;show' {
            [CompletionResult]::new('--schema', '--schema', [CompletionResultType]::ParameterName, 'Show this schema instead of the built-in one')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'format')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still go there)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still go there)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'steward;schema;init' {
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace the file if it exists')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still go there)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still go there)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'steward;schema;help' {
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Print the schema: fields, kinds, privacy classes, rules and header aliases')
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Write an editable copy of the built-in schema')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'steward;schema;help;show' {
            break
        }
        'steward;schema;help;init' {
            break
        }
        'steward;schema;help;help' {
            break
        }
        'steward;completions' {
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still go there)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still go there)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'steward;man' {
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still go there)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no messages on stderr (errors still go there)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'steward;help' {
            [CompletionResult]::new('inspect', 'inspect', [CompletionResultType]::ParameterValue, 'Show what steward detects in a file: format, encoding, delimiter, header row, counts and column mapping')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Read customer lists and write one table: schema fields, then unmapped columns, then _source and _row')
            [CompletionResult]::new('validate', 'validate', [CompletionResultType]::ParameterValue, 'Check every row against the schema and report, per field, what is valid, invalid and missing')
            [CompletionResult]::new('normalize', 'normalize', [CompletionResultType]::ParameterValue, 'Write the table with every value normalized (E.164 phones, ISO dates, clean text); nothing is dropped')
            [CompletionResult]::new('clean', 'clean', [CompletionResultType]::ParameterValue, 'The whole cleanup job in one command: import, validate, normalize, dedupe, segment, and pseudonymize when a key is given; every output, a report and a manifest with checksums written into one folder')
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Run a declared cleanup job (TOML): sources, schema, options, outputs and a policy; one folder per run')
            [CompletionResult]::new('profile', 'profile', [CompletionResultType]::ParameterValue, 'A data-quality profile: per column completeness, validity, uniqueness, distinct values, top values, value patterns, ranges, stale records, and an estimate of duplicate records')
            [CompletionResult]::new('diff', 'diff', [CompletionResultType]::ParameterValue, 'Compare two versions of a customer list: customers added, removed and changed (which fields)')
            [CompletionResult]::new('dedupe', 'dedupe', [CompletionResultType]::ParameterValue, 'Find records of the same customer, cluster them, and write one golden record per cluster')
            [CompletionResult]::new('segment', 'segment', [CompletionResultType]::ParameterValue, 'Grade customers by value (RFM scores and segment, A/B/C tier) and place them in their lifecycle stage')
            [CompletionResult]::new('pseudonymize', 'pseudonymize', [CompletionResultType]::ParameterValue, 'Write a dataset that can leave the team: identifiers tokenized, quasi-identifiers generalized, sensitive fields dropped, each as the schema''s privacy classes say unless a policy or flag says otherwise')
            [CompletionResult]::new('reveal', 'reveal', [CompletionResultType]::ParameterValue, 'Decrypt values written by `pseudonymize --encrypt`, for a person authorized to hold the key')
            [CompletionResult]::new('risk', 'risk', [CompletionResultType]::ParameterValue, 'Report re-identification risk: how many records share each combination of quasi-identifiers')
            [CompletionResult]::new('erase', 'erase', [CompletionResultType]::ParameterValue, 'Remove every row of the people who asked to be deleted, with a receipt that holds no personal data')
            [CompletionResult]::new('key', 'key', [CompletionResultType]::ParameterValue, 'Keys for tokens and encryption: create one (0600), print its id')
            [CompletionResult]::new('audit', 'audit', [CompletionResultType]::ParameterValue, 'Audit logs: verify the hash chain and the outputs each entry records')
            [CompletionResult]::new('model', 'model', [CompletionResultType]::ParameterValue, 'A saved matching model past one machine: its features table, SQL for DuckDB, native scores')
            [CompletionResult]::new('schema', 'schema', [CompletionResultType]::ParameterValue, 'The customer schema: show it, or write an editable copy')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Write man pages (one per subcommand) into a folder')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'steward;help;inspect' {
            break
        }
        'steward;help;import' {
            break
        }
        'steward;help;validate' {
            break
        }
        'steward;help;normalize' {
            break
        }
        'steward;help;clean' {
            break
        }
        'steward;help;run' {
            break
        }
        'steward;help;profile' {
            break
        }
        'steward;help;diff' {
            break
        }
        'steward;help;dedupe' {
            break
        }
        'steward;help;segment' {
            break
        }
        'steward;help;pseudonymize' {
            break
        }
        'steward;help;reveal' {
            break
        }
        'steward;help;risk' {
            break
        }
        'steward;help;erase' {
            break
        }
        'steward;help;key' {
            [CompletionResult]::new('new', 'new', [CompletionResultType]::ParameterValue, 'Create a 256-bit random key file readable by its owner only (0600)')
            [CompletionResult]::new('id', 'id', [CompletionResultType]::ParameterValue, 'Print a key''s id: a fingerprint that reveals nothing of the key')
            break
        }
        'steward;help;key;new' {
            break
        }
        'steward;help;key;id' {
            break
        }
        'steward;help;audit' {
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check an audit log: every entry chained to the one before, each entry''s own hash and (with keys) its seal, and every recorded output still as recorded; prints the entry count and the head hash to anchor elsewhere')
            break
        }
        'steward;help;audit;verify' {
            break
        }
        'steward;help;model' {
            [CompletionResult]::new('features', 'features', [CompletionResultType]::ParameterValue, 'Every per-record value a saved model''s comparisons and blocking rules need, one row per record, as Parquet for a warehouse engine to score with `steward model sql`')
            [CompletionResult]::new('sql', 'sql', [CompletionResultType]::ParameterValue, 'SQL that scores a saved model''s candidate pairs over its features table in DuckDB, as steward does natively: the same pairs, levels and probabilities')
            [CompletionResult]::new('score', 'score', [CompletionResultType]::ParameterValue, 'Score a list''s candidate pairs natively with a saved model, in the columns `steward model sql` returns (to compare an engine''s result with steward''s)')
            [CompletionResult]::new('cluster', 'cluster', [CompletionResultType]::ParameterValue, 'Cluster a list by candidate pairs a warehouse engine scored with a saved model''s SQL: connected components of the pairs at or above the threshold, with the chaining guard, as `steward dedupe --model` clusters')
            [CompletionResult]::new('train', 'train', [CompletionResultType]::ParameterValue, 'Train a model from the counts its SQL returned in a warehouse engine (`model sql --counts`): u from the random pairs'' levels, m and the prior by EM over the candidate pairs'' patterns, as the native engine does')
            break
        }
        'steward;help;model;features' {
            break
        }
        'steward;help;model;sql' {
            break
        }
        'steward;help;model;score' {
            break
        }
        'steward;help;model;cluster' {
            break
        }
        'steward;help;model;train' {
            break
        }
        'steward;help;schema' {
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Print the schema: fields, kinds, privacy classes, rules and header aliases')
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Write an editable copy of the built-in schema')
            break
        }
        'steward;help;schema;show' {
            break
        }
        'steward;help;schema;init' {
            break
        }
        'steward;help;completions' {
            break
        }
        'steward;help;man' {
            break
        }
        'steward;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
