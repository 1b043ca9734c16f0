//! A meeting's joint statement in the web interface (issue 21): recorded
//! beside its meeting, changed (the merge choice after a version
//! conflict), withdrawn, its versions side by side. A statement has one
//! text per language, the first the original, each of numbered
//! paragraphs; the form shows each language as a block — its code, its
//! title and its paragraphs, one per blank-line-separated block starting
//! with its number ("1. The coalition…") — plus a blank block for another
//! language. Every error shows at once; those of the texts name their
//! language and stand together beside the texts.

use crate::form::Form;
use crate::needs::FieldErrors;
use crate::{api_error_page, bad_id_page, csrf_rejection, html, rel_to_tokens, Page};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use coalesce_app::{ApiError, AppState};
use coalesce_domain::meetings::{MeetingKind, Paragraph, Statement, StatementKind, StatementText};
use coalesce_domain::record::{Kind, Record, Status};
use coalesce_domain::{DomainError, Marking};
use minijinja::{context, Value};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Default, Deserialize, Serialize, Clone)]
pub(crate) struct StatementForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    adopted_on: String,
    /// Member codes (the checkboxes, joined by the form extractor).
    #[serde(default)]
    signatories: String,
    #[serde(default)]
    source: String,
    #[serde(default)]
    tlp: String,
    #[serde(default)]
    rel_to: String,
    /// The version the form was filled from (editing only).
    #[serde(default)]
    if_version: String,
    /// After a conflict: the fields whose newer values to keep.
    #[serde(default)]
    take_theirs: String,
    /// One block per language: `text1_language`, `text1_title`,
    /// `text1_paragraphs`, …
    #[serde(flatten)]
    texts: BTreeMap<String, String>,
}

crate::merge::merge_forms!(StatementForm);

const TEXT_FIELDS: [&str; 3] = ["language", "title", "paragraphs"];

