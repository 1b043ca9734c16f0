//! CSV (HXL) and IATI through the HTTP API (issue 3): exports hold exactly
//! what the caller may read; imports round-trip the exports, are all or
//! nothing and report every bad row.

mod common;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use common::{assert_problem, post, App};
use serde_json::{json, Value};

async fn created(app: &App, path: &str, token: &str, body: Value) -> String {
    let r = post(app, path, token, body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
    r.json["id"].as_str().expect("id").to_string()
}

/// GET returning the raw body text.
async fn text(app: &App, path: &str, token: &str) -> (StatusCode, String, String) {
    let req = Request::builder()
        .method(Method::GET)
        .uri(format!("/api/v1{path}"))
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::empty())
        .expect("request");
    let r = app.raw_text(req).await;
    let ct =
        r.1.get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
    (r.0, ct, r.2)
}

async fn import(app: &App, what: &str, token: &str, csv: &str) -> common::Res {
    let req = Request::builder()
        .method(Method::POST)
        .uri(format!("/api/v1/import/{what}"))
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "text/csv")
        .body(Body::from(csv.to_string()))
        .expect("request");
    app.raw(req).await
}

fn requirement(title: &str) -> Value {
    json!({
        "title": title,
        "description": "Line one, \"quoted\"\nline two",
        "requesting_member": "IRQ",
        "line_of_effort": "humanitarian",
        "category": "cash",
        "measure": {"amount": 150_000_050, "currency": "USD"},
        "place": {"country": "IRQ", "admin1": {"name": "Ninewa", "pcode": "IQG15"}, "town": "الموصل"},
        "window": {"start": "2016-10-01", "end": "2017-07-31"},
        "priority": 2,
        "marking": {"tlp": "GREEN", "rel_to": ["COALITION"]}
    })
}

async fn count(app: &App, path: &str, token: &str) -> usize {
    let r = app
        .send(Method::GET, &format!("/api/v1{path}"), Some(token), None)
        .await;
    r.json["items"].as_array().map_or(0, Vec::len)
}

#[tokio::test]
async fn requirements_and_contributions_round_trip_through_csv() {
    let app = App::seeded().await;
    let (irq, gbr) = (app.login("irq").await, app.login("gbr").await);
    let rid = created(&app, "/requirements", &irq, requirement("Cash for Mosul")).await;
    created(
        &app,
        "/contributions",
        &gbr,
        json!({
            "title": "=SUM(A1) looks like a formula",
            "contributors": ["GBR"],
            "requirement_id": rid,
            "measure": {"amount": 25_000_000, "currency": "USD"},
            "marking": {"tlp": "AMBER", "rel_to": ["IRQ"]}
        }),
    )
    .await;

    let (status, ct, csv) = text(&app, "/export/requirements.csv", &irq).await;
    assert_eq!(status, StatusCode::OK);
    assert!(ct.starts_with("text/csv"), "{ct}");
    let second = csv.lines().nth(1).expect("hashtag row");
    for tag in [
        "#org",
        "#sector",
        "#country",
        "#adm1",
        "#loc",
        "#item",
        "#value",
        "#currency",
        "#date",
    ] {
        assert!(second.contains(tag), "{tag} missing in {second}");
    }
    assert!(csv.contains("1500000.50"), "money in major units: {csv}");
    // Importing the export creates the same requirement again.
    let r = import(&app, "requirements", &irq, &csv).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
    assert_eq!(r.json["imported"], 1);
    let new_id = r.json["ids"][0].as_str().expect("id");
    let got = app
        .send(
            Method::GET,
            &format!("/api/v1/requirements/{new_id}"),
            Some(&irq),
            None,
        )
        .await;
    let want = requirement("Cash for Mosul");
    for field in [
        "title",
        "description",
        "measure",
        "window",
        "priority",
        "marking",
        "line_of_effort",
        "category",
    ] {
        assert_eq!(got.json[field], want[field], "{field}");
    }
    assert_eq!(got.json["place"]["town"], "الموصل");
    assert_eq!(got.json["place"]["admin1"]["pcode"], "IQG15");

    // Contributions: GBR's export round-trips (the formula stays text).
    let (_, _, csv) = text(&app, "/export/contributions.csv", &gbr).await;
    assert!(csv.contains("'=SUM(A1)"), "formula guarded: {csv}");
    assert!(csv.contains(&rid));
    let r = import(&app, "contributions", &gbr, &csv).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
    let cid = r.json["ids"][0].as_str().expect("id");
    let got = app
        .send(
            Method::GET,
            &format!("/api/v1/contributions/{cid}"),
            Some(&gbr),
            None,
        )
        .await;
    assert_eq!(got.json["title"], "=SUM(A1) looks like a formula");
    assert_eq!(
        got.json["measure"],
        json!({"amount": 25_000_000, "currency": "USD"})
    );
    assert_eq!(got.json["requirement_id"], rid.as_str());
    assert_eq!(
        got.json["marking"],
        json!({"tlp": "AMBER", "rel_to": ["IRQ"]})
    );
    assert_eq!(got.json["status"], "pledged");
}

