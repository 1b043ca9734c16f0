//! The pages' form extractor: axum's `Form`, except that a field sent more
//! than once (the REL TO chips are checkboxes that share the name
//! `rel_to` with the box for other codes) arrives as its values joined by
//! a space, in the order sent, instead of failing as a duplicate field.
//! Audience fields are read as tokens separated by commas or spaces, so
//! the join means "all of these"; every other form sends each field once.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;

pub(crate) struct Form<T>(pub T);

/// Why a form body was refused (the same statuses as axum's `Form`).
pub(crate) struct FormRejection(StatusCode, String);

impl IntoResponse for FormRejection {
    fn into_response(self) -> Response {
        (self.0, self.1).into_response()
    }
}

impl<T, S> FromRequest<S> for Form<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = FormRejection;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let is_form = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| {
                v.split(';').next().is_some_and(|m| {
                    m.trim()
                        .eq_ignore_ascii_case("application/x-www-form-urlencoded")
                })
            });
        if !is_form {
            return Err(FormRejection(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "Form requests must have `Content-Type: application/x-www-form-urlencoded`".into(),
            ));
        }
        let body = Bytes::from_request(req, state)
            .await
            .map_err(|e| FormRejection(e.status(), e.body_text()))?;
        parse(&body).map(Form).map_err(|e| {
            FormRejection(
                StatusCode::UNPROCESSABLE_ENTITY,
                format!("Failed to deserialize form body: {e}"),
            )
        })
    }
}

/// The body's fields, a repeated one joined by spaces, read as `T`.
pub(crate) fn parse<T: DeserializeOwned>(body: &[u8]) -> Result<T, serde_urlencoded::de::Error> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(body)?;
    let mut merged: Vec<(String, String)> = Vec::with_capacity(pairs.len());
    for (k, v) in pairs {
        match merged.iter_mut().find(|(mk, _)| *mk == k) {
            Some((_, mv)) => {
                if !v.trim().is_empty() {
                    if !mv.trim().is_empty() {
                        mv.push(' ');
                    }
                    mv.push_str(&v);
                }
            }
            None => merged.push((k, v)),
        }
    }
    let encoded = serde_urlencoded::to_string(&merged)
        .map_err(|e| serde::de::Error::custom(e.to_string()))?;
    serde_urlencoded::from_str(&encoded)
}

#[cfg(test)]
mod tests {
    use super::parse;
    use std::collections::BTreeMap;

    #[test]
    fn a_field_sent_twice_is_its_values_joined() {
        let f: BTreeMap<String, String> =
            parse(b"title=x&rel_to=GBR&rel_to=GROUP%3Asmall-group&rel_to=&rel_to=FRA+ITA")
                .expect("a valid body");
        assert_eq!(f["rel_to"], "GBR GROUP:small-group FRA ITA");
        assert_eq!(f["title"], "x");
    }

    #[test]
    fn a_field_sent_once_is_as_sent() {
        #[derive(serde::Deserialize)]
        struct F {
            a: String,
            #[serde(default)]
            b: String,
        }
        let f: F = parse(b"a=%20one%20").expect("a valid body");
        assert_eq!(f.a, " one ");
        assert_eq!(f.b, "");
        assert!(
            parse::<F>(b"b=1").is_err(),
            "a missing field is still an error"
        );
    }
}
