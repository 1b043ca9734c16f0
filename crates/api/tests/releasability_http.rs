//! Releasability through the HTTP read paths: random markings and group
//! memberships; for every user, `GET /notes` (walked page by page),
//! `/notes/count`, `/notes/{id}` and `/notes/{id}/versions` show exactly the
//! notes whose audience holds the user's member (oracle: `Marking::readable_by`).

mod common;

use axum::http::{Method, StatusCode};
use coalesce_domain::{Marking, MemberCode, Slug, Viewer};
use common::App;
use proptest::prelude::*;
use serde_json::{json, Value};
use std::collections::BTreeSet;

/// Status and JSON body of one request.
async fn call(
    app: &App,
    method: Method,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let r = app.send(method, path, token, body).await;
    (r.status, r.json)
}

const USERS: [(&str, &str); 4] = [
    ("usa", "USA"),
    ("gbr", "GBR"),
    ("fra", "FRA"),
    ("irq", "IRQ"),
];
const TOKENS: [&str; 6] = ["USA", "GBR", "FRA", "IRQ", "GROUP:small-group", "COALITION"];

async fn check(
    records: Vec<(usize, usize, Vec<usize>)>,
    small_group_has_fra: bool,
) -> Result<(), TestCaseError> {
    let app = App::seeded().await;
    let mut tokens = vec![];
    for (u, _) in USERS {
        tokens.push(app.login(u).await);
    }
    if small_group_has_fra {
        let (s, _) = call(
            &app,
            Method::PUT,
            "/api/v1/groups/small-group/members",
            Some(&tokens[0]),
            Some(json!({"members": ["USA", "GBR", "FRA"]})),
        )
        .await;
        prop_assert_eq!(s, StatusCode::OK);
    }
    let mut created = vec![];
    for (origin, tlp, rel) in &records {
        let rel_to: Vec<&str> = rel.iter().map(|i| TOKENS[*i]).collect();
        let tlp = ["CLEAR", "GREEN", "AMBER", "AMBER+STRICT", "RED"][*tlp];
        let (s, n) = call(
            &app,
            Method::POST,
            "/api/v1/notes",
            Some(&tokens[*origin]),
            Some(json!({"title": "t", "marking": {"tlp": tlp, "rel_to": rel_to}})),
        )
        .await;
        prop_assert_eq!(s, StatusCode::CREATED, "{}", n);
        let marking = Marking::parse(
            tlp,
            &rel_to.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
        )
        .expect("marking");
        created.push((
            n["id"].as_str().expect("id").to_string(),
            MemberCode::parse(USERS[*origin].1).expect("code"),
            marking,
        ));
    }
    for (ui, (_, code)) in USERS.iter().enumerate() {
        let t = &tokens[ui];
        let mut groups = BTreeSet::new();
        if *code == "USA" || *code == "GBR" || (*code == "FRA" && small_group_has_fra) {
            groups.insert(Slug::parse("small-group").expect("slug"));
        }
        let viewer = Viewer {
            member: MemberCode::parse(code).expect("code"),
            groups,
        };
        let want: BTreeSet<String> = created
            .iter()
            .filter(|(_, o, m)| m.readable_by(o, &viewer))
            .map(|(id, ..)| id.clone())
            .collect();
        let mut seen = BTreeSet::new();
        let mut cursor: Option<String> = None;
        loop {
            let path = match &cursor {
                Some(c) => format!("/api/v1/notes?limit=2&cursor={c}"),
                None => "/api/v1/notes?limit=2".to_string(),
            };
            let (_, page) = call(&app, Method::GET, &path, Some(t), None).await;
            for n in page["items"].as_array().expect("items") {
                seen.insert(n["id"].as_str().expect("id").to_string());
            }
            match page["next"].as_str() {
                Some(c) => cursor = Some(c.to_string()),
                None => break,
            }
        }
        prop_assert_eq!(&seen, &want, "list for {}", code);
        let (_, count) = call(&app, Method::GET, "/api/v1/notes/count", Some(t), None).await;
        prop_assert_eq!(count["count"].as_u64(), Some(want.len() as u64));
        for (id, ..) in &created {
            let expect = if want.contains(id) {
                StatusCode::OK
            } else {
                StatusCode::NOT_FOUND
            };
            prop_assert_eq!(
                call(
                    &app,
                    Method::GET,
                    &format!("/api/v1/notes/{id}"),
                    Some(t),
                    None
                )
                .await
                .0,
                expect,
                "get {} as {}",
                id,
                code
            );
            prop_assert_eq!(
                call(
                    &app,
                    Method::GET,
                    &format!("/api/v1/notes/{id}/versions"),
                    Some(t),
                    None
                )
                .await
                .0,
                expect
            );
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, failure_persistence: None, ..ProptestConfig::default() })]
    #[test]
    fn http_read_paths_honour_the_audience(
        records in prop::collection::vec((0..4usize, 0..5usize, prop::collection::vec(0..6usize, 0..3)), 0..10),
        fra_in_group in any::<bool>(),
    ) {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
        rt.block_on(check(records, fra_in_group))?;
    }
}
