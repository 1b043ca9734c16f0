//! TAXII 2.1 server under `/taxii2/` (issue 6): discovery, one API root
//! (`/taxii2/coalesce/`), one collection holding every STIX object of the
//! node, objects (GET with `added_after`, `limit`, `next`, `match[…]`;
//! POST with status resources), manifest, versions, object GET/DELETE.
//!
//! What a caller reads is decided by the store's releasability filter, as
//! everywhere: the collection shows each caller exactly the objects whose
//! marking releases them to the caller's member. Authentication is HTTP
//! Basic (mandatory in TAXII; the password may be an API token) or a
//! bearer token. Errors are TAXII error messages.

use crate::{ApiError, AppState};
use axum::body::{Body, Bytes};
use axum::extract::{FromRequestParts, OriginalUri, Path, RawQuery, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use base64::Engine;
pub use coalesce_app::taxii::{
    BasicCache, CursorKey, API_ROOT, COLLECTION_ID, RECORDS_COLLECTION_ID,
};
use coalesce_exchange::stix_in;
use coalesce_store::stix::{StixFilter, StixPage, VersionMatch, MAX_TAXII_PAGE};
use coalesce_store::{Principal, StoreError};
use serde_json::{json, Value};

pub const TAXII_MEDIA: &str = "application/taxii+json;version=2.1";
pub const STIX_MEDIA: &str = "application/stix+json;version=2.1";
/// A page holds at most this many objects unless `limit` asks for fewer.
pub const DEFAULT_PAGE: i64 = 1_000;

/// A TAXII error message (TAXII 2.1 §3.6.1).
pub struct TaxiiError(pub ApiError);

impl From<ApiError> for TaxiiError {
    fn from(e: ApiError) -> Self {
        TaxiiError(e)
    }
}

impl From<StoreError> for TaxiiError {
    fn from(e: StoreError) -> Self {
        TaxiiError(ApiError::from(e))
    }
}

impl IntoResponse for TaxiiError {
    fn into_response(self) -> Response {
        let e = self.0;
        let title = e.status.canonical_reason().unwrap_or("Error").to_string();
        let body = json!({
            "title": title,
            "description": e.detail,
            "error_code": e.code,
            "http_status": e.status.as_u16().to_string(),
        });
        let mut r = (e.status, taxii_headers(), body.to_string()).into_response();
        if e.status == StatusCode::UNAUTHORIZED {
            r.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Basic realm=\"coalesce TAXII\", charset=\"UTF-8\""),
            );
        }
        if let Some(s) = e.retry_after {
            if let Ok(v) = HeaderValue::from_str(&s.to_string()) {
                r.headers_mut().insert(header::RETRY_AFTER, v);
            }
        }
        r
    }
}

type TaxiiResult = Result<Response, TaxiiError>;

fn taxii_headers() -> [(header::HeaderName, HeaderValue); 1] {
    [(header::CONTENT_TYPE, HeaderValue::from_static(TAXII_MEDIA))]
}

fn bad(code: &'static str, detail: impl Into<String>) -> TaxiiError {
    TaxiiError(ApiError::bad_request(code, detail))
}

fn taxii_json(status: StatusCode, v: &Value) -> Response {
    (status, taxii_headers(), v.to_string()).into_response()
}

/// Is this media type TAXII 2.1 (any version parameter other than 2.1 is not)?
fn is_taxii(media: &str) -> bool {
    let mut parts = media.split(';').map(str::trim);
    let base = parts.next().unwrap_or("");
    if !base.eq_ignore_ascii_case("application/taxii+json") {
        return false;
    }
    parts.all(|p| match p.split_once('=') {
        Some((k, v)) if k.trim().eq_ignore_ascii_case("version") => v.trim() == "2.1",
        _ => true,
    })
}

/// 406 unless the client accepts TAXII 2.1 JSON.
fn check_accept(headers: &HeaderMap) -> Result<(), TaxiiError> {
    let Some(accept) = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()) else {
        return Ok(());
    };
    let ok = accept.split(',').any(|m| {
        let m = m.trim();
        let base = m.split(';').next().unwrap_or("").trim();
        is_taxii(m) || base == "*/*" || base == "application/*"
    });
    if ok {
        Ok(())
    } else {
        Err(TaxiiError(ApiError::new(
            StatusCode::NOT_ACCEPTABLE,
            "not_acceptable",
            format!("this server answers {TAXII_MEDIA}; the request accepts {accept}"),
        )))
    }
}

