//! Arbitrary text through the date parser, the phone and email normalizers and the resident-ID checker:
//! no panic, and normalizing the normalized value changes nothing.
#![no_main]
use libfuzzer_sys::fuzz_target;
use steward::fields::{cn_id, date, email, phone};

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 1).unwrap();
    for day_first in [false, true] {
        let opts = date::DateOptions {
            day_first,
            today,
            birth: false,
            future_ok: true,
        };
        let d = date::check_date(s, &opts);
        assert_eq!(date::check_date(&d.value, &opts).value, d.value);
        let _ = date::check_datetime(s, &opts);
    }
    for region in [None, Some("CN"), Some("US"), Some("GB")] {
        let p = phone::check_phone(s, region);
        assert_eq!(phone::check_phone(&p.value, region).value, p.value);
    }
    let e = email::check_email(s);
    assert_eq!(email::check_email(&e.value).value, e.value);
    let (c, _) = cn_id::check_cn_id(s, today);
    assert_eq!(cn_id::check_cn_id(&c.value, today).0.value, c.value);
});
