//! The UN Security Council consolidated list's XML: any bytes give a list
//! or an error, never a panic, a hang or unbounded memory.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(xml) = std::str::from_utf8(data) {
        let _ = coalesce_screen::un::parse_un_xml(xml);
    }
});
