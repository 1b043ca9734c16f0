//! Import and export (issue 3): CSV with HXL hashtags (requirements,
//! contributions, indicator values) in and out, and IATI 2.03 activity XML
//! of contributions. Exports hold exactly what the caller may read (the
//! store's lists); imports are all or nothing and report every bad row.

use super::export_stream::{streamed, Export, IatiExport, StixExport};
use crate::auth::Auth;
use crate::error::{Problem, RowProblem};
use crate::extract::ApiQuery;
use crate::wire_picture::ContributionQuery;
use crate::{ApiError, AppState};
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use coalesce_app::exchange::{
    import_csv, start_import, start_stix_import, stix_import, ImportKind,
};
use coalesce_exchange::hxl;
use coalesce_store::notes::{Page, MAX_PAGE};
use coalesce_store::Principal;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

const CSV: &str = "text/csv; charset=utf-8";

/// A CSV export streamed page by page (see [`super::export_stream`]), so
/// that memory holds one page (500 records) whatever the export's size.
async fn csv_stream<T, F, Fut>(
    filename: &str,
    first: Page<T>,
    render: fn(&[T], bool) -> String,
    next_page: F,
) -> Result<Response, ApiError>
where
    T: Send + 'static,
    F: Fn(String) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = coalesce_store::Result<Page<T>>> + Send + 'static,
{
    streamed(
        CsvPages {
            first: Some(first),
            cursor: None,
            render,
            next_page,
        },
        vec![
            (header::CONTENT_TYPE, CSV.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
        ],
    )
    .await
}

/// The pages of a CSV export: the first (read already, with the header),
/// then one per step while there is a next.
struct CsvPages<T, F> {
    first: Option<Page<T>>,
    cursor: Option<String>,
    render: fn(&[T], bool) -> String,
    next_page: F,
}

impl<T, F, Fut> Export for CsvPages<T, F>
where
    T: Send + 'static,
    F: Fn(String) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = coalesce_store::Result<Page<T>>> + Send + 'static,
{
    async fn step(&mut self) -> Result<Option<String>, ApiError> {
        let (page, head) = match (self.first.take(), self.cursor.take()) {
            (Some(first), _) => (first, true),
            (None, Some(cursor)) => ((self.next_page)(cursor).await?, false),
            (None, None) => return Ok(None),
        };
        self.cursor = page.next;
        Ok(Some((self.render)(&page.items, head)))
    }
}

/// Requirements the caller may read, as CSV with HXL hashtags on the second row.
#[utoipa::path(get, path = "/export/requirements.csv", tag = "exchange",
    responses((status = 200, content_type = "text/csv", body = String), (status = 401, body = Problem, content_type = "application/problem+json")))]
pub async fn export_requirements(
    State(st): State<AppState>,
    auth: Auth,
) -> Result<Response, ApiError> {
    let p = auth.principal;
    let first = st.store.list_requirements(&p, None, MAX_PAGE).await?;
    let store = st.store.clone();
    csv_stream(
        "requirements.csv",
        first,
        hxl::requirements_hxl_page,
        move |c| {
            let (store, p) = (store.clone(), p.clone());
            async move { store.list_requirements(&p, Some(&c), MAX_PAGE).await }
        },
    )
    .await
}

/// Contributions the caller may read (who-does-what-where filters apply),
/// as CSV with HXL hashtags on the second row.
#[utoipa::path(get, path = "/export/contributions.csv", tag = "exchange", params(ContributionQuery),
    responses((status = 200, content_type = "text/csv", body = String), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json")))]
pub async fn export_contributions(
    State(st): State<AppState>,
    auth: Auth,
    ApiQuery(q): ApiQuery<ContributionQuery>,
) -> Result<Response, ApiError> {
    let (p, filter) = (auth.principal, q.filter()?);
    let first = st
        .store
        .list_contributions(&p, &filter, None, MAX_PAGE)
        .await?;
    let store = st.store.clone();
    csv_stream(
        "contributions.csv",
        first,
        hxl::contributions_hxl_page,
        move |c| {
            let (store, p, filter) = (store.clone(), p.clone(), filter.clone());
            async move {
                store
                    .list_contributions(&p, &filter, Some(&c), MAX_PAGE)
                    .await
            }
        },
    )
    .await
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ValuesQuery {
    /// Only this indicator (slug); all when left out.
    pub indicator: Option<String>,
}

/// Indicator values the caller may read, as CSV with HXL hashtags.
#[utoipa::path(get, path = "/export/indicator-values.csv", tag = "exchange", params(ValuesQuery),
    responses((status = 200, content_type = "text/csv", body = String), (status = 401, body = Problem, content_type = "application/problem+json")))]
