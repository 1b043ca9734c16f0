//! The EU's Financial Sanctions Files XML.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = coalesce_screen::eu::parse_eu_xml(text);
    }
});
