//! Requirements and contributions (issue 3). Releasability is the store's:
//! outside the caller's audience a record is 404, in every path.

use crate::auth::Auth;
use crate::error::Problem;
use crate::extract::{ApiJson, ApiQuery};
use crate::wire::PageParams;
use crate::wire_needs::*;
use crate::{ApiError, AppState};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use coalesce_domain::source::Subject;

fn check_id(id: &str) -> Result<(), ApiError> {
    super::check_record_id(id, "no such record, or not releasable to you")
}

fn limit(q: &PageParams) -> i64 {
    q.limit.unwrap_or(50)
}

// ----- item categories ----------------------------------------------------

/// The item taxonomy, in its configured order.
#[utoipa::path(get, path = "/item-categories", tag = "needs",
    responses((status = 200, body = ItemCategoryList), (status = 401, body = Problem, content_type = "application/problem+json")))]
pub async fn list_item_categories(
    State(st): State<AppState>,
    _auth: Auth,
) -> Result<Json<ItemCategoryList>, ApiError> {
    let items = st
        .store
        .item_categories()
        .await?
        .into_iter()
        .map(Into::into)
        .collect();
    Ok(Json(ItemCategoryList { items, next: None }))
}

// ----- requirements -------------------------------------------------------

/// Requirements the caller may read, newest first (withdrawn ones left out).
#[utoipa::path(get, path = "/requirements", tag = "needs", params(PageParams),
    responses((status = 200, body = RequirementList), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json")))]
pub async fn list_requirements(
    State(st): State<AppState>,
    auth: Auth,
    ApiQuery(q): ApiQuery<PageParams>,
) -> Result<Json<RequirementList>, ApiError> {
    let page = st
        .store
        .list_requirements(&auth.principal, q.cursor.as_deref(), limit(&q))
        .await?;
    Ok(Json(RequirementList {
        items: page.items.into_iter().map(Into::into).collect(),
        next: page.next,
    }))
}

/// Record a requirement. The caller's member is its origin; the requesting
/// member must be able to read it.
#[utoipa::path(post, path = "/requirements", tag = "needs", request_body = RequirementIn,
    responses(
        (status = 201, body = RequirementOut),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 415, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn create_requirement(
    State(st): State<AppState>,
    auth: Auth,
    ApiJson(r): ApiJson<RequirementIn>,
) -> Result<(StatusCode, Json<RequirementOut>), ApiError> {
    if r.if_version.is_some() {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_body",
            "if_version applies to updates only",
        ));
    }
    let created = st
        .store
        .create_requirement(&auth.principal, &r.draft()?)
        .await?;
    Ok((StatusCode::CREATED, Json(created.into())))
}

