//! The header vocabularies of real exports (Salesforce, HubSpot, Shopify, FEBRL, …): which one a source's
//! headers come from, and the few headers whose field depends on it. The table is data: vocabularies.toml.

use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::OnceLock;

use super::header_key;

/// The vocabulary table, as shipped.
pub const VOCABULARIES_TOML: &str = include_str!("vocabularies.toml");

/// One export's header vocabulary.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Vocabulary {
    /// What a person calls the export (`Shopify customers export`).
    pub name: String,
    /// The fixture under fixtures/exports/ made from the export's documented column list.
    pub fixture: String,
    /// Headers that tell this export apart; half of them (and at least two) recognise it.
    pub signature: Vec<String>,
    /// Headers that must all be present for `maps` to be right.
    #[serde(default)]
    pub required: Vec<String>,
    /// Header -> field for headers whose meaning depends on the export; `-` keeps the column unmapped.
    #[serde(default)]
    pub maps: BTreeMap<String, String>,
}

impl Vocabulary {
    /// The field a header maps to under this vocabulary: `Some(None)` keeps it unmapped, `None` leaves it
    /// to the aliases.
    pub fn field_for(&self, header: &str) -> Option<Option<&str>> {
        let key = header_key(header);
        self.maps
            .iter()
            .find(|(h, _)| header_key(h) == key)
            .map(|(_, f)| (f != "-").then_some(f.as_str()))
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Table {
    vocabulary: Vec<Vocabulary>,
}

/// Every known vocabulary.
pub fn vocabularies() -> &'static [Vocabulary] {
    static TABLE: OnceLock<Vec<Vocabulary>> = OnceLock::new();
    TABLE.get_or_init(|| {
        toml::from_str::<Table>(VOCABULARIES_TOML)
            .expect("the vocabulary table is valid")
            .vocabulary
    })
}

/// The vocabulary a source's headers come from, if any.
pub fn recognise(headers: &[String]) -> Option<&'static Vocabulary> {
    let keys: std::collections::HashSet<String> = headers.iter().map(|h| header_key(h)).collect();
    let present = |h: &String| keys.contains(&header_key(h));
    vocabularies()
        .iter()
        .filter_map(|v| {
            let n = v.signature.iter().filter(|h| present(h)).count();
            let ok = n >= 2 && n * 2 >= v.signature.len() && v.required.iter().all(present);
            ok.then_some((v, n as f64 / v.signature.len() as f64, n))
        })
        .max_by(|a, b| a.1.total_cmp(&b.1).then(a.2.cmp(&b.2)))
        .map(|(v, _, _)| v)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::Schema;

    fn h(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn the_table_loads_and_every_signature_tells_its_export_apart() {
        assert!(vocabularies().len() >= 8);
        for v in vocabularies() {
            assert_eq!(
                recognise(&v.signature).map(|r| r.name.as_str()),
                Some(v.name.as_str()),
                "its own signature recognises {}",
                v.name
            );
        }
    }

    #[test]
    fn maps_name_fields_of_the_builtin_schema() {
        let s = Schema::builtin();
        for v in vocabularies() {
            for (header, field) in &v.maps {
                assert!(
                    field == "-" || s.field(field).is_some(),
                    "{}: {header} maps to unknown field {field}",
                    v.name
                );
            }
        }
    }

    #[test]
    fn a_few_shared_headers_recognise_nothing() {
        assert!(recognise(&h(&["Email", "First Name", "Last Name", "Phone"])).is_none());
        // steward's own fixture: Chinese headers of a customer list, not a CRM's vocabulary
        assert!(recognise(&h(&["客户编号", "姓名", "手机号", "邮箱", "地址"])).is_none());
    }

    #[test]
    fn a_b2c_list_keeps_its_customer_name_as_the_person() {
        // 客户名称 without 联系人: the Chinese CRM vocabulary (which maps it to company) is not recognised.
        let headers = h(&["客户编号", "客户名称", "负责人", "所在地区", "详细地址"]);
        assert!(recognise(&headers).is_none());
        let b2b = h(&["客户编号", "客户名称", "联系人", "负责人", "所在地区"]);
        let v = recognise(&b2b).expect("recognised");
        assert_eq!(v.field_for("客户名称"), Some(Some("company")));
        assert_eq!(v.field_for("联系人"), Some(Some("name")));
        assert_eq!(v.field_for("手机"), None);
    }

    #[test]
    fn unmapped_by_vocabulary() {
        let sf = h(&[
            "Id",
            "AccountId",
            "FirstName",
            "MailingStreet",
            "OwnerId",
            "CreatedDate",
        ]);
        let v = recognise(&sf).expect("Salesforce");
        assert_eq!(v.name, "Salesforce contacts export");
        assert_eq!(v.field_for("AccountId"), Some(None));
    }
}
