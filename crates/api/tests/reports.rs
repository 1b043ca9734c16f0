//! Reports, entities, search and correlation through the HTTP API (issue 6):
//! USA files a foreign-fighter travel report REL TO GBR, FRA at TLP:AMBER;
//! GBR finds it, DEU finds it nowhere; TUR reports the same person under
//! another spelling and a reader of both sees the correlation. SQLite by
//! default, PostgreSQL when COALESCE_TEST_POSTGRES is set.

mod common;

use axum::http::{Method, StatusCode};
use coalesce_domain::registry::NewMember;
use coalesce_domain::{MemberCode, Role, Username};
use common::{assert_problem, get, post, App};
use serde_json::{json, Value};

async fn app_with_deu_tur() -> App {
    let state = common::seeded_state().await;
    let phc = coalesce_store::accounts::hash_password(coalesce_store::testing::SEED_PASSWORD)
        .expect("hash");
    for code in ["DEU", "TUR"] {
        state
            .store
            .create_member(
                None,
                &NewMember::parse(code, code, "state", "member", None).expect("m"),
            )
            .await
            .expect("member");
        state
            .store
            .insert_user(
                None,
                &Username::parse(&code.to_lowercase()).expect("u"),
                &MemberCode::parse(code).expect("c"),
                Role::Contributor,
                &phc,
            )
            .await
            .expect("user");
    }
    App::with_state(state)
}

fn ids(r: &common::Res) -> Vec<String> {
    r.json["items"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|i| i["id"].as_str().unwrap_or("").to_string())
                .collect()
        })
        .unwrap_or_default()
}

fn travel_report(rel_to: &[&str], tlp: &str, person: Value) -> Value {
    json!({
        "kind": "foreign-fighter-travel",
        "title": "Travel to Raqqa via Gaziantep",
        "body": "Departed Tunis 2014-09-28, transit Istanbul and Gaziantep, crossed near Akcakale on 2014-10-02.",
        "occurred_on": "2014-10-02",
        "marking": {"tlp": tlp, "rel_to": rel_to},
        "entities": [{"entity": person, "role": "traveller"}],
        "details": {
            "route": [
                {"country": "TUN", "role": "origin", "date": "2014-09-28"},
                {"country": "TUR", "role": "transit"},
                {"country": "SYR", "role": "destination", "date": "2014-10-02"}
            ],
            "documents": ["Z1234567"]
        }
    })
}

fn person(name: &str, aliases: &[&str], rel_to: &[&str], tlp: &str) -> Value {
    json!({
        "kind": "person", "name": name, "aliases": aliases, "birth_date": "1991-04",
        "nationality": "TUN", "documents": ["Z1234567"],
        "marking": {"tlp": tlp, "rel_to": rel_to}
    })
}

