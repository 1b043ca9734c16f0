//! The coordination pages through the router (issue 3): post a
//! requirement, pledge against it, commit, deliver in part, confirm receipt
//! — all through the forms with their CSRF token — and read the figures at
//! each step; dashboards, who-does-what-where, member pages and indicators
//! show only what the viewer may read.

mod common;

use axum::http::StatusCode;
use common::{fields_of_form, refs, seeded_state, set, Jar, Web};

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
    // The commitment is a version of the contribution: its history shows both.
    let history = web
        .go(
            &mut fra,
            "GET",
            &format!("/contributions/{g}/versions"),
            None,
        )
        .await;
    assert_eq!(history.status, StatusCode::OK, "{}", history.html);
    assert_eq!(
        history.html.matches("<tr><td>").count(),
        2,
        "{}",
        history.html
    );
    assert!(history.html.contains("6 course"), "{}", history.html);
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

/// USA's coordinator defines the airstrikes indicator.
async fn define_airstrikes(state: &coalesce_api::AppState) {
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
}

#[tokio::test]
async fn indicators_page_charts_values_and_takes_reports() {
    let state = seeded_state().await;
    define_airstrikes(&state).await;
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

/// The form's fields as a browser sends them back: every named input of
/// the edit page, with its value (selects: the selected option).
fn fields_of(html: &str) -> Vec<(String, String)> {
    fields_of_form(html, "/requirements/")
}

/// A requirement is edited by its origin's users from a form filled in
/// with it, each save a version; two editors at once get a merge choice
/// instead of an error; withdrawn, it keeps its versions.
#[tokio::test]
async fn a_requirement_is_edited_merged_after_a_conflict_and_withdrawn() {
    let web = Web::with_state(seeded_state().await);
    let (mut irq, mut irq2, mut gbr) = (
        web.login("irq").await,
        web.login("irq").await,
        web.login("gbr").await,
    );
    let r = post(
        &web,
        &mut irq,
        "/requirements",
        &[
            ("title", "Water trucks"),
            ("description", "For Ramadi"),
            ("requesting_member", "IRQ"),
            ("line_of_effort", "humanitarian"),
            ("category", "water"),
            ("kind", "quantity"),
            ("amount", "8"),
            ("unit", "truck"),
            ("country", "IRQ"),
            ("admin1_name", ""),
            ("admin1_pcode", ""),
            ("town", ""),
            ("start", "2016-01-01"),
            ("end", "2016-03-31"),
            ("priority", "2"),
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
    assert!(!page.html.contains("/edit\""), "not GBR's to edit");
    let refused = post(
        &web,
        &mut gbr,
        &format!("/requirements/{rid}"),
        &[("title", "x"), ("if_version", "1")],
    )
    .await;
    assert!(refused.status.is_client_error(), "{}", refused.status);

    // Two editors open the form at version 1.
    let edit = format!("/requirements/{rid}/edit");
    let first = fields_of(&web.go(&mut irq, "GET", &edit, None).await.html);
    let second = fields_of(&web.go(&mut irq2, "GET", &edit, None).await.html);
    assert!(first.contains(&("amount".into(), "8".into())), "{first:?}");
    assert!(
        first.contains(&("if_version".into(), "1".into())),
        "{first:?}"
    );
    assert!(
        first.contains(&("rel_to".into(), "COALITION".into())),
        "{first:?}"
    );
    // The first saves a new amount: version 2.
    let mut mine = first.clone();
    set(&mut mine, "amount", "12");
    mine.retain(|(n, _)| n != "csrf");
    let as_refs: Vec<(&str, &str)> = mine.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let saved = post(&web, &mut irq, &format!("/requirements/{rid}"), &as_refs).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.html);
    // The second, still at version 1, changes the title and the priority.
    let mut theirs = second.clone();
    set(&mut theirs, "title", "Water trucks for Ramadi");
    set(&mut theirs, "priority", "1");
    theirs.retain(|(n, _)| n != "csrf");
    let as_refs: Vec<(&str, &str)> = theirs
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let conflict = post(&web, &mut irq2, &format!("/requirements/{rid}"), &as_refs).await;
    assert_eq!(conflict.status, StatusCode::CONFLICT, "{}", conflict.html);
    assert!(conflict.html.contains("Someone saved this requirement"));
    assert!(
        conflict
            .html
            .contains("name=\"take_theirs\" value=\"amount\""),
        "the amount changed meanwhile: {}",
        conflict.html
    );
    assert!(conflict.html.contains("name=\"if_version\" value=\"2\""));
    // The second keeps the newer amount, and its own title and priority.
    let mut merged = fields_of(&conflict.html);
    merged.retain(|(n, _)| n != "csrf");
    merged.push(("take_theirs".into(), "amount".into()));
    let as_refs: Vec<(&str, &str)> = merged
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let done = post(&web, &mut irq2, &format!("/requirements/{rid}"), &as_refs).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.html);
    let now = web
        .go(&mut gbr, "GET", &format!("/requirements/{rid}"), None)
        .await;
    assert!(now.html.contains("Water trucks for Ramadi"), "{}", now.html);
    assert!(now.html.contains("12 truck"), "{}", now.html);

    // Versions side by side; withdrawn, it is kept there.
    let w = post(
        &web,
        &mut irq,
        &format!("/requirements/{rid}/withdraw"),
        &[],
    )
    .await;
    assert_eq!(w.status, StatusCode::SEE_OTHER, "{}", w.html);
    let versions = web
        .go(
            &mut irq,
            "GET",
            &format!("/requirements/{rid}/versions"),
            None,
        )
        .await;
    assert_eq!(versions.status, StatusCode::OK, "{}", versions.html);
    for want in [
        "8 truck",
        "12 truck",
        "Water trucks for Ramadi",
        "withdrawn",
    ] {
        assert!(versions.html.contains(want), "{want}: {}", versions.html);
    }
}

/// A CSV import is a job (issue 20): its page (`/import?job=`) shows it
/// running with how far it is, a cancel button and a page that refreshes
/// itself, then how many rows it imported; another member's users get no
/// such import.
#[tokio::test]
async fn an_import_job_has_a_page_with_its_progress_and_outcome() {
    let st = seeded_state().await;
    let web = Web::with_state(st.clone());
    let (mut irq, mut fra) = (web.login("irq").await, web.login("fra").await);
    let irq_p = coalesce_store::Principal {
        user_id: "x".into(),
        username: coalesce_domain::Username::parse("irq").expect("u"),
        member: coalesce_domain::MemberCode::parse("IRQ").expect("m"),
        role: coalesce_domain::Role::Contributor,
    };
    let header = "title,requesting,line,category,amount,unit,country,start,end,priority,tlp,rel_to\n\
                  #item+name,#org+requesting,#sector+code,#item+type+code,#value,#item+unit,#country+code,#date+start,#date+end,#severity+priority,#meta+tlp,#meta+rel_to\n";
    let rows = |n: usize| {
        let mut csv = header.to_string();
        for i in 0..n {
            csv.push_str(&format!(
                "Water tanks {i},IRQ,humanitarian,water,20,tank,IRQ,2015-01-01,2015-03-01,2,GREEN,COALITION\n"
            ));
        }
        csv
    };
    use coalesce_app::exchange::{start_import, ImportKind};
    let small = start_import(
        &st,
        &irq_p,
        ImportKind::Requirements,
        rows(2).into_bytes().into(),
        None,
    )
    .expect("started");
    st.jobs.wait(&small.id).await.expect("imported");
    let page = web
        .go(&mut irq, "GET", &format!("/import?job={}", small.id), None)
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.html.contains("Imported 2 records."), "{}", page.html);
    let theirs = web
        .go(&mut fra, "GET", &format!("/import?job={}", small.id), None)
        .await;
    assert_eq!(theirs.status, StatusCode::NOT_FOUND);
    assert!(theirs.html.contains("No such import"), "{}", theirs.html);

    // A large one, looked at at once: running (then cancelled from its
    // page), or already ended.
    let big = start_import(
        &st,
        &irq_p,
        ImportKind::Requirements,
        rows(20_000).into_bytes().into(),
        None,
    )
    .expect("started");
    let page = web
        .go(&mut irq, "GET", &format!("/import?job={}", big.id), None)
        .await;
    if page.html.contains("This page refreshes itself.") {
        assert!(
            page.html.contains("http-equiv=\"refresh\""),
            "{}",
            page.html
        );
        let action = format!("/import/jobs/{}/cancel", big.id);
        assert!(page.html.contains(&action), "{}", page.html);
        let c = post(&web, &mut irq, &action, &[]).await;
        assert_eq!(c.status, StatusCode::SEE_OTHER, "{}", c.html);
        assert_eq!(
            c.location.as_deref(),
            Some(format!("/import?job={}", big.id).as_str())
        );
    }
    let ended = st.jobs.wait(&big.id).await;
    let page = web
        .go(&mut irq, "GET", &format!("/import?job={}", big.id), None)
        .await;
    assert!(
        !page.html.contains("http-equiv=\"refresh\""),
        "ended: {}",
        page.html
    );
    match ended {
        Ok(_) => assert!(
            page.html.contains("Imported 20000 records.")
                || page.html.contains("Imported 20,000 records."),
            "{}",
            page.html
        ),
        Err(e) => assert!(
            page.html.contains("the import was cancelled after"),
            "{e:?}: {}",
            page.html
        ),
    }
}

