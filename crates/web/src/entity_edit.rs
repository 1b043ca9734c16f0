//! Changing an entity — a person, organisation, vessel or place — in the
//! web interface (issue 21): the form filled in with it (the fields its
//! kind has: a date of birth for a person, IMO, MMSI and flag for a
//! vessel), saved as its next version against the version it was filled
//! from, every error at once beside its field, the merge choice after a
//! version conflict. Its kind does not change, a purged person stays
//! purged (its origin purges, it does not edit), and entities are not
//! withdrawn here (reports name them; the API has no withdrawal either).

use crate::form::Form;
use crate::needs::FieldErrors;
use crate::{api_error_page, bad_id_page, csrf_rejection, html, rel_to_tokens, Page};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use coalesce_app::{ApiError, AppState};
use coalesce_domain::entity::{EntityBody, EntityRecordKind};
use coalesce_domain::record::{Kind, Record};
use coalesce_domain::reports::EntityKind;
use coalesce_domain::{DomainError, Marking};
use minijinja::{context, Value};
use serde::{Deserialize, Serialize};

#[derive(Debug, Default, Deserialize, Serialize, Clone)]
pub(crate) struct EntityForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
    /// One per line.
    #[serde(default)]
    aliases: String,
    #[serde(default)]
    birth_date: String,
    #[serde(default)]
    nationality: String,
    /// One per line.
    #[serde(default)]
    documents: String,
    #[serde(default)]
    imo: String,
    #[serde(default)]
    mmsi: String,
    #[serde(default)]
    flag: String,
    #[serde(default)]
    retain_until: String,
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

crate::merge::merge_forms!(EntityForm);

/// The particulars of the form, in form order (each checked on its own,
/// so that every refused one is named at once).
const PARTICULARS: [&str; 9] = [
    "name",
    "aliases",
    "birth_date",
    "nationality",
    "documents",
    "imo",
    "mmsi",
    "flag",
    "retain_until",
];

/// The fields a merge compares, in form order: the particulars, then the
/// marking.
fn merged_fields() -> Vec<&'static str> {
    PARTICULARS.into_iter().chain(["tlp", "rel_to"]).collect()
}

/// Which particulars an entity of `kind` has (the others are refused by
/// the kind's check, so the form does not show them).
fn shown(kind: EntityKind) -> Vec<&'static str> {
    PARTICULARS
        .into_iter()
        .filter(|f| match *f {
            "birth_date" | "retain_until" => kind == EntityKind::Person,
            "imo" | "mmsi" | "flag" => kind == EntityKind::Vessel,
            _ => true,
        })
        .collect()
}

