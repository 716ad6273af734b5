//! Arbitrary bytes as xlsx, xls and ods workbooks: a clear error or rows, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use steward::io::{open_bytes, InputFormat, ReadOptions, SheetSelector};

fuzz_target!(|data: &[u8]| {
    for (name, format) in [
        ("f.xlsx", InputFormat::Xlsx),
        ("f.xls", InputFormat::Xls),
        ("f.ods", InputFormat::Ods),
    ] {
        let opts = ReadOptions {
            format: Some(format),
            sheet: SheetSelector::All,
            ..Default::default()
        };
        if let Ok(sources) = open_bytes(data.to_vec(), name, &opts) {
            for s in &sources {
                let _ = s.for_each(|_| Ok(()));
            }
        }
    }
});