/// The authenticated TAXII caller.
pub struct TaxiiAuth(pub Principal);

impl FromRequestParts<AppState> for TaxiiAuth {
    type Rejection = TaxiiError;
    async fn from_request_parts(parts: &mut Parts, st: &AppState) -> Result<Self, TaxiiError> {
        check_accept(&parts.headers)?;
        let value = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .ok_or_else(|| TaxiiError(ApiError::unauthorized()))?;
        let (scheme, rest) = value.split_once(' ').unwrap_or((value, ""));
        let rest = rest.trim();
        if scheme.eq_ignore_ascii_case("bearer") {
            if rest.len() > 128 {
                return Err(TaxiiError(ApiError::unauthorized()));
            }
            return match st.store.principal_for_token(rest).await? {
                Some(p) => Ok(TaxiiAuth(p)),
                None => Err(TaxiiError(ApiError::unauthorized())),
            };
        }
        if !scheme.eq_ignore_ascii_case("basic") {
            return Err(TaxiiError(ApiError::unauthorized()));
        }
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(rest)
            .ok()
            .and_then(|b| String::from_utf8(b).ok())
            .ok_or_else(|| TaxiiError(ApiError::unauthorized()))?;
        let (user, password) = decoded
            .split_once(':')
            .ok_or_else(|| TaxiiError(ApiError::unauthorized()))?;
        // An API token as the password: checked like a bearer token (a
        // hash lookup, no Argon2id), so never cached.
        if password.len() <= 128 {
            if let Some(p) = st.store.principal_for_token(password).await? {
                if p.username.as_str() == user {
                    return Ok(TaxiiAuth(p));
                }
            }
        }
        let key = BasicCache::key(user, password);
        // Read before the password is checked: a change in between leaves a
        // stamp that no longer matches, never a stale one that does.
        let stamp = st.store.credential_stamp(user).await?;
        if let Some((p, cached)) = st.basic_cache.get(&key) {
            if stamp.as_ref() == Some(&cached) {
                return Ok(TaxiiAuth(p));
            }
            st.basic_cache.forget(&key);
        }
        let client =
            crate::auth::client_addr(&parts.extensions, &parts.headers, &st.trusted_proxies);
        let p = crate::auth::check_password(st, user, password, &client).await?;
        if let Some(stamp) = stamp {
            st.basic_cache.put(key, p.clone(), stamp);
        }
        Ok(TaxiiAuth(p))
    }
}

/// The node's TAXII routes, to be nested at `/taxii2`.
pub fn router() -> Router<AppState> {
    let root = format!("/{API_ROOT}");
    Router::new()
        .route(&format!("{root}/"), get(api_root))
        .route(&format!("{root}/status/{{status_id}}/"), get(status))
        .route(&format!("{root}/collections/"), get(collections))
        .route(&format!("{root}/collections/{{cid}}/"), get(collection))
        .route(
            &format!("{root}/collections/{{cid}}/objects/"),
            get(get_objects).post(add_objects),
        )
        .route(
            &format!("{root}/collections/{{cid}}/objects/{{oid}}/"),
            get(get_object).delete(delete_object),
        )
        .route(
            &format!("{root}/collections/{{cid}}/objects/{{oid}}/versions/"),
            get(versions),
        )
        .route(
            &format!("{root}/collections/{{cid}}/manifest/"),
            get(manifest),
        )
        .fallback(missing_slash_or_not_found)
        .method_not_allowed_fallback(|| async {
            TaxiiError(ApiError::new(
                StatusCode::METHOD_NOT_ALLOWED,
                "method_not_allowed",
                "method not allowed on this TAXII endpoint",
            ))
        })
}

/// TAXII URLs end with a slash: a request without it is sent there (308
/// keeps the method and body); anything else is a TAXII 404.
async fn missing_slash_or_not_found(OriginalUri(uri): OriginalUri) -> Response {
    let path = uri.path();
    if !path.ends_with('/') {
        let to = match uri.query() {
            Some(q) => format!("{path}/?{q}"),
            None => format!("{path}/"),
        };
        if let Ok(v) = HeaderValue::from_str(&to) {
            return (StatusCode::PERMANENT_REDIRECT, [(header::LOCATION, v)]).into_response();
        }
    }
    TaxiiError(ApiError::not_found("no such TAXII endpoint")).into_response()
}

