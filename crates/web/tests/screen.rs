//! The screening page through the router: screen one party, review a hit
//! (CSRF-checked), batches pasted as CSV, the member's decisions.

mod common;

use axum::http::StatusCode;
use common::{seeded_state, Jar, Web};
use std::sync::Arc;

const UN_XML: &str = include_str!("../../screen/tests/fixtures/un-sample.xml");
const PARTY: &str = "Muhammad Yusuf Abd al-Karim al-Testari";

/// A seeded web app, with the fixture list loaded or none.
async fn web(with_lists: bool) -> Web {
    let mut state = seeded_state().await;
    if with_lists {
        let list = coalesce_screen::parse_un_xml(UN_XML).expect("fixture");
        state = state.with_screener(Arc::new(coalesce_screen::Screener::new(vec![list])));
    }
    Web::with_state(state)
}

#[tokio::test]
async fn screening_page_screens_reviews_and_remembers() {
    let web = web(true).await;
    let mut anon = Jar::default();
    let p = web.go(&mut anon, "GET", "/screen", None).await;
    assert_eq!(p.status, StatusCode::SEE_OTHER);
    assert_eq!(p.location.as_deref(), Some("/login"));
    assert!(p
        .cookies
        .iter()
        .all(|c| !c.starts_with("coalesce_session=")));

    let mut gbr = web.login("gbr").await;
    let csrf = gbr.get("coalesce_csrf").expect("csrf");
    let page = web.go(&mut gbr, "GET", "/screen", None).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.html);
    assert!(page.html.contains("<a href=\"/screen\">Screening</a>"));
    assert!(page.html.contains("<label for=\"name\">"));
    assert!(page.html.contains("<label for=\"csv\">"));
    assert!(page.html.contains("UN 2030-01-15"), "loaded list shown");

    let forged = web
        .go(
            &mut gbr,
            "POST",
            "/screen",
            Some(&[("name", PARTY), ("csrf", "forged-token-value")]),
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);

    let arabic = "محمد يوسف عبد الكريم التستاري";
    let r = web
        .go(
            &mut gbr,
            "POST",
            "/screen",
            Some(&[
                ("name", arabic),
                ("birth_date", "1970"),
                ("nationality", "Iraq"),
                ("schema", "Person"),
                ("csrf", &csrf),
            ]),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.html);
    assert!(r.html.contains("un:QDi.901"));
    assert!(
        r.html
            .contains(&format!("<span dir=\"auto\">{arabic}</span>")),
        "Arabic shown with dir=auto"
    );
    assert!(r.html.contains("Alert: review"));
    assert!(r.html.contains("final score"), "explanation lines shown");
    assert!(r.html.contains("<th scope=\"col\">Score</th>"));
    assert!(r.html.contains("value=\"false_positive\""), "review form");

    let bad = web
        .go(
            &mut gbr,
            "POST",
            "/screen",
            Some(&[("name", PARTY), ("birth_date", "May 1970"), ("csrf", &csrf)]),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.html.contains("role=\"alert\""));

    let forged = web
        .go(
            &mut gbr,
            "POST",
            "/screen/decisions",
            Some(&[
                ("party", PARTY),
                ("entity_id", "un:QDi.901"),
                ("decision", "false_positive"),
                ("reason", "x"),
                ("csrf", "forged-token-value"),
            ]),
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let no_reason = web
        .go(
            &mut gbr,
            "POST",
            "/screen/decisions",
            Some(&[
                ("party", PARTY),
                ("entity_id", "un:QDi.901"),
                ("decision", "false_positive"),
                ("reason", ""),
                ("csrf", &csrf),
            ]),
        )
        .await;
    assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);

    let done = web
        .go(
            &mut gbr,
            "POST",
            "/screen/decisions",
            Some(&[
                ("party", PARTY),
                ("entity_id", "un:QDi.901"),
                ("decision", "false_positive"),
                ("reason", "Born 1991 in Leeds"),
                ("schema", "Person"),
                ("csrf", &csrf),
            ]),
        )
        .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.html);
    assert!(done
        .html
        .contains("Recorded: un:QDi.901 is a false positive"));
    assert!(
        done.html.contains("suppressed: not alerted again"),
        "{}",
        done.html
    );
    assert!(done.html.contains("Born 1991 in Leeds"));

    // The decision is GBR's: USA neither sees it nor has the hit suppressed.
    let mut usa = web.login("usa").await;
    let usa_csrf = usa.get("coalesce_csrf").expect("csrf");
    let page = web.go(&mut usa, "GET", "/screen", None).await;
    assert!(!page.html.contains("Born 1991 in Leeds"));
    assert!(page.html.contains("No decisions recorded by USA"));
    let r = web
        .go(
            &mut usa,
            "POST",
            "/screen",
            Some(&[("name", PARTY), ("csrf", &usa_csrf)]),
        )
        .await;
    assert!(r.html.contains("Alert: review"));
    assert!(!r.html.contains("suppressed"));

    // A viewer of GBR sees the decision but gets no review form.
    let mut viewer = web.login("viewer").await;
    let v_csrf = viewer.get("coalesce_csrf").expect("csrf");
    let r = web
        .go(
            &mut viewer,
            "POST",
            "/screen",
            Some(&[("name", PARTY), ("csrf", &v_csrf)]),
        )
        .await;
    assert!(r.html.contains("suppressed: not alerted again"));
    assert!(!r.html.contains("value=\"false_positive\""));
}

