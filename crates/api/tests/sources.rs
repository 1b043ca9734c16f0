//! Sources (issue 22): where a record or a registry entry comes from, kept
//! beside it, set by its owner only, served with it to whoever reads it
//! and to nobody else. SQLite by default, PostgreSQL when
//! COALESCE_TEST_POSTGRES is set.

mod common;

use axum::http::StatusCode;
use coalesce_domain::source::{Citation, Source, Subject};
use coalesce_store::StoreError;
use common::{get, post, App};
use serde_json::json;

fn quoted() -> Source {
    Source::parse(
        &[Citation {
            document: "DoD News, 5 September 2014 (seed document 000)".into(),
            quote: "there is no time to waste".into(),
            seed: true,
        }],
        Some("The audience is the demo's."),
    )
    .expect("a source")
}

#[tokio::test]
async fn a_source_is_served_with_its_record_to_its_readers_only_and_set_by_its_origin() {
    let app = App::seeded().await;
    let (gbr, usa, fra) = (
        app.login("gbr").await,
        app.login("usa").await,
        app.login("fra").await,
    );
    let principal = |t: String| {
        let store = app.state.store.clone();
        async move {
            store
                .principal_for_token(&t)
                .await
                .expect("lookup")
                .expect("principal")
        }
    };
    let (p_gbr, p_usa) = (principal(gbr.clone()).await, principal(usa.clone()).await);
    let note = post(
        &app,
        "/notes",
        &gbr,
        json!({"title": "Wales", "body": "No time to waste.", "marking": {"tlp": "AMBER", "rel_to": ["USA"]}}),
    )
    .await;
    assert_eq!(note.status, StatusCode::CREATED, "{}", note.json);
    let id = note.json["id"].as_str().expect("id").to_string();
    let subject = Subject::Record(id.clone());
    let store = &app.state.store;

    // Without one, the field is left out.
    let r = get(&app, &format!("/notes/{id}"), &usa).await;
    assert!(r.json.get("source").is_none(), "{}", r.json);

    // Only the origin member cites; another member's attempt changes nothing.
    assert!(matches!(
        store.set_source(Some(&p_usa), &subject, &quoted()).await,
        Err(StoreError::Forbidden(_))
    ));
    assert_eq!(store.source_of(&subject).await.expect("read"), None);
    store
        .set_source(Some(&p_gbr), &subject, &quoted())
        .await
        .expect("the origin cites");
    let r = get(&app, &format!("/notes/{id}"), &usa).await;
    assert_eq!(
        r.json["source"]["citations"][0]["quote"],
        "there is no time to waste"
    );
    assert_eq!(
        r.json["source"]["illustrative"],
        "The audience is the demo's."
    );
    // Outside the audience there is no record, so no source either.
    let r = get(&app, &format!("/notes/{id}"), &fra).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(!r.json.to_string().contains("no time to waste"));

    // A subject that does not exist is refused as not found, and the
    // registry's entries are the node's or a coordinator's to cite.
    assert!(matches!(
        store
            .set_source(
                None,
                &Subject::Record("0190a0a0-0000-7000-8000-000000000000".into()),
                &quoted()
            )
            .await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        store
            .set_source(Some(&p_gbr), &Subject::Member("GBR".into()), &quoted())
            .await,
        Err(StoreError::Forbidden(_))
    ));
    store
        .set_source(None, &Subject::Member("GBR".into()), &quoted())
        .await
        .expect("the node cites");
    let r = get(&app, "/members/GBR", &fra).await;
    assert_eq!(r.json["source"]["citations"][0]["seed"], true);

    // The layer's own routes serve it too, in lists and one by one.
    let c = post(
        &app,
        "/contacts",
        &gbr,
        json!({"name": "Jane Doe", "role": "Desk officer", "email": "desk@fco.example.org",
               "marking": {"tlp": "GREEN", "rel_to": ["COALITION"]}}),
    )
    .await;
    let cid = c.json["id"].as_str().expect("id").to_string();
    store
        .set_source(Some(&p_gbr), &Subject::Record(cid.clone()), &quoted())
        .await
        .expect("cite");
    let one = get(&app, &format!("/contacts/{cid}"), &fra).await;
    assert_eq!(
        one.json["source"]["citations"][0]["document"],
        "DoD News, 5 September 2014 (seed document 000)"
    );
    let list = get(&app, "/contacts", &fra).await;
    assert_eq!(
        list.json["items"][0]["source"]["illustrative"],
        "The audience is the demo's."
    );

    // Each setting is audited.
    let entries = store.audit_entries(None, 500).await.expect("audit");
    let set: Vec<_> = entries
        .iter()
        .filter(|e| e.action == "source.set")
        .collect();
    assert_eq!(set.len(), 3, "{set:?}");
    assert!(store.verify_audit().await.expect("verify").is_ok());
}

