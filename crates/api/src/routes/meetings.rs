//! Meetings' follow-up (issue 17). Meetings, statements and commitments
//! are kinds of the record layer (`/meetings`, `/statements`,
//! `/commitments`, the last with its computed fields); these are what
//! follow-up adds: the commitments board, carry-over, a statement in Akoma
//! Ntoso, notices, and calendars (a meeting's `.ics`, and each user's feed
//! behind a secret token).

use crate::auth::Auth;
use crate::error::Problem;
use crate::extract::{ApiJson, ApiQuery};
use crate::wire_meetings::{
    calendar, commitment_out, notice_out, parse_as_of, statement_akn as akn_of, BoardOut,
    BoardQuery, CarryOverIn,
};
use crate::{ApiError, AppState};
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use coalesce_domain::meetings::{MeetingKind, StatementKind};
use coalesce_store::meetings::{BoardFilter, CalendarToken, CarryOver};
use coalesce_store::{now_ms, Principal};
use serde::Deserialize;
use serde_json::{json, Value};
use utoipa::IntoParams;

/// Where the node is reached, for links in calendars.
fn ics(body: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        body,
    )
        .into_response()
}

/// `/meetings/{id}.ics`: the meeting and the due dates of its
/// commitments the reader may read.
pub(crate) async fn meeting_ics(
    st: &AppState,
    p: &Principal,
    id: &str,
) -> Result<Response, ApiError> {
    let m = st.store.get_record::<MeetingKind>(p, id).await?;
    let now = st.store.follow_up_now().await?;
    let items = st
        .store
        .commitment_board(
            p,
            &BoardFilter {
                meeting: Some(id.to_string()),
                ..BoardFilter::default()
            },
            now,
        )
        .await?;
    let name = m.body.title.clone();
    Ok(ics(calendar(
        &name,
        &st.public_url,
        std::slice::from_ref(&m),
        &items,
        now_ms(),
    )?))
}

/// The commitments you may read, overdue first then by due date, each with
/// its progress computed over the parts you may read (`partial` when some
/// are not releasable to you) and whether it is overdue at `as_of` (now by
/// default; a node may set the date it is judged at, as the demo does).
#[utoipa::path(get, path = "/commitments/board", tag = "meetings", params(BoardQuery),
    responses((status = 200, body = BoardOut), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json")))]
pub async fn board(
    State(st): State<AppState>,
    auth: Auth,
    ApiQuery(q): ApiQuery<BoardQuery>,
) -> Result<Json<BoardOut>, ApiError> {
    let now = match &q.as_of {
        Some(a) => parse_as_of(a)?,
        None => st.store.follow_up_now().await?,
    };
    let items = st
        .store
        .commitment_board(
            &auth.principal,
            &BoardFilter {
                meeting: q.meeting.clone(),
                owner: q.owner.clone(),
                line_of_effort: q.line_of_effort.clone(),
                overdue_only: q.overdue.unwrap_or(false),
            },
            now,
        )
        .await?;
    Ok(Json(BoardOut {
        as_of: crate::wire::rfc3339(now),
        items: items.iter().map(commitment_out).collect(),
    }))
}

/// Carry the open commitments of the group's previous meeting (or of
/// `from`, an earlier meeting of the same group) over to this one: a new
/// agenda item follows them up and each commitment records that this
/// meeting discussed it. Run again, it carries only what is not yet.
#[utoipa::path(post, path = "/meetings/{id}/carry-over", tag = "meetings", params(("id" = String, Path)), request_body = CarryOverIn,
    responses((status = 200, body = Object), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn carry_over(
    State(st): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<CarryOverIn>,
) -> Result<Json<CarryOver>, ApiError> {
    super::check_record_id(&id, "no such meeting")?;
    if let Some(f) = &body.from {
        super::check_record_id(f, "no such meeting to carry items over from")?;
    }
    let out = st
        .store
        .carry_over(&auth.principal, &id, body.from.as_deref())
        .await?;
    Ok(Json(out))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AknQuery {
    /// The language of the text (`en`, `ar`, `fr`); the original when absent.
    pub language: Option<String>,
}

/// A joint statement in one language as Akoma Ntoso 3.0 XML (the UN's
/// AKN4UN profile: a `statement` named `jointStatement`, one `paragraph`
/// per numbered paragraph, eId `para_<num>`).
#[utoipa::path(get, path = "/statements/{id}/akn", tag = "meetings", params(("id" = String, Path), AknQuery),
    responses((status = 200, content_type = "application/akn+xml", body = String), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn statement_akn(
    State(st): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<AknQuery>,
) -> Result<Response, ApiError> {
    super::check_record_id(&id, "no such statement")?;
    let s = st
        .store
        .get_record::<StatementKind>(&auth.principal, &id)
        .await?;
    let m = st
        .store
        .get_record::<MeetingKind>(&auth.principal, &s.body.meeting)
        .await?;
    let members = st.store.list_members().await?;
    let name_of = |code: &str| {
        members
            .iter()
            .find(|m| m.code.as_str() == code)
            .map_or_else(|| code.to_string(), |m| m.name.clone())
    };
    let language = q
        .language
        .clone()
        .or_else(|| s.body.texts.first().map(|t| t.language.clone()))
        .unwrap_or_default();
    let xml = akn_of(&s, &m, &name_of, &language, now_ms())
        .ok_or_else(|| ApiError::not_found(format!("the statement has no text in {language:?}")))?;
    Ok((
        [(header::CONTENT_TYPE, "application/akn+xml; charset=utf-8")],
        xml,
    )
        .into_response())
}

/// Your digest: the reminders and escalations sent to you, newest first,
/// about commitments you may still read.
#[utoipa::path(get, path = "/me/notices", tag = "meetings",
    responses((status = 200, body = Object), (status = 401, body = Problem, content_type = "application/problem+json")))]
pub async fn notices(State(st): State<AppState>, auth: Auth) -> Result<Json<Value>, ApiError> {
    let now = st.store.follow_up_now().await?;
    let items = st.store.digest(&auth.principal, now).await?;
    Ok(Json(json!({
        "items": items.iter().map(notice_out).collect::<Vec<_>>(),
        "unread": items.iter().filter(|n| !n.read).count(),
    })))
}

/// Marks your notices read.
#[utoipa::path(post, path = "/me/notices/read", tag = "meetings",
    responses((status = 200, body = Object), (status = 401, body = Problem, content_type = "application/problem+json")))]