#[tokio::test]
async fn batches_are_screened_from_pasted_csv() {
    let web = web(true).await;
    let mut gbr = web.login("gbr").await;
    let csrf = gbr.get("coalesce_csrf").expect("csrf");
    let csv = format!("id,name,birth_date\nP-1,{PARTY},1970-05-04\nP-2,Jane Quietly Unlisted,\n");
    let r = web
        .go(
            &mut gbr,
            "POST",
            "/screen/batch",
            Some(&[("csv", &csv), ("csrf", &csrf)]),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.html);
    assert!(r.html.contains("2 parties screened"), "{}", r.html);
    assert!(r.html.contains("P-1"));
    assert!(r.html.contains("un:QDi.901"));
    assert!(!r.html.contains("<td>P-2</td>"));
    assert!(r.html.contains("formaction=\"/screen/batch.csv\""));

    // The same batch as a CSV file: a header, one row per hit, explanations.
    let file = web
        .go(
            &mut gbr,
            "POST",
            "/screen/batch.csv",
            Some(&[("csv", &csv), ("csrf", &csrf)]),
        )
        .await;
    assert_eq!(file.status, StatusCode::OK);
    let mut lines = file.html.lines();
    assert_eq!(
        lines.next(),
        Some("id,name,list,reference,matched_name,score,explanation")
    );
    let rows: Vec<&str> = lines.collect();
    assert!(
        !rows.is_empty() && rows.iter().all(|r| r.starts_with("P-1,")),
        "{rows:?}"
    );
    assert!(rows
        .iter()
        .any(|r| r.contains("QDi.901") && r.contains("threshold")));
    let forged = web
        .go(
            &mut gbr,
            "POST",
            "/screen/batch.csv",
            Some(&[("csv", &csv), ("csrf", "forged-token-value")]),
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);

    let bad = web
        .go(
            &mut gbr,
            "POST",
            "/screen/batch",
            Some(&[("csv", "who,when\nx,y\n"), ("csrf", &csrf)]),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.html.contains("missing column"), "{}", bad.html);

    let mut big = String::from("name\n");
    for i in 0..10_001 {
        big.push_str(&format!("p{i}\n"));
    }
    let too_big = web
        .go(
            &mut gbr,
            "POST",
            "/screen/batch",
            Some(&[("csv", &big), ("csrf", &csrf)]),
        )
        .await;
    assert_eq!(too_big.status, StatusCode::PAYLOAD_TOO_LARGE);

    let forged = web
        .go(
            &mut gbr,
            "POST",
            "/screen/batch",
            Some(&[("csv", &csv), ("csrf", "forged-token-value")]),
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn without_lists_the_page_says_so() {
    let web = web(false).await;
    let mut gbr = web.login("gbr").await;
    let csrf = gbr.get("coalesce_csrf").expect("csrf");
    let page = web.go(&mut gbr, "GET", "/screen", None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.html.contains("No sanctions lists are loaded"));
    let r = web
        .go(
            &mut gbr,
            "POST",
            "/screen",
            Some(&[("name", PARTY), ("csrf", &csrf)]),
        )
        .await;
    assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE);
}
