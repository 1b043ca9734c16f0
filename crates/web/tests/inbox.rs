//! The desk officer's pages (issue 21): the home page as an inbox of what
//! waits for the member, the requirements list, the administrator's
//! console (users, lockouts, audit log) and error pages for unknown
//! addresses. Through the router, with the forms' CSRF tokens; SQLite by
//! default, PostgreSQL with COALESCE_TEST_POSTGRES.

mod common;

use axum::http::StatusCode;
use common::{seeded_state, Jar, Web};

async fn post(web: &Web, jar: &mut Jar, path: &str, fields: &[(&str, &str)]) -> common::Page {
    let token = jar.form_token().expect("csrf cookie");
    let mut all: Vec<(&str, &str)> = vec![("csrf", token.as_str())];
    all.extend_from_slice(fields);
    web.go(jar, "POST", path, Some(&all)).await
}

/// The inbox section of a home page, as text.
fn inbox(html: &str) -> String {
    let start = html.find("class=\"inbox\"").expect("inbox section");
    let end = html[start..].find("</section>").expect("end") + start;
    let mut text = String::new();
    let mut in_tag = false;
    for c in html[start..end].chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                text.push(' ');
            }
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[tokio::test]
async fn the_home_page_lists_what_waits_for_the_member_and_only_what_it_may_read() {
    let web = Web::with_state(seeded_state().await);
    let (mut usa, mut irq, mut gbr, mut fra) = (
        web.login("usa").await,
        web.login("irq").await,
        web.login("gbr").await,
        web.login("fra").await,
    );
    for jar in [&mut irq, &mut gbr, &mut fra] {
        let home = web.go(jar, "GET", "/", None).await;
        assert_eq!(home.status, StatusCode::OK);
        assert!(
            inbox(&home.html).contains("Nothing waits for"),
            "{}",
            inbox(&home.html)
        );
    }
    // USA records a requirement in Iraq's name, for IRQ and GBR only.
    let r = post(
        &web,
        &mut usa,
        "/requirements",
        &[
            ("title", "Sentinel bridging equipment for Mosul"),
            ("description", "Two bridges"),
            ("requesting_member", "IRQ"),
            ("line_of_effort", "humanitarian"),
            ("category", "vehicles"),
            ("kind", "quantity"),
            ("amount", "2"),
            ("unit", "bridge"),
            ("country", "IRQ"),
            ("start", "2015-04-01"),
            ("end", "2015-12-31"),
            ("priority", "1"),
            ("tlp", "AMBER"),
            ("rel_to", "IRQ, GBR"),
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
    let home = web.go(&mut irq, "GET", "/", None).await;
    let text = inbox(&home.html);
    assert!(
        text.contains("Requirements recorded in your name: 1")
            && text.contains("Sentinel bridging equipment for Mosul"),
        "{text}"
    );
    // Linked to the requirement, where it is confirmed.
    assert!(home.html.contains(&rid));
    // GBR pledges against it: a pledge to commit for GBR.
    let p = post(
        &web,
        &mut gbr,
        "/contributions",
        &[
            ("requirement_id", &rid),
            ("title", "British bridge"),
            ("contributors", "GBR"),
            ("kind", "quantity"),
            ("unit", "bridge"),
            ("amount", "1"),
            ("tlp", "AMBER"),
            ("rel_to", "IRQ, GBR"),
        ],
    )
    .await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.html);
    let text = inbox(&web.go(&mut gbr, "GET", "/", None).await.html);
    assert!(
        text.contains("Pledges to commit: 1") && text.contains("British bridge"),
        "{text}"
    );
    // FRA reads neither: nothing of them on its home page or its lists.
    let home = web.go(&mut fra, "GET", "/", None).await;
    assert!(!home.html.contains("Sentinel") && !home.html.contains("British bridge"));
    let list = web
        .go(&mut fra, "GET", "/requirements?member=IRQ", None)
        .await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(!list.html.contains("Sentinel"));
    // The requirements list: Iraq's, with the gap; filtered by member.
    let list = web
        .go(&mut gbr, "GET", "/requirements?member=IRQ", None)
        .await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.html.contains("Sentinel bridging equipment for Mosul"));
    assert!(
        list.html.contains("Addressing humanitarian crises"),
        "lines by name"
    );
    let list = web
        .go(&mut gbr, "GET", "/requirements?member=mine", None)
        .await;
    assert!(!list.html.contains("Sentinel"), "GBR asked for nothing");
    // IRQ confirms: the task is done.
    let c = post(&web, &mut irq, &format!("/requirements/{rid}/confirm"), &[]).await;
    assert_eq!(c.status, StatusCode::SEE_OTHER, "{}", c.html);
    let text = inbox(&web.go(&mut irq, "GET", "/", None).await.html);
    assert!(
        !text.contains("Requirements recorded in your name"),
        "{text}"
    );
    // GBR commits its pledge: done too.
    let pid = p
        .location
        .as_deref()
        .and_then(|l| l.strip_prefix("/contributions/"))
        .expect("the pledge")
        .to_string();
    let s = post(
        &web,
        &mut gbr,
        &format!("/contributions/{pid}/step"),
        &[("step", "commit")],
    )
    .await;
    assert_eq!(s.status, StatusCode::SEE_OTHER, "{}", s.html);
    let text = inbox(&web.go(&mut gbr, "GET", "/", None).await.html);
    assert!(text.contains("Nothing waits for GBR"), "{text}");
    // The contributions list is the who-does-what-where page.
    let c = web
        .go(&mut gbr, "GET", "/contributions?member=GBR", None)
        .await;
    assert_eq!(c.status, StatusCode::SEE_OTHER);
    assert_eq!(c.location.as_deref(), Some("/who?member=GBR"));
}

