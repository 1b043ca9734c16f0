//! The screening page: screen one party or a CSV batch (an uploaded file or
//! pasted text, capped at [`MAX_BATCH_ROWS`]) against the loaded sanctions
//! lists, review hits (confirmed / false positive), the member's past
//! decisions, the list versions and what changed in each; and the screening
//! section of report, entity and contribution pages.

use super::{api_error_page, csrf_rejection, html, i18n, Page};
use crate::form::Form;
use axum::extract::Path;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use coalesce_app::screening::{
    attach_decisions, decision_out, list_versions_out, record, result_out, screen_parties,
    DecisionIn, DecisionOut, ListChangesOut, PartyToScreen, PropertiesIn, QueryIn, ScreenResultOut,
    ScreenedParty,
};
use coalesce_app::{ApiError, AppState};
use fluent_bundle::FluentValue;
use minijinja::{context, Value};
use serde::{Deserialize, Serialize};

/// Rows a pasted batch may hold.
pub const MAX_BATCH_ROWS: usize = 10_000;
/// Batch hits listed on the page at most.
const MAX_BATCH_SHOWN: usize = 1_000;

#[derive(Deserialize, Serialize, Default)]
pub(crate) struct ScreenForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    birth_date: String,
    #[serde(default)]
    nationality: String,
    #[serde(default)]
    schema: String,
}

#[derive(Deserialize, Default)]
pub(crate) struct BatchForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    csv: String,
    /// Why an uploaded file could not be read.
    #[serde(skip)]
    upload_error: Option<String>,
}

/// A batch as the page sends it: pasted text (a urlencoded form) or an
/// uploaded CSV file (a multipart form; the file wins over the text box
/// when both are given).
pub(crate) struct BatchInput(BatchForm);

impl<S: Send + Sync> axum::extract::FromRequest<S> for BatchInput {
    type Rejection = Response;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, Self::Rejection> {
        let multipart = req
            .headers()
            .get(axum::http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("multipart/form-data"));
        if !multipart {
            let Form(f) = Form::<BatchForm>::from_request(req, state)
                .await
                .map_err(IntoResponse::into_response)?;
            return Ok(BatchInput(f));
        }
        let bad = |detail: String| (StatusCode::BAD_REQUEST, detail).into_response();
        let mut mp = axum::extract::Multipart::from_request(req, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let mut f = BatchForm::default();
        let mut file: Option<Vec<u8>> = None;
        while let Some(field) = mp
            .next_field()
            .await
            .map_err(|e| bad(format!("the upload could not be read: {e}")))?
        {
            let name = field.name().unwrap_or_default().to_string();
            let bytes = field
                .bytes()
                .await
                .map_err(|e| bad(format!("the upload could not be read: {e}")))?;
            match name.as_str() {
                "csrf" => f.csrf = String::from_utf8_lossy(&bytes).into_owned(),
                "csv" => f.csv = String::from_utf8_lossy(&bytes).into_owned(),
                "file" if !bytes.is_empty() => file = Some(bytes.to_vec()),
                _ => {}
            }
        }
        if let Some(bytes) = file {
            match String::from_utf8(bytes) {
                Ok(text) => f.csv = text.trim_start_matches('\u{feff}').to_string(),
                Err(e) => {
                    // Shown on the page: the screen_text check refuses it.
                    f.csv = String::new();
                    f.upload_error = Some(format!(
                        "the uploaded file is not UTF-8 text (byte {} is not); save it as UTF-8 CSV",
                        e.utf8_error().valid_up_to() + 1
                    ));
                }
            }
        }
        Ok(BatchInput(f))
    }
}

#[derive(Deserialize)]
pub(crate) struct DecisionForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    party: String,
    #[serde(default)]
    entity_id: String,
    #[serde(default)]
    decision: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    birth_date: String,
    #[serde(default)]
    nationality: String,
    #[serde(default)]
    schema: String,
    /// The page the form was on (a report, entity or contribution page):
    /// where to go back to once the decision is recorded.
    #[serde(default)]
    back: String,
}