/// A contribution is edited by its origin's writers from a form filled in
/// with it (its members, requirement and unit fixed), every error at once;
/// two editors at once get the merge choice; each save is a version.
#[tokio::test]
async fn a_contribution_is_edited_with_every_error_at_once_and_merged_after_a_conflict() {
    let web = Web::with_state(seeded_state().await);
    let (mut irq, mut gbr, mut gbr2, mut fra) = (
        web.login("irq").await,
        web.login("gbr").await,
        web.login("gbr").await,
        web.login("fra").await,
    );
    let r = post(
        &web,
        &mut irq,
        "/requirements",
        &[
            ("title", "Water trucks"),
            ("requesting_member", "IRQ"),
            ("line_of_effort", "humanitarian"),
            ("category", "water"),
            ("kind", "quantity"),
            ("amount", "20"),
            ("unit", "truck"),
            ("country", "IRQ"),
            ("town", "Ramadi"),
            ("start", "2016-01-01"),
            ("end", "2016-03-31"),
            ("priority", "2"),
            ("tlp", "GREEN"),
            ("rel_to", "COALITION"),
        ],
    )
    .await;
    let rid = id_from(&r.location, "/requirements/");
    let c = post(
        &web,
        &mut gbr,
        "/contributions",
        &[
            ("requirement_id", &rid),
            ("title", "Eight water trucks"),
            ("contributors", "GBR"),
            ("kind", "quantity"),
            ("amount", "8"),
            ("unit", "truck"),
            ("tlp", "GREEN"),
            ("rel_to", "COALITION"),
        ],
    )
    .await;
    assert_eq!(c.status, StatusCode::SEE_OTHER, "{}", c.html);
    let cid = id_from(&c.location, "/contributions/");
    let path = format!("/contributions/{cid}");
    let edit = format!("{path}/edit");
    // Only its origin's writers are offered the form.
    let seen_by_fra = web.go(&mut fra, "GET", &path, None).await;
    assert!(!seen_by_fra.html.contains(&edit), "not FRA's to edit");
    assert_eq!(
        web.go(&mut fra, "GET", &edit, None).await.status,
        StatusCode::FORBIDDEN
    );
    let page = web.go(&mut gbr, "GET", &path, None).await;
    assert!(page.html.contains(&edit), "GBR edits its own");

    let form = web.go(&mut gbr, "GET", &edit, None).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.html);
    let first = fields_of_form(&form.html, "/contributions/");
    let second = fields_of_form(
        &web.go(&mut gbr2, "GET", &edit, None).await.html,
        "/contributions/",
    );
    for want in [
        ("amount", "8"),
        ("if_version", "1"),
        ("contributors", "GBR"),
        ("unit", "truck"),
    ] {
        assert!(
            first.contains(&(want.0.into(), want.1.into())),
            "{want:?} in {first:?}"
        );
    }
    // Against a requirement: its place is the requirement's, left empty.
    assert!(first.contains(&("town".into(), String::new())), "{first:?}");
    assert!(
        !first.iter().any(|(n, _)| n == "line_of_effort"),
        "the requirement's"
    );

    // Every error at once, beside its field; nothing written.
    let mut bad = first.clone();
    set(&mut bad, "title", " ");
    set(&mut bad, "amount", "-3");
    set(&mut bad, "start", "2016-13-01");
    let refused = post(&web, &mut gbr, &path, &refs(&bad)).await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.html
    );
    for field in ["title", "amount", "start"] {
        assert!(
            refused.html.contains(&format!("id=\"{field}-error\"")),
            "{field}: {}",
            refused.html
        );
    }
    assert!(refused.html.contains("value=\" \""), "the values are kept");

    // The first saves 10 trucks: version 2.
    let mut mine = first.clone();
    set(&mut mine, "amount", "10");
    let saved = post(&web, &mut gbr, &path, &refs(&mine)).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.html);
    // The second, still at version 1, retitles: the merge choice.
    let mut theirs = second.clone();
    set(&mut theirs, "title", "Water trucks for Ramadi");
    let conflict = post(&web, &mut gbr2, &path, &refs(&theirs)).await;
    assert_eq!(conflict.status, StatusCode::CONFLICT, "{}", conflict.html);
    assert!(conflict.html.contains("Someone saved this contribution"));
    assert!(
        conflict
            .html
            .contains("name=\"take_theirs\" value=\"amount\""),
        "{}",
        conflict.html
    );
    assert!(conflict.html.contains("name=\"if_version\" value=\"2\""));
    let mut merged = fields_of_form(&conflict.html, "/contributions/");
    merged.push(("take_theirs".into(), "amount".into()));
    let done = post(&web, &mut gbr2, &path, &refs(&merged)).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.html);
    let now = web.go(&mut irq, "GET", &path, None).await;
    assert!(now.html.contains("Water trucks for Ramadi"), "{}", now.html);
    assert!(now.html.contains("10 truck"), "{}", now.html);
    let versions = web
        .go(&mut fra, "GET", &format!("{path}/versions"), None)
        .await;
    for want in ["8 truck", "10 truck", "Water trucks for Ramadi"] {
        assert!(versions.html.contains(want), "{want}: {}", versions.html);
    }
    // A form that does not say which version it was filled from is refused.
    let mut unversioned = merged.clone();
    unversioned.retain(|(n, _)| n != "if_version" && n != "take_theirs");
    let refused = post(&web, &mut gbr, &path, &refs(&unversioned)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
}