pub async fn export_values(
    State(st): State<AppState>,
    auth: Auth,
    ApiQuery(q): ApiQuery<ValuesQuery>,
) -> Result<Response, ApiError> {
    let (p, slug) = (auth.principal, q.indicator.unwrap_or_default());
    let first = st
        .store
        .list_indicator_values(&p, &slug, None, MAX_PAGE)
        .await?;
    let store = st.store.clone();
    csv_stream(
        "indicator-values.csv",
        first,
        hxl::indicator_values_hxl_page,
        move |c| {
            let (store, p, slug) = (store.clone(), p.clone(), slug.clone());
            async move {
                store
                    .list_indicator_values(&p, &slug, Some(&c), MAX_PAGE)
                    .await
            }
        },
    )
    .await
}

/// Contributions the caller may read (filters apply) as an IATI 2.03
/// activity file; each activity carries its coalesce marking in a
/// `urn:coalesce:marking` element. 404 when nothing matches (an IATI file
/// needs at least one activity).
#[utoipa::path(get, path = "/export/iati.xml", tag = "exchange", params(ContributionQuery),
    responses((status = 200, content_type = "application/xml", body = String), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn export_iati(
    State(st): State<AppState>,
    auth: Auth,
    ApiQuery(q): ApiQuery<ContributionQuery>,
) -> Result<Response, ApiError> {
    let filter = q.filter()?;
    let funds = readable_funds(&st, &auth.principal).await?;
    let Some(export) = IatiExport::new(st, auth.principal, filter, funds).await? else {
        return Err(ApiError::not_found(
            "no contributions or funds you may read match; an IATI file needs at least one",
        ));
    };
    streamed(
        export,
        vec![
            (
                header::CONTENT_TYPE,
                "application/xml; charset=utf-8".into(),
            ),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"coalesce-iati-activities.xml\"".into(),
            ),
        ],
    )
    .await
}

/// Every fund `p` may read, with its projects and the transfers `p` may
/// read, for the IATI export (issue 16).
async fn readable_funds(
    st: &AppState,
    p: &Principal,
) -> Result<Vec<coalesce_exchange::iati_fund::FundActivity>, ApiError> {
    use coalesce_domain::fund::{FundKind, FundProjectKind};
    use coalesce_domain::record::RefTarget;
    use coalesce_exchange::iati_fund::{FundActivity, FundFlow, ProjectRecord};
    use coalesce_store::records::RecordFilter;
    let mut funds = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let page = st
            .store
            .list_records::<FundKind>(p, &RecordFilter::default(), cursor.as_deref(), 500)
            .await?;
        funds.extend(page.items);
        match page.next {
            Some(n) => cursor = Some(n),
            None => break,
        }
    }
    let mut out = Vec::with_capacity(funds.len());
    for f in funds {
        let mut projects = Vec::new();
        let mut cursor: Option<String> = None;
        let filter = RecordFilter {
            origin: None,
            refers_to: Some((RefTarget::Fund, f.id.clone())),
        };
        loop {
            let page = st
                .store
                .list_records::<FundProjectKind>(p, &filter, cursor.as_deref(), 500)
                .await?;
            projects.extend(page.items.into_iter().map(|r| ProjectRecord {
                id: r.id,
                project: r.body,
                marking: r.marking,
            }));
            match page.next {
                Some(n) => cursor = Some(n),
                None => break,
            }
        }
        let flows: Vec<FundFlow> = st
            .store
            .fund_transfers_all(p, &f.id)
            .await?
            .into_iter()
            .map(|t| FundFlow {
                pending: t.code == "pledge" && t.phase == "pending",
                narrower: (t.marking != f.marking).then(|| {
                    coalesce_domain::MemberCode::parse(&t.origin)
                        .map(|o| t.marking.banner(&o))
                        .unwrap_or_default()
                }),
                reversal: t.reverses.is_some(),
                id: t.id,
                code: t.code,
                amount: t.amount,
                currency: t.currency,
                value_date: t.value_date,
                donor: t.donor,
                project: t.project,
                organisation: t.organisation,
            })
            .collect();
        out.push(FundActivity {
            id: f.id,
            origin: f.origin,
            fund: f.body,
            marking: f.marking,
            projects,
            flows,
        });
    }
    Ok(out)
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct StixQuery {
    /// Only reports of this kind (their entities come with them).
    pub kind: Option<String>,
    /// Only reports about this entity, and the entity.
    pub entity: Option<String>,
}