/// `scheme://host` of the request, for absolute URLs.
/// `GET /taxii2/`: the discovery resource.
pub async fn discovery(State(st): State<AppState>, _a: TaxiiAuth) -> TaxiiResult {
    // The configured URL, never the request's Host (a client could make
    // the node name any server as its API root).
    let root = format!("{}/taxii2/{API_ROOT}/", st.public_url);
    Ok(taxii_json(
        StatusCode::OK,
        &json!({
            "title": "coalesce TAXII 2.1",
            "description": "The STIX objects of this coalesce node: the reports, entities and relationships members share, and the objects they import — each caller sees exactly what its markings release to it.",
            "default": root,
            "api_roots": [root],
        }),
    ))
}

async fn api_root(State(st): State<AppState>, _a: TaxiiAuth) -> TaxiiResult {
    Ok(taxii_json(
        StatusCode::OK,
        &json!({
            "title": "coalesce",
            "description": "The node's one API root.",
            "versions": [TAXII_MEDIA],
            "max_content_length": st.stix_limit,
        }),
    ))
}

fn collection_info() -> Value {
    json!({
        "id": COLLECTION_ID,
        "title": "Coalition",
        "description": "Every STIX object of this node that your member may read: reports, entities (identities, infrastructure, locations), relationships, imported objects and the marking definitions they use.",
        "can_read": true,
        "can_write": true,
        "media_types": [STIX_MEDIA],
    })
}

fn records_collection_info() -> Value {
    json!({
        "id": RECORDS_COLLECTION_ID,
        "title": "Records of this node",
        "description": "Every record written on this node that your member may read, current version, in the node's own sequence, each signed by the node (coalesce record extension); a record narrowed away from your member since appears as a signed x-coalesce-revocation. What peer nodes pull. `next` is a sequence number; `added_after` is honoured.",
        "can_read": true,
        "can_write": false,
        "media_types": [STIX_MEDIA],
    })
}

/// The endpoints other than objects serve the coalition collection only.
fn check_collection(cid: &str) -> Result<(), TaxiiError> {
    if cid == COLLECTION_ID {
        Ok(())
    } else if cid == RECORDS_COLLECTION_ID {
        Err(TaxiiError(ApiError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
            "the records collection is read by GET …/objects/ only; its records are written through the node's API",
        )))
    } else {
        Err(TaxiiError(ApiError::not_found("no such collection")))
    }
}

async fn collections(_a: TaxiiAuth) -> TaxiiResult {
    Ok(taxii_json(
        StatusCode::OK,
        &json!({ "collections": [collection_info(), records_collection_info()] }),
    ))
}

async fn collection(_a: TaxiiAuth, Path(cid): Path<String>) -> TaxiiResult {
    if cid == RECORDS_COLLECTION_ID {
        return Ok(taxii_json(StatusCode::OK, &records_collection_info()));
    }
    check_collection(&cid)?;
    Ok(taxii_json(StatusCode::OK, &collection_info()))
}

/// Which query parameters an endpoint takes.
#[derive(Clone, Copy)]
struct Accepts {
    paging: bool,
    ids_types: bool,
    version: bool,
}