/// A reported value is changed by its origin's writers from a form filled
/// in with it, merged after a conflict, withdrawn out of the figures; its
/// versions stay readable to its audience.
#[tokio::test]
async fn a_reported_value_is_edited_merged_and_withdrawn() {
    let state = seeded_state().await;
    define_airstrikes(&state).await;
    let web = Web::with_state(state);
    let (mut gbr, mut gbr2, mut fra) = (
        web.login("gbr").await,
        web.login("gbr").await,
        web.login("fra").await,
    );
    let p = post(
        &web,
        &mut gbr,
        "/indicators/airstrikes/values",
        &[
            ("observed_on", "2015-01-22"),
            ("value", "2000.5"),
            ("note", "Nearly 2,000 airstrikes"),
            ("tlp", "GREEN"),
            ("rel_to", "COALITION"),
        ],
    )
    .await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.html);
    let page = web
        .go(&mut gbr, "GET", "/indicators/airstrikes", None)
        .await;
    let edit = page
        .html
        .split("href=\"/indicators/airstrikes/values/")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("an edit link for GBR's own value")
        .to_string();
    assert!(edit.ends_with("/edit"), "{edit}");
    let id = edit.trim_end_matches("/edit").to_string();
    let path = format!("/indicators/airstrikes/values/{id}");
    let edit = format!("{path}/edit");
    // FRA reads the value, is not offered its edit, is refused it.
    let seen = web
        .go(&mut fra, "GET", "/indicators/airstrikes", None)
        .await;
    assert!(seen.html.contains("Nearly 2,000") && !seen.html.contains(&edit));
    assert_eq!(
        web.go(&mut fra, "GET", &edit, None).await.status,
        StatusCode::FORBIDDEN
    );
    // Under another indicator's path, it is no value at all.
    assert_eq!(
        web.go(
            &mut gbr,
            "GET",
            &format!("/indicators/other/values/{id}/edit"),
            None
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );

    let first = fields_of_form(
        &web.go(&mut gbr, "GET", &edit, None).await.html,
        "/indicators/",
    );
    let second = fields_of_form(
        &web.go(&mut gbr2, "GET", &edit, None).await.html,
        "/indicators/",
    );
    assert!(
        first.contains(&("value".into(), "2000.5".into())),
        "{first:?}"
    );
    // Every error at once.
    let mut bad = first.clone();
    set(&mut bad, "value", "many");
    set(&mut bad, "observed_on", "2015-02-30");
    let refused = post(&web, &mut gbr, &path, &refs(&bad)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    for field in ["value", "observed_on"] {
        assert!(
            refused.html.contains(&format!("id=\"{field}-error\"")),
            "{field}"
        );
    }
    let mut mine = first.clone();
    set(&mut mine, "value", "2100");
    let saved = post(&web, &mut gbr, &path, &refs(&mine)).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.html);
    let mut theirs = second.clone();
    set(&mut theirs, "note", "CENTCOM figures");
    let conflict = post(&web, &mut gbr2, &path, &refs(&theirs)).await;
    assert_eq!(conflict.status, StatusCode::CONFLICT, "{}", conflict.html);
    assert!(conflict
        .html
        .contains("name=\"take_theirs\" value=\"value\""));
    let mut merged = fields_of_form(&conflict.html, "/indicators/");
    merged.push(("take_theirs".into(), "value".into()));
    let done = post(&web, &mut gbr2, &path, &refs(&merged)).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.html);
    let page = web
        .go(&mut fra, "GET", "/indicators/airstrikes", None)
        .await;
    assert!(
        page.html.contains("2,100 as of 2015-01-22"),
        "{}",
        page.html
    );
    assert!(page.html.contains("CENTCOM figures"), "{}", page.html);

    // Withdrawn: out of the figures; its three versions kept.
    let w = post(&web, &mut gbr, &format!("{path}/withdraw"), &[]).await;
    assert_eq!(w.status, StatusCode::SEE_OTHER, "{}", w.html);
    let page = web
        .go(&mut fra, "GET", "/indicators/airstrikes", None)
        .await;
    assert!(!page.html.contains("2,100"), "{}", page.html);
    let versions = web
        .go(&mut fra, "GET", &format!("{path}/versions"), None)
        .await;
    assert_eq!(versions.status, StatusCode::OK, "{}", versions.html);
    for want in [
        "2,000.50 airstrikes",
        "2,100 airstrikes",
        "CENTCOM figures",
        "withdrawn",
    ] {
        assert!(versions.html.contains(want), "{want}: {}", versions.html);
    }
}

