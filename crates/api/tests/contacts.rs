//! Points of contact, the kind added to show the record layer: everything a
//! kind gets from the layer (routes, audience, versions, withdrawal,
//! conflicts, batches, counts, STIX form, OpenAPI) without code of its own.
//! SQLite by default, PostgreSQL when COALESCE_TEST_POSTGRES is set.

mod common;

use axum::http::{Method, StatusCode};
use common::{assert_problem, get, ids, post, put, App};
use serde_json::{json, Value};

fn contact(name: &str, rel_to: &[&str]) -> Value {
    json!({"name": name, "role": "Counter-financing desk officer", "email": "desk@fco.example.org",
           "marking": {"tlp": "AMBER", "rel_to": rel_to}})
}

async fn delete(app: &App, path: &str, token: &str) -> common::Res {
    app.send(Method::DELETE, &format!("/api/v1{path}"), Some(token), None)
        .await
}

#[tokio::test]
async fn a_contact_is_read_only_inside_its_audience_and_changed_only_by_its_origin() {
    let app = App::seeded().await;
    let (gbr, usa, fra) = (
        app.login("gbr").await,
        app.login("usa").await,
        app.login("fra").await,
    );
    let r = post(&app, "/contacts", &gbr, contact("Jane Doe", &["USA"])).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
    let id = r.json["id"].as_str().expect("id").to_string();
    assert_eq!(r.json["name"], "Jane Doe");
    assert_eq!(r.json["kind"], "contact");
    assert_eq!(r.json["origin"], "GBR");
    assert_eq!(r.json["version"], 1);
    assert_eq!(r.json["status"], "live");
    assert_eq!(r.json["banner"], "TLP:AMBER REL TO GBR, USA");
    assert!(
        r.json.get("seq").is_none(),
        "the node-wide sequence says how much else there is"
    );

    // Inside the audience: read, listed, counted; outside: it does not exist.
    assert_eq!(
        get(&app, &format!("/contacts/{id}"), &usa).await.json["name"],
        "Jane Doe"
    );
    assert_problem(
        &get(&app, &format!("/contacts/{id}"), &fra).await,
        StatusCode::NOT_FOUND,
        "not_found",
    );
    assert_eq!(ids(&get(&app, "/contacts", &usa).await), vec![id.clone()]);
    assert!(ids(&get(&app, "/contacts", &fra).await).is_empty());
    assert_eq!(get(&app, "/contacts/count", &usa).await.json["count"], 1);
    assert_eq!(get(&app, "/contacts/count", &fra).await.json["count"], 0);
    assert_problem(
        &get(&app, &format!("/contacts/{id}/versions"), &fra).await,
        StatusCode::NOT_FOUND,
        "not_found",
    );
    assert_problem(
        &get(&app, &format!("/contacts/{id}/stix"), &fra).await,
        StatusCode::NOT_FOUND,
        "not_found",
    );
    assert_eq!(
        ids(&get(&app, "/contacts?origin=GBR", &usa).await),
        vec![id.clone()]
    );
    assert!(ids(&get(&app, "/contacts?origin=USA", &usa).await).is_empty());

    // Only the origin's users change it; a stale version is a typed 409.
    let mut changed = contact("Jane Doe", &["USA", "FRA"]);
    changed["if_version"] = json!(1);
    assert_problem(
        &put(&app, &format!("/contacts/{id}"), &usa, changed.clone()).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    );
    let r = put(&app, &format!("/contacts/{id}"), &gbr, changed.clone()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    assert_eq!(r.json["version"], 2);
    let r = put(&app, &format!("/contacts/{id}"), &gbr, changed).await;
    assert_problem(&r, StatusCode::CONFLICT, "version_conflict");
    assert_eq!(r.json["current_version"], 2);
    // Widened to FRA: now FRA reads it and counts it.
    assert_eq!(get(&app, "/contacts/count", &fra).await.json["count"], 1);

    // Withdrawn: a new version, out of lists and counts, never changed again.
    assert_problem(
        &delete(&app, &format!("/contacts/{id}?if_version=1"), &gbr).await,
        StatusCode::CONFLICT,
        "version_conflict",
    );
    let r = delete(&app, &format!("/contacts/{id}?if_version=2"), &gbr).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    assert_eq!(r.json["status"], "withdrawn");
    assert_eq!(r.json["version"], 3);
    assert!(ids(&get(&app, "/contacts", &usa).await).is_empty());
    assert_eq!(get(&app, "/contacts/count", &usa).await.json["count"], 0);
    assert_problem(
        &put(&app, &format!("/contacts/{id}"), &gbr, contact("Back", &[])).await,
        StatusCode::CONFLICT,
        "already_withdrawn",
    );
    assert_problem(
        &delete(&app, &format!("/contacts/{id}"), &gbr).await,
        StatusCode::CONFLICT,
        "already_withdrawn",
    );

    // Versions: each kept with its own marking (USA read all three; FRA
    // only those released to it).
    let v = get(&app, &format!("/contacts/{id}/versions"), &usa).await;
    let versions: Vec<i64> = v.json["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|x| x["version"].as_i64().expect("v"))
        .collect();
    assert_eq!(versions, vec![1, 2, 3]);
    assert_eq!(v.json["items"][0]["provenance"]["from"], "local");
    assert_eq!(v.json["items"][2]["status"], "withdrawn");
    let v = get(&app, &format!("/contacts/{id}/versions"), &fra).await;
    assert_eq!(v.json["items"].as_array().expect("items").len(), 2);

    // The audit names the actions on it, never its content (USA's
    // administrator reads entries about records USA may read).
    let admin = app.login("admin").await;
    let audit = get(&app, "/audit?limit=500", &admin).await;
    assert_eq!(audit.status, StatusCode::OK, "{}", audit.json);
    let text = audit.json.to_string();
    for action in ["contact.create", "contact.update", "contact.withdraw"] {
        assert!(text.contains(action), "{action} not audited");
    }
    assert!(
        !text.contains("Jane Doe") && !text.contains("desk@fco"),
        "content in the audit log"
    );
}

#[tokio::test]
async fn bad_contacts_are_refused_with_the_field_named_and_nothing_written() {
    let app = App::seeded().await;
    let gbr = app.login("gbr").await;
    let viewer = app.login("viewer").await;
    let mut bad_email = contact("Jane", &[]);
    bad_email["email"] = json!("jane-at-fco");
    let r = post(&app, "/contacts", &gbr, bad_email).await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY, "invalid_field");
    assert!(r.json["detail"].as_str().expect("detail").contains("email"));
    let mut unknown = contact("Jane", &[]);
    unknown["nickname"] = json!("JD");
    let r = post(&app, "/contacts", &gbr, unknown).await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY, "invalid_body");
    assert!(r.json["detail"]
        .as_str()
        .expect("detail")
        .contains("nickname"));
    let r = post(
        &app,
        "/contacts",
        &gbr,
        contact("Jane", &["GROUP:nonexistent"]),
    )
    .await;
    assert_problem(
        &r,
        StatusCode::UNPROCESSABLE_ENTITY,
        "unknown_audience_token",
    );
    let r = post(
        &app,
        "/contacts",
        &gbr,
        json!({"name": "Jane", "role": "x", "email": "j@x.org"}),
    )
    .await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY, "invalid_body");
    let r = post(&app, "/contacts", &gbr, json!(["not", "an", "object"])).await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY, "invalid_body");
    assert_problem(
        &post(&app, "/contacts", &viewer, contact("Jane", &[])).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    );
    assert_problem(
        &get(&app, "/contacts/not-a-uuid", &gbr).await,
        StatusCode::NOT_FOUND,
        "not_found",
    );
    assert_problem(
        &get(&app, "/contacts?limit=ten", &gbr).await,
        StatusCode::BAD_REQUEST,
        "invalid_query",
    );
    // A batch with one bad item writes nothing and names the item.
    let mut items: Vec<Value> = (0..50)
        .map(|i| contact(&format!("Officer {i}"), &["USA"]))
        .collect();
    items[37]["email"] = json!("nobody");
    let r = post(&app, "/contacts/batch", &gbr, json!({ "items": items })).await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY, "invalid_field");
    assert!(
        r.json["detail"]
            .as_str()
            .expect("detail")
            .starts_with("items[37]"),
        "{}",
        r.json
    );
    assert_eq!(get(&app, "/contacts/count", &gbr).await.json["count"], 0);
}

