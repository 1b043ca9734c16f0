//! Import shared by the API and the web import page: CSV with HXL
//! hashtags (all or nothing, every bad row reported) and STIX 2.1 bundles.

use crate::error::RowProblem;
use crate::{ApiError, AppState};
use axum::http::StatusCode;
use coalesce_exchange::hxl::{self, ImportErrors};
use coalesce_store::Principal;

/// Every bad row of a CSV import as one problem.
pub fn rows_problem(e: ImportErrors) -> ApiError {
    ApiError::rows(
        e.0.into_iter()
            .map(|r| RowProblem {
                line: r.line,
                column: r.column,
                reason: r.reason,
            })
            .collect(),
    )
}

/// What can be imported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportKind {
    Requirements,
    Contributions,
    IndicatorValues,
}

impl ImportKind {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "requirements" => Some(ImportKind::Requirements),
            "contributions" => Some(ImportKind::Contributions),
            "indicator-values" => Some(ImportKind::IndicatorValues),
            _ => None,
        }
    }
}

impl ImportKind {
    fn noun(self) -> &'static str {
        match self {
            ImportKind::Requirements => "requirements",
            ImportKind::Contributions => "contributions",
            ImportKind::IndicatorValues => "indicator values",
        }
    }
}

/// Parses CSV with HXL hashtags and imports it (the API and the web
/// import page both come here), as a job of kind `import` that the
/// request waits for: its progress shows in `/jobs` while it runs. Every
/// row is checked before any is written (a bad row: nothing written, every
/// bad row reported); then the rows are written in batches of
/// [`coalesce_store::records::WRITE_BATCH`], so that other writers wait
/// for one batch, not the file. A client that goes away does not stop the
/// import: it runs to its end (a cancelled one would leave the batches
/// written). Returns the new ids, in row order.
pub async fn import_csv(
    st: &AppState,
    p: &Principal,
    kind: ImportKind,
    body: axum::body::Bytes,
) -> Result<Vec<String>, ApiError> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    let job = start_import(st, p, kind, body, Some(tx))?;
    outcome_of(st, &job, rx).await
}

/// Waits for an import job that sends what it did to `rx` when it
/// succeeds: that, or the job's error.
async fn outcome_of<T>(
    st: &AppState,
    job: &crate::jobs::JobOut,
    rx: tokio::sync::oneshot::Receiver<T>,
) -> Result<T, ApiError> {
    st.jobs.wait(&job.id).await?;
    rx.await.map_err(|_| {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "the import ended without its outcome",
        )
    })
}

/// How many imports a member may run at once (each holds its file and
/// its parsed rows until it ends).
pub const MAX_IMPORTS_RUNNING: usize = 2;