#[tokio::test]
async fn exports_hold_only_what_the_caller_may_read() {
    let app = App::seeded().await;
    let (irq, usa, fra) = (
        app.login("irq").await,
        app.login("usa").await,
        app.login("fra").await,
    );
    let rid = created(&app, "/requirements", &irq, requirement("Cash")).await;
    created(
        &app,
        "/contributions",
        &usa,
        json!({
            "title": "Small group only",
            "contributors": ["USA"],
            "requirement_id": rid,
            "measure": {"amount": 100, "currency": "USD"},
            "marking": {"tlp": "AMBER", "rel_to": ["GROUP:small-group"]}
        }),
    )
    .await;
    let (_, _, mine) = text(&app, "/export/contributions.csv", &usa).await;
    assert!(mine.contains("Small group only"));
    let (_, _, theirs) = text(&app, "/export/contributions.csv", &fra).await;
    assert!(!theirs.contains("Small group only"));
    assert_eq!(
        theirs.lines().count(),
        2,
        "header and hashtags only: {theirs}"
    );
    let (status, ct, xml) = text(&app, "/export/iati.xml", &usa).await;
    assert_eq!(status, StatusCode::OK);
    assert!(ct.starts_with("application/xml"));
    assert!(xml.contains("<iati-activities") && xml.contains("Small group only"));
    assert!(xml.contains("TLP:AMBER"), "marking carried");
    let (status, _, _) = text(&app, "/export/iati.xml", &fra).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "nothing FRA may read");
}

