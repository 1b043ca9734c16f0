//! FollowTheMoney entity files (OpenSanctions' lists: one JSON entity a line).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = coalesce_screen::ftm::parse_ftm_json(text, "eu_fsf", None);
    }
});
