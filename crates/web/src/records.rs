//! The pages of every kind served by the record layer, once: list (with
//! its count), record (marking banners at top and bottom, fields, withdraw
//! form for its origin's users), versions, and a form to record or change
//! one — one text field per field of the kind. A kind joins the web
//! interface with one line in [`KINDS`].

use crate::form::Form;
use crate::{bad_id_page, csrf_rejection, html, rel_to_tokens, Page};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use coalesce_app::read_paths::ReadPath;
use coalesce_app::records::{kind_fields_of, record_out, ApiKind};
use coalesce_app::{ApiError, AppState};
use coalesce_domain::contact::ContactKind;
use coalesce_domain::record::{Kind, Status};
use coalesce_domain::Marking;
use coalesce_store::records::RecordFilter;
use minijinja::context;
use serde::Deserialize;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// A kind the web interface serves.
pub struct PageKind {
    /// The URL segment (`contacts`), as in the API.
    pub path: &'static str,
    pub name: &'static str,
    /// What a list is called ("Points of contact").
    pub title: &'static str,
    router: fn() -> Router<AppState>,
}

const fn pages<K: ApiKind>(path: &'static str, title: &'static str) -> PageKind
where
    K::Body: utoipa::ToSchema,
{
    PageKind {
        path,
        name: K::NAME,
        title,
        router: router::<K>,
    }
}

/// Every kind with pages. Adding a kind: one line here.
pub const KINDS: &[PageKind] = &[pages::<ContactKind>("contacts", "Points of contact")];

pub(crate) fn routes() -> Router<AppState> {
    KINDS
        .iter()
        .fold(Router::new(), |r, k| r.merge((k.router)()))
}

/// The read paths of every kind's pages, for the registry.
pub fn read_paths() -> Vec<ReadPath> {
    KINDS
        .iter()
        .flat_map(|k| {
            let reads: &'static [&'static str] = Box::leak(vec![k.name].into_boxed_slice());
            [
                ("", reads),
                ("/new", &["registry"][..]),
                ("/{id}", reads),
                ("/{id}/edit", reads),
                ("/{id}/versions", reads),
            ]
            .into_iter()
            .map(move |(suffix, reads)| ReadPath {
                path: Box::leak(format!("/{}{suffix}", k.path).into_boxed_str()),
                reads,
            })
        })
        .collect()
}

fn kind<K: Kind>() -> &'static PageKind {
    KINDS
        .iter()
        .find(|k| k.name == K::NAME)
        .unwrap_or(&KINDS[0])
}

fn router<K: ApiKind>() -> Router<AppState>
where
    K::Body: utoipa::ToSchema,
{
    let base = format!("/{}", kind::<K>().path);
    Router::new()
        .route(&base, get(list::<K>).post(create::<K>))
        .route(&format!("{base}/new"), get(new::<K>))
        .route(&format!("{base}/{{id}}"), get(show::<K>).post(change::<K>))
        .route(&format!("{base}/{{id}}/edit"), get(edit::<K>))
        .route(&format!("{base}/{{id}}/versions"), get(versions::<K>))
        .route(
            &format!("{base}/{{id}}/withdraw"),
            axum::routing::post(withdraw::<K>),
        )
}

#[derive(Debug, Deserialize)]
struct ListQuery {
    cursor: Option<String>,
}

/// A record as its pages show it: its wire form plus `fields` (the kind's,
/// from [`kind_fields_of`], read once per page) in order.
fn view<K: ApiKind>(
    p: &Page,
    r: &coalesce_domain::record::Record<K::Body>,
    fields: &[(String, bool)],
) -> Value
where
    K::Body: utoipa::ToSchema,
{
    let out = record_out::<K>(r);
    let path = kind::<K>().path;
    let fields: Vec<Value> = fields
        .iter()
        .map(|(f, _)| {
            let v = out.get(f).cloned().unwrap_or(Value::Null);
            serde_json::json!({ "name": f, "label": label(p, path, f), "value": v })
        })
        .collect();
    serde_json::json!({ "record": out, "fields": fields })
}

