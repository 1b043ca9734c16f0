//! Changing a meeting through its pages (issue 21): the edit form filled
//! in with it (times in its own time zone, a row per attendee, its agenda
//! items in order), every error at once, the merge choice after a version
//! conflict, versions side by side, withdrawal; only its origin's writers
//! are offered any of it.

mod common;

use axum::http::StatusCode;
use common::{fields_of_form, refs, seeded_state, set, Jar, Web};

async fn post(web: &Web, jar: &mut Jar, path: &str, fields: &[(&str, &str)]) -> common::Page {
    let token = jar.form_token().expect("csrf cookie");
    let mut all: Vec<(&str, &str)> = vec![("csrf", token.as_str())];
    all.extend_from_slice(fields);
    web.go(jar, "POST", path, Some(&all)).await
}

/// GBR's working session in London on 10 March 2015 (GREEN, the whole
/// coalition), through the form: its page's path.
async fn london_session(web: &Web, gbr: &mut Jar, attendees: &str, agenda: &str) -> String {
    let created = post(
        web,
        gbr,
        "/meetings",
        &[
            ("meeting_type", "ministerial"),
            ("title", "Counter-finance working session"),
            ("place", "London"),
            ("starts", "2015-03-10T09:00"),
            ("ends", "2015-03-10T17:00"),
            ("time_zone", "Europe/London"),
            ("host", "GBR"),
            ("attendees", attendees),
            ("level", "minister"),
            ("agenda", agenda),
            ("tlp", "GREEN"),
            ("rel_to", "COALITION"),
        ],
    )
    .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.html);
    created.location.expect("the new meeting")
}

