//! Requirements and contributions through the HTTP API (issue 3), on SQLite
//! by default and on PostgreSQL when COALESCE_TEST_POSTGRES is set.

mod common;

use axum::http::{Method, StatusCode};
use common::{assert_problem, get, post, put, App};
use serde_json::{json, Value};

fn requirement_body(rel_to: &[&str]) -> Value {
    json!({
        "title": "Protective equipment for 12 brigades",
        "description": "Helmets and body armour, one set per brigade.",
        "requesting_member": "IRQ",
        "line_of_effort": "humanitarian",
        "category": "protective-equipment",
        "measure": {"quantity": 12, "unit": "brigade-set"},
        "place": {
            "country": "IRQ",
            "admin1": {"name": "Baghdad", "pcode": "IQG07"},
            "town": "Baghdad",
            "point": {"lat_micro": 33_315_200, "lon_micro": 44_366_100}
        },
        "window": {"start": "2014-10-01", "end": "2015-03-31"},
        "priority": 1,
        "marking": {"tlp": "GREEN", "rel_to": rel_to}
    })
}

fn pledge_body(members: &[&str], requirement: &str, n: i64, rel_to: &[&str]) -> Value {
    json!({
        "title": "Protective equipment",
        "contributors": members,
        "requirement_id": requirement,
        "measure": {"quantity": n, "unit": "brigade-set"},
        "marking": {"tlp": "GREEN", "rel_to": rel_to}
    })
}

