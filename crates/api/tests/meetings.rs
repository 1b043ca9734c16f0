//! Meetings' follow-up through the HTTP API (issue 17): meetings,
//! statements and commitments as records of the layer; commitments listed
//! with their computed `progress` and `overdue`; the board; carry-over;
//! a meeting's `.ics` and a user's calendar feed parsed back by a real
//! iCalendar parser (the `ical` crate), a wrong or revoked token reading
//! nothing; a statement in Akoma Ntoso parsed back by quick-xml, Arabic
//! in logical order; notices. SQLite by default, PostgreSQL when
//! COALESCE_TEST_POSTGRES is set.

mod common;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use common::{assert_problem, get, post, App};
use ical::parser::Component;
use serde_json::{json, Value};

fn coalition() -> Value {
    json!({"tlp": "GREEN", "rel_to": ["COALITION"]})
}

fn meeting(title: &str, starts: &str, group: Option<&str>, marking: Value) -> Value {
    json!({"meeting_type": "small_group", "title": title, "place": "Lancaster House, London",
           "starts": starts, "ends": format!("{}T16:00:00Z", &starts[..10]),
           "time_zone": "Europe/London", "host": "GBR", "group": group,
           "attendance": [{"member": "USA", "level": "minister", "delegation": 3},
                          {"member": "GBR", "level": "minister"}],
           "agenda": [{"title": "Expert working groups",
                       "outcomes": [{"type": "decision", "text": "Establish expert-level working groups.",
                                     "adopted_by": ["USA", "GBR"]}]}],
           "marking": marking})
}

async fn text(app: &App, path: &str, token: Option<&str>) -> (StatusCode, String, String) {
    let mut b = Request::builder().uri(format!("/api/v1{path}"));
    if let Some(t) = token {
        b = b.header(header::AUTHORIZATION, format!("Bearer {t}"));
    }
    let (s, h, body) = app.raw_text(b.body(Body::empty()).expect("request")).await;
    let ct = h
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    (s, ct, body)
}

fn parse_ics(body: &str) -> ical::parser::ical::component::IcalCalendar {
    let mut p = ical::IcalParser::new(body.as_bytes());
    let cal = p
        .next()
        .expect("a calendar")
        .expect("a calendar the parser reads");
    assert!(p.next().is_none());
    cal
}

fn prop(c: &impl Component, name: &str) -> String {
    c.get_property(name)
        .and_then(|p| p.value.clone())
        .unwrap_or_default()
}