/// A field's label in the reader's language: the message
/// `record-{path}-field-{field}`, or else made from its name (`phone` →
/// "Phone", `contact_role` → "Contact role").
fn label(p: &Page, path: &str, field: &str) -> String {
    let id = format!("record-{path}-field-{field}");
    let said = p.t(&id);
    if said != id {
        return said;
    }
    let words = field.replace('_', " ");
    let mut c = words.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

/// A message of a kind's pages (`record-{path}-{what}`: `list`, `new`,
/// `change`, `versions`, `of`, `withdraw`); a list without its message is
/// called by its English title.
fn kind_says(p: &Page, k: &PageKind, what: &str) -> String {
    let id = format!("record-{}-{what}", k.path);
    let said = p.t(&id);
    if said == id && what == "list" {
        return k.title.to_string();
    }
    said
}

async fn list<K: ApiKind>(
    State(st): State<AppState>,
    p: Page,
    Query(q): Query<ListQuery>,
) -> Response
where
    K::Body: utoipa::ToSchema,
{
    let page_ = tri!(
        st.store
            .list_records::<K>(
                &p.principal,
                &RecordFilter::default(),
                q.cursor.as_deref(),
                50
            )
            .await,
        p
    );
    let count = tri!(st.store.count_records::<K>(&p.principal).await, p);
    let fields = kind_fields_of::<K>();
    let items: Vec<Value> = page_
        .items
        .iter()
        .map(|r| view::<K>(&p, r, &fields))
        .collect();
    let k = kind::<K>();
    let columns: Vec<String> = fields.iter().map(|(f, _)| label(&p, k.path, f)).collect();
    html(
        Some(&p),
        StatusCode::OK,
        "record_list.html",
        context! { title => kind_says(&p, k, "list"), path => k.path, items, columns, count, next => page_.next },
        st.secure_cookies,
    )
}

async fn show<K: ApiKind>(State(st): State<AppState>, p: Page, Path(id): Path<String>) -> Response
where
    K::Body: utoipa::ToSchema,
{
    let missing = format!("no such {}", K::LABEL);
    if let Some(r) = bad_id_page(&id, &missing, &p) {
        return r;
    }
    let r = tri!(st.store.get_record::<K>(&p.principal, &id).await, p);
    let can_change = r.origin == p.principal.member.as_str()
        && p.principal.role.can_write_records()
        && r.status == Status::Live;
    let k = kind::<K>();
    html(
        Some(&p),
        StatusCode::OK,
        "record.html",
        context! { title => kind_says(&p, k, "list"), path => k.path, view => view::<K>(&p, &r, &kind_fields_of::<K>()), can_change, cited => crate::cited(&st, coalesce_domain::source::Subject::Record(id.clone())).await },
        st.secure_cookies,
    )
}

async fn versions<K: ApiKind>(
    State(st): State<AppState>,
    p: Page,
    Path(id): Path<String>,
) -> Response
where
    K::Body: utoipa::ToSchema,
{
    let missing = format!("no such {}", K::LABEL);
    if let Some(r) = bad_id_page(&id, &missing, &p) {
        return r;
    }
    let r = tri!(st.store.get_record::<K>(&p.principal, &id).await, p);
    let vs = tri!(st.store.record_versions::<K>(&p.principal, &id).await, p);
    let fields = kind_fields_of::<K>();
    let rows: Vec<Value> = vs
        .iter()
        .map(|v| {
            let body = serde_json::to_value(&v.body).unwrap_or(Value::Null);
            let values: Vec<Value> = fields
                .iter()
                .map(|(f, _)| body.get(f).cloned().unwrap_or(Value::Null))
                .collect();
            let origin = coalesce_domain::MemberCode::parse(&r.origin).ok();
            serde_json::json!({
                "version": v.version,
                "status": v.status,
                "banner": origin.map(|o| v.marking.banner(&o)).unwrap_or_default(),
                "author": v.author,
                "at": coalesce_app::wire::rfc3339(v.at_ms),
                "values": values,
            })
        })
        .collect();
    let k = kind::<K>();
    let columns: Vec<String> = fields.iter().map(|(f, _)| label(&p, k.path, f)).collect();
    html(
        Some(&p),
        StatusCode::OK,
        "record_versions.html",
        context! { title => kind_says(&p, k, "versions"), path => k.path, view => view::<K>(&p, &r, &fields), rows, columns },
        st.secure_cookies,
    )
}

/// A form as sent: the CSRF token, the marking, `if_version` and the
/// kind's fields.
type FormFields = BTreeMap<String, String>;

/// The body and marking of a form; an empty optional field is left out.
fn parse_form<K: ApiKind>(f: &FormFields) -> Result<(K::Body, Marking), ApiError>
where
    K::Body: utoipa::ToSchema,
{
    let mut body = Map::new();
    for (name, required) in kind_fields_of::<K>() {
        let v = f.get(&name).map(|s| s.trim()).unwrap_or("");
        if !v.is_empty() || required {
            body.insert(name, Value::from(v));
        }
    }
    let body: K::Body = serde_json::from_value(Value::Object(body)).map_err(|e| {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_body",
            e.to_string(),
        )
    })?;
    let marking = Marking::parse(
        f.get("tlp").map(String::as_str).unwrap_or(""),
        &rel_to_tokens(f.get("rel_to").map(String::as_str).unwrap_or("")),
    )?;
    Ok((body, marking))
}