#[derive(Deserialize)]
pub(crate) struct ShowQuery {
    cursor: Option<String>,
}

#[derive(Serialize)]
struct BatchHit {
    row_id: String,
    party: String,
    result: ScreenResultOut,
}

#[derive(Serialize, Default)]
struct BatchOut {
    rows: u64,
    hits: u64,
    alerts: usize,
    shown: usize,
    truncated: bool,
    items: Vec<BatchHit>,
}

/// What the page shows besides the forms.
#[derive(Default)]
struct Extra {
    results: Option<Vec<ScreenResultOut>>,
    batch: Option<BatchOut>,
    batch_csv: Option<String>,
    notice: Option<String>,
    error: Option<String>,
}

async fn render_page(
    st: &AppState,
    p: &Page,
    status: StatusCode,
    form: &ScreenForm,
    cursor: Option<&str>,
    extra: Extra,
) -> Response {
    let decisions = match st
        .store
        .list_screening_decisions(&p.principal, cursor, 50)
        .await
    {
        Ok(d) => d,
        Err(e) => return api_error_page(e.into(), Some(p)),
    };
    let decisions_next = decisions.next;
    let decisions: Vec<DecisionOut> = decisions
        .items
        .into_iter()
        .map(|d| decision_out(d, st))
        .collect();
    let versions = match list_versions_out(st).await {
        Ok(v) => v,
        Err(e) => return api_error_page(e.into(), Some(p)),
    };
    let lists = st.screener.is_some();
    // The node's rescreening after a list update (a node job, newest first).
    let rescreen = st
        .jobs
        .list(&p.principal)
        .into_iter()
        .find(|j| j.kind == "rescreen" && j.member == coalesce_app::jobs::NODE);
    let alerts = extra
        .results
        .as_ref()
        .map_or(0, |r| r.iter().filter(|r| r.alert()).count());
    let ctx = context! {
        title => p.t("screening-title"),
        form => Value::from_serialize(form),
        lists,
        versions => Value::from_serialize(&versions),
        rescreen => Value::from_serialize(&rescreen),
        results => extra.results,
        alerts,
        batch => extra.batch,
        batch_csv => extra.batch_csv,
        notice => extra.notice,
        error => extra.error,
        decisions,
        decisions_next,
        can_decide => p.principal.role.can_write_records() && st.screener.is_some(),
        max_rows => MAX_BATCH_ROWS,
    };
    html(Some(p), status, "screen.html", ctx, st.secure_cookies)
}

pub(crate) async fn show(
    State(st): State<AppState>,
    p: Page,
    Query(q): Query<ShowQuery>,
) -> Response {
    let cursor = q.cursor.filter(|c| !c.is_empty());
    render_page(
        &st,
        &p,
        StatusCode::OK,
        &ScreenForm::default(),
        cursor.as_deref(),
        Extra::default(),
    )
    .await
}

/// Screens the form's party and joins the member's decisions.
async fn run_single(
    st: &AppState,
    p: &Page,
    f: &ScreenForm,
) -> Result<Vec<ScreenResultOut>, ApiError> {
    let screener = st
        .screener
        .clone()
        .ok_or_else(coalesce_app::screening::no_lists)?;
    let nonempty = |s: &str| -> Vec<String> {
        let s = s.trim();
        if s.is_empty() {
            vec![]
        } else {
            vec![s.to_string()]
        }
    };
    let q = QueryIn {
        schema: Some(f.schema.trim().to_string()).filter(|s| !s.is_empty()),
        properties: PropertiesIn {
            name: nonempty(&f.name),
            birth_date: nonempty(&f.birth_date),
            nationality: nonempty(&f.nationality),
            ..PropertiesIn::default()
        },
    };
    let mq = q.to_match_query("name")?;
    let r = screener
        .match_query(&mq, &coalesce_screen::MatchOptions::default())
        .map_err(|e| {
            ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_body",
                e.to_string(),
            )
        })?;
    let results = r
        .results
        .into_iter()
        .map(|r| result_out(r, &st.entry_hashes))
        .collect();
    let mut groups = vec![(q.screened_party(), results)];
    attach_decisions(&st.store, &p.principal, &mut groups).await?;
    Ok(groups.pop().map(|g| g.1).unwrap_or_default())
}