#[tokio::test]
async fn usa_shares_with_gbr_and_fra_deu_finds_nothing_tur_is_correlated() {
    let app = app_with_deu_tur().await;
    let (usa, gbr, fra, deu, tur) = (
        app.login("usa").await,
        app.login("gbr").await,
        app.login("fra").await,
        app.login("deu").await,
        app.login("tur").await,
    );
    // Entries come newest first.
    let audit_before = app.state.store.audit_entries(None, 1).await.expect("audit")[0].seq;
    let r = post(
        &app,
        "/reports",
        &usa,
        travel_report(
            &["GBR", "FRA"],
            "AMBER",
            person(
                "Abu Muhammad al-Tunisi",
                &["Mohamed Ben Salah"],
                &["GBR", "FRA"],
                "AMBER",
            ),
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
    assert_eq!(r.json["banner"], "TLP:AMBER REL TO FRA, GBR, USA");
    let rid = r.json["id"].as_str().expect("id").to_string();
    let person_id = r.json["entities"][0]["id"]
        .as_str()
        .expect("entity")
        .to_string();
    assert_eq!(r.json["entities"][0]["role"], "traveller");

    // GBR: the report, its entity, search hits.
    let got = get(&app, &format!("/reports/{rid}"), &gbr).await;
    assert_eq!(got.status, StatusCode::OK);
    assert_eq!(got.json["title"], "Travel to Raqqa via Gaziantep");
    assert!(ids(&get(&app, "/search?q=Gaziantep", &gbr).await).contains(&rid));
    assert!(ids(&get(&app, "/search?q=tunisi&record=entity", &gbr).await).contains(&person_id));
    assert!(ids(&get(
        &app,
        "/search?q=Raqqa&kind=foreign-fighter-travel&member=USA&tlp=AMBER&from=2014-10-01",
        &gbr
    )
    .await)
    .contains(&rid));
    assert!(ids(&get(&app, "/search?q=Raqqa&from=2015-01-01", &gbr).await).is_empty());
    assert!(ids(&get(&app, "/search?q=Raqqa&kind=financing", &gbr).await).is_empty());
    assert_eq!(
        ids(&get(&app, &format!("/reports?entity={person_id}"), &fra).await),
        vec![rid.clone()]
    );

    // DEU: nowhere.
    for path in [
        format!("/reports/{rid}"),
        format!("/entities/{person_id}"),
        format!("/entities/{person_id}/correlations"),
    ] {
        assert_problem(
            &get_raw(&app, &path, &deu).await,
            StatusCode::NOT_FOUND,
            "not_found",
        );
    }
    assert!(ids(&get(&app, "/reports", &deu).await).is_empty());
    assert!(ids(&get(&app, "/entities", &deu).await).is_empty());
    // Kind-specific details are kept, and refused where they do not belong.
    let mine = get(&app, "/reports", &gbr).await;
    assert_eq!(
        mine.json["items"][0]["details"]["route"][2]["country"],
        "SYR"
    );
    let mut wrong = travel_report(&["GBR"], "AMBER", person("X", &[], &["GBR"], "AMBER"));
    wrong["details"]["commodity"] = json!("crude-oil");
    let r = post(&app, "/reports", &usa, wrong).await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY, "invalid_field");
    let mut unknown = travel_report(&["GBR"], "AMBER", person("X", &[], &["GBR"], "AMBER"));
    unknown["details"]["colour"] = json!("red");
    let r = post(&app, "/reports", &usa, unknown).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.json);
    assert_eq!(get(&app, "/reports/count", &deu).await.json["count"], 0);
    assert_eq!(get(&app, "/entities/count", &deu).await.json["count"], 0);
    assert_eq!(get(&app, "/reports/count", &gbr).await.json["count"], 1);
    assert!(ids(&get(&app, "/search?q=Gaziantep", &deu).await).is_empty());
    assert!(ids(&get(&app, "/search?q=Tunisi", &deu).await).is_empty());

    // TUR reports the same person, spelled otherwise and in Arabic script,
    // REL TO GBR: GBR reads both and sees the link; FRA reads only USA's.
    let t = post(
        &app,
        "/reports",
        &tur,
        json!({
            "kind": "foreign-fighter-travel", "title": "Border crossing at Akçakale",
            "occurred_on": "2014-10-02", "marking": {"tlp": "AMBER", "rel_to": ["GBR"]},
            "entities": [{"entity": person("Abou Mohamed Tounsi", &["ابو محمد التونسي"], &["GBR"], "AMBER"), "role": "traveller"}]
        }),
    )
    .await;
    assert_eq!(t.status, StatusCode::CREATED, "{}", t.json);
    let tur_person = t.json["entities"][0]["id"]
        .as_str()
        .expect("entity")
        .to_string();
    let c = get(&app, &format!("/entities/{person_id}/correlations"), &gbr).await;
    let items = c.json["items"].as_array().expect("items");
    assert_eq!(items.len(), 1, "{}", c.json);
    assert_eq!(items[0]["entity"]["id"], tur_person.as_str());
    assert_eq!(items[0]["match"], true);
    assert!(items[0]["score"].as_f64().expect("score") > 0.7);
    let reasons = items[0]["reasons"].as_array().expect("reasons");
    assert!(
        reasons
            .iter()
            .any(|r| r.as_str().unwrap_or("").contains("birth_date")),
        "{reasons:?}"
    );
    assert!(
        reasons
            .iter()
            .any(|r| r.as_str().unwrap_or("").contains("identifier")),
        "{reasons:?}"
    );
    let c = get(&app, &format!("/entities/{person_id}/correlations"), &fra).await;
    assert_eq!(c.json["items"], json!([]), "FRA may not read TUR's entity");

    // Every read of the AMBER records was audited.
    let entries = app
        .state
        .store
        .audit_entries(None, 100_000)
        .await
        .expect("audit");
    let reads: Vec<_> = entries
        .iter()
        .filter(|e| e.seq > audit_before && e.action.ends_with(".read") && e.member == "GBR")
        .collect();
    assert!(
        reads
            .iter()
            .any(|e| e.action == "report.read" && e.subject == rid),
        "{reads:?}"
    );
    assert!(reads.iter().any(|e| e.action == "search.read"));
}

