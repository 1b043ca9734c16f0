//! Sanctions screening through the API: yente-shaped `/screen/match`, list
//! versions, and the review workflow (decisions remembered per member,
//! stale once the entry changes, audited). SQLite by default, PostgreSQL
//! when COALESCE_TEST_POSTGRES is set.

mod common;

use axum::http::{Method, StatusCode};
use coalesce_screen::Screener;
use common::{assert_problem, App};
use serde_json::{json, Value};
use std::sync::Arc;

const UN_XML: &str = include_str!("../../screen/tests/fixtures/un-sample.xml");
const PARTY: &str = "Muhammad Yusuf Abd al-Karim al-Testari";

/// The fixture list, or a later version of it in which QDi.901 changed.
fn screener(changed: bool) -> Arc<Screener> {
    let xml = if changed {
        UN_XML.replace(
            "<LISTED_ON>2030-01-01</LISTED_ON>",
            "<LISTED_ON>2030-02-01</LISTED_ON>",
        )
    } else {
        UN_XML.to_string()
    };
    let list = coalesce_screen::parse_un_xml(&xml).expect("fixture parses");
    Arc::new(Screener::new(vec![list]))
}

/// A seeded app, with the fixture list loaded (and its version recorded) or none.
async fn app(with_lists: bool) -> App {
    let mut state = common::seeded_state().await;
    if with_lists {
        let s = screener(false);
        coalesce_api::screening::record_versions(&state.store, &s)
            .await
            .expect("record versions");
        state = state.with_screener(s);
    }
    App::with_state(state)
}

/// Screens one name as a Person; the response for the query.
async fn match_one(app: &App, token: &str, name: &str) -> Value {
    let r = app
        .send(
            Method::POST,
            "/api/v1/screen/match",
            Some(token),
            Some(json!({"queries": {"q1": {"schema": "Person", "properties": {"name": [name]}}}})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    r.json["responses"]["q1"].clone()
}

fn hit<'a>(resp: &'a Value, id: &str) -> &'a Value {
    resp["results"]
        .as_array()
        .expect("results")
        .iter()
        .find(|r| r["id"] == id)
        .unwrap_or_else(|| panic!("no result {id} in {resp}"))
}

