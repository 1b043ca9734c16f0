//! Defining an indicator and changing its definition in the browser (issue
//! 21): coordinators only, as the API. The catalogue of indicators is the
//! coalition's, like the lines of effort: a definition is not marked and
//! not versioned (its values are, and keep their own history). A new
//! indicator's identifier is chosen once; a definition's form is refused
//! for an identifier that exists (it would redefine that indicator
//! silently); every error shows at once beside its field.

use super::*;
use coalesce_domain::indicators::{Aggregation, Direction, IndicatorDraft};
use coalesce_domain::Role;

#[derive(Debug, Default, Deserialize, Serialize, Clone)]
pub(crate) struct DefinitionForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    slug: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    unit: String,
    #[serde(default)]
    line_of_effort: String,
    #[serde(default)]
    direction: String,
    #[serde(default)]
    aggregation: String,
    #[serde(default)]
    baseline: String,
    #[serde(default)]
    baseline_date: String,
    /// One target per line: `YYYY-MM-DD value`.
    #[serde(default)]
    targets: String,
}

/// The fields whose own checks are made one by one (the draft's check
/// stops at the first refusal), with the value each takes while another
/// is checked.
const ALONE: [&str; 5] = [
    "name",
    "description",
    "unit",
    "baseline_date",
    "line_of_effort",
];

impl DefinitionForm {
    fn of(i: &Indicator) -> Self {
        DefinitionForm {
            slug: i.slug.clone(),
            name: i.name.clone(),
            description: i.description.clone(),
            unit: i.unit.clone(),
            line_of_effort: i.line_of_effort.clone().unwrap_or_default(),
            direction: i.direction.as_str().into(),
            aggregation: i.aggregation.as_str().into(),
            baseline: i.baseline.to_string(),
            baseline_date: i.baseline_date.clone().unwrap_or_default(),
            targets: i
                .targets
                .iter()
                .map(|t| format!("{} {}", t.date, t.value))
                .collect::<Vec<_>>()
                .join("\n"),
            ..DefinitionForm::default()
        }
    }

    /// The targets as sent, or why a line is not one.
    fn target_lines(&self) -> Result<Vec<(String, f64)>, String> {
        self.targets
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(|line| {
                let (date, value) = line
                    .split_once(|c: char| c.is_whitespace() || c == ',' || c == ';')
                    .ok_or_else(|| {
                        format!("{line:?}: a target is a date and a value (2016-12-31 40)")
                    })?;
                let value = super::indicators::parse_figure(value)
                    .map_err(|why| format!("{line:?}: {why}"))?;
                Ok((date.trim().to_string(), value))
            })
            .collect()
    }

    /// The draft of this form (with `slug` for its identifier), or every
    /// error at once, each under its field.
    fn checked(&self, slug: &str) -> Result<IndicatorDraft, FieldErrors> {
        let mut e = FieldErrors::default();
        e.keep_domain("slug", coalesce_domain::Slug::parse(slug.trim()));
        if slug.trim() == "new" {
            // `/indicators/new` is the form that defines one.
            e.keep(
                "slug",
                Err::<(), _>(
                    "\"new\" names the form that defines an indicator: choose another identifier",
                ),
            );
        }
        e.keep_domain("direction", Direction::parse(&self.direction));
        e.keep_domain("aggregation", Aggregation::parse(&self.aggregation));
        let baseline = e.keep("baseline", super::indicators::parse_figure(&self.baseline));
        let targets = e.keep("targets", self.target_lines());
        if let Some(targets) = &targets {
            // Their dates and values alone (against the baseline only
            // once both are good).
            let any_baseline = -coalesce_domain::indicators::MAX_VALUE;
            e.keep(
                "targets",
                IndicatorDraft::parse(
                    "probe",
                    "probe",
                    "",
                    "probe",
                    None,
                    "increase",
                    "sum",
                    any_baseline,
                    None,
                    targets,
                ),
            );
        }
        for field in ALONE {
            let probe = |f: &str, v: &str, default: &str| {
                if f == field {
                    v.to_string()
                } else {
                    default.to_string()
                }
            };
            let checked = IndicatorDraft::parse(
                "probe",
                &probe("name", &self.name, "probe"),
                &probe("description", &self.description, ""),
                &probe("unit", &self.unit, "probe"),
                Some(probe("line_of_effort", &self.line_of_effort, "").as_str()),
                "increase",
                "sum",
                0.0,
                Some(probe("baseline_date", &self.baseline_date, "").as_str()),
                &[],
            );
            e.keep(field, checked);
        }
        let (Some(baseline), Some(targets), true) = (baseline, targets, e.is_empty()) else {
            return Err(e);
        };
        // What only the whole says: the targets against the baseline.
        IndicatorDraft::parse(
            slug,
            &self.name,
            &self.description,
            &self.unit,
            Some(self.line_of_effort.as_str()),
            &self.direction,
            &self.aggregation,
            baseline,
            Some(self.baseline_date.as_str()),
            &targets,
        )
        .map_err(|err| {
            let mut e = FieldErrors::default();
            let field = match &err {
                coalesce_domain::DomainError::InvalidField { field, .. } => match *field {
                    "baseline" => "baseline",
                    f if f.starts_with("targets") => "targets",
                    _ => "form",
                },
                _ => "form",
            };
            e.keep(field, Err::<(), _>(err));
            e
        })
    }
}

