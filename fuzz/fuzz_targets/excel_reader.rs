//! Arbitrary bytes as xlsx, xls and ods workbooks: a clear error or rows, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use steward::io::{open_bytes, InputFormat, ReadOptions, SheetSelector};

static QUIET: std::sync::Once = std::sync::Once::new();

fuzz_target!(|data: &[u8]| {
    // steward catches panics inside the workbook parsers (calamine) and reports a damaged file; libFuzzer's
    // own hook would abort on those caught panics. Panics that escape steward still fail the target.
    QUIET.call_once(|| std::panic::set_hook(Box::new(|_| {})));
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