#[tokio::test]
async fn a_batch_writes_every_record_with_its_own_audience() {
    let app = App::seeded().await;
    let (gbr, usa, fra) = (
        app.login("gbr").await,
        app.login("usa").await,
        app.login("fra").await,
    );
    // 600 records: more than one multi-row statement; alternately for USA
    // and for the small group (USA, GBR).
    let items: Vec<Value> = (0..600)
        .map(|i| {
            contact(
                &format!("Officer {i}"),
                if i % 2 == 0 {
                    &["USA"]
                } else {
                    &["GROUP:small-group"]
                },
            )
        })
        .collect();
    let r = post(&app, "/contacts/batch", &gbr, json!({ "items": items })).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
    let created: Vec<String> = r.json["ids"]
        .as_array()
        .expect("ids")
        .iter()
        .map(|i| i.as_str().expect("id").to_string())
        .collect();
    assert_eq!(created.len(), 600);
    assert_eq!(get(&app, "/contacts/count", &usa).await.json["count"], 600);
    assert_eq!(get(&app, "/contacts/count", &fra).await.json["count"], 0);
    // FRA joins the small group: it now counts and reads half, at once.
    let r = put(
        &app,
        "/groups/small-group/members",
        &usa,
        json!({"members": ["USA", "GBR", "FRA"]}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    assert_eq!(get(&app, "/contacts/count", &fra).await.json["count"], 300);
    // Walk FRA's pages: exactly the odd ones, each once.
    let mut seen = Vec::new();
    let mut cursor = String::new();
    loop {
        let page = get(&app, &format!("/contacts?limit=97{cursor}"), &fra).await;
        seen.extend(ids(&page));
        match page.json["next"].as_str() {
            Some(n) => cursor = format!("&cursor={n}"),
            None => break,
        }
    }
    let mut expected: Vec<String> = created.iter().skip(1).step_by(2).cloned().collect();
    expected.sort();
    seen.sort();
    assert_eq!(seen, expected);
}

#[tokio::test]
async fn a_contact_has_one_stix_form_and_the_api_document_describes_the_kind() {
    let app = App::seeded().await;
    let gbr = app.login("gbr").await;
    let r = post(&app, "/contacts", &gbr, contact("Jane Doe", &["USA"])).await;
    let id = r.json["id"].as_str().expect("id").to_string();
    let b = get(&app, &format!("/contacts/{id}/stix"), &gbr).await;
    assert_eq!(b.status, StatusCode::OK, "{}", b.json);
    assert_eq!(b.json["type"], "bundle");
    let objects = b.json["objects"].as_array().expect("objects");
    let o = &objects[0];
    assert_eq!(o["type"], "x-coalesce-contact");
    assert_eq!(o["name"], "Jane Doe");
    let ext = o["extensions"].as_object().expect("extensions");
    assert!(ext.values().any(|e| e["extension_type"] == "new-sdo"));
    assert!(ext.values().any(|e| e["record_id"] == id.as_str()));
    assert!(
        objects
            .iter()
            .any(|x| x["type"] == "extension-definition"
                && x["extension_types"] == json!(["new-sdo"]))
    );
    let doc = app
        .send(Method::GET, "/api/v1/openapi.json", None, None)
        .await;
    let paths = doc.json["paths"].as_object().expect("paths");
    for p in [
        "/contacts",
        "/contacts/batch",
        "/contacts/count",
        "/contacts/{id}",
        "/contacts/{id}/versions",
        "/contacts/{id}/stix",
    ] {
        assert!(paths.contains_key(p), "{p} not documented");
    }
    assert!(doc.json["components"]["schemas"]["ContactRecord"].is_object());
    assert!(doc.json["components"]["schemas"]["Contact"]["properties"]["email"].is_object());
}
