//! The coordination pages through the router (issue 3): post a
//! requirement, pledge against it, commit, deliver in part, confirm receipt
//! — all through the forms with their CSRF token — and read the figures at
//! each step; dashboards, who-does-what-where, member pages and indicators
//! show only what the viewer may read.

mod common;

use axum::http::StatusCode;
use common::{seeded_state, Jar, Web};

fn csrf(jar: &Jar) -> String {
    jar.form_token().expect("csrf cookie")
}

/// The text of the `<td id="…">` cell on a requirement page.
fn cell(html: &str, id: &str) -> String {
    let start = format!("<td id=\"{id}\">");
    let i = html.find(&start).expect(id) + start.len();
    let j = html[i..].find("</td>").expect("end") + i;
    html[i..j].trim().to_string()
}

fn id_from(location: &Option<String>, prefix: &str) -> String {
    location
        .as_deref()
        .and_then(|l| l.strip_prefix(prefix))
        .expect("redirect to the new record")
        .to_string()
}

async fn post(web: &Web, jar: &mut Jar, path: &str, fields: &[(&str, &str)]) -> common::Page {
    let token = csrf(jar);
    let mut all: Vec<(&str, &str)> = vec![("csrf", token.as_str())];
    all.extend_from_slice(fields);
    web.go(jar, "POST", path, Some(&all)).await
}

