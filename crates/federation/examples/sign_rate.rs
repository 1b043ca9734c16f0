//! How fast a node signs and verifies record versions (issue 15): the
//! cost each write pays once the node holds its key, and what a pulling
//! node pays to verify. `cargo run --release -p coalesce-federation
//! --example sign_rate [N]` prints versions per second for N versions
//! (default 20,000) shaped like a note.

use coalesce_federation::{signed_version, NodeKey};
use std::time::Instant;

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(20_000);
    let key = NodeKey::from_seed([7; 32]);
    let public = key.public();
    let rel_to = vec!["GBR".to_string(), "GROUP:small-group".to_string()];
    let payloads: Vec<serde_json::Value> = (0..n)
        .map(|i| {
            let body = serde_json::json!({
                "title": format!("Report {i} on the flow of foreign fighters"),
                "body": "A multinational task force will share more information about the flow of foreign fighters into Syria and from Syria into Iraq.",
                "group": null,
            });
            signed_version(
                &format!("0190a0a0-0000-7000-8000-{i:012x}"),
                "note",
                "USA",
                "0190a0a0-0000-7000-8000-000000000001",
                1,
                "live",
                "AMBER",
                &rel_to,
                &body,
                1_733_300_000_000 + i as i64,
            )
        })
        .collect();
    let t = Instant::now();
    let signatures: Vec<String> = payloads
        .iter()
        .map(|p| key.sign_json(p).expect("sign"))
        .collect();
    let sign = t.elapsed();
    let t = Instant::now();
    for (p, s) in payloads.iter().zip(&signatures) {
        public.verify_json(p, s).expect("verifies");
    }
    let verify = t.elapsed();
    let rate = |d: std::time::Duration| n as f64 / d.as_secs_f64();
    println!(
        "{n} versions: canonical form + Ed25519 sign {:.0}/s ({:.1} µs each), verify {:.0}/s ({:.1} µs each)",
        rate(sign),
        sign.as_secs_f64() * 1e6 / n as f64,
        rate(verify),
        verify.as_secs_f64() * 1e6 / n as f64
    );
}