/// A contribution saved from its edit form with its place untouched keeps
/// that place whole (the form has no field for its coordinates), and a
/// co-contributor who stood by it still does.
#[tokio::test]
async fn an_edit_that_leaves_the_place_keeps_its_coordinates_and_the_co_contributors() {
    use coalesce_domain::needs::{ContributionDraft, Coordinates, Measure, Place, Window};
    let state = seeded_state().await;
    let principal = |user: &str| {
        let store = state.store.clone();
        let user = user.to_string();
        async move {
            store
                .authenticate(&user, coalesce_store::testing::SEED_PASSWORD, "test")
                .await
                .expect("auth")
                .expect("user")
        }
    };
    let (gbr, usa) = (principal("gbr").await, principal("usa").await);
    let c = state
        .store
        .create_contribution(
            &gbr,
            &ContributionDraft::parse(
                "Field hospital",
                "",
                &["GBR".into(), "USA".into()],
                None,
                Some("humanitarian"),
                Some("humanitarian-supplies"),
                Measure::quantity(1, "hospital").expect("measure"),
                Some(
                    Place::parse(
                        "IRQ",
                        None,
                        Some("Erbil"),
                        Some(Coordinates::from_degrees(36.19, 44.01).expect("point")),
                    )
                    .expect("place"),
                ),
                Some(Window::parse("2015-02-01", "2015-03-31").expect("window")),
                coalesce_domain::Marking::parse("GREEN", &["COALITION".into()]).expect("marking"),
            )
            .expect("draft"),
        )
        .await
        .expect("pledge");
    state
        .store
        .confirm_co_contribution(&usa, &c.id)
        .await
        .expect("USA stands by it");
    let web = Web::with_state(state.clone());
    let mut jar = web.login("gbr").await;
    let path = format!("/contributions/{}", c.id);
    let mut form = fields_of_form(
        &web.go(&mut jar, "GET", &format!("{path}/edit"), None)
            .await
            .html,
        "/contributions/",
    );
    set(&mut form, "title", "Field hospital, Erbil");
    let saved = post(&web, &mut jar, &path, &refs(&form)).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.html);
    let now = state
        .store
        .get_contribution(&gbr, &c.id)
        .await
        .expect("read");
    assert_eq!(now.title, "Field hospital, Erbil");
    assert_eq!(
        now.place.and_then(|p| p.point).map(|p| p.lat_micro),
        Some(36_190_000),
        "the coordinates are kept"
    );
    assert_eq!(
        now.contributors,
        vec!["GBR", "USA"],
        "USA still stands by it"
    );
}

