//! CSV and STIX import in the browser: the form and its submission. A
//! CSV import is a job (as through the API): a small one has ended before
//! the page is shown; a large one is shown running, with its progress, a
//! cancel button and a page that refreshes itself, and goes on if the
//! browser goes away.

use super::*;

#[derive(Debug, Default, Deserialize, Serialize)]
pub(crate) struct ImportForm {
    #[serde(default)]
    pub(super) csrf: String,
    /// requirements, contributions, indicator-values or stix-bundle.
    #[serde(default)]
    pub(super) what: String,
    #[serde(default)]
    pub(super) csv: String,
}

pub(super) async fn import_page(
    st: &AppState,
    p: &Page,
    status: StatusCode,
    form: &ImportForm,
    result: serde_json::Value,
) -> Response {
    let running = result.get("running").is_some_and(|r| r == true);
    let ctx = context! {
        title => p.t("import-title"),
        form => Value::from_serialize(form),
        result => Value::from_serialize(&result),
        refresh => running.then_some(2),
    };
    html(Some(p), status, "import.html", ctx, st.secure_cookies)
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct ImportQuery {
    /// An import job of the reader's member, to show.
    #[serde(default)]
    job: Option<String>,
}

pub(crate) async fn import_form(
    State(st): State<AppState>,
    p: Page,
    Query(q): Query<ImportQuery>,
) -> Response {
    let form = ImportForm {
        what: "requirements".into(),
        ..ImportForm::default()
    };
    let Some(id) = q.job else {
        return import_page(&st, &p, StatusCode::OK, &form, serde_json::Value::Null).await;
    };
    match st.jobs.get(&p.principal, &id) {
        Ok(job) if job.kind == "import" || job.kind == "stix-import" => {
            let result = job_result(&p, &job);
            import_page(&st, &p, StatusCode::OK, &form, result).await
        }
        Ok(_) | Err(_) => {
            let r = json!({ "error": p.t("import-no-job") });
            import_page(&st, &p, StatusCode::NOT_FOUND, &form, r).await
        }
    }
}

/// An import job as the page shows it: running (stage, rows written of
/// all), done (how many), or its error (with the bad rows).
fn job_result(p: &Page, job: &coalesce_app::jobs::JobOut) -> serde_json::Value {
    use coalesce_app::jobs::JobStatus;
    match job.status {
        JobStatus::Running => json!({
            "running": true,
            "job": job.id,
            "stage": p.t(if matches!(job.stage.as_str(), "starting" | "parsing") { "import-stage-reading" } else { "import-stage-writing" }),
            "done": job.done,
            "total": job.total,
            "cancel_requested": job.cancel_requested,
        }),
        // A bundle's job ends with `done` objects written of `total`; the
        // rest the node held already.
        JobStatus::Succeeded if job.kind == "stix-import" => json!({
            "imported": job.done,
            "already_held": job.total.unwrap_or(job.done).saturating_sub(job.done),
        }),
        JobStatus::Succeeded => json!({ "imported": job.total.unwrap_or(job.done) }),
        JobStatus::Failed | JobStatus::Cancelled => json!({
            "error": job.error.as_ref().map(|e| e.detail.clone()).unwrap_or_default(),
            "rows": job.error.as_ref().map(|e| e.errors.clone()).unwrap_or_default(),
        }),
    }
}

/// Asks an import job of the reader's member to stop (between batches).
pub(crate) async fn import_cancel(
    State(st): State<AppState>,
    p: Page,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(f): Form<ImportForm>,
) -> Response {
    if let Some(r) = csrf_rejection(&headers, &f.csrf) {
        return r;
    }
    match st.jobs.cancel(&p.principal, &id) {
        Ok(_) => Redirect::to(&format!("/import?job={id}")).into_response(),
        Err(e) => {
            let r = json!({ "error": e.detail });
            import_page(&st, &p, e.status, &ImportForm::default(), r).await
        }
    }
}

/// How long the form waits for a CSV import before showing its progress.
const IMPORT_WAIT: std::time::Duration = std::time::Duration::from_secs(2);

/// Waits up to [`IMPORT_WAIT`] for an import job just started: what it
/// did (as the page shows it) or its error, or `Err(job id)` when it is
/// still running.
async fn wait_briefly<T>(
    st: &AppState,
    started: Result<coalesce_app::jobs::JobOut, ApiError>,
    mut outcome: tokio::sync::oneshot::Receiver<T>,
    shown: impl FnOnce(T) -> serde_json::Value,
) -> Result<Result<serde_json::Value, ApiError>, String> {
    let job = match started {
        Ok(job) => job,
        Err(e) => return Ok(Err(e)),
    };
    match tokio::time::timeout(IMPORT_WAIT, st.jobs.wait(&job.id)).await {
        Ok(Ok(_)) => Ok(Ok(outcome.try_recv().map(shown).unwrap_or_default())),
        Ok(Err(e)) => Ok(Err(e)),
        Err(_) => Err(job.id),
    }
}

/// As through the API: every row checked first (every bad row listed,
/// nothing written), then written in batches as a job.
pub(crate) async fn import_submit(
    State(st): State<AppState>,
    p: Page,
    headers: HeaderMap,
    Form(f): Form<ImportForm>,
) -> Response {
    if let Some(r) = csrf_rejection(&headers, &f.csrf) {
        return r;
    }
    use coalesce_app::exchange::{start_import, start_stix_import, ImportKind};
    let body: axum::body::Bytes = f.csv.clone().into_bytes().into();
    let waited = match (f.what.as_str(), ImportKind::parse(&f.what)) {
        ("stix-bundle", _) => {
            let (tx, rx) = tokio::sync::oneshot::channel();
            let started = start_stix_import(&st, &p.principal, body, Some(tx));
            wait_briefly(
                &st,
                started,
                rx,
                |d| json!({ "imported": d.imported, "already_held": d.already_held }),
            )
            .await
        }
        (_, Some(kind)) => {
            let (tx, rx) = tokio::sync::oneshot::channel();
            let started = start_import(&st, &p.principal, kind, body, Some(tx));
            wait_briefly(&st, started, rx, |ids| json!({ "imported": ids.len() })).await
        }
        (_, None) => Ok(Err(ApiError::bad_request(
            "invalid_form",
            format!("unknown kind of records {:?}", f.what),
        ))),
    };
    let result = match waited {
        Ok(result) => result,
        // Still running: its page shows how far it is.
        Err(job) => return Redirect::to(&format!("/import?job={job}")).into_response(),
    };
    match result {
        Ok(r) => import_page(&st, &p, StatusCode::OK, &f, r).await,
        Err(e) => {
            let r = json!({ "error": e.detail, "rows": e.errors });
            import_page(&st, &p, e.status, &f, r).await
        }
    }
}
