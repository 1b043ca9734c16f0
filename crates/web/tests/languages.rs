//! The interface in English, French and Arabic (issue 21): the browser's
//! language before logging in, each user's choice kept with the user,
//! Arabic right to left with its own digits, and bad choices refused.
//! Through the router; SQLite by default, PostgreSQL with
//! COALESCE_TEST_POSTGRES.

mod common;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use common::{seeded_state, Jar, Web};
use http_body_util::BodyExt;
use tower::ServiceExt;

async fn choose(web: &Web, jar: &mut Jar, lang: &str, back: &str) -> common::Page {
    let token = jar.form_token().expect("csrf cookie");
    web.go(
        jar,
        "POST",
        "/language",
        Some(&[("csrf", token.as_str()), ("lang", lang), ("back", back)]),
    )
    .await
}

/// The `<html>` element's language and direction.
fn html_lang(html: &str) -> (String, String) {
    let tag = &html[html.find("<html").expect("html")..];
    let tag = &tag[..tag.find('>').expect("end")];
    let attr = |name: &str| {
        let from = tag.find(&format!("{name}=\"")).expect(name) + name.len() + 2;
        tag[from..from + tag[from..].find('"').expect("quote")].to_string()
    };
    (attr("lang"), attr("dir"))
}

#[tokio::test]
async fn the_login_page_speaks_the_browser_s_language() {
    let web = Web::with_state(seeded_state().await);
    for (accept, lang, dir, words) in [
        ("fr-CH, fr;q=0.9, en;q=0.5", "fr", "ltr", "Mot de passe"),
        ("ar-IQ,ar;q=0.9", "ar", "rtl", "كلمة المرور"),
        ("de-DE, ja;q=0.5", "en", "ltr", "Password"),
        ("", "en", "ltr", "Password"),
    ] {
        let res = web
            .router
            .clone()
            .oneshot(
                Request::get("/login")
                    .header(header::ACCEPT_LANGUAGE, accept)
                    .body(Body::empty())
                    .expect("request"),
            )
            .await
            .expect("response");
        assert_eq!(res.status(), StatusCode::OK);
        let html =
            String::from_utf8_lossy(&res.into_body().collect().await.expect("body").to_bytes())
                .to_string();
        assert_eq!(
            html_lang(&html),
            (lang.to_string(), dir.to_string()),
            "{accept}"
        );
        assert!(html.contains(words), "{accept}: {words} missing");
    }
}

#[tokio::test]
async fn a_user_s_language_is_kept_with_the_user_and_arabic_reads_right_to_left() {
    let web = Web::with_state(seeded_state().await);
    let mut gbr = web.login("gbr").await;
    let home = web.go(&mut gbr, "GET", "/", None).await;
    assert_eq!(html_lang(&home.html), ("en".into(), "ltr".into()));
    assert!(home.html.contains("Waiting for"));

    // Chosen on the search page, back to the search page.
    let r = choose(&web, &mut gbr, "ar", "/search?q=oil").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.html);
    assert_eq!(r.location.as_deref(), Some("/search?q=oil"));
    let search = web.go(&mut gbr, "GET", "/search?q=oil", None).await;
    assert_eq!(html_lang(&search.html), ("ar".into(), "rtl".into()));
    assert!(search.html.contains("<h1>البحث</h1>"), "{}", search.html);
    assert!(search.html.contains(">تسجيل الخروج<"));

    // The home page: Arabic words, counts in Arabic-Indic digits, the
    // scenario's day with an Arabic month.
    let home = web.go(&mut gbr, "GET", "/", None).await;
    assert!(home.html.contains("التحالف في لمحة"));
    let first_count = home
        .html
        .split("<span class=\"n\">")
        .nth(1)
        .expect("a count");
    assert!(
        first_count.starts_with(|c: char| ('٠'..='٩').contains(&c)),
        "{}",
        &first_count[..40.min(first_count.len())]
    );
    assert!(!home.html.contains("The coalition at a glance"));

    // Another session of the same user, in a browser that asks for
    // English: the user's choice wins.
    let mut again = web.login("gbr").await;
    let home = web.go(&mut again, "GET", "/", None).await;
    assert_eq!(html_lang(&home.html).0, "ar");
    // Another user is not affected.
    let mut usa = web.login("usa").await;
    let home = web.go(&mut usa, "GET", "/", None).await;
    assert_eq!(html_lang(&home.html).0, "en");

    // French: plural rules of French, names of the registry untouched.
    choose(&web, &mut usa, "fr", "/").await;
    let home = web.go(&mut usa, "GET", "/", None).await;
    assert_eq!(html_lang(&home.html), ("fr".into(), "ltr".into()));
    assert!(
        home.html.contains("La coalition en un coup d’œil"),
        "{}",
        home.html
    );
    assert!(home.html.contains("Se déconnecter"));
}

#[tokio::test]
async fn a_bad_choice_is_refused_and_changes_nothing() {
    let web = Web::with_state(seeded_state().await);
    let mut gbr = web.login("gbr").await;
    choose(&web, &mut gbr, "fr", "/").await;
    for bad in ["de", "", "FR", "fr-FR", "<script>"] {
        let r = choose(&web, &mut gbr, bad, "/").await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{bad:?}");
        assert!(r.html.contains("Unknown language"), "{}", r.html);
        assert!(!r.html.contains("<script>"));
    }
    let home = web.go(&mut gbr, "GET", "/", None).await;
    assert_eq!(html_lang(&home.html).0, "fr");
    // Only a path of this site to go back to.
    for back in [
        "//evil.example/",
        "https://evil.example/",
        "/\\evil.example",
        "javascript:alert(1)",
    ] {
        let r = choose(&web, &mut gbr, "en", back).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(r.location.as_deref(), Some("/"), "{back}");
    }
    // A choice without the form's token is refused.
    let r = web
        .go(
            &mut gbr,
            "POST",
            "/language",
            Some(&[("lang", "ar"), ("back", "/")]),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let home = web.go(&mut gbr, "GET", "/", None).await;
    assert_eq!(html_lang(&home.html).0, "en");
}

#[tokio::test]
async fn a_choice_made_before_logging_in_is_remembered_by_the_browser() {
    let web = Web::with_state(seeded_state().await);
    let mut jar = Jar::default();
    web.go(&mut jar, "GET", "/login", None).await;
    let r = choose(&web, &mut jar, "fr", "/login").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(
        r.cookies.iter().any(|c| c.starts_with("coalesce_lang=fr;")),
        "{:?}",
        r.cookies
    );
    let login = web.go(&mut jar, "GET", "/login", None).await;
    assert_eq!(html_lang(&login.html).0, "fr");
    assert!(login.html.contains("Mot de passe"));
    // A wrong password is said in French.
    let token = jar.form_token().expect("csrf");
    let failed = web
        .go(
            &mut jar,
            "POST",
            "/login",
            Some(&[
                ("csrf", token.as_str()),
                ("username", "gbr"),
                ("password", "wrong"),
            ]),
        )
        .await;
    assert_eq!(failed.status, StatusCode::UNAUTHORIZED);
    assert!(
        failed
            .html
            .contains("Nom d’utilisateur ou mot de passe incorrect."),
        "{}",
        failed.html
    );
}
