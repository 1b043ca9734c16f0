//! The leaks and defects listed by the record-layer issue, each a test that
//! failed before its fix: unknown REL TO tokens, a withdrawn report brought
//! back by a racing update, the `?entity=` oracle, typed conflicts, marked
//! responses kept by caches, content in the audit log and who reads it.
//! SQLite by default, PostgreSQL when COALESCE_TEST_POSTGRES is set.

mod common;

use axum::http::{header, Method, StatusCode};
use common::{assert_problem, get, ids, post, put, App};
use serde_json::{json, Value};

fn note(rel_to: &[&str]) -> Value {
    json!({"title": "Amerli", "body": "Airdrop plan", "marking": {"tlp": "AMBER", "rel_to": rel_to}})
}

fn requirement(rel_to: &[&str]) -> Value {
    json!({
        "title": "Protective equipment",
        "requesting_member": "IRQ",
        "line_of_effort": "humanitarian",
        "category": "protective-equipment",
        "measure": {"quantity": 12, "unit": "brigade-set"},
        "place": {"country": "IRQ", "town": "Amerli"},
        "window": {"start": "2014-10-01", "end": "2015-03-31"},
        "priority": 1,
        "marking": {"tlp": "GREEN", "rel_to": rel_to}
    })
}

fn report(rel_to: &[&str], title: &str) -> Value {
    json!({"kind": "situation-report", "title": title, "body": "Shelling reported overnight.",
           "marking": {"tlp": "GREEN", "rel_to": rel_to}})
}

/// Leak 7: a REL TO token naming no member or group is a typo that sends
/// data nowhere or to the wrong place later; every kind refuses it with a
/// 422 naming the token, and nothing is written.
#[tokio::test]
async fn unknown_audience_tokens_are_refused_naming_the_token() {
    let app = App::seeded().await;
    let (usa, irq) = (app.login("usa").await, app.login("irq").await);
    let bad = ["XXX", "GRB", "XX", "GROUP:nonexistent", "GROUP:future-grp"];
    for token in bad {
        for (path, who, body) in [
            ("/notes", &usa, note(&["GBR", token])),
            ("/requirements", &irq, requirement(&[token])),
            ("/reports", &usa, report(&[token], "Amerli sitrep")),
        ] {
            let r = post(&app, path, who, body).await;
            assert_problem(
                &r,
                StatusCode::UNPROCESSABLE_ENTITY,
                "unknown_audience_token",
            );
            assert!(
                r.json["detail"].as_str().unwrap_or("").contains(token),
                "{path} {token}: {}",
                r.json
            );
        }
    }
    assert_eq!(get(&app, "/notes/count", &usa).await.json["count"], 0);
    assert_eq!(get(&app, "/reports/count", &usa).await.json["count"], 0);
    assert!(ids(&get(&app, "/requirements", &irq).await).is_empty());

    // A change to an unknown token is refused too and leaves the note as it was.
    let n = post(&app, "/notes", &usa, note(&["GBR"])).await;
    assert_eq!(n.status, StatusCode::CREATED, "{}", n.json);
    let id = n.json["id"].as_str().expect("id");
    let r = put(
        &app,
        &format!("/notes/{id}"),
        &usa,
        note(&["GROUP:future-grp"]),
    )
    .await;
    assert_problem(
        &r,
        StatusCode::UNPROCESSABLE_ENTITY,
        "unknown_audience_token",
    );
    let now = get(&app, &format!("/notes/{id}"), &usa).await;
    assert_eq!(now.json["version"], 1, "{} {}", now.status, now.json);
    assert_eq!(now.json["marking"]["rel_to"], json!(["GBR"]));

    // Known members and groups still work.
    let ok = post(
        &app,
        "/notes",
        &usa,
        note(&["GBR", "FRA", "GROUP:small-group"]),
    )
    .await;
    assert_eq!(ok.status, StatusCode::CREATED, "{}", ok.json);
}