pub async fn read_notices(State(st): State<AppState>, auth: Auth) -> Result<Json<Value>, ApiError> {
    let n = st.store.mark_notices_read(&auth.principal).await?;
    Ok(Json(json!({ "marked": n })))
}

/// A new secret token for your calendar feed (`/calendar/{token}`): shown
/// once, kept hashed; the feed holds the meetings and due dates you may
/// read, as you may read them at each fetch.
#[utoipa::path(post, path = "/me/calendar-token", tag = "meetings",
    responses((status = 201, body = Object), (status = 401, body = Problem, content_type = "application/problem+json")))]
pub async fn create_calendar_token(
    State(st): State<AppState>,
    auth: Auth,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let token = st.store.create_calendar_token(&auth.principal).await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({
            "token": token,
            "url": format!("{}/api/v1/calendar/{token}", st.public_url),
        })),
    ))
}

/// Revokes every calendar feed token of yours.
#[utoipa::path(delete, path = "/me/calendar-token", tag = "meetings",
    responses((status = 200, body = Object), (status = 401, body = Problem, content_type = "application/problem+json")))]
pub async fn revoke_calendar_tokens(
    State(st): State<AppState>,
    auth: Auth,
) -> Result<Json<Value>, ApiError> {
    let n = st.store.revoke_calendar_tokens(&auth.principal).await?;
    Ok(Json(json!({ "revoked": n })))
}

/// A user's calendar feed (iCalendar, RFC 5545): every meeting and every
/// commitment's due date the token's user may read. The token is the
/// credential (calendar programs send no other); a wrong or revoked one is
/// a 404 that reads nothing.
#[utoipa::path(get, path = "/calendar/{token}", tag = "meetings", params(("token" = String, Path)),
    responses((status = 200, content_type = "text/calendar", body = String), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn calendar_feed(
    State(st): State<AppState>,
    Path(token): Path<String>,
) -> Result<Response, ApiError> {
    let p = match st.store.calendar_token(&token).await? {
        CalendarToken::Valid(p) => p,
        CalendarToken::Revoked => {
            return Err(ApiError::not_found(
                "this calendar token was revoked: make a new one",
            ))
        }
        CalendarToken::Unknown => return Err(ApiError::not_found("no such calendar")),
    };
    let now = st.store.follow_up_now().await?;
    let meetings = st.store.list_meetings(&p).await?;
    let items = st
        .store
        .commitment_board(&p, &BoardFilter::default(), now)
        .await?;
    Ok(ics(calendar(
        &format!("coalesce: {}", p.username.as_str()),
        &st.public_url,
        &meetings,
        &items,
        now_ms(),
    )?))
}

/// A meeting as iCalendar: the meeting and the due dates of its
/// commitments you may read. (Served by the record layer's route of
/// `/meetings/{id}`; described here.)
#[utoipa::path(get, path = "/meetings/{id}.ics", tag = "meetings", params(("id" = String, Path)),
    responses((status = 200, content_type = "text/calendar", body = String), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")))]
#[allow(dead_code)]
fn meeting_ics_described() {}

/// The paths described here but routed elsewhere.
#[derive(utoipa::OpenApi)]
#[openapi(paths(meeting_ics_described))]
pub struct Described;