/// Parses the TAXII query string into a filter; anything malformed is a 400
/// naming the parameter.
fn parse_filter(
    raw: Option<&str>,
    accepts: Accepts,
    default_versions: VersionMatch,
    key: &CursorKey,
) -> Result<StixFilter, TaxiiError> {
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_str(raw.unwrap_or("")).map_err(|e| {
            bad(
                "invalid_query",
                format!("the query string is malformed: {e}"),
            )
        })?;
    let mut f = StixFilter {
        limit: DEFAULT_PAGE,
        versions: default_versions,
        ..Default::default()
    };
    let list = |v: &str| -> Vec<String> {
        v.split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect()
    };
    for (k, v) in &pairs {
        match k.as_str() {
            "added_after" if accepts.paging => {
                f.added_after_us = Some(stix_in::parse_timestamp_us(v).ok_or_else(|| {
                    bad(
                        "invalid_filter",
                        format!(
                            "added_after {v:?} is not a timestamp such as 2016-01-01T00:00:00.000Z"
                        ),
                    )
                })?);
            }
            "limit" if accepts.paging => {
                let n: i64 = v.parse().map_err(|_| {
                    bad(
                        "invalid_filter",
                        format!("limit {v:?} is not a positive integer"),
                    )
                })?;
                if n < 1 {
                    return Err(bad(
                        "invalid_filter",
                        format!("limit {v:?} is not a positive integer"),
                    ));
                }
                f.limit = n.min(MAX_TAXII_PAGE);
            }
            "next" if accepts.paging => {
                f.after = Some(key.open(v).ok_or_else(|| {
                    bad(
                        "invalid_filter",
                        format!("next {v:?} is not a token this server gave"),
                    )
                })?);
            }
            "match[id]" if accepts.ids_types => {
                let ids = list(v);
                if let Some(b) = ids.iter().find(|i| !stix_in::valid_identifier(i, None)) {
                    return Err(bad(
                        "invalid_filter",
                        format!("match[id] {b:?} is not a STIX identifier"),
                    ));
                }
                f.ids.extend(ids);
            }
            "match[type]" if accepts.ids_types => {
                let types = list(v);
                if let Some(b) = types.iter().find(|t| {
                    !stix_in::valid_identifier(
                        &format!("{t}--00000000-0000-4000-8000-000000000000"),
                        None,
                    )
                }) {
                    return Err(bad(
                        "invalid_filter",
                        format!("match[type] {b:?} is not a STIX type name"),
                    ));
                }
                f.types.extend(types);
            }
            "match[version]" if accepts.version => {
                let mut m = VersionMatch::default();
                for x in list(v) {
                    match x.as_str() {
                        "all" => m.all = true,
                        "first" => m.first = true,
                        "last" => m.last = true,
                        t => m.at.push(stix_in::parse_timestamp_us(t).ok_or_else(|| {
                            bad(
                                "invalid_filter",
                                format!(
                                    "match[version] {t:?} is not first, last, all or a timestamp"
                                ),
                            )
                        })?),
                    }
                }
                f.versions = m;
            }
            "match[spec_version]" => {
                let vs = list(v);
                if let Some(b) = vs.iter().find(|s| !matches!(s.as_str(), "2.0" | "2.1")) {
                    return Err(bad(
                        "invalid_filter",
                        format!("match[spec_version] {b:?} is not a STIX version (2.0, 2.1)"),
                    ));
                }
                f.spec_versions = vs;
            }
            k if k.starts_with("match[") => {
                return Err(bad(
                    "invalid_filter",
                    format!("{k} is not a filter of this endpoint"),
                ));
            }
            _ => {}
        }
    }
    Ok(f)
}

/// The `X-TAXII-Date-Added-First/Last` headers of a page.
fn page_headers(page: &StixPage, r: &mut Response) {
    let (Some(first), Some(last)) = (page.rows.first(), page.rows.last()) else {
        return;
    };
    for (name, us) in [
        ("x-taxii-date-added-first", first.date_added_us),
        ("x-taxii-date-added-last", last.date_added_us),
    ] {
        if let Ok(v) = HeaderValue::from_str(&stix_in::format_timestamp_us(us)) {
            r.headers_mut().insert(name, v);
        }
    }
}

/// An envelope of objects, written from the stored JSON without re-parsing.
fn envelope(page: &StixPage, key: &CursorKey) -> Response {
    let mut out = String::with_capacity(
        64 + page
            .rows
            .iter()
            .map(|r| r.body.as_ref().map_or(0, String::len) + 1)
            .sum::<usize>(),
    );
    out.push_str("{\"more\":");
    out.push_str(if page.more { "true" } else { "false" });
    if let Some((d, s)) = page.next() {
        out.push_str(",\"next\":\"");
        out.push_str(&key.seal(d, s));
        out.push('"');
    }
    if !page.rows.is_empty() {
        out.push_str(",\"objects\":[");
        for (i, r) in page.rows.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str(r.body.as_deref().unwrap_or("{}"));
        }
        out.push(']');
    }
    out.push('}');
    let mut r = (StatusCode::OK, taxii_headers(), out).into_response();
    page_headers(page, &mut r);
    r
}

