//! The coalition's registry as pages: members, groups, lines of effort.

use super::*;
use coalesce_domain::source::Subject;

pub(crate) async fn members(State(st): State<AppState>, p: Page) -> Response {
    let members: Vec<MemberOut> = tri!(st.store.list_members().await, p)
        .into_iter()
        .map(Into::into)
        .collect();
    html(
        Some(&p),
        StatusCode::OK,
        "members.html",
        context! { title => p.t("reg-members-title"), members },
        st.secure_cookies,
    )
}

pub(crate) async fn member(
    State(st): State<AppState>,
    p: Page,
    Path(code): Path<String>,
) -> Response {
    let member: MemberOut = tri!(st.store.get_member(&code).await, p).into();
    let groups: Vec<GroupOut> = tri!(st.store.list_groups().await, p)
        .into_iter()
        .filter(|g| g.members.contains(&member.code))
        .map(Into::into)
        .collect();
    let contributions = match needs::member_contributions(&st, &p, &member.code).await {
        Ok(c) => Value::from_serialize(c),
        Err(e) => return api_error_page(e, Some(&p)),
    };
    html(
        Some(&p),
        StatusCode::OK,
        "member.html",
        context! { title => member.name.clone(), cited => crate::cited(&st, Subject::Member(member.code.clone())).await, member, groups, contributions },
        st.secure_cookies,
    )
}

pub(crate) async fn groups(State(st): State<AppState>, p: Page) -> Response {
    let groups: Vec<GroupOut> = tri!(st.store.list_groups().await, p)
        .into_iter()
        .map(Into::into)
        .collect();
    html(
        Some(&p),
        StatusCode::OK,
        "groups.html",
        context! { title => p.t("reg-groups-title"), groups },
        st.secure_cookies,
    )
}

pub(crate) async fn group(
    State(st): State<AppState>,
    p: Page,
    Path(slug): Path<String>,
) -> Response {
    let group: GroupOut = tri!(st.store.get_group(&slug).await, p).into();
    let names: BTreeMap<String, String> = tri!(st.store.list_members().await, p)
        .into_iter()
        .map(|m| (m.code, m.name))
        .collect();
    html(
        Some(&p),
        StatusCode::OK,
        "group.html",
        context! { title => group.name.clone(), cited => crate::cited(&st, Subject::Group(slug.clone())).await, group, names },
        st.secure_cookies,
    )
}

pub(crate) async fn lines(State(st): State<AppState>, p: Page) -> Response {
    let lines = tri!(st.store.list_lines_of_effort().await, p);
    let subjects: Vec<Subject> = lines
        .iter()
        .map(|l| Subject::LineOfEffort(l.slug.clone()))
        .collect();
    let cited = st.store.sources_of(&subjects).await.unwrap_or_default();
    let lines: Vec<serde_json::Value> = lines
        .into_iter()
        .map(|l| {
            let key = Subject::LineOfEffort(l.slug.clone()).key();
            serde_json::json!({"slug": l.slug, "name": l.name, "description": l.description, "cited": cited.get(&key)})
        })
        .collect();
    html(
        Some(&p),
        StatusCode::OK,
        "lines.html",
        context! { title => p.t("reg-lines-title"), lines },
        st.secure_cookies,
    )
}