#[tokio::test]
async fn irq_asks_gbr_and_usa_pledge_commit_deliver_irq_confirms_through_the_forms() {
    let web = Web::with_state(seeded_state().await);
    let (mut irq, mut gbr, mut usa, mut fra) = (
        web.login("irq").await,
        web.login("gbr").await,
        web.login("usa").await,
        web.login("fra").await,
    );
    let form = web.go(&mut irq, "GET", "/requirements/new", None).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.html.contains("name=\"csrf\""));
    let r = post(
        &web,
        &mut irq,
        "/requirements",
        &[
            ("title", "Police training for Tikrit"),
            ("description", "Three courses"),
            ("requesting_member", "IRQ"),
            ("line_of_effort", "humanitarian"),
            ("category", "police"),
            ("kind", "quantity"),
            ("amount", "10"),
            ("unit", "course"),
            ("country", "irq"),
            ("admin1_name", "Salah Al-Din"),
            ("admin1_pcode", "IQG16"),
            ("town", "Tikrit"),
            ("start", "2015-04-01"),
            ("end", "2015-12-31"),
            ("priority", "1"),
            ("tlp", "GREEN"),
            ("rel_to", "COALITION"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.html);
    let rid = id_from(&r.location, "/requirements/");
    let page = web
        .go(&mut gbr, "GET", &format!("/requirements/{rid}"), None)
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(cell(&page.html, "requested"), "10 course");
    assert_eq!(cell(&page.html, "gap"), "10 course");
    assert!(page.html.contains("TLP:GREEN REL TO IRQ, COALITION"));

    // GBR pledges 6 (coalition), USA pledges 3 for the small group only.
    let p = post(
        &web,
        &mut gbr,
        "/contributions",
        &[
            ("requirement_id", &rid),
            ("title", "British police courses"),
            ("contributors", "GBR"),
            ("kind", "quantity"),
            ("unit", "course"),
            ("amount", "6"),
            ("tlp", "GREEN"),
            ("rel_to", "COALITION"),
        ],
    )
    .await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.html);
    let g = id_from(&p.location, "/contributions/");
    let p = post(
        &web,
        &mut usa,
        "/contributions",
        &[
            ("requirement_id", &rid),
            ("title", "US police courses"),
            ("contributors", "USA"),
            ("kind", "quantity"),
            ("unit", "course"),
            ("amount", "3"),
            ("tlp", "AMBER"),
            ("rel_to", "group:small-group"),
        ],
    )
    .await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.html);
    let u = id_from(&p.location, "/contributions/");
    let figures = |html: &str| {
        (
            cell(html, "pledged"),
            cell(html, "committed"),
            cell(html, "delivered"),
            cell(html, "received"),
            cell(html, "gap"),
        )
    };
    let page = web
        .go(&mut fra, "GET", &format!("/requirements/{rid}"), None)
        .await;
    assert_eq!(
        figures(&page.html),
        (
            "6 course".into(),
            "0 course".into(),
            "0 course".into(),
            "0 course".into(),
            "10 course".into()
        )
    );
    assert!(!page.html.contains("US police courses"));
    let page = web
        .go(&mut usa, "GET", &format!("/requirements/{rid}"), None)
        .await;
    assert_eq!(cell(&page.html, "pledged"), "9 course");

    // GBR commits, delivers 4, IRQ confirms receipt.
    let step = post(
        &web,
        &mut gbr,
        &format!("/contributions/{g}/step"),
        &[("step", "commit")],
    )
    .await;
    assert_eq!(step.status, StatusCode::SEE_OTHER, "{}", step.html);
    let page = web
        .go(&mut fra, "GET", &format!("/requirements/{rid}"), None)
        .await;
    assert_eq!(cell(&page.html, "committed"), "6 course");
    assert_eq!(cell(&page.html, "gap"), "4 course");
    // Overdelivery is refused on the page, and nothing changes.
    let over = post(
        &web,
        &mut gbr,
        &format!("/contributions/{g}/step"),
        &[
            ("step", "deliver"),
            ("delivered_on", "2015-05-01"),
            ("amount", "7"),
            ("evidence", "x"),
        ],
    )
    .await;
    assert_eq!(over.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(over.html.contains("exceeds"), "{}", over.html);
    let step = post(
        &web,
        &mut gbr,
        &format!("/contributions/{g}/step"),
        &[
            ("step", "deliver"),
            ("delivered_on", "2015-05-01"),
            ("amount", "4"),
            ("evidence", "Course certificates, Baghdad"),
        ],
    )
    .await;
    assert_eq!(step.status, StatusCode::SEE_OTHER, "{}", step.html);
    // FRA cannot move GBR's contribution.
    let theirs = post(
        &web,
        &mut fra,
        &format!("/contributions/{g}/step"),
        &[("step", "cancel")],
    )
    .await;
    assert_eq!(theirs.status, StatusCode::FORBIDDEN);
    // Only IRQ sees the confirm button; GBR cannot confirm.
    let page = web
        .go(&mut irq, "GET", &format!("/contributions/{g}"), None)
        .await;
    assert!(page.html.contains("Confirm receipt"));
    let page = web
        .go(&mut gbr, "GET", &format!("/contributions/{g}"), None)
        .await;
    assert!(!page.html.contains("Confirm receipt"));
    let not_theirs = post(
        &web,
        &mut gbr,
        &format!("/contributions/{g}/step"),
        &[("step", "confirm"), ("seq", "1")],
    )
    .await;
    assert_eq!(not_theirs.status, StatusCode::FORBIDDEN);
    let step = post(
        &web,
        &mut irq,
        &format!("/contributions/{g}/step"),
        &[("step", "confirm"), ("seq", "1")],
    )
    .await;
    assert_eq!(step.status, StatusCode::SEE_OTHER, "{}", step.html);
    let page = web
        .go(&mut fra, "GET", &format!("/requirements/{rid}"), None)
        .await;
    assert_eq!(
        figures(&page.html),
        (
            "0 course".into(),
            "2 course".into(),
            "4 course".into(),
            "4 course".into(),
            "4 course".into()
        )
    );

    // A form without its CSRF token changes nothing.
    let forged = web
        .go(
            &mut gbr,
            "POST",
            &format!("/contributions/{g}/step"),
            Some(&[("step", "cancel")]),
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);

    // The dashboard, who-does-what-where and member pages: FRA never sees
    // the small-group contribution.
    for path in [
        "/lines-of-effort/humanitarian".to_string(),
        "/who".to_string(),
        "/who?member=USA".to_string(),
        "/members/USA".to_string(),
        "/duplication".to_string(),
    ] {
        let page = web.go(&mut fra, "GET", &path, None).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        assert!(!page.html.contains("US police courses"), "{path}");
        assert!(!page.html.contains(&u), "{path}");
        let page = web.go(&mut usa, "GET", &path, None).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        // The CSP (style-src 'self') would drop inline styles.
        assert!(
            !page.html.contains(" style=\""),
            "{path} has an inline style"
        );
    }
    let page = web.go(&mut usa, "GET", "/who?member=USA", None).await;
    assert!(page.html.contains("US police courses"));
    let page = web
        .go(&mut fra, "GET", &format!("/contributions/{u}"), None)
        .await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    let page = web
        .go(&mut fra, "GET", "/lines-of-effort/humanitarian", None)
        .await;
    assert!(page.html.contains("Course certificates, Baghdad"));
    assert!(page.html.contains("<svg"), "gap bars and trend chart");
}

