//! The TAXII 2.1 server through HTTP (issue 6): discovery, collections,
//! objects with paging and filters, manifest, versions, POST with status,
//! DELETE, errors; and releasability — a property test holds every TAXII
//! read path to `Marking::readable_by`. SQLite by default, PostgreSQL when
//! COALESCE_TEST_POSTGRES is set.

mod common;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use base64::Engine;
use coalesce_domain::{Marking, MemberCode, Slug, Viewer};
use coalesce_store::testing::SEED_PASSWORD;
use common::App;
use proptest::prelude::*;
use serde_json::{json, Value};
use std::collections::BTreeSet;

const MEDIA: &str = "application/taxii+json;version=2.1";
const ROOT: &str = "/taxii2/coalesce";
const COLL: &str = "/taxii2/coalesce/collections/365fed99-08fa-fdcd-a1b3-fb247eb41d01";
const AMBER: &str = "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421";
const GREEN: &str = "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb";
const REL_TO_EXT: &str = "extension-definition--e1389d75-78b7-4e1d-8ecc-8279e71623a6";

fn basic(user: &str) -> String {
    let cred = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{SEED_PASSWORD}"));
    format!("Basic {cred}")
}

async fn taxii(
    app: &App,
    method: Method,
    path: &str,
    user: &str,
    body: Option<&Value>,
) -> common::Res {
    let mut b = Request::builder()
        .method(method)
        .uri(path)
        .header(header::ACCEPT, MEDIA)
        .header(header::AUTHORIZATION, basic(user));
    let req = match body {
        Some(v) => b
            .header(header::CONTENT_TYPE, MEDIA)
            .body(Body::from(v.to_string())),
        None => {
            b = b.header(header::CONTENT_LENGTH, "0");
            b.body(Body::empty())
        }
    }
    .expect("request");
    app.raw(req).await
}

/// POSTs a TAXII envelope to the collection's objects as `user`.
async fn post_envelope(app: &App, user: &str, envelope: Value) -> common::Res {
    taxii(
        app,
        Method::POST,
        &format!("{COLL}/objects/"),
        user,
        Some(&envelope),
    )
    .await
}

async fn get(app: &App, path: &str, user: &str) -> common::Res {
    taxii(app, Method::GET, path, user, None).await
}

fn uuid(n: u64) -> String {
    format!("00000000-0000-4000-8000-{n:012x}")
}

fn rel_to_def(n: u64, tokens: &[&str]) -> Value {
    json!({
        "type": "marking-definition", "spec_version": "2.1",
        "id": format!("marking-definition--{}", uuid(n)),
        "created": "2026-01-01T00:00:00.000Z",
        "name": format!("REL TO {}", tokens.join(", ")),
        "extensions": { REL_TO_EXT: { "extension_type": "property-extension", "rel_to": tokens } }
    })
}

fn indicator(n: u64, modified: &str, marks: &[String]) -> Value {
    json!({
        "type": "indicator", "spec_version": "2.1",
        "id": format!("indicator--{}", uuid(n)),
        "created": "2026-01-01T00:00:00.000Z", "modified": modified,
        "name": format!("indicator {n}"),
        "pattern": format!("[ipv4-addr:value = '198.51.100.{}']", n % 250),
        "pattern_type": "stix", "valid_from": "2026-01-01T00:00:00Z",
        "object_marking_refs": marks,
    })
}

fn object_ids(r: &common::Res) -> Vec<String> {
    r.json["objects"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|o| o["id"].as_str().expect("id").to_string())
                .collect()
        })
        .unwrap_or_default()
}

/// Every object the user reads from the collection, paged `limit` at a time.
async fn walk(app: &App, user: &str, query: &str, limit: usize) -> Vec<Value> {
    let mut out = Vec::new();
    let mut next: Option<String> = None;
    loop {
        let mut path = format!("{COLL}/objects/?limit={limit}{query}");
        if let Some(n) = &next {
            path.push_str(&format!("&next={n}"));
        }
        let r = get(app, &path, user).await;
        assert_eq!(r.status, StatusCode::OK, "{path}: {}", r.json);
        let objs = r.json["objects"].as_array().cloned().unwrap_or_default();
        assert!(objs.len() <= limit);
        out.extend(objs);
        if r.json["more"] == json!(true) {
            next = Some(r.json["next"].as_str().expect("next").to_string());
        } else {
            assert!(r.json.get("next").is_none());
            break;
        }
    }
    out
}

#[tokio::test]
async fn discovery_root_and_collections() {
    let app = App::seeded().await;
    let r = get(&app, "/taxii2/", "gbr").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    assert_eq!(r.headers[header::CONTENT_TYPE], MEDIA);
    assert!(r.json["api_roots"][0]
        .as_str()
        .expect("root")
        .ends_with("/taxii2/coalesce/"));
    let r = get(&app, &format!("{ROOT}/"), "gbr").await;
    assert_eq!(r.json["versions"], json!([MEDIA]));
    assert!(r.json["max_content_length"].as_u64().is_some());
    let r = get(&app, &format!("{ROOT}/collections/"), "gbr").await;
    let c = &r.json["collections"][0];
    assert_eq!(c["title"], "Coalition");
    assert_eq!(
        (c["can_read"].clone(), c["can_write"].clone()),
        (json!(true), json!(true))
    );
    let r = get(&app, &format!("{COLL}/"), "gbr").await;
    assert_eq!(r.json["id"], "365fed99-08fa-fdcd-a1b3-fb247eb41d01");
    // Without the trailing slash: sent to the TAXII URL.
    let r = get(&app, &format!("{COLL}/objects?limit=5"), "gbr").await;
    assert_eq!(r.status, StatusCode::PERMANENT_REDIRECT);
    assert_eq!(
        r.headers[header::LOCATION],
        format!("{COLL}/objects/?limit=5").as_str()
    );
    let r = get(&app, "/taxii2", "gbr").await;
    assert_eq!(r.headers[header::LOCATION], "/taxii2/");
    let r = get(
        &app,
        &format!("{ROOT}/collections/00000000-0000-4000-8000-000000000000/"),
        "gbr",
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.json["http_status"], "404");

    // No credentials, wrong password, wrong Accept.
    let req = Request::builder()
        .uri("/taxii2/")
        .body(Body::empty())
        .expect("req");
    let r = app.raw(req).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert!(r.headers[header::WWW_AUTHENTICATE]
        .to_str()
        .expect("hdr")
        .starts_with("Basic"));
    let bad = base64::engine::general_purpose::STANDARD.encode("gbr:wrong");
    let req = Request::builder()
        .uri("/taxii2/")
        .header(header::AUTHORIZATION, format!("Basic {bad}"))
        .body(Body::empty())
        .expect("req");
    assert_eq!(app.raw(req).await.status, StatusCode::UNAUTHORIZED);
    let req = Request::builder()
        .uri("/taxii2/")
        .header(header::AUTHORIZATION, basic("gbr"))
        .header(header::ACCEPT, "application/xml")
        .body(Body::empty())
        .expect("req");
    assert_eq!(app.raw(req).await.status, StatusCode::NOT_ACCEPTABLE);
    // A bearer token works as well.
    let token = app.login("gbr").await;
    let req = Request::builder()
        .uri("/taxii2/")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::empty())
        .expect("req");
    assert_eq!(app.raw(req).await.status, StatusCode::OK);
    // And as the Basic password.
    let cred = base64::engine::general_purpose::STANDARD.encode(format!("gbr:{token}"));
    let req = Request::builder()
        .uri("/taxii2/")
        .header(header::AUTHORIZATION, format!("Basic {cred}"))
        .body(Body::empty())
        .expect("req");
    assert_eq!(app.raw(req).await.status, StatusCode::OK);
    // A remembered Basic login ends the moment its user is disabled, and
    // comes back when the user is enabled again.
    assert_eq!(get(&app, "/taxii2/", "fra").await.status, StatusCode::OK);
    app.state
        .store
        .set_user_disabled(None, "fra", true)
        .await
        .expect("disable");
    assert_eq!(
        get(&app, "/taxii2/", "fra").await.status,
        StatusCode::UNAUTHORIZED
    );
    app.state
        .store
        .set_user_disabled(None, "fra", false)
        .await
        .expect("enable");
    assert_eq!(get(&app, "/taxii2/", "fra").await.status, StatusCode::OK);
}