/// The paragraphs as the form shows them: each its number, a period and
/// its text, blank lines between.
fn paragraphs_field(ps: &[Paragraph]) -> String {
    ps.iter()
        .map(|p| format!("{}. {}", p.num, p.text))
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// The paragraphs of a language block of the form, or why one is not:
/// blocks between blank lines (a line of spaces is blank), each starting
/// with its number — letters, digits, '.' or '-' — and a '.' or ')'
/// before a space ("1. The coalition…", "1.1. …", "b) …").
fn paragraphs_of(language: &str, s: &str) -> Result<Vec<Paragraph>, String> {
    let mut blocks: Vec<Vec<&str>> = vec![Vec::new()];
    for line in s.lines() {
        match (line.trim().is_empty(), blocks.last_mut()) {
            (true, Some(b)) if !b.is_empty() => blocks.push(Vec::new()),
            (false, Some(b)) => b.push(line.trim_end()),
            _ => {}
        }
    }
    blocks
        .into_iter()
        .filter(|b| !b.is_empty())
        .map(|b| {
            let joined = b.join("\n");
            let block = joined.trim_start();
            let run = block
                .find(|c: char| !(c.is_alphanumeric() || c == '.' || c == '-'))
                .unwrap_or(block.len());
            let rest = &block[run..];
            // "1.1. Text": the run is "1.1.", its last '.' ends the number;
            // "b) Text": the ')' after the run does.
            let numbered = match block[..run].strip_suffix('.') {
                Some(num) => Some((num, rest)),
                None => rest.strip_prefix(')').map(|rest| (&block[..run], rest)),
            };
            match numbered {
                Some((num, rest)) if !num.is_empty() && rest.starts_with(char::is_whitespace) => {
                    Ok(Paragraph {
                        num: num.to_string(),
                        text: rest.trim().to_string(),
                    })
                }
                _ => Err(format!(
                    "the {language} text: {:?} does not start with its paragraph number (\"1. The coalition…\")",
                    block.chars().take(40).collect::<String>()
                )),
            }
        })
        .collect()
}

/// Whether the form can show these paragraphs as they are: it separates
/// them by blank lines, so one holding a blank line (written through the
/// API) would come back as two.
fn fits_the_form(s: &Statement) -> bool {
    s.texts.iter().all(|t| {
        t.paragraphs
            .iter()
            .all(|p| !p.text.lines().any(|l| l.trim().is_empty()))
    })
}

impl StatementForm {
    fn of(s: &Record<Statement>) -> Self {
        let mut texts = BTreeMap::new();
        for (i, t) in s.body.texts.iter().enumerate() {
            let n = i + 1;
            texts.insert(format!("text{n}_language"), t.language.clone());
            texts.insert(format!("text{n}_title"), t.title.clone());
            texts.insert(
                format!("text{n}_paragraphs"),
                paragraphs_field(&t.paragraphs),
            );
        }
        StatementForm {
            adopted_on: s.body.adopted_on.clone(),
            signatories: s.body.signatories.join(" "),
            source: s.body.source.clone(),
            tlp: s.marking.tlp.as_str().into(),
            rel_to: crate::merge::rel_to_field(&s.marking),
            if_version: s.version.to_string(),
            texts,
            ..StatementForm::default()
        }
    }

    fn text(&self, n: u32, field: &str) -> &str {
        self.texts
            .get(&format!("text{n}_{field}"))
            .map(|s| s.trim())
            .unwrap_or("")
    }

    /// The numbers of the language blocks that hold anything, in order.
    fn filled(&self) -> Vec<u32> {
        let mut ns: Vec<u32> = self
            .texts
            .iter()
            .filter(|(_, v)| !v.trim().is_empty())
            .filter_map(|(k, _)| {
                let (n, field) = k.strip_prefix("text")?.split_once('_')?;
                TEXT_FIELDS.contains(&field).then(|| n.parse().ok())?
            })
            .collect();
        ns.sort_unstable();
        ns.dedup();
        ns
    }

    /// The language blocks the page shows: those filled, then a blank one.
    fn blocks(&self) -> Vec<serde_json::Value> {
        let filled = self.filled();
        let next = filled.last().map_or(1, |n| n + 1);
        filled
            .into_iter()
            .chain([next])
            .map(|n| {
                serde_json::json!({
                    "n": n,
                    "language": self.text(n, "language"),
                    "title": self.text(n, "title"),
                    "paragraphs": self.text(n, "paragraphs"),
                })
            })
            .collect()
    }

    /// The fields a merge compares: the statement's own, then each
    /// language block either form has.
    fn merged_fields(forms: [&StatementForm; 2]) -> Vec<String> {
        let mut ns: Vec<u32> = forms.iter().flat_map(|f| f.filled()).collect();
        ns.sort_unstable();
        ns.dedup();
        ["adopted_on", "signatories", "source", "tlp", "rel_to"]
            .into_iter()
            .map(str::to_string)
            .chain(
                ns.into_iter()
                    .flat_map(|n| TEXT_FIELDS.iter().map(move |f| format!("text{n}_{f}"))),
            )
            .collect()
    }

    /// The statement this form makes for `meeting` and its marking, or
    /// every error at once.
    fn checked(&self, meeting: &str) -> Result<(Statement, Marking), FieldErrors> {
        let mut e = FieldErrors::default();
        let adopted_on = e.keep_domain(
            "adopted_on",
            coalesce_domain::text::iso_date("adopted_on", &self.adopted_on),
        );
        let mut texts = Vec::new();
        let mut text_errors = Vec::new();
        for n in self.filled() {
            let language = self.text(n, "language");
            let shown = if language.is_empty() {
                "unnamed"
            } else {
                language
            };
            if language.is_empty() {
                text_errors.push(format!("text {n} needs its language code (en, ar, fr)"));
            }
            match paragraphs_of(shown, self.text(n, "paragraphs")) {
                Ok(paragraphs) => texts.push(StatementText {
                    language: language.to_string(),
                    title: self.text(n, "title").to_string(),
                    paragraphs,
                }),
                Err(why) => text_errors.push(why),
            }
        }
        if !text_errors.is_empty() {
            e.keep("texts", Err::<(), _>(text_errors.join("; ")));
        }
        let marking = e.keep_domain(
            "rel_to",
            Marking::parse(&self.tlp, &rel_to_tokens(&self.rel_to)),
        );
        let (Some(adopted_on), Some(marking), true) = (adopted_on, marking, e.is_empty()) else {
            return Err(e);
        };
        let signatories = self
            .signatories
            .split([' ', ',', ';'])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_ascii_uppercase)
            .collect();
        let s = Statement {
            meeting: meeting.to_string(),
            adopted_on,
            signatories,
            texts,
            source: self.source.trim().to_string(),
        };
        // The kind's own checks (numbering alike in every language, one
        // text per language, …), beside the field they name.
        let s = StatementKind::validate(s).map_err(|err| {
            let field = match &err {
                DomainError::InvalidField { field, .. } => match *field {
                    "adopted_on" | "signatories" | "source" => *field,
                    "texts" | "paragraphs" | "num" | "title" | "language" => "texts",
                    _ => "form",
                },
                _ => "form",
            };
            let mut e = FieldErrors::default();
            e.keep(field, Err::<(), _>(err));
            e
        })?;
        Ok((s, marking))
    }
}

