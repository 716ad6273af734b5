//! Rows between steward and a database as CSV text in PostgreSQL's COPY convention: a NULL is an empty
//! unquoted field, an empty string is `""`, records end with LF. The same text is the rows' digest.

use std::borrow::Cow;

use super::EMPTY_TEXT;

/// Read the record starting at `*pos` into `fields` (NULL as `""`, a quoted empty field as
/// [`EMPTY_TEXT`]) and move `*pos` past it. False at the end of the text.
pub fn next_record<'a>(text: &'a str, pos: &mut usize, fields: &mut Vec<Cow<'a, str>>) -> bool {
    fields.clear();
    let b = text.as_bytes();
    let mut p = *pos;
    if p >= b.len() {
        return false;
    }
    loop {
        if b.get(p) == Some(&b'"') {
            // Quoted: up to the quote not followed by another, `""` standing for one quote.
            let start = p + 1;
            let mut q = start;
            let mut escaped = false;
            let end = loop {
                match memchr::memchr(b'"', &b[q..]) {
                    Some(i) if b.get(q + i + 1) == Some(&b'"') => {
                        escaped = true;
                        q += i + 2;
                    }
                    Some(i) => break q + i,
                    None => break b.len(),
                }
            };
            let raw = &text[start..end];
            fields.push(if raw.is_empty() {
                Cow::Borrowed(EMPTY_TEXT)
            } else if escaped {
                Cow::Owned(raw.replace("\"\"", "\""))
            } else {
                Cow::Borrowed(raw)
            });
            p = (end + 1).min(b.len());
        } else {
            let end = memchr::memchr2(b',', b'\n', &b[p..])
                .map(|i| p + i)
                .unwrap_or(b.len());
            fields.push(Cow::Borrowed(&text[p..end]));
            p = end;
        }
        match b.get(p) {
            Some(b',') => p += 1,
            Some(b'\n') => {
                p += 1;
                break;
            }
            Some(b'\r') if b.get(p + 1) == Some(&b'\n') => {
                p += 2;
                break;
            }
            _ => {
                // The end of the text; anything else after a closing quote is malformed and ends the
                // record too (a database never sends it).
                if p < b.len() {
                    p = memchr::memchr(b'\n', &b[p..])
                        .map(|i| p + i + 1)
                        .unwrap_or(b.len());
                }
                break;
            }
        }
    }
    *pos = p;
    true
}

/// Append one record: `""` (NULL) as an empty field, [`EMPTY_TEXT`] as `""`, every other value quoted
/// when it holds a comma, quote, line break, or is exactly `\.` (COPY's end marker).
pub fn encode(out: &mut Vec<u8>, row: &[&str]) {
    for (i, v) in row.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        if *v == EMPTY_TEXT {
            out.extend_from_slice(b"\"\"");
            continue;
        }
        let bytes = v.as_bytes();
        let special = *v == "\\."
            || memchr::memchr3(b',', b'"', b'\n', bytes).is_some()
            || memchr::memchr(b'\r', bytes).is_some();
        if special {
            out.push(b'"');
            for part in bytes.split_inclusive(|&c| c == b'"') {
                out.extend_from_slice(part);
                if part.last() == Some(&b'"') {
                    out.push(b'"');
                }
            }
            out.push(b'"');
        } else {
            out.extend_from_slice(bytes);
        }
    }
    out.push(b'\n');
}

/// Every value of a row as `Option<&str>` for a driver: NULL, '' or the text.
pub fn sql_value(v: &str) -> Option<&str> {
    if v.is_empty() {
        None
    } else if v == EMPTY_TEXT {
        Some("")
    } else {
        Some(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Vec<Vec<String>> {
        let mut pos = 0;
        let mut f = Vec::new();
        let mut out = Vec::new();
        while next_record(text, &mut pos, &mut f) {
            out.push(f.iter().map(|c| c.to_string()).collect());
        }
        out
    }

    #[test]
    fn null_and_empty_stay_apart_through_encoding_and_parsing() {
        let rows: Vec<Vec<&str>> = vec![
            vec!["00123", "", EMPTY_TEXT, "+86 138 0013 8000"],
            vec!["a,b", "say \"hi\"", "line\nbreak", "\\."],
            vec!["张伟", "x\r\ny", "\"", ""],
        ];
        let mut text = Vec::new();
        for r in &rows {
            encode(&mut text, r);
        }
        let text = String::from_utf8(text).unwrap();
        assert!(
            text.starts_with("00123,,\"\",+86 138 0013 8000\n"),
            "{text}"
        );
        let back = parse(&text);
        let want: Vec<Vec<String>> = rows
            .iter()
            .map(|r| r.iter().map(|s| s.to_string()).collect())
            .collect();
        assert_eq!(back, want);
    }

    #[test]
    fn a_single_null_column_is_an_empty_line() {
        assert_eq!(
            parse("\n\"\"\nx\n"),
            vec![vec![""], vec![EMPTY_TEXT], vec!["x"]]
        );
    }
}
