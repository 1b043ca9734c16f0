//! DIMACS min-cost flow files: parsed, and solved when small enough to
//! solve within the fuzzer's time per input.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(p) = coalesce_allocate::parse_dimacs(text) {
        if p.supply.len() <= 2_000 && p.arcs.len() <= 20_000 {
            let _ = coalesce_allocate::min_cost_flow(&p);
        }
    }
});