/// Coordinators define indicators; anyone else gets the 403 page.
fn refuse_non_coordinator(p: &Page) -> Option<Response> {
    (p.principal.role < Role::Coordinator).then(|| {
        api_error_page(
            ApiError::new(
                StatusCode::FORBIDDEN,
                "forbidden",
                "only coordinators define indicators",
            ),
            Some(p),
        )
    })
}

/// The form: `editing` names the indicator whose definition it changes
/// (its identifier fixed), `None` for a new one.
async fn definition_page(
    st: &AppState,
    p: &Page,
    status: StatusCode,
    form: &DefinitionForm,
    editing: Option<&str>,
    errors: FieldErrors,
) -> Response {
    let lines = tri!(st.store.list_lines_of_effort().await, p);
    let ctx = context! {
        title => p.t(if editing.is_some() { "ind-def-edit-title" } else { "ind-def-new-title" }),
        editing,
        form => Value::from_serialize(form),
        lines => Value::from_serialize(&lines),
        errors => Value::from_serialize(&errors.0),
    };
    html(
        Some(p),
        status,
        "indicator_form.html",
        ctx,
        st.secure_cookies,
    )
}

pub(crate) async fn new_indicator(State(st): State<AppState>, p: Page) -> Response {
    if let Some(r) = refuse_non_coordinator(&p) {
        return r;
    }
    let form = DefinitionForm {
        direction: "increase".into(),
        aggregation: "sum".into(),
        baseline: "0".into(),
        ..DefinitionForm::default()
    };
    definition_page(&st, &p, StatusCode::OK, &form, None, FieldErrors::default()).await
}

pub(crate) async fn define_indicator(
    State(st): State<AppState>,
    p: Page,
    headers: HeaderMap,
    Form(f): Form<DefinitionForm>,
) -> Response {
    if let Some(r) = csrf_rejection(&headers, &f.csrf) {
        return r;
    }
    if let Some(r) = refuse_non_coordinator(&p) {
        return r;
    }
    let refused =
        |errors| definition_page(&st, &p, StatusCode::UNPROCESSABLE_ENTITY, &f, None, errors);
    let d = match f.checked(&f.slug) {
        Ok(d) => d,
        Err(errors) => return refused(errors).await,
    };
    match st.store.define_new_indicator(&p.principal, &d).await {
        Ok(_) => Redirect::to(&format!("/indicators/{}", d.slug)).into_response(),
        // Checked under the store's write lock: a coordinator defining the
        // same new identifier a moment earlier wins, this one is told.
        Err(coalesce_store::StoreError::Conflict(c)) => {
            let mut e = FieldErrors::default();
            e.keep("slug", Err::<(), _>(c.detail));
            refused(e).await
        }
        Err(e) => refused_by_store(&st, &p, &f, None, e).await,
    }
}

async fn save(
    st: &AppState,
    p: &Page,
    f: &DefinitionForm,
    editing: Option<&str>,
    d: &IndicatorDraft,
) -> Response {
    match st.store.define_indicator(&p.principal, d).await {
        Ok(_) => Redirect::to(&format!("/indicators/{}", d.slug)).into_response(),
        Err(e) => refused_by_store(st, p, f, editing, e).await,
    }
}