/// Where a refusal of the store belongs on the form.
fn store_error_field(e: &ApiError) -> &'static str {
    let d = e.detail.to_ascii_lowercase();
    if e.code == "unknown_audience_token" || d.contains("rel to") || d.contains("audience") {
        "rel_to"
    } else if d.contains("member") {
        "signatories"
    } else {
        "form"
    }
}

fn field_label(p: &Page, field: &str) -> String {
    if let Some((n, f)) = field.strip_prefix("text").and_then(|r| r.split_once('_')) {
        return format!(
            "{} {n} · {}",
            p.t("statement-text"),
            p.t(&format!("statement-field-{f}"))
        );
    }
    p.t(&format!("statement-field-{field}"))
}

/// The form page: `action` where it is sent, `meeting` the meeting it
/// belongs to (for the way back), `editing` the statement it changes.
#[allow(clippy::too_many_arguments)]
async fn form_page(
    st: &AppState,
    p: &Page,
    status: StatusCode,
    meeting: &str,
    editing: Option<&str>,
    form: &StatementForm,
    errors: FieldErrors,
    conflict: Option<Value>,
) -> Response {
    let members = tri!(st.store.list_members().await, p);
    let signed: Vec<String> = form
        .signatories
        .split([' ', ',', ';'])
        .map(|s| s.trim().to_ascii_uppercase())
        .filter(|s| !s.is_empty())
        .collect();
    let ctx = context! {
        title => p.t(if editing.is_some() { "statement-edit-title" } else { "statement-new-title" }),
        meeting,
        editing,
        conflict,
        form => Value::from_serialize(form),
        blocks => Value::from_serialize(form.blocks()),
        members => Value::from_serialize(&members),
        signed,
        errors => Value::from_serialize(&errors.0),
    };
    html(
        Some(p),
        status,
        "statement_form.html",
        ctx,
        st.secure_cookies,
    )
}

pub(crate) async fn new(State(st): State<AppState>, p: Page, Path(id): Path<String>) -> Response {
    if let Some(r) = bad_id_page(&id, "no such meeting", &p) {
        return r;
    }
    let m = tri!(
        st.store.get_record::<MeetingKind>(&p.principal, &id).await,
        p
    );
    let form = StatementForm {
        adopted_on: m.body.starts.get(..10).unwrap_or_default().to_string(),
        tlp: m.marking.tlp.as_str().into(),
        rel_to: crate::merge::rel_to_field(&m.marking),
        texts: BTreeMap::from([("text1_language".to_string(), "en".to_string())]),
        ..StatementForm::default()
    };
    form_page(
        &st,
        &p,
        StatusCode::OK,
        &id,
        None,
        &form,
        FieldErrors::default(),
        None,
    )
    .await
}

pub(crate) async fn create(
    State(st): State<AppState>,
    p: Page,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(f): Form<StatementForm>,
) -> Response {
    if let Some(r) = csrf_rejection(&headers, &f.csrf) {
        return r;
    }
    if let Some(r) = bad_id_page(&id, "no such meeting", &p) {
        return r;
    }
    tri!(
        st.store.get_record::<MeetingKind>(&p.principal, &id).await,
        p
    );
    let refused = |status, errors| form_page(&st, &p, status, &id, None, &f, errors, None);
    let (body, marking) = match f.checked(&id) {
        Ok(x) => x,
        Err(e) => return refused(StatusCode::UNPROCESSABLE_ENTITY, e).await,
    };
    match st
        .store
        .create_record::<StatementKind>(&p.principal, body, marking)
        .await
    {
        Ok(s) => Redirect::to(&format!("/meetings/{id}#statement-{}", s.id)).into_response(),
        Err(e) => {
            let e = ApiError::from(e);
            if e.status == StatusCode::FORBIDDEN {
                return api_error_page(e, Some(&p));
            }
            let mut errors = FieldErrors::default();
            errors.keep(store_error_field(&e), Err::<(), _>(e.detail.clone()));
            refused(e.status, errors).await
        }
    }
}

