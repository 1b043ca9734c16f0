//! The UK's consolidated list (OFSI's ConList.csv).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = coalesce_screen::uk::parse_uk_csv(text);
    }
});
