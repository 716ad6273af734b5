//! Mapping source headers onto schema fields: by hand (`--map "Cust No=id"`), by the recognised export's
//! vocabulary, or by alias (ignoring case, width, spaces and punctuation). Unmapped columns keep their names.

use anyhow::Result;
use serde::Serialize;
use unicode_normalization::UnicodeNormalization;

use super::Schema;
use crate::error::StewardError;

/// The comparison key of a header: NFKC (full-width to half-width), lowercase, letters and digits only.
pub fn header_key(header: &str) -> String {
    header
        .nfkc()
        .flat_map(|c| c.to_lowercase())
        .filter(|c| c.is_alphanumeric())
        .collect()
}

/// A hand-made mapping from a source column to a schema field, as given on the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManualMap {
    pub column: String,
    /// `None` keeps the column unmapped even if an alias would match.
    pub field: Option<String>,
}

impl std::str::FromStr for ManualMap {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (col, field) = s
            .rsplit_once('=')
            .ok_or_else(|| format!("expected COLUMN=FIELD, found {s:?}"))?;
        if col.trim().is_empty() {
            return Err(format!("empty column name in {s:?}"));
        }
        let field = field.trim();
        Ok(ManualMap {
            column: col.trim().to_string(),
            field: if field.is_empty() || field == "-" {
                None
            } else {
                Some(field.to_string())
            },
        })
    }
}

/// How one source column maps onto the schema.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ColumnMapping {
    /// The column's reported name: its header, made unique (`email_2`) or invented for an empty header (`column_3`).
    pub column: String,
    /// The header text exactly as in the source.
    pub header: String,
    /// The schema field it maps to, if any.
    pub field: Option<String>,
    /// `alias`, `manual`, `vocabulary` (a header whose field depends on the recognised export) or `unmapped`.
    pub how: &'static str,
}

/// Reported names for raw headers: empty headers become `column_N` (1-based position), repeats get `_2`, `_3`.
/// Linear in the number of headers: each base name remembers the next suffix to try, so the k-th repeat of a
/// name does not try the k-1 suffixes already taken (30,000 equal headers took 31 s when it did).
pub fn unique_header_names(headers: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(headers.len());
    let mut used: std::collections::HashSet<String> =
        std::collections::HashSet::with_capacity(headers.len());
    // Suffixes below a base's entry are all taken (names are never freed), so the search resumes there.
    let mut next_suffix: std::collections::HashMap<String, usize> =
        std::collections::HashMap::new();
    for (i, h) in headers.iter().enumerate() {
        let base = {
            let t = h.trim();
            if t.is_empty() {
                format!("column_{}", i + 1)
            } else {
                t.to_string()
            }
        };
        let name = if used.contains(&base) {
            let n = next_suffix.entry(base.clone()).or_insert(2);
            let mut name = format!("{base}_{n}");
            while used.contains(&name) {
                *n += 1;
                name = format!("{base}_{n}");
            }
            *n += 1;
            name
        } else {
            base
        };
        used.insert(name.clone());
        out.push(name);
    }
    out
}