fn lines(s: &str) -> Vec<String> {
    s.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

fn some(s: &str) -> Option<String> {
    Some(s.trim().to_string()).filter(|s| !s.is_empty())
}

impl EntityForm {
    /// The form filled in from an entity as it is now.
    fn of(e: &Record<EntityBody>) -> Self {
        let b = &e.body;
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        EntityForm {
            name: b.name.clone(),
            aliases: b.aliases.join("\n"),
            birth_date: text(&b.birth_date),
            nationality: text(&b.nationality),
            documents: b.documents.join("\n"),
            imo: text(&b.imo),
            mmsi: text(&b.mmsi),
            flag: text(&b.flag),
            retain_until: text(&b.retain_until),
            tlp: e.marking.tlp.as_str().into(),
            rel_to: crate::merge::rel_to_field(&e.marking),
            if_version: e.version.to_string(),
            ..EntityForm::default()
        }
    }

    /// The particulars as sent, on an entity of `kind`; `only` keeps just
    /// that one (and a name, which every entity needs).
    fn body(&self, kind: EntityKind, only: Option<&str>) -> EntityBody {
        let has = |f: &str| only.is_none_or(|o| o == f);
        let text = |f: &str, v: &str| if has(f) { some(v) } else { None };
        let list = |f: &str, v: &str| if has(f) { lines(v) } else { Vec::new() };
        EntityBody {
            kind,
            name: if has("name") {
                self.name.clone()
            } else {
                "—".to_string()
            },
            aliases: list("aliases", &self.aliases),
            birth_date: text("birth_date", &self.birth_date),
            nationality: text("nationality", &self.nationality),
            documents: list("documents", &self.documents),
            imo: text("imo", &self.imo),
            mmsi: text("mmsi", &self.mmsi),
            flag: text("flag", &self.flag),
            retain_until: text("retain_until", &self.retain_until),
            purged_on: None,
        }
    }

    /// The particulars and marking this form makes of an entity of `kind`,
    /// or every error at once, each under its field.
    fn checked(&self, kind: EntityKind) -> Result<(EntityBody, Marking), FieldErrors> {
        let mut e = FieldErrors::default();
        // The kind's check stops at its first refusal: each particular is
        // checked alone, so the form names every refused one.
        for field in shown(kind) {
            if let Err(err) = EntityRecordKind::validate(self.body(kind, Some(field))) {
                e.keep(field_of(&err, field), Err::<(), _>(err));
            }
        }
        let marking = e.keep_domain(
            "rel_to",
            Marking::parse(&self.tlp, &rel_to_tokens(&self.rel_to)),
        );
        let body = match EntityRecordKind::validate(self.body(kind, None)) {
            Ok(b) => Some(b),
            Err(err) => {
                if e.is_empty() {
                    e.keep(field_of(&err, "form"), Err::<(), _>(err));
                }
                None
            }
        };
        match (body, marking, e.is_empty()) {
            (Some(b), Some(m), true) => Ok((b, m)),
            _ => Err(e),
        }
    }
}

/// The form field a refusal of the kind's check belongs to.
fn field_of(err: &DomainError, default: &'static str) -> &'static str {
    match err {
        DomainError::InvalidField { field, .. } => PARTICULARS
            .into_iter()
            .find(|f| f == field)
            .unwrap_or(default),
        _ => default,
    }
}

/// A field's name in the reader's language (the labels of the entity's
/// page where it has them).
fn field_label(p: &Page, field: &str) -> String {
    match field {
        "name" => p.t("entity-field-name"),
        "aliases" => p.t("entity-aliases"),
        "birth_date" => p.t("entity-born"),
        "nationality" => p.t("entity-nationality"),
        "documents" => p.t("report-documents"),
        "imo" => "IMO".to_string(),
        "mmsi" => "MMSI".to_string(),
        "flag" => p.t("entity-flag"),
        "retain_until" => p.t("entity-field-retain_until"),
        "tlp" => p.t("marking-tlp"),
        _ => p.t("rel-to-legend"),
    }
}

/// An entity its reader may change: its origin's writers only (403 for
/// other readers; outside its audience it does not exist), not a purged
/// person (409: its particulars are gone; its origin purged it).
async fn own_entity(st: &AppState, p: &Page, id: &str) -> Result<Record<EntityBody>, ApiError> {
    let e = st
        .store
        .get_record::<EntityRecordKind>(&p.principal, id)
        .await?;
    if e.status == coalesce_domain::record::Status::Withdrawn {
        return Err(ApiError::not_found("no such entity"));
    }
    if let Some(refusal) = crate::meeting_edit::not_theirs(p, &e.origin) {
        return Err(refusal);
    }
    if let Some(day) = &e.body.purged_on {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "purged",
            format!(
                "this person's personal data was purged on {day}: a purged person stays purged"
            ),
        ));
    }
    Ok(e)
}

async fn form_page(
    st: &AppState,
    p: &Page,
    status: StatusCode,
    now: &Record<EntityBody>,
    form: &EntityForm,
    errors: FieldErrors,
    conflict: Option<Value>,
) -> Response {
    let kind = now.body.kind;
    let fields: Vec<_> = shown(kind)
        .into_iter()
        .map(|f| context! { name => f, label => field_label(p, f) })
        .collect();
    let ctx = context! {
        title => p.t("entity-edit-title"),
        editing => now.id.as_str(),
        kind => kind.as_str(),
        fields,
        conflict,
        form => Value::from_serialize(form),
        errors => Value::from_serialize(&errors.0),
    };
    html(Some(p), status, "entity_form.html", ctx, st.secure_cookies)
}