#[tokio::test]
async fn an_import_with_bad_rows_reports_every_one_and_writes_nothing() {
    let app = App::seeded().await;
    let irq = app.login("irq").await;
    // One physical line per row, so that the test can edit rows by line.
    let mut one_line = requirement("Cash");
    one_line["description"] = json!("Salaries");
    let rid = created(&app, "/requirements", &irq, one_line).await;
    let (_, _, csv) = text(&app, "/export/requirements.csv", &irq).await;
    let mut lines: Vec<String> = csv.lines().map(str::to_string).collect();
    let good = lines[2].clone();
    // Row 4: unknown line of effort (found by the store); row 5: negative
    // amount and row 6: bad country (found by the parser).
    lines.push(good.replace("humanitarian", "no-such-line"));
    lines.push(good.replace("1500000.50", "-5.00"));
    lines.push(good.replace(",IRQ,", ",XYZ,"));
    let bad = lines.join("\n");
    let before = count(&app, "/requirements", &irq).await;
    let r = import(&app, "requirements", &irq, &bad).await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY, "invalid_rows");
    let errs = r.json["errors"].as_array().expect("errors");
    let lines_reported: Vec<u64> = errs
        .iter()
        .map(|e| e["line"].as_u64().expect("line"))
        .collect();
    assert!(
        lines_reported.contains(&5) && lines_reported.contains(&6),
        "{errs:?}"
    );
    assert!(errs
        .iter()
        .all(|e| !e["reason"].as_str().unwrap_or("").is_empty()));
    assert_eq!(count(&app, "/requirements", &irq).await, before);
    // With the parser's rows fixed, the store's check reports line 4.
    let only_store_bad = [
        lines[0].clone(),
        lines[1].clone(),
        lines[2].clone(),
        lines[3].clone(),
    ]
    .join("\n");
    let r = import(&app, "requirements", &irq, &only_store_bad).await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY, "invalid_rows");
    assert_eq!(r.json["errors"][0]["line"], 4, "{}", r.json);
    assert!(r.json["errors"][0]["reason"]
        .as_str()
        .unwrap_or("")
        .contains("line of effort"));
    assert_eq!(count(&app, "/requirements", &irq).await, before);

    // Contributions against a requirement the importer cannot see, or
    // unknown: refused by line.
    let fra = app.login("fra").await;
    let csv = format!(
        "title,contributors,requirement,amount,currency,tlp\n#item+name,#org+funder,#activity+id+requirement,#value,#currency,#meta+tlp\nOK,FRA,{rid},1.00,USD,GREEN\nBad,FRA,01234567-89ab-7def-8123-456789abcdef,1.00,USD,GREEN\n"
    );
    let r = import(&app, "contributions", &fra, &csv).await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY, "invalid_rows");
    assert_eq!(r.json["errors"][0]["line"], 4, "{}", r.json);
    assert_eq!(count(&app, "/contributions", &fra).await, 0);

    // Wrong media type, empty body, garbage.
    let req = Request::builder()
        .method(Method::POST)
        .uri("/api/v1/import/requirements")
        .header(header::AUTHORIZATION, format!("Bearer {irq}"))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from("{}"))
        .expect("request");
    assert_problem(
        &app.raw(req).await,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
    );
    assert_problem(
        &import(&app, "requirements", &irq, "").await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_rows",
    );
    assert_problem(
        &import(&app, "requirements", &irq, "a,b\n\"unclosed,1\n").await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_rows",
    );
    // Viewers import nothing.
    let viewer = app.login("viewer").await;
    let (_, _, csv) = text(&app, "/export/requirements.csv", &irq).await;
    let r = import(&app, "requirements", &viewer, &csv).await;
    assert_problem(&r, StatusCode::FORBIDDEN, "forbidden");
    assert_eq!(count(&app, "/requirements", &irq).await, before);
}

