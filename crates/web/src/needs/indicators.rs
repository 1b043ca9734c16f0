//! Indicator pages: every indicator with its figures, one indicator with its chart and values, reporting a value.

use super::*;
use coalesce_domain::source::Subject;

pub(crate) async fn indicators(State(st): State<AppState>, p: Page) -> Response {
    let mut items = vec![];
    for i in tri!(st.store.list_indicators().await, p) {
        let (i, s) = tri!(st.store.indicator_standing(&p.principal, &i.slug).await, p);
        items.push(indicator_json(&p, &i, &s));
    }
    let ctx = context! { title => p.t("ind-title"), items => Value::from_serialize(&items) };
    html(
        Some(&p),
        StatusCode::OK,
        "indicators.html",
        ctx,
        st.secure_cookies,
    )
}

#[derive(Debug, Default, Deserialize, Serialize)]
pub(crate) struct ValueForm {
    #[serde(default)]
    pub(super) csrf: String,
    #[serde(default)]
    pub(super) observed_on: String,
    #[serde(default)]
    pub(super) value: String,
    #[serde(default)]
    pub(super) note: String,
    #[serde(default)]
    pub(super) tlp: String,
    #[serde(default)]
    pub(super) rel_to: String,
}

pub(crate) async fn indicator(
    State(st): State<AppState>,
    p: Page,
    Path(slug): Path<String>,
) -> Response {
    indicator_page(&st, &p, &slug, StatusCode::OK, None, None).await
}

pub(super) async fn indicator_page(
    st: &AppState,
    p: &Page,
    slug: &str,
    status: StatusCode,
    form: Option<&ValueForm>,
    error: Option<String>,
) -> Response {
    if coalesce_domain::Slug::parse(slug).is_err() {
        return api_error_page(ApiError::not_found("no such indicator"), Some(p));
    }
    let (i, s) = tri!(st.store.indicator_standing(&p.principal, slug).await, p);
    let values = tri!(
        st.store
            .list_indicator_values(&p.principal, slug, None, 200)
            .await,
        p
    );
    let rows: Vec<_> = values
        .items
        .iter()
        .map(|v| {
            json!({
                "observed_on": v.observed_on, "value": figure(v.value),
                "origin": v.origin, "note": v.note, "banner": banner(&v.origin, &v.marking),
                "tlp": v.marking.tlp.as_str(),
            })
        })
        .collect();
    let default_form = ValueForm {
        tlp: "GREEN".into(),
        rel_to: "COALITION".into(),
        ..ValueForm::default()
    };
    let ctx = context! {
        title => i.name.clone(),
        i => Value::from_serialize(indicator_json(p, &i, &s)),
        cited => crate::cited(st, Subject::Indicator(slug.to_string())).await,
        rows => Value::from_serialize(&rows),
        form => Value::from_serialize(form.unwrap_or(&default_form)),
        can_write => p.principal.role.can_write_records(),
        error,
    };
    html(Some(p), status, "indicator.html", ctx, st.secure_cookies)
}

pub(crate) async fn report_value(
    State(st): State<AppState>,
    p: Page,
    headers: HeaderMap,
    Path(slug): Path<String>,
    Form(f): Form<ValueForm>,
) -> Response {
    if let Some(r) = csrf_rejection(&headers, &f.csrf) {
        return r;
    }
    let result: Result<(), ApiError> = async {
        let v = f
            .value
            .trim()
            .replace(',', "")
            .parse::<f64>()
            .map_err(|_| {
                ApiError::from(coalesce_domain::DomainError::InvalidField {
                    field: "value",
                    reason: format!("{:?} is not a number", f.value),
                })
            })?;
        let marking = Marking::parse(&f.tlp, &rel_to_tokens(&f.rel_to))?;
        let d = ValueDraft::parse(&f.observed_on, v, &f.note, marking)?;
        st.store
            .report_indicator_value(&p.principal, &slug, &d)
            .await?;
        Ok(())
    }
    .await;
    match result {
        Ok(()) => Redirect::to(&format!("/indicators/{slug}")).into_response(),
        Err(e) => indicator_page(&st, &p, &slug, e.status, Some(&f), Some(e.detail)).await,
    }
}
