//! Test support shared by the web test binaries: a cookie jar, the router
//! driven without sockets, form posts, login through the form with its CSRF
//! token.
#![allow(dead_code)] // each test binary uses its own part of it

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use coalesce_api::AppState;
use coalesce_store::testing::{fresh_store, seed_small, SEED_PASSWORD};
use http_body_util::BodyExt;
use tower::ServiceExt;

/// A fresh store holding `seed_small`'s coalition and users.
pub async fn seeded_state() -> AppState {
    let store = fresh_store().await.expect("store");
    seed_small(&store).await.expect("seed");
    AppState::new(store)
}

pub struct Web {
    pub router: axum::Router,
}

pub struct Page {
    pub status: StatusCode,
    pub location: Option<String>,
    pub cookies: Vec<String>,
    pub html: String,
}

/// A browser's cookie jar, reduced to what these tests need.
#[derive(Default, Clone)]
pub struct Jar(Vec<(String, String)>);

impl Jar {
    pub fn absorb(&mut self, set_cookies: &[String]) {
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
    pub fn header(&self) -> String {
        self.0
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }
    /// The CSRF token this jar's forms carry: derived from the session once
    /// logged in, the double-submit cookie before.
    pub fn form_token(&self) -> Option<String> {
        match self.get("coalesce_session") {
            Some(s) => Some(coalesce_web::session_form_token(&s)),
            None => self.get("coalesce_csrf"),
        }
    }

    pub fn get(&self, name: &str) -> Option<String> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    }
}

impl Web {
    pub fn with_state(state: AppState) -> Web {
        Web {
            router: coalesce_api::router()
                .merge(coalesce_web::router())
                .with_state(state),
        }
    }

    pub async fn go(
        &self,
        jar: &mut Jar,
        method: &str,
        path: &str,
        form: Option<&[(&str, &str)]>,
    ) -> Page {
        let body = form.map(|fields| {
            (
                "application/x-www-form-urlencoded".to_string(),
                fields
                    .iter()
                    .map(|(k, v)| format!("{k}={}", urlencode(v)))
                    .collect::<Vec<_>>()
                    .join("&")
                    .into_bytes(),
            )
        });
        self.send(jar, method, path, body).await
    }

    /// A multipart form as a browser sends it: text fields, and files as
    /// (field, file name, bytes).
    pub async fn upload(
        &self,
        jar: &mut Jar,
        path: &str,
        fields: &[(&str, &str)],
        files: &[(&str, &str, &[u8])],
    ) -> Page {
        let boundary = "----coalesce-test-boundary-7MA4YWxk";
        let mut body: Vec<u8> = Vec::new();
        for (k, v) in fields {
            body.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"
                )
                .as_bytes(),
            );
        }
        for (k, name, bytes) in files {
            body.extend_from_slice(
                format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"; filename=\"{name}\"\r\nContent-Type: text/csv\r\n\r\n")
                    .as_bytes(),
            );
            body.extend_from_slice(bytes);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        self.send(
            jar,
            "POST",
            path,
            Some((format!("multipart/form-data; boundary={boundary}"), body)),
        )
        .await
    }

    /// A GET as an API client with a bearer token (no cookies).
    pub async fn send_with_bearer(&self, _jar: &mut Jar, path: &str, token: &str) -> Page {
        let req = Request::builder()
            .method("GET")
            .uri(path)
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::ACCEPT, "application/json")
            .body(Body::empty())
            .expect("req");
        let res = self.router.clone().oneshot(req).await.expect("res");
        let status = res.status();
        let html =
            String::from_utf8_lossy(&res.into_body().collect().await.expect("body").to_bytes())
                .to_string();
        Page {
            status,
            location: None,
            cookies: Vec::new(),
            html,
        }
    }

    async fn send(
        &self,
        jar: &mut Jar,
        method: &str,
        path: &str,
        body: Option<(String, Vec<u8>)>,
    ) -> Page {
        let mut b = Request::builder()
            .method(method)
            .uri(path)
            .header(header::COOKIE, jar.header());
        let body = match body {
            Some((content_type, bytes)) => {
                b = b.header(header::CONTENT_TYPE, content_type);
                Body::from(bytes)
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

    pub async fn login(&self, user: &str) -> Jar {
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

pub fn urlencode(s: &str) -> String {
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

/// The fields an edit form whose action starts with `action` would send.
pub fn fields_of_form(html: &str, action: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let form = html
        .split(&format!(
            "<form class=\"stack\" method=\"post\" action=\"{action}"
        ))
        .nth(1)
        .and_then(|s| s.split("</form>").next())
        .expect("the edit form");
    let attr = |tag: &str, name: &str| {
        tag.split(&format!(" {name}=\""))
            .nth(1)
            .and_then(|s| s.split('"').next())
            .map(|s| s.replace("&#x2f;", "/").replace("&amp;", "&"))
    };
    for piece in form.split('<').skip(1) {
        let tag = piece.split('>').next().unwrap_or("");
        // Inputs, but only the ticked checkboxes.
        let sent = !tag.contains("type=\"checkbox\"") || tag.contains(" checked");
        if tag.starts_with("input") {
            if let (true, Some(n), Some(v)) = (sent, attr(tag, "name"), attr(tag, "value")) {
                out.push((n, v));
            }
        } else if tag.starts_with("select") {
            let name = attr(tag, "name").unwrap_or_default();
            let body = piece.to_string();
            let rest = form.split(&format!("<{tag}>")).nth(1).unwrap_or(&body);
            let selected = rest
                .split("</select>")
                .next()
                .and_then(|opts| {
                    opts.split("<option")
                        .find(|o| o.contains(" selected"))
                        .or_else(|| opts.split("<option").nth(1))
                })
                .and_then(|o| attr(o, "value"));
            out.push((name, selected.unwrap_or_default()));
        } else if tag.starts_with("textarea") {
            let name = attr(tag, "name").unwrap_or_default();
            let text = piece.split_once('>').map(|x| x.1).unwrap_or("");
            out.push((name, text.to_string()));
        }
    }
    out
}

/// Sets every field named `name` to `value`.
pub fn set(fields: &mut [(String, String)], name: &str, value: &str) {
    for (n, v) in fields.iter_mut() {
        if n == name {
            *v = value.to_string();
        }
    }
}

/// The fields as a form post takes them, without the CSRF token (the post adds it).
pub fn refs(fields: &[(String, String)]) -> Vec<(&str, &str)> {
    fields
        .iter()
        .filter(|(n, _)| n != "csrf")
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect()
}