/// The reports and entities the caller may read as a STIX 2.1 bundle, with
/// the relationships it may read between those entities (TLP 2.0 marking
/// definitions with their fixed ids; REL TO as a marking definition
/// extension).
#[utoipa::path(get, path = "/export/stix", tag = "exchange", params(StixQuery),
    responses((status = 200, content_type = "application/stix+json;version=2.1", body = Object), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn export_stix(
    State(st): State<AppState>,
    auth: Auth,
    ApiQuery(q): ApiQuery<StixQuery>,
) -> Result<Response, ApiError> {
    let kind = q
        .kind
        .as_deref()
        .map(coalesce_domain::reports::ReportKind::parse)
        .transpose()?;
    if let Some(e) = &q.entity {
        super::check_record_id(e, "no such entity, or not releasable to you")?;
    }
    let export = StixExport::new(st, auth.principal, kind, q.entity).await?;
    streamed(
        export,
        vec![(
            header::CONTENT_TYPE,
            "application/stix+json;version=2.1".into(),
        )],
    )
    .await
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ImportOut {
    /// How many records were written.
    pub imported: usize,
    /// Their ids, in row order.
    pub ids: Vec<String>,
}

pub(crate) fn csv_body(
    headers: &HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Bytes, ApiError> {
    let ct = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if !ct.starts_with("text/csv") {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "send the CSV with Content-Type: text/csv",
        ));
    }
    let body = body.map_err(|e| {
        let code = if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            "payload_too_large"
        } else {
            "invalid_body"
        };
        ApiError::new(e.status(), code, e.body_text())
    })?;
    if body.is_empty() {
        return Err(ApiError::rows(vec![RowProblem {
            line: 1,
            column: String::new(),
            reason: "the file is empty".into(),
        }]));
    }
    Ok(body)
}

/// A CSV import: it runs as a job (`/jobs/{id}`, kind `import`). By
/// default the request waits for it and answers 201 with the ids; with
/// `Prefer: respond-async` it answers 202 at once with the job. Every row
/// is checked before any is written (422 `invalid_rows`: nothing written);
/// then they are written in batches, so that other writers wait for one
/// batch, not the file. A client that goes away does not stop an import.
async fn csv_import(
    st: &AppState,
    auth: &Auth,
    headers: &HeaderMap,
    body: Result<Bytes, BytesRejection>,
    kind: ImportKind,
) -> Result<Response, ApiError> {
    let body = csv_body(headers, body)?;
    if super::jobs::prefers_async(headers) {
        let job = start_import(st, &auth.principal, kind, body, None)?;
        return Ok(super::jobs::accepted(job));
    }
    let ids = import_csv(st, &auth.principal, kind, body).await?;
    Ok((
        StatusCode::CREATED,
        Json(ImportOut {
            imported: ids.len(),
            ids,
        }),
    )
        .into_response())
}