#[test]
fn a_source_without_citation_or_label_is_refused() {
    assert!(Source::parse(&[], None).is_err());
    let empty = Citation {
        document: "".into(),
        quote: "words".into(),
        seed: true,
    };
    assert!(Source::parse(&[empty], None).is_err());
}

/// `GET /node`: the node's id, member, URL and keys, current first.
#[tokio::test]
async fn the_node_tells_its_id_member_url_and_keys() {
    let app = App::seeded().await;
    let token = app.login("fra").await;
    let store = &app.state.store;
    let a = coalesce_federation::NodeKey::from_seed([1; 32])
        .public()
        .to_text();
    let b = coalesce_federation::NodeKey::from_seed([2; 32])
        .public()
        .to_text();
    store.register_node_key(&a).await.expect("first key");
    store
        .register_node_key(&a)
        .await
        .expect("the same key again");
    store.register_node_key(&b).await.expect("rotated");
    assert!(
        store.register_node_key(&a).await.is_err(),
        "a retired key stays retired"
    );
    let r = get(&app, "/node", &token).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    assert_eq!(r.json["id"], store.node_id().await.expect("id"));
    assert_eq!(r.json["member"], "USA");
    assert_eq!(r.json["public_url"], "http://127.0.0.1:8080");
    assert_eq!(r.json["keys"][0]["public_key"], b);
    assert!(r.json["keys"][0].get("retired_at").is_none());
    assert_eq!(r.json["keys"][1]["public_key"], a);
    assert!(r.json["keys"][1]["retired_at"].is_string());
    assert!(r.json["keys"][0]["fingerprint"]
        .as_str()
        .is_some_and(|f| f.starts_with("SHA256:")));
}

/// Once the node holds its key, every version written here is signed over
/// the canonical form of `coalesce_federation::signed_version`; the
/// signature verifies with the node's public key, and fails for a version
/// altered afterwards.
#[tokio::test]
async fn versions_written_after_the_key_is_loaded_are_signed_and_verify() {
    use coalesce_domain::note::NoteKind;
    use coalesce_domain::record::canonical_json;
    let app = App::seeded().await;
    let gbr = app.login("gbr").await;
    let store = &app.state.store;
    let p = store
        .principal_for_token(&gbr)
        .await
        .expect("lookup")
        .expect("principal");
    let before = post(&app, "/notes", &gbr, json!({"title": "before", "body": "x", "marking": {"tlp": "GREEN", "rel_to": ["COALITION"]}})).await;
    let before_id = before.json["id"].as_str().expect("id").to_string();
    let key = coalesce_federation::NodeKey::from_seed([5; 32]);
    let public = key.public();
    store.set_node_key(key).await.expect("key");
    let note = post(&app, "/notes", &gbr, json!({"title": "Wales", "body": "No time to waste.", "marking": {"tlp": "AMBER", "rel_to": ["USA"]}})).await;
    let id = note.json["id"].as_str().expect("id").to_string();
    let changed = common::put(&app, &format!("/notes/{id}"), &gbr, json!({"title": "Wales", "body": "No time to waste at all.", "marking": {"tlp": "AMBER", "rel_to": ["USA"]}, "if_version": 1})).await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.json);

    let unsigned = store
        .version_signatures(&before_id)
        .await
        .expect("signatures");
    assert_eq!(unsigned, vec![(1, None, None)], "written before the key");
    let signatures = store.version_signatures(&id).await.expect("signatures");
    assert_eq!(signatures.len(), 2);
    let node = store.node_id().await.expect("node");
    let r = store.get_record::<NoteKind>(&p, &id).await.expect("record");
    let body: serde_json::Value =
        serde_json::from_str(&canonical_json(&r.body).expect("json")).expect("value");
    let payload = |body: &serde_json::Value| {
        coalesce_federation::signed_version(
            &id,
            "note",
            "GBR",
            &node,
            2,
            "live",
            "AMBER",
            &["USA".to_string()],
            body,
            r.updated_at_ms,
        )
    };
    let (version, signature, signed_by) = signatures[1].clone();
    assert_eq!(version, 2);
    assert_eq!(signed_by, Some(public.to_text()));
    let signature = signature.expect("signed");
    assert_eq!(public.verify_json(&payload(&body), &signature), Ok(()));
    // The body as it would arrive altered: refused.
    let mut altered = body.clone();
    altered["body"] = json!("Plenty of time.");
    assert!(public.verify_json(&payload(&altered), &signature).is_err());
    // Another node's key does not verify it.
    let other = coalesce_federation::NodeKey::from_seed([6; 32]).public();
    assert!(other.verify_json(&payload(&body), &signature).is_err());
}