#[tokio::test]
async fn a_meeting_is_edited_merged_after_a_conflict_and_withdrawn_with_its_versions_kept() {
    let web = Web::with_state(seeded_state().await);
    let (mut gbr, mut gbr2, mut fra) = (
        web.login("gbr").await,
        web.login("gbr").await,
        web.login("fra").await,
    );
    let path = london_session(&web, &mut gbr, "GBR USA", "Oil revenue\nBanks in Mosul").await;
    let edit = format!("{path}/edit");
    let page = web.go(&mut gbr, "GET", &path, None).await;
    assert!(page.html.contains(&edit), "GBR edits its own");
    // Another member's users read it, are not offered the form, are refused.
    let seen = web.go(&mut fra, "GET", &path, None).await;
    assert_eq!(seen.status, StatusCode::OK);
    assert!(!seen.html.contains(&edit));
    assert_eq!(
        web.go(&mut fra, "GET", &edit, None).await.status,
        StatusCode::FORBIDDEN
    );

    let form = web.go(&mut gbr, "GET", &edit, None).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.html);
    let first = fields_of_form(&form.html, "/meetings/");
    let second = fields_of_form(
        &web.go(&mut gbr2, "GET", &edit, None).await.html,
        "/meetings/",
    );
    for want in [
        ("starts", "2015-03-10T09:00"),
        ("time_zone", "Europe/London"),
        ("att1_member", "GBR"),
        ("att2_member", "USA"),
        ("att2_level", "minister"),
        ("item2_title", "Banks in Mosul"),
        ("if_version", "1"),
    ] {
        assert!(
            first.contains(&(want.0.into(), want.1.into())),
            "{want:?} in {first:?}"
        );
    }

    // Every error at once, beside its field; nothing written.
    let mut bad = first.clone();
    set(&mut bad, "title", "");
    set(&mut bad, "ends", "2015-03-09T17:00");
    set(&mut bad, "att1_delegation", "many");
    let refused = post(&web, &mut gbr, &path, &refs(&bad)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.html.contains("id=\"attendance-error\""),
        "{}",
        refused.html
    );
    let refused_again = {
        let mut bad = first.clone();
        set(&mut bad, "ends", "2015-03-09T17:00");
        post(&web, &mut gbr, &path, &refs(&bad)).await
    };
    assert!(
        refused_again.html.contains("id=\"ends-error\""),
        "{}",
        refused_again.html
    );

    // The first: FRA attends as officials, an item renamed, one added.
    let mut mine = first.clone();
    set(&mut mine, "att3_member", "FRA");
    set(&mut mine, "att3_level", "official");
    set(&mut mine, "att3_delegation", "4");
    set(
        &mut mine,
        "item2_title",
        "Banks and exchange houses in Mosul",
    );
    set(&mut mine, "new_items", "Next steps");
    let saved = post(&web, &mut gbr, &path, &refs(&mine)).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.html);
    let now = web.go(&mut fra, "GET", &path, None).await;
    for want in [
        "Banks and exchange houses in Mosul",
        "Next steps",
        ">FRA<",
        ">official<",
    ] {
        assert!(now.html.contains(want), "{want}: {}", now.html);
    }
    // The second, still at version 1, moves the meeting: the merge choice.
    let mut theirs = second.clone();
    set(&mut theirs, "place", "Lancaster House, London");
    let conflict = post(&web, &mut gbr2, &path, &refs(&theirs)).await;
    assert_eq!(conflict.status, StatusCode::CONFLICT, "{}", conflict.html);
    assert!(conflict.html.contains("Someone saved this meeting"));
    assert!(conflict.html.contains("name=\"if_version\" value=\"2\""));
    // Attendees and agenda items changed meanwhile are rows of the choice.
    for row in ["item2_title", "att3_member"] {
        assert!(
            conflict
                .html
                .contains(&format!("name=\"take_theirs\" value=\"{row}\"")),
            "{row}: {}",
            conflict.html
        );
    }
    assert!(
        !conflict.html.contains("value=\"att4_level\""),
        "blank rows are no difference"
    );
    let mut merged = fields_of_form(&conflict.html, "/meetings/");
    // The form comes back over the newer version: its items are there.
    assert!(
        merged.contains(&("item3_title".into(), "Next steps".into())),
        "{merged:?}"
    );
    // Its attendees are the writer's (FRA's row was not in its form).
    set(&mut merged, "att3_member", "FRA");
    let done = post(&web, &mut gbr2, &path, &refs(&merged)).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.html);
    let now = web.go(&mut fra, "GET", &path, None).await;
    assert!(now.html.contains("Lancaster House"), "{}", now.html);
    // Not chosen: the writer's own title for item 2 is saved.
    assert!(now.html.contains(">Banks in Mosul<"), "{}", now.html);
    assert!(now.html.contains("Next steps"), "{}", now.html);

    // Withdrawn: gone from the calendar, its versions kept.
    let w = post(&web, &mut gbr, &format!("{path}/withdraw"), &[]).await;
    assert_eq!(w.status, StatusCode::SEE_OTHER, "{}", w.html);
    let calendar = web.go(&mut fra, "GET", "/meetings", None).await;
    assert!(!calendar.html.contains("Counter-finance working session"));
    let versions = web
        .go(&mut fra, "GET", &format!("{path}/versions"), None)
        .await;
    assert_eq!(versions.status, StatusCode::OK, "{}", versions.html);
    for want in ["Lancaster House", "2015-03-10 09:00 GMT", "withdrawn"] {
        assert!(versions.html.contains(want), "{want}: {}", versions.html);
    }
}

