//! Arbitrary text as a steward schema (TOML) and as a Frictionless Table Schema (JSON): an error naming
//! the place, or a schema, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use steward::schema::Schema;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    let _ = Schema::from_toml_str(s, "fuzz.toml");
    let _ = Schema::from_json_str(s, "fuzz.json");
});
