//! CSV and STIX import in the browser: the form and its all-or-nothing submission.

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
    let ctx = context! {
        title => p.t("import-title"),
        form => Value::from_serialize(form),
        result => Value::from_serialize(&result),
    };
    html(Some(p), status, "import.html", ctx, st.secure_cookies)
}

pub(crate) async fn import_form(State(st): State<AppState>, p: Page) -> Response {
    let form = ImportForm {
        what: "requirements".into(),
        ..ImportForm::default()
    };
    import_page(&st, &p, StatusCode::OK, &form, serde_json::Value::Null).await
}

/// All or nothing, like the API: every bad row is listed; nothing is written.
pub(crate) async fn import_submit(
    State(st): State<AppState>,
    p: Page,
    headers: HeaderMap,
    Form(f): Form<ImportForm>,
) -> Response {
    if let Some(r) = csrf_rejection(&headers, &f.csrf) {
        return r;
    }
    use coalesce_app::exchange::{bundle_objects, import_csv, stix_import, ImportKind};
    let result = match (f.what.as_str(), ImportKind::parse(&f.what)) {
        ("stix-bundle", _) => match bundle_objects(f.csv.clone().into_bytes().into()).await {
            Ok(objects) => stix_import(&st, &p.principal, &objects)
                .await
                .map(|(n, held, _)| json!({ "imported": n, "already_held": held })),
            Err(e) => Err(e),
        },
        (_, Some(kind)) => import_csv(&st, &p.principal, kind, f.csv.clone().into_bytes().into())
            .await
            .map(|ids| json!({ "imported": ids.len() })),
        (_, None) => Err(ApiError::bad_request(
            "invalid_form",
            format!("unknown kind of records {:?}", f.what),
        )),
    };
    match result {
        Ok(r) => import_page(&st, &p, StatusCode::OK, &f, r).await,
        Err(e) => {
            let r = json!({ "error": e.detail, "rows": e.errors });
            import_page(&st, &p, e.status, &f, r).await
        }
    }
}