/// Map a source's headers onto the schema. Manual maps win; then the recognised vocabulary's own maps; then
/// aliases, in column order, each field at most once.
pub fn map_headers(
    schema: &Schema,
    headers: &[String],
    manual: &[ManualMap],
) -> Result<Vec<ColumnMapping>> {
    let names = unique_header_names(headers);
    let mut field_of: Vec<Option<usize>> = vec![None; headers.len()];
    let mut how: Vec<&'static str> = vec!["unmapped"; headers.len()];
    let mut taken = vec![false; schema.fields.len()];
    let mut pinned = vec![false; headers.len()];

    for m in manual {
        let key = header_key(&m.column);
        let col = names
            .iter()
            .position(|n| n == &m.column)
            .or_else(|| headers.iter().position(|h| h.trim() == m.column))
            .or_else(|| {
                headers
                    .iter()
                    .position(|h| header_key(h) == key && !key.is_empty())
            });
        let Some(col) = col else {
            // A map for a column this source lacks is not an error: one --map serves many sources.
            continue;
        };
        pinned[col] = true;
        if let Some(field) = &m.field {
            let fi = schema.field_index(field).ok_or_else(|| {
                StewardError::usage(format!(
                    "--map {}={field}: the schema has no field {field:?} (see `steward schema show`)",
                    m.column
                ))
            })?;
            if taken[fi] {
                return Err(StewardError::usage(format!(
                    "--map: field {field:?} is mapped from two columns"
                ))
                .into());
            }
            taken[fi] = true;
            field_of[col] = Some(fi);
            how[col] = "manual";
        }
    }

    if let Some(v) = super::vocabulary::recognise(headers) {
        for (col, h) in headers.iter().enumerate() {
            if pinned[col] {
                continue;
            }
            let Some(target) = v.field_for(h) else {
                continue;
            };
            let fi = match target {
                None => None,
                Some(f) => match schema.field_index(f) {
                    Some(fi) => Some(fi),
                    // A field the schema lacks (a user's own schema) leaves the header to the aliases.
                    None => continue,
                },
            };
            pinned[col] = true;
            if let Some(fi) = fi.filter(|&fi| !taken[fi]) {
                taken[fi] = true;
                field_of[col] = Some(fi);
                how[col] = "vocabulary";
            }
        }
    }

    let alias_keys: Vec<Vec<String>> = schema
        .fields
        .iter()
        .map(|f| {
            std::iter::once(&f.name)
                .chain(f.aliases.iter())
                .map(|a| header_key(a))
                .filter(|k| !k.is_empty())
                .collect()
        })
        .collect();
    for (col, h) in headers.iter().enumerate() {
        if pinned[col] {
            continue;
        }
        let key = header_key(h);
        if key.is_empty() {
            continue;
        }
        if let Some(fi) = alias_keys
            .iter()
            .enumerate()
            .position(|(fi, keys)| !taken[fi] && keys.contains(&key))
        {
            taken[fi] = true;
            field_of[col] = Some(fi);
            how[col] = "alias";
        }
    }

    Ok(names
        .into_iter()
        .enumerate()
        .map(|(i, column)| ColumnMapping {
            column,
            header: headers[i].clone(),
            field: field_of[i].map(|fi| schema.fields[fi].name.clone()),
            how: how[i],
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn key_ignores_case_width_space_punct() {
        assert_eq!(header_key("E-Mail"), "email");
        assert_eq!(header_key("ＥＭＡＩＬ"), "email");
        assert_eq!(header_key(" e_mail "), "email");
        assert_eq!(header_key("手机 号码"), "手机号码");
        assert_eq!(header_key("Date of Birth:"), "dateofbirth");
    }

    #[test]
    fn maps_english_and_chinese_aliases() {
        let s = Schema::builtin();
        let m = map_headers(
            &s,
            &h(&["客户编号", "姓名", "手机号", "E-mail", "身份证号码", "备注"]),
            &[],
        )
        .unwrap();
        let fields: Vec<Option<&str>> = m.iter().map(|c| c.field.as_deref()).collect();
        assert_eq!(
            fields,
            vec![
                Some("id"),
                Some("name"),
                Some("mobile"),
                Some("email"),
                Some("resident_id"),
                None
            ]
        );
    }

    #[test]
    fn duplicate_and_empty_headers_get_distinct_names() {
        let s = Schema::builtin();
        let m = map_headers(&s, &h(&["email", "Name", "email", "", "phone"]), &[]).unwrap();
        let names: Vec<&str> = m.iter().map(|c| c.column.as_str()).collect();
        assert_eq!(names, vec!["email", "Name", "email_2", "column_4", "phone"]);
        assert_eq!(m[0].field.as_deref(), Some("email"));
        assert_eq!(m[2].field, None, "a field is mapped once");
    }

    #[test]
    fn repeated_names_skip_suffixes_already_taken() {
        // A header already named like a suffix (`a_2`) pushes the repeat of `a` to `a_3`, as before.
        let names = unique_header_names(&h(&["a", "a_2", "a", "a", " ", "column_5", "a_3"]));
        assert_eq!(
            names,
            vec!["a", "a_2", "a_3", "a_4", "column_5", "column_5_2", "a_3_2"]
        );
        let many: Vec<String> = vec!["dup".to_string(); 30_000];
        let names = unique_header_names(&many);
        assert_eq!(names[0], "dup");
        assert_eq!(names[1], "dup_2");
        assert_eq!(names[29_999], "dup_30000");
        let distinct: std::collections::HashSet<&String> = names.iter().collect();
        assert_eq!(distinct.len(), 30_000);
    }

    #[test]
    fn manual_map_wins_and_can_unmap() {
        let s = Schema::builtin();
        let maps = vec![
            "Cust No=id".parse::<ManualMap>().unwrap(),
            "Name=".parse::<ManualMap>().unwrap(),
        ];
        let m = map_headers(&s, &h(&["Cust No", "Name", "Customer ID"]), &maps).unwrap();
        assert_eq!(m[0].field.as_deref(), Some("id"));
        assert_eq!(m[0].how, "manual");
        assert_eq!(m[1].field, None);
        assert_eq!(m[2].field, None, "id is already taken by the manual map");
    }

    #[test]
    fn the_recognised_export_decides_headers_that_depend_on_it() {
        let s = Schema::builtin();
        let crm = h(&[
            "客户编号",
            "客户名称",
            "联系人",
            "手机",
            "负责人",
            "所在地区",
        ]);
        let m = map_headers(&s, &crm, &[]).unwrap();
        assert_eq!(m[1].field.as_deref(), Some("company"));
        assert_eq!(m[1].how, "vocabulary");
        assert_eq!(m[2].field.as_deref(), Some("name"));
        assert_eq!(m[3].field.as_deref(), Some("mobile"));
        assert_eq!(m[3].how, "alias");
        // --map still wins
        let maps = vec!["客户名称=name".parse::<ManualMap>().unwrap()];
        let m = map_headers(&s, &crm, &maps).unwrap();
        assert_eq!(m[1].field.as_deref(), Some("name"));
        assert_eq!(m[2].field, None, "name is taken by the manual map");
        // A schema without the field leaves the header to its aliases: here `name`, which the export's
        // 联系人 already holds, so the company's name never lands in the person's.
        let own = Schema::from_toml_str(
            "[[field]]\nname = \"name\"\nkind = \"name\"\naliases = [\"客户名称\"]\n",
            "own",
        )
        .unwrap();
        let m = map_headers(&own, &crm, &[]).unwrap();
        assert_eq!(m[1].field, None);
        assert_eq!(m[2].field.as_deref(), Some("name"));
        let m = map_headers(&own, &h(&["客户名称", "手机"]), &[]).unwrap();
        assert_eq!(
            m[0].field.as_deref(),
            Some("name"),
            "no CRM vocabulary: the alias"
        );
        // a vocabulary's "-" keeps a header away from an alias that would mislead
        let sf = h(&[
            "AccountId",
            "Id",
            "MailingStreet",
            "OwnerId",
            "CreatedDate",
            "HasOptedOutOfEmail",
        ]);
        let m = map_headers(&s, &sf, &[]).unwrap();
        assert_eq!(
            m[0].field, None,
            "the parent account's id is not the contact's"
        );
        assert_eq!(m[1].field.as_deref(), Some("id"));
        assert_eq!(m[5].field.as_deref(), Some("email_opt_out"));
    }

    #[test]
    fn api_names_of_the_same_exports_map_too() {
        // HubSpot's and Dynamics' internal property names, as their APIs and some exports write them
        let s = Schema::builtin();
        let m = map_headers(
            &s,
            &h(&[
                "hs_object_id",
                "firstname",
                "mobilephone",
                "hubspot_owner_id",
                "createdate",
                "address1_line1",
                "address1_line2",
                "address1_postalcode",
                "donotbulkemail",
            ]),
            &[],
        )
        .unwrap();
        let fields: Vec<Option<&str>> = m.iter().map(|c| c.field.as_deref()).collect();
        assert_eq!(
            fields,
            vec![
                Some("id"),
                Some("given_name"),
                Some("mobile"),
                Some("owner"),
                Some("signup_date"),
                Some("address"),
                Some("address_2"),
                Some("postcode"),
                Some("email_opt_out"),
            ]
        );
    }

    #[test]
    fn opt_out_is_never_consent() {
        let s = Schema::builtin();
        for header in [
            "HasOptedOutOfEmail",
            "Email Opt Out",
            "Do not allow Bulk Emails",
            "unsubscribed",
        ] {
            let m = map_headers(&s, &h(&[header]), &[]).unwrap();
            assert_eq!(m[0].field.as_deref(), Some("email_opt_out"), "{header}");
        }
        for header in [
            "consent_marketing",
            "Accepts Email Marketing",
            "marketing consent",
        ] {
            let m = map_headers(&s, &h(&[header]), &[]).unwrap();
            assert_eq!(m[0].field.as_deref(), Some("marketing_consent"), "{header}");
        }
    }

    #[test]
    fn manual_map_to_unknown_field_is_usage_error() {
        let s = Schema::builtin();
        let maps = vec!["A=nosuch".parse::<ManualMap>().unwrap()];
        assert!(map_headers(&s, &h(&["A"]), &maps).is_err());
    }
}
