//! The allocation page through the router (issue 5): a coordinator runs the
//! engine and accepts a proposal (CSRF-checked); the offering member
//! commits it; the requirement's figures follow.

mod common;

use axum::http::StatusCode;
use common::{seeded_state, Jar, Web};

async fn post(web: &Web, jar: &mut Jar, path: &str, fields: &[(&str, &str)]) -> common::Page {
    let token = jar.form_token().expect("csrf");
    let mut all: Vec<(&str, &str)> = vec![("csrf", token.as_str())];
    all.extend_from_slice(fields);
    web.go(jar, "POST", path, Some(&all)).await
}

/// The first `/allocation/proposals/{id}/…` id on the page.
fn first_proposal(html: &str, action: &str) -> String {
    let marker = "/allocation/proposals/";
    let mut rest = html;
    while let Some(i) = rest.find(marker) {
        let tail = &rest[i + marker.len()..];
        let id: String = tail.chars().take(36).collect();
        if tail[36..].starts_with(action) {
            return id;
        }
        rest = tail;
    }
    panic!("no {action} form on the page: {html}");
}

/// IRQ posts a need for six generators in Baiji, GBR offers four for Iraq;
/// the requirement's page.
async fn need_and_offer(web: &Web, irq: &mut Jar, gbr: &mut Jar) -> String {
    let r = post(
        web,
        irq,
        "/requirements",
        &[
            ("title", "Generators for Baiji"),
            ("requesting_member", "IRQ"),
            ("line_of_effort", "humanitarian"),
            ("category", "electricity"),
            ("kind", "quantity"),
            ("amount", "6"),
            ("unit", "generator"),
            ("country", "IRQ"),
            ("town", "Baiji"),
            ("start", "2015-06-01"),
            ("end", "2015-09-30"),
            ("priority", "1"),
            ("tlp", "GREEN"),
            ("rel_to", "COALITION"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.html);
    let requirement = r.location.expect("location");
    let o = post(
        web,
        gbr,
        "/contributions",
        &[
            ("title", "British generators"),
            ("contributors", "GBR"),
            ("line_of_effort", "humanitarian"),
            ("category", "electricity"),
            ("kind", "quantity"),
            ("amount", "4"),
            ("unit", "generator"),
            ("country", "IRQ"),
            ("start", "2015-05-01"),
            ("end", "2015-07-31"),
            ("tlp", "GREEN"),
            ("rel_to", "COALITION"),
        ],
    )
    .await;
    assert_eq!(o.status, StatusCode::SEE_OTHER, "{}", o.html);
    requirement
}

#[tokio::test]
async fn run_accept_commit_through_the_pages() {
    let web = Web::with_state(seeded_state().await);
    let (mut usa, mut gbr, mut irq) = (
        web.login("usa").await,
        web.login("gbr").await,
        web.login("irq").await,
    );
    let requirement = need_and_offer(&web, &mut irq, &mut gbr).await;

    // GBR is not a coordinator: no run button, and a forged run is refused.
    let page = web.go(&mut gbr, "GET", "/allocation", None).await;
    assert!(!page.html.contains("Run the allocation now"));
    let r = post(&web, &mut gbr, "/allocation/run", &[]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    let r = post(&web, &mut usa, "/allocation/run", &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.html);
    let page = web.go(&mut usa, "GET", "/allocation", None).await;
    assert!(page.html.contains("British generators"), "{}", page.html);
    assert!(page.html.contains("4 generator"));
    assert!(page.html.contains("windows overlap"), "explanation shown");
    assert!(
        page.html.contains("2 generator of 6 generator missing"),
        "gap shown: {}",
        page.html
    );
    let id = first_proposal(&page.html, "/decision");
    let forged = web
        .go(
            &mut usa,
            "POST",
            &format!("/allocation/proposals/{id}/decision"),
            Some(&[("decision", "accept")]),
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN, "no CSRF token");
    let r = post(
        &web,
        &mut usa,
        &format!("/allocation/proposals/{id}/decision"),
        &[("decision", "accept"), ("reason", "closest offer")],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.html);

    let page = web.go(&mut gbr, "GET", "/allocation", None).await;
    assert_eq!(first_proposal(&page.html, "/commit"), id);
    let r = post(
        &web,
        &mut gbr,
        &format!("/allocation/proposals/{id}/commit"),
        &[],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.html);
    let c = web
        .go(&mut gbr, "GET", &r.location.expect("location"), None)
        .await;
    assert!(
        c.html.contains("<dd id=\"status\">committed</dd>"),
        "{}",
        c.html
    );
    let page = web.go(&mut irq, "GET", &requirement, None).await;
    assert!(
        page.html.contains("<td id=\"committed\">4 generator</td>"),
        "{}",
        page.html
    );
    assert!(page.html.contains("<td id=\"gap\">2 generator</td>"));
}

#[tokio::test]
async fn a_run_that_fails_says_why_on_the_page_and_cancelling_needs_the_form_token() {
    let mut state = seeded_state().await;
    state.allocation_max_pairs = 0;
    let web = Web::with_state(state);
    let (mut usa, mut gbr, mut irq) = (
        web.login("usa").await,
        web.login("gbr").await,
        web.login("irq").await,
    );
    need_and_offer(&web, &mut irq, &mut gbr).await;
    let r = post(&web, &mut usa, "/allocation/run", &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.html);
    let page = web.go(&mut usa, "GET", "/allocation", None).await;
    assert!(
        page.html
            .contains("failed: too large: more than 0 compatible"),
        "{}",
        page.html
    );
    assert!(
        page.html.contains("Run the allocation now"),
        "may run again"
    );
    assert!(
        !page.html.contains("http-equiv=\"refresh\""),
        "nothing runs"
    );
    // Another member's users see nothing of USA's run.
    let theirs = web.go(&mut gbr, "GET", "/allocation", None).await;
    assert!(!theirs.html.contains("too large"));
    let forged = web
        .go(
            &mut usa,
            "POST",
            "/allocation/jobs/00000000-0000-7000-8000-000000000000/cancel",
            Some(&[]),
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN, "no CSRF token");
    let unknown = post(
        &web,
        &mut usa,
        "/allocation/jobs/00000000-0000-7000-8000-000000000000/cancel",
        &[],
    )
    .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND, "{}", unknown.html);
}
