//! The coordination picture and indicators through the HTTP API (issue 3):
//! dashboards, totals, trends, filters, duplication and indicator figures
//! count only what the caller may read. SQLite by default, PostgreSQL when
//! COALESCE_TEST_POSTGRES is set.

mod common;

use axum::http::{Method, StatusCode};
use common::{assert_problem, post, App};
use serde_json::{json, Value};

async fn get(app: &App, path: &str, token: &str) -> common::Res {
    let r = app
        .send(Method::GET, &format!("/api/v1{path}"), Some(token), None)
        .await;
    assert_eq!(r.status, StatusCode::OK, "GET {path}: {}", r.json);
    r
}

async fn created(app: &App, path: &str, token: &str, body: Value) -> String {
    let r = post(app, path, token, body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
    r.json["id"].as_str().expect("id").to_string()
}

fn requirement(title: &str, n: i64) -> Value {
    json!({
        "title": title,
        "requesting_member": "IRQ",
        "line_of_effort": "humanitarian",
        "category": "water",
        "measure": {"quantity": n, "unit": "tank"},
        "place": {"country": "IRQ", "admin1": {"name": "Salah Al-Din", "pcode": "IQG16"}, "town": "Tikrit"},
        "window": {"start": "2015-04-01", "end": "2015-06-30"},
        "priority": 1,
        "marking": {"tlp": "GREEN", "rel_to": ["COALITION"]}
    })
}

fn pledge(member: &str, rid: &str, n: i64, tlp: &str, rel_to: &[&str]) -> Value {
    json!({
        "title": format!("Water tanks from {member}"),
        "contributors": [member],
        "requirement_id": rid,
        "measure": {"quantity": n, "unit": "tank"},
        "marking": {"tlp": tlp, "rel_to": rel_to}
    })
}

fn standalone(member: &str, town: &str, start: &str, end: &str) -> Value {
    json!({
        "title": format!("Water purification in {town}"),
        "contributors": [member],
        "line_of_effort": "humanitarian",
        "category": "water",
        "measure": {"quantity": 4, "unit": "unit"},
        "place": {"country": "IRQ", "town": town},
        "window": {"start": start, "end": end},
        "marking": {"tlp": "GREEN", "rel_to": ["COALITION"]}
    })
}

fn member_keys(r: &common::Res, field: &str) -> Vec<String> {
    r.json[field]
        .as_array()
        .expect("array")
        .iter()
        .map(|t| t["key"].as_str().expect("key").to_string())
        .collect()
}

#[tokio::test]
async fn a_small_group_contribution_is_absent_from_every_figure_outside_the_group() {
    let app = App::seeded().await;
    let (irq, usa, gbr, fra) = (
        app.login("irq").await,
        app.login("usa").await,
        app.login("gbr").await,
        app.login("fra").await,
    );
    let rid = created(
        &app,
        "/requirements",
        &irq,
        requirement("Water for Tikrit", 20),
    )
    .await;
    // USA pledges 5 for the small group only (USA, GBR); GBR pledges 3 to all.
    let secret = created(
        &app,
        "/contributions",
        &usa,
        pledge("USA", &rid, 5, "AMBER", &["GROUP:small-group"]),
    )
    .await;
    let open = created(
        &app,
        "/contributions",
        &gbr,
        pledge("GBR", &rid, 3, "GREEN", &["COALITION"]),
    )
    .await;
    for (token, pledged, n, members) in [
        (&usa, 8, 2, vec!["GBR", "USA"]),
        (&gbr, 8, 2, vec!["GBR", "USA"]),
        (&fra, 3, 1, vec!["GBR"]),
        (&irq, 3, 1, vec!["GBR"]),
    ] {
        let d = get(&app, "/lines-of-effort/humanitarian/dashboard", token).await;
        assert_eq!(d.json["requirements"][0]["summary"]["pledged"], pledged);
        assert_eq!(member_keys(&d, "by_member"), members);
        let months: i64 = d.json["trend"]
            .as_array()
            .expect("trend")
            .iter()
            .map(|m| m["pledged"].as_i64().expect("n"))
            .sum();
        assert_eq!(months, n);
        let t = get(&app, "/picture/totals?by=member", token).await;
        assert_eq!(member_keys(&t, "items"), members);
        let t = get(&app, "/picture/totals?by=line_of_effort", token).await;
        assert_eq!(t.json["items"][0]["pledged"], pledged);
        // By governorate: the pledges take their requirement's place.
        let t = get(&app, "/picture/totals?by=admin1", token).await;
        assert_eq!(member_keys(&t, "items"), vec!["IQG16"]);
        assert_eq!(t.json["items"][0]["pledged"], pledged);
        assert_eq!(t.json["items"][0]["contributions"], n);
        let c = get(
            &app,
            "/contributions/count?line_of_effort=humanitarian",
            token,
        )
        .await;
        assert_eq!(c.json["count"], n);
        let s = get(&app, &format!("/requirements/{rid}/summary"), token).await;
        assert_eq!(s.json["pledged"], pledged);
        let l = get(&app, "/contributions?member=USA", token).await;
        let listed = l.json["items"].as_array().expect("items").len();
        assert_eq!(listed, if pledged == 8 { 1 } else { 0 });
    }
    let r = app
        .send(
            Method::GET,
            &format!("/api/v1/contributions/{secret}"),
            Some(&fra),
            None,
        )
        .await;
    assert_problem(&r, StatusCode::NOT_FOUND, "not_found");
    assert_eq!(
        get(&app, &format!("/contributions/{open}"), &fra)
            .await
            .json["id"],
        open.as_str()
    );
}

#[tokio::test]
async fn filters_narrow_and_bad_filters_are_refused() {
    let app = App::seeded().await;
    let (irq, gbr, usa) = (
        app.login("irq").await,
        app.login("gbr").await,
        app.login("usa").await,
    );
    let rid = created(&app, "/requirements", &irq, requirement("Water", 20)).await;
    let c = created(
        &app,
        "/contributions",
        &gbr,
        pledge("GBR", &rid, 3, "GREEN", &["COALITION"]),
    )
    .await;
    created(
        &app,
        "/contributions",
        &usa,
        standalone("USA", "Mosul", "2015-01-01", "2015-02-01"),
    )
    .await;
    let r = post(
        &app,
        &format!("/contributions/{c}/transitions"),
        &gbr,
        json!({"action": "commit"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    for (q, n) in [
        ("", 2),
        ("?status=committed", 1),
        ("?status=pledged", 1),
        ("?member=gbr", 1),
        ("?country=IRQ", 2),
        ("?country=SYR", 0),
        ("?admin1=IQG16", 1),
        ("?category=water&line_of_effort=humanitarian", 2),
        ("?category=police", 0),
    ] {
        let r = get(&app, &format!("/contributions/count{q}"), &gbr).await;
        assert_eq!(r.json["count"], n, "{q}");
        let l = get(&app, &format!("/contributions{q}"), &gbr).await;
        assert_eq!(
            l.json["items"].as_array().map(Vec::len),
            Some(n as usize),
            "{q}"
        );
    }
    // Contributions against a requirement take its place.
    let got = get(&app, &format!("/contributions/{c}"), &gbr).await;
    assert_eq!(got.json["place"]["town"], "Tikrit");
    assert_eq!(got.json["window"]["start"], "2015-04-01");

    for (q, code) in [
        ("/contributions?status=lost", "invalid_field"),
        ("/contributions?colour=red", "invalid_query"),
        ("/picture/totals?by=weather", "invalid_query"),
    ] {
        let r = app
            .send(Method::GET, &format!("/api/v1{q}"), Some(&gbr), None)
            .await;
        assert!(r.status.is_client_error(), "{q}: {}", r.status);
        if code != "invalid_field" {
            assert_problem(&r, StatusCode::BAD_REQUEST, code);
        }
    }
    let r = app
        .send(
            Method::GET,
            "/api/v1/lines-of-effort/no-such-line/dashboard",
            Some(&gbr),
            None,
        )
        .await;
    assert_problem(&r, StatusCode::NOT_FOUND, "not_found");
    // A standalone contribution names its place and window.
    let mut no_place = standalone("GBR", "Mosul", "2015-01-01", "2015-02-01");
    no_place["place"] = Value::Null;
    let r = post(&app, "/contributions", &gbr, no_place).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.json);
    let mut bad_country = standalone("GBR", "Mosul", "2015-01-01", "2015-02-01");
    bad_country["place"]["country"] = json!("XYZ");
    let r = post(&app, "/contributions", &gbr, bad_country).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.json);
    assert_eq!(
        get(&app, "/contributions/count", &gbr).await.json["count"],
        2
    );
}

#[tokio::test]
async fn duplication_flags_over_contribution_and_overlaps() {
    let app = App::seeded().await;
    let (irq, gbr, usa, fra) = (
        app.login("irq").await,
        app.login("gbr").await,
        app.login("usa").await,
        app.login("fra").await,
    );
    let rid = created(&app, "/requirements", &irq, requirement("Water", 10)).await;
    created(
        &app,
        "/contributions",
        &gbr,
        pledge("GBR", &rid, 6, "GREEN", &["COALITION"]),
    )
    .await;
    created(
        &app,
        "/contributions",
        &usa,
        pledge("USA", &rid, 6, "AMBER", &["GROUP:small-group"]),
    )
    .await;
    // Two overlapping standalone pledges in Mosul, one apart in time, one elsewhere.
    let a = created(
        &app,
        "/contributions",
        &gbr,
        standalone("GBR", "Mosul", "2015-01-01", "2015-03-01"),
    )
    .await;
    let b = created(
        &app,
        "/contributions",
        &fra,
        standalone("FRA", "mosul", "2015-02-15", "2015-04-01"),
    )
    .await;
    created(
        &app,
        "/contributions",
        &fra,
        standalone("FRA", "Mosul", "2015-06-01", "2015-07-01"),
    )
    .await;
    created(
        &app,
        "/contributions",
        &gbr,
        standalone("GBR", "Kirkuk", "2015-01-01", "2015-03-01"),
    )
    .await;
    // USA (small group) sees 12 > 10 offered; FRA sees only GBR's 6.
    let d = get(&app, "/picture/duplication", &usa).await;
    assert_eq!(d.json["over_contributed"][0]["offered"], 12);
    let d = get(&app, "/picture/duplication", &fra).await;
    assert_eq!(d.json["over_contributed"], json!([]));
    let groups = d.json["overlapping"].as_array().expect("groups");
    assert_eq!(groups.len(), 1);
    let mut ids: Vec<&str> = groups[0]
        .as_array()
        .expect("group")
        .iter()
        .map(|c| c["id"].as_str().expect("id"))
        .collect();
    ids.sort();
    let mut want = vec![a.as_str(), b.as_str()];
    want.sort();
    assert_eq!(ids, want);
}

fn indicator(slug: &str) -> Value {
    json!({
        "slug": slug,
        "name": "Share of Iraqi territory held by ISIL",
        "unit": "%",
        "line_of_effort": "humanitarian",
        "direction": "decrease",
        "aggregation": "last",
        "baseline": 40.0,
        "baseline_date": "2014-08-08",
        "targets": [{"date": "2016-12-31", "value": 10.0}]
    })
}

fn value(on: &str, v: f64, tlp: &str, rel_to: &[&str]) -> Value {
    json!({"observed_on": on, "value": v, "note": "reported", "marking": {"tlp": tlp, "rel_to": rel_to}})
}

#[tokio::test]
async fn indicators_report_values_and_compute_progress_over_readable_values() {
    let app = App::seeded().await;
    let (usa, gbr, fra) = (
        app.login("usa").await,
        app.login("gbr").await,
        app.login("fra").await,
    );
    // Only coordinators define indicators.
    let r = post(&app, "/indicators", &gbr, indicator("territory-held")).await;
    assert_problem(&r, StatusCode::FORBIDDEN, "forbidden");
    let r = post(&app, "/indicators", &usa, indicator("territory-held")).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
    assert_eq!(r.json["actual"], Value::Null);
    // Redefining keeps the slug: 200.
    let r = post(&app, "/indicators", &usa, indicator("territory-held")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);

    let v1 = post(
        &app,
        "/indicators/territory-held/values",
        &gbr,
        value("2015-06-01", 30.0, "GREEN", &["COALITION"]),
    )
    .await;
    assert_eq!(v1.status, StatusCode::CREATED, "{}", v1.json);
    assert_eq!(v1.json["origin"], "GBR");
    let v2 = post(
        &app,
        "/indicators/territory-held/values",
        &usa,
        value("2016-12-15", 10.0, "AMBER", &["GROUP:small-group"]),
    )
    .await;
    assert_eq!(v2.status, StatusCode::CREATED, "{}", v2.json);

    // USA and GBR read both: actual 10 (the latest), progress 100 %.
    let i = get(&app, "/indicators/territory-held", &gbr).await;
    assert_eq!(i.json["actual"], 10.0);
    assert_eq!(i.json["progress"], 1.0);
    assert_eq!(i.json["series"].as_array().map(Vec::len), Some(2));
    // FRA reads only GBR's: actual 30, progress (30 − 40) / (10 − 40) = 1/3.
    let i = get(&app, "/indicators/territory-held", &fra).await;
    assert_eq!(i.json["actual"], 30.0);
    let p = i.json["progress"].as_f64().expect("progress");
    assert!((p - 1.0 / 3.0).abs() < 1e-12, "{p}");
    let vs = get(&app, "/indicators/territory-held/values", &fra).await;
    assert_eq!(vs.json["items"].as_array().map(Vec::len), Some(1));
    let all = get(&app, "/indicators", &fra).await;
    assert_eq!(all.json["items"][0]["actual"], 30.0);
    let dash = get(&app, "/lines-of-effort/humanitarian/dashboard", &fra).await;
    assert_eq!(dash.json["indicators"][0]["actual"], 30.0);

    // Withdrawal: only the reporting member; then it no longer counts.
    let id = v1.json["id"].as_str().expect("id");
    let r = app
        .send(
            Method::DELETE,
            &format!("/api/v1/indicator-values/{id}"),
            Some(&usa),
            None,
        )
        .await;
    assert_problem(&r, StatusCode::FORBIDDEN, "forbidden");
    let r = app
        .send(
            Method::DELETE,
            &format!("/api/v1/indicator-values/{id}"),
            Some(&gbr),
            None,
        )
        .await;
    // A value is a record of the layer: its withdrawal is a kept version.
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json["status"], "withdrawn");
    assert_eq!(r.json["version"], 2);
    let i = get(&app, "/indicators/territory-held", &fra).await;
    assert_eq!(i.json["actual"], Value::Null);
    let versions = get(&app, &format!("/indicator-values/{id}/versions"), &gbr).await;
    let statuses: Vec<&str> = versions.json["items"]
        .as_array()
        .expect("versions")
        .iter()
        .map(|v| v["status"].as_str().expect("status"))
        .collect();
    assert_eq!(statuses, ["live", "withdrawn"]);
    let r = app
        .send(
            Method::DELETE,
            &format!("/api/v1/indicator-values/{id}"),
            Some(&gbr),
            None,
        )
        .await;
    assert_problem(&r, StatusCode::CONFLICT, "already_withdrawn");

    // Bad input: clear errors, nothing written.
    let before = get(&app, "/indicators/territory-held/values", &gbr)
        .await
        .json["items"]
        .as_array()
        .map(Vec::len);
    let mut wrong_way = indicator("wrong-way");
    wrong_way["targets"] = json!([{"date": "2016-12-31", "value": 50.0}]);
    let mut bad_agg = indicator("bad-agg");
    bad_agg["aggregation"] = json!("median");
    let mut unknown_line = indicator("unknown-line");
    unknown_line["line_of_effort"] = json!("no-such-line");
    for (body, status) in [
        (wrong_way, StatusCode::UNPROCESSABLE_ENTITY),
        (bad_agg, StatusCode::UNPROCESSABLE_ENTITY),
        (unknown_line, StatusCode::BAD_REQUEST),
    ] {
        let r = post(&app, "/indicators", &usa, body).await;
        assert_eq!(r.status, status, "{}", r.json);
    }
    for body in [
        value("2016-13-01", 5.0, "GREEN", &["COALITION"]),
        value("2016-12-01", 5.0, "PURPLE", &["COALITION"]),
        json!({"observed_on": "2016-12-01", "value": "five", "marking": {"tlp": "GREEN", "rel_to": []}}),
    ] {
        let r = post(&app, "/indicators/territory-held/values", &gbr, body).await;
        assert!(r.status.is_client_error(), "{}", r.json);
    }
    let r = post(
        &app,
        "/indicators/no-such/values",
        &gbr,
        value("2016-12-01", 5.0, "GREEN", &["COALITION"]),
    )
    .await;
    assert_problem(&r, StatusCode::NOT_FOUND, "not_found");
    let after = get(&app, "/indicators/territory-held/values", &gbr)
        .await
        .json["items"]
        .as_array()
        .map(Vec::len);
    assert_eq!(before, after);
    assert_eq!(
        get(&app, "/indicators", &usa).await.json["items"]
            .as_array()
            .map(Vec::len),
        Some(1)
    );
}

#[tokio::test]
async fn the_openapi_document_describes_the_picture() {
    let app = App::seeded().await;
    let r = app
        .send(Method::GET, "/api/v1/openapi.json", None, None)
        .await;
    for path in [
        "/contributions/count",
        "/picture/totals",
        "/picture/trend",
        "/picture/duplication",
        "/lines-of-effort/{slug}/dashboard",
        "/indicators",
        "/indicators/{slug}",
        "/indicators/{slug}/values",
        "/indicator-values/{id}",
    ] {
        assert!(r.json["paths"][path].is_object(), "{path} missing");
    }
    let params: Vec<&str> = r.json["paths"]["/contributions"]["get"]["parameters"]
        .as_array()
        .expect("params")
        .iter()
        .map(|p| p["name"].as_str().expect("name"))
        .collect();
    for p in [
        "line_of_effort",
        "member",
        "country",
        "admin1",
        "category",
        "status",
    ] {
        assert!(params.contains(&p), "{p} not documented");
    }
}

/// Indicator values are records of the layer: the generic routes serve
/// them, `?indicator=` filters, an unknown indicator is refused by name,
/// and a changed value changes the figure.
#[tokio::test]
async fn indicator_values_are_records_of_the_layer() {
    let app = App::seeded().await;
    let (usa, gbr, fra) = (
        app.login("usa").await,
        app.login("gbr").await,
        app.login("fra").await,
    );
    for slug in ["territory-held", "other"] {
        let r = post(&app, "/indicators", &usa, indicator(slug)).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
    }
    let body = |slug: &str, v: f64| {
        json!({"indicator": slug, "observed_on": "2015-06-01", "value": v,
               "marking": {"tlp": "GREEN", "rel_to": ["COALITION"]}})
    };
    let id = created(
        &app,
        "/indicator-values",
        &gbr,
        body("territory-held", 30.0),
    )
    .await;
    created(&app, "/indicator-values", &gbr, body("other", 1.0)).await;
    let r = post(
        &app,
        "/indicator-values",
        &gbr,
        body("no-such-indicator", 1.0),
    )
    .await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY, "invalid_field");
    assert!(
        r.json["detail"]
            .as_str()
            .is_some_and(|d| d.contains("no-such-indicator")),
        "{}",
        r.json
    );
    let only = get(&app, "/indicator-values?indicator=territory-held", &fra).await;
    let items = only.json["items"].as_array().expect("items");
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["id"], id.as_str());
    assert_eq!(items[0]["indicator"], "territory-held");
    let r = app
        .send(
            Method::GET,
            "/api/v1/indicator-values?colour=red",
            Some(&fra),
            None,
        )
        .await;
    assert_problem(&r, StatusCode::BAD_REQUEST, "invalid_query");
    assert_eq!(
        get(&app, "/indicator-values/count", &fra).await.json["count"],
        2
    );

    // A change is a new version; the figure follows it; a stale change is
    // a typed conflict.
    let mut changed = body("territory-held", 20.0);
    changed["if_version"] = json!(1);
    let r = app
        .send(
            Method::PUT,
            &format!("/api/v1/indicator-values/{id}"),
            Some(&gbr),
            Some(changed.clone()),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    assert_eq!(r.json["version"], 2);
    assert_eq!(
        get(&app, "/indicators/territory-held", &fra).await.json["actual"],
        20.0
    );
    let r = app
        .send(
            Method::PUT,
            &format!("/api/v1/indicator-values/{id}"),
            Some(&gbr),
            Some(changed),
        )
        .await;
    assert_problem(&r, StatusCode::CONFLICT, "version_conflict");
    let stix = get(&app, &format!("/indicator-values/{id}/stix"), &fra).await;
    assert!(
        stix.json["objects"]
            .as_array()
            .expect("objects")
            .iter()
            .any(|o| o["type"] == "x-coalesce-indicator-value" && o["value"] == 20.0),
        "{}",
        stix.json
    );
}
