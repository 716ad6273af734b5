//! Real CRM and reference exports (fixtures/exports/, one per vocabulary of src/schema/vocabularies.toml) map
//! with no configuration: `inspect` names the export and maps every column a user expects; dedupe on FEBRL
//! headers compares the house number joined to the street, and the suburb as the town; consent and opt-out
//! columns keep their meaning through pseudonymize.

use crate::common;
use common::*;
use predicates::prelude::*;

/// An export's fixture, the vocabulary it is named by, and header -> field for every column that maps (every
/// other column stays unmapped).
type Export = (
    &'static str,
    &'static str,
    &'static [(&'static str, &'static str)],
);

const EXPORTS: &[Export] = &[
    (
        "salesforce_contacts.csv",
        "Salesforce contacts export",
        &[
            ("Id", "id"),
            ("LastName", "family_name"),
            ("FirstName", "given_name"),
            ("MiddleName", "middle_name"),
            ("Suffix", "name_suffix"),
            ("Name", "name"),
            ("MailingStreet", "address"),
            ("MailingCity", "city"),
            ("MailingState", "province"),
            ("MailingPostalCode", "postcode"),
            ("MailingCountry", "country"),
            ("Phone", "phone"),
            ("MobilePhone", "mobile"),
            ("Email", "email"),
            ("Birthdate", "birth_date"),
            ("HasOptedOutOfEmail", "email_opt_out"),
            ("OwnerId", "owner"),
            ("CreatedDate", "signup_date"),
            ("LastModifiedDate", "updated_at"),
        ],
    ),
    (
        "hubspot_contacts.csv",
        "HubSpot contacts export",
        &[
            ("Record ID", "id"),
            ("First Name", "given_name"),
            ("Last Name", "family_name"),
            ("Email", "email"),
            ("Phone Number", "phone"),
            ("Mobile Phone Number", "mobile"),
            ("Street Address", "address"),
            ("City", "city"),
            ("State/Region", "province"),
            ("Postal Code", "postcode"),
            ("Country/Region", "country"),
            ("Company Name", "company"),
            ("Date of birth", "birth_date"),
            ("Contact owner", "owner"),
            ("Create Date", "signup_date"),
        ],
    ),
    (
        "shopify_customers.csv",
        "Shopify customers export",
        &[
            ("Customer ID", "id"),
            ("First Name", "given_name"),
            ("Last Name", "family_name"),
            ("Email", "email"),
            ("Accepts Email Marketing", "marketing_consent"),
            ("Default Address Company", "company"),
            ("Default Address Address1", "address"),
            ("Default Address Address2", "address_2"),
            ("Default Address City", "city"),
            ("Default Address Province Code", "province"),
            ("Default Address Country Code", "country"),
            ("Default Address Zip", "postcode"),
            ("Phone", "phone"),
            ("Accepts SMS Marketing", "sms_marketing_consent"),
            ("Total Spent", "total_spend"),
            ("Total Orders", "orders"),
        ],
    ),
    (
        "zoho_contacts.csv",
        "Zoho CRM contacts export",
        &[
            ("Record Id", "id"),
            ("Contact Owner", "owner"),
            ("First Name", "given_name"),
            ("Last Name", "family_name"),
            ("Account Name", "company"),
            ("Email", "email"),
            ("Phone", "phone"),
            ("Mobile", "mobile"),
            ("Date of Birth", "birth_date"),
            ("Email Opt Out", "email_opt_out"),
            ("Mailing Street", "address"),
            ("Mailing City", "city"),
            ("Mailing State", "province"),
            ("Mailing Zip", "postcode"),
            ("Mailing Country", "country"),
            ("Created Time", "signup_date"),
            ("Modified Time", "updated_at"),
        ],
    ),
    (
        "dynamics365_contacts.csv",
        "Microsoft Dynamics 365 contacts export",
        &[
            ("(Do Not Modify) Contact", "id"),
            ("Full Name", "name"),
            ("First Name", "given_name"),
            ("Middle Name", "middle_name"),
            ("Last Name", "family_name"),
            ("Suffix", "name_suffix"),
            ("Email", "email"),
            ("Business Phone", "phone"),
            ("Mobile Phone", "mobile"),
            ("Address 1: Street 1", "address"),
            ("Address 1: Street 2", "address_2"),
            ("Address 1: City", "city"),
            ("Address 1: State/Province", "province"),
            ("Address 1: ZIP/Postal Code", "postcode"),
            ("Address 1: Country/Region", "country"),
            ("Company Name", "company"),
            ("Birthday", "birth_date"),
            ("Gender", "gender"),
            ("Do not allow Bulk Emails", "email_opt_out"),
            ("Owner", "owner"),
            ("Created On", "signup_date"),
            ("Modified On", "updated_at"),
        ],
    ),
    (
        "fxiaoke_customers_gbk.csv",
        "纷享销客 / Chinese CRM customer export",
        &[
            ("客户编号", "id"),
            ("客户名称", "company"),
            ("联系人", "name"),
            ("手机", "mobile"),
            ("电话", "phone"),
            ("微信", "wechat"),
            ("邮箱", "email"),
            ("所在地区", "province"),
            ("详细地址", "address"),
            ("负责人", "owner"),
            ("创建时间", "signup_date"),
            ("最后修改时间", "updated_at"),
        ],
    ),
    (
        "febrl.csv",
        "FEBRL",
        &[
            ("rec_id", "id"),
            ("given_name", "given_name"),
            ("surname", "family_name"),
            ("street_number", "house_number"),
            ("address_1", "address"),
            ("address_2", "address_2"),
            ("suburb", "city"),
            ("postcode", "postcode"),
            ("state", "province"),
            ("date_of_birth", "birth_date"),
            ("soc_sec_id", "social_security_number"),
        ],
    ),
    (
        "ncvoter.tsv",
        "North Carolina voter file",
        &[
            ("ncid", "id"),
            ("last_name", "family_name"),
            ("first_name", "given_name"),
            ("middle_name", "middle_name"),
            ("name_suffix_lbl", "name_suffix"),
            ("res_street_address", "address"),
            ("res_city_desc", "city"),
            ("state_cd", "province"),
            ("zip_code", "postcode"),
            ("full_phone_number", "phone"),
            ("registr_dt", "signup_date"),
            ("gender_code", "gender"),
            ("birth_year", "birth_year"),
        ],
    ),
];