/// Starts a CSV import as a job (see [`import_csv`]) and answers at once;
/// the ids go to `ids` when it succeeds. Its result names how many were
/// written. Parsing is CPU work on a body of up to
/// [`crate::IMPORT_LIMIT`] bytes: it runs off the async workers. A
/// cancellation (by the member's users, or the node shutting down) stops
/// the writing between batches; the job then says how many were written.
pub fn start_import(
    st: &AppState,
    p: &Principal,
    kind: ImportKind,
    body: axum::body::Bytes,
    ids: Option<tokio::sync::oneshot::Sender<Vec<String>>>,
) -> Result<crate::jobs::JobOut, ApiError> {
    // Refused before the job starts: a viewer gets 403, not a failed job.
    coalesce_store::records::check_writer(p)?;
    let store = st.store.clone();
    let who = p.clone();
    st.jobs.start_another("import", p, MAX_IMPORTS_RUNNING, move |job| async move {
        let t = std::time::Instant::now();
        job.progress("parsing", 0, None);
        let parsed = tokio::task::spawn_blocking(move || parse(kind, &body))
            .await
            .map_err(|e| {
                ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.to_string())
            })??;
        job.phase("parsing", crate::jobs::ms_since(t));
        let t = std::time::Instant::now();
        let total = parsed.len();
        job.progress("writing", 0, Some(total as u64));
        // Rows written before the batch under way (asked before each).
        let before_batch = std::sync::atomic::AtomicUsize::new(0);
        let go_on = |done: usize, total: usize| {
            before_batch.store(done, std::sync::atomic::Ordering::Relaxed);
            job.progress("writing", done as u64, Some(total as u64));
            !job.stopped()
        };
        let written = match parsed {
            Parsed::Requirements(rows) => store.import_requirements(&who, &rows, go_on).await,
            Parsed::Contributions(rows) => store.import_contributions(&who, &rows, go_on).await,
            Parsed::Values(rows) => store.import_indicator_values(&who, &rows, go_on).await,
        };
        let written = written.map_err(|e| {
            let mut e = ApiError::from(e);
            let n = before_batch.load(std::sync::atomic::Ordering::Relaxed);
            if n > 0 {
                // Said, so that nobody imports the file again whole.
                e.detail = format!(
                    "{} ({n} of {total} {} had been written in earlier batches; those stay)",
                    e.detail,
                    kind.noun()
                );
            }
            e
        })?;
        job.phase("writing", crate::jobs::ms_since(t));
        job.progress("writing", written.len() as u64, Some(total as u64));
        if written.len() < total {
            return Err(ApiError::new(
                StatusCode::CONFLICT,
                "cancelled",
                format!(
                    "the import was cancelled after {} of {total} {} were written (in batches); those stay",
                    written.len(),
                    kind.noun()
                ),
            ));
        }
        let summary = format!("{} {} imported", written.len(), kind.noun());
        if let Some(tx) = ids {
            // Nobody waiting (the request went away): the ids are in the audit log.
            let _ = tx.send(written);
        }
        Ok(summary)
    })
}

fn parse(kind: ImportKind, body: &[u8]) -> Result<Parsed, ApiError> {
    match kind {
        ImportKind::Requirements => hxl::requirements_from_hxl(body).map(|rows| {
            Parsed::Requirements(rows.into_iter().map(|r| (r.line, r.value)).collect())
        }),
        ImportKind::Contributions => hxl::contributions_from_hxl(body).map(|rows| {
            Parsed::Contributions(rows.into_iter().map(|r| (r.line, r.value)).collect())
        }),
        ImportKind::IndicatorValues => hxl::indicator_values_from_hxl(body).map(|rows| {
            Parsed::Values(
                rows.into_iter()
                    .map(|r| (r.line, r.value.0.to_string(), r.value.1))
                    .collect(),
            )
        }),
    }
    .map_err(rows_problem)
}

/// The rows of a parsed import, by kind.
enum Parsed {
    Requirements(Vec<(u64, coalesce_domain::needs::RequirementDraft)>),
    Contributions(Vec<(u64, coalesce_domain::needs::ContributionDraft)>),
    Values(Vec<(u64, String, coalesce_domain::indicators::ValueDraft)>),
}

impl Parsed {
    fn len(&self) -> usize {
        match self {
            Parsed::Requirements(r) => r.len(),
            Parsed::Contributions(r) => r.len(),
            Parsed::Values(r) => r.len(),
        }
    }
}

/// The objects of a STIX 2.1 bundle, or why it is not one. Parsing a
/// large bundle is CPU work: it runs off the async workers.
pub async fn bundle_objects(bytes: axum::body::Bytes) -> Result<Vec<serde_json::Value>, ApiError> {
    tokio::task::spawn_blocking(move || parse_bundle(&bytes))
        .await
        .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.to_string()))?
}

/// JSON off the async workers (a TAXII envelope, a bundle), or why it is
/// not JSON.
pub async fn parse_json(bytes: axum::body::Bytes) -> Result<serde_json::Value, ApiError> {
    tokio::task::spawn_blocking(move || json_of(&bytes))
        .await
        .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.to_string()))?
}

fn json_of(bytes: &[u8]) -> Result<serde_json::Value, ApiError> {
    serde_json::from_slice(bytes)
        .map_err(|e| ApiError::bad_request("invalid_json", format!("the body is not JSON: {e}")))
}