/// A commitment's status is kept current from its page: its origin's
/// writers change its status (a dropped one says why), owner, due date and
/// wording; every error at once; the merge choice after a conflict; its
/// versions; withdrawn, it leaves the board.
#[tokio::test]
async fn a_commitment_moves_on_track_at_risk_dropped_with_its_versions_kept() {
    let web = Web::with_state(seeded_state().await);
    let (mut gbr, mut gbr2, mut fra) = (
        web.login("gbr").await,
        web.login("gbr").await,
        web.login("fra").await,
    );
    let created = post(
        &web,
        &mut gbr,
        "/meetings",
        &[
            ("meeting_type", "small_group"),
            ("title", "Small group, London"),
            ("place", "London"),
            ("starts", "2015-01-22T09:00"),
            ("ends", "2015-01-22T17:00"),
            ("time_zone", "Europe/London"),
            ("host", "GBR"),
            ("attendees", "GBR USA FRA"),
            ("agenda", "Stabilisation"),
            ("tlp", "GREEN"),
            ("rel_to", "COALITION"),
        ],
    )
    .await;
    let meeting = created.location.clone().expect("meeting");
    let made = post(
        &web,
        &mut gbr,
        &format!("{meeting}/commitments"),
        &[
            ("agenda_item", "1"),
            ("owner", "FRA"),
            ("what", "Deploy demining teams to Tikrit"),
            ("due", "2015-06-30"),
            ("line_of_effort", "humanitarian"),
        ],
    )
    .await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.html);
    let board = web.go(&mut gbr, "GET", "/commitments", None).await;
    let path = board
        .html
        .split("href=\"/commitments/")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .map(|id| format!("/commitments/{id}"))
        .expect("the commitment on the board");
    let edit = format!("{path}/edit");
    // FRA owns it but GBR recorded it: only GBR's writers change it.
    let seen = web.go(&mut fra, "GET", &path, None).await;
    assert!(!seen.html.contains(&edit));
    assert_eq!(
        web.go(&mut fra, "GET", &edit, None).await.status,
        StatusCode::FORBIDDEN
    );
    let page = web.go(&mut gbr, "GET", &path, None).await;
    assert!(page.html.contains(&edit), "{path}: {}", page.html);
    let form = web.go(&mut gbr, "GET", &edit, None).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.html);

    let first = fields_of_form(
        &web.go(&mut gbr, "GET", &edit, None).await.html,
        "/commitments/",
    );
    let second = fields_of_form(
        &web.go(&mut gbr2, "GET", &edit, None).await.html,
        "/commitments/",
    );
    for want in [("state", "open"), ("owner", "FRA"), ("due", "2015-06-30")] {
        assert!(
            first.contains(&(want.0.into(), want.1.into())),
            "{want:?} in {first:?}"
        );
    }
    // Dropped without a reason, due before its meeting: both said.
    let mut bad = first.clone();
    set(&mut bad, "state", "dropped");
    set(&mut bad, "what", "");
    let refused = post(&web, &mut gbr, &path, &refs(&bad)).await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.html
    );
    let mut early = first.clone();
    set(&mut early, "due", "2014-01-01");
    let refused = post(&web, &mut gbr, &path, &refs(&early)).await;
    assert!(refused.status.is_client_error(), "{}", refused.status);
    assert!(
        refused.html.contains("id=\"due-error\""),
        "{}",
        refused.html
    );

    let mut mine = first.clone();
    set(&mut mine, "state", "at_risk");
    let saved = post(&web, &mut gbr, &path, &refs(&mine)).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.html);
    let mut theirs = second.clone();
    set(&mut theirs, "due", "2015-09-30");
    let conflict = post(&web, &mut gbr2, &path, &refs(&theirs)).await;
    assert_eq!(conflict.status, StatusCode::CONFLICT, "{}", conflict.html);
    assert!(conflict
        .html
        .contains("name=\"take_theirs\" value=\"state\""));
    let mut merged = fields_of_form(&conflict.html, "/commitments/");
    merged.push(("take_theirs".into(), "state".into()));
    let done = post(&web, &mut gbr2, &path, &refs(&merged)).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.html);
    let now = web.go(&mut fra, "GET", &path, None).await;
    assert!(
        now.html.contains("at risk") && now.html.contains("2015-09-30"),
        "{}",
        now.html
    );

    // Dropped, saying why.
    let form = fields_of_form(
        &web.go(&mut gbr, "GET", &edit, None).await.html,
        "/commitments/",
    );
    let mut dropped = form.clone();
    set(&mut dropped, "state", "dropped");
    set(
        &mut dropped,
        "dropped_reason",
        "Teams sent to Ramadi instead",
    );
    let saved = post(&web, &mut gbr, &path, &refs(&dropped)).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.html);
    let versions = web
        .go(&mut fra, "GET", &format!("{path}/versions"), None)
        .await;
    for want in [
        "open",
        "at risk",
        "dropped",
        "Teams sent to Ramadi instead",
        "2015-06-30",
        "2015-09-30",
    ] {
        assert!(versions.html.contains(want), "{want}: {}", versions.html);
    }
    // A meeting with a live commitment is not withdrawn: the commitment
    // would be left unable to change.
    let refused = post(&web, &mut gbr, &format!("{meeting}/withdraw"), &[]).await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.html);
    // Withdrawn: off the board, versions kept.
    let w = post(&web, &mut gbr, &format!("{path}/withdraw"), &[]).await;
    assert_eq!(w.status, StatusCode::SEE_OTHER, "{}", w.html);
    let board = web.go(&mut fra, "GET", "/commitments", None).await;
    assert!(
        !board.html.contains("Deploy demining teams"),
        "{}",
        board.html
    );
    assert_eq!(
        web.go(&mut fra, "GET", &format!("{path}/versions"), None)
            .await
            .status,
        StatusCode::OK
    );
    let w = post(&web, &mut gbr, &format!("{meeting}/withdraw"), &[]).await;
    assert_eq!(
        w.status,
        StatusCode::SEE_OTHER,
        "then the meeting: {}",
        w.html
    );
}

