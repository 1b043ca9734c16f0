//! Test support shared by the API test binaries: the router driven without
//! sockets, on a fresh seeded store (SQLite, or PostgreSQL when
//! COALESCE_TEST_POSTGRES is set).
#![allow(dead_code)] // each test binary uses its own part of it

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use coalesce_api::AppState;
use coalesce_store::testing::{fresh_store, seed_small, SEED_PASSWORD};
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tower::ServiceExt;

#[derive(Clone)]
pub struct App {
    pub router: axum::Router,
    pub state: AppState,
}

pub struct Res {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub json: Value,
}

/// A fresh store holding `seed_small`'s coalition and users.
pub async fn seeded_state() -> AppState {
    let store = fresh_store().await.expect("store");
    seed_small(&store).await.expect("seed");
    AppState::new(store)
}

impl App {
    pub async fn seeded() -> App {
        App::with_state(seeded_state().await)
    }

    pub fn with_state(state: AppState) -> App {
        App {
            router: coalesce_api::router().with_state(state.clone()),
            state,
        }
    }

    pub async fn send(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Res {
        let mut b = Request::builder().method(method).uri(path);
        if let Some(t) = token {
            b = b.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        let req = match body {
            Some(v) => b
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(v.to_string())),
            None => b.body(Body::empty()),
        }
        .expect("request");
        self.raw(req).await
    }

    pub async fn raw(&self, req: Request<Body>) -> Res {
        let res = self.router.clone().oneshot(req).await.expect("response");
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = res.into_body().collect().await.expect("body").to_bytes();
        let json = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        Res {
            status,
            headers,
            json,
        }
    }

    /// The status, headers and body text (for CSV and XML responses).
    pub async fn raw_text(
        &self,
        req: Request<Body>,
    ) -> (StatusCode, axum::http::HeaderMap, String) {
        let res = self.router.clone().oneshot(req).await.expect("response");
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = res.into_body().collect().await.expect("body").to_bytes();
        (
            status,
            headers,
            String::from_utf8_lossy(&bytes).into_owned(),
        )
    }

    pub async fn login(&self, user: &str) -> String {
        let r = self
            .send(
                Method::POST,
                "/api/v1/auth/login",
                None,
                Some(json!({"username": user, "password": SEED_PASSWORD})),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "login {user}: {}", r.json);
        r.json["token"].as_str().expect("token").to_string()
    }
}

/// The response is an RFC 9457 problem with this status and code.
pub fn assert_problem(r: &Res, status: StatusCode, code: &str) {
    assert_eq!(r.status, status, "{}", r.json);
    assert_eq!(
        r.headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok()),
        Some("application/problem+json")
    );
    assert_eq!(r.json["code"], code, "{}", r.json);
    assert_eq!(r.json["status"], status.as_u16());
    assert!(r.json["detail"].as_str().is_some_and(|d| !d.is_empty()));
}

/// POST a JSON body to an API path (`/notes`, without `/api/v1`).
pub async fn post(app: &App, path: &str, token: &str, body: Value) -> Res {
    app.send(
        Method::POST,
        &format!("/api/v1{path}"),
        Some(token),
        Some(body),
    )
    .await
}

/// PUT a JSON body to an API path.
pub async fn put(app: &App, path: &str, token: &str, body: Value) -> Res {
    app.send(
        Method::PUT,
        &format!("/api/v1{path}"),
        Some(token),
        Some(body),
    )
    .await
}

/// GET an API path.
pub async fn get(app: &App, path: &str, token: &str) -> Res {
    app.send(Method::GET, &format!("/api/v1{path}"), Some(token), None)
        .await
}

/// The job at API path `path` (`/jobs/{id}`) once it ended (polled every
/// 20 ms, for at most a minute).
pub async fn job_when_ended(app: &App, path: &str, token: &str) -> Value {
    for _ in 0..3_000 {
        let r = get(app, path, token).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.json);
        if r.json["status"] != "running" {
            return r.json;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    panic!("the job at {path} did not end in a minute");
}

/// The ids of a list page's items.
pub fn ids(r: &Res) -> Vec<String> {
    r.json["items"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|i| i["id"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}