/// The form again with the store's refusal beside the field it names.
async fn refused_by_store(
    st: &AppState,
    p: &Page,
    f: &DefinitionForm,
    editing: Option<&str>,
    e: coalesce_store::StoreError,
) -> Response {
    let e = ApiError::from(e);
    let mut errors = FieldErrors::default();
    let field = if e.detail.contains("line of effort") {
        "line_of_effort"
    } else {
        "form"
    };
    errors.keep(field, Err::<(), _>(e.detail.clone()));
    definition_page(st, p, e.status, f, editing, errors).await
}

/// The indicator `slug` as it is defined, or the page saying why not.
async fn defined(st: &AppState, p: &Page, slug: &str) -> Result<Indicator, Response> {
    if coalesce_domain::Slug::parse(slug).is_err() {
        return Err(api_error_page(
            ApiError::not_found("no such indicator"),
            Some(p),
        ));
    }
    st.store
        .get_indicator(slug)
        .await
        .map_err(|e| api_error_page(e.into(), Some(p)))
}

pub(crate) async fn edit_definition(
    State(st): State<AppState>,
    p: Page,
    Path(slug): Path<String>,
) -> Response {
    if let Some(r) = refuse_non_coordinator(&p) {
        return r;
    }
    let i = match defined(&st, &p, &slug).await {
        Ok(i) => i,
        Err(r) => return r,
    };
    let form = DefinitionForm::of(&i);
    let ok = StatusCode::OK;
    definition_page(&st, &p, ok, &form, Some(&slug), FieldErrors::default()).await
}

pub(crate) async fn redefine(
    State(st): State<AppState>,
    p: Page,
    headers: HeaderMap,
    Path(slug): Path<String>,
    Form(f): Form<DefinitionForm>,
) -> Response {
    if let Some(r) = csrf_rejection(&headers, &f.csrf) {
        return r;
    }
    if let Some(r) = refuse_non_coordinator(&p) {
        return r;
    }
    if let Err(r) = defined(&st, &p, &slug).await {
        return r;
    }
    // The identifier is the page's, whatever the form says.
    let f = DefinitionForm {
        slug: slug.clone(),
        ..f
    };
    match f.checked(&slug) {
        Ok(d) => save(&st, &p, &f, Some(&slug), &d).await,
        Err(errors) => {
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            definition_page(&st, &p, status, &f, Some(&slug), errors).await
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> DefinitionForm {
        DefinitionForm {
            name: "Territory held".into(),
            unit: "km²".into(),
            direction: "decrease".into(),
            aggregation: "last".into(),
            baseline: "55,000".into(),
            baseline_date: "2014-08-08".into(),
            targets: "2016-12-31 20000\n\n2015-12-31, 40000".into(),
            ..DefinitionForm::default()
        }
    }

    #[test]
    fn a_definition_reads_its_targets_one_per_line_in_date_order() {
        let d = form().checked("territory-held").expect("a definition");
        assert_eq!(d.baseline, 55_000.0);
        let dates: Vec<&str> = d.targets.iter().map(|t| t.date.as_str()).collect();
        assert_eq!(dates, vec!["2015-12-31", "2016-12-31"]);
    }

    #[test]
    fn every_refused_field_is_named_at_once() {
        let f = DefinitionForm {
            name: String::new(),
            unit: String::new(),
            baseline: "lots".into(),
            baseline_date: "2014-13-01".into(),
            targets: "someday 3".into(),
            ..form()
        };
        let e = f.checked("Not A Slug").expect_err("refused");
        let fields: Vec<&str> = e.0.keys().copied().collect();
        assert_eq!(
            fields,
            vec![
                "baseline",
                "baseline_date",
                "name",
                "slug",
                "targets",
                "unit"
            ],
            "{e:?}"
        );
        // A target behind the baseline is the whole's to refuse.
        let behind = DefinitionForm {
            targets: "2016-12-31 60000".into(),
            ..form()
        };
        let e = behind.checked("territory-held").expect_err("behind");
        assert!(e.0.contains_key("targets"), "{e:?}");
        // The identifier of the form that defines one is not an indicator's.
        let e = form().checked("new").expect_err("new");
        assert!(e.0.contains_key("slug"), "{e:?}");
        // A decimal comma is refused, not read as a larger figure.
        let comma = DefinitionForm {
            baseline: "55000,5".into(),
            ..form()
        };
        assert!(comma
            .checked("territory-held")
            .expect_err("comma")
            .0
            .contains_key("baseline"));
    }
}