#[tokio::test]
async fn indicator_values_round_trip_through_csv() {
    let app = App::seeded().await;
    let (usa, gbr) = (app.login("usa").await, app.login("gbr").await);
    let r = post(
        &app,
        "/indicators",
        &usa,
        json!({"slug": "returned-home", "name": "Iraqis returned home", "unit": "people",
               "direction": "increase", "aggregation": "max", "baseline": 0.0, "targets": []}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
    let r = post(
        &app,
        "/indicators/returned-home/values",
        &gbr,
        json!({"observed_on": "2016-12-15", "value": 1000000.0, "note": "London", "marking": {"tlp": "GREEN", "rel_to": ["COALITION"]}}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
    let (_, _, csv) = text(
        &app,
        "/export/indicator-values.csv?indicator=returned-home",
        &gbr,
    )
    .await;
    assert!(csv.lines().nth(1).expect("tags").contains("#indicator"));
    let r = import(&app, "indicator-values", &gbr, &csv).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
    assert_eq!(
        count(&app, "/indicators/returned-home/values", &gbr).await,
        2
    );
    let unknown = csv.replace("returned-home", "no-such-indicator");
    let r = import(&app, "indicator-values", &gbr, &unknown).await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY, "invalid_rows");
    assert_eq!(r.json["errors"][0]["line"], 3, "{}", r.json);
    assert_eq!(
        count(&app, "/indicators/returned-home/values", &gbr).await,
        2
    );
}

#[tokio::test]
async fn a_large_broken_file_gets_a_short_answer_listing_the_first_errors_of_each_column() {
    let app = App::seeded().await;
    let irq = app.login("irq").await;
    let mut one_line = requirement("Cash");
    one_line["description"] = json!("Salaries");
    created(&app, "/requirements", &irq, one_line).await;
    let (_, _, csv) = text(&app, "/export/requirements.csv", &irq).await;
    let lines: Vec<String> = csv.lines().map(str::to_string).collect();
    let good = lines[2].clone();
    // 3,000 rows, each with a bad amount and a bad country: 6,000 errors.
    let mut file = vec![lines[0].clone(), lines[1].clone()];
    for _ in 0..3_000 {
        file.push(
            good.replace("1500000.50", "-5.00")
                .replace(",IRQ,", ",XYZ,"),
        );
    }
    let before = count(&app, "/requirements", &irq).await;
    let body = file.join("\n");
    let r = import(&app, "requirements", &irq, &body).await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY, "invalid_rows");
    let counts = &r.json["error_counts"];
    assert_eq!(counts["rows"], 3_000, "{counts}");
    assert_eq!(counts["errors"], 6_000, "{counts}");
    let by_column = counts["by_column"].as_array().expect("by column");
    assert_eq!(by_column.len(), 2, "{counts}");
    assert!(by_column.iter().all(|c| c["errors"] == 3_000), "{counts}");
    let listed = r.json["errors"].as_array().expect("errors");
    assert_eq!(listed.len(), 40, "the first 20 of each column");
    assert_eq!(listed[0]["line"], 3);
    let detail = r.json["detail"].as_str().expect("detail");
    assert!(
        detail.starts_with("3000 rows cannot be imported (6000 errors; the first 20"),
        "{detail}"
    );
    assert!(
        r.json.to_string().len() < body.len() / 20,
        "the answer is far smaller than the file"
    );
    assert_eq!(count(&app, "/requirements", &irq).await, before);
}

#[tokio::test]
async fn an_export_of_many_pages_streams_every_row_once_under_one_header() {
    let app = App::seeded().await;
    let irq = app.login("irq").await;
    let mut one_line = requirement("Cash");
    one_line["description"] = json!("Salaries");
    created(&app, "/requirements", &irq, one_line).await;
    let (_, _, csv) = text(&app, "/export/requirements.csv", &irq).await;
    let lines: Vec<String> = csv.lines().map(str::to_string).collect();
    let mut file = vec![lines[0].clone(), lines[1].clone()];
    for i in 0..1_234 {
        file.push(lines[2].replace("Cash", &format!("Cash {i}")));
    }
    let r = import(&app, "requirements", &irq, &file.join("\n")).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
    // The one made above and the imported ones: three pages of 500.
    let total = 1 + 1_234;
    let (status, ct, csv) = text(&app, "/export/requirements.csv", &irq).await;
    assert_eq!(status, StatusCode::OK);
    assert!(ct.starts_with("text/csv"), "{ct}");
    let rows: Vec<&str> = csv.lines().collect();
    assert_eq!(rows.len(), total + 2, "every row once, three pages");
    assert_eq!(rows[0], lines[0], "the header once, first");
    assert_eq!(rows.iter().filter(|l| **l == lines[0]).count(), 1);
    assert_eq!(rows.iter().filter(|l| **l == lines[1]).count(), 1);
    let mut ids: Vec<&str> = rows[2..]
        .iter()
        .map(|l| l.split(',').next().expect("id"))
        .collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), total, "no row twice");
    assert!(csv.contains("Cash 0,") && csv.contains("Cash 1233,"));
}