#[tokio::test]
async fn bad_forms_say_what_is_wrong_and_write_nothing() {
    let web = Web::with_state(seeded_state().await);
    let mut gbr = web.login("gbr").await;
    for (field, value, says) in [
        ("amount", "-3", "amount"),
        ("unit", "", "unit"),
        ("country", "XYZ", "country"),
        ("start", "2015-13-01", "date"),
        ("kind", "money", "currency"),
    ] {
        let mut fields = vec![
            ("title", "Tents"),
            ("contributors", "GBR"),
            ("line_of_effort", "humanitarian"),
            ("category", "humanitarian-supplies"),
            ("kind", "quantity"),
            ("amount", "5"),
            ("unit", "tent"),
            ("country", "IRQ"),
            ("start", "2015-01-01"),
            ("end", "2015-02-01"),
            ("tlp", "GREEN"),
            ("rel_to", "COALITION"),
        ];
        for f in fields.iter_mut() {
            if f.0 == field {
                f.1 = value;
            }
        }
        let p = post(&web, &mut gbr, "/contributions", &fields).await;
        assert!(p.status.is_client_error(), "{field}: {}", p.status);
        assert!(p.html.contains("role=\"alert\""), "{field}");
        assert!(p.html.to_lowercase().contains(says), "{field}: {}", p.html);
    }
    let page = web.go(&mut gbr, "GET", "/who", None).await;
    assert!(page.html.contains("<strong>0</strong> contributions"));
}

#[tokio::test]
async fn indicators_page_charts_values_and_takes_reports() {
    let state = seeded_state().await;
    let users = state.store.list_users().await.expect("users");
    let u = users.iter().find(|u| u.username == "usa").expect("usa");
    let usa = coalesce_store::Principal {
        user_id: u.id.clone(),
        username: coalesce_domain::Username::parse("usa").expect("name"),
        member: coalesce_domain::MemberCode::parse("USA").expect("code"),
        role: coalesce_domain::Role::Coordinator,
    };
    state
        .store
        .define_indicator(
            &usa,
            &coalesce_domain::indicators::IndicatorDraft::parse(
                "airstrikes",
                "Coalition airstrikes",
                "",
                "airstrikes",
                Some("humanitarian"),
                "increase",
                "max",
                0.0,
                Some("2014-08-08"),
                &[],
            )
            .expect("draft"),
        )
        .await
        .expect("define");
    let web = Web::with_state(state);
    let (mut gbr, mut fra) = (web.login("gbr").await, web.login("fra").await);
    let p = post(
        &web,
        &mut gbr,
        "/indicators/airstrikes/values",
        &[
            ("observed_on", "2015-01-22"),
            ("value", "2,000"),
            ("note", "Nearly 2,000 airstrikes"),
            ("tlp", "AMBER"),
            ("rel_to", "group:small-group"),
        ],
    )
    .await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.html);
    let page = web
        .go(&mut gbr, "GET", "/indicators/airstrikes", None)
        .await;
    assert!(
        page.html.contains("2,000 as of 2015-01-22"),
        "{}",
        page.html
    );
    assert!(page.html.contains("<svg"));
    let page = web
        .go(&mut fra, "GET", "/indicators/airstrikes", None)
        .await;
    assert!(!page.html.contains("2,000"));
    assert!(page.html.contains("None you may read"));
    let bad = post(
        &web,
        &mut gbr,
        "/indicators/airstrikes/values",
        &[
            ("observed_on", "2015-01-22"),
            ("value", "lots"),
            ("tlp", "GREEN"),
            ("rel_to", ""),
        ],
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let page = web.go(&mut fra, "GET", "/indicators", None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.html.contains("Coalition airstrikes"));
}