#[tokio::test]
async fn post_page_version_and_delete() {
    let mut state = common::seeded_state().await;
    state.stix_limit = 200_000;
    // POL, a member outside the small group (REL TO names known members only).
    state
        .store
        .create_member(
            None,
            &coalesce_domain::registry::NewMember::parse("POL", "Poland", "state", "member", None)
                .expect("member"),
        )
        .await
        .expect("POL");
    let app = App::with_state(state);
    let rel = rel_to_def(1, &["GBR", "FRA"]);
    let rel_id = rel["id"].as_str().expect("id").to_string();
    let marks = vec![AMBER.to_string(), rel_id.clone()];
    let mut objects = vec![rel.clone()];
    for n in 0..25 {
        objects.push(indicator(100 + n, "2026-01-01T00:00:00.000Z", &marks));
    }
    // One bad object and one with an unknown marking: refused on their own.
    let mut broken = indicator(200, "2026-01-01T00:00:00.000Z", &marks);
    broken.as_object_mut().expect("o").remove("pattern");
    objects.push(broken);
    objects.push(indicator(
        201,
        "2026-01-01T00:00:00.000Z",
        &[format!("marking-definition--{}", uuid(999))],
    ));
    let r = post_envelope(&app, "usa", json!({"objects": objects})).await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.json);
    assert_eq!(r.json["status"], "complete");
    assert_eq!(r.json["total_count"], 28);
    assert_eq!(r.json["success_count"], 26);
    assert_eq!(r.json["failure_count"], 2);
    let failures = r.json["failures"].to_string();
    assert!(failures.contains("requires `pattern`"), "{failures}");
    assert!(failures.contains("unknown marking reference"), "{failures}");
    let status_id = r.json["id"].as_str().expect("status id").to_string();
    let s = get(&app, &format!("{ROOT}/status/{status_id}/"), "usa").await;
    assert_eq!(s.json["success_count"], 26);
    assert_eq!(
        get(&app, &format!("{ROOT}/status/{status_id}/"), "gbr")
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    // Paging: 25 indicators, 10 a page, each exactly once; GBR reads them, IRQ not.
    let seen = walk(&app, "gbr", "&match[type]=indicator", 10).await;
    let ids: BTreeSet<String> = seen
        .iter()
        .map(|o| o["id"].as_str().expect("id").to_string())
        .collect();
    assert_eq!((seen.len(), ids.len()), (25, 25));
    assert!(walk(&app, "irq", "&match[type]=indicator", 10)
        .await
        .is_empty());
    let first = get(
        &app,
        &format!("{COLL}/objects/?limit=10&match[type]=indicator"),
        "gbr",
    )
    .await;
    let h_first = first.headers["x-taxii-date-added-first"]
        .to_str()
        .expect("hdr")
        .to_string();
    let h_last = first.headers["x-taxii-date-added-last"]
        .to_str()
        .expect("hdr")
        .to_string();
    assert!(h_first <= h_last);
    // added_after the 10th: the other 15.
    let after = get(
        &app,
        &format!("{COLL}/objects/?match[type]=indicator&added_after={h_last}"),
        "gbr",
    )
    .await;
    assert_eq!(object_ids(&after).len(), 15);
    let m = get(
        &app,
        &format!("{COLL}/manifest/?match[type]=indicator&limit=5"),
        "fra",
    )
    .await;
    assert_eq!(m.json["objects"].as_array().map(Vec::len), Some(5));
    assert_eq!(m.json["more"], true);
    assert_eq!(
        m.json["objects"][0]["media_type"],
        "application/stix+json;version=2.1"
    );

    // A second version: `last` by default, `first`, `all`, versions.
    let one = format!("indicator--{}", uuid(100));
    let v2 = indicator(100, "2026-02-01T00:00:00.000Z", &marks);
    let r = post_envelope(&app, "usa", json!({"objects": [v2]})).await;
    assert_eq!(r.json["success_count"], 1, "{}", r.json);
    let o = get(&app, &format!("{COLL}/objects/{one}/"), "gbr").await;
    assert_eq!(o.json["objects"][0]["modified"], "2026-02-01T00:00:00.000Z");
    let o = get(
        &app,
        &format!("{COLL}/objects/{one}/?match[version]=first"),
        "gbr",
    )
    .await;
    assert_eq!(o.json["objects"][0]["modified"], "2026-01-01T00:00:00.000Z");
    let o = get(
        &app,
        &format!("{COLL}/objects/{one}/?match[version]=all"),
        "gbr",
    )
    .await;
    assert_eq!(object_ids(&o).len(), 2);
    let o = get(
        &app,
        &format!("{COLL}/objects/{one}/?match[version]=2026-01-01T00:00:00.000Z"),
        "gbr",
    )
    .await;
    assert_eq!(object_ids(&o).len(), 1);
    let v = get(&app, &format!("{COLL}/objects/{one}/versions/"), "gbr").await;
    assert_eq!(
        v.json["versions"],
        json!(["2026-01-01T00:00:00.000Z", "2026-02-01T00:00:00.000Z"])
    );
    assert_eq!(
        get(&app, &format!("{COLL}/objects/{one}/versions/"), "irq")
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        get(&app, &format!("{COLL}/objects/{one}/"), "irq")
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let all = walk(&app, "gbr", "&match[type]=indicator&match[version]=all", 7).await;
    assert_eq!(all.len(), 26);

    // A version that widens the audience, and one by another member: refused.
    let wider = rel_to_def(2, &["GBR", "FRA", "COALITION"]);
    let v3 = indicator(
        100,
        "2026-03-01T00:00:00.000Z",
        &[
            AMBER.to_string(),
            wider["id"].as_str().expect("id").to_string(),
        ],
    );
    let r = post_envelope(&app, "usa", json!({"objects": [wider, v3]})).await;
    assert_eq!(r.json["failure_count"], 1, "{}", r.json);
    assert!(r.json["failures"][0]["message"]
        .as_str()
        .expect("msg")
        .contains("widen"));
    let green = indicator(
        100,
        "2026-03-02T00:00:00.000Z",
        &[GREEN.to_string(), rel_id.clone()],
    );
    let r = post_envelope(&app, "usa", json!({"objects": [green]})).await;
    assert_eq!(
        r.json["failure_count"], 1,
        "a lower TLP widens too: {}",
        r.json
    );
    // Narrowing is judged by who may read: COALITION to GBR narrows; so does
    // the small group to GBR, a member of it; the small group to POL, not a
    // member, widens.
    let coalition = rel_to_def(3, &["COALITION"]);
    let small = rel_to_def(4, &["GROUP:small-group"]);
    let just = |n: u64, t: &str| rel_to_def(n, &[t]);
    let (gbr_only, pol_only) = (just(5, "GBR"), just(6, "POL"));
    let mark = |d: &Value| vec![AMBER.to_string(), d["id"].as_str().expect("id").to_string()];
    let steps = [
        (150, "2026-01-01T00:00:00.000Z", &coalition, 0),
        (150, "2026-01-02T00:00:00.000Z", &gbr_only, 0),
        (151, "2026-01-01T00:00:00.000Z", &small, 0),
        (151, "2026-01-02T00:00:00.000Z", &pol_only, 1),
        (151, "2026-01-03T00:00:00.000Z", &gbr_only, 0),
    ];
    let defs = json!({"objects": [coalition, small, gbr_only, pol_only]});
    let r = post_envelope(&app, "usa", defs).await;
    assert_eq!(r.json["failure_count"], 0, "{}", r.json);
    for (n, modified, def, failures) in steps {
        let r = post_envelope(
            &app,
            "usa",
            json!({"objects": [indicator(n, modified, &mark(def))]}),
        )
        .await;
        assert_eq!(
            r.json["failure_count"], failures,
            "indicator {n} at {modified}: {}",
            r.json
        );
    }
    let theirs = indicator(100, "2026-04-01T00:00:00.000Z", &marks);
    let r = post_envelope(&app, "gbr", json!({"objects": [theirs]})).await;
    assert_eq!(r.json["failure_count"], 1, "{}", r.json);
    let o = get(&app, &format!("{COLL}/objects/{one}/"), "gbr").await;
    assert_eq!(o.json["objects"][0]["modified"], "2026-02-01T00:00:00.000Z");
    // Another member's REL TO definition does not mark your objects.
    let borrowed = indicator(
        300,
        "2026-01-01T00:00:00.000Z",
        &[AMBER.to_string(), rel_id.clone()],
    );
    let r = post_envelope(&app, "fra", json!({"objects": [borrowed]})).await;
    assert!(
        r.json["failures"][0]["message"]
            .as_str()
            .expect("msg")
            .contains("unknown marking reference"),
        "{}",
        r.json
    );

    // Delete: unseen → 404, seen but not theirs → 403, the origin → gone.
    let path = format!("{COLL}/objects/{one}/");
    assert_eq!(
        taxii(&app, Method::DELETE, &path, "irq", None).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        taxii(&app, Method::DELETE, &path, "gbr", None).await.status,
        StatusCode::FORBIDDEN
    );
    let r = taxii(
        &app,
        Method::DELETE,
        &format!("{path}?match[version]=last"),
        "usa",
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    let o = get(&app, &path, "gbr").await;
    assert_eq!(
        o.json["objects"][0]["modified"], "2026-01-01T00:00:00.000Z",
        "the older version is the latest now"
    );
    assert_eq!(
        taxii(&app, Method::DELETE, &path, "usa", None).await.status,
        StatusCode::OK
    );
    assert_eq!(get(&app, &path, "gbr").await.status, StatusCode::NOT_FOUND);

    // Bad requests.
    for q in [
        "limit=0",
        "limit=x",
        "added_after=yesterday",
        "match[version]=newest",
        "next=nope",
        "match[id]=x",
        "match[foo]=1",
    ] {
        let r = get(&app, &format!("{COLL}/objects/?{q}"), "gbr").await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{q}");
        assert!(r.json["description"]
            .as_str()
            .is_some_and(|d| !d.is_empty()));
    }
    let req = Request::builder()
        .method(Method::POST)
        .uri(format!("{COLL}/objects/"))
        .header(header::AUTHORIZATION, basic("usa"))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from("{\"objects\": []}"))
        .expect("req");
    assert_eq!(
        app.raw(req).await.status,
        StatusCode::UNSUPPORTED_MEDIA_TYPE
    );
    let big: Vec<Value> = (0..1000)
        .map(|n| indicator(5000 + n, "2026-01-01T00:00:00.000Z", &marks))
        .collect();
    let r = post_envelope(&app, "usa", json!({"objects": big})).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    let r = post_envelope(&app, "usa", json!({"no": 1})).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        walk(
            &app,
            "usa",
            "&match[type]=indicator&match[id]=indicator--00000000-0000-4000-8000-000000001388",
            10
        )
        .await
        .len(),
        0
    );
}