#[tokio::test]
async fn an_administrator_unlocks_a_user_locked_out_by_wrong_passwords() {
    let web = Web::with_state(seeded_state().await);
    let mut stranger = Jar::default();
    web.go(&mut stranger, "GET", "/login", None).await;
    for _ in 0..6 {
        let csrf = stranger.get("coalesce_csrf").expect("csrf");
        web.go(
            &mut stranger,
            "POST",
            "/login",
            Some(&[("username", "fra"), ("password", "guess"), ("csrf", &csrf)]),
        )
        .await;
    }
    let mut admin = web.login("admin").await;
    let page = web.go(&mut admin, "GET", "/admin", None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.html.contains("1 locked out"), "{}", page.html);
    // Only administrators: a desk officer is refused the console and the act.
    let mut gbr = web.login("gbr").await;
    for path in ["/admin", "/admin/audit"] {
        assert_eq!(
            web.go(&mut gbr, "GET", path, None).await.status,
            StatusCode::FORBIDDEN
        );
    }
    let refused = post(&web, &mut gbr, "/admin/users/fra/unlock", &[]).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    // Without the form's token, nothing happens.
    let forged = web
        .go(
            &mut admin,
            "POST",
            "/admin/users/fra/unlock",
            Some(&[("csrf", "x")]),
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert!(web
        .go(&mut admin, "GET", "/admin", None)
        .await
        .html
        .contains("1 locked out"));
    let done = post(&web, &mut admin, "/admin/users/fra/unlock", &[]).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.html);
    let page = web
        .go(
            &mut admin,
            "GET",
            done.location.as_deref().expect("back"),
            None,
        )
        .await;
    assert!(page.html.contains("fra is unlocked"), "{}", page.html);
    assert!(!page.html.contains("locked out</strong>"));
    // fra logs in at once.
    web.login("fra").await;
    // An unknown user is not found; the unlock is in the audit log.
    let none = post(&web, &mut admin, "/admin/users/nobody/unlock", &[]).await;
    assert_eq!(none.status, StatusCode::NOT_FOUND);
    let audit = web
        .go(&mut admin, "GET", "/admin/audit?action=user.unlock", None)
        .await;
    assert_eq!(audit.status, StatusCode::OK);
    assert!(audit.html.contains("user.unlock") && audit.html.contains("<code>fra</code>"));
    assert!(
        !audit.html.contains("<td>login_failed</td>"),
        "filtered by action"
    );
    // The administrator cannot disable itself; it can disable another.
    let own = post(&web, &mut admin, "/admin/users/admin/disable", &[]).await;
    assert_eq!(own.status, StatusCode::UNPROCESSABLE_ENTITY);
    let off = post(&web, &mut admin, "/admin/users/gbr/disable", &[]).await;
    assert_eq!(off.status, StatusCode::SEE_OTHER);
    assert_eq!(
        web.go(&mut gbr, "GET", "/", None).await.status,
        StatusCode::SEE_OTHER,
        "gbr's session ended"
    );
}