const OBJECTS: Accepts = Accepts {
    paging: true,
    ids_types: true,
    version: true,
};

async fn get_objects(
    State(st): State<AppState>,
    TaxiiAuth(p): TaxiiAuth,
    Path(cid): Path<String>,
    RawQuery(q): RawQuery,
) -> TaxiiResult {
    if cid == RECORDS_COLLECTION_ID {
        return records_objects(&st, &p, q.as_deref()).await;
    }
    check_collection(&cid)?;
    let key = st.cursor_key().await?;
    let f = parse_filter(q.as_deref(), OBJECTS, VersionMatch::last(), &key)?;
    let page = st.store.stix_objects(&p, &f, true).await?;
    Ok(envelope(&page, &key))
}

/// `GET …/collections/<records>/objects/`: a page of the node's own
/// records by its sequence (`next` is the sequence number to continue
/// after), with the highest sequence number in `X-Coalesce-Seq-High`.
async fn records_objects(st: &AppState, p: &Principal, q: Option<&str>) -> TaxiiResult {
    // Peers only: a version travels whole, as signed (a commitment's parts
    // its reader may not read included, by id), for the peer node's own
    // read paths to redact; people read the coalition collection.
    if st.store.peer_of_user(p.username.as_str()).await?.is_none() {
        return Err(TaxiiError(ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "the records collection is served to peer nodes only (coalesce peer add); read the coalition collection",
        )));
    }
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_str(q.unwrap_or("")).map_err(|e| {
            bad(
                "invalid_query",
                format!("the query string is malformed: {e}"),
            )
        })?;
    if let Some((k, _)) = pairs.iter().find(|(k, _)| k.starts_with("match[")) {
        return Err(bad(
            "invalid_filter",
            format!("{k} is not a filter of the records collection (it pages by next, limit and added_after)"),
        ));
    }
    let mut after = 0;
    let mut limit = DEFAULT_PAGE;
    let mut added_after_ms = None;
    for (k, v) in &pairs {
        match k.as_str() {
            "next" => {
                after = v.parse::<i64>().ok().filter(|n| *n >= 0).ok_or_else(|| {
                    bad(
                        "invalid_filter",
                        format!("next {v:?} is not a token this server gave"),
                    )
                })?;
            }
            "limit" => {
                limit = v.parse::<i64>().ok().filter(|n| *n >= 1).ok_or_else(|| {
                    bad(
                        "invalid_filter",
                        format!("limit {v:?} is not a positive integer"),
                    )
                })?;
            }
            "added_after" => {
                let us = stix_in::parse_timestamp_us(v).ok_or_else(|| {
                    bad(
                        "invalid_filter",
                        format!(
                            "added_after {v:?} is not a timestamp such as 2016-01-01T00:00:00.000Z"
                        ),
                    )
                })?;
                added_after_ms = Some(us.div_euclid(1_000));
            }
            _ => {}
        }
    }
    let page =
        coalesce_app::federation::feed_objects(&st.store, p, after, added_after_ms, limit).await?;
    let mut body = json!({ "more": page.more });
    if let Some(n) = page.next {
        body["next"] = json!(n.to_string());
    }
    if !page.objects.is_empty() {
        body["objects"] = Value::Array(page.objects);
    }
    let mut r = taxii_json(StatusCode::OK, &body);
    for (name, ms) in [
        ("x-taxii-date-added-first", page.first_at_ms),
        ("x-taxii-date-added-last", page.last_at_ms),
    ] {
        if let Some(v) = ms.and_then(|ms| {
            HeaderValue::from_str(&stix_in::format_timestamp_us(ms.saturating_mul(1_000))).ok()
        }) {
            r.headers_mut().insert(name, v);
        }
    }
    if let Ok(v) = HeaderValue::from_str(&page.high.to_string()) {
        r.headers_mut()
            .insert(coalesce_app::federation::HIGH_HEADER, v);
    }
    if let Ok(v) = HeaderValue::from_str(&page.view) {
        r.headers_mut()
            .insert(coalesce_app::federation::VIEW_HEADER, v);
    }
    Ok(r)
}