/// A statement its reader may change: its origin's writers only (403 for
/// other readers; outside its audience, or withdrawn, it does not exist).
async fn own_statement(st: &AppState, p: &Page, id: &str) -> Result<Record<Statement>, ApiError> {
    let s = st
        .store
        .get_record::<StatementKind>(&p.principal, id)
        .await?;
    if s.status == Status::Withdrawn {
        return Err(ApiError::not_found("no such joint statement"));
    }
    if let Some(refusal) = crate::meeting_edit::not_theirs(p, &s.origin) {
        return Err(refusal);
    }
    if !fits_the_form(&s.body) {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "details_not_in_form",
            format!(
                "a paragraph of this statement holds a blank line, which the form reads as the start of another paragraph; change it through the API: PUT /api/v1/statements/{}",
                s.id
            ),
        ));
    }
    Ok(s)
}

pub(crate) async fn edit(State(st): State<AppState>, p: Page, Path(id): Path<String>) -> Response {
    if let Some(r) = bad_id_page(&id, "no such joint statement", &p) {
        return r;
    }
    let s = tri!(own_statement(&st, &p, &id).await, p);
    let form = StatementForm::of(&s);
    let ok = StatusCode::OK;
    let meeting = s.body.meeting.as_str();
    form_page(
        &st,
        &p,
        ok,
        meeting,
        Some(&id),
        &form,
        FieldErrors::default(),
        None,
    )
    .await
}

/// Saves the form as the statement's next version against the version it
/// was filled from (the fields chosen in a merge taken from the newer
/// version first).
pub(crate) async fn update(
    State(st): State<AppState>,
    p: Page,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(f): Form<StatementForm>,
) -> Response {
    if let Some(r) = csrf_rejection(&headers, &f.csrf) {
        return r;
    }
    if let Some(r) = bad_id_page(&id, "no such joint statement", &p) {
        return r;
    }
    let now = tri!(own_statement(&st, &p, &id).await, p);
    let meeting = now.body.meeting.clone();
    let mut f = f;
    let newest = StatementForm::of(&now);
    let fields = StatementForm::merged_fields([&f, &newest]);
    let fields: Vec<&str> = fields.iter().map(String::as_str).collect();
    f = crate::merge::taking_chosen(f, &newest, &fields);
    let page = |status, f: StatementForm, errors, conflict| {
        let (st, p, meeting, id) = (&st, &p, meeting.clone(), id.clone());
        async move { form_page(st, p, status, &meeting, Some(&id), &f, errors, conflict).await }
    };
    let Ok(if_version) = f.if_version.trim().parse::<i64>() else {
        return page(
            StatusCode::UNPROCESSABLE_ENTITY,
            f,
            FieldErrors::unversioned(),
            None,
        )
        .await;
    };
    let (body, marking) = match f.checked(&meeting) {
        Ok(x) => x,
        Err(e) => return page(StatusCode::UNPROCESSABLE_ENTITY, f, e, None).await,
    };
    let e = match st
        .store
        .change_record::<StatementKind>(&p.principal, &id, body, marking, Some(if_version))
        .await
    {
        Ok(_) => {
            return Redirect::to(&format!("/meetings/{meeting}#statement-{id}")).into_response()
        }
        Err(e) => ApiError::from(e),
    };
    if e.code == "version_conflict" {
        let newer = tri!(own_statement(&st, &p, &id).await, p);
        let newer_form = StatementForm::of(&newer);
        let fields = StatementForm::merged_fields([&f, &newer_form]);
        let fields: Vec<&str> = fields.iter().map(String::as_str).collect();
        let conflict = crate::merge::against_newer(
            &mut f,
            &newer_form,
            &fields,
            crate::merge::Newer::of(&newer),
            |field| field_label(&p, field),
        );
        return page(
            StatusCode::CONFLICT,
            f,
            FieldErrors::default(),
            Some(conflict),
        )
        .await;
    }
    if e.status == StatusCode::FORBIDDEN || e.status == StatusCode::NOT_FOUND {
        return api_error_page(e, Some(&p));
    }
    let mut errors = FieldErrors::default();
    errors.keep(store_error_field(&e), Err::<(), _>(e.detail.clone()));
    page(e.status, f, errors, None).await
}

