//! The 3W map (issue 21): a governorate picked by its Arabic name gets its
//! P-code; a governorate with an unmet requirement is coloured as a gap for
//! the requirement's audience, and a reader outside that audience sees no
//! trace of it; pledges do not colour a gap as covered, commitments do.

mod common;

use axum::http::StatusCode;
use common::{seeded_state, Jar, Web};

async fn post(web: &Web, jar: &mut Jar, path: &str, fields: &[(&str, &str)]) -> common::Page {
    let token = jar.form_token().expect("csrf cookie");
    let mut all: Vec<(&str, &str)> = vec![("csrf", token.as_str())];
    all.extend_from_slice(fields);
    web.go(jar, "POST", path, Some(&all)).await
}

/// The `data-coverage` of an area's shape on the map, if it is drawn.
fn coverage_of(html: &str, pcode: &str) -> Option<String> {
    let at = html.find(&format!("data-pcode=\"{pcode}\" data-coverage=\""))?;
    let rest = &html[at..];
    let start = rest.find("data-coverage=\"")? + "data-coverage=\"".len();
    let end = rest[start..].find('"')? + start;
    Some(rest[start..end].to_string())
}

#[tokio::test]
async fn the_map_colours_a_gap_for_its_audience_only_and_pledges_do_not_fill_it() {
    let web = Web::with_state(seeded_state().await);
    let (mut irq, mut gbr, mut fra) = (
        web.login("irq").await,
        web.login("gbr").await,
        web.login("fra").await,
    );
    // Posted with the governorate typed in Arabic and no P-code.
    let r = post(
        &web,
        &mut irq,
        "/requirements",
        &[
            ("title", "Generators for Mosul clinics"),
            ("requesting_member", "IRQ"),
            ("line_of_effort", "humanitarian"),
            ("category", "electricity"),
            ("kind", "quantity"),
            ("amount", "12"),
            ("unit", "generator"),
            ("country", "IRQ"),
            ("admin1_name", "نينوى"),
            ("admin1_pcode", ""),
            ("town", "Mosul"),
            ("start", "2016-01-01"),
            ("end", "2016-06-30"),
            ("priority", "1"),
            ("tlp", "AMBER"),
            ("rel_to", "group:small-group"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.html);
    let rid = r
        .location
        .as_deref()
        .and_then(|l| l.strip_prefix("/requirements/"))
        .expect("the new requirement")
        .to_string();
    let page = web
        .go(&mut gbr, "GET", &format!("/requirements/{rid}"), None)
        .await;
    assert!(page.html.contains("Ninewa (IQG15)"), "{}", page.html);

    let map = web.go(&mut gbr, "GET", "/who/map", None).await;
    assert_eq!(map.status, StatusCode::OK);
    assert_eq!(coverage_of(&map.html, "IQG15").as_deref(), Some("unmet"));
    assert!(map.html.contains("<svg"));
    assert!(map.html.contains("1 requirement: 1 unmet"));

    // France is outside the requirement's audience: nothing of it shows.
    let theirs = web.go(&mut fra, "GET", "/who/map", None).await;
    assert_eq!(theirs.status, StatusCode::OK);
    assert_ne!(coverage_of(&theirs.html, "IQG15").as_deref(), Some("unmet"));
    assert!(!theirs.html.contains("1 requirement: 1 unmet"));
    assert!(!theirs.html.contains("admin1=IQG15\">Ninewa"));
    let filtered = web.go(&mut fra, "GET", "/who/map?admin1=IQG15", None).await;
    assert_eq!(filtered.status, StatusCode::OK);
    assert!(!filtered.html.contains("unmet</td>"));
    assert!(!filtered.html.contains("generator"));

    // A pledge is not cover: still unmet, now with the United Kingdom as
    // who is there (the test coalition's
    // members are named by their codes).
    let p = post(
        &web,
        &mut gbr,
        "/contributions",
        &[
            ("requirement_id", &rid),
            ("title", "British generators"),
            ("contributors", "GBR"),
            ("kind", "quantity"),
            ("unit", "generator"),
            ("amount", "5"),
            ("tlp", "AMBER"),
            ("rel_to", "group:small-group"),
        ],
    )
    .await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.html);
    let cid = p
        .location
        .as_deref()
        .and_then(|l| l.strip_prefix("/contributions/"))
        .expect("the new contribution")
        .to_string();
    let map = web.go(&mut gbr, "GET", "/who/map?country=IRQ", None).await;
    assert_eq!(coverage_of(&map.html, "IQG15").as_deref(), Some("unmet"));
    assert!(
        map.html.contains("1 contribution by GBR"),
        "{}",
        &map.html[map
            .html
            .find("<table tabindex=\"0\" class=\"areas\"")
            .unwrap_or(0)..]
    );

    // Committed, it covers part of the need.
    let c = post(
        &web,
        &mut gbr,
        &format!("/contributions/{cid}/step"),
        &[("step", "commit")],
    )
    .await;
    assert_eq!(c.status, StatusCode::SEE_OTHER, "{}", c.html);
    let map = web.go(&mut gbr, "GET", "/who/map", None).await;
    assert_eq!(coverage_of(&map.html, "IQG15").as_deref(), Some("partly"));
    // The member filter narrows the contributions, not the needs.
    let map = web.go(&mut gbr, "GET", "/who/map?member=USA", None).await;
    assert_eq!(coverage_of(&map.html, "IQG15").as_deref(), Some("partly"));
    assert!(!map.html.contains("1 contribution by GBR"));

    // A country without bundled boundaries is said, not drawn; a bad filter
    // is refused with a page.
    let none = web.go(&mut gbr, "GET", "/who/map?country=FRA", None).await;
    assert_eq!(none.status, StatusCode::OK);
    assert!(!none.html.contains("<svg"));
    let bad = web.go(&mut gbr, "GET", "/who/map?status=lost", None).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.html.contains("<html"));
}