/// One requirement. Outside the caller's audience it does not exist (404).
#[utoipa::path(get, path = "/requirements/{id}", tag = "needs", params(("id" = String, Path)),
    responses((status = 200, body = RequirementOut), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn get_requirement(
    State(st): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<RequirementOut>, ApiError> {
    check_id(&id)?;
    let mut out: RequirementOut = st.store.get_requirement(&auth.principal, &id).await?.into();
    out.source = st.store.source_of(&Subject::Record(id)).await?;
    Ok(Json(out))
}

/// Change a requirement (users of its origin only); makes a new version. Its
/// unit or currency cannot change.
#[utoipa::path(put, path = "/requirements/{id}", tag = "needs", params(("id" = String, Path)), request_body = RequirementIn,
    responses(
        (status = 200, body = RequirementOut),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn update_requirement(
    State(st): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    ApiJson(r): ApiJson<RequirementIn>,
) -> Result<Json<RequirementOut>, ApiError> {
    check_id(&id)?;
    Ok(Json(
        st.store
            .update_requirement(&auth.principal, &id, &r.draft()?, r.if_version)
            .await?
            .into(),
    ))
}

/// Withdraw a requirement (users of its origin only); its versions are kept.
#[utoipa::path(delete, path = "/requirements/{id}", tag = "needs", params(("id" = String, Path)),
    responses(
        (status = 200, body = RequirementOut),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn revoke_requirement(
    State(st): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<RequirementOut>, ApiError> {
    check_id(&id)?;
    Ok(Json(
        st.store
            .revoke_requirement(&auth.principal, &id)
            .await?
            .into(),
    ))
}

/// The kept versions of a requirement that the caller may read, oldest first.
#[utoipa::path(get, path = "/requirements/{id}/versions", tag = "needs", params(("id" = String, Path)),
    responses((status = 200, body = RecordVersionList), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn requirement_versions(
    State(st): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<RecordVersionList>, ApiError> {
    check_id(&id)?;
    Ok(Json(
        st.store
            .requirement_versions(&auth.principal, &id)
            .await?
            .into(),
    ))
}

/// The figures of a requirement over the contributions against it that the
/// caller may read (see the schema for each figure's definition).
#[utoipa::path(get, path = "/requirements/{id}/summary", tag = "needs", params(("id" = String, Path)),
    responses((status = 200, body = SummaryOut), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn requirement_summary(
    State(st): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<SummaryOut>, ApiError> {
    check_id(&id)?;
    let r = st.store.get_requirement(&auth.principal, &id).await?;
    let s = st.store.requirement_summary(&auth.principal, &id).await?;
    Ok(Json(SummaryOut::new(s, &r.measure)))
}

/// The contributions against a requirement that the caller may read, newest first.
#[utoipa::path(get, path = "/requirements/{id}/contributions", tag = "needs", params(("id" = String, Path), PageParams),
    responses((status = 200, body = ContributionList), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn requirement_contributions(
    State(st): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<PageParams>,
) -> Result<Json<ContributionList>, ApiError> {
    check_id(&id)?;
    // 404 when the requirement is not readable, rather than an empty list.
    st.store.get_requirement(&auth.principal, &id).await?;
    let page = st
        .store
        .list_contributions(
            &auth.principal,
            &coalesce_store::needs::ContributionFilter::for_requirement(&id),
            q.cursor.as_deref(),
            limit(&q),
        )
        .await?;
    Ok(Json(ContributionList {
        items: page.items.into_iter().map(Into::into).collect(),
        next: page.next,
    }))
}

// ----- contributions ------------------------------------------------------

/// Contributions the caller may read, newest first (cancelled ones
/// included), filtered who-does-what-where style.
#[utoipa::path(get, path = "/contributions", tag = "needs", params(crate::wire_picture::ContributionQuery),
    responses((status = 200, body = ContributionList), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json")))]
pub async fn list_contributions(
    State(st): State<AppState>,
    auth: Auth,
    ApiQuery(q): ApiQuery<crate::wire_picture::ContributionQuery>,
) -> Result<Json<ContributionList>, ApiError> {
    let page = st
        .store
        .list_contributions(
            &auth.principal,
            &q.filter()?,
            q.cursor.as_deref(),
            q.limit.unwrap_or(50),
        )
        .await?;
    Ok(Json(ContributionList {
        items: page.items.into_iter().map(Into::into).collect(),
        next: page.next,
    }))
}

/// Pledge a contribution, against a requirement or standalone. The caller's
/// member is its origin and must be one of the contributors.
#[utoipa::path(post, path = "/contributions", tag = "needs", request_body = ContributionIn,
    responses(
        (status = 201, body = ContributionOut),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 415, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn create_contribution(
    State(st): State<AppState>,
    auth: Auth,
    ApiJson(c): ApiJson<ContributionIn>,
) -> Result<(StatusCode, Json<ContributionOut>), ApiError> {
    let created = st
        .store
        .create_contribution(&auth.principal, &c.draft()?)
        .await?;
    Ok((StatusCode::CREATED, Json(created.into())))
}

/// One contribution. Outside the caller's audience it does not exist (404).
#[utoipa::path(get, path = "/contributions/{id}", tag = "needs", params(("id" = String, Path)),
    responses((status = 200, body = ContributionOut), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn get_contribution(
    State(st): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<ContributionOut>, ApiError> {
    check_id(&id)?;
    let mut out: ContributionOut = st
        .store
        .get_contribution(&auth.principal, &id)
        .await?
        .into();
    out.source = st.store.source_of(&Subject::Record(id)).await?;
    Ok(Json(out))
}

/// Change a contribution (users of its origin only); makes a new version.
/// Its contributing members, the requirement it answers, its unit or
/// currency and its deliveries stay; the amount is never below what was
/// delivered. A change of amount, place or window asks the co-contributors
/// to confirm again, and is refused once the requirement it answers is
/// withdrawn. `contributors` and `parties` left out are kept.
#[utoipa::path(put, path = "/contributions/{id}", tag = "needs", params(("id" = String, Path)), request_body = ContributionIn,
    responses(
        (status = 200, body = ContributionOut),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 415, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn update_contribution(
    State(st): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    ApiJson(c): ApiJson<ContributionIn>,
) -> Result<Json<ContributionOut>, ApiError> {
    check_id(&id)?;
    let (draft, if_version) = if c.keeps_any() {
        // What is left out is kept as of the version read here: a change
        // made meanwhile answers 409 rather than being undone.
        let current = st
            .store
            .contribution_for_change(&auth.principal, &id)
            .await?;
        (
            c.draft_over(&current)?,
            c.if_version.or(Some(current.version)),
        )
    } else {
        (c.draft()?, c.if_version)
    };
    Ok(Json(
        st.store
            .update_contribution(&auth.principal, &id, &draft, if_version)
            .await?
            .into(),
    ))
}

/// The kept versions of a contribution that the caller may read, oldest first.
#[utoipa::path(get, path = "/contributions/{id}/versions", tag = "needs", params(("id" = String, Path)),
    responses((status = 200, body = RecordVersionList), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn contribution_versions(
    State(st): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<RecordVersionList>, ApiError> {
    check_id(&id)?;
    Ok(Json(
        st.store
            .contribution_versions(&auth.principal, &id)
            .await?
            .into(),
    ))
}

/// The deliveries of a contribution, in the order recorded.
#[utoipa::path(get, path = "/contributions/{id}/deliveries", tag = "needs", params(("id" = String, Path)),
    responses((status = 200, body = DeliveryList), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn contribution_deliveries(
    State(st): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<DeliveryList>, ApiError> {
    check_id(&id)?;
    let items = st
        .store
        .contribution_deliveries(&auth.principal, &id)
        .await?
        .into_iter()
        .map(Into::into)
        .collect();
    Ok(Json(DeliveryList { items, next: None }))
}

/// Move a contribution on: commit, deliver (in part or in full) or cancel.
/// Users of its origin only (403 if the caller may read it, 404 if not).
#[utoipa::path(post, path = "/contributions/{id}/transitions", tag = "needs", params(("id" = String, Path)), request_body = TransitionIn,
    responses(
        (status = 200, body = ContributionOut),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 415, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn transition_contribution(
    State(st): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    ApiJson(t): ApiJson<TransitionIn>,
) -> Result<Json<ContributionOut>, ApiError> {
    check_id(&id)?;
    let p = &auth.principal;
    let c = match t.step()? {
        Step::Commit => st.store.commit_contribution(p, &id).await?,
        Step::Cancel => st.store.cancel_contribution(p, &id).await?,
        Step::Deliver(d) => st.store.deliver_contribution(p, &id, &d).await?,
    };
    Ok(Json(c.into()))
}

/// Confirm, as the requesting member named on a requirement another member
/// recorded, that your member asks for it (until then nothing is allocated
/// to it). Your own act: the requirement keeps its version.
#[utoipa::path(post, path = "/requirements/{id}/confirmation", tag = "needs", params(("id" = String, Path)),
    responses(
        (status = 200, body = RequirementOut),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn confirm_requirement(
    State(st): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<RequirementOut>, ApiError> {
    check_id(&id)?;
    let r = st.store.confirm_requirement(&auth.principal, &id).await?;
    Ok(Json(r.into()))
}

/// Confirm, as a member the origin named among its contributors, that your
/// member stands by this contribution (until then it is a proposed
/// co-contributor and the contribution does not count for it). Your own act:
/// the contribution keeps its version.
#[utoipa::path(post, path = "/contributions/{id}/confirmation", tag = "needs", params(("id" = String, Path)),
    responses(
        (status = 200, body = ContributionOut),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn confirm_co_contribution(
    State(st): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<ContributionOut>, ApiError> {
    check_id(&id)?;
    let c = st
        .store
        .confirm_co_contribution(&auth.principal, &id)
        .await?;
    Ok(Json(c.into()))
}

/// Replace the parties of a contribution (suppliers, carriers, consignees,
/// ...). Users of its origin only (403 if the caller may read it, 404 if
/// not); a new version; `if_version` answers 409 if it moved on.
#[utoipa::path(put, path = "/contributions/{id}/parties", tag = "needs", params(("id" = String, Path)), request_body = PartiesIn,
    responses(
        (status = 200, body = ContributionOut),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 415, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn set_contribution_parties(
    State(st): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<PartiesIn>,
) -> Result<Json<ContributionOut>, ApiError> {
    check_id(&id)?;
    let parties = PartyWire::list_to_domain(&body.parties)?;
    Ok(Json(
        st.store
            .set_contribution_parties(&auth.principal, &id, &parties, body.if_version)
            .await?
            .into(),
    ))
}

/// The requesting member of the requirement confirms receipt of delivery
/// `seq` (once per delivery), saying how much arrived (all of it when not
/// said; never more than delivered), the day (not before the delivery) and
/// a note. The figures count what was received. The body may be left out.
#[utoipa::path(post, path = "/contributions/{id}/deliveries/{seq}/confirm", tag = "needs",
    params(("id" = String, Path), ("seq" = i64, Path, description = "The delivery's number: 1, 2, …")),
    request_body(content = ReceiptIn, description = "Optional: what arrived", content_type = "application/json"),
    responses(
        (status = 200, body = DeliveryOut),
        (status = 422, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn confirm_delivery(
    State(st): State<AppState>,
    auth: Auth,
    Path((id, seq)): Path<(String, String)>,
    crate::extract::ApiJsonOrDefault(r): crate::extract::ApiJsonOrDefault<ReceiptIn>,
) -> Result<Json<DeliveryOut>, ApiError> {
    check_id(&id)?;
    let seq: i64 = seq
        .parse()
        .map_err(|_| ApiError::not_found("no such delivery"))?;
    let receipt =
        coalesce_domain::needs::Receipt::parse(r.amount, r.received_on.as_deref(), &r.note)?;
    Ok(Json(
        st.store
            .confirm_receipt_of(
                &auth.principal,
                &id,
                seq,
                &receipt,
                coalesce_store::now_ms(),
            )
            .await?
            .into(),
    ))
}