/// Leak 8: listing reports about an entity the reader cannot read answers
/// exactly as for an id that does not exist.
#[tokio::test]
async fn reports_about_a_hidden_entity_are_no_oracle() {
    let app = App::seeded().await;
    let (usa, fra) = (app.login("usa").await, app.login("fra").await);
    let e = post(
        &app,
        "/entities",
        &usa,
        json!({"kind": "person", "name": "Abu Talha al-Almani", "marking": {"tlp": "AMBER", "rel_to": []}}),
    )
    .await;
    assert_eq!(e.status, StatusCode::CREATED, "{}", e.json);
    let eid = e.json["id"].as_str().expect("id").to_string();
    let mut body = report(&["COALITION"], "Travel seen at Gaziantep");
    body["entities"] = json!([{"id": eid, "role": "traveller"}]);
    let r = post(&app, "/reports", &usa, body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
    // The report is readable by FRA, the entity is not.
    assert_eq!(ids(&get(&app, "/reports", &fra).await).len(), 1);
    let hidden = get(&app, &format!("/reports?entity={eid}"), &fra).await;
    let random = get(
        &app,
        "/reports?entity=01900000-0000-7000-8000-000000000000",
        &fra,
    )
    .await;
    assert_eq!(hidden.status, random.status);
    assert_eq!(hidden.json, random.json);
    // The origin still finds it.
    assert_eq!(
        ids(&get(&app, &format!("/reports?entity={eid}"), &usa).await).len(),
        1
    );
}

/// Leak 5: a report withdrawn while another request changes it stays
/// withdrawn: the change gets a 409 (or a 404 once the withdrawal is
/// visible), and neither the report nor its words come back.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_withdrawn_report_never_comes_back_through_a_racing_update() {
    let app = App::seeded().await;
    let usa = app.login("usa").await;
    for round in 0..12 {
        let title = format!("Checkpoint{round} sitrep");
        let r = post(&app, "/reports", &usa, report(&["COALITION"], &title)).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
        let id = r.json["id"].as_str().expect("id").to_string();
        let (a1, a2) = (app.clone(), app.clone());
        let (t1, t2) = (usa.clone(), usa.clone());
        let (i1, i2) = (id.clone(), id.clone());
        let edit = {
            let mut b = report(&["COALITION"], &format!("Checkpoint{round} corrected"));
            b["if_version"] = json!(1);
            b
        };
        let update =
            tokio::spawn(
                async move { put(&a1, &format!("/reports/{i1}"), &t1, edit).await.status },
            );
        let withdraw = tokio::spawn(async move {
            a2.send(
                Method::DELETE,
                &format!("/api/v1/reports/{i2}"),
                Some(&t2),
                None,
            )
            .await
            .status
        });
        let (u, w) = (
            update.await.expect("update"),
            withdraw.await.expect("withdraw"),
        );
        assert!(w.is_success(), "round {round}: withdraw {w}");
        assert!(
            u.is_success() || u == StatusCode::CONFLICT || u == StatusCode::NOT_FOUND,
            "round {round}: update {u}"
        );
        assert_eq!(
            get(&app, &format!("/reports/{id}"), &usa).await.status,
            StatusCode::NOT_FOUND,
            "round {round}"
        );
        for q in [format!("Checkpoint{round}"), "corrected".to_string()] {
            let s = get(&app, &format!("/search?q={q}"), &usa).await;
            assert!(
                !s.json.to_string().contains(&id),
                "round {round}: search {q} finds the withdrawn report: {}",
                s.json
            );
        }
        assert!(!ids(&get(&app, "/reports", &usa).await).contains(&id));
    }
}

/// Conflicts carry a typed code: a stale `if_version` is `version_conflict`
/// naming the current version; a change to a withdrawn record is
/// `already_withdrawn`.
#[tokio::test]
async fn conflicts_are_typed() {
    let app = App::seeded().await;
    let usa = app.login("usa").await;
    let n = post(&app, "/notes", &usa, note(&["GBR"])).await;
    let id = n.json["id"].as_str().expect("id").to_string();
    let mut edit = note(&["GBR"]);
    edit["if_version"] = json!(1);
    assert_eq!(
        put(&app, &format!("/notes/{id}"), &usa, edit.clone())
            .await
            .status,
        StatusCode::OK
    );
    let stale = put(&app, &format!("/notes/{id}"), &usa, edit).await;
    assert_problem(&stale, StatusCode::CONFLICT, "version_conflict");
    assert!(stale.json["detail"].as_str().unwrap_or("").contains('2'));
    assert_eq!(stale.json["current_version"], 2, "{}", stale.json);
    let del = app
        .send(
            Method::DELETE,
            &format!("/api/v1/notes/{id}"),
            Some(&usa),
            None,
        )
        .await;
    assert_eq!(del.status, StatusCode::OK);
    let again = put(&app, &format!("/notes/{id}"), &usa, note(&["GBR"])).await;
    assert_problem(&again, StatusCode::CONFLICT, "already_withdrawn");
    // The OpenAPI document names the codes.
    let doc = coalesce_api::openapi_json();
    for code in [
        "version_conflict",
        "already_withdrawn",
        "invalid_transition",
        "duplicate_id",
    ] {
        assert!(doc.contains(code), "openapi lacks {code}");
    }
}

