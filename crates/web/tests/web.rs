//! The web interface through the router: login with CSRF, pages, marking
//! banners, releasability on pages, forms.

mod common;

use axum::http::StatusCode;
use coalesce_store::testing::SEED_PASSWORD;
use common::{seeded_state, Jar, Web};

#[tokio::test]
async fn login_needs_the_csrf_token_and_sets_a_strict_http_only_session() {
    let web = Web::with_state(seeded_state().await);
    let mut jar = Jar::default();
    let anon = web.go(&mut jar, "GET", "/", None).await;
    assert_eq!(anon.status, StatusCode::SEE_OTHER);
    assert_eq!(anon.location.as_deref(), Some("/login"));

    let form = web.go(&mut jar, "GET", "/login", None).await;
    assert!(
        form.html.contains("<label for=\"username\">"),
        "labelled inputs"
    );
    let csrf = jar.form_token().expect("csrf cookie");
    assert!(form.html.contains(&csrf));

    let forged = web
        .go(
            &mut jar,
            "POST",
            "/login",
            Some(&[
                ("username", "usa"),
                ("password", SEED_PASSWORD),
                ("csrf", "forged-token-value"),
            ]),
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert!(jar.get("coalesce_session").is_none());

    let wrong = web
        .go(
            &mut jar,
            "POST",
            "/login",
            Some(&[
                ("username", "usa"),
                ("password", "not the password"),
                ("csrf", &csrf),
            ]),
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert!(wrong.html.contains("Wrong username or password."));

    let ok = web
        .go(
            &mut jar,
            "POST",
            "/login",
            Some(&[
                ("username", "usa"),
                ("password", SEED_PASSWORD),
                ("csrf", &csrf),
            ]),
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    let session = ok
        .cookies
        .iter()
        .find(|c| c.starts_with("coalesce_session="))
        .expect("session cookie");
    assert!(session.contains("HttpOnly") && session.contains("SameSite=Strict"));

    let home = web.go(&mut jar, "GET", "/", None).await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(home.html.contains("The coalition at a glance"));
    assert!(
        home.html.contains("<main id=\"main\">") && home.html.contains("<nav aria-label=\"Main\">")
    );

    // Once logged in, forms carry the session's token: the pre-login
    // cookie's value, and another session's token with its cookie, are
    // refused.
    assert!(home.html.contains(&jar.form_token().expect("token")));
    assert!(!home.html.contains(&csrf));
    let bad_logout = web
        .go(&mut jar, "POST", "/logout", Some(&[("csrf", &csrf)]))
        .await;
    assert_eq!(bad_logout.status, StatusCode::FORBIDDEN);
    let other = web.login("gbr").await;
    let mut mixed = Jar::default();
    mixed.absorb(&[
        format!(
            "coalesce_session={}",
            jar.get("coalesce_session").expect("session")
        ),
        format!(
            "coalesce_csrf={}",
            other.get("coalesce_csrf").expect("cookie")
        ),
    ]);
    let stolen = other.form_token().expect("other token");
    let r = web
        .go(&mut mixed, "POST", "/logout", Some(&[("csrf", &stolen)]))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "another session's pair");
    let csrf = jar.form_token().expect("token");
    let bad_logout = web
        .go(&mut jar, "POST", "/logout", Some(&[("csrf", "x")]))
        .await;
    assert_eq!(bad_logout.status, StatusCode::FORBIDDEN);
    let out = web
        .go(&mut jar, "POST", "/logout", Some(&[("csrf", &csrf)]))
        .await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    assert_eq!(
        web.go(&mut jar, "GET", "/", None).await.status,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn pages_show_the_registry_and_only_releasable_notes_with_banners() {
    let web = Web::with_state(seeded_state().await);
    let mut usa = web.login("usa").await;
    let mut fra = web.login("fra").await;
    let mut gbr = web.login("gbr").await;
    for (path, needle) in [
        ("/members", "IRQ"),
        ("/members/IRQ", "partner"),
        ("/groups", "Small group"),
        ("/groups/small-group", "GROUP:small-group"),
        ("/lines-of-effort", "Addressing humanitarian crises"),
    ] {
        let p = web.go(&mut fra, "GET", path, None).await;
        assert_eq!(p.status, StatusCode::OK, "{path}");
        assert!(p.html.contains(needle), "{path} lacks {needle}");
    }

    // Share a note through the form, marked REL TO GBR, with Arabic text.
    let new = web.go(&mut usa, "GET", "/notes/new", None).await;
    assert!(new.html.contains("name=\"csrf\""));
    let csrf = usa.form_token().expect("csrf");
    let created = web
        .go(
            &mut usa,
            "POST",
            "/notes",
            Some(&[
                ("csrf", &csrf),
                ("title", "Amerli <b>airdrop</b>"),
                ("body", "الدولة الإسلامية"),
                ("tlp", "AMBER"),
                ("rel_to", "gbr"),
                ("group", ""),
            ]),
        )
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.html);
    let path = created.location.expect("location");

    let page = web.go(&mut gbr, "GET", &path, None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(
        page.html.matches("TLP:AMBER REL TO GBR, USA").count(),
        2,
        "banner at top and bottom"
    );
    assert!(
        page.html.contains("Amerli &lt;b&gt;airdrop&lt;&#x2f;b&gt;")
            || page.html.contains("Amerli &lt;b&gt;airdrop&lt;/b&gt;"),
        "escaped"
    );
    assert!(page.html.contains("dir=\"auto\">الدولة الإسلامية"));
    assert!(
        !page.html.contains("/edit\">Edit"),
        "GBR cannot edit a USA note"
    );

    let hidden = web.go(&mut fra, "GET", &path, None).await;
    assert_eq!(hidden.status, StatusCode::NOT_FOUND);
    assert!(!hidden.html.contains("airdrop"));
    let fra_list = web.go(&mut fra, "GET", "/notes", None).await;
    assert!(!fra_list.html.contains("airdrop"));
    assert!(fra_list.html.contains("0 notes releasable to FRA"));
    let gbr_list = web.go(&mut gbr, "GET", "/notes", None).await;
    assert!(gbr_list.html.contains("1 note releasable to GBR"));

    // A bad marking re-shows the form with the reason; nothing written.
    let bad = web
        .go(
            &mut usa,
            "POST",
            "/notes",
            Some(&[
                ("csrf", &csrf),
                ("title", "x"),
                ("body", ""),
                ("tlp", "PURPLE"),
                ("rel_to", ""),
                ("group", ""),
            ]),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.html.contains("invalid TLP level"));
    // A form without the CSRF token is refused.
    let forged = web
        .go(
            &mut usa,
            "POST",
            "/notes",
            Some(&[("csrf", ""), ("title", "x"), ("tlp", "RED")]),
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let usa_list = web.go(&mut usa, "GET", "/notes", None).await;
    assert!(usa_list.html.contains("1 note releasable to USA"));

    // Edit makes version 2, visible on the versions page.
    let edit = web.go(&mut usa, "GET", &format!("{path}/edit"), None).await;
    assert_eq!(edit.status, StatusCode::OK);
    let saved = web
        .go(
            &mut usa,
            "POST",
            &path,
            Some(&[
                ("csrf", &csrf),
                ("title", "Amerli revised"),
                ("body", "b"),
                ("tlp", "AMBER"),
                ("rel_to", "GBR, FRA"),
                ("group", ""),
                ("if_version", "1"),
            ]),
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.html);
    let versions = web
        .go(&mut fra, "GET", &format!("{path}/versions"), None)
        .await;
    assert_eq!(versions.status, StatusCode::OK);
    assert!(versions.html.contains("Amerli revised"));
    assert!(
        !versions.html.contains("airdrop"),
        "FRA was not in version 1's audience"
    );
}

/// REL TO as chips: the form offers the coalition, every group and every
/// other member as checkboxes of one field; the ticked ones and the codes
/// typed in the box beside them make one audience, and a refused form
/// keeps them ticked.
#[tokio::test]
async fn rel_to_chips_tick_real_audiences_and_join_the_typed_codes() {
    let web = Web::with_state(seeded_state().await);
    let mut usa = web.login("usa").await;
    let mut gbr = web.login("gbr").await;
    let mut fra = web.login("fra").await;
    let form = web.go(&mut usa, "GET", "/notes/new", None).await;
    for chip in [
        "name=\"rel_to\" value=\"COALITION\"",
        "name=\"rel_to\" value=\"GROUP:small-group\"",
        "name=\"rel_to\" value=\"GBR\"",
    ] {
        assert!(form.html.contains(chip), "{chip} offered: {}", form.html);
    }
    assert!(
        !form.html.contains("name=\"rel_to\" value=\"USA\""),
        "the writer's own member is always in the audience, not a choice"
    );
    let csrf = usa.form_token().expect("csrf");
    let created = web
        .go(
            &mut usa,
            "POST",
            "/notes",
            Some(&[
                ("csrf", &csrf),
                ("title", "Chips"),
                ("body", "ticked"),
                ("tlp", "AMBER"),
                ("rel_to", "GBR"),
                ("rel_to", "irq"),
                ("group", ""),
            ]),
        )
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.html);
    let path = created.location.expect("location");
    let page = web.go(&mut gbr, "GET", &path, None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.html.contains("TLP:AMBER REL TO GBR, IRQ, USA"),
        "{}",
        page.html
    );
    assert_eq!(
        web.go(&mut fra, "GET", &path, None).await.status,
        StatusCode::NOT_FOUND
    );
    // A refused form shows the ticked chips ticked and the unknown code
    // in the box, beside its error.
    let csrf = usa.form_token().expect("csrf");
    let bad = web
        .go(
            &mut usa,
            "POST",
            "/contacts",
            Some(&[
                ("csrf", &csrf),
                ("tlp", "AMBER"),
                ("rel_to", "GROUP:small-group"),
                ("rel_to", "ZZZ"),
            ]),
        )
        .await;
    assert!(bad.status.is_client_error(), "{}", bad.html);
    assert!(
        bad.html
            .contains("name=\"rel_to\" value=\"GROUP:small-group\" checked"),
        "{}",
        bad.html
    );
    assert!(bad.html.contains("value=\"ZZZ\""), "{}", bad.html);
}