/// A meeting's joint statement through its pages (issue 21): recorded in
/// two languages beside its meeting, every error at once, changed with the
/// merge choice after a version conflict, its versions side by side, and
/// withdrawn off the meeting's page; only its origin's writers change it.
#[tokio::test]
async fn a_joint_statement_is_recorded_changed_merged_and_withdrawn() {
    let web = Web::with_state(seeded_state().await);
    let (mut gbr, mut gbr2, mut fra) = (
        web.login("gbr").await,
        web.login("gbr").await,
        web.login("fra").await,
    );
    let meeting = london_session(&web, &mut gbr, "GBR USA FRA", "Oil revenue").await;
    let page = web.go(&mut gbr, "GET", &meeting, None).await;
    let new = format!("{meeting}/statements/new");
    assert!(page.html.contains(&new), "{}", page.html);
    let form = web.go(&mut gbr, "GET", &new, None).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.html);
    let blank = fields_of_form(&form.html, "/meetings/");
    assert!(
        blank.contains(&("adopted_on".into(), "2015-03-10".into())),
        "{blank:?}"
    );

    // Every error at once: no date, a paragraph without its number.
    let mut bad = blank.clone();
    set(&mut bad, "adopted_on", "");
    set(&mut bad, "text1_title", "Joint statement on Daesh finance");
    set(&mut bad, "text1_paragraphs", "The coalition resolves.");
    let refused = post(
        &web,
        &mut gbr,
        &format!("{meeting}/statements"),
        &refs(&bad),
    )
    .await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.html
    );
    for field in ["adopted_on", "texts"] {
        assert!(
            refused.html.contains(&format!("id=\"{field}-error\"")),
            "{field}: {}",
            refused.html
        );
    }
    assert!(
        refused.html.contains(">The coalition resolves.</textarea>"),
        "values kept: {}",
        refused.html
    );

    let mut good = blank.clone();
    set(&mut good, "text1_title", "Joint statement on Daesh finance");
    set(
        &mut good,
        "text1_paragraphs",
        "1. The coalition will deny Daesh its oil revenue.\n\n2. Members will share what they know of its banks.",
    );
    set(&mut good, "text2_language", "ar");
    set(&mut good, "text2_title", "بيان مشترك بشأن تمويل داعش");
    set(
        &mut good,
        "text2_paragraphs",
        "1. سيحرم التحالف داعش من عائدات النفط.\n\n2. سيتبادل الأعضاء ما يعرفونه عن مصارفه.",
    );
    good.push(("signatories".into(), "GBR".into()));
    good.push(("signatories".into(), "USA".into()));
    // The Arabic text numbered otherwise than the original: the kind's
    // check, once the rest is good.
    let mut odd = good.clone();
    set(&mut odd, "text2_paragraphs", "1. أولاً.\n\n3. ثالثاً.");
    let refused = post(
        &web,
        &mut gbr,
        &format!("{meeting}/statements"),
        &refs(&odd),
    )
    .await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.html
    );
    assert!(
        refused.html.contains("id=\"texts-error\""),
        "{}",
        refused.html
    );
    assert!(refused.html.contains("otherwise"), "{}", refused.html);
    let saved = post(
        &web,
        &mut gbr,
        &format!("{meeting}/statements"),
        &refs(&good),
    )
    .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.html);
    let at = saved.location.expect("back to the meeting");
    let id = at
        .split("#statement-")
        .nth(1)
        .expect("the statement")
        .to_string();
    let seen = web.go(&mut fra, "GET", &meeting, None).await;
    for want in [
        "Joint statement on Daesh finance",
        "سيحرم التحالف داعش من عائدات النفط.",
        "dir=\"rtl\"",
    ] {
        assert!(seen.html.contains(want), "{want}: {}", seen.html);
    }
    let edit = format!("/statements/{id}/edit");
    assert!(
        !seen.html.contains(&edit),
        "FRA is not offered GBR's statement"
    );
    assert_eq!(
        web.go(&mut fra, "GET", &edit, None).await.status,
        StatusCode::FORBIDDEN
    );
    // Nor may FRA change or withdraw it by sending the forms.
    let fra_token = fra.form_token().expect("csrf");
    for path in [
        format!("/statements/{id}"),
        format!("/statements/{id}/withdraw"),
    ] {
        let sent = web
            .go(
                &mut fra,
                "POST",
                &path,
                Some(&[("csrf", fra_token.as_str()), ("adopted_on", "2015-03-12")]),
            )
            .await;
        assert_eq!(sent.status, StatusCode::FORBIDDEN, "{path}: {}", sent.html);
    }

    let first = fields_of_form(
        &web.go(&mut gbr, "GET", &edit, None).await.html,
        "/statements/",
    );
    let second = fields_of_form(
        &web.go(&mut gbr2, "GET", &edit, None).await.html,
        "/statements/",
    );
    assert!(
        first.contains(&("if_version".into(), "1".into())),
        "{first:?}"
    );
    assert!(
        first.contains(&("text2_language".into(), "ar".into())),
        "{first:?}"
    );
    let mut mine = first.clone();
    set(&mut mine, "adopted_on", "2015-03-11");
    let saved = post(&web, &mut gbr, &format!("/statements/{id}"), &refs(&mine)).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.html);
    let mut theirs = second.clone();
    set(
        &mut theirs,
        "text1_title",
        "Joint statement on the finances of Daesh",
    );
    let conflict = post(
        &web,
        &mut gbr2,
        &format!("/statements/{id}"),
        &refs(&theirs),
    )
    .await;
    assert_eq!(conflict.status, StatusCode::CONFLICT, "{}", conflict.html);
    assert!(
        conflict.html.contains("value=\"adopted_on\""),
        "{}",
        conflict.html
    );
    let mut merged = fields_of_form(&conflict.html, "/statements/");
    merged.push(("take_theirs".into(), "adopted_on".into()));
    let saved = post(
        &web,
        &mut gbr2,
        &format!("/statements/{id}"),
        &refs(&merged),
    )
    .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.html);
    let now = web.go(&mut fra, "GET", &meeting, None).await;
    assert!(now
        .html
        .contains("Joint statement on the finances of Daesh"));
    assert!(
        now.html.contains("2015-03-11") || now.html.contains("11 March 2015"),
        "{}",
        now.html
    );

    let versions = web
        .go(&mut fra, "GET", &format!("/statements/{id}/versions"), None)
        .await;
    assert_eq!(versions.status, StatusCode::OK, "{}", versions.html);
    assert!(versions.html.contains("2015-03-10"), "version 1 kept");
    assert!(versions
        .html
        .contains("Joint statement on the finances of Daesh"));

    let token = gbr.form_token().expect("csrf");
    let gone = web
        .go(
            &mut gbr,
            "POST",
            &format!("/statements/{id}/withdraw"),
            Some(&[("csrf", token.as_str())]),
        )
        .await;
    assert_eq!(gone.status, StatusCode::SEE_OTHER, "{}", gone.html);
    let after = web.go(&mut fra, "GET", &meeting, None).await;
    assert!(!after
        .html
        .contains("Joint statement on the finances of Daesh"));
}