async fn created(app: &App, path: &str, token: &str, body: Value) -> String {
    let r = post(app, path, token, body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
    r.json["id"].as_str().expect("id").to_string()
}

async fn act(app: &App, token: &str, id: &str, body: Value) -> common::Res {
    post(
        app,
        &format!("/contributions/{id}/transitions"),
        token,
        body,
    )
    .await
}

fn ids(r: &common::Res) -> Vec<String> {
    r.json["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["id"].as_str().expect("id").to_string())
        .collect()
}

async fn audit_len(app: &App) -> usize {
    app.state
        .store
        .audit_entries(None, 100_000)
        .await
        .expect("audit")
        .len()
}

#[tokio::test]
async fn irq_asks_gbr_delivers_in_part_irq_confirms() {
    let app = App::seeded().await;
    let (irq, gbr, usa, fra) = (
        app.login("irq").await,
        app.login("gbr").await,
        app.login("usa").await,
        app.login("fra").await,
    );
    let cats = get(&app, "/item-categories", &fra).await;
    assert_eq!(cats.status, StatusCode::OK);
    assert_eq!(cats.json["items"].as_array().map(Vec::len), Some(12));

    let r = post(
        &app,
        "/requirements",
        &irq,
        requirement_body(&["COALITION"]),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
    assert_eq!(r.json["origin"], "IRQ");
    assert_eq!(
        r.json["measure"],
        json!({"quantity": 12, "unit": "brigade-set"})
    );
    assert_eq!(r.json["marking"]["rel_to"], json!(["COALITION"]));
    assert_eq!(r.json["place"]["point"]["lat_micro"], 33_315_200);
    let rid = r.json["id"].as_str().expect("id").to_string();
    assert_eq!(
        get(&app, &format!("/requirements/{rid}"), &fra).await.json["title"],
        "Protective equipment for 12 brigades"
    );

    // GBR pledges 8, commits, delivers 3 then 2; USA pledges 2; FRA pledges 5 and cancels.
    let g = created(
        &app,
        "/contributions",
        &gbr,
        pledge_body(&["GBR"], &rid, 8, &["COALITION"]),
    )
    .await;
    let u = created(
        &app,
        "/contributions",
        &usa,
        pledge_body(&["USA"], &rid, 2, &["COALITION"]),
    )
    .await;
    let f = created(
        &app,
        "/contributions",
        &fra,
        pledge_body(&["FRA"], &rid, 5, &["COALITION"]),
    )
    .await;
    let c = act(&app, &gbr, &g, json!({"action": "commit"})).await;
    assert_eq!(
        (c.status, c.json["status"].clone()),
        (StatusCode::OK, json!("committed"))
    );
    for (on, n) in [("2014-10-05", 3), ("2014-11-02", 2)] {
        let d = act(
            &app,
            &gbr,
            &g,
            json!({"action": "deliver", "delivered_on": on, "quantity": n, "evidence": "Handover certificate"}),
        )
        .await;
        assert_eq!(d.status, StatusCode::OK, "{}", d.json);
        assert_eq!(d.json["status"], "committed");
    }
    let x = act(&app, &fra, &f, json!({"action": "cancel"})).await;
    assert_eq!(x.json["status"], "cancelled", "{}", x.json);

    // Only the requesting member confirms receipt.
    assert_problem(
        &post(
            &app,
            &format!("/contributions/{g}/deliveries/1/confirm"),
            &gbr,
            json!({}),
        )
        .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    );
    let conf = post(
        &app,
        &format!("/contributions/{g}/deliveries/1/confirm"),
        &irq,
        json!({}),
    )
    .await;
    assert_eq!(conf.status, StatusCode::OK, "{}", conf.json);
    assert_eq!(conf.json["received_member"], "IRQ");
    assert_eq!(conf.json["amount"], 3);
    assert_problem(
        &post(
            &app,
            &format!("/contributions/{g}/deliveries/9/confirm"),
            &irq,
            json!({}),
        )
        .await,
        StatusCode::NOT_FOUND,
        "not_found",
    );

    let d = get(&app, &format!("/contributions/{g}/deliveries"), &fra).await;
    assert_eq!(d.status, StatusCode::OK);
    let seqs: Vec<i64> = d.json["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["seq"].as_i64().expect("seq"))
        .collect();
    assert_eq!(seqs, [1, 2]);
    assert!(d.json["items"][0]["received_at"].is_string());
    assert!(d.json["items"][1]["received_at"].is_null());

    for token in [&irq, &fra, &usa, &gbr] {
        let s = get(&app, &format!("/requirements/{rid}/summary"), token).await;
        assert_eq!(s.status, StatusCode::OK);
        assert_eq!(
            s.json,
            json!({"requested": 12, "pledged": 2, "committed": 3, "delivered": 5,
                   "received": 3, "gap": 4, "excess": 0, "unit": "brigade-set"})
        );
    }
    let list = get(&app, &format!("/requirements/{rid}/contributions"), &irq).await;
    assert_eq!(ids(&list), [f.clone(), u.clone(), g.clone()]);
    let g_out = get(&app, &format!("/contributions/{g}"), &irq).await;
    assert_eq!(g_out.json["delivered"], 5);
    assert_eq!(g_out.json["contributors"], json!(["GBR"]));
    let versions = get(&app, &format!("/contributions/{g}/versions"), &usa).await;
    assert_eq!(versions.status, StatusCode::OK);
    assert!(versions.json["items"]
        .as_array()
        .is_some_and(|v| v.len() >= 2));

    // Pages of contributions.
    let p1 = get(&app, "/contributions?limit=2", &irq).await;
    assert_eq!(ids(&p1), [f.clone(), u.clone()]);
    let next = p1.json["next"].as_str().expect("next").to_string();
    let p2 = get(&app, &format!("/contributions?limit=2&cursor={next}"), &irq).await;
    assert_eq!(ids(&p2), [g.as_str()]);
    assert!(p2.json["next"].is_null());

    // IRQ edits then withdraws its requirement.
    let mut body = requirement_body(&["COALITION"]);
    body["priority"] = json!(2);
    body["if_version"] = json!(1);
    let put = app
        .send(
            Method::PUT,
            &format!("/api/v1/requirements/{rid}"),
            Some(&irq),
            Some(body.clone()),
        )
        .await;
    assert_eq!(put.status, StatusCode::OK, "{}", put.json);
    assert_eq!(
        (put.json["version"].clone(), put.json["priority"].clone()),
        (json!(2), json!(2))
    );
    assert_problem(
        &app.send(
            Method::PUT,
            &format!("/api/v1/requirements/{rid}"),
            Some(&gbr),
            Some(body),
        )
        .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    );
    let rv = get(&app, &format!("/requirements/{rid}/versions"), &fra).await;
    assert_eq!(rv.json["items"].as_array().map(Vec::len), Some(2));
    assert_eq!(ids(&get(&app, "/requirements", &fra).await), [rid.as_str()]);
    let del = app
        .send(
            Method::DELETE,
            &format!("/api/v1/requirements/{rid}"),
            Some(&irq),
            None,
        )
        .await;
    assert_eq!(del.status, StatusCode::OK, "{}", del.json);
    assert_eq!(del.json["revoked"], true);
    assert!(ids(&get(&app, "/requirements", &fra).await).is_empty());
}

#[tokio::test]
async fn a_contribution_rel_to_gbr_is_invisible_to_fra() {
    let app = App::seeded().await;
    let (irq, gbr, fra) = (
        app.login("irq").await,
        app.login("gbr").await,
        app.login("fra").await,
    );
    let rid = created(
        &app,
        "/requirements",
        &irq,
        requirement_body(&["COALITION"]),
    )
    .await;
    let open = created(
        &app,
        "/contributions",
        &gbr,
        pledge_body(&["GBR"], &rid, 2, &["COALITION"]),
    )
    .await;
    let hidden = created(
        &app,
        "/contributions",
        &gbr,
        pledge_body(&["GBR"], &rid, 4, &["GBR"]),
    )
    .await;
    assert_eq!(
        act(&app, &gbr, &hidden, json!({"action": "commit"}))
            .await
            .status,
        StatusCode::OK
    );

    for path in [
        format!("/contributions/{hidden}"),
        format!("/contributions/{hidden}/versions"),
        format!("/contributions/{hidden}/deliveries"),
    ] {
        assert_problem(
            &get(&app, &path, &fra).await,
            StatusCode::NOT_FOUND,
            "not_found",
        );
    }
    assert_eq!(
        ids(&get(&app, "/contributions", &fra).await),
        [open.as_str()]
    );
    assert_eq!(
        ids(&get(&app, &format!("/requirements/{rid}/contributions"), &fra).await),
        [open.as_str()]
    );
    assert_eq!(
        ids(&get(&app, "/contributions", &gbr).await),
        [hidden.clone(), open.clone()]
    );
    let fs = get(&app, &format!("/requirements/{rid}/summary"), &fra).await;
    assert_eq!(
        (
            fs.json["pledged"].clone(),
            fs.json["committed"].clone(),
            fs.json["gap"].clone()
        ),
        (json!(2), json!(0), json!(12))
    );
    let gs = get(&app, &format!("/requirements/{rid}/summary"), &gbr).await;
    assert_eq!(
        (
            gs.json["pledged"].clone(),
            gs.json["committed"].clone(),
            gs.json["gap"].clone()
        ),
        (json!(2), json!(4), json!(8))
    );

    // Ownership: readable but not FRA's → 403; unreadable → 404. Nothing changes.
    assert_problem(
        &act(&app, &fra, &open, json!({"action": "commit"})).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    );
    assert_problem(
        &act(&app, &fra, &hidden, json!({"action": "cancel"})).await,
        StatusCode::NOT_FOUND,
        "not_found",
    );
    assert_problem(
        &post(
            &app,
            &format!("/contributions/{hidden}/deliveries/1/confirm"),
            &fra,
            json!({}),
        )
        .await,
        StatusCode::NOT_FOUND,
        "not_found",
    );
    assert_eq!(
        get(&app, &format!("/contributions/{open}"), &gbr)
            .await
            .json["status"],
        "pledged"
    );
    assert_eq!(
        get(&app, &format!("/contributions/{hidden}"), &gbr)
            .await
            .json["status"],
        "committed"
    );

    // A requirement outside the audience is 404 on every path too.
    let private = created(&app, "/requirements", &irq, requirement_body(&[])).await;
    for path in ["", "/summary", "/versions", "/contributions"] {
        assert_problem(
            &get(&app, &format!("/requirements/{private}{path}"), &fra).await,
            StatusCode::NOT_FOUND,
            "not_found",
        );
    }
}

#[tokio::test]
async fn bad_input_is_refused_and_nothing_is_written() {
    let app = App::seeded().await;
    let (irq, gbr, viewer) = (
        app.login("irq").await,
        app.login("gbr").await,
        app.login("viewer").await,
    );
    let rid = created(
        &app,
        "/requirements",
        &irq,
        requirement_body(&["COALITION"]),
    )
    .await;
    let g = created(
        &app,
        "/contributions",
        &gbr,
        pledge_body(&["GBR"], &rid, 8, &["COALITION"]),
    )
    .await;
    let before = audit_len(&app).await;

    let mut negative = requirement_body(&["COALITION"]);
    negative["measure"] = json!({"quantity": -3, "unit": "brigade-set"});
    assert_problem(
        &post(&app, "/requirements", &irq, negative).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_field",
    );
    let mut float_money = requirement_body(&["COALITION"]);
    float_money["measure"] = json!({"amount": 2500.5, "currency": "USD"});
    assert_problem(
        &post(&app, "/requirements", &irq, float_money).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_body",
    );
    let mut both = requirement_body(&["COALITION"]);
    both["measure"] = json!({"quantity": 3, "unit": "kit", "amount": 3, "currency": "USD"});
    assert_problem(
        &post(&app, "/requirements", &irq, both).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_field",
    );
    let mut bad_currency = requirement_body(&["COALITION"]);
    bad_currency["measure"] = json!({"amount": 250_000, "currency": "usd"});
    assert_problem(
        &post(&app, "/requirements", &irq, bad_currency).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_field",
    );
    let mut unknown_category = requirement_body(&["COALITION"]);
    unknown_category["category"] = json!("space-lasers");
    let r = post(&app, "/requirements", &irq, unknown_category).await;
    assert_problem(&r, StatusCode::BAD_REQUEST, "bad_request");
    let mut extra = requirement_body(&["COALITION"]);
    extra["colour"] = json!("red");
    assert_problem(
        &post(&app, "/requirements", &irq, extra).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_body",
    );
    assert_problem(
        &post(
            &app,
            "/requirements",
            &viewer,
            requirement_body(&["COALITION"]),
        )
        .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    );

    // Contributions: wrong unit, negative, float, not a contributor.
    let mut kits = pledge_body(&["GBR"], &rid, 8, &["COALITION"]);
    kits["measure"] = json!({"quantity": 8, "unit": "kit"});
    assert_problem(
        &post(&app, "/contributions", &gbr, kits).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_field",
    );
    let mut dollars = pledge_body(&["GBR"], &rid, 8, &["COALITION"]);
    dollars["measure"] = json!({"amount": 10.25, "currency": "USD"});
    assert_problem(
        &post(&app, "/contributions", &gbr, dollars).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_body",
    );
    assert_problem(
        &post(
            &app,
            "/contributions",
            &gbr,
            pledge_body(&["GBR"], &rid, -1, &["COALITION"]),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_field",
    );
    assert_problem(
        &post(
            &app,
            "/contributions",
            &gbr,
            pledge_body(&["USA"], &rid, 1, &["COALITION"]),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_field",
    );

    // Transitions: unknown action, deliver before commit, overdelivery, negative, fractional.
    assert_problem(
        &act(&app, &gbr, &g, json!({"action": "ship"})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_field",
    );
    let deliver =
        |n: Value| json!({"action": "deliver", "delivered_on": "2014-10-05", "quantity": n});
    assert_problem(
        &act(&app, &gbr, &g, deliver(json!(3))).await,
        StatusCode::CONFLICT,
        "invalid_transition",
    );
    assert_problem(
        &act(&app, &gbr, &g, json!({"action": "commit", "quantity": 2})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_field",
    );
    let audit_mid = audit_len(&app).await;
    assert_eq!(audit_mid, before, "refused requests wrote nothing");
    assert_eq!(
        act(&app, &gbr, &g, json!({"action": "commit"}))
            .await
            .status,
        StatusCode::OK
    );
    let committed = audit_len(&app).await;
    assert_problem(
        &act(&app, &gbr, &g, deliver(json!(9))).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_field",
    );
    assert_problem(
        &act(&app, &gbr, &g, deliver(json!(-2))).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_field",
    );
    assert_problem(
        &act(&app, &gbr, &g, deliver(json!(1.5))).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_body",
    );
    assert_problem(
        &act(
            &app,
            &gbr,
            &g,
            json!({"action": "deliver", "delivered_on": "2014-02-30", "quantity": 1}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_field",
    );
    assert_problem(
        &act(&app, &gbr, &g, json!({"action": "commit"})).await,
        StatusCode::CONFLICT,
        "invalid_transition",
    );
    assert_eq!(
        audit_len(&app).await,
        committed,
        "refused requests wrote nothing"
    );

    let c = get(&app, &format!("/contributions/{g}"), &gbr).await;
    assert_eq!(
        (c.json["status"].clone(), c.json["delivered"].clone()),
        (json!("committed"), json!(0))
    );
    assert!(get(&app, &format!("/contributions/{g}/deliveries"), &gbr)
        .await
        .json["items"]
        .as_array()
        .is_some_and(Vec::is_empty));
    assert_eq!(ids(&get(&app, "/requirements", &irq).await), [rid.as_str()]);
    assert_eq!(ids(&get(&app, "/contributions", &irq).await), [g.as_str()]);
    assert_problem(
        &get(&app, "/requirements/not-an-id", &irq).await,
        StatusCode::NOT_FOUND,
        "not_found",
    );
    assert_problem(
        &post(
            &app,
            &format!("/contributions/{g}/deliveries/x/confirm"),
            &irq,
            json!({}),
        )
        .await,
        StatusCode::NOT_FOUND,
        "not_found",
    );
}

#[tokio::test]
async fn money_counts_in_minor_units() {
    let app = App::seeded().await;
    let (irq, usa) = (app.login("irq").await, app.login("usa").await);
    let mut body = requirement_body(&["COALITION"]);
    body["category"] = json!("cash");
    body["measure"] = json!({"amount": 250_000_000, "currency": "USD"});
    let rid = created(&app, "/requirements", &irq, body).await;
    let c = post(
        &app,
        "/contributions",
        &usa,
        json!({
            "title": "Stabilisation fund",
            "contributors": ["USA"],
            "requirement_id": rid,
            "measure": {"amount": 100_000_000, "currency": "USD"},
            "marking": {"tlp": "GREEN", "rel_to": ["COALITION"]}
        }),
    )
    .await;
    assert_eq!(c.status, StatusCode::CREATED, "{}", c.json);
    assert_eq!(
        c.json["measure"],
        json!({"amount": 100_000_000, "currency": "USD"})
    );
    let id = c.json["id"].as_str().expect("id").to_string();
    assert_eq!(
        act(&app, &usa, &id, json!({"action": "commit"}))
            .await
            .status,
        StatusCode::OK
    );
    let d = act(
        &app,
        &usa,
        &id,
        json!({"action": "deliver", "delivered_on": "2015-01-10", "amount": 40_000_001}),
    )
    .await;
    assert_eq!(d.status, StatusCode::OK, "{}", d.json);
    let s = get(&app, &format!("/requirements/{rid}/summary"), &irq).await;
    assert_eq!(
        s.json,
        json!({"requested": 250_000_000, "pledged": 0, "committed": 59_999_999, "delivered": 40_000_001,
               "received": 0, "gap": 150_000_000, "excess": 0, "currency": "USD"})
    );
}

#[tokio::test]
async fn the_openapi_document_describes_the_needs_endpoints() {
    let doc: Value = serde_json::from_str(&coalesce_api::openapi_json()).expect("openapi json");
    for p in [
        "/item-categories",
        "/requirements",
        "/requirements/{id}",
        "/requirements/{id}/versions",
        "/requirements/{id}/summary",
        "/requirements/{id}/contributions",
        "/contributions",
        "/contributions/{id}",
        "/contributions/{id}/versions",
        "/contributions/{id}/deliveries",
        "/contributions/{id}/transitions",
        "/contributions/{id}/deliveries/{seq}/confirm",
    ] {
        assert!(doc["paths"].get(p).is_some(), "missing {p}");
    }
    let summary = &doc["components"]["schemas"]["SummaryOut"]["properties"];
    for f in [
        "requested",
        "pledged",
        "committed",
        "delivered",
        "received",
        "gap",
        "excess",
        "unit",
        "currency",
    ] {
        assert!(
            summary[f]["description"]
                .as_str()
                .is_some_and(|d| !d.is_empty()),
            "SummaryOut.{f} is undocumented"
        );
    }
    // Money and quantities are integers in the schema, never numbers.
    let measure = &doc["components"]["schemas"]["MeasureWire"]["properties"];
    for f in ["quantity", "amount"] {
        assert!(
            measure[f]["type"].to_string().contains("integer"),
            "{f}: {}",
            measure[f]
        );
    }
}

#[tokio::test]
async fn viewers_read_but_do_not_act() {
    let app = App::seeded().await;
    let (irq, gbr, viewer) = (
        app.login("irq").await,
        app.login("gbr").await,
        app.login("viewer").await,
    );
    let rid = created(
        &app,
        "/requirements",
        &irq,
        requirement_body(&["COALITION"]),
    )
    .await;
    let g = created(
        &app,
        "/contributions",
        &gbr,
        pledge_body(&["GBR"], &rid, 8, &["COALITION"]),
    )
    .await;
    assert_eq!(
        get(&app, &format!("/contributions/{g}"), &viewer)
            .await
            .status,
        StatusCode::OK
    );
    assert_problem(
        &act(&app, &viewer, &g, json!({"action": "commit"})).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    );
    assert_problem(
        &post(
            &app,
            "/contributions",
            &viewer,
            pledge_body(&["GBR"], &rid, 1, &["COALITION"]),
        )
        .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    );
    assert_eq!(
        get(&app, &format!("/contributions/{g}"), &gbr).await.json["status"],
        "pledged"
    );
}

/// A requirement and a contribution in their STIX 2.1 forms: each for its
/// readers only, and a contribution under a narrower requirement carries
/// none of the requirement's place (derived data stays in its source's
/// audience, in STIX as in JSON).
#[tokio::test]
async fn requirements_and_contributions_in_their_stix_form() {
    let app = App::seeded().await;
    let (irq, usa, fra) = (
        app.login("irq").await,
        app.login("usa").await,
        app.login("fra").await,
    );
    let rid = created(&app, "/requirements", &irq, requirement_body(&["USA"])).await;
    let cid = created(
        &app,
        "/contributions",
        &usa,
        pledge_body(&["USA"], &rid, 4, &["COALITION"]),
    )
    .await;
    let r = get(&app, &format!("/requirements/{rid}/stix"), &usa).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    let objects = r.json["objects"].as_array().expect("objects");
    let req = objects
        .iter()
        .find(|o| o["type"] == "x-coalesce-requirement")
        .expect("the requirement");
    assert_eq!(
        (req["town"].as_str(), req["requesting_member"].as_str()),
        (Some("Baghdad"), Some("IRQ"))
    );
    let r = get(&app, &format!("/requirements/{rid}/stix"), &fra).await;
    assert_problem(&r, StatusCode::NOT_FOUND, "not_found");
    let c = get(&app, &format!("/contributions/{cid}/stix"), &fra).await;
    assert_eq!(c.status, StatusCode::OK, "{}", c.json);
    let text = c.json.to_string();
    assert!(text.contains("x-coalesce-contribution"), "{text}");
    assert!(
        !text.contains("Baghdad") && !text.contains("2014-10-01"),
        "the requirement's place reached FRA: {text}"
    );
    let doc: Value = serde_json::from_str(&coalesce_api::openapi_json()).expect("openapi json");
    for path in [
        "/requirements/{id}/stix",
        "/contributions/{id}/stix",
        "/allocations/{id}/stix",
    ] {
        assert!(
            doc["paths"][path]["get"].is_object(),
            "{path} is not in the OpenAPI document"
        );
    }
}

#[tokio::test]
async fn a_receipt_says_how_much_arrived_when_and_why_and_the_figures_count_it() {
    let app = App::seeded().await;
    let (irq, gbr) = (app.login("irq").await, app.login("gbr").await);
    let rid = created(
        &app,
        "/requirements",
        &irq,
        requirement_body(&["COALITION"]),
    )
    .await;
    let g = created(
        &app,
        "/contributions",
        &gbr,
        pledge_body(&["GBR"], &rid, 8, &["COALITION"]),
    )
    .await;
    act(&app, &gbr, &g, json!({"action": "commit"})).await;
    let d = act(
        &app,
        &gbr,
        &g,
        json!({"action": "deliver", "delivered_on": "2014-10-05", "quantity": 4, "evidence": "Handover"}),
    )
    .await;
    assert_eq!(d.status, StatusCode::OK, "{}", d.json);
    let confirm = |body: Value| {
        let (app, irq, g) = (&app, irq.clone(), g.clone());
        async move {
            post(
                app,
                &format!("/contributions/{g}/deliveries/1/confirm"),
                &irq,
                body,
            )
            .await
        }
    };
    // More than delivered, before the delivery, an unknown field, nothing:
    // each refused with its reason, and nothing changes.
    for (body, says) in [
        (json!({"amount": 5}), "more than the 4 delivered"),
        (json!({"received_on": "2014-10-01"}), "before the delivery"),
        (json!({"received_on": "10/12/2014"}), "YYYY-MM-DD"),
        (json!({"amount": 0}), "more than nothing"),
        (json!({"quantity": 3}), "unknown field"),
    ] {
        let r = confirm(body.clone()).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}: {}",
            r.json
        );
        assert!(
            r.json["detail"].as_str().unwrap_or("").contains(says),
            "{body}: {}",
            r.json
        );
    }
    let s = get(&app, &format!("/requirements/{rid}/summary"), &irq).await;
    assert_eq!(s.json["received"], 0);
    // Three of four arrived, on the 7th, one damaged.
    let r = confirm(
        json!({"amount": 3, "received_on": "2014-10-07", "note": "One set damaged in transit"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    assert_eq!(
        (
            r.json["amount"].clone(),
            r.json["received_amount"].clone(),
            r.json["received_on"].clone(),
            r.json["received_note"].clone()
        ),
        (
            json!(4),
            json!(3),
            json!("2014-10-07"),
            json!("One set damaged in transit")
        )
    );
    for token in [&irq, &gbr] {
        let s = get(&app, &format!("/requirements/{rid}/summary"), token).await;
        assert_eq!(
            (s.json["delivered"].clone(), s.json["received"].clone()),
            (json!(4), json!(3)),
            "{}",
            s.json
        );
    }
    // Once only.
    let again = confirm(json!({})).await;
    assert_problem(&again, StatusCode::CONFLICT, "invalid_transition");
}

#[tokio::test]
async fn a_contribution_is_changed_by_its_origin_against_the_version_it_read() {
    let app = App::seeded().await;
    let (irq, gbr, fra) = (
        app.login("irq").await,
        app.login("gbr").await,
        app.login("fra").await,
    );
    let rid = created(
        &app,
        "/requirements",
        &irq,
        requirement_body(&["COALITION"]),
    )
    .await;
    let cid = created(
        &app,
        "/contributions",
        &gbr,
        pledge_body(&["GBR"], &rid, 4, &["COALITION"]),
    )
    .await;
    let path = format!("/contributions/{cid}");
    let mut body = pledge_body(&["GBR"], &rid, 6, &["COALITION"]);
    body["title"] = json!("Protective equipment, second batch");
    body["if_version"] = json!(1);
    let changed = put(&app, &path, &gbr, body.clone()).await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.json);
    assert_eq!(changed.json["version"], 2);
    assert_eq!(changed.json["measure"]["quantity"], 6);
    assert_eq!(
        get(&app, &format!("/requirements/{rid}/summary"), &irq)
            .await
            .json["pledged"],
        6
    );
    // The same change again is against a version that moved on.
    let stale = put(&app, &path, &gbr, body.clone()).await;
    assert_problem(&stale, StatusCode::CONFLICT, "version_conflict");
    // Another member's users may read it but not change it.
    assert_problem(
        &put(&app, &path, &fra, body.clone()).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    );
    // Its unit stays; bad input changes nothing.
    let mut tonnes = body.clone();
    tonnes["measure"] = json!({"quantity": 6, "unit": "tonne"});
    tonnes["if_version"] = json!(2);
    assert_problem(
        &put(&app, &path, &gbr, tonnes).await,
        StatusCode::CONFLICT,
        "immutable_field",
    );
    let mut empty = body.clone();
    empty["title"] = json!(" ");
    empty["if_version"] = json!(2);
    assert_eq!(
        put(&app, &path, &gbr, empty).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let now = get(&app, &path, &fra).await;
    assert_eq!(
        (now.json["version"].clone(), now.json["title"].clone()),
        (json!(2), json!("Protective equipment, second batch"))
    );
    let versions = get(&app, &format!("{path}/versions"), &fra).await;
    assert_eq!(versions.json["items"].as_array().map(Vec::len), Some(2));
    let doc: Value = serde_json::from_str(&coalesce_api::openapi_json()).expect("openapi json");
    assert!(doc["paths"]["/contributions/{id}"]["put"].is_object());
}

/// A change leaves its contributing members and parties as they are when
/// it leaves them out (a GET lists confirmed and proposed members apart;
/// a PUT may name them together, in any order), `[]` removes the parties,
/// and once the requirement is withdrawn the pledge's terms stay: it can
/// still be retitled or cancelled.
#[tokio::test]
async fn a_change_keeps_what_it_leaves_out_and_its_terms_once_the_requirement_is_withdrawn() {
    let app = App::seeded().await;
    let (irq, gbr) = (app.login("irq").await, app.login("gbr").await);
    let rid = created(
        &app,
        "/requirements",
        &irq,
        requirement_body(&["COALITION"]),
    )
    .await;
    let mut pledge = pledge_body(&["GBR", "FRA"], &rid, 4, &["COALITION"]);
    pledge["parties"] = json!([{"role": "supplier", "kind": "organisation",
        "name": "Tigris Protective Supplies", "country": "IRQ"}]);
    let cid = created(&app, "/contributions", &gbr, pledge).await;
    let path = format!("/contributions/{cid}");
    let read = get(&app, &path, &gbr).await;
    assert_eq!(read.json["contributors"], json!(["GBR"]));
    assert_eq!(read.json["proposed_contributors"], json!(["FRA"]));

    // Named together in another order, parties left out: both stay.
    let mut body = pledge_body(&["FRA", "GBR"], &rid, 5, &["COALITION"]);
    body["if_version"] = json!(1);
    let changed = put(&app, &path, &gbr, body).await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.json);
    assert_eq!(changed.json["measure"]["quantity"], 5);
    assert_eq!(changed.json["parties"].as_array().map(Vec::len), Some(1));
    assert_eq!(changed.json["proposed_contributors"], json!(["FRA"]));
    // The confirmed members alone are not who it names.
    let mut fewer = pledge_body(&["GBR"], &rid, 5, &["COALITION"]);
    fewer["if_version"] = json!(2);
    assert_problem(
        &put(&app, &path, &gbr, fewer).await,
        StatusCode::CONFLICT,
        "immutable_field",
    );
    // Members left out, parties emptied: they go, the members stay.
    let mut body = pledge_body(&[], &rid, 5, &["COALITION"]);
    body["parties"] = json!([]);
    let changed = put(&app, &path, &gbr, body).await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.json);
    assert_eq!(changed.json["version"], 3);
    assert_eq!(changed.json["parties"], json!([]));
    assert_eq!(changed.json["contributors"], json!(["GBR"]));
    assert_eq!(changed.json["proposed_contributors"], json!(["FRA"]));

    // Another pledge, committed and delivered in part before the withdrawal.
    let part = created(
        &app,
        "/contributions",
        &gbr,
        pledge_body(&["GBR"], &rid, 4, &["COALITION"]),
    )
    .await;
    let x = act(&app, &gbr, &part, json!({"action": "commit"})).await;
    assert_eq!(x.status, StatusCode::OK, "{}", x.json);
    let x = act(
        &app,
        &gbr,
        &part,
        json!({"action": "deliver", "delivered_on": "2015-01-10", "quantity": 2}),
    )
    .await;
    assert_eq!(x.status, StatusCode::OK, "{}", x.json);

    let del = app
        .send(
            Method::DELETE,
            &format!("/api/v1/requirements/{rid}"),
            Some(&irq),
            None,
        )
        .await;
    assert_eq!(del.status, StatusCode::OK, "{}", del.json);
    // A part-delivered pledge cannot be cancelled: it is closed at what arrived.
    let closed = put(
        &app,
        &format!("/contributions/{part}"),
        &gbr,
        pledge_body(&[], &rid, 2, &["COALITION"]),
    )
    .await;
    assert_eq!(closed.status, StatusCode::OK, "{}", closed.json);
    assert_eq!(closed.json["status"], "delivered");
    let before = audit_len(&app).await;
    let more = put(&app, &path, &gbr, pledge_body(&[], &rid, 6, &["COALITION"])).await;
    assert_problem(&more, StatusCode::CONFLICT, "invalid_transition");
    assert!(
        more.json["detail"]
            .as_str()
            .unwrap_or("")
            .contains("withdrawn"),
        "{}",
        more.json
    );
    assert_eq!(
        audit_len(&app).await,
        before,
        "a refused change writes nothing"
    );
    let now = get(&app, &path, &gbr).await;
    assert_eq!(
        (
            now.json["version"].clone(),
            now.json["measure"]["quantity"].clone()
        ),
        (json!(3), json!(5))
    );
    let mut retitled = pledge_body(&[], &rid, 5, &["COALITION"]);
    retitled["title"] = json!("Protective equipment (requirement withdrawn)");
    let ok = put(&app, &path, &gbr, retitled).await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.json);
    let x = act(&app, &gbr, &cid, json!({"action": "cancel"})).await;
    assert_eq!(x.status, StatusCode::OK, "{}", x.json);
}
