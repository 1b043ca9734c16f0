//! The stabilisation fund through the HTTP API: a fund and its projects as
//! records, operations recorded by its fund manager (a refused one names
//! its rule and writes nothing), the status table and breakdowns over what
//! each member may read, transfers paged, rates, the OpenAPI document, and
//! the IATI export carrying the fund's activities. SQLite by default,
//! PostgreSQL when COALESCE_TEST_POSTGRES is set.

mod common;

use axum::http::StatusCode;
use common::{assert_problem, get, post, App};
use serde_json::{json, Value};

fn fund() -> Value {
    json!({"name": "Funding Facility for Immediate Stabilization", "agent": "UNDP",
           "base_currency": "USD",
           "windows": [{"code": "W1", "name": "Public works and light infrastructure"},
                       {"code": "W2", "name": "Livelihoods"}],
           "opened": "2015-06-01", "marking": {"tlp": "GREEN", "rel_to": ["COALITION"]}})
}

fn ops(v: Value) -> Value {
    json!({ "operations": v })
}

#[tokio::test]
async fn a_fund_manager_records_operations_and_members_read_what_is_released_to_them() {
    let app = App::seeded().await;
    app.state
        .store
        .grant_fund_manager("usa", true)
        .await
        .expect("grant");
    let (usa, gbr, fra) = (
        app.login("usa").await,
        app.login("gbr").await,
        app.login("fra").await,
    );
    assert_eq!(
        get(&app, "/me", &usa).await.json["grants"],
        json!(["fund_manager"])
    );
    assert_eq!(get(&app, "/me", &gbr).await.json["grants"], json!([]));
    let f = post(&app, "/funds", &usa, fund()).await;
    assert_eq!(f.status, StatusCode::CREATED, "{}", f.json);
    let id = f.json["id"].as_str().expect("id").to_string();
    let p = post(
        &app,
        "/fund-projects",
        &usa,
        json!({"fund": id, "code": "FFS-TKT-001", "title": "Tikrit water network", "window": "W1",
               "pcode": "IQG16", "place": "Tikrit", "organisation": "UNDP", "activity_status": "ongoing",
               "budget": 250000000, "currency": "USD",
               "marking": {"tlp": "GREEN", "rel_to": ["COALITION"]}}),
    )
    .await;
    assert_eq!(p.status, StatusCode::CREATED, "{}", p.json);
    // The fund's projects, through the fund and through the layer's filter.
    let listed = get(&app, &format!("/funds/{id}/projects"), &fra).await;
    assert_eq!(listed.json["items"][0]["code"], "FFS-TKT-001");
    let filtered = get(&app, &format!("/fund-projects?fund={id}"), &fra).await;
    assert_eq!(filtered.json["items"].as_array().map(Vec::len), Some(1));

    let path = format!("/funds/{id}/operations");
    let r = post(
        &app,
        &path,
        &usa,
        ops(json!([
            {"op": "pledge", "id": "usa-2015", "donor": "USA", "amount": "7000000.00", "currency": "USD", "value_date": "2015-06-15"},
            {"op": "commit", "pledge": "usa-2015", "value_date": "2015-06-20"},
            {"op": "deposit", "pledge": "usa-2015", "amount": "7000000.00", "currency": "USD", "value_date": "2015-06-25"},
            {"op": "allocate", "window": "W1", "amount": "5000000.00", "currency": "USD", "value_date": "2015-07-01"},
            {"op": "approve", "window": "W1", "project": "FFS-TKT-001", "amount": "2500000.00", "currency": "USD", "value_date": "2015-07-05"},
            {"op": "disburse", "project": "FFS-TKT-001", "organisation": "UNDP", "amount": "2000000.00", "currency": "USD", "value_date": "2015-07-15"},
            {"op": "pledge", "id": "gbr-quiet", "donor": "GBR", "amount": "1000000.00", "currency": "USD", "value_date": "2015-08-01",
             "marking": {"tlp": "AMBER", "rel_to": ["GBR"]}}
        ])),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
    let written = r.json.as_array().expect("transfers");
    assert!(written
        .iter()
        .any(|t| t["code"] == "agent_fee" && t["amount"] == "70000.00"));
    assert!(written
        .iter()
        .any(|t| t["code"] == "indirect_cost" && t["amount"] == "140000.00"));

    // Refused operations name the rule; nothing of their batch is written.
    for (bad, code) in [
        (
            json!([{"op": "commit", "pledge": "usa-2015", "value_date": "2015-06-21"}]),
            "already_resolved",
        ),
        (
            json!([{"op": "void", "pledge": "usa-2015", "value_date": "2015-06-21"}]),
            "already_resolved",
        ),
        (
            json!([{"op": "deposit", "pledge": "usa-2015", "amount": "1.00", "currency": "USD", "value_date": "2015-06-26"}]),
            "limit_exceeded",
        ),
        (
            json!([{"op": "pledge", "donor": "FRA", "amount": "5.00", "currency": "XYZ", "value_date": "2015-06-26"}]),
            "unknown_currency",
        ),
        (
            json!([{"op": "pledge", "donor": "FRA", "amount": "5.00", "currency": "EUR", "value_date": "2015-06-26"}]),
            "no_rate",
        ),
        (
            json!([{"op": "pledge", "donor": "FRA", "amount": "0", "currency": "USD", "value_date": "2015-06-26"}]),
            "amount_not_positive",
        ),
        (
            json!([{"op": "pledge", "donor": "FRA", "amount": "-5", "currency": "USD", "value_date": "2015-06-26"}]),
            "bad_amount",
        ),
        (
            json!([{"op": "pledge", "donor": "FRA", "amount": "5", "currency": "USD", "value_date": "2015-02-30"}]),
            "invalid_operation",
        ),
        (
            json!([{"op": "deposit", "pledge": "usa-2015", "amount": "1.00", "currency": "EUR", "value_date": "2015-06-26"}]),
            "currency_mismatch",
        ),
        (
            json!([{"op": "interest", "amount": "1.00", "currency": "USD", "value_date": "2015-06-26"},
                {"op": "disburse", "project": "FFS-TKT-001", "organisation": "UNDP", "amount": "900000.00", "currency": "USD", "value_date": "2015-07-16"}]),
            "limit_exceeded",
        ),
        (
            json!([{"op": "transmogrify", "value_date": "2015-06-26"}]),
            "invalid_operation",
        ),
    ] {
        let r = post(&app, &path, &usa, ops(bad.clone())).await;
        assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY, code);
    }
    // Only the fund's managers record; a non-manager is refused.
    let r = post(
        &app,
        &path,
        &gbr,
        ops(json!([{"op": "interest", "amount": "1.00", "currency": "USD", "value_date": "2015-06-26"}])),
    )
    .await;
    assert_problem(&r, StatusCode::FORBIDDEN, "forbidden");

    // The status table: GBR reads its own quiet pledge, FRA does not and is told so.
    let s = get(&app, &format!("/funds/{id}/status"), &gbr).await;
    assert_eq!(s.status, StatusCode::OK, "{}", s.json);
    assert_eq!(s.json["partial"], false);
    assert_eq!(s.json["base"]["lines"]["deposits"], "7000000.00");
    assert_eq!(s.json["base"]["lines"]["pledged"], "1000000.00");
    assert_eq!(s.json["base"]["with_agent"], "4930000.00");
    assert_eq!(s.json["base"]["with_organisations"], "1860000.00");
    let s = get(&app, &format!("/funds/{id}/status"), &fra).await;
    assert_eq!(s.json["partial"], true);
    assert_eq!(s.json["base"]["lines"]["pledged"], "0.00");
    assert!(!s.json.to_string().contains("gbr-quiet"));
    let req = axum::http::Request::builder()
        .uri(format!("/api/v1/funds/{id}/status.csv"))
        .header("authorization", format!("Bearer {fra}"))
        .body(axum::body::Body::empty())
        .expect("request");
    let (status, _, csv) = app.raw_text(req).await;
    assert_eq!(status, StatusCode::OK, "{csv}");
    assert!(csv
        .lines()
        .nth(1)
        .expect("hashtags")
        .starts_with("#org+fund,#meta+converted"));
    assert!(csv.contains(",base,USD,deposits,7000000.00,yes"), "{csv}");
    let b = get(&app, &format!("/funds/{id}/breakdown?by=donor"), &fra).await;
    assert_eq!(b.json["partial"], true);
    assert!(b.json["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .all(|r| r["key"] != "GBR"));
    assert_problem(
        &get(&app, &format!("/funds/{id}/breakdown?by=colour"), &fra).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_query",
    );
    // Transfers paged by cursor; FRA never meets GBR's pledge.
    let first = get(&app, &format!("/funds/{id}/transfers?limit=3"), &fra).await;
    assert_eq!(first.json["items"].as_array().map(Vec::len), Some(3));
    let next = first.json["next"].as_str().expect("next").to_string();
    let rest = get(
        &app,
        &format!("/funds/{id}/transfers?limit=100&cursor={next}"),
        &fra,
    )
    .await;
    assert_eq!(rest.json["items"].as_array().map(Vec::len), Some(5));
    assert!(!rest.json.to_string().contains("gbr-quiet"));
    assert_problem(
        &get(&app, &format!("/funds/{id}/transfers?cursor=abc"), &fra).await,
        StatusCode::BAD_REQUEST,
        "bad_request",
    );

    // Rates: added by fund managers, read by everyone; a conflicting one refused.
    let r = post(
        &app,
        "/rates",
        &usa,
        json!([{"from": "EUR", "to": "USD", "date": "2015-06-01", "rate": "1.1133", "source": "un"}]),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
    assert_eq!(r.json["added"], 1);
    let r = post(
        &app,
        "/rates",
        &usa,
        json!([{"from": "EUR", "to": "USD", "date": "2015-06-01", "rate": "1.2", "source": "un"}]),
    )
    .await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY, "invalid_rows");
    assert_problem(
        &post(
            &app,
            "/rates",
            &gbr,
            json!([{"from": "GBP", "to": "USD", "date": "2015-06-01", "rate": "1.5", "source": "un"}]),
        )
        .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    );
    let rates = get(&app, "/rates?to=USD", &fra).await;
    assert_eq!(rates.json[0]["rate"], "1.1133");
    // Now a EUR pledge converts at it.
    let r = post(
        &app,
        &path,
        &usa,
        ops(json!([{"op": "pledge", "donor": "DEU", "amount": "1000.00", "currency": "EUR", "value_date": "2015-06-26"}])),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
    assert_eq!(r.json[0]["base_amount_minor"], 111_330);
    assert_eq!(r.json[0]["rate"], "1.1133");

    // FTS-style flows: the deposit is incoming paid new money, the
    // disbursement an internal paid flow drawing on it, the approved budget
    // not yet disbursed an internal commitment; GBR's quiet pledge is a
    // pledge flow for GBR and absent for FRA.
    let f = get(&app, &format!("/funds/{id}/flows"), &gbr).await;
    assert_eq!(f.status, StatusCode::OK, "{}", f.json);
    let flows = f.json.as_array().expect("flows");
    let find = |status: &str, boundary: &str| {
        flows
            .iter()
            .find(|x| x["status"] == status && x["boundary"] == boundary)
            .unwrap_or_else(|| panic!("{status} {boundary}: {flows:?}"))
    };
    let paid_in = find("paid", "incoming");
    assert_eq!(paid_in["new_money"], true);
    assert_eq!(paid_in["source"]["name"], "USA");
    assert_eq!(paid_in["amount"], "7000000.00");
    let paid_out = find("paid", "internal");
    assert_eq!(paid_out["new_money"], false);
    assert_eq!(paid_out["destination"]["type"], "project");
    assert_eq!(paid_out["destination"]["organization"], "UNDP");
    assert_eq!(paid_out["parent_flows"][0]["flow"], paid_in["id"]);
    assert_eq!(paid_out["parent_flows"][0]["amount_minor"], 200_000_000);
    assert_eq!(paid_in["child_flows"][0]["flow"], paid_out["id"]);
    assert_eq!(find("commitment", "internal")["amount"], "500000.00");
    assert_eq!(find("pledge", "incoming")["source"]["name"], "GBR");
    let f = get(&app, &format!("/funds/{id}/flows"), &fra).await;
    assert!(!f.json.to_string().contains("GBR"), "{}", f.json);

    // The IATI export carries the fund and its project as activities.
    let req = axum::http::Request::builder()
        .uri("/api/v1/export/iati.xml")
        .header("authorization", format!("Bearer {fra}"))
        .body(axum::body::Body::empty())
        .expect("request");
    let (status, _, text) = app.raw_text(req).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    assert!(text.contains("Funding Facility for Immediate Stabilization"));
    assert!(text.contains("<transaction-type code=\"11\"/>"));
    assert!(text.contains("<transaction-type code=\"3\"/>"));
    assert!(!text.contains("gbr-quiet"));

    // The OpenAPI document names the fund's routes.
    let doc = get(&app, "/openapi.json", &fra).await;
    for p in [
        "/funds/{id}/operations",
        "/funds/{id}/status",
        "/funds/{id}/breakdown",
        "/funds/{id}/transfers",
        "/rates",
        "/funds",
        "/fund-projects",
    ] {
        assert!(doc.json["paths"].get(p).is_some(), "{p}");
    }
}

/// A fund's ledger exported as operations (CSV with HXL hashtags) and
/// imported into another fund with the same windows and projects writes
/// the same ledger: the same status table, the same transfers. A bad row or
/// a refused operation is named by its line and nothing is written.
#[tokio::test]
async fn a_funds_operations_round_trip_through_hxl_csv() {
    let app = App::seeded().await;
    app.state
        .store
        .grant_fund_manager("usa", true)
        .await
        .expect("grant");
    let usa = app.login("usa").await;
    let mut ids = Vec::new();
    for _ in 0..2 {
        let f = post(&app, "/funds", &usa, fund()).await;
        let id = f.json["id"].as_str().expect("id").to_string();
        let p = post(
            &app,
            "/fund-projects",
            &usa,
            json!({"fund": id, "code": "P1", "title": "Tikrit water network", "window": "W1",
                   "pcode": "IQG16", "place": "Tikrit", "organisation": "UNDP", "activity_status": "ongoing",
                   "budget": 250000000, "currency": "USD",
                   "marking": {"tlp": "GREEN", "rel_to": ["COALITION"]}}),
        )
        .await;
        assert_eq!(p.status, StatusCode::CREATED, "{}", p.json);
        ids.push(id);
    }
    let r = post(
        &app,
        &format!("/funds/{}/operations", ids[0]),
        &usa,
        ops(json!([
            {"op": "pledge", "id": "a1", "donor": "USA", "amount": "700.00", "currency": "USD", "value_date": "2015-06-15"},
            {"op": "pledge", "id": "a2", "donor": "GBR", "amount": "300.00", "currency": "USD", "value_date": "2015-06-16",
             "marking": {"tlp": "AMBER", "rel_to": ["GBR"]}},
            {"op": "pledge", "id": "a3", "donor": "FRA", "amount": "50.00", "currency": "USD", "value_date": "2015-06-16"},
            {"op": "commit", "id": "c1", "pledge": "a1", "value_date": "2015-06-20"},
            {"op": "commit", "id": "c2", "pledge": "a2", "amount": "200.00", "currency": "USD", "value_date": "2015-06-20"},
            {"op": "void", "id": "v3", "pledge": "a3", "value_date": "2015-06-21"},
            {"op": "deposit", "id": "d1", "pledge": "a1", "amount": "700.00", "currency": "USD", "value_date": "2015-06-25"},
            {"op": "deposit", "id": "d2", "pledge": "a2", "amount": "150.00", "currency": "USD", "value_date": "2015-06-26"},
            {"op": "interest", "id": "i1", "amount": "1.25", "currency": "USD", "value_date": "2015-06-30"},
            {"op": "allocate", "id": "w1", "window": "W1", "amount": "500.00", "currency": "USD", "value_date": "2015-07-01"},
            {"op": "approve", "id": "p1", "window": "W1", "project": "P1", "amount": "400.00", "currency": "USD", "value_date": "2015-07-05"},
            {"op": "disburse", "id": "b1", "project": "P1", "organisation": "UNDP", "amount": "300.00", "currency": "USD", "value_date": "2015-07-15"},
            {"op": "expend", "id": "e1", "project": "P1", "organisation": "UNDP", "amount": "100.00", "currency": "USD", "value_date": "2015-08-15"},
            {"op": "refund", "id": "f1", "organisation": "UNDP", "amount": "10.00", "currency": "USD", "value_date": "2015-09-15"},
            {"op": "reverse", "id": "x1", "transfer": "d2", "value_date": "2015-09-20"}
        ])),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
    let get_csv = |path: String| {
        let req = axum::http::Request::builder()
            .uri(format!("/api/v1{path}"))
            .header("authorization", format!("Bearer {usa}"))
            .body(axum::body::Body::empty())
            .expect("request");
        app.raw_text(req)
    };
    let (status, _, csv) = get_csv(format!("/funds/{}/operations.csv", ids[0])).await;
    assert_eq!(status, StatusCode::OK, "{csv}");
    assert!(csv
        .lines()
        .nth(1)
        .expect("hashtags")
        .starts_with("#meta+id,#meta+operation"));
    assert_eq!(csv.lines().count(), 2 + 15, "{csv}");
    // The transfer ids are the fund's own: the copy takes new ones.
    let copy: String = csv
        .lines()
        .enumerate()
        .map(|(i, l)| {
            if i < 2 {
                l.to_string()
            } else {
                let mut cells: Vec<String> = l.split(',').map(str::to_string).collect();
                for k in [0, 6, 10] {
                    if !cells[k].is_empty() {
                        cells[k] = format!("copy-{}", cells[k]);
                    }
                }
                cells.join(",")
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    let post_csv = |path: String, body: String| {
        let req = axum::http::Request::builder()
            .method("POST")
            .uri(format!("/api/v1{path}"))
            .header("authorization", format!("Bearer {usa}"))
            .header("content-type", "text/csv")
            .body(axum::body::Body::from(body))
            .expect("request");
        app.raw_text(req)
    };
    // A bad row refuses the file, naming its line.
    let broken = copy.replacen("700.00", "7oo", 1);
    let (status, _, text) = post_csv(format!("/funds/{}/operations.csv", ids[1]), broken).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{text}");
    assert!(
        text.contains("invalid_rows") && text.contains("\"line\":3"),
        "{text}"
    );
    let (status, _, text) = post_csv(format!("/funds/{}/operations.csv", ids[1]), copy).await;
    assert_eq!(status, StatusCode::CREATED, "{text}");
    let a = get(&app, &format!("/funds/{}/status", ids[0]), &usa).await;
    let b = get(&app, &format!("/funds/{}/status", ids[1]), &usa).await;
    assert_eq!(a.json["base"], b.json["base"]);
    assert_eq!(a.json["by_currency"], b.json["by_currency"]);
    // The same again: every id is taken now, so line 3 is refused by its rule.
    let (_, _, csv_b) = get_csv(format!("/funds/{}/operations.csv", ids[1])).await;
    let (status, _, text) = post_csv(format!("/funds/{}/operations.csv", ids[1]), csv_b).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{text}");
    assert!(
        text.contains("duplicate_transfer") && text.contains("line 3"),
        "{text}"
    );
}
