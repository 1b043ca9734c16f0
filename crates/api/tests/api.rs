//! Black-box tests of the HTTP API through the router (no sockets), on
//! SQLite by default and on PostgreSQL when COALESCE_TEST_POSTGRES is set.

mod common;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use coalesce_store::testing::SEED_PASSWORD;
use common::{assert_problem, App};
use serde_json::{json, Value};

/// Every documented operation exists and refuses anonymous callers, except
/// login; health answers without login.
#[tokio::test]
async fn every_endpoint_but_health_and_login_needs_credentials() {
    let app = App::seeded().await;
    let health = app.send(Method::GET, "/healthz", None, None).await;
    assert_eq!(health.status, StatusCode::OK);
    let ready = app.send(Method::GET, "/readyz", None, None).await;
    assert_eq!(ready.status, StatusCode::OK, "{}", ready.json);
    assert_eq!(ready.json["status"], "ready");
    assert!(
        ready.json["schema"].as_i64().unwrap_or(0) >= 43,
        "{}",
        ready.json
    );
    let doc: Value = serde_json::from_str(&coalesce_api::openapi_json()).expect("openapi json");
    let paths = doc["paths"].as_object().expect("paths");
    assert!(paths.len() >= 12);
    let mut checked = 0;
    for (path, ops) in paths {
        for method in ops.as_object().expect("ops").keys() {
            let concrete = path
                .replace("{code}", "GBR")
                .replace("{slug}", "small-group")
                .replace("{id}", "01900000-0000-7000-8000-000000000000")
                .replace("{seq}", "1");
            let m = Method::from_bytes(method.to_uppercase().as_bytes()).expect("method");
            let body = matches!(method.as_str(), "post" | "put").then(|| json!({}));
            let r = app.send(m, &format!("/api/v1{concrete}"), None, body).await;
            if path == "/auth/login" {
                assert_ne!(r.status, StatusCode::NOT_FOUND);
                continue;
            }
            // A calendar feed's credential is the secret token in its
            // path (calendar programs send no other): a wrong one is a 404.
            if path == "/calendar/{token}" {
                assert_problem(&r, StatusCode::NOT_FOUND, "not_found");
                continue;
            }
            assert_problem(&r, StatusCode::UNAUTHORIZED, "unauthorized");
            checked += 1;
        }
    }
    assert!(checked >= 15, "checked {checked} operations");
    // A wrong token is no better than none.
    assert_problem(
        &app.send(Method::GET, "/api/v1/me", Some("nope"), None)
            .await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    );
}

#[tokio::test]
async fn openapi_document_describes_what_is_served() {
    let app = App::seeded().await;
    let r = app
        .send(Method::GET, "/api/v1/openapi.json", None, None)
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.json["openapi"]
        .as_str()
        .is_some_and(|v| v.starts_with("3.")));
    for p in [
        "/auth/login",
        "/auth/logout",
        "/me",
        "/members",
        "/members/{code}",
        "/groups",
        "/groups/{slug}",
        "/lines-of-effort",
        "/notes",
        "/notes/{id}",
        "/notes/count",
    ] {
        assert!(r.json["paths"].get(p).is_some(), "missing {p}");
    }
    assert!(r.json["components"]["schemas"]["Problem"].is_object());
    // Paging parameters are query parameters, not path parameters.
    for p in r.json["paths"]["/notes"]["get"]["parameters"]
        .as_array()
        .expect("parameters")
    {
        assert_eq!(p["in"], "query", "{p}");
    }
    assert!(r.json["components"]["securitySchemes"]["bearer"].is_object());
    // Unknown endpoints and methods are problems too.
    assert_problem(
        &app.send(Method::GET, "/api/v1/nothing-here", None, None)
            .await,
        StatusCode::NOT_FOUND,
        "not_found",
    );
    let t = app.login("usa").await;
    assert_problem(
        &app.send(Method::PATCH, "/api/v1/members", Some(&t), None)
            .await,
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
    );
}