#[tokio::test]
async fn match_is_yente_shaped_and_explained() {
    let app = app(true).await;
    let t = app.login("gbr").await;
    let r = app
        .send(
            Method::POST,
            "/api/v1/screen/match?threshold=0.5&limit=3",
            Some(&t),
            Some(json!({"queries": {
                "q1": {"schema": "Person", "properties": {"name": [PARTY], "birthDate": ["1970-05-04"], "nationality": ["Iraq"]}},
                "arabic": {"properties": {"name": ["محمد يوسف عبد الكريم التستاري"]}},
                "nobody": {"schema": "Person", "properties": {"name": ["Jane Quietly Unlisted"]}}
            }})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    assert_eq!(r.json["limit"], 3);
    let q1 = &r.json["responses"]["q1"];
    assert_eq!(q1["status"], 200);
    assert_eq!(q1["query"]["properties"]["name"][0], PARTY);
    let top = &q1["results"][0];
    assert_eq!(top["id"], "un:QDi.901");
    assert_eq!(top["list"], "un");
    assert_eq!(top["reference"], "QDi.901");
    assert_eq!(top["schema"], "Person");
    assert_eq!(top["match"], true);
    assert!(top["score"].as_f64().is_some_and(|s| s >= 0.5));
    assert!(top["caption"].as_str().is_some_and(|c| !c.is_empty()));
    let lines = top["explanation"].as_array().expect("explanation");
    assert!(lines.len() >= 2, "{top}");
    assert!(
        lines
            .iter()
            .any(|l| l.as_str().is_some_and(|l| l.contains("birth"))),
        "{lines:?}"
    );
    assert_eq!(top["suppressed"], false);
    assert!(top["decision"].is_null());
    assert_eq!(top["entry_hash"].as_str().map(str::len), Some(64));
    assert!(q1["alerts"].as_u64().is_some_and(|a| a >= 1));
    assert_eq!(
        r.json["responses"]["arabic"]["results"][0]["id"],
        "un:QDi.901"
    );
    assert_eq!(r.json["responses"]["nobody"]["alerts"], 0);
}

#[tokio::test]
async fn screening_needs_credentials() {
    let app = app(true).await;
    for (m, path, body) in [
        (
            Method::POST,
            "/api/v1/screen/match",
            Some(json!({"queries": {}})),
        ),
        (Method::GET, "/api/v1/screen/lists", None),
        (Method::GET, "/api/v1/screen/decisions", None),
        (Method::POST, "/api/v1/screen/decisions", Some(json!({}))),
    ] {
        let r = app.send(m, path, None, body).await;
        assert_problem(&r, StatusCode::UNAUTHORIZED, "unauthorized");
    }
    let r = app
        .send(Method::GET, "/api/v1/screen/lists", Some("wrong"), None)
        .await;
    assert_problem(&r, StatusCode::UNAUTHORIZED, "unauthorized");
}

#[tokio::test]
async fn without_lists_screening_is_unavailable() {
    let app = app(false).await;
    let t = app.login("gbr").await;
    let r = app
        .send(
            Method::POST,
            "/api/v1/screen/match",
            Some(&t),
            Some(json!({"queries": {"q1": {"properties": {"name": [PARTY]}}}})),
        )
        .await;
    assert_problem(&r, StatusCode::SERVICE_UNAVAILABLE, "no_sanctions_lists");
    let r = app
        .send(
            Method::POST,
            "/api/v1/screen/decisions",
            Some(&t),
            Some(json!({"party": PARTY, "entity_id": "un:QDi.901", "decision": "confirmed", "reason": "same person"})),
        )
        .await;
    assert_problem(&r, StatusCode::SERVICE_UNAVAILABLE, "no_sanctions_lists");
    let r = app
        .send(Method::GET, "/api/v1/screen/lists", Some(&t), None)
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json["items"], json!([]));
}

#[tokio::test]
async fn bad_bodies_are_refused_with_problems() {
    let app = app(true).await;
    let t = app.login("gbr").await;
    let long = "x".repeat(301);
    let many: serde_json::Map<String, Value> = (0..101)
        .map(|i| (format!("q{i}"), json!({"properties": {"name": ["a b"]}})))
        .collect();
    for body in [
        json!({}),
        json!({"queries": {}}),
        json!({"queries": {"q1": {"properties": {"name": [PARTY]}}}, "extra": 1}),
        json!({"queries": {"q1": {"properties": {"name": [PARTY], "birthdate": ["1970"]}}}}),
        json!({"queries": {"q1": {"properties": {"name": [PARTY]}, "algorithm": "x"}}}),
        json!({"queries": {"q1": {"properties": {"name": [long]}}}}),
        json!({"queries": {"q1": {"properties": {"name": [""]}}}}),
        json!({"queries": {"q1": {"properties": {}}}}),
        json!({"queries": {"q1": {"properties": {"name": [PARTY], "birthDate": ["May 1970"]}}}}),
        json!({"queries": {"q1": {"schema": "Spaceship", "properties": {"name": [PARTY]}}}}),
        json!({"queries": {"q1": {"properties": {"name": "not a list"}}}}),
        json!({"queries": many}),
    ] {
        let r = app
            .send(
                Method::POST,
                "/api/v1/screen/match",
                Some(&t),
                Some(body.clone()),
            )
            .await;
        assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY, "invalid_body");
        assert!(
            r.json["detail"].as_str().is_some_and(|d| !d.is_empty()),
            "{body}"
        );
    }
    let ok = json!({"queries": {"q1": {"properties": {"name": [PARTY]}}}});
    for q in [
        "threshold=2",
        "limit=0",
        "limit=1000",
        "threshold=abc",
        "bogus=1",
    ] {
        let r = app
            .send(
                Method::POST,
                &format!("/api/v1/screen/match?{q}"),
                Some(&t),
                Some(ok.clone()),
            )
            .await;
        assert_problem(&r, StatusCode::BAD_REQUEST, "invalid_query");
    }
    let r = app
        .send(Method::POST, "/api/v1/screen/match", Some(&t), None)
        .await;
    assert_problem(
        &r,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
    );
    // Decisions: reason required and bounded, decision and entry checked.
    for (body, code) in [
        (
            json!({"party": PARTY, "entity_id": "un:QDi.901", "decision": "false_positive"}),
            "invalid_body",
        ),
        (
            json!({"party": PARTY, "entity_id": "un:QDi.901", "decision": "false_positive", "reason": "  "}),
            "invalid_body",
        ),
        (
            json!({"party": PARTY, "entity_id": "un:QDi.901", "decision": "false_positive", "reason": "r".repeat(2001)}),
            "invalid_body",
        ),
        (
            json!({"party": PARTY, "entity_id": "un:QDi.901", "decision": "maybe", "reason": "r"}),
            "invalid_body",
        ),
        (
            json!({"party": PARTY, "entity_id": "un:QDi.901", "decision": "confirmed", "reason": "r", "x": 1}),
            "invalid_body",
        ),
        (
            json!({"party": PARTY, "entity_id": "un:QDi.999", "decision": "confirmed", "reason": "r"}),
            "unknown_entity",
        ),
        (
            json!({"party": "  ", "entity_id": "un:QDi.901", "decision": "confirmed", "reason": "r"}),
            "invalid_field",
        ),
        (
            json!({"party": "p".repeat(301), "entity_id": "un:QDi.901", "decision": "confirmed", "reason": "r"}),
            "invalid_field",
        ),
    ] {
        let r = app
            .send(
                Method::POST,
                "/api/v1/screen/decisions",
                Some(&t),
                Some(body.clone()),
            )
            .await;
        assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY, code);
    }
    let r = app
        .send(
            Method::GET,
            "/api/v1/screen/decisions?cursor=nope",
            Some(&t),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.json);
}