#[tokio::test]
async fn commitments_carry_their_computed_overdue_and_calendars_parse_back() {
    let app = App::seeded().await;
    let (usa, gbr, fra) = (
        app.login("usa").await,
        app.login("gbr").await,
        app.login("fra").await,
    );
    let m = post(
        &app,
        "/meetings",
        &usa,
        meeting(
            "London",
            "2015-01-22T09:00:00Z",
            Some("small-group"),
            coalition(),
        ),
    )
    .await;
    assert_eq!(m.status, StatusCode::CREATED, "{}", m.json);
    let mid = m.json["id"].as_str().expect("id").to_string();
    assert_eq!(m.json["starts"], "2015-01-22T09:00:00Z");
    assert_eq!(m.json["agenda"][0]["number"], 1);
    // A commitment due long ago, nothing linked: overdue now.
    let c = post(&app, "/commitments", &usa, json!({
        "meeting": mid, "agenda_item": 1, "owner": "GBR", "what": "Stand up the working groups, due now",
        "due": "2015-03-31", "line_of_effort": "humanitarian", "state": "open", "marking": coalition()})).await;
    assert_eq!(c.status, StatusCode::CREATED, "{}", c.json);
    let cid = c.json["id"].as_str().expect("id").to_string();
    let one = get(&app, &format!("/commitments/{cid}"), &gbr).await;
    assert_eq!(one.json["overdue"], true, "{}", one.json);
    assert_eq!(one.json["progress"], Value::Null);
    assert_eq!(one.json["history"][0]["meeting"], mid.as_str());
    let list = get(&app, "/commitments", &gbr).await;
    assert_eq!(list.json["items"][0]["overdue"], true);
    // The board a second before the due day ends in London (summer time
    // from 29 March 2015: 23:00Z), and the day after.
    let board = get(&app, "/commitments/board?as_of=2015-03-31T22:59:59Z", &gbr).await;
    assert_eq!(board.json["items"][0]["overdue"], false, "{}", board.json);
    let board = get(&app, "/commitments/board?as_of=2015-04-01", &gbr).await;
    assert_eq!(board.json["items"][0]["overdue"], true);
    assert_problem(
        &get(&app, "/commitments/board?as_of=tomorrow", &gbr).await,
        StatusCode::BAD_REQUEST,
        "invalid_query",
    );
    // The computed fields are not accepted on write.
    let bad = post(
        &app,
        "/commitments",
        &usa,
        json!({
        "meeting": mid, "owner": "GBR", "what": "x", "due": "2015-03-31", "state": "open",
        "overdue": false, "marking": coalition()}),
    )
    .await;
    assert_problem(&bad, StatusCode::UNPROCESSABLE_ENTITY, "invalid_body");
    // FRA is not in the small group; the meeting is for the coalition, so
    // it reads both.
    assert_eq!(
        get(&app, "/commitments", &fra).await.json["items"]
            .as_array()
            .map(Vec::len),
        Some(1)
    );

    // The meeting's iCalendar: the meeting and its item's due date.
    let (s, ct, body) = text(&app, &format!("/meetings/{mid}.ics"), Some(&gbr)).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    assert!(ct.starts_with("text/calendar"), "{ct}");
    let cal = parse_ics(&body);
    assert_eq!(cal.events.len(), 2);
    let ev = cal
        .events
        .iter()
        .find(|e| prop(*e, "UID") == format!("meeting-{mid}@coalesce"))
        .expect("the meeting");
    assert_eq!(prop(ev, "DTSTART"), "20150122T090000Z");
    assert_eq!(prop(ev, "SUMMARY"), "London");
    let due = cal
        .events
        .iter()
        .find(|e| prop(*e, "UID") == format!("due-{cid}@coalesce"))
        .expect("the due date");
    assert_eq!(prop(due, "DTSTART"), "20150331");
    let p = due.get_property("DTSTART").expect("dtstart");
    assert!(p.params.as_ref().is_some_and(|ps| ps
        .iter()
        .any(|(k, v)| k == "VALUE" && v == &vec!["DATE".to_string()])));
    // Unknown and unreadable meetings: 404.
    let (s, _, _) = text(
        &app,
        "/meetings/01900000-0000-7000-8000-000000000000.ics",
        Some(&gbr),
    )
    .await;
    assert_eq!(s, StatusCode::NOT_FOUND);

    // A user's feed behind a secret token.
    let t = post(&app, "/me/calendar-token", &gbr, json!({})).await;
    assert_eq!(t.status, StatusCode::CREATED);
    let token = t.json["token"].as_str().expect("token").to_string();
    assert!(t.json["url"]
        .as_str()
        .is_some_and(|u| u.ends_with(&format!("/api/v1/calendar/{token}"))));
    let (s, _, body) = text(&app, &format!("/calendar/{token}"), None).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(parse_ics(&body).events.len(), 2);
    // The token is not an API credential.
    assert_eq!(
        get(&app, "/me", &token).await.status,
        StatusCode::UNAUTHORIZED
    );
    // A wrong token and a revoked one read nothing.
    let (s, _, body) = text(&app, "/calendar/not-the-token", None).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert!(!body.contains("London"));
    let r = app
        .send(
            Method::DELETE,
            "/api/v1/me/calendar-token",
            Some(&gbr),
            None,
        )
        .await;
    assert_eq!(r.json["revoked"], 1);
    let (s, _, body) = text(&app, &format!("/calendar/{token}"), None).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert!(body.contains("revoked") && !body.contains("London"));
}