pub(crate) async fn single(
    State(st): State<AppState>,
    p: Page,
    headers: HeaderMap,
    Form(f): Form<ScreenForm>,
) -> Response {
    if let Some(r) = csrf_rejection(&headers, &f.csrf) {
        return r;
    }
    let (status, extra) = match run_single(&st, &p, &f).await {
        Ok(results) => (
            StatusCode::OK,
            Extra {
                results: Some(results),
                ..Extra::default()
            },
        ),
        Err(e) => (
            e.status,
            Extra {
                error: Some(e.detail),
                ..Extra::default()
            },
        ),
    };
    render_page(&st, &p, status, &f, None, extra).await
}

/// Screens a pasted batch: the summary and the results as CSV ([`coalesce_screen::BATCH_HEADER`]).
async fn screen_text(
    st: &AppState,
    text: String,
) -> Result<(coalesce_screen::BatchSummary, Vec<u8>), ApiError> {
    let screener = st
        .screener
        .clone()
        .ok_or_else(coalesce_app::screening::no_lists)?;
    if text.trim().is_empty() {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_csv",
            "no parties: choose a CSV file or paste the parties",
        ));
    }
    // Lines bound rows from above (quoted fields may span lines).
    let lines = text.lines().filter(|l| !l.trim().is_empty()).count();
    if lines.saturating_sub(1) > MAX_BATCH_ROWS {
        return Err(ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "batch_too_large",
            format!("at most {MAX_BATCH_ROWS} rows per batch on this page; use the API or `coalesce screen` for more"),
        ));
    }
    tokio::task::spawn_blocking(move || {
        let mut out = Vec::new();
        coalesce_screen::screen_csv(
            &screener,
            text.as_bytes(),
            &mut out,
            coalesce_screen::DEFAULT_THRESHOLD,
            &mut |_| {},
        )
        .map(|sum| (sum, out))
    })
    .await
    .map_err(|_| {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "internal error; see the node's log",
        )
    })?
    .map_err(|e| {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_csv",
            e.to_string(),
        )
    })
}

async fn run_batch(st: &AppState, p: &Page, text: String) -> Result<BatchOut, ApiError> {
    let out = screen_text(st, text).await?;
    let (sum, bytes) = out;
    let mut rdr = csv::Reader::from_reader(bytes.as_slice());
    let mut groups: Vec<(ScreenedParty, Vec<ScreenResultOut>)> = Vec::new();
    let mut row_ids = Vec::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| {
            ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                format!("batch output: {e}"),
            )
        })?;
        if groups.len() >= MAX_BATCH_SHOWN {
            break;
        }
        // BATCH_HEADER: id, name, list, reference, matched_name, score, explanation
        let get = |i: usize| rec.get(i).unwrap_or("").to_string();
        let id = format!("{}:{}", get(2), get(3));
        let result = ScreenResultOut {
            entry_hash: st.entry_hashes.get(&id).cloned().unwrap_or_default(),
            caption: get(4),
            id,
            schema: String::new(),
            score: get(5).parse().unwrap_or(0.0),
            is_match: true,
            list: get(2),
            reference: get(3),
            matched_name: get(4),
            matched_name_strength: String::new(),
            weak_alias_review: get(6).contains("weak alias — review"),
            programs: vec![],
            explanation: get(6).split(" | ").map(str::to_string).collect(),
            decision: None,
            suppressed: false,
            also_listed: Vec::new(),
        };
        row_ids.push(get(0));
        groups.push((ScreenedParty::named(get(1)), vec![result]));
    }
    attach_decisions(&st.store, &p.principal, &mut groups).await?;
    let items: Vec<BatchHit> = groups
        .into_iter()
        .zip(row_ids)
        .filter_map(|((party, mut results), row_id)| {
            Some(BatchHit {
                row_id,
                party: party.names.into_iter().next()?,
                result: results.pop()?,
            })
        })
        .collect();
    let shown = items.len();
    Ok(BatchOut {
        rows: sum.rows,
        hits: sum.hits,
        alerts: items.iter().filter(|h| h.result.alert()).count(),
        shown,
        truncated: (shown as u64) < sum.hits,
        items,
    })
}