async fn get_raw(app: &App, path: &str, token: &str) -> common::Res {
    app.send(Method::GET, &format!("/api/v1{path}"), Some(token), None)
        .await
}

#[tokio::test]
async fn ownership_versions_relationships_and_bad_input() {
    let app = app_with_deu_tur().await;
    let (usa, gbr) = (app.login("usa").await, app.login("gbr").await);
    let vessel = post(
        &app,
        "/entities",
        &gbr,
        json!({"kind": "vessel", "name": "Sea Star", "imo": "IMO 9074729", "mmsi": "211331640", "flag": "PAN",
               "marking": {"tlp": "GREEN", "rel_to": ["COALITION"]}}),
    )
    .await;
    assert_eq!(vessel.status, StatusCode::CREATED, "{}", vessel.json);
    let vid = vessel.json["id"].as_str().expect("id").to_string();
    let company = post(
        &app,
        "/entities",
        &gbr,
        json!({"kind": "organisation", "name": "Sample Oil Trading", "nationality": "TUR",
               "marking": {"tlp": "GREEN", "rel_to": ["COALITION"]}}),
    )
    .await;
    let cid = company.json["id"].as_str().expect("id").to_string();
    let rel = post(
        &app,
        &format!("/entities/{cid}/relationships"),
        &gbr,
        json!({"to": vid, "kind": "operates", "note": "chartered 2015", "marking": {"tlp": "GREEN", "rel_to": ["COALITION"]}}),
    )
    .await;
    assert_eq!(rel.status, StatusCode::CREATED, "{}", rel.json);
    assert_eq!(
        get(&app, &format!("/entities/{vid}/relationships"), &usa)
            .await
            .json["items"][0]["kind"],
        "operates"
    );

    let r = post(
        &app,
        "/reports",
        &gbr,
        json!({"kind": "financing", "title": "Crude loaded at Ceyhan", "body": "30,000 barrels", "line_of_effort": "humanitarian",
               "marking": {"tlp": "GREEN", "rel_to": ["COALITION"]},
               "entities": [{"id": vid, "role": "vessel"}, {"id": cid, "role": "buyer"}]}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
    let rid = r.json["id"].as_str().expect("id").to_string();
    // Only GBR changes it; a new version is kept.
    let mut edit = json!({"kind": "financing", "title": "Crude loaded at Ceyhan (corrected)", "body": "40,000 barrels",
                          "marking": {"tlp": "GREEN", "rel_to": ["COALITION"]}, "entities": [{"id": vid, "role": "vessel"}], "if_version": 1});
    let not_theirs = app
        .send(
            Method::PUT,
            &format!("/api/v1/reports/{rid}"),
            Some(&usa),
            Some(edit.clone()),
        )
        .await;
    assert_problem(&not_theirs, StatusCode::FORBIDDEN, "forbidden");
    let ok = app
        .send(
            Method::PUT,
            &format!("/api/v1/reports/{rid}"),
            Some(&gbr),
            Some(edit.clone()),
        )
        .await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.json);
    assert_eq!(ok.json["version"], 2);
    let stale = app
        .send(
            Method::PUT,
            &format!("/api/v1/reports/{rid}"),
            Some(&gbr),
            Some(edit.clone()),
        )
        .await;
    assert_problem(&stale, StatusCode::CONFLICT, "version_conflict");
    assert!(
        ids(&get(&app, "/search?q=40", &usa).await).contains(&rid),
        "the index follows the new version"
    );
    assert!(ids(&get(&app, "/search?q=30", &usa).await).is_empty());
    edit["if_version"] = json!(2);

    // Bad input: nothing written.
    let before = ids(&get(&app, "/reports", &gbr).await).len();
    let ents_before = ids(&get(&app, "/entities", &gbr).await).len();
    for body in [
        json!({"kind": "gossip", "title": "t", "marking": {"tlp": "GREEN", "rel_to": []}}),
        json!({"kind": "financing", "title": "", "marking": {"tlp": "GREEN", "rel_to": []}}),
        json!({"kind": "financing", "title": "t", "marking": {"tlp": "PINK", "rel_to": []}}),
        json!({"kind": "financing", "title": "t", "occurred_on": "2014-02-30", "marking": {"tlp": "GREEN", "rel_to": []}}),
        json!({"kind": "financing", "title": "t", "marking": {"tlp": "GREEN", "rel_to": []},
               "entities": [{"entity": {"kind": "vessel", "name": "X", "imo": "9074728", "marking": {"tlp": "GREEN", "rel_to": []}}}]}),
        json!({"kind": "financing", "title": "t", "marking": {"tlp": "GREEN", "rel_to": []},
               "entities": [{"entity": {"kind": "person", "name": "New person", "marking": {"tlp": "GREEN", "rel_to": []}}},
                            {"id": "01234567-89ab-7def-8123-456789abcdef"}]}),
        json!({"kind": "financing", "title": "t", "marking": {"tlp": "GREEN", "rel_to": []}, "entities": [{"role": "x"}]}),
    ] {
        let r = post(&app, "/reports", &gbr, body.clone()).await;
        assert!(r.status.is_client_error(), "{body}: {}", r.json);
    }
    assert_eq!(ids(&get(&app, "/reports", &gbr).await).len(), before);
    assert_eq!(
        ids(&get(&app, "/entities", &gbr).await).len(),
        ents_before,
        "no entity half-created"
    );
    for q in [
        "/search?q=x&record=tank",
        "/search?q=x&from=yesterday",
        "/search?q=x&tlp=PINK",
        "/search?q=x&kind=gossip",
    ] {
        assert!(get_raw(&app, q, &gbr).await.status.is_client_error(), "{q}");
    }
    assert_eq!(
        get(&app, "/search?q=%22%20OR%20*", &gbr).await.json["items"],
        json!([]),
        "FTS syntax is not passed through"
    );
    // Withdrawal: gone from lists and search; only the origin.
    let r = app
        .send(
            Method::DELETE,
            &format!("/api/v1/reports/{rid}"),
            Some(&usa),
            None,
        )
        .await;
    assert_problem(&r, StatusCode::FORBIDDEN, "forbidden");
    let r = app
        .send(
            Method::DELETE,
            &format!("/api/v1/reports/{rid}"),
            Some(&gbr),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    assert!(ids(&get(&app, "/search?q=Ceyhan", &usa).await).is_empty());
    assert_problem(
        &get_raw(&app, &format!("/reports/{rid}"), &gbr).await,
        StatusCode::NOT_FOUND,
        "not_found",
    );
}

#[tokio::test]
async fn stix_export_holds_only_what_the_caller_may_read() {
    let app = app_with_deu_tur().await;
    let (usa, gbr, deu) = (
        app.login("usa").await,
        app.login("gbr").await,
        app.login("deu").await,
    );
    let r = post(
        &app,
        "/reports",
        &usa,
        travel_report(
            &["GBR", "FRA"],
            "AMBER",
            person(
                "Abu Muhammad al-Tunisi",
                &["ابو محمد التونسي"],
                &["GBR", "FRA"],
                "AMBER",
            ),
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
    let b = get(&app, "/export/stix", &gbr).await;
    assert_eq!(b.status, StatusCode::OK);
    assert_eq!(b.json["type"], "bundle");
    let objs = b.json["objects"].as_array().expect("objects");
    let report = objs.iter().find(|o| o["type"] == "report").expect("report");
    assert_eq!(report["name"], "Travel to Raqqa via Gaziantep");
    let marks: Vec<&str> = report["object_marking_refs"]
        .as_array()
        .expect("m")
        .iter()
        .map(|m| m.as_str().expect("s"))
        .collect();
    assert!(
        marks.contains(&"marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421"),
        "TLP:AMBER 2.0 id"
    );
    assert!(objs.iter().any(|o| o["name"] == "REL TO FRA, GBR, USA"));
    let person = objs
        .iter()
        .find(|o| o["type"] == "identity" && o["identity_class"] == "individual")
        .expect("person");
    assert_eq!(person["name"], "Abu Muhammad al-Tunisi");
    // A relationship REL TO GBR between two people: in GBR's bundle, not FRA's.
    let pid = r.json["entities"][0]["id"]
        .as_str()
        .expect("id")
        .to_string();
    let other = post(
        &app,
        "/entities",
        &usa,
        json!({"kind": "person", "name": "Abu Talha al-Almani", "nationality": "DEU",
               "marking": {"tlp": "GREEN", "rel_to": ["COALITION"]}}),
    )
    .await;
    let oid = other.json["id"].as_str().expect("id").to_string();
    let rel = post(
        &app,
        &format!("/entities/{pid}/relationships"),
        &usa,
        json!({"to": oid, "kind": "travelled-with", "note": "same bus to Gaziantep", "marking": {"tlp": "AMBER", "rel_to": ["GBR"]}}),
    )
    .await;
    assert_eq!(rel.status, StatusCode::CREATED, "{}", rel.json);
    let b = get(&app, "/export/stix", &gbr).await;
    let x = b.json["objects"]
        .as_array()
        .expect("objects")
        .iter()
        .find(|o| o["type"] == "relationship")
        .expect("GBR's bundle holds the relationship")
        .clone();
    assert_eq!(x["labels"], json!(["travelled-with"]));
    assert_eq!(x["source_ref"], person["id"]);
    let fra = app.login("fra").await;
    let b = get(&app, "/export/stix", &fra).await;
    assert!(!b.json["objects"]
        .as_array()
        .expect("objects")
        .iter()
        .any(|o| o["type"] == "relationship"));
    let b = get(&app, "/export/stix", &deu).await;
    assert!(!b.json["objects"]
        .as_array()
        .expect("objects")
        .iter()
        .any(|o| o["type"] == "report"
            || o["type"] == "relationship"
            || o["name"] == "Abu Muhammad al-Tunisi"));
    let b = get(&app, "/export/stix?kind=financing", &gbr).await;
    assert!(!b.json["objects"]
        .as_array()
        .expect("objects")
        .iter()
        .any(|o| o["type"] == "report"));
    assert!(get_raw(&app, "/export/stix?kind=gossip", &gbr)
        .await
        .status
        .is_client_error());
}

/// A report's and an entity's kept versions: each reader gets the versions
/// released to it, each as it was; a link to an entity the reader may not
/// read shows in none of them.
#[tokio::test]
async fn report_and_entity_versions_show_each_reader_its_own() {
    let app = App::seeded().await;
    let (usa, gbr, fra) = (
        app.login("usa").await,
        app.login("gbr").await,
        app.login("fra").await,
    );
    // A person for USA alone, and one for the coalition.
    let hidden = post(
        &app,
        "/entities",
        &usa,
        json!({"kind": "person", "name": "Abu Hidden", "marking": {"tlp": "GREEN", "rel_to": []}}),
    )
    .await;
    assert_eq!(hidden.status, StatusCode::CREATED, "{}", hidden.json);
    let hidden_id = hidden.json["id"].as_str().expect("id").to_string();
    let shared = post(
        &app,
        "/entities",
        &usa,
        json!({"kind": "person", "name": "Abu Shared", "marking": {"tlp": "GREEN", "rel_to": ["COALITION"]}}),
    )
    .await;
    let shared_id = shared.json["id"].as_str().expect("id").to_string();
    let report = |title: &str, rel_to: Value, version: Option<i64>| {
        let mut r = json!({
            "kind": "situation-report", "title": title, "body": "",
            "entities": [{"id": hidden_id, "role": "subject"}, {"id": shared_id, "role": "companion"}],
            "marking": {"tlp": "AMBER", "rel_to": rel_to}
        });
        if let Some(v) = version {
            r["if_version"] = json!(v);
        }
        r
    };
    let r = post(
        &app,
        "/reports",
        &usa,
        report("Seen in Hit", json!(["GBR"]), None),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
    let rid = r.json["id"].as_str().expect("id").to_string();
    let u = app
        .send(
            Method::PUT,
            &format!("/api/v1/reports/{rid}"),
            Some(&usa),
            Some(report(
                "Seen in Hit and Rawa",
                json!(["GBR", "FRA"]),
                Some(1),
            )),
        )
        .await;
    assert_eq!(u.status, StatusCode::OK, "{}", u.json);
    let versions = |token: String| {
        let app = app.clone();
        let path = format!("/reports/{rid}/versions");
        async move { get(&app, &path, &token).await }
    };
    let seen = |r: &common::Res| -> Vec<(i64, String)> {
        r.json["items"]
            .as_array()
            .expect("items")
            .iter()
            .map(|v| {
                (
                    v["version"].as_i64().unwrap_or(0),
                    v["snapshot"]["title"].as_str().unwrap_or("").to_string(),
                )
            })
            .collect()
    };
    let g = versions(gbr.clone()).await;
    assert_eq!(g.status, StatusCode::OK, "{}", g.json);
    assert_eq!(
        seen(&g),
        [
            (1, "Seen in Hit".to_string()),
            (2, "Seen in Hit and Rawa".to_string())
        ]
    );
    let f = versions(fra.clone()).await;
    assert_eq!(seen(&f), [(2, "Seen in Hit and Rawa".to_string())]);
    for r in [&g, &f] {
        let text = r.json.to_string();
        assert!(!text.contains(&hidden_id), "{text}");
        assert!(text.contains(&shared_id), "{text}");
    }
    assert!(versions(usa.clone())
        .await
        .json
        .to_string()
        .contains(&hidden_id));
    let deu_like = app.login("irq").await;
    assert_eq!(versions(deu_like).await.status, StatusCode::NOT_FOUND);

    // The shared person's versions: a new name, both versions for GBR.
    let u = app
        .send(
            Method::PUT,
            &format!("/api/v1/entities/{shared_id}"),
            Some(&usa),
            Some(
                json!({"kind": "person", "name": "Abu Shared al-Iraqi", "if_version": 1,
                        "marking": {"tlp": "GREEN", "rel_to": ["COALITION"]}}),
            ),
        )
        .await;
    assert_eq!(u.status, StatusCode::OK, "{}", u.json);
    let e = get(&app, &format!("/entities/{shared_id}/versions"), &gbr).await;
    assert_eq!(e.status, StatusCode::OK, "{}", e.json);
    let names: Vec<&str> = e.json["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|v| v["snapshot"]["name"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(names, ["Abu Shared", "Abu Shared al-Iraqi"]);
    assert_eq!(
        get(&app, &format!("/entities/{hidden_id}/versions"), &gbr)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

/// Every `…_ref` and `…_refs` value of a STIX object.
fn refs_of(o: &Value) -> Vec<String> {
    let mut out = Vec::new();
    if let Value::Object(m) = o {
        for (k, v) in m {
            if k.ends_with("_ref") {
                out.extend(v.as_str().map(str::to_string));
            } else if k.ends_with("_refs") {
                out.extend(
                    v.as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(|x| x.as_str().map(str::to_string)),
                );
            }
        }
    }
    out
}

/// The STIX bundle is written a page at a time (issue 20): an export over
/// several pages of entities and reports is one bundle holding every
/// object once, every reference resolving inside it; filtered exports
/// carry the linked entities once and the relationships among them; a
/// link to a withdrawn entity or one the reader may not read is left out
/// (it no longer makes the filtered export fail).
#[tokio::test]
async fn a_stix_export_of_many_pages_is_one_bundle_with_every_object_once() {
    let app = App::seeded().await;
    let (usa, gbr) = (app.login("usa").await, app.login("gbr").await);
    let entity = |name: &str, rel_to: &[&str]| {
        json!({"kind": "person", "name": name, "nationality": "TUN",
               "marking": {"tlp": "GREEN", "rel_to": rel_to}})
    };
    let made = |r: common::Res| {
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
        r.json["id"].as_str().expect("id").to_string()
    };
    let hub = made(
        post(
            &app,
            "/entities",
            &usa,
            entity("Hub Person", &["COALITION"]),
        )
        .await,
    );
    let hidden = made(post(&app, "/entities", &usa, entity("Usa Only Person", &["USA"])).await);
    let gone = made(
        post(
            &app,
            "/entities",
            &usa,
            entity("Gone Person", &["COALITION"]),
        )
        .await,
    );
    let mut first_traveller = String::new();
    for i in 0..520 {
        let mut r = travel_report(
            &["COALITION"],
            "GREEN",
            entity(&format!("Traveller {i}"), &["COALITION"]),
        );
        r["title"] = json!(format!("Travel {i}"));
        let links = r["entities"].as_array_mut().expect("links");
        links.push(json!({"id": hub, "role": "contact"}));
        if i == 0 {
            links.push(json!({"id": hidden, "role": "contact"}));
            links.push(json!({"id": gone, "role": "contact"}));
        }
        let res = post(&app, "/reports", &usa, r).await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.json);
        if i == 0 {
            first_traveller = res.json["entities"]
                .as_array()
                .into_iter()
                .flatten()
                .find(|l| l["role"] == "traveller")
                .and_then(|l| l["id"].as_str())
                .expect("the traveller")
                .to_string();
        }
    }
    for (to, rel_to) in [(&first_traveller, "COALITION"), (&hidden, "USA")] {
        let r = post(
            &app,
            &format!("/entities/{hub}/relationships"),
            &usa,
            json!({"to": to, "kind": "travelled-with", "note": "", "marking": {"tlp": "GREEN", "rel_to": [rel_to]}}),
        )
        .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
    }
    let p_usa = coalesce_store::Principal {
        user_id: "x".into(),
        username: Username::parse("usa").expect("u"),
        member: MemberCode::parse("USA").expect("m"),
        role: Role::Contributor,
    };
    app.state
        .store
        .withdraw_record::<coalesce_domain::entity::EntityRecordKind>(&p_usa, &gone, None)
        .await
        .expect("withdrawn");

    let check = |b: &Value| -> Vec<Value> {
        assert_eq!(b["type"], "bundle");
        let objs = b["objects"].as_array().expect("objects").clone();
        let ids: std::collections::BTreeSet<&str> =
            objs.iter().map(|o| o["id"].as_str().expect("id")).collect();
        assert_eq!(ids.len(), objs.len(), "no object twice");
        for o in &objs {
            for r in refs_of(o) {
                assert!(ids.contains(r.as_str()), "{r} of {} dangles", o["id"]);
            }
        }
        objs
    };
    let named = |objs: &[Value], name: &str| objs.iter().filter(|o| o["name"] == name).count();
    for path in ["/export/stix", "/export/stix?kind=foreign-fighter-travel"] {
        let b = get(&app, path, &gbr).await;
        assert_eq!(b.status, StatusCode::OK, "{path}: {}", b.json);
        let objs = check(&b.json);
        let reports = objs.iter().filter(|o| o["type"] == "report").count();
        assert_eq!(reports, 520, "{path}: every report once");
        for i in [0, 250, 519] {
            assert_eq!(named(&objs, &format!("Travel {i}")), 1, "{path}");
            assert_eq!(named(&objs, &format!("Traveller {i}")), 1, "{path}");
        }
        assert_eq!(named(&objs, "Hub Person"), 1, "{path}");
        assert_eq!(named(&objs, "Usa Only Person"), 0, "{path}: not GBR's");
        assert_eq!(named(&objs, "Gone Person"), 0, "{path}: withdrawn");
        let rels = objs.iter().filter(|o| o["type"] == "relationship").count();
        assert_eq!(rels, 1, "{path}: the relationship GBR may read, once");
        // Report 0 names its traveller and the hub, nothing else.
        let r0 = objs
            .iter()
            .find(|o| o["name"] == "Travel 0")
            .expect("report 0");
        assert_eq!(r0["object_refs"].as_array().map(Vec::len), Some(2), "{r0}");
    }
    // About one entity: the reports linking it, it, and what they link.
    let b = get(
        &app,
        &format!("/export/stix?entity={first_traveller}"),
        &gbr,
    )
    .await;
    assert_eq!(b.status, StatusCode::OK, "{}", b.json);
    let objs = check(&b.json);
    assert_eq!(objs.iter().filter(|o| o["type"] == "report").count(), 1);
    assert_eq!(named(&objs, "Traveller 0") + named(&objs, "Hub Person"), 2);
    assert_eq!(
        objs.iter().filter(|o| o["type"] == "relationship").count(),
        1
    );
    // An entity GBR may not read, or withdrawn, is not there to ask about.
    for id in [&hidden, &gone] {
        let b = get_raw(&app, &format!("/export/stix?entity={id}"), &gbr).await;
        assert_eq!(b.status, StatusCode::NOT_FOUND, "{}", b.json);
    }
}