#[tokio::test]
async fn the_import_page_lists_every_bad_row_and_writes_nothing() {
    let web = Web::with_state(seeded_state().await);
    let mut irq = web.login("irq").await;
    let page = web.go(&mut irq, "GET", "/import", None).await;
    assert_eq!(page.status, StatusCode::OK);
    let header = "title,requesting,line,category,amount,unit,country,start,end,priority,tlp,rel_to\n\
                  #item+name,#org+requesting,#sector+code,#item+type+code,#value,#item+unit,#country+code,#date+start,#date+end,#severity+priority,#meta+tlp,#meta+rel_to\n";
    let good =
        "Water tanks,IRQ,humanitarian,water,20,tank,IRQ,2015-01-01,2015-03-01,2,GREEN,COALITION\n";
    let bad = format!(
        "{header}{good}Tanks,IRQ,humanitarian,water,-4,tank,IRQ,2015-01-01,2015-03-01,2,GREEN,COALITION\n\
         Tanks,IRQ,humanitarian,water,4,tank,IRQ,2015-01-01,2015-03-01,9,GREEN,COALITION\n"
    );
    let p = post(
        &web,
        &mut irq,
        "/import",
        &[("what", "requirements"), ("csv", &bad)],
    )
    .await;
    assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        p.html.contains("<td>4</td>") && p.html.contains("<td>5</td>"),
        "{}",
        p.html
    );
    let page = web
        .go(&mut irq, "GET", "/lines-of-effort/humanitarian", None)
        .await;
    assert!(!page.html.contains("Water tanks"));
    let p = post(
        &web,
        &mut irq,
        "/import",
        &[
            ("what", "requirements"),
            ("csv", &format!("{header}{good}")),
        ],
    )
    .await;
    assert_eq!(p.status, StatusCode::OK, "{}", p.html);
    assert!(p.html.contains("Imported 1 record."));
    let page = web
        .go(&mut irq, "GET", "/lines-of-effort/humanitarian", None)
        .await;
    assert!(page.html.contains("Water tanks"));
    let who = web.go(&mut irq, "GET", "/who?member=IRQ", None).await;
    assert!(
        who.html.contains("/api/v1/export/iati.xml?member=IRQ"),
        "{}",
        who.html
    );
}

#[tokio::test]
async fn a_stix_bundle_is_imported_whole_or_not_at_all() {
    let web = Web::with_state(seeded_state().await);
    let mut usa = web.login("usa").await;
    let indicator = |id: &str, pattern: Option<&str>| {
        let mut o = serde_json::json!({
            "type": "indicator", "spec_version": "2.1", "id": id,
            "created": "2026-01-01T00:00:00.000Z", "modified": "2026-01-01T00:00:00.000Z",
            "pattern_type": "stix", "valid_from": "2026-01-01T00:00:00Z",
            "object_marking_refs": ["marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"]
        });
        if let Some(p) = pattern {
            o["pattern"] = serde_json::json!(p);
        }
        o
    };
    let bundle = |objects: Vec<serde_json::Value>| {
        serde_json::json!({"type": "bundle", "id": "bundle--5d0092c5-5f74-4287-9642-33f4c354e56d", "objects": objects}).to_string()
    };
    let good = indicator(
        "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
        Some("[ipv4-addr:value = '198.51.100.1']"),
    );
    let bad = indicator("indicator--9e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f", None);
    let p = post(
        &web,
        &mut usa,
        "/import",
        &[
            ("what", "stix-bundle"),
            ("csv", &bundle(vec![good.clone(), bad])),
        ],
    )
    .await;
    assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(p.html.contains("requires `pattern`"), "{}", p.html);
    let p = post(
        &web,
        &mut usa,
        "/import",
        &[("what", "stix-bundle"), ("csv", &bundle(vec![good]))],
    )
    .await;
    assert_eq!(p.status, StatusCode::OK, "{}", p.html);
    assert!(p.html.contains("Imported 1 object."), "{}", p.html);
    let p = post(
        &web,
        &mut usa,
        "/import",
        &[("what", "stix-bundle"), ("csv", "not json")],
    )
    .await;
    assert_eq!(p.status, StatusCode::BAD_REQUEST);
}

