//! CSV with HXL hashtags: requirements, contributions and indicator values
//! (the first byte chooses which importer reads the rest).
#![no_main]
use coalesce_exchange::hxl;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((which, csv)) = data.split_first() else {
        return;
    };
    match which % 3 {
        0 => {
            let _ = hxl::requirements_from_hxl(csv);
        }
        1 => {
            let _ = hxl::contributions_from_hxl(csv);
        }
        _ => {
            let _ = hxl::indicator_values_from_hxl(csv);
        }
    }
});
