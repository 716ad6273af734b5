//! Arbitrary bytes through encoding and delimiter sniffing and the CSV reader, strict and lenient:
//! an error is fine, a panic is not; in lenient mode every record is a row or a reject.
#![no_main]
use libfuzzer_sys::fuzz_target;
use steward::io::{open_bytes, Item, ReadOptions};

fuzz_target!(|data: &[u8]| {
    for lenient in [false, true] {
        let opts = ReadOptions {
            lenient,
            ..Default::default()
        };
        if let Ok(sources) = open_bytes(data.to_vec(), "fuzz.csv", &opts) {
            for s in &sources {
                let _ = s.for_each(|item| {
                    if let Item::Row(r) = item {
                        assert_eq!(r.fields.len(), s.info.headers.len());
                    }
                    Ok(())
                });
            }
        }
    }
});