/// Responses of an authenticated caller are never kept by a browser or a
/// proxy cache: they may hold AMBER or RED content.
#[tokio::test]
async fn marked_content_is_not_cached() {
    let app = App::seeded().await;
    let usa = app.login("usa").await;
    let n = post(&app, "/notes", &usa, note(&["GBR"])).await;
    let id = n.json["id"].as_str().expect("id");
    for path in [format!("/notes/{id}"), "/notes".into(), "/me".into()] {
        let r = get(&app, &path, &usa).await;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(
            r.headers
                .get(header::CACHE_CONTROL)
                .and_then(|v| v.to_str().ok()),
            Some("no-store"),
            "{path}"
        );
    }
}

/// Leak 4: the audit log names actions, kinds, ids and versions, never
/// content; an administrator reads entries about records its member may
/// read, its own member's actions and operational entries — not another
/// member's work on records released elsewhere.
#[tokio::test]
async fn the_audit_log_holds_no_content_and_shows_only_what_the_reader_may_see() {
    let app = App::seeded().await;
    let (usa, fra, admin) = (
        app.login("usa").await,
        app.login("fra").await,
        app.login("admin").await,
    );
    // FRA's own note, released to nobody else.
    let secret = post(
        &app,
        "/notes",
        &fra,
        json!({"title": "Zanzibar title", "body": "Quixotic body", "marking": {"tlp": "RED", "rel_to": []}}),
    )
    .await;
    assert_eq!(secret.status, StatusCode::CREATED, "{}", secret.json);
    let fra_note = secret.json["id"].as_str().expect("id").to_string();
    let shared = post(&app, "/notes", &usa, note(&["GBR"])).await;
    let usa_note = shared.json["id"].as_str().expect("id").to_string();
    let r = get(&app, "/audit?limit=500", &admin).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    let text = r.json.to_string();
    assert!(!text.contains("Zanzibar") && !text.contains("Quixotic"));
    let subjects: Vec<&str> = r.json["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|e| e["subject"].as_str())
        .collect();
    assert!(
        !subjects.contains(&fra_note.as_str()),
        "USA's admin sees FRA's note in the audit log"
    );
    assert!(subjects.contains(&usa_note.as_str()));
    // Operational entries (logins) are the operator's to see.
    assert!(r.json["items"]
        .as_array()
        .expect("items")
        .iter()
        .any(|e| e["action"] == "login"));
    // No entry anywhere carries a title or a body, whoever reads it.
    let all = app
        .state
        .store
        .audit_entries(None, 1000)
        .await
        .expect("all");
    for e in all {
        assert!(
            !e.detail.contains("Zanzibar") && !e.detail.contains("Amerli"),
            "{} carries content: {}",
            e.action,
            e.detail
        );
    }
}

/// An administrator creates users of its own member only; creating one for
/// another member needs the secretariat grant of the registry (the
/// `secretariat` setting, itself audited).
#[tokio::test]
async fn an_administrator_creates_users_of_its_own_member_only() {
    use coalesce_domain::{MemberCode, Role, Username};
    use coalesce_store::{Principal, StoreError};
    let state = common::seeded_state().await;
    let store = &state.store;
    let admin_of = |member: &str| Principal {
        user_id: "x".into(),
        username: Username::parse(&format!("{}-admin", member.to_lowercase())).expect("u"),
        member: MemberCode::parse(member).expect("m"),
        role: Role::Admin,
    };
    let pw = "a long enough passphrase";
    let r = store
        .create_user(Some(&admin_of("GBR")), "fra-desk", "FRA", "contributor", pw)
        .await;
    assert!(matches!(r, Err(StoreError::Forbidden(_))), "{r:?}");
    store
        .create_user(Some(&admin_of("GBR")), "gbr-desk", "GBR", "contributor", pw)
        .await
        .expect("own member");
    // USA is the secretariat in the seeded registry.
    store
        .create_user(Some(&admin_of("USA")), "fra-desk", "FRA", "contributor", pw)
        .await
        .expect("secretariat admin");
    let users = store.list_users().await.expect("users");
    assert!(users
        .iter()
        .any(|u| u.username == "fra-desk" && u.member == "FRA"));
}

/// The text of a GET (CSV, XML and JSON alike).
async fn text(app: &App, path: &str, token: &str) -> String {
    let req = axum::http::Request::builder()
        .uri(format!("/api/v1{path}"))
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(axum::body::Body::empty())
        .expect("request");
    let (status, _, body) = app.raw_text(req).await;
    assert!(status.is_success(), "{path}: {status} {body}");
    body
}

/// Leak 1: a contribution released to the whole coalition against a
/// requirement released to IRQ and USA only does not carry the
/// requirement's town to other readers — not in its JSON, its versions,
/// the totals by country, CSV/HXL or IATI — and a reader of both still
/// sees it. Narrowing the requirement later takes the town away too.
#[tokio::test]
async fn a_contribution_never_carries_its_requirements_place_outside_its_audience() {
    let app = App::seeded().await;
    let (usa, fra, irq) = (
        app.login("usa").await,
        app.login("fra").await,
        app.login("irq").await,
    );
    let mut req = requirement(&["USA"]);
    req["place"] = json!({"country": "IRQ", "town": "Qaryat Sirrit"});
    let r = post(&app, "/requirements", &irq, req).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
    let rid = r.json["id"].as_str().expect("id").to_string();
    let c = post(
        &app,
        "/contributions",
        &usa,
        json!({"title": "Helmets", "contributors": ["USA"], "requirement_id": rid,
               "measure": {"quantity": 4, "unit": "brigade-set"},
               "marking": {"tlp": "GREEN", "rel_to": ["COALITION"]}}),
    )
    .await;
    assert_eq!(c.status, StatusCode::CREATED, "{}", c.json);
    let cid = c.json["id"].as_str().expect("id").to_string();
    // A reader of both sees the requirement's place on the contribution.
    let seen = get(&app, &format!("/contributions/{cid}"), &usa).await;
    assert_eq!(seen.json["place"]["town"], "Qaryat Sirrit", "{}", seen.json);
    assert_eq!(seen.json["window"]["start"], "2014-10-01");
    // FRA reads the contribution, not the requirement: nowhere the town.
    let fra_paths = [
        format!("/contributions/{cid}"),
        format!("/contributions/{cid}/versions"),
        "/contributions".to_string(),
        "/picture/totals?by=country".to_string(),
        "/picture/totals?by=country&country=IRQ".to_string(),
        "/contributions?country=IRQ".to_string(),
        "/export/contributions.csv".to_string(),
        "/export/iati.xml".to_string(),
    ];
    for path in &fra_paths {
        let body = text(&app, path, &fra).await;
        assert!(
            !body.contains("Qaryat Sirrit") && !body.contains("2014-10-01"),
            "FRA sees the requirement's place or window in {path}: {body}"
        );
    }
    let own = get(&app, &format!("/contributions/{cid}"), &fra).await;
    assert!(own.json["place"].is_null(), "{}", own.json);
    assert_eq!(own.json["place_from_requirement"], true);
    assert!(ids(&get(&app, "/contributions?country=IRQ", &fra).await).is_empty());
    assert_eq!(
        ids(&get(&app, "/contributions?country=IRQ", &usa).await),
        std::slice::from_ref(&cid)
    );
    // The requirement narrowed to IRQ alone: USA loses the town as well,
    // in the contribution and in the figures kept per reader.
    let mut narrower = requirement(&[]);
    narrower["place"] = json!({"country": "IRQ", "town": "Qaryat Sirrit"});
    let u = put(&app, &format!("/requirements/{rid}"), &irq, narrower).await;
    assert_eq!(u.status, StatusCode::OK, "{}", u.json);
    for path in [
        format!("/contributions/{cid}"),
        "/picture/totals?by=country".into(),
    ] {
        let body = text(&app, &path, &usa).await;
        assert!(
            !body.contains("Qaryat Sirrit") && !body.contains("\"IRQ\""),
            "{path}: {body}"
        );
    }
}

/// Leak 2: an allocation run is a marked record (its member's, TLP:AMBER),
/// and what it says about requirements and offers is read through their
/// audience when the run is read: a requirement narrowed after the run no
/// longer shows in the run's gaps to a member that cannot read it now.
#[tokio::test]
async fn an_allocation_run_shows_only_what_its_reader_may_read_now() {
    let app = App::seeded().await;
    let (usa, irq, gbr) = (
        app.login("usa").await,
        app.login("irq").await,
        app.login("gbr").await,
    );
    let mut req = requirement(&["USA"]);
    req["title"] = json!("Mine clearing kits for Sinjar");
    let r = post(&app, "/requirements", &irq, req.clone()).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
    let rid = r.json["id"].as_str().expect("id").to_string();
    let run = post(&app, "/allocations", &usa, json!({})).await;
    assert_eq!(run.status, StatusCode::CREATED, "{}", run.json);
    let run_id = run.json["id"].as_str().expect("id").to_string();
    assert!(
        run.json["gaps"].to_string().contains("Sinjar"),
        "{}",
        run.json
    );
    // The run is USA's: another member does not find it.
    let other = get(&app, &format!("/allocations/{run_id}"), &gbr).await;
    assert_eq!(other.status, StatusCode::NOT_FOUND);
    // IRQ narrows the requirement to itself: USA's run no longer shows it.
    let mut narrower = req;
    narrower["marking"] = json!({"tlp": "GREEN", "rel_to": []});
    let u = put(&app, &format!("/requirements/{rid}"), &irq, narrower).await;
    assert_eq!(u.status, StatusCode::OK, "{}", u.json);
    let again = get(&app, &format!("/allocations/{run_id}"), &usa).await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.json);
    assert!(
        !again.json.to_string().contains("Sinjar") && !again.json.to_string().contains(&rid),
        "{}",
        again.json
    );
    // Its totals are over what USA may read now.
    assert_eq!(
        (
            again.json["requirements"].clone(),
            again.json["requested"].clone()
        ),
        (json!(0), json!(0))
    );
    assert!(again.json["compatible_pairs"].is_null());
    // Its STIX form follows the same rule (it was written with the gap).
    let stix = get(&app, &format!("/allocations/{run_id}/stix"), &usa).await;
    assert_eq!(stix.status, StatusCode::OK, "{}", stix.json);
    let text = stix.json.to_string();
    assert!(text.contains("x-coalesce-allocation-run"), "{text}");
    assert!(
        !text.contains("Sinjar") && !text.contains(&rid) && !text.contains("compatible_pairs"),
        "{text}"
    );
    assert_eq!(
        get(&app, &format!("/allocations/{run_id}/stix"), &gbr)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // Before the narrowing the kept totals were shown.
    assert_eq!(
        (
            run.json["requirements"].clone(),
            run.json["requested"].clone()
        ),
        (json!(1), json!(12))
    );
}

/// Login limiting cannot be turned against a user: failures slow the
/// client that makes them (per account and client, per client), shared by
/// every process serving the database; a correct password from a client
/// that has not failed still works; X-Forwarded-For counts only from a
/// configured proxy.
#[tokio::test]
async fn failed_logins_slow_the_attacker_not_the_user() {
    use axum::extract::ConnectInfo;
    use std::net::SocketAddr;
    let state = common::seeded_state().await;
    let app = App::with_state(state.clone());
    let login = |app: &App, from: &str, forwarded: Option<&str>, password: &str| {
        let mut b = axum::http::Request::builder()
            .method(Method::POST)
            .uri("/api/v1/auth/login")
            .header(header::CONTENT_TYPE, "application/json");
        if let Some(f) = forwarded {
            b = b.header("x-forwarded-for", f);
        }
        let mut req = b
            .body(axum::body::Body::from(
                json!({"username": "fra", "password": password}).to_string(),
            ))
            .expect("request");
        let peer: SocketAddr = format!("{from}:40000").parse().expect("addr");
        req.extensions_mut().insert(ConnectInfo(peer));
        let app = app.clone();
        async move { app.raw(req).await }
    };
    let right = coalesce_store::testing::SEED_PASSWORD;
    // An attacker at 203.0.113.7 guesses: five tries, then it is slowed.
    for _ in 0..5 {
        let r = login(&app, "203.0.113.7", None, "guess guess guess").await;
        assert_problem(&r, StatusCode::UNAUTHORIZED, "invalid_credentials");
    }
    let r = login(&app, "203.0.113.7", None, "guess guess guess").await;
    assert_problem(&r, StatusCode::TOO_MANY_REQUESTS, "rate_limited");
    let wait: u64 = r.headers[header::RETRY_AFTER]
        .to_str()
        .expect("retry")
        .parse()
        .expect("seconds");
    assert!((1..=900).contains(&wait), "{wait}");
    // Even the right password from the attacker's client waits.
    let r = login(&app, "203.0.113.7", None, right).await;
    assert_problem(&r, StatusCode::TOO_MANY_REQUESTS, "rate_limited");
    // The real user, elsewhere, logs in.
    let r = login(&app, "198.51.100.9", None, right).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    // A forwarded address from a peer that is not a trusted proxy is ignored.
    let r = login(&app, "203.0.113.7", Some("198.51.100.20"), right).await;
    assert_problem(&r, StatusCode::TOO_MANY_REQUESTS, "rate_limited");
    // Another process serving the same database knows the attacker too.
    let other = App::with_state(coalesce_api::AppState::new(state.store.clone()));
    let r = login(&other, "203.0.113.7", None, right).await;
    assert_problem(&r, StatusCode::TOO_MANY_REQUESTS, "rate_limited");
    // Behind a trusted proxy, the forwarded client is the one counted.
    let mut proxied = coalesce_api::AppState::new(state.store.clone());
    proxied.trusted_proxies = std::sync::Arc::new(vec!["127.0.0.1".parse().expect("ip")]);
    let proxied = App::with_state(proxied);
    let r = login(&proxied, "127.0.0.1", Some("203.0.113.7"), right).await;
    assert_problem(&r, StatusCode::TOO_MANY_REQUESTS, "rate_limited");
    let r = login(
        &proxied,
        "127.0.0.1",
        Some("203.0.113.7, 198.51.100.44"),
        right,
    )
    .await;
    assert_eq!(
        r.status,
        StatusCode::OK,
        "the rightmost untrusted address counts: {}",
        r.json
    );
}

/// No record speaks for another member without its consent: a joint
/// contribution names the others as proposed co-contributors, who count
/// for it only once they confirm with their own act; a member the
/// contribution is not released to cannot be named.
#[tokio::test]
async fn a_joint_contribution_counts_for_a_member_only_once_it_confirms() {
    let app = App::seeded().await;
    let (usa, gbr, fra) = (
        app.login("usa").await,
        app.login("gbr").await,
        app.login("fra").await,
    );
    let joint = |members: &[&str], rel_to: &[&str]| {
        json!({"title": "Airdrop", "contributors": members, "line_of_effort": "humanitarian",
               "category": "humanitarian-supplies", "measure": {"quantity": 10, "unit": "bundle"},
               "place": {"country": "IRQ", "town": "Amerli"}, "window": {"start": "2014-08-30", "end": "2014-08-31"},
               "marking": {"tlp": "GREEN", "rel_to": rel_to}})
    };
    // FRA cannot be named on a contribution it may not read.
    let r = post(
        &app,
        "/contributions",
        &usa,
        joint(&["USA", "FRA"], &["GBR"]),
    )
    .await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY, "invalid_field");
    let c = post(
        &app,
        "/contributions",
        &usa,
        joint(&["USA", "GBR", "FRA"], &["COALITION"]),
    )
    .await;
    assert_eq!(c.status, StatusCode::CREATED, "{}", c.json);
    let id = c.json["id"].as_str().expect("id").to_string();
    assert_eq!(c.json["contributors"], json!(["USA"]));
    assert_eq!(c.json["proposed_contributors"], json!(["FRA", "GBR"]));
    let by_member = |app: &App, t: String| {
        let app = app.clone();
        async move {
            let r = get(&app, "/picture/totals?by=member", &t).await;
            r.json["items"]
                .as_array()
                .expect("items")
                .iter()
                .filter(|i| i["unit"] == "bundle")
                .map(|i| i["key"].as_str().unwrap_or("").to_string())
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(by_member(&app, usa.clone()).await, ["USA"]);
    // GBR confirms: its own act, the contribution keeps its version.
    let r = post(
        &app,
        &format!("/contributions/{id}/confirmation"),
        &gbr,
        json!({}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    assert_eq!(r.json["contributors"], json!(["GBR", "USA"]));
    assert_eq!(r.json["version"], 1);
    assert_eq!(by_member(&app, usa.clone()).await, ["GBR", "USA"]);
    let scanned = get(&app, "/picture/totals?by=member&member=FRA", &usa).await;
    assert!(
        !scanned.json.to_string().contains("bundle"),
        "{}",
        scanned.json
    );
    // Twice is a conflict; the origin cannot confirm for FRA.
    let again = post(
        &app,
        &format!("/contributions/{id}/confirmation"),
        &gbr,
        json!({}),
    )
    .await;
    assert_problem(&again, StatusCode::CONFLICT, "invalid_transition");
    let origin = post(
        &app,
        &format!("/contributions/{id}/confirmation"),
        &usa,
        json!({}),
    )
    .await;
    assert_problem(&origin, StatusCode::CONFLICT, "invalid_transition");
    let r = post(
        &app,
        &format!("/contributions/{id}/confirmation"),
        &fra,
        json!({}),
    )
    .await;
    assert_eq!(r.json["contributors"], json!(["FRA", "GBR", "USA"]));
    assert_eq!(by_member(&app, usa).await, ["FRA", "GBR", "USA"]);
}

/// No record speaks for another member without its consent: a requirement
/// recorded in another member's name waits for that member to confirm it
/// asks for it, and nothing is allocated to it until then.
#[tokio::test]
async fn a_requirement_in_another_members_name_waits_for_its_confirmation() {
    let app = App::seeded().await;
    let (usa, irq, fra) = (
        app.login("usa").await,
        app.login("irq").await,
        app.login("fra").await,
    );
    // USA records a need in IRQ's name; a GBR offer would meet it.
    let mut body = requirement(&["COALITION"]);
    body["category"] = json!("water");
    body["measure"] = json!({"quantity": 5, "unit": "tank"});
    body["window"] = json!({"start": "2015-04-01", "end": "2015-06-30"});
    let r = post(&app, "/requirements", &usa, body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
    assert_eq!(r.json["requester_confirmed"], false);
    let rid = r.json["id"].as_str().expect("id").to_string();
    let offer = post(
        &app,
        "/contributions",
        &app.login("gbr").await,
        json!({"title": "Tanks", "contributors": ["GBR"], "line_of_effort": "humanitarian", "category": "water",
               "measure": {"quantity": 5, "unit": "tank"}, "place": {"country": "IRQ"},
               "window": {"start": "2015-03-01", "end": "2015-05-31"},
               "marking": {"tlp": "GREEN", "rel_to": ["COALITION"]}}),
    )
    .await;
    assert_eq!(offer.status, StatusCode::CREATED, "{}", offer.json);
    let run = post(&app, "/allocations", &usa, json!({})).await;
    assert_eq!(run.json["requirements"], 0, "{}", run.json);
    assert_eq!(run.json["proposals"], json!([]));
    // Only the requesting member confirms, once.
    let r = post(
        &app,
        &format!("/requirements/{rid}/confirmation"),
        &fra,
        json!({}),
    )
    .await;
    assert_problem(&r, StatusCode::FORBIDDEN, "forbidden");
    let r = post(
        &app,
        &format!("/requirements/{rid}/confirmation"),
        &irq,
        json!({}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    assert_eq!(
        (
            r.json["requester_confirmed"].clone(),
            r.json["version"].clone()
        ),
        (json!(true), json!(1))
    );
    let again = post(
        &app,
        &format!("/requirements/{rid}/confirmation"),
        &irq,
        json!({}),
    )
    .await;
    assert_problem(&again, StatusCode::CONFLICT, "invalid_transition");
    let run = post(&app, "/allocations", &usa, json!({})).await;
    assert_eq!(run.json["requirements"], 1, "{}", run.json);
    assert_eq!(run.json["proposals"].as_array().map(Vec::len), Some(1));
    // IRQ's own requirements stand from the start.
    let own = post(&app, "/requirements", &irq, requirement(&["COALITION"])).await;
    assert_eq!(own.json["requester_confirmed"], true);
}
