//! STIX 2.1 objects as a bundle or TAXII envelope brings them: every object
//! of a JSON document is checked as the node checks what it imports.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(v) = serde_json::from_slice::<serde_json::Value>(data) else {
        return;
    };
    let objects = match &v {
        serde_json::Value::Array(a) => a.clone(),
        serde_json::Value::Object(o) => match o.get("objects") {
            Some(serde_json::Value::Array(a)) => a.clone(),
            _ => vec![v.clone()],
        },
        _ => return,
    };
    for o in &objects {
        let _ = coalesce_exchange::stix_in::check_object(o);
        let _ = coalesce_exchange::stix_in::rel_to_in_definition(o);
        let _ = coalesce_exchange::stix_in::marking_kind_of_definition(o);
    }
});