#[tokio::test]
async fn an_unknown_address_is_a_page_for_browsers_and_a_problem_for_api_clients() {
    let web = Web::with_state(seeded_state().await);
    let mut gbr = web.login("gbr").await;
    let page = web.go(&mut gbr, "GET", "/no/such/page", None).await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(page.html.contains("<h1>Not found</h1>") && page.html.contains("aria-label=\"Main\""));
    let mut anonymous = Jar::default();
    let page = web.go(&mut anonymous, "GET", "/no/such/page", None).await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(page.html.contains("<h1>Not found</h1>") && !page.html.contains("aria-label=\"Main\""));
    let wrong = web.go(&mut gbr, "DELETE", "/notes", None).await;
    assert_eq!(wrong.status, StatusCode::METHOD_NOT_ALLOWED);
    assert!(
        wrong.html.contains("<h1>Method Not Allowed</h1>"),
        "{}",
        wrong.html
    );
}

#[tokio::test]
async fn a_form_shows_every_error_beside_its_field_and_keeps_what_was_typed() {
    let web = Web::with_state(seeded_state().await);
    let mut irq = web.login("irq").await;
    let form = web.go(&mut irq, "GET", "/requirements/new", None).await;
    assert_eq!(form.status, StatusCode::OK);
    // Pickers: the requesting member by name, dates as dates, TLP explained.
    assert!(form.html.contains("<select id=\"requesting_member\""));
    assert!(form.html.contains("<option value=\"IRQ\" selected>"));
    assert!(form.html.contains("type=\"date\" id=\"start\""));
    assert!(form.html.contains("id=\"tlp_hint\""));
    let bad = post(
        &web,
        &mut irq,
        "/requirements",
        &[
            ("title", " "),
            ("description", "Kept text of the description"),
            ("requesting_member", "IRQ"),
            ("line_of_effort", "humanitarian"),
            ("category", "vehicles"),
            ("kind", "quantity"),
            ("amount", "two"),
            ("unit", "bridge"),
            ("country", "IRQ"),
            ("start", "2015-06-01"),
            ("end", "2015-01-31"),
            ("priority", "9"),
            ("tlp", "AMBER"),
            ("rel_to", "GBR, NOT A CODE"),
        ],
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    for field in ["title", "amount", "end", "priority", "rel_to"] {
        assert!(
            bad.html.contains(&format!("id=\"{field}-error\"")),
            "{field} has its error beside it: {}",
            bad.html
        );
    }
    assert!(bad.html.contains("5 things to correct"), "{}", bad.html);
    assert!(bad.html.contains("Kept text of the description"));
    assert!(bad.html.contains("value=\"two\""));
    // Nothing was written.
    let list = web
        .go(&mut irq, "GET", "/requirements?member=mine", None)
        .await;
    assert!(
        list.html.contains("No requirement you may read matches"),
        "{}",
        list.html
    );
    // A REL TO naming no member is refused by the store, beside its field.
    let unknown = post(
        &web,
        &mut irq,
        "/requirements",
        &[
            ("title", "Bridges"),
            ("requesting_member", "IRQ"),
            ("line_of_effort", "humanitarian"),
            ("category", "vehicles"),
            ("kind", "quantity"),
            ("amount", "2"),
            ("unit", "bridge"),
            ("country", "IRQ"),
            ("start", "2015-01-01"),
            ("end", "2015-01-31"),
            ("priority", "2"),
            ("tlp", "AMBER"),
            ("rel_to", "ZZZ"),
        ],
    )
    .await;
    assert_eq!(
        unknown.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        unknown.html
    );
    assert!(
        unknown.html.contains("id=\"rel_to-error\""),
        "{}",
        unknown.html
    );
}

/// The console adds users, changes roles, resets passwords (shown once,
/// on a page no cache keeps) and issues and revokes API tokens; a desk
/// officer may do none of it.
#[tokio::test]
async fn the_console_adds_users_changes_roles_resets_passwords_and_manages_tokens() {
    let web = Web::with_state(seeded_state().await);
    let mut admin = web.login("admin").await;
    let page = web.go(&mut admin, "GET", "/admin", None).await;
    assert!(page.html.contains("action=\"/admin/users/fra/reset\""));
    assert!(page.html.contains("action=\"/admin/users/fra/role\""));
    assert!(
        !page.html.contains("action=\"/admin/users/admin/role\""),
        "not its own role"
    );

    // A new user, its password shown once.
    let added = post(
        &web,
        &mut admin,
        "/admin/users",
        &[
            ("username", "J.Smith"),
            ("member", "GBR"),
            ("role", "viewer"),
        ],
    )
    .await;
    assert_eq!(added.status, StatusCode::OK, "{}", added.html);
    assert!(added.html.contains("j.smith is added"), "{}", added.html);
    let password = secret_of(&added.html);
    let mut jar = Jar::default();
    web.go(&mut jar, "GET", "/login", None).await;
    let csrf = jar.get("coalesce_csrf").expect("csrf");
    let login = web
        .go(
            &mut jar,
            "POST",
            "/login",
            Some(&[
                ("username", "j.smith"),
                ("password", &password),
                ("csrf", &csrf),
            ]),
        )
        .await;
    assert_eq!(
        login.status,
        StatusCode::SEE_OTHER,
        "the shown password works"
    );
    let bad = post(
        &web,
        &mut admin,
        "/admin/users",
        &[("username", "x"), ("member", "GBR"), ("role", "viewer")],
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.html);
    assert!(bad.html.contains("class=\"error\""));

    // A role.
    let role = post(
        &web,
        &mut admin,
        "/admin/users/gbr/role",
        &[("role", "coordinator")],
    )
    .await;
    assert_eq!(role.status, StatusCode::SEE_OTHER, "{}", role.html);
    let page = web
        .go(
            &mut admin,
            "GET",
            role.location.as_deref().expect("back"),
            None,
        )
        .await;
    assert!(page.html.contains("gbr has its new role"), "{}", page.html);
    assert!(page
        .html
        .contains("<option value=\"coordinator\" selected>"));
    let unknown = post(
        &web,
        &mut admin,
        "/admin/users/gbr/role",
        &[("role", "king")],
    )
    .await;
    assert!(unknown.status.is_client_error());

    // A password reset: shown once, the old one refused.
    let reset = post(&web, &mut admin, "/admin/users/fra/reset", &[]).await;
    assert_eq!(reset.status, StatusCode::OK, "{}", reset.html);
    assert!(reset.html.contains("The new password of fra"));
    let again = web.go(&mut admin, "GET", "/admin", None).await;
    assert!(!again.html.contains(&secret_of(&reset.html)), "shown once");

    // API tokens (gbr logs in again: its role changed, its session ended).
    let mut gbr = web.login("gbr").await;
    assert_eq!(
        web.go(&mut gbr, "GET", "/admin/tokens", None).await.status,
        StatusCode::FORBIDDEN
    );
    let refused = post(
        &web,
        &mut gbr,
        "/admin/tokens",
        &[("username", "irq"), ("label", "x")],
    )
    .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let issued = post(
        &web,
        &mut admin,
        "/admin/tokens",
        &[
            ("username", "irq"),
            ("label", "Baghdad dashboard"),
            ("days", "30"),
        ],
    )
    .await;
    assert_eq!(issued.status, StatusCode::OK, "{}", issued.html);
    let token = secret_of(&issued.html);
    let mut api = Jar::default();
    let me = web.send_with_bearer(&mut api, "/api/v1/me", &token).await;
    assert_eq!(me.status, StatusCode::OK, "{}", me.html);
    assert!(me.html.contains("\"irq\""), "{}", me.html);
    let list = web.go(&mut admin, "GET", "/admin/tokens", None).await;
    assert!(list.html.contains("Baghdad dashboard"));
    assert!(!list.html.contains(&token), "the list never shows a token");
    let days = post(
        &web,
        &mut admin,
        "/admin/tokens",
        &[("username", "irq"), ("label", "y"), ("days", "0")],
    )
    .await;
    assert_eq!(days.status, StatusCode::UNPROCESSABLE_ENTITY);
    let id = list
        .html
        .split("action=\"/admin/tokens/")
        .nth(1)
        .and_then(|s| s.split('/').next())
        .expect("a revoke form")
        .to_string();
    let revoked = post(&web, &mut admin, &format!("/admin/tokens/{id}/revoke"), &[]).await;
    assert_eq!(revoked.status, StatusCode::OK, "{}", revoked.html);
    assert!(revoked.html.contains("is revoked"));
    let after = web.send_with_bearer(&mut api, "/api/v1/me", &token).await;
    assert_eq!(after.status, StatusCode::UNAUTHORIZED);
    let audit = web.go(&mut admin, "GET", "/admin/audit", None).await;
    for action in [
        "user.create",
        "user.role",
        "user.password_reset",
        "token.create",
        "token.revoke",
    ] {
        assert!(audit.html.contains(action), "{action} audited");
    }
}

/// The secret a console page shows once.
fn secret_of(html: &str) -> String {
    html.split("<code class=\"secret\">")
        .nth(1)
        .and_then(|s| s.split("</code>").next())
        .expect("a secret shown")
        .to_string()
}

/// A member's administrator on a node that hosts several members manages
/// its own member's users only: the console lists them and their tokens
/// alone, offers its member alone for a new user, and an act on another
/// member's user (unlock, disable, role) is refused and changes nothing.
/// The secretariat's administrator still sees and manages everyone.
#[tokio::test]
async fn a_member_administrator_manages_its_own_members_users_only() {
    let state = seeded_state().await;
    state
        .store
        .create_user(
            None,
            "gbr-admin",
            "GBR",
            "admin",
            coalesce_store::testing::SEED_PASSWORD,
        )
        .await
        .expect("a GBR administrator");
    let web = Web::with_state(state);
    let mut gbr_admin = web.login("gbr-admin").await;
    let page = web.go(&mut gbr_admin, "GET", "/admin", None).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.html);
    assert!(
        page.html.contains("You manage the users of GBR only"),
        "{}",
        page.html
    );
    assert!(
        page.html.contains("<code>viewer</code>") || page.html.contains(">viewer<"),
        "GBR's viewer is listed: {}",
        page.html
    );
    for other in [">fra<", ">irq<", ">usa<"] {
        assert!(
            !page.html.contains(other),
            "{other} is not GBR's: {}",
            page.html
        );
    }
    assert!(
        !page.html.contains("<option value=\"FRA\"") && page.html.contains("<option value=\"GBR\""),
        "new users of GBR only: {}",
        page.html
    );
    for (path, fields) in [
        ("/admin/users/fra/unlock", vec![]),
        ("/admin/users/fra/disable", vec![]),
        ("/admin/users/fra/role", vec![("role", "viewer")]),
    ] {
        // Another member's user is no user to GBR's console: the answer
        // does not tell whose it is.
        let refused = post(&web, &mut gbr_admin, path, &fields).await;
        assert_eq!(
            refused.status,
            StatusCode::NOT_FOUND,
            "{path}: {}",
            refused.html
        );
        assert!(!refused.html.contains("FRA"), "{path}: {}", refused.html);
    }
    // fra was not disabled: it still logs in.
    let mut fra = web.login("fra").await;
    assert_eq!(
        web.go(&mut fra, "GET", "/", None).await.status,
        StatusCode::OK
    );
    // GBR's audit viewer shows its own users' logins, not FRA's.
    let audit = web
        .go(&mut gbr_admin, "GET", "/admin/audit?action=login", None)
        .await;
    assert_eq!(audit.status, StatusCode::OK, "{}", audit.html);
    assert!(
        audit.html.contains("<code>gbr-admin</code>"),
        "{}",
        audit.html
    );
    assert!(!audit.html.contains("<code>fra</code>"), "{}", audit.html);
    // Its own member's user: done.
    let done = post(&web, &mut gbr_admin, "/admin/users/gbr/unlock", &[]).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.html);
    // The secretariat's administrator sees everyone.
    let mut admin = web.login("admin").await;
    let all = web.go(&mut admin, "GET", "/admin", None).await;
    assert!(!all.html.contains("You manage the users of"));
    assert!(
        all.html.contains(">fra<") && all.html.contains(">gbr-admin<"),
        "{}",
        all.html
    );
    let audit = web
        .go(&mut admin, "GET", "/admin/audit?action=login", None)
        .await;
    assert!(audit.html.contains("<code>fra</code>"), "{}", audit.html);
}