#[tokio::test]
async fn a_statement_exports_as_akoma_ntoso_and_items_carry_over() {
    let app = App::seeded().await;
    let (usa, gbr, fra) = (
        app.login("usa").await,
        app.login("gbr").await,
        app.login("fra").await,
    );
    let m1 = post(
        &app,
        "/meetings",
        &usa,
        meeting(
            "London",
            "2015-01-22T09:00:00Z",
            Some("small-group"),
            coalition(),
        ),
    )
    .await;
    let m1 = m1.json["id"].as_str().expect("id").to_string();
    let arabic = "ستُشكَّل فرقة عمل متعددة الجنسيات لتبادل المعلومات.";
    let s = post(
        &app,
        "/statements",
        &usa,
        json!({
        "meeting": m1, "adopted_on": "2015-01-22", "signatories": ["USA", "GBR"],
        "texts": [
            {"language": "en", "title": "Joint statement", "paragraphs": [
                {"num": "1", "text": "No time to waste <in> building a coalition & more."},
                {"num": "2", "text": "A multinational task force will be formed."}]},
            {"language": "ar", "title": "بيان مشترك", "paragraphs": [
                {"num": "1", "text": "لا وقت نضيعه."},
                {"num": "2", "text": arabic}]}],
        "marking": coalition()}),
    )
    .await;
    assert_eq!(s.status, StatusCode::CREATED, "{}", s.json);
    let sid = s.json["id"].as_str().expect("id").to_string();
    // A translation numbered otherwise is refused.
    let bad = post(
        &app,
        "/statements",
        &usa,
        json!({
        "meeting": m1, "adopted_on": "2015-01-22",
        "texts": [{"language": "en", "title": "x", "paragraphs": [{"num": "1", "text": "a"}]},
                  {"language": "fr", "title": "x", "paragraphs": [{"num": "2", "text": "b"}]}],
        "marking": coalition()}),
    )
    .await;
    assert_problem(&bad, StatusCode::UNPROCESSABLE_ENTITY, "invalid_field");
    let (st, ct, xml) = text(
        &app,
        &format!("/statements/{sid}/akn?language=ar"),
        Some(&fra),
    )
    .await;
    assert_eq!(st, StatusCode::OK, "{xml}");
    assert!(ct.starts_with("application/akn+xml"));
    // Parsed back: the paragraphs in order, their eIds, the Arabic text
    // byte for byte (logical order).
    let mut reader = quick_xml::Reader::from_str(&xml);
    let mut stack: Vec<String> = Vec::new();
    let mut eids = Vec::new();
    let mut paragraphs_text = Vec::new();
    let mut root_ns = String::new();
    loop {
        match reader.read_event().expect("well-formed XML") {
            quick_xml::events::Event::Start(e) => {
                let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                if name == "akomaNtoso" {
                    for a in e.attributes().flatten() {
                        if a.key.as_ref() == b"xmlns" {
                            root_ns = a.unescape_value().expect("ns").into_owned();
                        }
                    }
                }
                if name == "paragraph" {
                    for a in e.attributes().flatten() {
                        if a.key.as_ref() == b"eId" {
                            eids.push(a.unescape_value().expect("eId").into_owned());
                        }
                    }
                }
                stack.push(name);
            }
            quick_xml::events::Event::End(_) => {
                stack.pop();
            }
            quick_xml::events::Event::Text(t)
                if stack.iter().any(|n| n == "paragraph")
                    && stack.last().is_some_and(|n| n == "p") =>
            {
                paragraphs_text.push(t.unescape().expect("text").into_owned());
            }
            quick_xml::events::Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(root_ns, "http://docs.oasis-open.org/legaldocml/ns/akn/3.0");
    assert_eq!(eids, vec!["para_1", "para_2"]);
    assert_eq!(
        paragraphs_text,
        vec!["لا وقت نضيعه.".to_string(), arabic.to_string()]
    );
    let (_, _, en) = text(&app, &format!("/statements/{sid}/akn"), Some(&fra)).await;
    assert!(en.contains("No time to waste &lt;in&gt; building a coalition &amp; more."));
    let (st, _, _) = text(
        &app,
        &format!("/statements/{sid}/akn?language=de"),
        Some(&fra),
    )
    .await;
    assert_eq!(st, StatusCode::NOT_FOUND);

    // Carry-over into the group's next meeting, not into another group's.
    let c = post(
        &app,
        "/commitments",
        &usa,
        json!({
        "meeting": m1, "owner": "GBR", "what": "Stand up the working groups",
        "due": "2015-03-31", "state": "open", "marking": coalition()}),
    )
    .await;
    let cid = c.json["id"].as_str().expect("id").to_string();
    let m2 = post(
        &app,
        "/meetings",
        &usa,
        meeting(
            "Paris",
            "2015-06-02T09:00:00Z",
            Some("small-group"),
            coalition(),
        ),
    )
    .await;
    let m2 = m2.json["id"].as_str().expect("id").to_string();
    let m3 = post(
        &app,
        "/meetings",
        &usa,
        meeting("Plenary", "2015-06-03T09:00:00Z", None, coalition()),
    )
    .await;
    let m3 = m3.json["id"].as_str().expect("id").to_string();
    let bad = post(
        &app,
        &format!("/meetings/{m3}/carry-over"),
        &usa,
        json!({"from": m1}),
    )
    .await;
    assert_problem(&bad, StatusCode::UNPROCESSABLE_ENTITY, "invalid_field");
    let ok = post(&app, &format!("/meetings/{m2}/carry-over"), &usa, json!({})).await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.json);
    assert_eq!(ok.json["carried"], json!([cid]));
    let one = get(&app, &format!("/commitments/{cid}"), &fra).await;
    assert_eq!(one.json["history"].as_array().map(Vec::len), Some(2));
    assert_eq!(one.json["discussed"][0]["meeting"], m2.as_str());

    // Notices: sent by the node; the overdue item escalated to the chair
    // of the group's latest meeting that discussed it (Paris, chaired by
    // its host GBR), read on the digest.
    app.state
        .store
        .send_commitment_notices(coalesce_store::now_ms())
        .await
        .expect("send");
    let n = get(&app, "/me/notices", &gbr).await;
    assert_eq!(n.json["items"][0]["notice"], "overdue", "{}", n.json);
    assert_eq!(n.json["unread"], 1);
    assert_eq!(get(&app, "/me/notices", &usa).await.json["unread"], 0);
    post(&app, "/me/notices/read", &gbr, json!({})).await;
    assert_eq!(get(&app, "/me/notices", &gbr).await.json["unread"], 0);
}