/// A coordinator defines an indicator and changes its definition through
/// the forms (issue 21): every error at once with the values kept, an
/// identifier that exists refused rather than redefined, the identifier
/// fixed on the edit form; a contributor is offered neither form and is
/// refused both.
#[tokio::test]
async fn a_coordinator_defines_an_indicator_and_changes_its_definition() {
    let web = Web::with_state(seeded_state().await);
    let (mut usa, mut gbr) = (web.login("usa").await, web.login("gbr").await);
    let list = web.go(&mut usa, "GET", "/indicators", None).await;
    assert!(
        list.html.contains("href=\"/indicators/new\""),
        "{}",
        list.html
    );
    let form = web.go(&mut usa, "GET", "/indicators/new", None).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.html);
    let blank = fields_of_form(&form.html, "/indicators");

    let mut bad = blank.clone();
    set(&mut bad, "slug", "Territory Held");
    set(&mut bad, "name", "");
    set(&mut bad, "unit", "km²");
    set(&mut bad, "baseline", "a lot");
    set(&mut bad, "targets", "end of 2016: 20000");
    let refused = post(&web, &mut usa, "/indicators", &refs(&bad)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    for field in ["slug", "name", "baseline", "targets"] {
        assert!(
            refused.html.contains(&format!("id=\"{field}-error\"")),
            "{field}: {}",
            refused.html
        );
    }
    assert!(refused.html.contains("value=\"a lot\""), "values kept");

    let mut good = blank.clone();
    set(&mut good, "slug", "territory-held");
    set(&mut good, "name", "Territory held by Daesh");
    set(&mut good, "unit", "km²");
    set(&mut good, "direction", "decrease");
    set(&mut good, "aggregation", "last");
    set(&mut good, "baseline", "55,000");
    set(&mut good, "baseline_date", "2014-08-08");
    set(&mut good, "targets", "2015-12-31 40000\n2016-12-31 20000");
    let saved = post(&web, &mut usa, "/indicators", &refs(&good)).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.html);
    assert_eq!(
        saved.location.as_deref(),
        Some("/indicators/territory-held")
    );
    // The same identifier again is refused, not a silent redefinition.
    let again = post(&web, &mut usa, "/indicators", &refs(&good)).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(again.html.contains("id=\"slug-error\""), "{}", again.html);

    let page = web
        .go(&mut gbr, "GET", "/indicators/territory-held", None)
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.html.contains("Territory held by Daesh"));
    assert!(!page.html.contains("/indicators/territory-held/edit"));
    assert_eq!(
        web.go(&mut gbr, "GET", "/indicators/territory-held/edit", None)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        post(&web, &mut gbr, "/indicators", &refs(&good))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        post(
            &web,
            &mut gbr,
            "/indicators/territory-held/edit",
            &refs(&good)
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );

    let edit = web
        .go(&mut usa, "GET", "/indicators/territory-held/edit", None)
        .await;
    assert_eq!(edit.status, StatusCode::OK, "{}", edit.html);
    let mut now = fields_of_form(&edit.html, "/indicators/territory-held/edit");
    assert!(
        now.contains(&("baseline".into(), "55000".into())),
        "{now:?}"
    );
    assert!(
        !now.iter().any(|(n, _)| n == "slug"),
        "the identifier is fixed"
    );
    // A target behind the baseline is refused beside the targets.
    set(&mut now, "targets", "2016-12-31 60000");
    let behind = post(
        &web,
        &mut usa,
        "/indicators/territory-held/edit",
        &refs(&now),
    )
    .await;
    assert_eq!(behind.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        behind.html.contains("id=\"targets-error\""),
        "{}",
        behind.html
    );
    set(&mut now, "targets", "2016-12-31 25000");
    set(&mut now, "name", "Territory held by ISIL");
    let changed = post(
        &web,
        &mut usa,
        "/indicators/territory-held/edit",
        &refs(&now),
    )
    .await;
    assert_eq!(changed.status, StatusCode::SEE_OTHER, "{}", changed.html);
    let page = web
        .go(&mut gbr, "GET", "/indicators/territory-held", None)
        .await;
    assert!(
        page.html.contains("Territory held by ISIL"),
        "{}",
        page.html
    );
    assert!(
        page.html.contains("25,000") || page.html.contains("25000"),
        "{}",
        page.html
    );
}
