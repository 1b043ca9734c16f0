//! Peers over the API (issue 15): administrators add, list, pause, resume
//! and remove them; a peer pulls with its own credential and is served as
//! the member it hosts — the one audience filter, nothing more. SQLite by
//! default, PostgreSQL when COALESCE_TEST_POSTGRES is set.

mod common;

use axum::http::{Method, StatusCode};
use common::{assert_problem, get, post, App};
use serde_json::json;

fn key(n: u8) -> String {
    coalesce_federation::NodeKey::from_seed([n; 32])
        .public()
        .to_text()
}

#[tokio::test]
async fn an_administrator_adds_a_peer_that_is_served_as_its_member_only() {
    let app = App::seeded().await;
    let (admin, gbr, usa) = (
        app.login("admin").await,
        app.login("gbr").await,
        app.login("usa").await,
    );
    let peer = json!({"name": "paris", "url": "https://coalesce.fra.example/", "member": "FRA", "key": key(3)});

    // Only administrators.
    let r = post(&app, "/peers", &usa, peer.clone()).await;
    assert_problem(&r, StatusCode::FORBIDDEN, "forbidden");
    assert_problem(
        &get(&app, "/peers", &gbr).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    );

    // Bad input changes nothing.
    for (bad, why) in [
        (
            json!({"name": "Paris!", "url": "https://x.example", "member": "FRA", "key": key(3)}),
            "name",
        ),
        (
            json!({"name": "paris", "url": "ftp://x.example", "member": "FRA", "key": key(3)}),
            "url",
        ),
        (
            json!({"name": "paris", "url": "https://x.example", "member": "ZZZ", "key": key(3)}),
            "member",
        ),
        (
            json!({"name": "paris", "url": "https://x.example", "member": "FRA", "key": "ed25519:AAAA"}),
            "key",
        ),
        (
            json!({"name": "paris", "url": "https://x.example", "member": "FRA", "key": key(3), "extra": 1}),
            "unknown field",
        ),
    ] {
        let r = post(&app, "/peers", &admin, bad).await;
        assert!(r.status.is_client_error(), "{why}: {} {}", r.status, r.json);
    }
    assert_eq!(get(&app, "/peers", &admin).await.json["items"], json!([]));
    // A node is not its own peer.
    app.state
        .store
        .register_node_key(&key(9))
        .await
        .expect("own key");
    let own = post(
        &app,
        "/peers",
        &admin,
        json!({"name": "self", "url": "https://x.example", "member": "USA", "key": key(9)}),
    )
    .await;
    assert_problem(&own, StatusCode::UNPROCESSABLE_ENTITY, "invalid_body");

    let r = post(&app, "/peers", &admin, peer.clone()).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
    assert_eq!(r.json["peer"]["url"], "https://coalesce.fra.example");
    assert_eq!(r.json["peer"]["username"], "peer.paris");
    assert!(r.json["peer"]["fingerprint"]
        .as_str()
        .is_some_and(|f| f.starts_with("SHA256:")));
    let credential = r.json["credential"]
        .as_str()
        .expect("credential")
        .to_string();
    let again = post(&app, "/peers", &admin, peer).await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.json);

    // The peer reads as France: a note for France, not one for the UK alone.
    let for_fra = post(
        &app,
        "/notes",
        &gbr,
        json!({"title": "for FRA", "body": "x", "marking": {"tlp": "AMBER", "rel_to": ["FRA"]}}),
    )
    .await;
    let for_usa = post(
        &app,
        "/notes",
        &gbr,
        json!({"title": "for USA", "body": "x", "marking": {"tlp": "AMBER", "rel_to": ["USA"]}}),
    )
    .await;
    let seen = get(&app, "/notes", &credential).await;
    assert_eq!(seen.status, StatusCode::OK, "{}", seen.json);
    let ids: Vec<&str> = seen.json["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|n| n["id"].as_str())
        .collect();
    assert!(ids.contains(&for_fra.json["id"].as_str().expect("id")));
    assert!(!ids.contains(&for_usa.json["id"].as_str().expect("id")));
    // A viewer: it reads, it writes nothing.
    let w = post(
        &app,
        "/notes",
        &credential,
        json!({"title": "x", "body": "x", "marking": {"tlp": "GREEN", "rel_to": ["COALITION"]}}),
    )
    .await;
    assert!(w.status == StatusCode::FORBIDDEN, "{} {}", w.status, w.json);

    // Paused: its credential stops working; resumed, it needs a new one.
    let r = app
        .send(
            Method::POST,
            "/api/v1/peers/paris/pause",
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(r.json["paused"], true, "{}", r.json);
    assert_eq!(
        get(&app, "/notes", &credential).await.status,
        StatusCode::UNAUTHORIZED
    );
    let r = app
        .send(
            Method::POST,
            "/api/v1/peers/paris/resume",
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(r.json["paused"], false);
    assert_eq!(
        get(&app, "/notes", &credential).await.status,
        StatusCode::UNAUTHORIZED
    );
    let listed = get(&app, "/peers", &admin).await;
    assert_eq!(listed.json["items"][0]["name"], "paris");

    // Changed: its new key after it rotated (the old one retired, still
    // trusted for what it signed), relay, its URL; bad input changes nothing.
    let patch = |body: serde_json::Value, token: String| {
        let app = &app;
        async move {
            app.send(
                Method::PATCH,
                "/api/v1/peers/paris",
                Some(&token),
                Some(body),
            )
            .await
        }
    };
    assert_problem(
        &patch(json!({"relay": true}), gbr.clone()).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    );
    for bad in [
        json!({"key": "ed25519:AAAA"}),
        json!({"url": "ftp://x.example"}),
        json!({"relay": "yes"}),
        json!({"colour": "red"}),
    ] {
        let r = patch(bad.clone(), admin.clone()).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{bad}: {}",
            r.json
        );
    }
    let r = app
        .send(
            Method::PATCH,
            "/api/v1/peers/nobody",
            Some(&admin),
            Some(json!({"relay": true})),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let unchanged = get(&app, "/peers/paris", &admin).await;
    assert_eq!(unchanged.json["public_key"], key(3));
    assert_eq!(unchanged.json["relay"], false);
    let r = patch(
        json!({"key": key(4), "relay": true, "url": "https://node.fra.example"}),
        admin.clone(),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    assert_eq!(r.json["public_key"], key(4));
    assert_eq!(r.json["retired_keys"], json!([key(3)]));
    assert_eq!(r.json["relay"], true);
    assert_eq!(r.json["url"], "https://node.fra.example");
    let r = patch(json!({"key": key(3)}), admin.clone()).await;
    assert_problem(&r, StatusCode::BAD_REQUEST, "bad_request");

    // A plain TAXII server: a collection to import unsigned, no key; both,
    // or a collection that is no id, change nothing.
    for (bad, why) in [
        (
            json!({"name": "feed", "url": "https://taxii.example/api1", "member": "GBR", "key": key(5), "unsigned_import": "c1"}),
            "not both",
        ),
        (
            json!({"name": "feed", "url": "https://taxii.example/api1", "member": "GBR", "unsigned_import": "a/b"}),
            "collection",
        ),
        (
            json!({"name": "feed", "url": "https://taxii.example/api1", "member": "GBR"}),
            "key",
        ),
    ] {
        let r = post(&app, "/peers", &admin, bad).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{why}: {}",
            r.json
        );
    }
    let r = post(
        &app,
        "/peers",
        &admin,
        json!({"name": "feed", "url": "https://taxii.example/api1", "member": "GBR", "unsigned_import": "91a7b528-80eb-42ed-a74d-c6fbd5a26116"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
    assert_eq!(
        r.json["peer"]["unsigned_import"],
        "91a7b528-80eb-42ed-a74d-c6fbd5a26116"
    );
    let r = app
        .send(Method::DELETE, "/api/v1/peers/feed", Some(&admin), None)
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);

    // Removed: gone, and audited throughout.
    let r = app
        .send(Method::DELETE, "/api/v1/peers/paris", Some(&admin), None)
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    assert_eq!(
        get(&app, "/peers/paris", &admin).await.status,
        StatusCode::NOT_FOUND
    );
    let actions: Vec<String> = app
        .state
        .store
        .audit_entries(None, 200)
        .await
        .expect("audit")
        .into_iter()
        .map(|e| e.action)
        .filter(|a| a.starts_with("peer."))
        .collect();
    assert_eq!(
        actions,
        [
            "peer.remove",
            "peer.remove",
            "peer.add",
            "peer.change",
            // The key changed: the peer is pulled again from its beginning.
            "peer.resync",
            "peer.resume",
            "peer.pause",
            "peer.add"
        ]
    );
}