pub(crate) async fn edit(State(st): State<AppState>, p: Page, Path(id): Path<String>) -> Response {
    if let Some(r) = bad_id_page(&id, "no such entity", &p) {
        return r;
    }
    let e = tri!(own_entity(&st, &p, &id).await, p);
    let form = EntityForm::of(&e);
    form_page(
        &st,
        &p,
        StatusCode::OK,
        &e,
        &form,
        FieldErrors::default(),
        None,
    )
    .await
}

/// Saves the form as the entity's next version against the version it was
/// filled from (the fields chosen in a merge taken from the newer version
/// first).
pub(crate) async fn update(
    State(st): State<AppState>,
    p: Page,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(f): Form<EntityForm>,
) -> Response {
    if let Some(r) = csrf_rejection(&headers, &f.csrf) {
        return r;
    }
    if let Some(r) = bad_id_page(&id, "no such entity", &p) {
        return r;
    }
    let now = tri!(own_entity(&st, &p, &id).await, p);
    let fields = merged_fields();
    let mut f = crate::merge::taking_chosen(f, &EntityForm::of(&now), &fields);
    let Ok(if_version) = f.if_version.trim().parse::<i64>() else {
        let e = FieldErrors::unversioned();
        return form_page(&st, &p, StatusCode::UNPROCESSABLE_ENTITY, &now, &f, e, None).await;
    };
    let (body, marking) = match f.checked(now.body.kind) {
        Ok(x) => x,
        Err(e) => {
            return form_page(&st, &p, StatusCode::UNPROCESSABLE_ENTITY, &now, &f, e, None).await
        }
    };
    let e = match st
        .store
        .change_record::<EntityRecordKind>(&p.principal, &id, body, marking, Some(if_version))
        .await
    {
        Ok(_) => return Redirect::to(&format!("/entities/{id}")).into_response(),
        Err(e) => ApiError::from(e),
    };
    if e.code == "version_conflict" {
        let newer = tri!(own_entity(&st, &p, &id).await, p);
        let conflict = crate::merge::against_newer(
            &mut f,
            &EntityForm::of(&newer),
            &fields,
            crate::merge::Newer::of(&newer),
            |field| field_label(&p, field),
        );
        return form_page(
            &st,
            &p,
            StatusCode::CONFLICT,
            &newer,
            &f,
            FieldErrors::default(),
            Some(conflict),
        )
        .await;
    }
    if e.status == StatusCode::FORBIDDEN || e.status == StatusCode::NOT_FOUND {
        return api_error_page(e, Some(&p));
    }
    let mut errors = FieldErrors::default();
    let field = if e.code == "unknown_audience_token" {
        "rel_to"
    } else if e.detail.contains("retain_until") {
        // The store's own check of the retention day (not before today,
        // not past the node's longest period).
        "retain_until"
    } else {
        "form"
    };
    errors.keep(field, Err::<(), _>(e.detail.clone()));
    form_page(&st, &p, e.status, &now, &f, errors, None).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_refused_particular_is_named_at_once() {
        let f = EntityForm {
            name: String::new(),
            birth_date: "1980-13-40".into(),
            nationality: "Narnia".into(),
            tlp: "AMBER".into(),
            ..EntityForm::default()
        };
        let e = f.checked(EntityKind::Person).expect_err("refused");
        let fields: Vec<&str> = e.0.keys().copied().collect();
        assert_eq!(fields, vec!["birth_date", "name", "nationality"], "{e:?}");
    }

    #[test]
    fn a_vessel_keeps_its_identifiers_and_a_person_shows_none() {
        assert!(shown(EntityKind::Vessel).contains(&"imo"));
        assert!(!shown(EntityKind::Vessel).contains(&"birth_date"));
        assert!(!shown(EntityKind::Person).contains(&"imo"));
        let f = EntityForm {
            name: "Hamza".into(),
            aliases: "Hamza II\n\n  Hamza 2 \n".into(),
            imo: "9074729".into(),
            flag: "PAN".into(),
            tlp: "GREEN".into(),
            ..EntityForm::default()
        };
        let (b, m) = f.checked(EntityKind::Vessel).expect("a vessel");
        assert_eq!(b.aliases, vec!["Hamza II", "Hamza 2"]);
        assert_eq!(b.imo.as_deref(), Some("9074729"));
        assert_eq!(m.tlp.as_str(), "GREEN");
    }
}