async fn form_page<K: ApiKind>(
    st: &AppState,
    p: &Page,
    status: StatusCode,
    action: &str,
    values: &FormFields,
    error: Option<String>,
) -> Response
where
    K::Body: utoipa::ToSchema,
{
    let k = kind::<K>();
    let fields: Vec<Value> = kind_fields_of::<K>()
        .into_iter()
        .map(|(name, required)| {
            serde_json::json!({
                "name": name,
                "label": label(p, k.path, &name),
                "required": required,
                "value": values.get(&name).cloned().unwrap_or_default(),
            })
        })
        .collect();
    let editing = values.contains_key("if_version");
    html(
        Some(p),
        status,
        "record_form.html",
        context! {
            title => kind_says(p, k, if editing { "change" } else { "new" }),
            path => k.path, action, fields, form => values, error,
            submit => p.t(if editing { "records-save-new-version" } else { "record-submit" }),
        },
        st.secure_cookies,
    )
}

async fn new<K: ApiKind>(State(st): State<AppState>, p: Page) -> Response
where
    K::Body: utoipa::ToSchema,
{
    let values = FormFields::from([("tlp".to_string(), "AMBER".to_string())]);
    let action = format!("/{}", kind::<K>().path);
    form_page::<K>(&st, &p, StatusCode::OK, &action, &values, None).await
}

async fn create<K: ApiKind>(
    State(st): State<AppState>,
    p: Page,
    headers: HeaderMap,
    Form(f): Form<FormFields>,
) -> Response
where
    K::Body: utoipa::ToSchema,
{
    if let Some(r) = csrf_rejection(&headers, f.get("csrf").map(String::as_str).unwrap_or("")) {
        return r;
    }
    let path = kind::<K>().path;
    let result = match parse_form::<K>(&f) {
        Ok((body, marking)) => st
            .store
            .create_record::<K>(&p.principal, body, marking)
            .await
            .map_err(ApiError::from),
        Err(e) => Err(e),
    };
    match result {
        Ok(r) => Redirect::to(&format!("/{path}/{}", r.id)).into_response(),
        Err(e) => form_page::<K>(&st, &p, e.status, &format!("/{path}"), &f, Some(e.detail)).await,
    }
}

async fn edit<K: ApiKind>(State(st): State<AppState>, p: Page, Path(id): Path<String>) -> Response
where
    K::Body: utoipa::ToSchema,
{
    let missing = format!("no such {}", K::LABEL);
    if let Some(r) = bad_id_page(&id, &missing, &p) {
        return r;
    }
    let r = tri!(st.store.get_record::<K>(&p.principal, &id).await, p);
    let body = serde_json::to_value(&r.body).unwrap_or(Value::Null);
    let mut values: FormFields = kind_fields_of::<K>()
        .into_iter()
        .filter_map(|(f, _)| {
            let v = body.get(&f)?.as_str()?.to_string();
            Some((f, v))
        })
        .collect();
    values.insert("tlp".into(), r.marking.tlp.as_str().into());
    values.insert(
        "rel_to".into(),
        r.marking
            .rel_to
            .iter()
            .map(|t| t.as_string())
            .collect::<Vec<_>>()
            .join(", "),
    );
    values.insert("if_version".into(), r.version.to_string());
    let action = format!("/{}/{id}", kind::<K>().path);
    form_page::<K>(&st, &p, StatusCode::OK, &action, &values, None).await
}

fn if_version(f: &FormFields) -> Option<i64> {
    f.get("if_version").and_then(|v| v.parse().ok())
}

async fn change<K: ApiKind>(
    State(st): State<AppState>,
    p: Page,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(f): Form<FormFields>,
) -> Response
where
    K::Body: utoipa::ToSchema,
{
    if let Some(r) = csrf_rejection(&headers, f.get("csrf").map(String::as_str).unwrap_or("")) {
        return r;
    }
    let missing = format!("no such {}", K::LABEL);
    if let Some(r) = bad_id_page(&id, &missing, &p) {
        return r;
    }
    let path = kind::<K>().path;
    let result = match parse_form::<K>(&f) {
        Ok((body, marking)) => st
            .store
            .change_record::<K>(&p.principal, &id, body, marking, if_version(&f))
            .await
            .map_err(ApiError::from),
        Err(e) => Err(e),
    };
    match result {
        Ok(r) => Redirect::to(&format!("/{path}/{}", r.id)).into_response(),
        Err(e) => {
            form_page::<K>(
                &st,
                &p,
                e.status,
                &format!("/{path}/{id}"),
                &f,
                Some(e.detail),
            )
            .await
        }
    }
}

async fn withdraw<K: ApiKind>(
    State(st): State<AppState>,
    p: Page,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(f): Form<FormFields>,
) -> Response
where
    K::Body: utoipa::ToSchema,
{
    if let Some(r) = csrf_rejection(&headers, f.get("csrf").map(String::as_str).unwrap_or("")) {
        return r;
    }
    let missing = format!("no such {}", K::LABEL);
    if let Some(r) = bad_id_page(&id, &missing, &p) {
        return r;
    }
    tri!(
        st.store
            .withdraw_record::<K>(&p.principal, &id, if_version(&f))
            .await,
        p
    );
    Redirect::to(&format!("/{}/{id}", kind::<K>().path)).into_response()
}