async fn get_object(
    State(st): State<AppState>,
    TaxiiAuth(p): TaxiiAuth,
    Path((cid, oid)): Path<(String, String)>,
    RawQuery(q): RawQuery,
) -> TaxiiResult {
    check_collection(&cid)?;
    let oid = object_id(&oid)?;
    let accepts = Accepts {
        ids_types: false,
        ..OBJECTS
    };
    let key = st.cursor_key().await?;
    let mut f = parse_filter(q.as_deref(), accepts, VersionMatch::last(), &key)?;
    f.ids = vec![oid];
    let page = st.store.stix_objects(&p, &f, true).await?;
    if page.rows.is_empty() && f.after.is_none() {
        return Err(TaxiiError(ApiError::not_found(
            "no such object, or not releasable to you",
        )));
    }
    Ok(envelope(&page, &key))
}

fn object_id(oid: &str) -> Result<String, TaxiiError> {
    if stix_in::valid_identifier(oid, None) {
        Ok(oid.to_string())
    } else {
        Err(TaxiiError(ApiError::not_found(format!(
            "{oid:?} is not a STIX identifier"
        ))))
    }
}

async fn delete_object(
    State(st): State<AppState>,
    TaxiiAuth(p): TaxiiAuth,
    Path((cid, oid)): Path<(String, String)>,
    RawQuery(q): RawQuery,
) -> TaxiiResult {
    check_collection(&cid)?;
    let oid = object_id(&oid)?;
    let accepts = Accepts {
        paging: false,
        ids_types: false,
        version: true,
    };
    let key = st.cursor_key().await?;
    let f = parse_filter(q.as_deref(), accepts, VersionMatch::all(), &key)?;
    st.store
        .stix_delete(&p, &oid, &f.versions, &f.spec_versions)
        .await?;
    Ok((StatusCode::OK, taxii_headers()).into_response())
}

async fn versions(
    State(st): State<AppState>,
    TaxiiAuth(p): TaxiiAuth,
    Path((cid, oid)): Path<(String, String)>,
    RawQuery(q): RawQuery,
) -> TaxiiResult {
    check_collection(&cid)?;
    let oid = object_id(&oid)?;
    let accepts = Accepts {
        paging: true,
        ids_types: false,
        version: false,
    };
    let key = st.cursor_key().await?;
    let mut f = parse_filter(q.as_deref(), accepts, VersionMatch::all(), &key)?;
    f.ids = vec![oid];
    let page = st.store.stix_objects(&p, &f, false).await?;
    if page.rows.is_empty() && f.after.is_none() && f.added_after_us.is_none() {
        return Err(TaxiiError(ApiError::not_found(
            "no such object, or not releasable to you",
        )));
    }
    let body = json!({
        "more": page.more,
        "versions": page.rows.iter().map(|r| r.version.clone()).collect::<Vec<_>>(),
    });
    Ok(paged(&page, body, &key))
}

async fn manifest(
    State(st): State<AppState>,
    TaxiiAuth(p): TaxiiAuth,
    Path(cid): Path<String>,
    RawQuery(q): RawQuery,
) -> TaxiiResult {
    check_collection(&cid)?;
    let key = st.cursor_key().await?;
    let f = parse_filter(q.as_deref(), OBJECTS, VersionMatch::last(), &key)?;
    let page = st.store.stix_objects(&p, &f, false).await?;
    let objects: Vec<Value> = page
        .rows
        .iter()
        .map(|r| {
            json!({
                "id": r.stix_id,
                "date_added": stix_in::format_timestamp_us(r.date_added_us),
                "version": r.version,
                "media_type": STIX_MEDIA,
            })
        })
        .collect();
    let mut body = json!({ "more": page.more });
    if !objects.is_empty() {
        body["objects"] = json!(objects);
    }
    Ok(paged(&page, body, &key))
}

/// A page's JSON with its `next` token and date-added headers.
fn paged(page: &StixPage, mut body: Value, key: &CursorKey) -> Response {
    if let Some((d, s)) = page.next() {
        body["next"] = json!(key.seal(d, s));
    }
    let mut r = taxii_json(StatusCode::OK, &body);
    page_headers(page, &mut r);
    r
}

/// Reads a request body up to the node's STIX limit (413 beyond it).
pub async fn limited_body(
    st: &AppState,
    headers: &HeaderMap,
    body: Body,
) -> Result<Bytes, ApiError> {
    let too_large = || {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
            format!(
                "the body is larger than this node's limit of {} bytes",
                st.stix_limit
            ),
        )
    };
    if let Some(n) = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok())
    {
        if n > st.stix_limit {
            return Err(too_large());
        }
    }
    axum::body::to_bytes(body, st.stix_limit)
        .await
        .map_err(|_| too_large())
}