pub(crate) async fn batch(
    State(st): State<AppState>,
    p: Page,
    headers: HeaderMap,
    BatchInput(f): BatchInput,
) -> Response {
    if let Some(r) = csrf_rejection(&headers, &f.csrf) {
        return r;
    }
    let keep = (f.csv.len() <= 100_000).then(|| f.csv.clone());
    let result = match f.upload_error {
        Some(e) => Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_csv",
            e,
        )),
        None => run_batch(&st, &p, f.csv).await,
    };
    let (status, extra) = match result {
        Ok(b) => (
            StatusCode::OK,
            Extra {
                batch: Some(b),
                batch_csv: keep,
                ..Extra::default()
            },
        ),
        Err(e) => (
            e.status,
            Extra {
                error: Some(e.detail),
                batch_csv: keep,
                ..Extra::default()
            },
        ),
    };
    render_page(&st, &p, status, &ScreenForm::default(), None, extra).await
}

/// The same batch, its results as a CSV file (one row per hit, with
/// list, reference, matched name, score and explanation).
pub(crate) async fn batch_csv(
    State(st): State<AppState>,
    p: Page,
    headers: HeaderMap,
    BatchInput(f): BatchInput,
) -> Response {
    use axum::response::IntoResponse;
    if let Some(r) = csrf_rejection(&headers, &f.csrf) {
        return r;
    }
    let keep = (f.csv.len() <= 100_000).then(|| f.csv.clone());
    let result = match f.upload_error {
        Some(e) => Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_csv",
            e,
        )),
        None => screen_text(&st, f.csv).await,
    };
    match result {
        Ok((_, bytes)) => (
            [
                (axum::http::header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                (
                    axum::http::header::CONTENT_DISPOSITION,
                    "attachment; filename=\"screening-results.csv\"",
                ),
            ],
            bytes,
        )
            .into_response(),
        Err(e) => {
            let extra = Extra {
                error: Some(e.detail),
                batch_csv: keep,
                ..Extra::default()
            };
            render_page(&st, &p, e.status, &ScreenForm::default(), None, extra).await
        }
    }
}

pub(crate) async fn decide(
    State(st): State<AppState>,
    p: Page,
    headers: HeaderMap,
    Form(f): Form<DecisionForm>,
) -> Response {
    if let Some(r) = csrf_rejection(&headers, &f.csrf) {
        return r;
    }
    let input = DecisionIn {
        party: f.party.clone(),
        entity_id: f.entity_id.clone(),
        decision: f.decision.clone(),
        reason: f.reason.clone(),
        birth_date: Some(f.birth_date.clone()),
        nationality: Some(f.nationality.clone()),
    };
    // Show the party's results again, with the decision in them.
    let form = ScreenForm {
        name: f.party.clone(),
        birth_date: f.birth_date.clone(),
        nationality: f.nationality.clone(),
        schema: f.schema.clone(),
        ..ScreenForm::default()
    };
    let back = f.back.trim();
    // Only a path of this site: never an open redirect.
    let safe_back = back.starts_with('/')
        && !back.starts_with("//")
        && back
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'/' | b'-' | b'_'));
    let (status, mut extra) = match record(&st, &p.principal, &input).await {
        Ok(_) if safe_back => {
            return Redirect::to(&format!("{back}#screening")).into_response();
        }
        Ok(d) => (
            StatusCode::OK,
            Extra {
                notice: Some(i18n::tr(
                    p.lang,
                    "screen-recorded",
                    Some(&i18n::args([
                        ("id", FluentValue::from(d.entity_id.as_str())),
                        ("decision", FluentValue::from(d.decision.as_str())),
                        ("party", FluentValue::from(d.party.as_str())),
                    ])),
                )),
                ..Extra::default()
            },
        ),
        Err(e) => (
            e.status,
            Extra {
                error: Some(e.detail),
                ..Extra::default()
            },
        ),
    };
    if !form.name.trim().is_empty() {
        if let Ok(results) = run_single(&st, &p, &form).await {
            extra.results = Some(results);
        }
    }
    render_page(&st, &p, status, &form, None, extra).await
}

