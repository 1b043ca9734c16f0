//! The screening page through the router: screen one party, review a hit
//! (CSRF-checked), batches pasted as CSV, the member's decisions.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use coalesce_api::AppState;
use coalesce_store::testing::{fresh_store, seed_small, SEED_PASSWORD};
use http_body_util::BodyExt;
use std::sync::Arc;
use tower::ServiceExt;

const UN_XML: &str = include_str!("../../screen/tests/fixtures/un-sample.xml");
const PARTY: &str = "Muhammad Yusuf Abd al-Karim al-Testari";

struct Web {
    router: axum::Router,
}

struct Page {
    status: StatusCode,
    location: Option<String>,
    cookies: Vec<String>,
    html: String,
}

/// A browser's cookie jar, reduced to what these tests need.
#[derive(Default, Clone)]
struct Jar(Vec<(String, String)>);

impl Jar {
    fn absorb(&mut self, set_cookies: &[String]) {
        for c in set_cookies {
            let Some((kv, _)) = c.split_once(';').or(Some((c.as_str(), ""))) else {
                continue;
            };
            if let Some((k, v)) = kv.split_once('=') {
                self.0.retain(|(name, _)| name != k);
                if !v.is_empty() {
                    self.0.push((k.to_string(), v.to_string()));
                }
            }
        }
    }
    fn header(&self) -> String {
        self.0
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }
    fn get(&self, name: &str) -> Option<String> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    }
}

impl Web {
    async fn new(with_lists: bool) -> Web {
        let store = fresh_store().await.expect("store");
        seed_small(&store).await.expect("seed");
        let mut state = AppState::new(store);
        if with_lists {
            let list = coalesce_screen::parse_un_xml(UN_XML).expect("fixture");
            state = state.with_screener(Arc::new(coalesce_screen::Screener::new(vec![list])));
        }
        Web {
            router: coalesce_api::router()
                .merge(coalesce_web::router())
                .with_state(state),
        }
    }

    async fn go(
        &self,
        jar: &mut Jar,
        method: &str,
        path: &str,
        form: Option<&[(&str, &str)]>,
    ) -> Page {
        let mut b = Request::builder()
            .method(method)
            .uri(path)
            .header(header::COOKIE, jar.header());
        let body = match form {
            Some(fields) => {
                b = b.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
                Body::from(
                    fields
                        .iter()
                        .map(|(k, v)| format!("{k}={}", urlencode(v)))
                        .collect::<Vec<_>>()
                        .join("&"),
                )
            }
            None => Body::empty(),
        };
        let res = self
            .router
            .clone()
            .oneshot(b.body(body).expect("req"))
            .await
            .expect("res");
        let status = res.status();
        let location = res
            .headers()
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .map(String::from);
        let cookies: Vec<String> = res
            .headers()
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .map(String::from)
            .collect();
        jar.absorb(&cookies);
        let html =
            String::from_utf8_lossy(&res.into_body().collect().await.expect("body").to_bytes())
                .to_string();
        Page {
            status,
            location,
            cookies,
            html,
        }
    }

    async fn login(&self, user: &str) -> Jar {
        let mut jar = Jar::default();
        self.go(&mut jar, "GET", "/login", None).await;
        let csrf = jar.get("coalesce_csrf").expect("csrf cookie");
        let p = self
            .go(
                &mut jar,
                "POST",
                "/login",
                Some(&[
                    ("username", user),
                    ("password", SEED_PASSWORD),
                    ("csrf", &csrf),
                ]),
            )
            .await;
        assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.html);
        jar
    }
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            b' ' => "+".into(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[tokio::test]
async fn screening_page_screens_reviews_and_remembers() {
    let web = Web::new(true).await;
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
    let web = Web::new(true).await;
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
    let web = Web::new(false).await;
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