#[tokio::test]
async fn login_logout_me_and_rate_limit() {
    let app = App::seeded().await;
    let r = app
        .send(
            Method::POST,
            "/api/v1/auth/login",
            None,
            Some(json!({"username": "gbr", "password": SEED_PASSWORD})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let cookie = r
        .headers
        .get(header::SET_COOKIE)
        .and_then(|v| v.to_str().ok())
        .expect("cookie")
        .to_string();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    let token = r.json["token"].as_str().expect("token").to_string();
    assert!(cookie.contains(&token));
    assert_eq!(r.json["user"]["member"], "GBR");

    let me = app
        .send(Method::GET, "/api/v1/me", Some(&token), None)
        .await;
    assert_eq!(me.json["username"], "gbr");
    assert_eq!(me.json["groups"], json!(["small-group"]));
    // The session cookie works as well as the bearer header.
    let via_cookie = app
        .raw(
            Request::get("/api/v1/me")
                .header(header::COOKIE, format!("coalesce_session={token}"))
                .body(Body::empty())
                .expect("req"),
        )
        .await;
    assert_eq!(via_cookie.status, StatusCode::OK);

    let out = app
        .send(Method::POST, "/api/v1/auth/logout", Some(&token), None)
        .await;
    assert_eq!(out.status, StatusCode::NO_CONTENT);
    assert_problem(
        &app.send(Method::GET, "/api/v1/me", Some(&token), None)
            .await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    );

    // Wrong passwords: 401 each, then 429 once the limit is reached, even with the right one.
    for _ in 0..5 {
        let r = app
            .send(
                Method::POST,
                "/api/v1/auth/login",
                None,
                Some(json!({"username": "fra", "password": "wrong password"})),
            )
            .await;
        assert_problem(&r, StatusCode::UNAUTHORIZED, "invalid_credentials");
    }
    let r = app
        .send(
            Method::POST,
            "/api/v1/auth/login",
            None,
            Some(json!({"username": "fra", "password": SEED_PASSWORD})),
        )
        .await;
    assert_problem(&r, StatusCode::TOO_MANY_REQUESTS, "rate_limited");
    assert!(r.headers.get(header::RETRY_AFTER).is_some());
    let audit = app
        .state
        .store
        .audit_entries(None, 1000)
        .await
        .expect("audit");
    assert_eq!(
        audit
            .iter()
            .filter(|e| e.action == "login_failed" && e.subject == "fra")
            .count(),
        5
    );
    assert!(audit.iter().any(|e| e.action == "login_rate_limited"));
    // Unknown users fail the same way.
    let r = app
        .send(
            Method::POST,
            "/api/v1/auth/login",
            None,
            Some(json!({"username": "nobody", "password": "whatever it is"})),
        )
        .await;
    assert_problem(&r, StatusCode::UNAUTHORIZED, "invalid_credentials");
}

#[tokio::test]
async fn a_note_marked_rel_to_gbr_is_for_usa_and_gbr_only() {
    let app = App::seeded().await;
    let (usa, gbr, fra) = (
        app.login("usa").await,
        app.login("gbr").await,
        app.login("fra").await,
    );
    let body = json!({"title": "Amerli", "body": "Airdrop plan", "marking": {"tlp": "AMBER", "rel_to": ["GBR"]}});
    let r = app
        .send(Method::POST, "/api/v1/notes", Some(&usa), Some(body))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
    let id = r.json["id"].as_str().expect("id").to_string();
    assert_eq!(r.json["origin"], "USA");
    assert_eq!(
        r.json["marking"],
        json!({"tlp": "AMBER", "rel_to": ["GBR"]})
    );
    assert_eq!(r.json["banner"], "TLP:AMBER REL TO GBR, USA");

    for (who, t, visible) in [
        ("usa", &usa, true),
        ("gbr", &gbr, true),
        ("fra", &fra, false),
    ] {
        let list = app.send(Method::GET, "/api/v1/notes", Some(t), None).await;
        let ids: Vec<&str> = list.json["items"]
            .as_array()
            .expect("items")
            .iter()
            .filter_map(|n| n["id"].as_str())
            .collect();
        assert_eq!(ids.contains(&id.as_str()), visible, "{who} list");
        assert!(list.json.get("next").is_some());
        let count = app
            .send(Method::GET, "/api/v1/notes/count", Some(t), None)
            .await;
        assert_eq!(count.json["count"], i64::from(visible), "{who} count");
        let one = app
            .send(Method::GET, &format!("/api/v1/notes/{id}"), Some(t), None)
            .await;
        if visible {
            assert_eq!(one.status, StatusCode::OK, "{who} get");
        } else {
            assert_problem(&one, StatusCode::NOT_FOUND, "not_found");
        }
    }
    // Ownership: GBR reads but cannot change; FRA cannot even see it.
    let change = json!({"title": "x", "marking": {"tlp": "RED"}});
    assert_problem(
        &app.send(
            Method::PUT,
            &format!("/api/v1/notes/{id}"),
            Some(&gbr),
            Some(change.clone()),
        )
        .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    );
    assert_problem(
        &app.send(
            Method::PUT,
            &format!("/api/v1/notes/{id}"),
            Some(&fra),
            Some(change.clone()),
        )
        .await,
        StatusCode::NOT_FOUND,
        "not_found",
    );
    let upd = app
        .send(Method::PUT, &format!("/api/v1/notes/{id}"), Some(&usa), Some(json!({"title": "Amerli v2", "marking": {"tlp": "AMBER", "rel_to": ["GBR"]}, "if_version": 1})))
        .await;
    assert_eq!(upd.status, StatusCode::OK, "{}", upd.json);
    assert_eq!(upd.json["version"], 2);
    let stale = app
        .send(
            Method::PUT,
            &format!("/api/v1/notes/{id}"),
            Some(&usa),
            Some(json!({"title": "again", "marking": {"tlp": "AMBER"}, "if_version": 1})),
        )
        .await;
    assert_problem(&stale, StatusCode::CONFLICT, "version_conflict");
    let versions = app
        .send(
            Method::GET,
            &format!("/api/v1/notes/{id}/versions"),
            Some(&gbr),
            None,
        )
        .await;
    assert_eq!(versions.json["items"].as_array().map(Vec::len), Some(2));
    // Reads of the AMBER note were audited.
    let audit = app
        .state
        .store
        .audit_entries(None, 1000)
        .await
        .expect("audit");
    assert!(audit
        .iter()
        .any(|e| e.action == "note.read" && e.actor == "gbr" && e.subject == id));
    // Withdrawal removes it from lists and counts.
    let del = app
        .send(
            Method::DELETE,
            &format!("/api/v1/notes/{id}"),
            Some(&usa),
            None,
        )
        .await;
    assert_eq!(del.status, StatusCode::OK);
    assert_eq!(
        app.send(Method::GET, "/api/v1/notes/count", Some(&gbr), None)
            .await
            .json["count"],
        0
    );
    assert!(app
        .state
        .store
        .verify_audit()
        .await
        .expect("verify")
        .is_ok());
}

#[tokio::test]
async fn bad_input_gets_a_problem_and_writes_nothing() {
    let app = App::seeded().await;
    let usa = app.login("usa").await;
    let count = || async {
        app.send(Method::GET, "/api/v1/notes/count", Some(&usa), None)
            .await
            .json["count"]
            .as_i64()
    };
    let cases: Vec<(Value, StatusCode, &str)> = vec![
        (
            json!({"title": "t", "marking": {"tlp": "PURPLE"}}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_marking",
        ),
        (
            json!({"title": "t", "marking": {"tlp": "RED", "rel_to": ["gbr"]}}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_marking",
        ),
        (
            json!({"title": "t", "marking": {"tlp": "RED", "rel_to": ["GROUP:"]}}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_marking",
        ),
        (
            json!({"title": "", "marking": {"tlp": "RED"}}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_field",
        ),
        (
            json!({"title": "x".repeat(201), "marking": {"tlp": "RED"}}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_field",
        ),
        (
            json!({"title": "t", "marking": {"tlp": "RED"}, "colour": "blue"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_body",
        ),
        (
            json!({"title": "t"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_body",
        ),
        (
            json!({"title": "t", "marking": {"tlp": "RED"}, "group": "no-such-group"}),
            StatusCode::BAD_REQUEST,
            "bad_request",
        ),
    ];
    for (body, status, code) in cases {
        let r = app
            .send(
                Method::POST,
                "/api/v1/notes",
                Some(&usa),
                Some(body.clone()),
            )
            .await;
        assert_problem(&r, status, code);
    }
    let raw = |ct: &str, body: &str| {
        Request::post("/api/v1/notes")
            .header(header::AUTHORIZATION, format!("Bearer {usa}"))
            .header(header::CONTENT_TYPE, ct)
            .body(Body::from(body.to_string()))
            .expect("req")
    };
    assert_problem(
        &app.raw(raw("application/json", "{not json")).await,
        StatusCode::BAD_REQUEST,
        "invalid_json",
    );
    assert_problem(
        &app.raw(raw("text/plain", "{}")).await,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
    );
    assert_eq!(count().await, Some(0), "nothing written");
    assert_problem(
        &app.send(Method::GET, "/api/v1/notes?cursor=abc", Some(&usa), None)
            .await,
        StatusCode::BAD_REQUEST,
        "bad_request",
    );
    assert_problem(
        &app.send(Method::GET, "/api/v1/notes?limit=many", Some(&usa), None)
            .await,
        StatusCode::BAD_REQUEST,
        "invalid_query",
    );
    assert_problem(
        &app.send(Method::GET, "/api/v1/notes/not-an-id", Some(&usa), None)
            .await,
        StatusCode::NOT_FOUND,
        "not_found",
    );

    // Registry: unknown codes, duplicates, wrong kinds; nothing written.
    let members_before = app.state.store.list_members().await.expect("members").len();
    for (body, status, code) in [
        (
            json!({"code": "uk", "name": "UK", "kind": "state"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_member_code",
        ),
        (
            json!({"code": "ZZZ", "name": "Nowhere", "kind": "state"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_field",
        ),
        (
            json!({"code": "GBR", "name": "United Kingdom", "kind": "state"}),
            StatusCode::CONFLICT,
            "already_exists",
        ),
        (
            json!({"code": "NATO", "name": "NATO", "kind": "alliance"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_field",
        ),
    ] {
        assert_problem(
            &app.send(Method::POST, "/api/v1/members", Some(&usa), Some(body))
                .await,
            status,
            code,
        );
    }
    assert_eq!(
        app.state.store.list_members().await.expect("members").len(),
        members_before
    );
    let bad_group =
        json!({"slug": "wg", "name": "WG", "kind": "working_group", "members": ["USA", "ZZZ"]});
    assert_problem(
        &app.send(Method::POST, "/api/v1/groups", Some(&usa), Some(bad_group))
            .await,
        StatusCode::BAD_REQUEST,
        "bad_request",
    );
    assert_problem(
        &app.send(Method::GET, "/api/v1/groups/wg", Some(&usa), None)
            .await,
        StatusCode::NOT_FOUND,
        "not_found",
    );
    assert_problem(
        &app.send(Method::GET, "/api/v1/members/zz", Some(&usa), None)
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_member_code",
    );
}

#[tokio::test]
async fn registry_is_read_by_all_and_changed_by_secretariat_coordinators() {
    let app = App::seeded().await;
    let (usa, gbr, admin) = (
        app.login("usa").await,
        app.login("gbr").await,
        app.login("admin").await,
    );
    let members = app
        .send(Method::GET, "/api/v1/members", Some(&gbr), None)
        .await;
    assert_eq!(members.json["items"].as_array().map(Vec::len), Some(4));
    assert_eq!(members.json["next"], Value::Null);
    let page = app
        .send(Method::GET, "/api/v1/members?limit=3", Some(&gbr), None)
        .await;
    assert_eq!(page.json["items"].as_array().map(Vec::len), Some(3));
    let next = page.json["next"].as_str().expect("next");
    let rest = app
        .send(
            Method::GET,
            &format!("/api/v1/members?limit=3&cursor={next}"),
            Some(&gbr),
            None,
        )
        .await;
    assert_eq!(rest.json["items"][0]["code"], "USA");
    assert_eq!(rest.json["next"], Value::Null);
    let irq = app
        .send(Method::GET, "/api/v1/members/IRQ", Some(&gbr), None)
        .await;
    assert_eq!(irq.json["role"], "partner");

    let nato = json!({"code": "NATO", "name": "North Atlantic Treaty Organization", "kind": "organisation", "joined": "2017-05-25"});
    assert_problem(
        &app.send(
            Method::POST,
            "/api/v1/members",
            Some(&gbr),
            Some(nato.clone()),
        )
        .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    );
    let created = app
        .send(Method::POST, "/api/v1/members", Some(&usa), Some(nato))
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.json);
    assert_eq!(created.json["code"], "NATO");

    let g = json!({"slug": "ff-task-force", "name": "Foreign fighters task force", "kind": "task_force", "members": ["GBR", "FRA"]});
    let r = app
        .send(Method::POST, "/api/v1/groups", Some(&usa), Some(g))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
    assert_eq!(r.json["members"], json!(["FRA", "GBR"]));
    let groups = app
        .send(Method::GET, "/api/v1/groups", Some(&gbr), None)
        .await;
    assert!(groups.json["items"]
        .as_array()
        .expect("items")
        .iter()
        .any(|g| g["slug"] == "ff-task-force"));
    let set = app
        .send(
            Method::PUT,
            "/api/v1/groups/ff-task-force/members",
            Some(&usa),
            Some(json!({"members": ["GBR"]})),
        )
        .await;
    assert_eq!(set.json["members"], json!(["GBR"]));

    let loe = app
        .send(
            Method::POST,
            "/api/v1/lines-of-effort",
            Some(&usa),
            Some(json!({"slug": "stabilisation", "name": "Stabilisation"})),
        )
        .await;
    assert_eq!(loe.status, StatusCode::CREATED);
    let lines = app
        .send(Method::GET, "/api/v1/lines-of-effort", Some(&gbr), None)
        .await;
    assert_eq!(lines.json["items"].as_array().map(Vec::len), Some(2));

    // The audit log: admins only.
    assert_problem(
        &app.send(Method::GET, "/api/v1/audit", Some(&usa), None)
            .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    );
    let audit = app
        .send(Method::GET, "/api/v1/audit?limit=5", Some(&admin), None)
        .await;
    assert_eq!(audit.json["items"].as_array().map(Vec::len), Some(5));
    assert!(audit.json["next"].is_string());
}

/// `/readyz` answers 503 (problem+json) when the database does not.
#[tokio::test]
async fn readyz_says_what_is_not_ready() {
    let app = App::seeded().await;
    app.state.store.close().await;
    let ready = app.send(Method::GET, "/readyz", None, None).await;
    assert_eq!(ready.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(ready.json["code"], "not_ready", "{}", ready.json);
    assert!(
        ready.json["detail"]
            .as_str()
            .unwrap_or("")
            .contains("does not answer"),
        "{}",
        ready.json
    );
}