/// Withdraws a statement: it leaves its meeting's page; its versions are
/// kept.
pub(crate) async fn withdraw(
    State(st): State<AppState>,
    p: Page,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(f): Form<crate::meeting_edit::WithdrawForm>,
) -> Response {
    let of = ("statements", id.as_str(), "joint statement");
    crate::meeting_edit::withdraw_and_show_versions::<StatementKind>(&st, &p, &headers, &f, of)
        .await
}

/// A statement's address: it is shown on its meeting's page (a withdrawn
/// one by its versions).
pub(crate) async fn show(State(st): State<AppState>, p: Page, Path(id): Path<String>) -> Response {
    if let Some(r) = bad_id_page(&id, "no such joint statement", &p) {
        return r;
    }
    let s = tri!(
        st.store
            .get_record::<StatementKind>(&p.principal, &id)
            .await,
        p
    );
    if s.status == Status::Withdrawn {
        return Redirect::to(&format!("/statements/{id}/versions")).into_response();
    }
    Redirect::to(&format!("/meetings/{}#statement-{id}", s.body.meeting)).into_response()
}

pub(crate) async fn versions(
    State(st): State<AppState>,
    p: Page,
    Path(id): Path<String>,
) -> Response {
    if let Some(r) = bad_id_page(&id, "no such joint statement", &p) {
        return r;
    }
    let record = tri!(
        st.store
            .get_record::<StatementKind>(&p.principal, &id)
            .await,
        p
    );
    let vs = tri!(
        st.store
            .record_versions::<StatementKind>(&p.principal, &id)
            .await,
        p
    );
    let title = record
        .body
        .texts
        .first()
        .map(|t| t.title.clone())
        .unwrap_or_default();
    let shown: Vec<_> = vs
        .into_iter()
        .map(|v| {
            let b = &v.body;
            coalesce_store::needs::RecordVersion {
                version: v.version,
                snapshot: serde_json::json!({
                    "withdrawn": v.status == Status::Withdrawn,
                    "adopted_on": b.adopted_on,
                    "signatories": b.signatories.join(", "),
                    "texts": b.texts.iter().map(|t| format!("{} — {} ({} ¶)", t.language, t.title, t.paragraphs.len())).collect::<Vec<_>>().join(" · "),
                    "wording": b.texts.first().map(|t| paragraphs_field(&t.paragraphs)).unwrap_or_default(),
                }),
                marking: v.marking,
                updated_at_ms: v.at_ms,
                updated_by: v.author,
            }
        })
        .collect();
    crate::reports::versions_page(
        &st,
        &p,
        (
            "statements",
            "statement-versions-title",
            &id,
            &title,
            &record.marking,
            &record.origin,
        ),
        &[
            "statement-field-adopted_on",
            "statement-field-signatories",
            "statement-col-texts",
            "statement-col-wording",
        ],
        shown,
        |s| {
            ["adopted_on", "signatories", "texts", "wording"]
                .iter()
                .map(|k| s[*k].clone())
                .collect()
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_are_blocks_that_start_with_their_number() {
        let ps = paragraphs_of(
            "en",
            "1. First. Second sentence.\n  \n1.1. A sub-point, with a comma.\r\n\r\n\r\nb) Third\ncontinued",
        )
        .expect("ok");
        let nums: Vec<&str> = ps.iter().map(|p| p.num.as_str()).collect();
        assert_eq!(nums, vec!["1", "1.1", "b"], "a line of spaces separates");
        assert_eq!(ps[0].text, "First. Second sentence.");
        assert_eq!(ps[2].text, "Third\ncontinued");
        assert_eq!(paragraphs_field(&ps[..1]), "1. First. Second sentence.");
        assert_eq!(
            paragraphs_of("en", &paragraphs_field(&ps)).expect("again"),
            ps
        );
        for bad in [
            "The coalition resolves. More",
            "1 The coalition",
            ". Text",
            "1.Text",
        ] {
            let e = paragraphs_of("ar", bad).expect_err(bad);
            assert!(e.contains("the ar text"), "{e}");
        }
    }
}