async fn add_objects(
    State(st): State<AppState>,
    TaxiiAuth(p): TaxiiAuth,
    Path(cid): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> TaxiiResult {
    check_collection(&cid)?;
    let ct = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if !is_taxii(ct) {
        return Err(TaxiiError(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            format!("send the envelope as {TAXII_MEDIA}"),
        )));
    }
    let bytes = limited_body(&st, &headers, body).await?;
    let env: Value = coalesce_app::exchange::parse_json(bytes)
        .await
        .map_err(|e| match e.code {
            "invalid_json" => bad("invalid_json", e.detail),
            _ => TaxiiError(e),
        })?;
    let objects = env
        .get("objects")
        .and_then(Value::as_array)
        .ok_or_else(|| {
            bad(
                "invalid_envelope",
                "the body is not a TAXII envelope with `objects`",
            )
        })?;
    let request_timestamp = stix_in::format_timestamp_us(coalesce_store::stix::now_us());
    let id = uuid::Uuid::now_v7().to_string();
    if objects.len() <= TAXII_INLINE_OBJECTS {
        let outcomes = st.store.stix_add(&p, objects, false, "taxii").await?;
        let status = completed_status(&id, &request_timestamp, &outcomes);
        st.store.taxii_status_put(&p, &id, &status).await?;
        return Ok(taxii_json(StatusCode::ACCEPTED, &status));
    }
    // A large envelope: answered at once with a pending status resource;
    // a job (`taxii-add`, in /api/v1/jobs) adds the objects and completes it.
    let objects = match env {
        Value::Object(mut m) => match m.remove("objects") {
            Some(Value::Array(a)) => a,
            _ => Vec::new(),
        },
        _ => Vec::new(),
    };
    let pendings: Vec<Value> = objects
        .iter()
        .map(|o| json!({ "id": o.get("id").and_then(Value::as_str).unwrap_or("") }))
        .collect();
    let pending = status_resource(&id, &request_timestamp, vec![], vec![], pendings);
    coalesce_store::records::check_writer(&p).map_err(ApiError::from)?;
    st.store.taxii_status_put(&p, &id, &pending).await?;
    let store = st.store.clone();
    let who = p.clone();
    let status_id = id.clone();
    let stamp = request_timestamp.clone();
    let started = st.jobs.start_another(
        "taxii-add",
        &p,
        coalesce_app::exchange::MAX_IMPORTS_RUNNING,
        move |job| async move {
            let total = objects.len() as u64;
            let go_on = |done: usize, total: usize| {
                job.progress("adding", done as u64, Some(total as u64));
                !job.stopped()
            };
            let added = store
                .stix_add_watched(&who, &objects, false, "taxii", go_on)
                .await;
            // The status resource says how it ended, whatever the end.
            let (status, outcome) = match added {
                Ok(Some(outcomes)) => {
                    let ok = outcomes.iter().filter(|o| o.error.is_none()).count();
                    (
                        completed_status(&status_id, &stamp, &outcomes),
                        Ok(format!("{ok} of {total} objects added")),
                    )
                }
                Ok(None) => (
                    all_failed(
                        &status_id,
                        &stamp,
                        &objects,
                        "the addition was cancelled; nothing was written",
                    ),
                    Err(coalesce_app::jobs::JobHandle::cancelled()),
                ),
                Err(e) => {
                    let e = ApiError::from(e);
                    (all_failed(&status_id, &stamp, &objects, &e.detail), Err(e))
                }
            };
            complete_status(&store, &who, &status_id, &status).await?;
            outcome
        },
    );
    if let Err(e) = started {
        // No job (409: the member's additions running already; 503: the
        // node stopping): the client never learns this status resource.
        st.store.taxii_status_delete(&p, &id).await?;
        return Err(TaxiiError(e));
    }
    Ok(taxii_json(StatusCode::ACCEPTED, &pending))
}

