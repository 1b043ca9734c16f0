//! OFAC's SDN files (sdn.csv, alt.csv, add.csv): the input is split into
//! the three files at 0xFF bytes.
#![no_main]
use libfuzzer_sys::fuzz_target;

fn text(part: Option<&[u8]>) -> Option<&str> {
    std::str::from_utf8(part.unwrap_or_default()).ok()
}

fuzz_target!(|data: &[u8]| {
    let mut parts = data.splitn(3, |b| *b == 0xFF);
    let (sdn, alt, add) = (parts.next(), parts.next(), parts.next());
    if let (Some(sdn), Some(alt), Some(add)) = (text(sdn), text(alt), text(add)) {
        let _ = coalesce_screen::ofac::parse_ofac_csv(sdn, alt, add, Some("2026-01-01"));
    }
});
