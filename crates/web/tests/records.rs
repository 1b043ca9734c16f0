//! The pages every kind of the record layer gets, shown with points of
//! contact: record one through the form (CSRF, marking), read it inside its
//! audience only, change it (a stale form is refused), see its versions,
//! withdraw it. SQLite by default, PostgreSQL when COALESCE_TEST_POSTGRES is set.

mod common;

use axum::http::StatusCode;
use common::{seeded_state, Web};

#[tokio::test]
async fn a_point_of_contact_through_its_pages() {
    let web = Web::with_state(seeded_state().await);
    let mut gbr = web.login("gbr").await;
    let mut fra = web.login("fra").await;
    let mut usa = web.login("usa").await;
    let form = web.go(&mut gbr, "GET", "/contacts/new", None).await;
    assert_eq!(form.status, StatusCode::OK);
    for field in [
        "name=\"name\"",
        "name=\"role\"",
        "name=\"email\"",
        "name=\"phone\"",
        "name=\"rel_to\"",
    ] {
        assert!(form.html.contains(field), "{field} missing from the form");
    }
    let csrf = gbr.form_token().expect("csrf");
    // Without the form's token: refused, nothing recorded.
    let forged = web
        .go(
            &mut gbr,
            "POST",
            "/contacts",
            Some(&[
                ("csrf", "forged"),
                ("name", "X"),
                ("role", "Y"),
                ("email", "x@y.org"),
                ("tlp", "GREEN"),
                ("rel_to", ""),
            ]),
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    // A bad address: the form again, with the error, nothing recorded.
    let bad = web
        .go(
            &mut gbr,
            "POST",
            "/contacts",
            Some(&[
                ("csrf", &csrf),
                ("name", "Jane Doe"),
                ("role", "Desk officer"),
                ("email", "jane"),
                ("phone", ""),
                ("tlp", "AMBER"),
                ("rel_to", "usa"),
            ]),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.html);
    assert!(bad.html.contains("email"));
    assert!(
        bad.html.contains("value=\"Jane Doe\""),
        "the form keeps what was typed"
    );
    let created = web
        .go(
            &mut gbr,
            "POST",
            "/contacts",
            Some(&[
                ("csrf", &csrf),
                ("name", "Jane Doe"),
                ("role", "Desk officer"),
                ("email", "jane@fco.example.org"),
                ("phone", ""),
                ("tlp", "AMBER"),
                ("rel_to", "usa"),
            ]),
        )
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.html);
    let path = created.location.expect("location");
    let page = web.go(&mut usa, "GET", &path, None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.html.contains("Jane Doe") && page.html.contains("jane@fco.example.org"));
    assert_eq!(
        page.html.matches("TLP:AMBER REL TO GBR, USA").count(),
        2,
        "banner at top and bottom"
    );
    assert!(
        !page.html.contains("/withdraw"),
        "only the origin's users withdraw"
    );
    let list = web.go(&mut usa, "GET", "/contacts", None).await;
    assert!(list.html.contains("Jane Doe") && list.html.contains("1 releasable to USA"));
    // Outside the audience: not found, not listed.
    assert_eq!(
        web.go(&mut fra, "GET", &path, None).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        web.go(&mut fra, "GET", &format!("{path}/versions"), None)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let list = web.go(&mut fra, "GET", "/contacts", None).await;
    assert!(!list.html.contains("Jane Doe") && list.html.contains("0 releasable to FRA"));

    // Change it: released to FRA too; a second submit of the same (now
    // stale) form is refused.
    let edit = web.go(&mut gbr, "GET", &format!("{path}/edit"), None).await;
    assert!(edit.html.contains("name=\"if_version\" value=\"1\""));
    let change = [
        ("csrf", csrf.as_str()),
        ("if_version", "1"),
        ("name", "Jane Doe"),
        ("role", "Head of desk"),
        ("email", "jane@fco.example.org"),
        ("phone", "+44 20 7946 0000"),
        ("tlp", "AMBER"),
        ("rel_to", "usa fra"),
    ];
    let changed = web.go(&mut gbr, "POST", &path, Some(&change)).await;
    assert_eq!(changed.status, StatusCode::SEE_OTHER, "{}", changed.html);
    let stale = web.go(&mut gbr, "POST", &path, Some(&change)).await;
    assert_eq!(stale.status, StatusCode::CONFLICT, "{}", stale.html);
    let page = web.go(&mut fra, "GET", &path, None).await;
    assert!(page.html.contains("Head of desk"));
    let versions = web
        .go(&mut usa, "GET", &format!("{path}/versions"), None)
        .await;
    assert!(versions.html.contains("Desk officer") && versions.html.contains("Head of desk"));
    // FRA sees only the version released to it.
    let versions = web
        .go(&mut fra, "GET", &format!("{path}/versions"), None)
        .await;
    assert!(!versions.html.contains("Desk officer") && versions.html.contains("Head of desk"));

    // Withdraw: gone from lists, the page says so, no more changes.
    let own = web.go(&mut gbr, "GET", &path, None).await;
    assert!(own.html.contains("/withdraw"));
    let gone = web
        .go(
            &mut gbr,
            "POST",
            &format!("{path}/withdraw"),
            Some(&[("csrf", &csrf), ("if_version", "2")]),
        )
        .await;
    assert_eq!(gone.status, StatusCode::SEE_OTHER, "{}", gone.html);
    let list = web.go(&mut usa, "GET", "/contacts", None).await;
    assert!(!list.html.contains("Jane Doe"));
    let page = web.go(&mut usa, "GET", &path, None).await;
    assert!(page.html.contains("withdrawn"));
    let again = web
        .go(
            &mut gbr,
            "POST",
            &path,
            Some(&[
                ("csrf", &csrf),
                ("if_version", "3"),
                ("name", "Back"),
                ("role", "x"),
                ("email", "x@y.org"),
                ("tlp", "AMBER"),
                ("rel_to", ""),
            ]),
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
}

/// Where a record comes from is on its page (issue 22): the quoted
/// document, history from outside the documents without quotation marks,
/// the illustrative label; and the page of a member or group of the
/// registry likewise.
#[tokio::test]
async fn a_record_page_shows_its_source_and_illustrative_label() {
    use coalesce_domain::note::NoteDraft;
    use coalesce_domain::source::{Citation, Source, Subject};
    use coalesce_domain::Marking;
    let state = seeded_state().await;
    let web = Web::with_state(state.clone());
    let mut gbr = web.login("gbr").await;
    let token = gbr.get("coalesce_session").expect("session");
    let p = state
        .store
        .principal_for_token(&token)
        .await
        .expect("lookup")
        .expect("principal");
    let draft = NoteDraft::parse(
        "Wales",
        "No time to waste.",
        Marking::parse("GREEN", &["COALITION".to_string()]).expect("marking"),
        None,
    )
    .expect("draft");
    let note = state.store.create_note(&p, &draft).await.expect("note");
    let source = Source::parse(
        &[
            Citation {
                document: "DoD News, 5 September 2014 (seed document 000)".into(),
                quote: "there is no time to waste".into(),
                seed: true,
            },
            Citation {
                document: "Jeddah Communiqué".into(),
                quote: "Ten states agreed to join.".into(),
                seed: false,
            },
        ],
        Some("The audience is the demo's."),
    )
    .expect("source");
    let page = web
        .go(&mut gbr, "GET", &format!("/notes/{}", note.id), None)
        .await;
    assert!(!page.html.contains("aria-label=\"Source\""));
    state
        .store
        .set_source(Some(&p), &Subject::Record(note.id.clone()), &source)
        .await
        .expect("cite");
    let page = web
        .go(&mut gbr, "GET", &format!("/notes/{}", note.id), None)
        .await;
    assert!(page.html.contains("aria-label=\"Source\""), "{}", page.html);
    assert!(page.html.contains("<span class=\"label-illustrative\">Illustrative</span> The audience is the demo&#x27;s."), "{}", page.html);
    assert!(page.html.contains("<q>there is no time to waste</q>"));
    assert!(page
        .html
        .contains("Outside the documents:</span> Jeddah Communiqué — Ten states agreed to join."));
    state
        .store
        .set_source(None, &Subject::Member("FRA".into()), &source)
        .await
        .expect("cite a member");
    let member = web.go(&mut gbr, "GET", "/members/FRA", None).await;
    assert!(member.html.contains("<q>there is no time to waste</q>"));
}

/// The operator's page of the node and its peers (issue 15):
/// administrators only; adding a peer through the form (CSRF checked)
/// shows its credential once; pausing through its button.
#[tokio::test]
async fn the_node_and_peers_page_is_the_administrators() {
    let state = seeded_state().await;
    let web = Web::with_state(state.clone());
    let mut gbr = web.login("gbr").await;
    assert_eq!(
        web.go(&mut gbr, "GET", "/peers", None).await.status,
        StatusCode::FORBIDDEN
    );
    let mut admin = web.login("admin").await;
    let page = web.go(&mut admin, "GET", "/peers", None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.html.contains("No peers yet"), "{}", page.html);
    let key = coalesce_federation::NodeKey::from_seed([4; 32])
        .public()
        .to_text();
    let forged = web
        .go(
            &mut admin,
            "POST",
            "/peers",
            Some(&[
                ("csrf", "forged"),
                ("name", "paris"),
                ("url", "https://x.example"),
                ("member", "FRA"),
                ("key", &key),
            ]),
        )
        .await;
    assert_ne!(forged.status, StatusCode::CREATED);
    assert!(state.store.peers().await.expect("peers").is_empty());
    let csrf = admin.form_token().expect("csrf");
    let bad = web
        .go(
            &mut admin,
            "POST",
            "/peers",
            Some(&[
                ("csrf", &csrf),
                ("name", "paris"),
                ("url", "https://x.example"),
                ("member", "FRA"),
                ("key", "ed25519:nope"),
            ]),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.html.contains("invalid public key"), "{}", bad.html);
    assert!(bad.html.contains("value=\"paris\""), "values kept");
    let csrf = admin.form_token().expect("csrf");
    let added = web
        .go(
            &mut admin,
            "POST",
            "/peers",
            Some(&[
                ("csrf", &csrf),
                ("name", "paris"),
                ("url", "https://x.example"),
                ("member", "FRA"),
                ("key", &key),
            ]),
        )
        .await;
    assert_eq!(added.status, StatusCode::CREATED, "{}", added.html);
    assert!(added.html.contains("shown <strong>once</strong>"));
    assert!(added.html.contains("paris"));
    let csrf = admin.form_token().expect("csrf");
    let paused = web
        .go(
            &mut admin,
            "POST",
            "/peers/paris/pause",
            Some(&[("csrf", &csrf)]),
        )
        .await;
    assert_eq!(paused.status, StatusCode::SEE_OTHER);
    assert!(state.store.peer("paris").await.expect("peer").paused);
    // Relay on, and the peer's new key after it rotated.
    let page = web.go(&mut admin, "GET", "/peers", None).await;
    let csrf = admin.form_token().expect("csrf");
    assert!(page.html.contains("Relay on"), "{}", page.html);
    let relay = web
        .go(
            &mut admin,
            "POST",
            "/peers/paris/relay-on",
            Some(&[("csrf", &csrf)]),
        )
        .await;
    assert_eq!(relay.status, StatusCode::SEE_OTHER);
    let rotated = coalesce_federation::NodeKey::from_seed([8; 32])
        .public()
        .to_text();
    let csrf = admin.form_token().expect("csrf");
    let set = web
        .go(
            &mut admin,
            "POST",
            "/peers/paris/key",
            Some(&[("csrf", &csrf), ("key", &rotated)]),
        )
        .await;
    assert_eq!(set.status, StatusCode::SEE_OTHER);
    let peer = state.store.peer("paris").await.expect("peer");
    assert!(peer.relay);
    assert_eq!(peer.public_key, rotated);
    assert_eq!(peer.retired_keys, vec![key.clone()]);
    let page = web.go(&mut admin, "GET", "/peers", None).await;
    assert!(
        page.html.contains("Relay off") && page.html.contains("Retired keys"),
        "{}",
        page.html
    );
    let csrf = admin.form_token().expect("csrf");
    let bad = web
        .go(
            &mut admin,
            "POST",
            "/peers/paris/key",
            Some(&[("csrf", &csrf), ("key", "ed25519:nope")]),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.html);
    assert_eq!(
        state.store.peer("paris").await.expect("peer").public_key,
        rotated,
        "a bad key changes nothing"
    );
}