/// Writes the completed status resource of a job's addition. The objects'
/// transaction has ended; the database's one writer may be held by another
/// long write for a while (beyond the busy timeout), so it is tried again
/// a few times before the job gives up (the startup sweep,
/// [`complete_interrupted_additions`], is the last resort).
async fn complete_status(
    store: &coalesce_store::Store,
    p: &Principal,
    id: &str,
    status: &Value,
) -> Result<(), StoreError> {
    let mut tries = 0;
    loop {
        match store.taxii_status_update(p, id, status).await {
            Err(StoreError::Database(e)) if tries < 5 => {
                tries += 1;
                tracing::warn!(status = id, error = %e, "completing a TAXII status failed; trying again");
                tokio::time::sleep(std::time::Duration::from_secs(1)).await;
            }
            done => return done,
        }
    }
}

/// At the node's start: a status resource still pending belonged to an
/// addition the node stopped during (killed, or a shutdown that did not
/// wait for it). Its objects were written or not as a whole (one
/// transaction); the status says it was interrupted and how to tell.
/// Returns how many were completed.
pub async fn complete_interrupted_additions(
    store: &coalesce_store::Store,
) -> Result<usize, StoreError> {
    let pending = store.taxii_pending_statuses().await?;
    for (id, body) in &pending {
        let stamp = body["request_timestamp"].as_str().unwrap_or("");
        let status = all_failed(
            id,
            stamp,
            &objects_of(body),
            "the node stopped before this addition was confirmed: its objects were written all or none; read them to tell",
        );
        store.taxii_status_replace(id, &status).await?;
    }
    Ok(pending.len())
}

/// Envelopes of up to this many objects are added within the request
/// (the status resource answered is complete); larger ones by a job.
pub const TAXII_INLINE_OBJECTS: usize = 1_000;

/// The completed status resource of an addition.
fn completed_status(
    id: &str,
    request_timestamp: &str,
    outcomes: &[coalesce_store::stix::AddOutcome],
) -> Value {
    let entry = |o: &coalesce_store::stix::AddOutcome| {
        let mut e = json!({ "id": o.id });
        if let Some(v) = &o.version {
            e["version"] = json!(v);
        }
        if let Some(m) = &o.error {
            e["message"] = json!(m);
        } else if o.already_held {
            e["message"] = json!("already held");
        }
        e
    };
    let successes: Vec<Value> = outcomes
        .iter()
        .filter(|o| o.error.is_none())
        .map(entry)
        .collect();
    let failures: Vec<Value> = outcomes
        .iter()
        .filter(|o| o.error.is_some())
        .map(entry)
        .collect();
    status_resource(id, request_timestamp, successes, failures, vec![])
}

/// A status resource (TAXII 2.1 §4.3.1): complete when nothing is pending.
fn status_resource(
    id: &str,
    request_timestamp: &str,
    successes: Vec<Value>,
    failures: Vec<Value>,
    pendings: Vec<Value>,
) -> Value {
    json!({
        "id": id,
        "status": if pendings.is_empty() { "complete" } else { "pending" },
        "request_timestamp": request_timestamp,
        "total_count": successes.len() + failures.len() + pendings.len(),
        "success_count": successes.len(),
        "successes": successes,
        "failure_count": failures.len(),
        "failures": failures,
        "pending_count": pendings.len(),
        "pendings": pendings,
    })
}

/// The ids a pending status resource lists, as objects with an `id`.
fn objects_of(pending: &Value) -> Vec<Value> {
    pending["pendings"].as_array().cloned().unwrap_or_default()
}

/// A completed status resource in which every object failed for `why`.
fn all_failed(id: &str, request_timestamp: &str, objects: &[Value], why: &str) -> Value {
    let failures: Vec<Value> = objects
        .iter()
        .map(|o| json!({ "id": o.get("id").and_then(Value::as_str).unwrap_or(""), "message": why }))
        .collect();
    status_resource(id, request_timestamp, vec![], failures, vec![])
}

async fn status(
    State(st): State<AppState>,
    TaxiiAuth(p): TaxiiAuth,
    Path(status_id): Path<String>,
) -> TaxiiResult {
    let s = st
        .store
        .taxii_status_get(&p, &status_id)
        .await
        .map_err(|e| match e {
            StoreError::NotFound => TaxiiError(ApiError::not_found("no such status resource")),
            other => other.into(),
        })?;
    Ok(taxii_json(StatusCode::OK, &s))
}

#[cfg(test)]
mod tests;