/// Consent through the pages: a requirement GBR records in IRQ's name waits
/// for IRQ's own confirmation, and FRA, named in GBR's joint pledge,
/// confirms its part with its own act; nobody else gets the buttons.
#[tokio::test]
async fn named_members_confirm_through_their_own_pages() {
    let web = Web::with_state(seeded_state().await);
    let (mut irq, mut gbr, mut fra) = (
        web.login("irq").await,
        web.login("gbr").await,
        web.login("fra").await,
    );
    let r = post(
        &web,
        &mut gbr,
        "/requirements",
        &[
            ("title", "Generators for Ramadi"),
            ("requesting_member", "IRQ"),
            ("line_of_effort", "humanitarian"),
            ("category", "water"),
            ("kind", "quantity"),
            ("amount", "4"),
            ("unit", "tank"),
            ("country", "irq"),
            ("town", "Ramadi"),
            ("start", "2015-04-01"),
            ("end", "2015-12-31"),
            ("priority", "1"),
            ("tlp", "GREEN"),
            ("rel_to", "COALITION"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.html);
    let rid = id_from(&r.location, "/requirements/");
    let path = format!("/requirements/{rid}");
    let confirm = format!("/requirements/{rid}/confirm");
    assert!(!web
        .go(&mut gbr, "GET", &path, None)
        .await
        .html
        .contains(&confirm));
    let page = web.go(&mut irq, "GET", &path, None).await;
    assert!(page.html.contains("awaiting IRQ"));
    assert!(page.html.contains(&confirm));
    // GBR cannot confirm for IRQ, even by posting the form.
    let forced = post(&web, &mut gbr, &confirm, &[("step", "confirm")]).await;
    assert_eq!(forced.status, StatusCode::FORBIDDEN, "{}", forced.html);
    let done = post(&web, &mut irq, &confirm, &[("step", "confirm")]).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.html);
    let page = web.go(&mut irq, "GET", &path, None).await;
    assert!(!page.html.contains("awaiting IRQ") && !page.html.contains(&confirm));

    let p = post(
        &web,
        &mut gbr,
        "/contributions",
        &[
            ("requirement_id", &rid),
            ("title", "Anglo-French generators"),
            ("contributors", "GBR, FRA"),
            ("kind", "quantity"),
            ("unit", "tank"),
            ("amount", "2"),
            ("tlp", "GREEN"),
            ("rel_to", "COALITION"),
        ],
    )
    .await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.html);
    let cid = id_from(&p.location, "/contributions/");
    let path = format!("/contributions/{cid}");
    assert!(!web
        .go(&mut irq, "GET", &path, None)
        .await
        .html
        .contains("value=\"join\""));
    let page = web.go(&mut fra, "GET", &path, None).await;
    assert!(page.html.contains("proposed, not yet confirmed: FRA"));
    assert!(page.html.contains("value=\"join\""));
    let step = format!("{path}/step");
    let joined = post(&web, &mut fra, &step, &[("step", "join")]).await;
    assert_eq!(joined.status, StatusCode::SEE_OTHER, "{}", joined.html);
    let page = web.go(&mut fra, "GET", &path, None).await;
    assert!(
        !page.html.contains("proposed, not yet confirmed") && !page.html.contains("value=\"join\"")
    );
}
