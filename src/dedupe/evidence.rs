//! A value that fails validation is evidence of nothing: an impossible or future birth date, a phone number
//! that cannot be one, an e-mail address with broken syntax is compared as missing (a null level, weight 0),
//! never as a disagreement. Which matched values those are, and why.

use chrono::NaiveDate;

use super::FieldKind as MK;
use crate::fields::{self, Level};

/// Why a value of a matched field is no evidence, as the end of a sentence (`is in the future`); None when
/// it is valid, or when validity cannot be told (a national phone number without a region to read it in).
/// `region`: the row's country (ISO alpha-2), for phone numbers written without a country code.
pub(super) fn why_invalid(
    kind: MK,
    raw: &str,
    region: Option<&str>,
    today: NaiveDate,
) -> Option<String> {
    if raw.trim().is_empty() {
        return None;
    }
    match kind {
        MK::Date => {
            let opts = fields::date::DateOptions {
                day_first: false,
                today,
                birth: true,
                future_ok: false,
            };
            let c = fields::date::check_date(raw, &opts);
            let rule = c.issues.iter().find(|i| i.level == Level::Error)?.rule;
            match rule {
                "date-impossible" => Some("is not a real date".to_string()),
                "date-future" => Some("is in the future".to_string()),
                // A birth date over 120 years ago is unlikely for a customer, not impossible (old
                // registers, deceased members): two records that share it still agree. An ambiguous
                // (05/03/1980) or unreadable value: the matcher reads what it can.
                _ => None,
            }
        }
        MK::Email => {
            let c = fields::email::check_email(raw);
            let e = c.issues.iter().find(|i| i.level == Level::Error)?;
            Some(format!("is not an e-mail address ({})", e.message))
        }
        MK::Phone => fields::phone::not_a_phone(raw, region)
            .map(|why| format!("is not a phone number ({why})")),
        _ => None,
    }
}

/// The kinds whose values are checked.
pub(super) fn is_checked(kind: MK) -> bool {
    matches!(kind, MK::Date | MK::Email | MK::Phone)
}

/// The line `--explain` prints for a value compared as missing.
pub(super) fn note(field: &str, raw: &str, why: &str) -> String {
    format!("{field}: {} {why}, compared as missing", raw.trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 6).unwrap()
    }

    fn why(kind: MK, raw: &str) -> Option<String> {
        why_invalid(kind, raw, None, today())
    }

    #[test]
    fn dates_that_cannot_be_a_birth_date() {
        assert_eq!(
            why(MK::Date, "1981-02-30").as_deref(),
            Some("is not a real date")
        );
        assert_eq!(
            why(MK::Date, "19560431").as_deref(),
            Some("is not a real date")
        );
        assert_eq!(
            why(MK::Date, "2031-10-24").as_deref(),
            Some("is in the future")
        );
        for ok in [
            "1981-02-03",
            "19810203",
            "1981年2月3日",
            "19040824",
            "",
            "  ",
        ] {
            assert_eq!(why(MK::Date, ok), None, "{ok}");
        }
        // ambiguous or unreadable: not judged here
        assert_eq!(why(MK::Date, "05/03/1980"), None);
        assert_eq!(why(MK::Date, "unknown"), None);
        assert_eq!(
            note("birth_date", "2031-10-24", "is in the future"),
            "birth_date: 2031-10-24 is in the future, compared as missing"
        );
    }

    #[test]
    fn emails_and_phones() {
        assert!(why(MK::Email, "harry.norris@@example.com")
            .unwrap()
            .starts_with("is not an e-mail address ("));
        assert_eq!(why(MK::Email, "harry.norris@example.com"), None);
        // a typo'd domain is a warning, still evidence
        assert_eq!(why(MK::Email, "harry.norris@gmial.com"), None);
        assert!(why(MK::Phone, "+44 20 7946")
            .unwrap()
            .starts_with("is not a phone number ("));
        assert!(why(MK::Phone, "call me").is_some());
        assert_eq!(why(MK::Phone, "+44 20 7946 0848"), None);
        // a national number: invalid only in the region it is read in
        assert_eq!(why(MK::Phone, "020 7946 0848"), None);
        assert_eq!(
            why_invalid(MK::Phone, "020 7946 0848", Some("GB"), today()),
            None
        );
        assert!(why_invalid(MK::Phone, "020 7946", Some("GB"), today()).is_some());
        assert_eq!(why(MK::Address, "nowhere"), None);
    }

    /// What a cleanup job relies on (`DedupeOptions::judged`): a value validation reads with no error (at
    /// most warnings), as it leaves the value in the table, is evidence; dedupe judges again only values
    /// with an error.
    fn passed_by_validation_is_evidence(
        kind: MK,
        field: &str,
        raw: &str,
        region: Option<&str>,
        default: Option<&str>,
    ) {
        use crate::schema::{Field, FieldKind};
        use crate::validate::{check_kind, CheckOptions};
        let fk = match kind {
            MK::Date => FieldKind::Date,
            MK::Email => FieldKind::Email,
            _ => FieldKind::Phone,
        };
        let opts = CheckOptions {
            default_region: default.map(str::to_string),
            day_first: false,
            today: today(),
            stale_after_days: None,
            normalization: crate::fields::Normalization::CURRENT,
        };
        let c = check_kind(&Field::new(field, fk), raw, region, &opts);
        if c.issues.iter().all(|i| i.level == Level::Warning) {
            // Validation writes the normalized value when it has one.
            let kept = if c.value.is_empty() {
                raw
            } else {
                c.value.as_str()
            };
            let why = why_invalid(
                kind,
                kept,
                if kind == MK::Phone { region } else { None },
                today(),
            );
            assert_eq!(why, None, "{raw:?} -> {kept:?} in {region:?}");
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]

        #[test]
        fn phones_validation_passes_are_evidence(
            s in "[ +(]{0,2}[0-9]{0,4}[ ()./-]{0,2}[0-9]{0,12}",
            region in proptest::sample::select(vec![None, Some("CN"), Some("US"), Some("GB"), Some("DE"), Some("HK")]),
            default in proptest::sample::select(vec![None, Some("CN"), Some("GB")]),
        ) {
            passed_by_validation_is_evidence(MK::Phone, "mobile", &s, region, default);
        }

        #[test]
        fn emails_validation_passes_are_evidence(
            s in "[ ]?[A-Za-z0-9._%+\"@-]{0,12}@{1,2}[A-Za-z0-9.\\[\\]-]{0,12}(\\.[a-zA-Z]{2,4})?[ ]?",
        ) {
            passed_by_validation_is_evidence(MK::Email, "email", &s, None, None);
        }

        #[test]
        fn birth_dates_validation_passes_are_evidence(
            s in "(1[89]|20|21)[0-9]{2}[-/.]?[01]?[0-9][-/.]?[0-3]?[0-9]|[0-3]?[0-9][-/.][01]?[0-9][-/.](19|20)?[0-9]{2}",
        ) {
            passed_by_validation_is_evidence(MK::Date, "birth_date", &s, None, None);
        }
    }
}
