//! Indicator pages: every indicator with its figures, one indicator with its chart and values, reporting a value.

use super::*;
use coalesce_domain::indicators::{IndicatorValueKind, ValueBody};
use coalesce_domain::record::Record;
use coalesce_domain::source::Subject;

pub(crate) async fn indicators(State(st): State<AppState>, p: Page) -> Response {
    let all = tri!(st.store.list_indicators().await, p);
    let standings = tri!(st.store.indicator_standings(&p.principal, all).await, p);
    let items: Vec<_> = standings
        .iter()
        .map(|(i, s)| indicator_json(&p, i, s))
        .collect();
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
                "id": v.id,
                "own": v.origin == p.principal.member.as_str() && p.principal.role.can_write_records(),
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
        let v = parse_figure(&f.value).map_err(|reason| {
            ApiError::from(coalesce_domain::DomainError::InvalidField {
                field: "value",
                reason,
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

// ----- a reported value: edit, merge, versions, withdraw -------------------

/// The form that changes a reported value.
#[derive(Debug, Default, Deserialize, Serialize, Clone)]
pub(crate) struct ValueEditForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    observed_on: String,
    #[serde(default)]
    value: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    tlp: String,
    #[serde(default)]
    rel_to: String,
    /// The version the form was filled from.
    #[serde(default)]
    if_version: String,
    /// After a conflict: the fields whose newer values to keep.
    #[serde(default)]
    take_theirs: String,
}

crate::merge::merge_forms!(ValueEditForm);

/// The fields of the value form a merge compares, in form order.
const VALUE_FIELDS: [&str; 5] = ["observed_on", "value", "note", "tlp", "rel_to"];

impl ValueEditForm {
    fn of(r: &Record<ValueBody>) -> Self {
        ValueEditForm {
            observed_on: r.body.observed_on.clone(),
            // Exactly as stored: a rounded figure would change it on save.
            value: r.body.value.to_string(),
            note: r.body.note.clone(),
            tlp: r.marking.tlp.as_str().into(),
            rel_to: crate::merge::rel_to_field(&r.marking),
            if_version: r.version.to_string(),
            ..ValueEditForm::default()
        }
    }

    /// The value's new body and marking, or every error at once.
    fn draft(&self, slug: &str) -> Result<(ValueBody, Marking), FieldErrors> {
        let mut e = FieldErrors::default();
        let observed_on = e.keep_domain(
            "observed_on",
            coalesce_domain::text::iso_date("observed_on", &self.observed_on),
        );
        let value = e.keep("value", parse_figure(&self.value));
        let marking = e.keep_domain(
            "rel_to",
            Marking::parse(&self.tlp, &rel_to_tokens(&self.rel_to)),
        );
        let (Some(observed_on), Some(value), Some(marking), true) =
            (observed_on, value, marking, e.is_empty())
        else {
            return Err(e);
        };
        match ValueDraft::parse(&observed_on, value, &self.note, marking) {
            Ok(d) => Ok((ValueBody::of(slug, &d), d.marking)),
            Err(err) => {
                let field = match &err {
                    coalesce_domain::DomainError::InvalidField { field, .. } => match *field {
                        "value" => "value",
                        "note" => "note",
                        _ => "form",
                    },
                    _ => "form",
                };
                let mut e = FieldErrors::default();
                e.keep(field, Err::<(), _>(err));
                Err(e)
            }
        }
    }
}

/// A reported value of indicator `slug` its reader may read (404 when it
/// is another indicator's); with `own`, only for its origin's writers (403
/// for other readers).
async fn value_record(
    st: &AppState,
    p: &Page,
    slug: &str,
    id: &str,
    own: bool,
) -> Result<Record<ValueBody>, ApiError> {
    let r = st
        .store
        .get_record::<IndicatorValueKind>(&p.principal, id)
        .await?;
    if r.body.indicator != slug {
        return Err(ApiError::not_found("no such value of this indicator"));
    }
    let pr = &p.principal;
    if own && (r.origin != pr.member.as_str() || !pr.role.can_write_records()) {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            format!("only writers of {} change this value", r.origin),
        ));
    }
    Ok(r)
}

/// The value's edit form over `now` (the newer version after a conflict).
async fn value_form_page(
    st: &AppState,
    p: &Page,
    status: StatusCode,
    now: &Record<ValueBody>,
    form: &ValueEditForm,
    errors: FieldErrors,
    conflict: Option<Value>,
) -> Response {
    let i = tri!(st.store.get_indicator(&now.body.indicator).await, p);
    let ctx = context! {
        title => p.t("ind-value-edit-title"),
        i => Value::from_serialize(json!({"slug": i.slug, "name": i.name, "unit": i.unit})),
        editing => now.id.clone(),
        withdrawn => now.status == coalesce_domain::record::Status::Withdrawn,
        conflict,
        form => Value::from_serialize(form),
        errors => Value::from_serialize(&errors.0),
    };
    html(Some(p), status, "value_form.html", ctx, st.secure_cookies)
}

pub(crate) async fn edit_value(
    State(st): State<AppState>,
    p: Page,
    Path((slug, id)): Path<(String, String)>,
) -> Response {
    if let Some(r) = check_id(&id, &p) {
        return r;
    }
    let r = tri!(value_record(&st, &p, &slug, &id, true).await, p);
    if r.status == coalesce_domain::record::Status::Withdrawn {
        return api_error_page(
            coalesce_store::StoreError::withdrawn("indicator value").into(),
            Some(&p),
        );
    }
    let form = ValueEditForm::of(&r);
    value_form_page(
        &st,
        &p,
        StatusCode::OK,
        &r,
        &form,
        FieldErrors::default(),
        None,
    )
    .await
}

/// Saves the form as the value's next version against the version it was
/// filled from; a conflict comes back as the merge choice.
pub(crate) async fn update_value(
    State(st): State<AppState>,
    p: Page,
    headers: HeaderMap,
    Path((slug, id)): Path<(String, String)>,
    Form(f): Form<ValueEditForm>,
) -> Response {
    if let Some(r) = csrf_rejection(&headers, &f.csrf) {
        return r;
    }
    if let Some(r) = check_id(&id, &p) {
        return r;
    }
    let now = tri!(value_record(&st, &p, &slug, &id, true).await, p);
    let mut f = crate::merge::taking_chosen(f, &ValueEditForm::of(&now), &VALUE_FIELDS);
    let unprocessable = StatusCode::UNPROCESSABLE_ENTITY;
    let Ok(if_version) = f.if_version.trim().parse::<i64>() else {
        let e = FieldErrors::unversioned();
        return value_form_page(&st, &p, unprocessable, &now, &f, e, None).await;
    };
    let (body, marking) = match f.draft(&slug) {
        Ok(x) => x,
        Err(e) => return value_form_page(&st, &p, unprocessable, &now, &f, e, None).await,
    };
    let e = match st
        .store
        .change_record::<IndicatorValueKind>(&p.principal, &id, body, marking, Some(if_version))
        .await
    {
        Ok(_) => return Redirect::to(&format!("/indicators/{slug}")).into_response(),
        Err(e) => ApiError::from(e),
    };
    if e.code == "version_conflict" {
        let newer = tri!(value_record(&st, &p, &slug, &id, true).await, p);
        let conflict = crate::merge::against_newer(
            &mut f,
            &ValueEditForm::of(&newer),
            &VALUE_FIELDS,
            crate::merge::Newer::of(&newer),
            |field| p.t(&format!("ind-field-{field}")),
        );
        let none = FieldErrors::default();
        return value_form_page(
            &st,
            &p,
            StatusCode::CONFLICT,
            &newer,
            &f,
            none,
            Some(conflict),
        )
        .await;
    }
    let mut errors = FieldErrors::default();
    let field = if e.code == "unknown_audience_token" {
        "rel_to"
    } else {
        "form"
    };
    errors.keep(field, Err::<(), _>(e.detail.clone()));
    value_form_page(&st, &p, e.status, &now, &f, errors, None).await
}

/// Withdraws a reported value: it leaves the figures; its versions stay.
pub(crate) async fn withdraw_value(
    State(st): State<AppState>,
    p: Page,
    headers: HeaderMap,
    Path((slug, id)): Path<(String, String)>,
    Form(f): Form<StepForm>,
) -> Response {
    if let Some(r) = csrf_rejection(&headers, &f.csrf) {
        return r;
    }
    if let Some(r) = check_id(&id, &p) {
        return r;
    }
    tri!(value_record(&st, &p, &slug, &id, false).await, p);
    match st.store.withdraw_indicator_value(&p.principal, &id).await {
        Ok(()) => Redirect::to(&format!("/indicators/{slug}/values/{id}/versions")).into_response(),
        Err(e) => api_error_page(e.into(), Some(&p)),
    }
}

/// The versions of a reported value, side by side (a withdrawn one's too).
pub(crate) async fn value_versions(
    State(st): State<AppState>,
    p: Page,
    Path((slug, id)): Path<(String, String)>,
) -> Response {
    if let Some(r) = check_id(&id, &p) {
        return r;
    }
    let r = tri!(value_record(&st, &p, &slug, &id, false).await, p);
    let i = tri!(st.store.get_indicator(&slug).await, p);
    let vs = tri!(
        st.store
            .record_versions::<IndicatorValueKind>(&p.principal, &id)
            .await,
        p
    );
    let shown = vs
        .into_iter()
        .map(|v| coalesce_store::needs::RecordVersion {
            version: v.version,
            snapshot: json!({
                "withdrawn": v.status == coalesce_domain::record::Status::Withdrawn,
                "observed_on": v.body.observed_on,
                "value": format!("{} {}", figure(v.body.value), i.unit),
                "note": v.body.note,
            }),
            marking: v.marking,
            updated_at_ms: v.at_ms,
            updated_by: v.author,
        })
        .collect();
    let name = format!("{} · {}", i.name, r.body.observed_on);
    crate::reports::versions_page(
        &st,
        &p,
        (
            "indicators",
            "ind-value-versions-title",
            &id,
            &name,
            &r.marking,
            &r.origin,
        ),
        &["ind-observed", "ind-value", "ind-note"],
        shown,
        |s| {
            ["observed_on", "value", "note"]
                .iter()
                .map(|k| s[*k].clone())
                .collect()
        },
    )
}

/// A figure as a person types it: digits with an optional sign and a
/// decimal point, commas only grouping thousands ("55,000", "1,234.5").
/// A decimal comma ("12,5") is refused, not read as 125.
pub(super) fn parse_figure(s: &str) -> Result<f64, String> {
    let t = s.trim();
    let digits = t.strip_prefix(['-', '+']).unwrap_or(t);
    let whole = digits.split('.').next().unwrap_or("");
    let grouped = whole.contains(',');
    let well_grouped = whole.split(',').enumerate().all(|(i, g)| {
        g.chars().all(|c| c.is_ascii_digit())
            && if i == 0 {
                (1..=3).contains(&g.len())
            } else {
                g.len() == 3
            }
    });
    let comma_after_point = digits.split('.').skip(1).any(|d| d.contains(','));
    if (grouped && !well_grouped) || comma_after_point {
        return Err(format!(
            "{t:?} is not a number: write decimals with a point (12.5); a comma only groups thousands (55,000)"
        ));
    }
    t.replace(',', "")
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
        .ok_or_else(|| format!("{t:?} is not a number"))
}

#[cfg(test)]
mod figure_tests {
    use super::parse_figure;

    #[test]
    fn a_comma_groups_thousands_and_never_marks_decimals() {
        assert_eq!(parse_figure(" 55,000 "), Ok(55_000.0));
        assert_eq!(parse_figure("1,234,567.25"), Ok(1_234_567.25));
        assert_eq!(parse_figure("-12.5"), Ok(-12.5));
        assert_eq!(parse_figure("40000"), Ok(40_000.0));
        for bad in [
            "12,5", "1,23,456", ",000", "1.000,5", "lots", "", "inf", "NaN",
        ] {
            assert!(parse_figure(bad).is_err(), "{bad}");
        }
    }
}