fn inspect_json(src: &str) -> serde_json::Value {
    let out = steward()
        .args(["inspect", src, "--format", "json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    serde_json::from_slice(&out).expect("JSON")
}

#[test]
fn every_export_maps_with_no_configuration_and_is_named() {
    for (file, vocabulary, expected) in EXPORTS {
        let v = inspect_json(&fixture(&format!("exports/{file}")));
        let s = &v["sources"][0];
        assert_eq!(s["vocabulary"], *vocabulary, "{file}");
        let columns = s["columns"].as_array().unwrap();
        let got: Vec<(String, Option<String>)> = columns
            .iter()
            .map(|c| {
                (
                    c["header"].as_str().unwrap().trim().to_string(),
                    c["field"].as_str().map(str::to_string),
                )
            })
            .collect();
        for (header, field) in *expected {
            let found = got.iter().find(|(h, _)| h == header);
            assert_eq!(
                found.and_then(|(_, f)| f.as_deref()),
                Some(*field),
                "{file}: {header}"
            );
        }
        // Nothing else maps: a column a user would not expect mapped stays under its own name.
        let mapped: Vec<&(String, Option<String>)> =
            got.iter().filter(|(_, f)| f.is_some()).collect();
        assert_eq!(mapped.len(), expected.len(), "{file}: {mapped:?}");
        assert_eq!(s["mapped_columns"], expected.len(), "{file}");
        // and the text output says the same in one line
        steward()
            .args(["inspect", &fixture(&format!("exports/{file}"))])
            .assert()
            .success()
            .stdout(predicate::str::contains(format!(
                "headers     {vocabulary} ({} of {} columns mapped)",
                expected.len(),
                columns.len()
            )));
    }
}

#[test]
fn every_vocabulary_of_the_table_has_a_fixture_it_recognises() {
    let vocabularies = steward::schema::vocabularies();
    assert_eq!(vocabularies.len(), EXPORTS.len());
    for v in vocabularies {
        assert!(
            EXPORTS
                .iter()
                .any(|(file, name, _)| *file == v.fixture && *name == v.name),
            "{} ({}) has no test above",
            v.name,
            v.fixture
        );
    }
}

#[test]
fn a_list_of_steward_s_own_headers_names_no_export() {
    let v = inspect_json(&fixture("customers.csv"));
    assert_eq!(v["sources"][0]["vocabulary"], serde_json::Value::Null);
    steward()
        .args(["inspect", &fixture("customers.csv")])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("mapping     18 of 19 columns map onto schema fields")
                .and(predicate::str::contains("headers ").not()),
        );
}

#[test]
fn the_gbk_crm_export_reads_as_gbk_with_company_and_contact_apart() {
    let v = inspect_json(&fixture("exports/fxiaoke_customers_gbk.csv"));
    let s = &v["sources"][0];
    assert_eq!(s["encoding"], "GBK/GB18030");
    let company = &s["columns"][1];
    assert_eq!(company["header"], "客户名称");
    assert_eq!(company["mapped_by"], "vocabulary");
    // a company name is not masked as a person's would be
    assert_eq!(company["samples"][0], "深圳市华创电子有限公司");
    assert_eq!(s["columns"][3]["mapped_by"], "vocabulary");
}

#[test]
fn dedupe_on_febrl_headers_joins_street_number_to_the_street_and_compares_the_suburb() {
    let out = steward()
        .args([
            "dedupe",
            &fixture("exports/febrl.csv"),
            "--explain",
            "rec-10-org",
            "rec-10-dup-0",
            "--report-format",
            "json",
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let e: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let items = e["items"].as_array().unwrap();
    let item = |name: &str| {
        items
            .iter()
            .find(|i| i["comparison"] == name)
            .unwrap_or_else(|| panic!("no {name} comparison in {items:?}"))
    };
    // street_number + address_1, as one address
    assert_eq!(item("address")["value_a"], "8 kingsford street");
    assert_eq!(item("address")["level_name"], "exact");
    // suburb is the town
    assert_eq!(
        item("city")["value_a"].as_str().unwrap().trim(),
        "winston hills"
    );
    assert_eq!(
        item("address_2")["value_a"].as_str().unwrap().trim(),
        "rosebank"
    );
    assert_eq!(e["same_cluster"], true);
    // Another house number in the same street and town is another address.
    let out = steward()
        .args([
            "dedupe",
            &fixture("exports/febrl.csv"),
            "--explain",
            "rec-10-org",
            "rec-11-org",
            "--report-format",
            "json",
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let e: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let address = e["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["comparison"] == "address")
        .unwrap()
        .clone();
    assert_eq!(address["value_b"], "14 kingsford street");
    assert_ne!(address["level_name"], "exact");
    assert_eq!(e["same_cluster"], false);
}

#[test]
fn dedupe_output_keeps_the_house_number_as_written() {
    let dir = tmp();
    let out = path_in(&dir, "golden.csv");
    steward()
        .args(["dedupe", &fixture("exports/febrl.csv"), "-o"])
        .arg(&out)
        .assert()
        .success();
    let (headers, rows) = read_csv(&out);
    assert!(headers.contains(&"house_number".to_string()), "{headers:?}");
    let r = row_with(&rows, "id", "rec-13-org");
    // the join is for comparing only: each column holds its value as the source had it
    assert_eq!(r["house_number"], " 105");
    assert_eq!(r["address"], " oxley road");
}

#[test]
fn consent_marketing_is_the_consent_field_and_an_opt_out_is_never_read_as_one() {
    let dir = tmp();
    let key = path_in(&dir, "k.key");
    std::fs::write(
        &key,
        "0581691fa8477839c940f8e2bd625b5d6c0526100de3651e3f36bdd7ac03a157\n",
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    let src = path_in(&dir, "list.csv");
    std::fs::write(
        &src,
        "id,email,consent_marketing,HasOptedOutOfEmail\n\
         1,a@example.com,yes,false\n2,b@example.com,no,true\n3,c@example.com,1,false\n",
    )
    .unwrap();
    let out = path_in(&dir, "share.csv");
    steward()
        .arg("pseudonymize")
        .arg(&src)
        .arg("--key-file")
        .arg(&key)
        .args([
            "--consent-field",
            "consent_marketing",
            "--consent-only",
            "-o",
        ])
        .arg(&out)
        .assert()
        .success()
        .stderr(
            predicate::str::is_match(r"marketing_consent +keep .*\[privacy class none\]").unwrap(),
        );
    let (headers, rows) = read_csv(&out);
    // kept (privacy class none), not dropped as an unknown column; the opt-out kept beside it
    assert!(
        headers.contains(&"marketing_consent".to_string()),
        "{headers:?}"
    );
    assert!(
        headers.contains(&"email_opt_out".to_string()),
        "{headers:?}"
    );
    let consent: Vec<&str> = rows
        .iter()
        .map(|r| r["marketing_consent"].as_str())
        .collect();
    assert_eq!(consent, vec!["yes", "1"]);
    assert!(rows.iter().all(|r| r["email"].starts_with("em_")));
    // Naming the opt-out as the consent would keep exactly the people who said no: refused.
    steward()
        .arg("pseudonymize")
        .arg(&src)
        .arg("--key-file")
        .arg(&key)
        .args([
            "--consent-field",
            "HasOptedOutOfEmail",
            "--consent-only",
            "-o",
            "-",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("opt-out"));
}