/// Import requirements from CSV with HXL hashtags (the export's form):
/// every row checked before any is written (a 422 `invalid_rows` problem
/// lists every bad row with its line, column and reason; nothing is
/// written), then written in batches as a job: by default the request
/// waits (201 with the ids); with `Prefer: respond-async` it answers 202
/// with the job (`/jobs/{id}`, its progress and outcome).
#[utoipa::path(post, path = "/import/requirements", tag = "exchange",
    request_body(content = String, content_type = "text/csv"),
    params(("Prefer" = Option<String>, Header, description = "`respond-async`: answer 202 with the job at once")),
    responses((status = 201, body = ImportOut), (status = 202, body = coalesce_app::jobs::JobOut, headers(("Location" = String, description = "the job"))), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 413, body = Problem, content_type = "application/problem+json"), (status = 415, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn import_requirements(
    State(st): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    csv_import(&st, &auth, &headers, body, ImportKind::Requirements).await
}

/// Import contributions (pledges) from CSV with HXL hashtags, as
/// requirements are imported (checked whole, written in batches as a job).
#[utoipa::path(post, path = "/import/contributions", tag = "exchange",
    request_body(content = String, content_type = "text/csv"),
    params(("Prefer" = Option<String>, Header, description = "`respond-async`: answer 202 with the job at once")),
    responses((status = 201, body = ImportOut), (status = 202, body = coalesce_app::jobs::JobOut, headers(("Location" = String, description = "the job"))), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 413, body = Problem, content_type = "application/problem+json"), (status = 415, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn import_contributions(
    State(st): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    csv_import(&st, &auth, &headers, body, ImportKind::Contributions).await
}

/// Import indicator values from CSV with HXL hashtags, as requirements
/// are imported (checked whole, written in batches as a job).
#[utoipa::path(post, path = "/import/indicator-values", tag = "exchange",
    request_body(content = String, content_type = "text/csv"),
    params(("Prefer" = Option<String>, Header, description = "`respond-async`: answer 202 with the job at once")),
    responses((status = 201, body = ImportOut), (status = 202, body = coalesce_app::jobs::JobOut, headers(("Location" = String, description = "the job"))), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 413, body = Problem, content_type = "application/problem+json"), (status = 415, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn import_values(
    State(st): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    csv_import(&st, &auth, &headers, body, ImportKind::IndicatorValues).await
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct StixImportOut {
    /// Object versions written.
    pub imported: usize,
    /// Object versions the node held already, unchanged.
    pub already_held: usize,
    /// The ids of the bundle's objects, in bundle order.
    pub ids: Vec<String>,
}

/// Import a STIX 2.1 bundle: every object is checked (STIX 2.1 rules,
/// markings the node knows, ownership of existing objects, no widening of
/// an object's audience) and the bundle is written whole or not at all — a
/// 422 `invalid_rows` problem lists each refused object (`line` = its
/// position in `objects`). Markings are kept: TLP 2.0 marking definitions
/// and REL TO marking definitions (coalesce's extension); an object without
/// a TLP is TLP:AMBER, without REL TO it is releasable to your member only.
/// The objects are then in the TAXII collection. Bodies beyond the node's
/// limit get 413. The import runs as a job (`stix-import`): by default
/// the request waits (201); with `Prefer: respond-async` it answers 202
/// with the job (`/jobs/{id}`, its progress, outcome and cancellation;
/// a cancelled import keeps nothing).
#[utoipa::path(post, path = "/import/stix", tag = "exchange",
    request_body(content = Object, content_type = "application/stix+json"),
    params(("Prefer" = Option<String>, Header, description = "`respond-async`: answer 202 with the job at once")),
    responses((status = 201, body = StixImportOut), (status = 202, body = coalesce_app::jobs::JobOut, headers(("Location" = String, description = "the job"))), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json"), (status = 413, body = Problem, content_type = "application/problem+json"), (status = 415, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn import_stix(
    State(st): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    body: axum::body::Body,
) -> Result<Response, ApiError> {
    let ct = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let base = ct.split(';').next().unwrap_or("").trim();
    if base != "application/json" && base != "application/stix+json" {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "send the bundle as application/stix+json;version=2.1 (or application/json)",
        ));
    }
    let bytes = crate::taxii::limited_body(&st, &headers, body).await?;
    if super::jobs::prefers_async(&headers) {
        let job = start_stix_import(&st, &auth.principal, bytes, None)?;
        return Ok(super::jobs::accepted(job));
    }
    let done = stix_import(&st, &auth.principal, bytes).await?;
    Ok((
        StatusCode::CREATED,
        Json(StixImportOut {
            imported: done.imported,
            already_held: done.already_held,
            ids: done.ids,
        }),
    )
        .into_response())
}