/// The IATI file is written a page (500 contributions) at a time: an
/// export over three pages is one well-formed document holding every
/// contribution once, each with its own deliveries and requirement.
#[tokio::test]
async fn an_iati_export_of_many_pages_is_one_document_with_every_activity_once() {
    let app = App::seeded().await;
    let (irq, gbr) = (app.login("irq").await, app.login("gbr").await);
    let rid = created(&app, "/requirements", &irq, requirement("Cash for Mosul")).await;
    let pledge = |title: String| {
        json!({
            "title": title,
            "contributors": ["GBR"],
            "requirement_id": rid,
            "measure": {"amount": 25_000_000, "currency": "USD"},
            "marking": {"tlp": "GREEN", "rel_to": ["COALITION"]}
        })
    };
    // One with deliveries, on the last page (newest first).
    let delivered = created(&app, "/contributions", &gbr, pledge("Delivered".into())).await;
    for action in [
        json!({"action": "commit"}),
        json!({"action": "deliver", "delivered_on": "2016-11-02", "amount": 1_000_000, "evidence": "Transfer 1"}),
        json!({"action": "deliver", "delivered_on": "2016-12-02", "amount": 2_000_000, "evidence": "Transfer 2"}),
    ] {
        let r = post(
            &app,
            &format!("/contributions/{delivered}/transitions"),
            &gbr,
            action,
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    }
    let (_, _, csv) = text(&app, "/export/contributions.csv", &gbr).await;
    let lines: Vec<&str> = csv.lines().collect();
    let row = lines[2..]
        .iter()
        .find(|l| l.contains(&delivered))
        .expect("the row");
    let mut file = vec![lines[0].to_string(), lines[1].to_string()];
    for i in 0..1_100 {
        file.push(row.replace("Delivered", &format!("Pledge {i}")));
    }
    let r = import(&app, "contributions", &gbr, &file.join("\n")).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
    let (status, ct, xml) = text(&app, "/export/iati.xml", &gbr).await;
    assert_eq!(status, StatusCode::OK);
    assert!(ct.starts_with("application/xml"), "{ct}");
    // Well formed, one root, every activity once.
    let mut reader = quick_xml::Reader::from_str(&xml);
    let (mut depth, mut roots, mut activities) = (0, 0, Vec::new());
    let mut in_identifier = false;
    loop {
        match reader.read_event().expect("well-formed XML") {
            quick_xml::events::Event::Start(e) => {
                depth += 1;
                if depth == 1 {
                    roots += 1;
                }
                in_identifier = e.name().as_ref() == b"iati-identifier";
            }
            quick_xml::events::Event::Text(t) if in_identifier => {
                activities.push(t.unescape().expect("text").to_string());
            }
            quick_xml::events::Event::End(_) => {
                depth -= 1;
                in_identifier = false;
            }
            quick_xml::events::Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!((roots, depth), (1, 0), "one root, closed");
    let n = activities.len();
    activities.sort();
    activities.dedup();
    assert_eq!(activities.len(), n, "no activity twice");
    assert_eq!(n, 1_101, "every contribution GBR may read");
    assert!(activities.iter().any(|a| a.ends_with(&delivered)));
    // The delivered one carries its two disbursements; the requirement
    // (read a page at a time) names the receiver of every pledge.
    let theirs = xml
        .split("<iati-activity ")
        .find(|a| a.contains(&delivered))
        .expect("the delivered activity");
    assert_eq!(
        theirs.matches("<transaction-type code=\"3\"/>").count(),
        2,
        "{theirs}"
    );
    assert!(
        xml.matches("<receiver-org ref=\"XM-COALESCE-IRQ\"").count() >= 1_101,
        "every pledge's receiver is the requesting member"
    );
}

async fn import_async(app: &App, what: &str, token: &str, csv: &str) -> common::Res {
    let req = Request::builder()
        .method(Method::POST)
        .uri(format!("/api/v1/import/{what}"))
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "text/csv")
        .header("prefer", "respond-async")
        .body(Body::from(csv.to_string()))
        .expect("request");
    app.raw(req).await
}

async fn job_when_ended(app: &App, id: &str, token: &str) -> Value {
    common::job_when_ended(app, &format!("/jobs/{id}"), token).await
}

/// A CSV of `n` copies of one requirement row (titles numbered).
async fn many_requirements(app: &App, irq: &str, n: usize) -> String {
    let mut one_line = requirement("Cash");
    one_line["description"] = json!("Salaries");
    created(app, "/requirements", irq, one_line).await;
    let (_, _, csv) = text(app, "/export/requirements.csv", irq).await;
    let lines: Vec<&str> = csv.lines().collect();
    let row = lines[2..]
        .iter()
        .find(|l| l.contains(",Cash,"))
        .expect("the row");
    let mut file = vec![lines[0].to_string(), lines[1].to_string()];
    for i in 0..n {
        file.push(row.replace(",Cash,", &format!(",Cash {i},")));
    }
    file.join("\n")
}

async fn requirements_count(app: &App, _token: &str) -> i64 {
    let irq = coalesce_store::Principal {
        user_id: "x".into(),
        username: coalesce_domain::Username::parse("irq").expect("u"),
        member: coalesce_domain::MemberCode::parse("IRQ").expect("m"),
        role: coalesce_domain::Role::Contributor,
    };
    app.state
        .store
        .count_requirements(&irq)
        .await
        .expect("count")
}

/// An import is a job (issue 20): with `Prefer: respond-async` the answer
/// is 202 at once, the job shows its phases and ends with how many were
/// written; the rows go in batches of 1,000. A bad row still writes
/// nothing. A cancelled import stops between batches and says how many
/// it wrote, and exactly those are there.
#[tokio::test]
async fn an_import_runs_as_a_job_written_in_batches_and_can_be_cancelled() {
    let app = App::seeded().await;
    let irq = app.login("irq").await;
    let csv = many_requirements(&app, &irq, 2_500).await;
    let before = requirements_count(&app, &irq).await;
    let r = import_async(&app, "requirements", &irq, &csv).await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.json);
    assert_eq!(r.json["kind"], "import");
    let id = r.json["id"].as_str().expect("id").to_string();
    assert_eq!(r.headers["location"], format!("/api/v1/jobs/{id}").as_str());
    let job = job_when_ended(&app, &id, &irq).await;
    assert_eq!(job["status"], "succeeded", "{job}");
    assert_eq!(job["result"], "2500 requirements imported");
    let phases: Vec<&str> = job["phases"]
        .as_array()
        .expect("phases")
        .iter()
        .filter_map(|p| p["name"].as_str())
        .collect();
    assert_eq!(phases, ["parsing", "writing"]);
    assert_eq!(
        (job["done"].as_u64(), job["total"].as_u64()),
        (Some(2_500), Some(2_500)),
        "every row written: {job}"
    );
    assert_eq!(requirements_count(&app, &irq).await, before + 2_500);

    // A bad row (the last): nothing written, the job failed with the rows.
    let bad = format!(
        "{csv}\n{}",
        csv.lines().last().expect("row").replace("IRQ", "Iraq")
    );
    let r = import_async(&app, "requirements", &irq, &bad).await;
    let job = job_when_ended(&app, r.json["id"].as_str().expect("id"), &irq).await;
    assert_eq!(job["status"], "failed", "{job}");
    assert_eq!(job["error"]["code"], "invalid_rows", "{job}");
    assert_eq!(requirements_count(&app, &irq).await, before + 2_500);

    // Cancelled at once: it stops between batches (or had ended); what it
    // says it wrote is what is there.
    let big = many_requirements(&app, &irq, 20_000).await;
    let before = requirements_count(&app, &irq).await;
    let r = import_async(&app, "requirements", &irq, &big).await;
    let id = r.json["id"].as_str().expect("id").to_string();
    let c = post(&app, &format!("/jobs/{id}/cancel"), &irq, json!({})).await;
    assert!(c.status.is_success(), "{}", c.json);
    let job = job_when_ended(&app, &id, &irq).await;
    let written = match job["status"].as_str() {
        Some("cancelled") => {
            let detail = job["error"]["detail"].as_str().expect("detail");
            let n: i64 = detail
                .split("after ")
                .nth(1)
                .and_then(|s| s.split(' ').next())
                .and_then(|n| n.parse().ok())
                .expect("how many were written");
            assert!(n % 1_000 == 0 && n < 20_000, "{detail}");
            n
        }
        Some("succeeded") => 20_000,
        other => panic!("{other:?}: {job}"),
    };
    assert_eq!(requirements_count(&app, &irq).await, before + written);
}