fn parse_bundle(bytes: &[u8]) -> Result<Vec<serde_json::Value>, ApiError> {
    let v = json_of(bytes)?;
    let bundle_problem = |why: &str| {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_bundle",
            format!("not a STIX 2.1 bundle: {why}"),
        )
    };
    if v.get("type").and_then(|t| t.as_str()) != Some("bundle") {
        return Err(bundle_problem("`type` is not \"bundle\""));
    }
    let id = v.get("id").and_then(|i| i.as_str()).unwrap_or("");
    if !coalesce_exchange::stix_in::valid_identifier(id, Some("bundle")) {
        return Err(bundle_problem("`id` is not bundle--<UUID>"));
    }
    let serde_json::Value::Object(mut v) = v else {
        return Err(bundle_problem("not an object"));
    };
    match v.remove("objects") {
        None => Ok(Vec::new()),
        Some(serde_json::Value::Array(a)) => Ok(a),
        Some(_) => Err(bundle_problem("`objects` is not a list")),
    }
}

/// What a STIX bundle import did: objects written, objects the node held
/// already (unchanged), and the ids of the bundle's objects in its order.
#[derive(Debug, Clone, Default)]
pub struct StixImported {
    pub imported: usize,
    pub already_held: usize,
    pub ids: Vec<String>,
}

/// Imports a STIX 2.1 bundle all or nothing (the API and the web import
/// page both come here), as a job of kind `stix-import` that the request
/// waits for; its progress shows in `/jobs` while it runs. A client that
/// goes away does not stop it (as for a CSV import).
pub async fn stix_import(
    st: &AppState,
    p: &Principal,
    bundle: axum::body::Bytes,
) -> Result<StixImported, ApiError> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    let job = start_stix_import(st, p, bundle, Some(tx))?;
    outcome_of(st, &job, rx).await
}

/// Starts a STIX bundle import as a job and answers at once; what it did
/// goes to `outcome` when it succeeds. The bundle is parsed off the async
/// workers, then every object is checked and written in one transaction
/// (all or nothing: any refused object writes nothing, each is named in
/// an `invalid_rows` problem). A cancellation (the member's users, the
/// node shutting down) rolls the transaction back: nothing is kept.
pub fn start_stix_import(
    st: &AppState,
    p: &Principal,
    bundle: axum::body::Bytes,
    outcome: Option<tokio::sync::oneshot::Sender<StixImported>>,
) -> Result<crate::jobs::JobOut, ApiError> {
    // Refused before the job starts: a viewer gets 403, not a failed job.
    coalesce_store::records::check_writer(p)?;
    let store = st.store.clone();
    let who = p.clone();
    st.jobs.start_another(
        "stix-import",
        p,
        MAX_IMPORTS_RUNNING,
        move |job| async move {
            let t = std::time::Instant::now();
            job.progress("parsing", 0, None);
            let objects = bundle_objects(bundle).await?;
            job.phase("parsing", crate::jobs::ms_since(t));
            let t = std::time::Instant::now();
            let total = objects.len();
            job.progress("checking and writing", 0, Some(total as u64));
            let go_on = |done: usize, total: usize| {
                job.progress("checking and writing", done as u64, Some(total as u64));
                !job.stopped()
            };
            let outcomes = store
                .stix_add_watched(&who, &objects, true, "import", go_on)
                .await
                .map_err(|e| match e {
                    coalesce_store::StoreError::Rows(rows) => ApiError::rows(
                        rows.into_iter()
                            .map(|(line, reason)| RowProblem {
                                line,
                                column: format!("objects[{}]", line.saturating_sub(1)),
                                reason,
                            })
                            .collect(),
                    ),
                    other => other.into(),
                })?
                .ok_or_else(crate::jobs::JobHandle::cancelled)?;
            job.phase("checking and writing", crate::jobs::ms_since(t));
            let held = outcomes.iter().filter(|o| o.already_held).count();
            let done = StixImported {
                imported: outcomes.len() - held,
                already_held: held,
                ids: outcomes.into_iter().map(|o| o.id).collect(),
            };
            // The page of a finished job reads these: written of the bundle.
            job.progress("written", done.imported as u64, Some(total as u64));
            let summary = format!(
                "{} STIX objects imported, {} held already",
                done.imported, done.already_held
            );
            if let Some(tx) = outcome {
                // Nobody waiting (the request went away): the audit log has it.
                let _ = tx.send(done);
            }
            Ok(summary)
        },
    )
}
