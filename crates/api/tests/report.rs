//! The plenary report through the API (issue 18): two members of
//! different audiences get different documents, neither holding what it
//! may not read; every section is marked and says when it is partial; a
//! kept report comes back byte for byte, and only to its member; bad input
//! is refused. SQLite by default, PostgreSQL when COALESCE_TEST_POSTGRES
//! is set.

mod common;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use common::{assert_problem, get, post, App};
use serde_json::json;

async fn fetch(app: &App, path: &str, token: &str) -> (StatusCode, axum::http::HeaderMap, String) {
    app.raw_text(
        Request::builder()
            .uri(format!("/api/v1{path}"))
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .body(Body::empty())
            .expect("request"),
    )
    .await
}

#[tokio::test]
async fn each_member_reads_its_own_report_and_a_kept_one_comes_back_exactly() {
    let app = App::seeded().await;
    let (usa, gbr, fra) = (
        app.login("usa").await,
        app.login("gbr").await,
        app.login("fra").await,
    );
    // A contribution for GBR's eyes only, one for the coalition.
    for (title, marking) in [
        (
            "Zqxsecret night-vision kits",
            json!({"tlp": "AMBER", "rel_to": []}),
        ),
        (
            "Open water tanks",
            json!({"tlp": "GREEN", "rel_to": ["COALITION"]}),
        ),
    ] {
        let r = post(
            &app,
            "/contributions",
            &gbr,
            json!({
            "title": title, "contributors": ["GBR"], "line_of_effort": "humanitarian",
            "category": "water", "measure": {"quantity": 6, "unit": "tank"},
            "place": {"country": "IRQ", "town": "Amerli"},
            "window": {"start": "2015-03-01", "end": "2015-05-31"}, "marking": marking}),
        )
        .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
    }
    // Money in EUR, shown in the base currency at the rate in force.
    let r = post(
        &app,
        "/contributions",
        &gbr,
        json!({
        "title": "Stabilisation grant", "contributors": ["GBR"], "line_of_effort": "humanitarian",
        "category": "water", "measure": {"amount": 100000, "currency": "EUR"},
        "place": {"country": "IRQ", "town": "Tikrit"},
        "window": {"start": "2015-03-01", "end": "2015-05-31"},
        "marking": {"tlp": "GREEN", "rel_to": ["COALITION"]}}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
    app.state
        .store
        .import_rates(
            None,
            &[(
                1,
                coalesce_ledger::rates::Rate {
                    from: coalesce_ledger::Currency::parse("EUR").expect("EUR"),
                    to: coalesce_ledger::Currency::parse("USD").expect("USD"),
                    date: "2015-01-01".into(),
                    value: coalesce_ledger::rates::Decimal::parse("1.10").expect("rate"),
                    source: coalesce_ledger::rates::RateSource::Manual("test".into()),
                },
            )],
        )
        .await
        .expect("rate");
    let m = post(&app, "/meetings", &usa, json!({
        "meeting_type": "plenary", "title": "Plenary, Brussels", "place": "NATO HQ",
        "starts": "2015-06-02T09:00:00Z", "ends": "2015-06-02T13:00:00Z", "time_zone": "Europe/Brussels",
        "host": "USA", "agenda": [{"title": "Stabilisation", "outcomes": [
            {"type": "decision", "text": "Open the stabilisation fund.", "adopted_by": ["USA", "GBR", "FRA"]}]}],
        "marking": {"tlp": "GREEN", "rel_to": ["COALITION"]}})).await;
    assert_eq!(m.status, StatusCode::CREATED, "{}", m.json);
    let mid = m.json["id"].as_str().expect("id").to_string();

    let (s, h, gbr_html) = fetch(&app, &format!("/report/plenary?meeting={mid}"), &gbr).await;
    assert_eq!(s, StatusCode::OK, "{gbr_html}");
    assert!(h
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.to_str().unwrap_or("").starts_with("text/html")));
    let snapshot = h
        .get("x-coalesce-snapshot")
        .and_then(|v| v.to_str().ok())
        .expect("snapshot id")
        .to_string();
    assert!(gbr_html.contains("Zqxsecret night-vision kits"));
    assert!(
        gbr_html.contains("TLP:AMBER REL TO GBR"),
        "the banner: the highest TLP"
    );
    assert!(gbr_html.contains("Open the stabilisation fund."));
    assert!(gbr_html.contains("Plenary, Brussels, NATO HQ"));
    assert!(gbr_html.contains("EUR 1,000.00"));
    assert!(gbr_html.contains("USD 1,100.00"), "EUR at 1.10");
    let (_, _, fra_html) = fetch(&app, "/report/plenary", &fra).await;
    assert!(
        !fra_html.contains("Zqxsecret"),
        "FRA reads nothing of GBR's own contribution"
    );
    assert!(fra_html.contains("Open water tanks"));
    assert!(fra_html.contains("TLP:GREEN REL TO FRA"));
    assert!(
        fra_html.contains("<strong>Partial:</strong>"),
        "and is told its totals are partial"
    );
    // Every section carries its marking.
    assert_eq!(
        fra_html
            .matches("aria-label=\"Marking of this section\"")
            .count(),
        9
    );

    // The kept report, byte for byte; another member's is not found.
    let (s, _, again) = fetch(&app, &format!("/report/snapshots/{snapshot}"), &gbr).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(again, gbr_html);
    let (s, _, body) = fetch(&app, &format!("/report/snapshots/{snapshot}"), &fra).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert!(!body.contains("Zqxsecret"));
    // Audited as a read.
    let kept = || async {
        app.state
            .store
            .audit_entries(None, 100_000)
            .await
            .expect("audit")
            .iter()
            .filter(|e| e.action == "report.plenary")
            .count()
    };
    assert_eq!(kept().await, 2);

    // The PDF.
    let (s, h, _) = fetch(&app, "/report/plenary?format=pdf", &gbr).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(
        h.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()),
        Some("application/pdf")
    );

    // Bad input: a date in the future, a meeting not there or not
    // readable, a format that is not one; nothing kept.
    let before = kept().await;
    let r = get(&app, "/report/plenary?as_of=2999-01-01", &gbr).await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY, "invalid_field");
    assert!(r.json["detail"]
        .as_str()
        .is_some_and(|d| d.contains("future")));
    let r = get(
        &app,
        "/report/plenary?meeting=01900000-0000-7000-8000-000000000000",
        &gbr,
    )
    .await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY, "invalid_field");
    let r = get(&app, "/report/plenary?as_of=yesterday", &gbr).await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY, "invalid_field");
    let r = get(&app, "/report/plenary?format=docx", &gbr).await;
    assert_problem(&r, StatusCode::BAD_REQUEST, "invalid_query");
    assert_eq!(kept().await, before, "nothing kept");
}