/// What changed in a list version since the one loaded before it.
pub(crate) async fn list_changes(
    State(st): State<AppState>,
    p: Page,
    Path(id): Path<String>,
) -> Response {
    let changes = if coalesce_store::notes::parse_cursor(&id).is_err() {
        Ok(None)
    } else {
        st.store.list_version_changes(&id).await
    };
    match changes {
        Ok(Some(changes)) => {
            // The rescreen of open records it caused: only findings on
            // records this reader may read now.
            let rescreen =
                match coalesce_app::screening::rescreen_out(&st, &p.principal, &id, Some(&changes))
                    .await
                {
                    Ok(r) => r,
                    Err(e) => return api_error_page(e, Some(&p)),
                };
            let c = ListChangesOut::from(changes);
            let heading = i18n::args([
                ("list", FluentValue::from(c.source.to_uppercase())),
                (
                    "published",
                    FluentValue::from(c.published.clone().unwrap_or_default()),
                ),
            ]);
            let ctx = context! {
                title => i18n::tr(p.lang, "screen-list-title", Some(&heading)),
                c => Value::from_serialize(&c),
                rescreen => Value::from_serialize(&rescreen),
            };
            html(
                Some(&p),
                StatusCode::OK,
                "screen_list.html",
                ctx,
                st.secure_cookies,
            )
        }
        Ok(None) => api_error_page(
            ApiError::not_found("no such list version, or no earlier version to compare with"),
            Some(&p),
        ),
        Err(e) => api_error_page(e.into(), Some(&p)),
    }
}

/// One party of a record as its page shows it: the matches (with the
/// member's decisions) and how many entries scored near but below.
#[derive(Serialize)]
struct PartyView {
    role: String,
    name: String,
    dob: Option<String>,
    nat: Option<String>,
    schema: Option<String>,
    matches: Vec<ScreenResultOut>,
    near: usize,
}

/// The screening section of a report, entity or contribution page: its
/// parties screened against the loaded lists. Never fails the page: without
/// lists, or on an error, the section says so.
pub(crate) async fn record_screening(
    st: &AppState,
    p: &Page,
    parties: Vec<PartyToScreen>,
) -> Value {
    if st.screener.is_none() {
        return context! { error => p.t("screening-no-lists") };
    }
    match screen_parties(st, &p.principal, parties).await {
        Ok(s) => {
            let parties: Vec<PartyView> = s
                .parties
                .into_iter()
                .map(|pty| {
                    let (matches, near): (Vec<_>, Vec<_>) =
                        pty.results.into_iter().partition(|r| r.is_match);
                    PartyView {
                        role: pty.role,
                        name: pty.name,
                        dob: pty.query.properties.birth_date.first().cloned(),
                        nat: pty.query.properties.nationality.first().cloned(),
                        schema: pty.query.schema.clone(),
                        matches,
                        near: near.len(),
                    }
                })
                .collect();
            context! { lists => s.lists, threshold => s.threshold, parties => Value::from_serialize(&parties) }
        }
        Err(e) => {
            let why = i18n::args([("detail", FluentValue::from(e.detail))]);
            context! { error => i18n::tr(p.lang, "screening-failed", Some(&why)) }
        }
    }
}
