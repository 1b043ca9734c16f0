//! Notes as pages: list (with its count), one note with its banners, its
//! kept versions, and the new/edit form (CSRF, keeps what was typed on
//! error).

use super::*;
use coalesce_domain::source::Subject;

#[derive(Deserialize)]
pub(crate) struct NotesQuery {
    cursor: Option<String>,
}

pub(crate) async fn notes(
    State(st): State<AppState>,
    p: Page,
    Query(q): Query<NotesQuery>,
) -> Response {
    let page_ = tri!(
        st.store
            .list_notes(&p.principal, q.cursor.as_deref(), 50)
            .await,
        p
    );
    let count = tri!(st.store.count_notes(&p.principal).await, p);
    let notes: Vec<NoteOut> = page_.items.into_iter().map(Into::into).collect();
    html(
        Some(&p),
        StatusCode::OK,
        "notes.html",
        context! { title => p.t("notes-title"), notes, next => page_.next, count },
        st.secure_cookies,
    )
}

pub(crate) async fn note(State(st): State<AppState>, p: Page, Path(id): Path<String>) -> Response {
    if let Some(r) = bad_id_page(&id, "no such note", &p) {
        return r;
    }
    let n = tri!(st.store.get_note(&p.principal, &id).await, p);
    let can_edit = n.origin == p.principal.member.as_str()
        && p.principal.role.can_write_records()
        && !n.revoked;
    let note = NoteOut::from(n);
    html(
        Some(&p),
        StatusCode::OK,
        "note.html",
        context! { title => note.title.clone(), note, can_edit, cited => crate::cited(&st, Subject::Record(id.clone())).await },
        st.secure_cookies,
    )
}

pub(crate) async fn versions(
    State(st): State<AppState>,
    p: Page,
    Path(id): Path<String>,
) -> Response {
    if let Some(r) = bad_id_page(&id, "no such note", &p) {
        return r;
    }
    let note = NoteOut::from(tri!(st.store.get_note(&p.principal, &id).await, p));
    let versions: Vec<NoteVersionOut> = tri!(st.store.note_versions(&p.principal, &id).await, p)
        .into_iter()
        .map(Into::into)
        .collect();
    html(
        Some(&p),
        StatusCode::OK,
        "versions.html",
        context! { title => p.t("versions-page-title"), note, versions },
        st.secure_cookies,
    )
}

#[derive(Deserialize, serde::Serialize, Default)]
pub(crate) struct NoteForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    tlp: String,
    #[serde(default)]
    rel_to: String,
    #[serde(default)]
    group: String,
    #[serde(default)]
    if_version: Option<i64>,
}

impl NoteForm {
    fn draft(&self) -> Result<NoteDraft, coalesce_domain::DomainError> {
        let rel = rel_to_tokens(&self.rel_to);
        NoteDraft::parse(
            &self.title,
            &self.body,
            Marking::parse(&self.tlp, &rel)?,
            Some(self.group.as_str()),
        )
    }
}

/// The REL TO field of a form as audience tokens. Member codes are upper
/// case, group slugs lower case: either spelling is accepted.
pub(crate) fn rel_to_tokens(s: &str) -> Vec<String> {
    s.split([',', ' ', ';'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|t| match t.to_uppercase().strip_prefix("GROUP:") {
            Some(slug) => format!("GROUP:{}", slug.to_lowercase()),
            None => t.to_uppercase(),
        })
        .collect()
}

/// The 404 page for an id that cannot name a record (not a UUID), so it
/// never reaches the store.
pub(crate) fn bad_id_page(id: &str, detail: &str, p: &Page) -> Option<Response> {
    coalesce_store::notes::parse_cursor(id)
        .err()
        .map(|_| api_error_page(ApiError::not_found(detail), Some(p)))
}

/// The note form shares a note (New) or makes a new version of one (Edit).
enum FormMode {
    New,
    Edit(String),
}

async fn note_form_page(
    st: &AppState,
    p: &Page,
    status: StatusCode,
    mode: &FormMode,
    form: &NoteForm,
    error: Option<String>,
) -> Response {
    let (heading, action, submit) = match mode {
        FormMode::New => (
            p.t("note-form-new"),
            "/notes".to_string(),
            p.t("note-form-share"),
        ),
        FormMode::Edit(id) => (
            p.t("note-form-edit"),
            format!("/notes/{id}"),
            p.t("records-save-new-version"),
        ),
    };
    let groups = match st.store.list_groups().await {
        Ok(g) => g,
        Err(e) => return api_error_page(e.into(), Some(p)),
    };
    let ctx = context! { title => heading, action, submit, form => Value::from_serialize(form), groups, error };
    html(Some(p), status, "note_form.html", ctx, st.secure_cookies)
}

pub(crate) async fn new_note(State(st): State<AppState>, p: Page) -> Response {
    let form = NoteForm {
        tlp: "AMBER".into(),
        ..NoteForm::default()
    };
    note_form_page(&st, &p, StatusCode::OK, &FormMode::New, &form, None).await
}

pub(crate) async fn create_note(
    State(st): State<AppState>,
    p: Page,
    headers: HeaderMap,
    Form(f): Form<NoteForm>,
) -> Response {
    if let Some(r) = csrf_rejection(&headers, &f.csrf) {
        return r;
    }
    let result = match f.draft() {
        Ok(d) => st
            .store
            .create_note(&p.principal, &d)
            .await
            .map_err(ApiError::from),
        Err(e) => Err(e.into()),
    };
    match result {
        Ok(n) => Redirect::to(&format!("/notes/{}", n.id)).into_response(),
        Err(e) => note_form_page(&st, &p, e.status, &FormMode::New, &f, Some(e.detail)).await,
    }
}

pub(crate) async fn edit_note(
    State(st): State<AppState>,
    p: Page,
    Path(id): Path<String>,
) -> Response {
    if let Some(r) = bad_id_page(&id, "no such note", &p) {
        return r;
    }
    let n = tri!(st.store.get_note(&p.principal, &id).await, p);
    let form = NoteForm {
        title: n.title.clone(),
        body: n.body.clone(),
        tlp: n.marking.tlp.as_str().into(),
        rel_to: n
            .marking
            .rel_to
            .iter()
            .map(|t| t.as_string())
            .collect::<Vec<_>>()
            .join(", "),
        group: n.group.clone().unwrap_or_default(),
        if_version: Some(n.version),
        ..NoteForm::default()
    };
    note_form_page(
        &st,
        &p,
        StatusCode::OK,
        &FormMode::Edit(id.clone()),
        &form,
        None,
    )
    .await
}

pub(crate) async fn update_note(
    State(st): State<AppState>,
    p: Page,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(f): Form<NoteForm>,
) -> Response {
    if let Some(r) = csrf_rejection(&headers, &f.csrf) {
        return r;
    }
    if let Some(r) = bad_id_page(&id, "no such note", &p) {
        return r;
    }
    let result = match f.draft() {
        Ok(d) => st
            .store
            .update_note(&p.principal, &id, &d, f.if_version)
            .await
            .map_err(ApiError::from),
        Err(e) => Err(e.into()),
    };
    match result {
        Ok(n) => Redirect::to(&format!("/notes/{}", n.id)).into_response(),
        Err(e) => {
            note_form_page(
                &st,
                &p,
                e.status,
                &FormMode::Edit(id.clone()),
                &f,
                Some(e.detail),
            )
            .await
        }
    }
}
