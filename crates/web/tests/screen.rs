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
    let csrf = gbr.form_token().expect("csrf");
    let page = web.go(&mut gbr, "GET", "/screen", None).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.html);
    assert!(page.html.contains("<a href=\"/screen\">Screening</a>"));
    assert!(page.html.contains("<label for=\"name\">"));
    assert!(page.html.contains("<label for=\"csv\">"));
    assert!(
        page.html
            .contains("<th scope=\"row\">UN <span class=\"tag\">in use</span></th>")
            && page.html.contains("<td>2030-01-15</td>"),
        "loaded list shown"
    );

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
    let usa_csrf = usa.form_token().expect("csrf");
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
    let v_csrf = viewer.form_token().expect("csrf");
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
    let csrf = gbr.form_token().expect("csrf");
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
async fn batches_are_screened_from_an_uploaded_file() {
    let web = web(true).await;
    let mut gbr = web.login("gbr").await;
    let csrf = gbr.form_token().expect("csrf");
    let page = web.go(&mut gbr, "GET", "/screen", None).await;
    assert!(page.html.contains("enctype=\"multipart/form-data\""));
    assert!(page
        .html
        .contains("<input type=\"file\" id=\"file\" name=\"file\""));
    // A file as a spreadsheet saves it: with a byte-order mark and CRLF.
    let file = format!(
        "\u{feff}id,name,birth_date\r\nP-1,{PARTY},1970-05-04\r\nP-2,Jane Quietly Unlisted,\r\n"
    );
    let r = web
        .upload(
            &mut gbr,
            "/screen/batch",
            &[("csrf", &csrf), ("csv", "")],
            &[("file", "parties.csv", file.as_bytes())],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.html);
    assert!(r.html.contains("2 parties screened"), "{}", r.html);
    assert!(r.html.contains("un:QDi.901"));
    // Its results as a file.
    let out = web
        .upload(
            &mut gbr,
            "/screen/batch.csv",
            &[("csrf", &csrf)],
            &[("file", "parties.csv", file.as_bytes())],
        )
        .await;
    assert_eq!(out.status, StatusCode::OK);
    assert!(
        out.html.lines().skip(1).all(|l| l.starts_with("P-1,")),
        "{}",
        out.html
    );
    // Not UTF-8, nothing at all, or a forged token: refused with a reason.
    let latin1: &[u8] = b"name\nJos\xe9 Mart\xednez\n";
    let r = web
        .upload(
            &mut gbr,
            "/screen/batch",
            &[("csrf", &csrf)],
            &[("file", "p.csv", latin1)],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.html.contains("not UTF-8") && r.html.contains("<h1>Sanctions screening</h1>"),
        "{}",
        r.html
    );
    let r = web
        .upload(
            &mut gbr,
            "/screen/batch",
            &[("csrf", &csrf), ("csv", " ")],
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.html.contains("choose a CSV file"), "{}", r.html);
    let r = web
        .upload(
            &mut gbr,
            "/screen/batch",
            &[("csrf", "forged-token-value")],
            &[("file", "parties.csv", file.as_bytes())],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn without_lists_the_page_says_so() {
    let web = web(false).await;
    let mut gbr = web.login("gbr").await;
    let csrf = gbr.form_token().expect("csrf");
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

/// A report's, an entity's and a contribution's pages screen their parties;
/// a decision recorded there goes back to the page; the parties of a
/// contribution are kept through its forms; the lists say what changed.
#[tokio::test]
async fn record_pages_screen_their_parties_and_lists_show_their_changes() {
    let mut state = seeded_state().await;
    // Two versions of the list: in the second, QDi.901 changed.
    let first = Arc::new(coalesce_screen::Screener::new(vec![
        coalesce_screen::parse_un_xml(UN_XML).expect("fixture"),
    ]));
    coalesce_api::screening::record_versions(&state.store, &first)
        .await
        .expect("record");
    let second = Arc::new(coalesce_screen::Screener::new(vec![
        coalesce_screen::parse_un_xml(&UN_XML.replace(
            "<LISTED_ON>2030-01-01</LISTED_ON>",
            "<LISTED_ON>2030-02-01</LISTED_ON>",
        ))
        .expect("fixture"),
    ]));
    coalesce_api::screening::record_versions(&state.store, &second)
        .await
        .expect("record");
    state = state.with_screener(second.clone());
    let store = state.store.clone();
    let jobs = state.jobs.clone();
    let web = Web::with_state(state);
    let mut gbr = web.login("gbr").await;
    let mut fra = web.login("fra").await;
    let csrf = gbr.form_token().expect("csrf");

    // The screening page lists both versions; the newer says what changed.
    let page = web.go(&mut gbr, "GET", "/screen", None).await;
    assert!(
        page.html.contains("0 added, 0 removed, 1 changed"),
        "{}",
        page.html
    );
    assert!(page.html.contains("first version loaded"));
    let link = page
        .html
        .split("<a href=\"/screen/lists/")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("link to the changes")
        .to_string();
    let changes = web
        .go(&mut gbr, "GET", &format!("/screen/lists/{link}"), None)
        .await;
    assert_eq!(changes.status, StatusCode::OK);
    assert!(
        changes.html.contains("<th scope=\"row\">QDi.901</th>"),
        "{}",
        changes.html
    );
    assert!(changes.html.contains("Changed (1)") && changes.html.contains("Added (0)"));
    let nope = web
        .go(&mut gbr, "GET", "/screen/lists/nonsense", None)
        .await;
    assert_eq!(nope.status, StatusCode::NOT_FOUND);

    // GBR pledges generators with a supplier and, as carrier, the listed man.
    let r = web
        .go(
            &mut gbr,
            "POST",
            "/contributions",
            Some(&[
                ("csrf", &csrf),
                ("title", "Generators for Tikrit"),
                ("contributors", "GBR"),
                ("line_of_effort", "humanitarian"),
                ("category", "protective-equipment"),
                ("kind", "quantity"),
                ("amount", "4"),
                ("unit", "unit"),
                ("country", "IRQ"),
                ("town", "Tikrit"),
                ("start", "2015-05-01"),
                ("end", "2015-06-30"),
                ("tlp", "GREEN"),
                ("rel_to", "USA"),
                ("party1_role", "supplier"),
                ("party1_kind", "organisation"),
                ("party1_name", "Tikrit Power Supplies"),
                ("party1_country", "IRQ"),
                ("party2_role", "carrier"),
                ("party2_kind", "person"),
                ("party2_name", PARTY),
                ("party2_country", ""),
            ]),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.html);
    let path = r.location.expect("location");
    let cid = path.trim_start_matches("/contributions/").to_string();
    let page = web.go(&mut gbr, "GET", &path, None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.html.contains("<h2 id=\"parties\">Parties</h2>"));
    assert!(page.html.contains("Tikrit Power Supplies"));
    assert!(page
        .html
        .contains("<h2 id=\"screening-h\">Sanctions screening</h2>"));
    assert!(
        page.html.contains("un:QDi.901") && page.html.contains("Alert: review"),
        "{}",
        page.html
    );
    // (minijinja escapes "/" in attribute values; browsers send it back as "/")
    assert!(page.html.contains(&format!(
        "name=\"back\" value=\"&#x2f;contributions&#x2f;{cid}\""
    )));
    // The node rescreens open records after the update (a node job): the
    // screening page of any member says it ran.
    let job = coalesce_api::screening::start_rescreen(&jobs, store.clone(), second.clone(), |_| {})
        .expect("started");
    let result = jobs.wait(&job.id).await.expect("rescreened");
    assert_eq!(result, "rescreened after the un update");
    let page = web.go(&mut fra, "GET", "/screen", None).await;
    assert!(
        page.html
            .contains("were rescreened after the last list update"),
        "{}",
        page.html
    );
    // A false positive recorded there returns to the page, where it shows.
    let r = web
        .go(
            &mut gbr,
            "POST",
            "/screen/decisions",
            Some(&[
                ("csrf", &csrf),
                ("party", PARTY),
                ("entity_id", "un:QDi.901"),
                ("decision", "false_positive"),
                ("reason", "Our haulier, born 1988"),
                ("back", &path),
            ]),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.html);
    assert_eq!(
        r.location.as_deref(),
        Some(format!("{path}#screening").as_str())
    );
    let page = web.go(&mut gbr, "GET", &path, None).await;
    assert!(
        page.html.contains("suppressed: not alerted again"),
        "{}",
        page.html
    );
    // A "back" off this site is not followed.
    let r = web
        .go(
            &mut gbr,
            "POST",
            "/screen/decisions",
            Some(&[
                ("csrf", &csrf),
                ("party", PARTY),
                ("entity_id", "un:QDi.902"),
                ("decision", "false_positive"),
                ("reason", "r"),
                ("back", "//evil.example/x"),
            ]),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    // The parties are changed through the page's form (a new version).
    let r = web
        .go(
            &mut gbr,
            "POST",
            &format!("/contributions/{cid}/parties"),
            Some(&[
                ("csrf", &csrf),
                ("version", "1"),
                ("party1_role", "consignee"),
                ("party1_kind", "organisation"),
                ("party1_name", "Salah ad-Din Electricity Directorate"),
                ("party2_name", ""),
            ]),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.html);
    let c = store
        .get_contribution(
            &store
                .authenticate("gbr", coalesce_store::testing::SEED_PASSWORD, "t")
                .await
                .expect("auth")
                .expect("user"),
            &cid,
        )
        .await
        .expect("contribution");
    assert_eq!(c.version, 2);
    assert_eq!(c.parties.len(), 1);
    assert_eq!(c.parties[0].name, "Salah ad-Din Electricity Directorate");
    let bad = web
        .go(
            &mut gbr,
            "POST",
            &format!("/contributions/{cid}/parties"),
            Some(&[
                ("csrf", &csrf),
                ("party1_role", "spy"),
                ("party1_kind", "person"),
                ("party1_name", "X"),
            ]),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.html.contains("role &quot;spy&quot;"), "{}", bad.html);
    // FRA may not read the contribution: no page, no screening.
    let page = web.go(&mut fra, "GET", &path, None).await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);

    // A financing report about the listed man: its page and the entity's screen him.
    let p = store
        .authenticate("gbr", coalesce_store::testing::SEED_PASSWORD, "t")
        .await
        .expect("auth")
        .expect("user");
    let m = coalesce_domain::Marking::parse("AMBER", &["USA".to_string()]).expect("marking");
    let buyer = coalesce_domain::reports::EntityDraft::parse(
        "person",
        "Mohamed Yousef Abdelkarim Testari",
        &[],
        Some("1970-05-04"),
        Some("IRQ"),
        &[],
        None,
        None,
        None,
        m.clone(),
    )
    .expect("entity");
    let report = coalesce_domain::reports::ReportDraft::parse(
        "financing",
        "Crude sold at Tal Abyad",
        "",
        None,
        None,
        m,
        &[],
    )
    .expect("report");
    let report = store
        .create_report_with_entities(
            &p,
            &report,
            &[(buyer, "buyer".into())],
            coalesce_store::now_ms(),
        )
        .await
        .expect("report");
    let page = web
        .go(&mut gbr, "GET", &format!("/reports/{}", report.id), None)
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.html);
    assert!(
        page.html.contains("Sanctions screening") && page.html.contains("un:QDi.901"),
        "{}",
        page.html
    );
    assert!(page.html.contains(
        "buyer: <span dir=\"auto\">Mohamed Yousef Abdelkarim Testari</span>, born 1970-05-04, IRQ"
    ));
    let entity = &report.entities[0].entity_id;
    let page = web
        .go(&mut gbr, "GET", &format!("/entities/{entity}"), None)
        .await;
    assert!(
        page.html.contains("un:QDi.901") && page.html.contains("birth_date +"),
        "{}",
        page.html
    );
    assert_eq!(
        web.go(&mut fra, "GET", &format!("/reports/{}", report.id), None)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}