/// Reports become TAXII objects in the transaction that files them.
/// The parts of a TAXII status that do not name the request.
fn outcome(status: &Value) -> Value {
    let mut s = status.clone();
    for k in ["id", "request_timestamp"] {
        s.as_object_mut().expect("status").remove(k);
    }
    for e in s["successes"].as_array_mut().expect("successes") {
        e.as_object_mut().expect("entry").remove("id");
    }
    s
}

#[tokio::test]
async fn an_id_held_by_an_object_you_may_not_read_is_as_free_as_any_other() {
    let app = App::seeded().await;
    let rel = rel_to_def(10, &["GBR", "FRA"]);
    let marks = vec![
        AMBER.to_string(),
        rel["id"].as_str().expect("id").to_string(),
    ];
    let theirs = indicator(700, "2026-01-01T00:00:00.000Z", &marks);
    let r = post_envelope(&app, "usa", json!({"objects": [rel, theirs]})).await;
    assert_eq!(r.json["success_count"], 2, "{}", r.json);
    let held = format!("indicator--{}", uuid(700));

    // IRQ may not read USA's indicator 700: adding an object under its id
    // is answered exactly as adding one under an id nobody holds.
    let irq_rel = rel_to_def(11, &["GBR"]);
    let irq_marks = vec![
        AMBER.to_string(),
        irq_rel["id"].as_str().expect("id").to_string(),
    ];
    let r = post_envelope(&app, "irq", json!({"objects": [irq_rel]})).await;
    assert_eq!(r.json["success_count"], 1, "{}", r.json);
    let mut mine = indicator(700, "2026-01-01T00:00:00.000Z", &irq_marks);
    mine["name"] = json!("IRQ's own");
    let on_held = post_envelope(&app, "irq", json!({"objects": [mine]})).await;
    let on_free = post_envelope(
        &app,
        "irq",
        json!({"objects": [indicator(701, "2026-01-01T00:00:00.000Z", &irq_marks)]}),
    )
    .await;
    assert_eq!(on_held.status, on_free.status);
    assert_eq!(
        outcome(&on_held.json),
        outcome(&on_free.json),
        "{}",
        on_held.json
    );
    assert_eq!(on_held.json["success_count"], 1, "{}", on_held.json);

    // Each reader is served one object under the id: IRQ its own; GBR, who
    // may read both, USA's, which claimed the id first.
    let path = format!("{COLL}/objects/{held}/");
    let name_for = |r: &common::Res| r.json["objects"][0]["name"].clone();
    let irq = get(&app, &path, "irq").await;
    assert_eq!(name_for(&irq), "IRQ's own", "{}", irq.json);
    let gbr = get(&app, &path, "gbr").await;
    assert_eq!(gbr.json["objects"].as_array().map(Vec::len), Some(1));
    assert_eq!(name_for(&gbr), "indicator 700", "{}", gbr.json);
    let listed: Vec<Value> = walk(&app, "gbr", &format!("&match[id]={held}"), 10).await;
    assert_eq!(listed.len(), 1, "one object per id in a list");
    assert_eq!(
        get(&app, &path, "usa").await.json["objects"][0]["name"],
        "indicator 700"
    );

    // Whoever may read USA's may not add under its id; USA's versions go on.
    let r = post_envelope(
        &app,
        "gbr",
        json!({"objects": [indicator(700, "2026-02-01T00:00:00.000Z", &[AMBER.to_string()])]}),
    )
    .await;
    assert_eq!(
        r.json["failures"][0]["message"],
        "only users of the member that added this object add versions of it"
    );
    let r = post_envelope(
        &app,
        "usa",
        json!({"objects": [indicator(700, "2026-03-01T00:00:00.000Z", &marks)]}),
    )
    .await;
    assert_eq!(r.json["success_count"], 1, "{}", r.json);
    assert_eq!(
        get(&app, &path, "gbr").await.json["objects"][0]["modified"],
        "2026-03-01T00:00:00.000Z"
    );
    assert_eq!(name_for(&get(&app, &path, "irq").await), "IRQ's own");

    // IRQ deletes its own; USA's stays.
    assert_eq!(
        taxii(&app, Method::DELETE, &path, "irq", None).await.status,
        StatusCode::OK
    );
    assert_eq!(get(&app, &path, "irq").await.status, StatusCode::NOT_FOUND);
    assert_eq!(name_for(&get(&app, &path, "gbr").await), "indicator 700");
}

