//! Arbitrary text as a job file (`steward run`) and as a pseudonymization policy file: an error naming the
//! place, or a value, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    let _ = steward::job::parse_job(s, "fuzz.toml");
    let _ = toml::from_str::<steward::privacy::policy::PolicyFile>(s);
});
