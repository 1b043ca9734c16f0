//! Writes a representative IATI 2.03 export to stdout, for schema
//! validation: `cargo run -q -p coalesce-exchange --example iati_sample >
//! /tmp/x.xml && python3 tests/iati/validate.py /tmp/x.xml`.

#[path = "../tests/common/mod.rs"]
mod common;

use coalesce_exchange::iati::{iati_activities, IatiOptions};
use std::io::Write;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let requirements = common::requirements();
    let names = common::member_names();
    let funds = common::funds();
    let options = IatiOptions {
        member_names: &names,
        requirements: &requirements,
        funds: &funds,
        ..IatiOptions::default()
    };
    let doc = iati_activities(&common::contributions(), "2015-06-01T12:00:00Z", &options)?;
    std::io::stdout().write_all(doc.as_bytes())?;
    Ok(())
}