#[tokio::test]
async fn reports_are_in_the_collection_for_exactly_their_audience() {
    let app = App::seeded().await;
    let usa = app.login("usa").await;
    let r = app
        .send(
            Method::POST,
            "/api/v1/reports",
            Some(&usa),
            Some(json!({
                "kind": "foreign-fighter-travel", "title": "Travel to Raqqa", "body": "Crossed near Akcakale",
                "marking": {"tlp": "AMBER", "rel_to": ["GBR"]},
                "entities": [{"role": "traveller", "entity": {"kind": "person", "name": "Abu Muhammad al-Tunisi", "nationality": "TUN",
                    "marking": {"tlp": "AMBER", "rel_to": ["GBR"]}}}]
            })),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
    let report_id = r.json["id"].as_str().expect("id").to_string();
    let gbr = walk(&app, "gbr", "&match[type]=report,identity", 50).await;
    let report = gbr
        .iter()
        .find(|o| o["type"] == "report")
        .expect("GBR reads the report");
    assert_eq!(report["name"], "Travel to Raqqa");
    assert!(gbr.iter().any(|o| o["name"] == "Abu Muhammad al-Tunisi"));
    let fra = walk(&app, "fra", "&match[type]=report", 50).await;
    assert!(fra.is_empty(), "FRA reads nothing: {fra:?}");
    // A report names only entities all its readers may read.
    let r = app
        .send(
            Method::POST,
            "/api/v1/reports",
            Some(&usa),
            Some(json!({
                "kind": "situation-report", "title": "Border crossing",
                "marking": {"tlp": "AMBER", "rel_to": ["GBR", "FRA"]},
                "entities": [{"role": "subject", "entity": {"kind": "person", "name": "Abu Talha al-Almani",
                    "marking": {"tlp": "AMBER", "rel_to": ["GBR"]}}}]
            })),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
    let gbr = walk(&app, "gbr", "&match[type]=report,identity", 50).await;
    let crossing = gbr
        .iter()
        .find(|o| o["name"] == "Border crossing")
        .expect("report");
    let talha = gbr
        .iter()
        .find(|o| o["name"] == "Abu Talha al-Almani")
        .expect("entity");
    assert!(
        !crossing["object_refs"]
            .as_array()
            .expect("refs")
            .contains(&talha["id"]),
        "{crossing}"
    );
    // Kept from the record: no TAXII delete, and withdrawing revokes it.
    let sid = report["id"].as_str().expect("sid").to_string();
    let r = taxii(
        &app,
        Method::DELETE,
        &format!("{COLL}/objects/{sid}/"),
        "usa",
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = app
        .send(
            Method::DELETE,
            &format!("/api/v1/reports/{report_id}"),
            Some(&usa),
            None,
        )
        .await;
    assert!(r.status.is_success(), "{}", r.json);
    let o = get(&app, &format!("{COLL}/objects/{sid}/"), "gbr").await;
    assert_eq!(o.json["objects"][0]["revoked"], true);
    // GBR's TAXII read of the AMBER report is in the audit log.
    let entries = app
        .state
        .store
        .audit_entries(None, 200)
        .await
        .expect("audit");
    assert!(
        entries
            .iter()
            .any(|e| e.action == "stix.read" && e.actor == "gbr" && e.detail.contains(&sid)),
        "{entries:?}"
    );
}

const USERS: [(&str, &str); 4] = [
    ("usa", "USA"),
    ("gbr", "GBR"),
    ("fra", "FRA"),
    ("irq", "IRQ"),
];
const TOKENS: [&str; 6] = ["USA", "GBR", "FRA", "IRQ", "GROUP:small-group", "COALITION"];

async fn check(
    records: Vec<(usize, usize, Vec<usize>, bool)>,
    fra_in_group: bool,
) -> Result<(), TestCaseError> {
    let app = App::seeded().await;
    if fra_in_group {
        let usa = app.login("usa").await;
        let r = app
            .send(
                Method::PUT,
                "/api/v1/groups/small-group/members",
                Some(&usa),
                Some(json!({"members": ["USA", "GBR", "FRA"]})),
            )
            .await;
        prop_assert_eq!(r.status, StatusCode::OK);
    }
    let mut created = Vec::new();
    for (n, (origin, tlp, rel, second_version)) in records.iter().enumerate() {
        let tokens: Vec<&str> = rel.iter().map(|i| TOKENS[*i]).collect();
        let tlp_name = ["CLEAR", "GREEN", "AMBER", "AMBER+STRICT", "RED"][*tlp];
        let tlp_ref = coalesce_exchange::stix::tlp_marking_id(
            coalesce_domain::Tlp::parse(tlp_name).expect("tlp"),
        )
        .to_string();
        let mut objects = Vec::new();
        let mut marks = vec![tlp_ref];
        if !tokens.is_empty() {
            let def = rel_to_def(10_000 + n as u64, &tokens);
            marks.push(def["id"].as_str().expect("id").to_string());
            objects.push(def);
        }
        objects.push(indicator(n as u64, "2026-01-01T00:00:00.000Z", &marks));
        if *second_version {
            objects.push(indicator(n as u64, "2026-01-02T00:00:00.000Z", &marks));
        }
        let r = post_envelope(&app, USERS[*origin].0, json!({"objects": objects})).await;
        prop_assert_eq!(r.json["failure_count"].as_u64(), Some(0), "{}", r.json);
        let marking = Marking::parse(
            tlp_name,
            &tokens.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
        )
        .expect("m");
        created.push((
            format!("indicator--{}", uuid(n as u64)),
            MemberCode::parse(USERS[*origin].1).expect("c"),
            marking,
            *second_version,
        ));
    }
    for (user, code) in USERS {
        let mut groups = BTreeSet::new();
        if code == "USA" || code == "GBR" || (code == "FRA" && fra_in_group) {
            groups.insert(Slug::parse("small-group").expect("slug"));
        }
        let viewer = Viewer {
            member: MemberCode::parse(code).expect("c"),
            groups,
        };
        let want: BTreeSet<String> = created
            .iter()
            .filter(|(_, o, m, _)| m.readable_by(o, &viewer))
            .map(|c| c.0.clone())
            .collect();
        let want_versions: usize = created
            .iter()
            .filter(|(_, o, m, _)| m.readable_by(o, &viewer))
            .map(|c| if c.3 { 2 } else { 1 })
            .sum();
        let seen: BTreeSet<String> = walk(&app, user, "&match[type]=indicator", 3)
            .await
            .iter()
            .map(|o| o["id"].as_str().expect("id").to_string())
            .collect();
        prop_assert_eq!(&seen, &want, "objects for {}", code);
        let all = walk(&app, user, "&match[type]=indicator&match[version]=all", 2).await;
        prop_assert_eq!(all.len(), want_versions, "all versions for {}", code);
        let m = get(
            &app,
            &format!("{COLL}/manifest/?match[type]=indicator&limit=10000"),
            user,
        )
        .await;
        let listed: BTreeSet<String> = m.json["objects"]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .iter()
            .map(|e| e["id"].as_str().expect("id").to_string())
            .collect();
        prop_assert_eq!(&listed, &want, "manifest for {}", code);
        for (id, ..) in &created {
            let expect = if want.contains(id) {
                StatusCode::OK
            } else {
                StatusCode::NOT_FOUND
            };
            prop_assert_eq!(
                get(&app, &format!("{COLL}/objects/{id}/"), user)
                    .await
                    .status,
                expect,
                "get {} as {}",
                id,
                code
            );
            prop_assert_eq!(
                get(&app, &format!("{COLL}/objects/{id}/versions/"), user)
                    .await
                    .status,
                expect,
                "versions {} as {}",
                id,
                code
            );
            let by_id = get(&app, &format!("{COLL}/objects/?match[id]={id}"), user).await;
            prop_assert_eq!(object_ids(&by_id).len(), usize::from(want.contains(id)));
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 10, failure_persistence: None, ..ProptestConfig::default() })]
    #[test]
    fn taxii_reads_exactly_what_the_marking_releases(
        records in prop::collection::vec((0..4usize, 0..5usize, prop::collection::vec(0..6usize, 0..3), any::<bool>()), 0..8),
        fra_in_group in any::<bool>(),
    ) {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
        rt.block_on(check(records, fra_in_group))?;
    }
}

async fn import(app: &App, token: &str, content_type: &str, body: String) -> common::Res {
    import_preferring(app, token, content_type, body, None).await
}

/// POST /import/stix, with a `Prefer` header when given.
async fn import_preferring(
    app: &App,
    token: &str,
    content_type: &str,
    body: String,
    prefer: Option<&str>,
) -> common::Res {
    let mut req = Request::builder()
        .method(Method::POST)
        .uri("/api/v1/import/stix")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, content_type);
    if let Some(p) = prefer {
        req = req.header("prefer", p);
    }
    app.raw(req.body(Body::from(body)).expect("req")).await
}

/// A bundle is imported whole or not at all, markings kept.
#[tokio::test]
async fn bundle_import_is_all_or_nothing_and_keeps_markings() {
    let mut state = common::seeded_state().await;
    state.stix_limit = 100_000;
    let app = App::with_state(state);
    let usa = app.login("usa").await;
    let rel = rel_to_def(1, &["GBR"]);
    let marks = vec![
        AMBER.to_string(),
        rel["id"].as_str().expect("id").to_string(),
    ];
    let good = vec![
        rel.clone(),
        indicator(1, "2026-01-01T00:00:00.000Z", &marks),
        indicator(2, "2026-01-01T00:00:00.000Z", &marks),
    ];
    let bundle = |objects: &[Value]| {
        json!({"type": "bundle", "id": "bundle--5d0092c5-5f74-4287-9642-33f4c354e56d", "objects": objects}).to_string()
    };
    // One bad object: 422 naming it, and nothing written.
    let mut bad = good.clone();
    bad.push(json!({"type": "indicator", "spec_version": "2.1", "id": "indicator--not-a-uuid"}));
    bad.push(indicator(
        3,
        "2026-01-01T00:00:00.000Z",
        &["marking-definition--00000000-0000-4000-8000-0000000000ff".to_string()],
    ));
    let r = import(
        &app,
        &usa,
        "application/stix+json;version=2.1",
        bundle(&bad),
    )
    .await;
    common::assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY, "invalid_rows");
    let errors = r.json["errors"].as_array().expect("errors");
    assert_eq!(errors.len(), 2, "{}", r.json);
    assert_eq!(errors[0]["line"], 4);
    assert!(errors[1]["reason"]
        .as_str()
        .expect("reason")
        .contains("unknown marking reference"));
    assert!(walk(&app, "usa", "&match[type]=indicator,marking-definition&match[id]=indicator--00000000-0000-4000-8000-000000000001", 10).await.is_empty());
    // The good bundle: written, readable by GBR (REL TO GBR), not by FRA.
    let r = import(
        &app,
        &usa,
        "application/stix+json;version=2.1",
        bundle(&good),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
    assert_eq!(
        (r.json["imported"].clone(), r.json["already_held"].clone()),
        (json!(3), json!(0))
    );
    assert_eq!(
        walk(&app, "gbr", "&match[type]=indicator", 10).await.len(),
        2
    );
    assert!(walk(&app, "fra", "&match[type]=indicator", 10)
        .await
        .is_empty());
    // Again: held already, nothing new.
    let r = import(&app, &usa, "application/json", bundle(&good)).await;
    assert_eq!(
        (r.json["imported"].clone(), r.json["already_held"].clone()),
        (json!(0), json!(3))
    );
    // Not a bundle, not JSON, wrong media type, too large.
    let r = import(
        &app,
        &usa,
        "application/json",
        json!({"type": "report"}).to_string(),
    )
    .await;
    common::assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY, "invalid_bundle");
    let r = import(&app, &usa, "application/json", "{".into()).await;
    common::assert_problem(&r, StatusCode::BAD_REQUEST, "invalid_json");
    let r = import(&app, &usa, "text/plain", bundle(&good)).await;
    common::assert_problem(
        &r,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
    );
    let many: Vec<Value> = (10..400)
        .map(|n| indicator(n, "2026-01-01T00:00:00.000Z", &marks))
        .collect();
    let r = import(&app, &usa, "application/json", bundle(&many)).await;
    common::assert_problem(&r, StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large");
    // A viewer cannot import.
    let viewer = app.login("viewer").await;
    let r = import(&app, &viewer, "application/json", bundle(&good)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

async fn import_async(app: &App, token: &str, body: String) -> common::Res {
    let ct = "application/stix+json;version=2.1";
    import_preferring(app, token, ct, body, Some("respond-async")).await
}

/// Long STIX work is a job (issue 20). A bundle imported with `Prefer:
/// respond-async` answers 202 with a `stix-import` job that ends with how
/// many objects it wrote; a bad object fails the job and writes nothing;
/// a cancelled import keeps nothing. A TAXII envelope larger than the
/// inline bound answers a *pending* status resource at once, which a
/// `taxii-add` job completes.
#[tokio::test]
async fn a_large_bundle_or_envelope_is_added_by_a_job() {
    let mut state = common::seeded_state().await;
    state.stix_limit = 20_000_000;
    let app = App::with_state(state);
    let usa = app.login("usa").await;
    let marks = vec![AMBER.to_string()];
    let bundle = |objects: &[Value]| {
        json!({"type": "bundle", "id": "bundle--5d0092c5-5f74-4287-9642-33f4c354e56d", "objects": objects}).to_string()
    };
    let many = |from: u64, n: u64| -> Vec<Value> {
        (from..from + n)
            .map(|i| indicator(i, "2026-01-01T00:00:00.000Z", &marks))
            .collect()
    };
    let held = |id: String| {
        let app = &app;
        async move {
            walk(app, "usa", &format!("&match[id]={id}"), 10)
                .await
                .len()
        }
    };

    // 1,200 objects: the job writes them all and says so.
    let r = import_async(&app, &usa, bundle(&many(1_000, 1_200))).await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.json);
    assert_eq!(r.json["kind"], "stix-import");
    let path = format!("/jobs/{}", r.json["id"].as_str().expect("id"));
    let job = common::job_when_ended(&app, &path, &usa).await;
    assert_eq!(job["status"], "succeeded", "{job}");
    assert_eq!(job["result"], "1200 STIX objects imported, 0 held already");
    assert_eq!(
        (job["done"].as_u64(), job["total"].as_u64()),
        (Some(1_200), Some(1_200))
    );
    assert_eq!(held(format!("indicator--{}", uuid(2_199))).await, 1);

    // One bad object at the end: the job fails naming it; nothing written.
    let mut bad = many(3_000, 500);
    bad.push(json!({"type": "indicator", "spec_version": "2.1", "id": "indicator--not-a-uuid"}));
    let r = import_async(&app, &usa, bundle(&bad)).await;
    let path = format!("/jobs/{}", r.json["id"].as_str().expect("id"));
    let job = common::job_when_ended(&app, &path, &usa).await;
    assert_eq!(job["status"], "failed", "{job}");
    assert_eq!(job["error"]["code"], "invalid_rows", "{job}");
    assert_eq!(job["error"]["errors"][0]["line"], 501, "{job}");
    assert_eq!(held(format!("indicator--{}", uuid(3_000))).await, 0);

    // Cancelled at once: it ends cancelled having kept nothing, or it had
    // already ended with everything written.
    let r = import_async(&app, &usa, bundle(&many(5_000, 3_000))).await;
    let path = format!("/jobs/{}", r.json["id"].as_str().expect("id"));
    let c = common::post(&app, &format!("{path}/cancel"), &usa, json!({})).await;
    assert!(c.status.is_success(), "{}", c.json);
    let job = common::job_when_ended(&app, &path, &usa).await;
    let kept = held(format!("indicator--{}", uuid(5_000))).await;
    match job["status"].as_str() {
        Some("cancelled") => assert_eq!(kept, 0, "a cancelled import keeps nothing: {job}"),
        Some("succeeded") => assert_eq!(kept, 1, "{job}"),
        other => panic!("{other:?}: {job}"),
    }

    // TAXII: an envelope above the inline bound is pending, then complete.
    let n = coalesce_api::taxii::TAXII_INLINE_OBJECTS as u64 + 100;
    let r = post_envelope(&app, "usa", json!({ "objects": many(10_000, n) })).await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.json);
    assert_eq!(r.json["status"], "pending", "{}", r.json);
    assert_eq!(r.json["pending_count"].as_u64(), Some(n));
    let status_path = format!("{ROOT}/status/{}/", r.json["id"].as_str().expect("id"));
    let mut status = Value::Null;
    for _ in 0..3_000 {
        status = get(&app, &status_path, "usa").await.json;
        if status["status"] == "complete" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert_eq!(status["status"], "complete", "{status}");
    assert_eq!(
        (
            status["success_count"].as_u64(),
            status["failure_count"].as_u64(),
            status["pending_count"].as_u64()
        ),
        (Some(n), Some(0), Some(0)),
    );
    assert_eq!(
        held(format!("indicator--{}", uuid(10_000 + n - 1))).await,
        1
    );
    // Another member cannot read the status resource.
    assert_eq!(
        get(&app, &status_path, "gbr").await.status,
        StatusCode::NOT_FOUND
    );
    // A node stopped during an addition leaves its status pending; the
    // next start completes it, saying so.
    let who = app
        .state
        .store
        .principal_for_username("usa")
        .await
        .expect("read")
        .expect("usa");
    let stranded = json!({
        "id": "00000000-0000-7000-8000-000000000001", "status": "pending",
        "request_timestamp": "2026-12-05T00:00:00.000000Z",
        "total_count": 1, "success_count": 0, "successes": [], "failure_count": 0, "failures": [],
        "pending_count": 1, "pendings": [{"id": format!("indicator--{}", uuid(99_999))}],
    });
    app.state
        .store
        .taxii_status_put(&who, "00000000-0000-7000-8000-000000000001", &stranded)
        .await
        .expect("put");
    let swept = coalesce_api::taxii::complete_interrupted_additions(&app.state.store)
        .await
        .expect("sweep");
    assert_eq!(swept, 1);
    let status = get(
        &app,
        &format!("{ROOT}/status/00000000-0000-7000-8000-000000000001/"),
        "usa",
    )
    .await
    .json;
    assert_eq!(
        (
            status["status"].as_str(),
            status["failure_count"].as_u64(),
            status["pending_count"].as_u64()
        ),
        (Some("complete"), Some(1), Some(0)),
        "{status}"
    );
    assert!(status["failures"][0]["message"]
        .as_str()
        .expect("message")
        .contains("the node stopped"));
    // The job is in the member's list, with its kind.
    let jobs = common::get(&app, "/jobs", &usa).await;
    assert!(
        jobs.json["items"]
            .as_array()
            .expect("items")
            .iter()
            .any(|j| j["kind"] == "taxii-add" && j["status"] == "succeeded"),
        "{}",
        jobs.json
    );
}

/// Leak 3: references are resolved when TAXII serves them. A person shared
/// with the coalition inside a report, then narrowed to its origin, no
/// longer travels inside the report (nor in a relationship) for the others;
/// the origin still sees the reference.
#[tokio::test]
async fn a_narrowed_entity_leaves_the_objects_that_refer_to_it() {
    let app = App::seeded().await;
    let usa = app.login("usa").await;
    let api = |m: Method, path: &str, body: Value| {
        let app = app.clone();
        let usa = usa.clone();
        let path = format!("/api/v1{path}");
        async move { app.send(m, &path, Some(&usa), Some(body)).await }
    };
    let person = json!({"kind": "person", "name": "Abu Talha al-Almani",
                        "marking": {"tlp": "GREEN", "rel_to": ["COALITION"]}});
    let e = api(Method::POST, "/entities", person.clone()).await;
    assert_eq!(e.status, StatusCode::CREATED, "{}", e.json);
    let eid = e.json["id"].as_str().expect("id").to_string();
    let place = api(
        Method::POST,
        "/entities",
        json!({"kind": "place", "name": "Gaziantep", "nationality": "TUR",
               "marking": {"tlp": "GREEN", "rel_to": ["COALITION"]}}),
    )
    .await;
    assert_eq!(place.status, StatusCode::CREATED, "{}", place.json);
    let pid = place.json["id"].as_str().expect("id").to_string();
    let x = api(
        Method::POST,
        &format!("/entities/{eid}/relationships"),
        json!({"to": pid, "kind": "sighted-at", "marking": {"tlp": "GREEN", "rel_to": ["COALITION"]}}),
    )
    .await;
    assert_eq!(x.status, StatusCode::CREATED, "{}", x.json);
    let r = api(
        Method::POST,
        "/reports",
        json!({"kind": "situation-report", "title": "Seen at the border", "body": "",
               "entities": [{"id": eid, "role": "subject"}],
               "marking": {"tlp": "GREEN", "rel_to": ["COALITION"]}}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
    let objects = |user: &'static str| {
        let app = app.clone();
        async move { get(&app, &format!("{COLL}/objects/"), user).await.json }
    };
    let before = objects("gbr").await;
    let report = |v: &Value| {
        v["objects"]
            .as_array()
            .expect("objects")
            .iter()
            .find(|o| o["type"] == "report")
            .cloned()
            .expect("report")
    };
    let person_ref = report(&before)["object_refs"][0]
        .as_str()
        .expect("ref")
        .to_string();
    assert!(person_ref.starts_with("identity--") || person_ref.starts_with("threat-actor--"));
    assert!(before.to_string().contains("\"relationship\""));
    // USA narrows the person to itself.
    let mut narrowed = person;
    narrowed["marking"] = json!({"tlp": "GREEN", "rel_to": []});
    let u = api(Method::PUT, &format!("/entities/{eid}"), narrowed).await;
    assert_eq!(u.status, StatusCode::OK, "{}", u.json);
    // Before, the report's record extension named the person's link too.
    assert!(report(&before).to_string().contains(&eid));
    let after = objects("gbr").await;
    assert!(
        !after.to_string().contains(&person_ref),
        "GBR still finds the narrowed person's id: {after}"
    );
    assert!(
        !after.to_string().contains(&eid),
        "GBR still finds the narrowed person's coalesce id: {after}"
    );
    assert!(!after.to_string().contains("\"relationship\""), "{after}");
    // The report is still served, naming its origin instead.
    assert_eq!(
        report(&after)["object_refs"].as_array().map(Vec::len),
        Some(1)
    );
    // USA, the origin, still reads the reference and the link.
    let own = objects("usa").await;
    assert!(own.to_string().contains(&person_ref));
    assert!(report(&own).to_string().contains(&eid));
}

/// Relationships are records of the layer: changed and withdrawn by
/// versions; TAXII serves each version in the relationship's one STIX form
/// (with coalesce's record extension) and revokes it on withdrawal; the
/// generic routes filter by entity and count only what the reader may see
/// of both ends.
#[tokio::test]
async fn a_relationship_is_versioned_and_its_withdrawal_revokes_its_object() {
    let app = App::seeded().await;
    let (usa, fra) = (app.login("usa").await, app.login("fra").await);
    let api = |m: Method, path: &str, token: &str, body: Option<Value>| {
        let app = app.clone();
        let path = format!("/api/v1{path}");
        let token = token.to_string();
        async move { app.send(m, &path, Some(&token), body).await }
    };
    let entity = |name: &str, rel_to: Value| json!({"kind": "person", "name": name, "marking": {"tlp": "GREEN", "rel_to": rel_to}});
    let mut ids = vec![];
    for (name, rel_to) in [
        ("Abu Talha", json!(["COALITION"])),
        ("Abu Omar", json!(["COALITION"])),
        ("Hidden", json!([])),
    ] {
        let e = api(Method::POST, "/entities", &usa, Some(entity(name, rel_to))).await;
        assert_eq!(e.status, StatusCode::CREATED, "{}", e.json);
        ids.push(e.json["id"].as_str().expect("id").to_string());
    }
    let body = |to: &str, note: &str| {
        json!({"from": ids[0], "to": to, "relationship_type": "travelled-with", "note": note,
               "marking": {"tlp": "GREEN", "rel_to": ["COALITION"]}})
    };
    let x = api(
        Method::POST,
        "/relationships",
        &usa,
        Some(body(&ids[1], "same bus")),
    )
    .await;
    assert_eq!(x.status, StatusCode::CREATED, "{}", x.json);
    let xid = x.json["id"].as_str().expect("id").to_string();
    // FRA may not refer to an entity it cannot read; nor to the same end twice.
    let r = api(
        Method::POST,
        "/relationships",
        &fra,
        Some(body(&ids[2], "")),
    )
    .await;
    common::assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY, "invalid_field");
    let r = api(
        Method::POST,
        "/relationships",
        &usa,
        Some(body(&ids[0], "")),
    )
    .await;
    common::assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY, "invalid_field");
    // USA relates its hidden entity too: FRA sees neither that relationship
    // nor its count.
    let h = api(
        Method::POST,
        "/relationships",
        &usa,
        Some(body(&ids[2], "hidden")),
    )
    .await;
    assert_eq!(h.status, StatusCode::CREATED, "{}", h.json);
    let hid = h.json["id"].as_str().expect("id").to_string();
    let count = |t: &str| {
        let t = t.to_string();
        let api = &api;
        async move {
            api(Method::GET, "/relationships/count", &t, None)
                .await
                .json["count"]
                .clone()
        }
    };
    assert_eq!(count(&usa).await, 2);
    assert_eq!(count(&fra).await, 1);
    let r = api(Method::GET, &format!("/relationships/{hid}"), &fra, None).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let listed = api(
        Method::GET,
        &format!("/relationships?entity={}", ids[0]),
        &fra,
        None,
    )
    .await;
    let listed: Vec<&str> = listed.json["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["id"].as_str().expect("id"))
        .collect();
    assert_eq!(listed, [xid.as_str()]);

    // A change is a version; TAXII serves it in the one form.
    let mut changed = body(&ids[1], "same bus, Gaziantep");
    changed["if_version"] = json!(1);
    let r = api(
        Method::PUT,
        &format!("/relationships/{xid}"),
        &usa,
        Some(changed),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    let stix = api(
        Method::GET,
        &format!("/relationships/{xid}/stix"),
        &fra,
        None,
    )
    .await;
    assert_eq!(stix.status, StatusCode::OK, "{}", stix.json);
    let sid = stix.json["objects"][0]["id"]
        .as_str()
        .expect("stix id")
        .to_string();
    assert!(sid.starts_with("relationship--"), "{sid}");
    let served = get(
        &app,
        &format!("{COLL}/objects/{sid}/?match[version]=all"),
        "fra",
    )
    .await;
    let versions = served.json["objects"].as_array().expect("versions");
    assert_eq!(versions.len(), 2, "{}", served.json);
    assert!(versions
        .iter()
        .any(|o| o["description"] == "same bus, Gaziantep"
            && o["extensions"].as_object().is_some_and(|e| e.len() == 1)));

    // Withdrawn: a revoked version, and gone from the lists.
    let r = api(Method::DELETE, &format!("/relationships/{xid}"), &usa, None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    assert_eq!(r.json["status"], "withdrawn");
    let latest = get(&app, &format!("{COLL}/objects/{sid}/"), "fra").await;
    assert_eq!(
        latest.json["objects"][0]["revoked"], true,
        "{}",
        latest.json
    );
    assert_eq!(count(&fra).await, 0);
    let of = api(
        Method::GET,
        &format!("/entities/{}/relationships", ids[0]),
        &usa,
        None,
    )
    .await;
    assert_eq!(
        of.json["items"].as_array().map(Vec::len),
        Some(1),
        "{}",
        of.json
    );
}

/// The discovery answer names the node's configured URL; a request's Host
/// header (the client's choice) never reaches it.
#[tokio::test]
async fn discovery_names_the_configured_url_never_the_host_header() {
    let state = common::seeded_state()
        .await
        .with_public_url("https://coalesce.gbr.example/")
        .expect("a public URL");
    let app = App::with_state(state);
    let req = axum::http::Request::builder()
        .method(Method::GET)
        .uri("/taxii2/")
        .header(header::HOST, "evil.example")
        .header(header::ACCEPT, MEDIA)
        .header(header::AUTHORIZATION, basic("gbr"))
        .body(Body::empty())
        .expect("request");
    let r = app.raw(req).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    assert_eq!(
        r.json["api_roots"],
        json!(["https://coalesce.gbr.example/taxii2/coalesce/"])
    );
    assert!(!r.json.to_string().contains("evil.example"));
    for bad in [
        "ftp://x",
        "http://",
        "https://a b",
        "http://x/?q=1",
        "evil.example",
    ] {
        assert!(
            coalesce_api::parse_public_url(bad).is_err(),
            "{bad} accepted"
        );
    }
}