#[tokio::test]
async fn decisions_are_remembered_for_the_deciding_member_only() {
    let app = app(true).await;
    let gbr = app.login("gbr").await;
    let usa = app.login("usa").await;
    let viewer = app.login("viewer").await;
    let admin = app.login("admin").await;

    // A viewer may screen but not decide.
    let before = match_one(&app, &viewer, PARTY).await;
    assert_eq!(hit(&before, "un:QDi.901")["match"], true);
    let r = app
        .send(
            Method::POST,
            "/api/v1/screen/decisions",
            Some(&viewer),
            Some(json!({"party": PARTY, "entity_id": "un:QDi.901", "decision": "false_positive", "reason": "r"})),
        )
        .await;
    assert_problem(&r, StatusCode::FORBIDDEN, "forbidden");

    let r = app
        .send(
            Method::POST,
            "/api/v1/screen/decisions",
            Some(&gbr),
            Some(json!({"party": PARTY, "entity_id": "un:QDi.901", "decision": "false_positive", "reason": "Different person: born 1991, British passport"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
    assert_eq!(r.json["member"], "GBR");
    assert_eq!(r.json["decided_by"], "gbr");
    assert_eq!(r.json["entry_status"], "unchanged");
    let decision_id = r.json["id"].as_str().expect("id").to_string();

    // GBR (any of its users, any spelling differing in case or spacing) is not re-alerted.
    for (token, name) in [
        (&gbr, PARTY.to_string()),
        (
            &viewer,
            format!("  {}  ", PARTY.to_uppercase().replace(' ', "   ")),
        ),
    ] {
        let resp = match_one(&app, token, &name).await;
        let h = hit(&resp, "un:QDi.901");
        assert_eq!(h["match"], true);
        assert_eq!(h["suppressed"], true, "{h}");
        assert_eq!(h["decision"]["decision"], "false_positive");
        assert_eq!(h["decision"]["stale"], false);
        assert_eq!(h["decision"]["id"], decision_id.as_str());
        assert_eq!(resp["alerts"], 0, "{resp}");
    }
    // Another party name is not covered.
    let other = match_one(&app, &gbr, "Mohamed Yousef Abdelkarim al-Testari").await;
    assert_eq!(hit(&other, "un:QDi.901")["suppressed"], false);
    // USA does not see GBR's decision and is alerted.
    let resp = match_one(&app, &usa, PARTY).await;
    let h = hit(&resp, "un:QDi.901");
    assert_eq!(h["suppressed"], false);
    assert!(h["decision"].is_null(), "{h}");
    assert!(resp["alerts"].as_u64().is_some_and(|a| a >= 1));

    // Lists of decisions are per member.
    let r = app
        .send(Method::GET, "/api/v1/screen/decisions", Some(&viewer), None)
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json["items"].as_array().map(Vec::len), Some(1));
    assert_eq!(
        r.json["items"][0]["reason"],
        "Different person: born 1991, British passport"
    );
    assert!(r.json["next"].is_null());
    for t in [&usa, &admin] {
        let r = app
            .send(Method::GET, "/api/v1/screen/decisions", Some(t), None)
            .await;
        assert_eq!(r.json["items"], json!([]), "{}", r.json);
    }

    // A later confirmation by GBR takes precedence and alerts (not suppressed).
    let r = app
        .send(
            Method::POST,
            "/api/v1/screen/decisions",
            Some(&gbr),
            Some(json!({"party": PARTY, "entity_id": "un:QDi.901", "decision": "confirmed", "reason": "New evidence: same passport"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
    let h = match_one(&app, &gbr, PARTY).await;
    let h = hit(&h, "un:QDi.901");
    assert_eq!(h["decision"]["decision"], "confirmed");
    assert_eq!(h["suppressed"], false);
    // Paging.
    let r = app
        .send(
            Method::GET,
            "/api/v1/screen/decisions?limit=1",
            Some(&gbr),
            None,
        )
        .await;
    assert_eq!(r.json["items"][0]["decision"], "confirmed");
    let next = r.json["next"].as_str().expect("next").to_string();
    let r = app
        .send(
            Method::GET,
            &format!("/api/v1/screen/decisions?limit=1&cursor={next}"),
            Some(&gbr),
            None,
        )
        .await;
    assert_eq!(r.json["items"][0]["decision"], "false_positive");
    assert!(r.json["next"].is_null());

    // Every decision is in the audit log, without the party's name; USA's
    // administrator sees the node's list loads but not GBR's decisions.
    let r = app
        .send(Method::GET, "/api/v1/audit?limit=500", Some(&admin), None)
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let seen = r.json["items"].as_array().expect("audit");
    assert!(!seen
        .iter()
        .any(|e| e["action"] == "screening_decision.create"));
    assert!(seen.iter().any(|e| e["action"] == "screening.list_loaded"));
    let entries: Vec<Value> = app
        .state
        .store
        .audit_entries(None, 500)
        .await
        .expect("audit")
        .into_iter()
        .map(|e| {
            json!({"action": e.action, "actor": e.actor, "member": e.member, "subject": e.subject,
                   "detail": serde_json::from_str::<Value>(&e.detail).expect("detail")})
        })
        .collect();
    let decisions: Vec<&Value> = entries
        .iter()
        .filter(|e| e["action"] == "screening_decision.create")
        .collect();
    assert_eq!(decisions.len(), 2);
    // Decisions are records of the layer: their entries name the record
    // and its version, never the party, the entry or the reason.
    assert!(decisions
        .iter()
        .all(|e| e["detail"] == json!({"version": 1})));
    assert!(decisions
        .iter()
        .all(|e| e["actor"] == "gbr" && e["member"] == "GBR"));
    assert!(decisions
        .iter()
        .any(|e| e["subject"] == decision_id.as_str()));
    assert!(entries
        .iter()
        .any(|e| e["action"] == "screening.list_loaded"));
    assert!(app
        .state
        .store
        .verify_audit()
        .await
        .expect("verify")
        .is_ok());
}

#[tokio::test]
async fn a_changed_entry_makes_the_decision_stale_and_alerts_again() {
    let app = app(true).await;
    let gbr = app.login("gbr").await;
    for (entity, decision) in [
        ("un:QDi.901", "false_positive"),
        ("un:QDi.902", "false_positive"),
    ] {
        let r = app
            .send(
                Method::POST,
                "/api/v1/screen/decisions",
                Some(&gbr),
                Some(json!({"party": PARTY, "entity_id": entity, "decision": decision, "reason": "not our party"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
    }
    // The node restarts with a new version of the list in which QDi.901 changed.
    let s = screener(true);
    let recorded = coalesce_api::screening::record_versions(&app.state.store, &s)
        .await
        .expect("record");
    assert!(recorded.iter().all(|r| r.new));
    // The new version is compared with the previous one: QDi.901 changed.
    let diff = recorded
        .iter()
        .find(|r| r.version.source == "un")
        .and_then(|r| r.diff.clone())
        .expect("diff");
    assert_eq!(diff.changed, vec!["QDi.901".to_string()]);
    assert!(diff.added.is_empty() && diff.removed.is_empty());
    let audit = app
        .state
        .store
        .audit_entries(None, 200)
        .await
        .expect("audit");
    assert!(audit
        .iter()
        .any(|e| e.action == "screening.list_diff" && e.detail.contains("QDi.901")));
    let later = App::with_state(app.state.clone().with_screener(s));
    let resp = match_one(&later, &gbr, PARTY).await;
    let h = hit(&resp, "un:QDi.901");
    assert_eq!(h["decision"]["stale"], true, "{h}");
    assert_eq!(h["suppressed"], false);
    assert!(resp["alerts"].as_u64().is_some_and(|a| a >= 1));
    let r = later
        .send(Method::GET, "/api/v1/screen/decisions", Some(&gbr), None)
        .await;
    let status: Vec<(&str, &str)> = r.json["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|d| {
            (
                d["entity_id"].as_str().unwrap_or(""),
                d["entry_status"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert!(status.contains(&("un:QDi.901", "changed")), "{status:?}");
    assert!(status.contains(&("un:QDi.902", "unchanged")), "{status:?}");
    // Both versions are known; only the new one is loaded.
    let r = later
        .send(Method::GET, "/api/v1/screen/lists", Some(&gbr), None)
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let items = r.json["items"].as_array().expect("items");
    assert_eq!(items.len(), 2, "{items:?}");
    assert_eq!(items[0]["loaded"], true);
    assert_eq!(items[0]["source"], "un");
    assert_eq!(items[0]["entries"], 3);
    assert!(items[0]["first_loaded_at"].is_string());
    assert_eq!(items[1]["loaded"], false);
    assert_ne!(items[0]["content_hash"], items[1]["content_hash"]);
    // Each version says what changed since the one before it, and names the entries.
    assert_eq!(
        (
            items[0]["changes"]["added"].clone(),
            items[0]["changes"]["removed"].clone(),
            items[0]["changes"]["changed"].clone()
        ),
        (json!(0), json!(0), json!(1)),
        "{items:?}"
    );
    assert_eq!(
        items[0]["changes"]["previous_content_hash"],
        items[1]["content_hash"]
    );
    assert!(
        items[1]["changes"].is_null(),
        "the first version has no earlier one"
    );
    let id = items[0]["id"].as_str().expect("id");
    let r = later
        .send(
            Method::GET,
            &format!("/api/v1/screen/lists/{id}/changes"),
            Some(&gbr),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    assert_eq!(
        r.json["changed"],
        json!([{"reference": "QDi.901", "caption": "MUHAMMAD YUSUF ABD AL-KARIM AL-TESTARI"}])
    );
    assert_eq!(r.json["added"], json!([]));
    for bad in [
        items[1]["id"].as_str().expect("id").to_string(),
        "not-an-id".to_string(),
        "01890000-0000-7000-8000-000000000000".to_string(),
    ] {
        let r = later
            .send(
                Method::GET,
                &format!("/api/v1/screen/lists/{bad}/changes"),
                Some(&gbr),
                None,
            )
            .await;
        assert_problem(&r, StatusCode::NOT_FOUND, "not_found");
    }
    // Loading the same version again is not a new version.
    let again = coalesce_api::screening::record_versions(&app.state.store, &screener(true))
        .await
        .expect("record");
    assert!(again.iter().all(|r| !r.new && r.diff.is_none()));
}

#[tokio::test]
async fn a_decision_taken_with_a_date_of_birth_holds_for_that_date_only() {
    let app = app(true).await;
    let gbr = app.login("gbr").await;
    let r = app
        .send(
            Method::POST,
            "/api/v1/screen/decisions",
            Some(&gbr),
            Some(json!({"party": PARTY, "entity_id": "un:QDi.901", "decision": "false_positive",
                        "reason": "Our client, born 1991: not the listed man", "birth_date": "1991-02-03", "nationality": "GBR"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
    assert_eq!(r.json["birth_date"], "1991-02-03");
    let screen = |dob: Option<&str>, nat: Option<&str>| {
        let mut props = json!({"name": [PARTY]});
        if let Some(d) = dob {
            props["birthDate"] = json!([d]);
        }
        if let Some(n) = nat {
            props["nationality"] = json!([n]);
        }
        app.send(
            Method::POST,
            "/api/v1/screen/match",
            Some(&gbr),
            Some(json!({"queries": {"q": {"schema": "Person", "properties": props}}})),
        )
    };
    // The same party (same date, the nationality in another form) is not re-alerted.
    let r = screen(Some("1991-02-03"), Some("United Kingdom")).await;
    let h = hit(&r.json["responses"]["q"], "un:QDi.901");
    assert_eq!(h["suppressed"], true, "{h}");
    // Another date of birth, or none, or another nationality: another
    // party for all the decision knows; it alerts.
    for (dob, nat) in [
        (Some("1970-05-04"), Some("GBR")),
        (None, None),
        (Some("1991-02-03"), Some("Iraq")),
    ] {
        let r = screen(dob, nat).await;
        let h = hit(&r.json["responses"]["q"], "un:QDi.901");
        assert_eq!(h["suppressed"], false, "{dob:?} {nat:?}: {h}");
        assert!(h["decision"].is_null(), "{h}");
    }
    let r = app
        .send(
            Method::POST,
            "/api/v1/screen/decisions",
            Some(&gbr),
            Some(
                json!({"party": PARTY, "entity_id": "un:QDi.901", "decision": "false_positive",
                        "reason": "r", "birth_date": "1991-02-30x"}),
            ),
        )
        .await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY, "invalid_field");
}

/// A standalone contribution by GBR, released to `rel_to`, with `parties`.
fn contribution_with(parties: Value, rel_to: &[&str]) -> Value {
    json!({
        "title": "Generators for Tikrit",
        "contributors": ["GBR"],
        "line_of_effort": "humanitarian",
        "category": "protective-equipment",
        "measure": {"quantity": 4, "unit": "unit"},
        "place": {"country": "IRQ", "town": "Tikrit"},
        "window": {"start": "2015-05-01", "end": "2015-06-30"},
        "marking": {"tlp": "GREEN", "rel_to": rel_to},
        "parties": parties
    })
}

#[tokio::test]
async fn the_parties_of_reports_entities_and_contributions_are_screened_from_their_records() {
    let app = app(true).await;
    let (gbr, usa, fra) = (
        app.login("gbr").await,
        app.login("usa").await,
        app.login("fra").await,
    );
    let send = |m: Method, path: String, t: &str, body: Option<Value>| {
        let t = t.to_string();
        let app = &app;
        async move { app.send(m, &format!("/api/v1{path}"), Some(&t), body).await }
    };
    // GBR's financing report about a buyer (spelled as a clerk would) and a vessel.
    let r = send(
        Method::POST,
        "/reports".into(),
        &gbr,
        Some(json!({
            "kind": "financing",
            "title": "Crude sold at Tal Abyad",
            "marking": {"tlp": "AMBER", "rel_to": ["USA"]},
            "entities": [
                {"role": "buyer", "entity": {"kind": "person", "name": "Mohamed Yousef Abdelkarim Testari",
                 "birth_date": "1970-05-04", "nationality": "IRQ", "marking": {"tlp": "AMBER", "rel_to": ["USA"]}}},
                {"role": "vessel", "entity": {"kind": "vessel", "name": "Quiet Tanker", "marking": {"tlp": "AMBER", "rel_to": ["USA"]}}},
                {"role": "origin", "entity": {"kind": "place", "name": "Tal Abyad", "marking": {"tlp": "AMBER", "rel_to": ["USA"]}}}
            ]
        })),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
    let rid = r.json["id"].as_str().expect("id").to_string();
    let buyer = r.json["entities"][0]["id"]
        .as_str()
        .expect("id")
        .to_string();

    let r = send(Method::GET, format!("/reports/{rid}/screening"), &usa, None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    let parties = r.json["parties"].as_array().expect("parties");
    // People and vessels are screened; places are not.
    assert_eq!(parties.len(), 2, "{parties:?}");
    assert_eq!(parties[0]["role"], "buyer");
    assert_eq!(
        parties[0]["query"]["properties"]["birthDate"],
        json!(["1970-05-04"])
    );
    let h = hit(&parties[0], "un:QDi.901");
    assert_eq!(h["match"], true, "{h}");
    // Date of birth and nationality (IRQ for Iraq) count as evidence.
    let why = h["explanation"].to_string();
    assert!(
        why.contains("birth_date +") && why.contains("nationality +"),
        "{why}"
    );
    assert_eq!(parties[0]["alerts"], 1);
    assert_eq!(parties[1]["alerts"], 0);
    let e = send(
        Method::GET,
        format!("/entities/{buyer}/screening"),
        &usa,
        None,
    )
    .await;
    assert_eq!(e.status, StatusCode::OK, "{}", e.json);
    assert_eq!(e.json["parties"][0]["role"], "subject");
    assert_eq!(hit(&e.json["parties"][0], "un:QDi.901")["match"], true);

    // Outside the audience, nothing: 404 as for the records themselves.
    for path in [
        format!("/reports/{rid}/screening"),
        format!("/entities/{buyer}/screening"),
    ] {
        let r = send(Method::GET, path, &fra, None).await;
        assert_problem(&r, StatusCode::NOT_FOUND, "not_found");
    }

    // A contribution with its supplier and carrier; the carrier is the listed man.
    let r = send(
        Method::POST,
        "/contributions".into(),
        &gbr,
        Some(contribution_with(
            json!([
                {"role": "supplier", "kind": "organisation", "name": "Tikrit Power Supplies", "country": "IRQ"},
                {"role": "carrier", "kind": "person", "name": "Muhammad Yusuf Abd al-Karim al-Testari", "country": "irq"}
            ]),
            &["USA"],
        )),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
    let cid = r.json["id"].as_str().expect("id").to_string();
    assert_eq!(r.json["parties"][1]["country"], "IRQ");
    let s = send(
        Method::GET,
        format!("/contributions/{cid}/screening"),
        &usa,
        None,
    )
    .await;
    assert_eq!(s.status, StatusCode::OK, "{}", s.json);
    assert_eq!(s.json["parties"][1]["role"], "carrier");
    assert_eq!(hit(&s.json["parties"][1], "un:QDi.901")["match"], true);
    assert_eq!(s.json["parties"][0]["alerts"], 0);
    let r = send(
        Method::GET,
        format!("/contributions/{cid}/screening"),
        &fra,
        None,
    )
    .await;
    assert_problem(&r, StatusCode::NOT_FOUND, "not_found");

    // Only GBR changes the parties: a new version, audited; the old kept.
    let put = |t: &str, body: Value| {
        send(
            Method::PUT,
            format!("/contributions/{cid}/parties"),
            t,
            Some(body),
        )
    };
    let r = put(&usa, json!({"parties": []})).await;
    assert_problem(&r, StatusCode::FORBIDDEN, "forbidden");
    for bad in [
        json!({"parties": [{"role": "spy", "kind": "person", "name": "X"}]}),
        json!({"parties": [{"role": "carrier", "kind": "person", "name": " "}]}),
        json!({"parties": [{"role": "carrier", "kind": "person", "name": "X", "country": "Iraq"}]}),
        json!({"parties": [{"role": "carrier", "kind": "robot", "name": "X"}]}),
        json!({"parties": [{"role": "carrier", "kind": "person", "name": "X"}, {"role": "carrier", "kind": "person", "name": "x"}]}),
    ] {
        let r = put(&gbr, bad.clone()).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{bad}: {}",
            r.json
        );
    }
    let r = put(&gbr, json!({"parties": [], "if_version": 7})).await;
    assert_problem(&r, StatusCode::CONFLICT, "version_conflict");
    let r = put(
        &gbr,
        json!({"parties": [{"role": "supplier", "kind": "organisation", "name": "Tikrit Power Supplies"}], "if_version": 1}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    assert_eq!(r.json["version"], 2);
    assert_eq!(r.json["parties"].as_array().map(Vec::len), Some(1));
    let v = send(
        Method::GET,
        format!("/contributions/{cid}/versions"),
        &usa,
        None,
    )
    .await;
    assert_eq!(
        v.json["items"].as_array().map(Vec::len),
        Some(2),
        "{}",
        v.json
    );
    let s = send(
        Method::GET,
        format!("/contributions/{cid}/screening"),
        &usa,
        None,
    )
    .await;
    assert_eq!(s.json["parties"].as_array().map(Vec::len), Some(1));
    let audit = app
        .state
        .store
        .audit_entries(None, 50)
        .await
        .expect("audit");
    assert!(audit
        .iter()
        .any(|e| e.action == "contribution.parties" && e.subject == cid && e.actor == "gbr"));

    // Without lists, screening a record is unavailable (503, as /screen/match).
    let mut state = app.state.clone();
    state.screener = None;
    let bare = App::with_state(state);
    let r = bare
        .send(
            Method::GET,
            &format!("/api/v1/contributions/{cid}/screening"),
            Some(&gbr),
            None,
        )
        .await;
    assert_problem(&r, StatusCode::SERVICE_UNAVAILABLE, "no_sanctions_lists");
}

#[tokio::test]
async fn screening_endpoints_are_in_the_openapi_document() {
    let doc: Value = serde_json::from_str(&coalesce_api::openapi_json()).expect("json");
    for p in [
        "/screen/match",
        "/screen/lists",
        "/screen/lists/{id}/changes",
        "/screen/decisions",
        "/reports/{id}/screening",
        "/entities/{id}/screening",
        "/contributions/{id}/screening",
        "/contributions/{id}/parties",
    ] {
        assert!(doc["paths"].get(p).is_some(), "missing {p}");
    }
    assert!(doc["paths"]["/screen/decisions"]["post"].is_object());
    assert!(doc["paths"]["/screen/decisions"]["get"].is_object());
}

/// yente's own `POST /match/{dataset}`: FollowTheMoney queries in (with
/// properties the node does not compare, ignored as yente ignores them),
/// FollowTheMoney entities with scores out; the key sent as yente's
/// clients send it (`Authorization: ApiKey`); a list's name as the
/// dataset keeps that list; an unknown dataset is a 404 problem.
#[tokio::test]
async fn yente_match_endpoint_speaks_yentes_shape() {
    let app = app(true).await;
    let t = app.login("gbr").await;
    let body = json!({"queries": {
        "q1": {"schema": "Person", "properties": {
            "name": PARTY, "birthDate": ["1970-05-04"], "country": ["iq"], "topics": ["sanction"]
        }},
        "parts": {"schema": "Person", "properties": {
            "firstName": ["Muhammad Yusuf"], "lastName": ["al-Testari"]
        }}
    }});
    let req = axum::http::Request::builder()
        .method(Method::POST)
        .uri("/api/v1/match/default?algorithm=logic-v1&fuzzy=false&limit=3")
        .header("authorization", format!("ApiKey {t}"))
        .header("content-type", "application/json")
        .body(axum::body::Body::from(body.to_string()))
        .expect("request");
    let r = app.raw(req).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    let q1 = &r.json["responses"]["q1"];
    assert_eq!(q1["status"], 200);
    let first = &q1["results"][0];
    assert_eq!(first["id"], "un:QDi.901", "{q1}");
    assert_eq!(first["schema"], "Person");
    assert_eq!(first["match"], true);
    assert_eq!(first["datasets"], json!(["un"]));
    assert!(first["properties"]["name"][0].is_string(), "{first}");
    assert_eq!(first["properties"]["topics"], json!(["sanction"]));
    assert!(first["score"].as_f64().is_some_and(|s| s >= 0.5));
    assert_eq!(q1["total"]["relation"], "eq");
    assert_eq!(q1["query"]["schema"], "Person");
    assert_eq!(r.json["limit"], 3);
    assert!(r.json["matcher"]["name"].is_string());
    // A name given in parts only.
    assert_eq!(
        r.json["responses"]["parts"]["results"][0]["id"], "un:QDi.901",
        "{}",
        r.json
    );
    // One list by its name; an unknown dataset.
    let r = app
        .send(
            Method::POST,
            "/api/v1/match/un",
            Some(&t),
            Some(body.clone()),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    assert!(r.json["responses"]["q1"]["results"]
        .as_array()
        .expect("results")
        .iter()
        .all(|x| x["datasets"] == json!(["un"])));
    let r = app
        .send(
            Method::POST,
            "/api/v1/match/eu_fsf",
            Some(&t),
            Some(body.clone()),
        )
        .await;
    assert_problem(&r, StatusCode::NOT_FOUND, "not_found");
    // Bad input: a property that is not a string, no token.
    let r = app
        .send(
            Method::POST,
            "/api/v1/match/default",
            Some(&t),
            Some(json!({"queries": {"q": {"schema": "Person", "properties": {"name": [1]}}}})),
        )
        .await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY, "invalid_body");
    let r = app
        .send(Method::POST, "/api/v1/match/default", None, Some(body))
        .await;
    assert_problem(&r, StatusCode::UNAUTHORIZED, "unauthorized");
}

/// A party listed on two lists is one result, with its other listing; a
/// review decision taken on either listing applies to the party.
#[tokio::test]
async fn a_decision_on_one_listing_holds_for_the_party() {
    let un = coalesce_screen::parse_un_xml(UN_XML).expect("fixture parses");
    // The same entries, as a second list would carry them (same names and
    // dates of birth, other references).
    let mut other = un.clone();
    other.version.source = "ofac".into();
    for e in &mut other.entities {
        e.list = "ofac".into();
        e.reference = format!(
            "9{}",
            e.reference.replace(|c: char| !c.is_ascii_digit(), "")
        );
    }
    let s = Arc::new(Screener::new(vec![un, other]));
    let mut state = common::seeded_state().await;
    coalesce_api::screening::record_versions(&state.store, &s)
        .await
        .expect("record versions");
    state = state.with_screener(s);
    let app = App::with_state(state);
    let t = app.login("gbr").await;
    let resp = match_one(&app, &t, PARTY).await;
    let first = &resp["results"][0];
    let other_id = first["also_listed"][0]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("one party, two listings: {resp}"))
        .to_string();
    let ids: Vec<&str> = resp["results"]
        .as_array()
        .expect("results")
        .iter()
        .filter_map(|r| r["id"].as_str())
        .collect();
    assert!(
        !ids.contains(&other_id.as_str()),
        "not a second hit: {ids:?}"
    );
    // Cleared on the other listing: the party's hit carries it, suppressed.
    let r = app
        .send(
            Method::POST,
            "/api/v1/screen/decisions",
            Some(&t),
            Some(json!({"party": PARTY, "entity_id": other_id, "decision": "false_positive", "reason": "another man of that name"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
    let resp = match_one(&app, &t, PARTY).await;
    let first = &resp["results"][0];
    assert_eq!(first["decision"]["decision"], "false_positive", "{first}");
    assert_eq!(first["decision"]["stale"], false);
    assert_eq!(first["suppressed"], true);
}

/// The fixture list's next version: QDi.901 changed, QDi.903 added.
fn screener_with_an_added_entry() -> Arc<Screener> {
    let added = r#"<INDIVIDUAL>
      <DATAID>4</DATAID>
      <VERSIONNUM>1</VERSIONNUM>
      <FIRST_NAME>JAMAL</FIRST_NAME>
      <SECOND_NAME>NOVICIUS</SECOND_NAME>
      <THIRD_NAME>QUARTERMAIN</THIRD_NAME>
      <UN_LIST_TYPE>Al-Qaida</UN_LIST_TYPE>
      <REFERENCE_NUMBER>QDi.903</REFERENCE_NUMBER>
      <LISTED_ON>2030-02-01</LISTED_ON>
      <INDIVIDUAL_ALIAS><QUALITY/><ALIAS_NAME/></INDIVIDUAL_ALIAS>
      <INDIVIDUAL_DOCUMENT/>
    </INDIVIDUAL>
  </INDIVIDUALS>"#;
    let xml = UN_XML
        .replace(
            "<LISTED_ON>2030-01-01</LISTED_ON>",
            "<LISTED_ON>2030-02-01</LISTED_ON>",
        )
        .replacen("</INDIVIDUALS>", added, 1);
    let list = coalesce_screen::parse_un_xml(&xml).expect("fixture parses");
    assert_eq!(list.entities.len(), 4);
    Arc::new(Screener::new(vec![list]))
}

#[tokio::test]
async fn a_list_update_rescreens_open_records_against_its_changes_only() {
    let app = app(true).await;
    let (gbr, usa, fra) = (
        app.login("gbr").await,
        app.login("usa").await,
        app.login("fra").await,
    );
    let send = |m: Method, path: String, t: &str, body: Option<Value>| {
        let t = t.to_string();
        let app = &app;
        async move { app.send(m, &format!("/api/v1{path}"), Some(&t), body).await }
    };
    let entity = |t: String, name: &'static str, marking: Value| {
        let send = &send;
        async move {
            let t = t.as_str();
            let r = send(
                Method::POST,
                "/entities".into(),
                t,
                Some(json!({"kind": "person", "name": name, "marking": marking})),
            )
            .await;
            assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
            r.json["id"].as_str().expect("id").to_string()
        }
    };
    // GBR's man (AMBER, for GBR alone) is the one the update adds; USA's
    // (GREEN) is QDi.901, whose entry the update changes; USA's other is
    // QDi.902, which the update leaves as it was.
    let gbr_new = entity(
        gbr.clone(),
        "Jamal Novicius Quartermain",
        json!({"tlp": "AMBER", "rel_to": []}),
    )
    .await;
    let usa_changed = entity(
        usa.clone(),
        PARTY,
        json!({"tlp": "GREEN", "rel_to": ["COALITION"]}),
    )
    .await;
    let usa_unchanged = entity(
        usa.clone(),
        "Husayn Samplewi",
        json!({"tlp": "GREEN", "rel_to": ["COALITION"]}),
    )
    .await;
    // A contribution whose carrier is the added man, and a cancelled one.
    let mut cids = vec![];
    for _ in 0..2 {
        let r = send(
            Method::POST,
            "/contributions".into(),
            &gbr,
            Some(contribution_with(
                json!([
                    {"role": "supplier", "kind": "organisation", "name": "Tikrit Power Supplies"},
                    {"role": "carrier", "kind": "person", "name": "Jamal Novicius Quartermain"}
                ]),
                &["USA"],
            )),
        )
        .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
        cids.push(r.json["id"].as_str().expect("id").to_string());
    }
    let r = send(
        Method::POST,
        format!("/contributions/{}/transitions", cids[1]),
        &gbr,
        Some(json!({"action": "cancel"})),
    )
    .await;
    assert!(r.status.is_success(), "{}", r.json);

    // Nothing to rescreen while the first version is loaded.
    let done = coalesce_api::screening::rescreen_pending(&app.state.store, screener(false))
        .await
        .expect("rescreen");
    assert!(done.is_empty(), "{done:?}");

    // The update arrives (the node restarts with it).
    let s = screener_with_an_added_entry();
    coalesce_api::screening::record_versions(&app.state.store, &s)
        .await
        .expect("record");
    // As the node runs it: a node job, which every member sees and none
    // may cancel; what it counts goes to the operator's console only.
    let console = Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let lines = console.clone();
    let job = coalesce_api::screening::start_rescreen(
        &app.state.jobs,
        app.state.store.clone(),
        s.clone(),
        move |l| lines.lock().expect("lines").push(l.to_string()),
    )
    .expect("started");
    let result = app.state.jobs.wait(&job.id).await.expect("rescreen");
    assert_eq!(result, "rescreened after the un update");
    let said = console.lock().expect("lines").clone();
    assert_eq!(said.len(), 1, "{said:?}");
    // GBR's man, USA's QDi.901 and the open contribution's carrier; not
    // QDi.902 (unchanged), not the cancelled contribution; against QDi.901
    // (changed) and QDi.903 (added).
    assert!(
        said[0].starts_with("rescreened after the un update: ")
            && said[0].ends_with(" against 2 added or changed entries, 3 matches"),
        "{said:?}"
    );
    let records: usize = said[0]
        .split(" open records")
        .next()
        .and_then(|s| s.rsplit(' ').next())
        .and_then(|n| n.parse().ok())
        .expect("records screened");
    assert!(records >= 4, "{said:?}");
    let seen = common::get(&app, &format!("/jobs/{}", job.id), &fra).await;
    assert_eq!(seen.status, StatusCode::OK, "{}", seen.json);
    assert_eq!(
        (
            seen.json["kind"].as_str(),
            seen.json["member"].as_str(),
            seen.json["status"].as_str()
        ),
        (Some("rescreen"), Some("node"), Some("succeeded"))
    );
    // Nothing in it counts the node's records: a percentage, no numbers.
    assert_eq!(
        (seen.json["done"].as_u64(), seen.json["total"].as_u64()),
        (Some(100), Some(100))
    );
    assert!(!seen.json.to_string().contains("matches"), "{}", seen.json);
    let listed = common::get(&app, "/jobs", &fra).await;
    assert!(
        listed.json["items"]
            .as_array()
            .expect("items")
            .iter()
            .any(|j| j["id"] == job.id.as_str()),
        "{}",
        listed.json
    );
    let cancel = common::post(&app, &format!("/jobs/{}/cancel", job.id), &fra, json!({})).await;
    common::assert_problem(&cancel, StatusCode::FORBIDDEN, "node_job");
    // Done once: a restart does not rescreen again.
    let again = coalesce_api::screening::rescreen_pending(&app.state.store, s.clone())
        .await
        .expect("rescreen");
    assert!(again.is_empty());

    let later = App::with_state(app.state.clone().with_screener(s));
    let versions = later
        .send(Method::GET, "/api/v1/screen/lists", Some(&gbr), None)
        .await;
    let vid = versions.json["items"][0]["id"]
        .as_str()
        .expect("id")
        .to_string();
    let first = versions.json["items"][1]["id"]
        .as_str()
        .expect("id")
        .to_string();
    let seen = |t: &str| {
        let t = t.to_string();
        let later = &later;
        let vid = vid.clone();
        async move {
            let r = later
                .send(
                    Method::GET,
                    &format!("/api/v1/screen/lists/{vid}/rescreen"),
                    Some(&t),
                    None,
                )
                .await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.json);
            assert_eq!(r.json["entries_compared"], 2);
            r.json["findings"]
                .as_array()
                .expect("findings")
                .iter()
                .map(|f| {
                    (
                        f["record_id"].as_str().unwrap_or("").to_string(),
                        f["entry_id"].as_str().unwrap_or("").to_string(),
                        f["party"].as_str().unwrap_or("").to_string(),
                        f["entry_added"].as_bool().unwrap_or(false),
                    )
                })
                .collect::<Vec<_>>()
        }
    };
    let g = seen(&gbr).await;
    assert_eq!(g.len(), 3, "{g:?}");
    assert!(g.contains(&(
        gbr_new.clone(),
        "un:QDi.903".into(),
        "Jamal Novicius Quartermain".into(),
        true
    )));
    assert!(g.contains(&(
        usa_changed.clone(),
        "un:QDi.901".into(),
        PARTY.into(),
        false
    )));
    assert!(g.contains(&(
        cids[0].clone(),
        "un:QDi.903".into(),
        "Jamal Novicius Quartermain".into(),
        true
    )));
    assert!(!g.iter().any(|f| f.0 == usa_unchanged || f.0 == cids[1]));
    // USA reads the contribution (REL TO USA) and its own entity, not
    // GBR's man; FRA only the GREEN entity.
    let u = seen(&usa).await;
    assert_eq!(u.len(), 2, "{u:?}");
    assert!(!u.iter().any(|f| f.0 == gbr_new));
    let f = seen(&fra).await;
    assert_eq!(
        f,
        vec![(
            usa_changed.clone(),
            "un:QDi.901".into(),
            PARTY.into(),
            false
        )]
    );
    // USA narrows its entity to itself: FRA no longer learns of the finding.
    let r = send(
        Method::PUT,
        format!("/entities/{usa_changed}"),
        &usa,
        Some(json!({"kind": "person", "name": PARTY, "marking": {"tlp": "AMBER", "rel_to": []}})),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    assert!(seen(&fra).await.is_empty());
    // The first version was not rescreened; a bad id is refused.
    for bad in [first.as_str(), "not-an-id"] {
        let r = later
            .send(
                Method::GET,
                &format!("/api/v1/screen/lists/{bad}/rescreen"),
                Some(&gbr),
                None,
            )
            .await;
        assert_problem(&r, StatusCode::NOT_FOUND, "not_found");
    }
    // Audited with counts, no names.
    let audit = app
        .state
        .store
        .audit_entries(None, 200)
        .await
        .expect("audit");
    let e = audit
        .iter()
        .find(|e| e.action == "screening.rescreen")
        .expect("rescreen audited");
    assert!(e.detail.contains("\"findings\":3"), "{}", e.detail);
    assert!(!e.detail.contains("Jamal"), "{}", e.detail);
}
