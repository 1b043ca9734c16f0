//! One story through the store, run on SQLite by default and on PostgreSQL
//! when COALESCE_TEST_POSTGRES is set.

use coalesce_domain::note::NoteDraft;
use coalesce_domain::registry::NewMember;
use coalesce_domain::{Marking, MemberCode, Role, Slug, Username};
use coalesce_store::registry::NewGroup;
use coalesce_store::{testing, Principal, Store, StoreError};

fn member(code: &str, kind: &str, role: &str) -> NewMember {
    NewMember::parse(code, code, kind, role, Some("2014-09-05")).expect("valid member")
}

async fn seeded() -> (Store, Principal, Principal, Principal) {
    let s = testing::fresh_store().await.expect("store");
    for c in ["USA", "GBR", "FRA"] {
        s.create_member(None, &member(c, "state", "member"))
            .await
            .expect("member");
    }
    s.create_member(None, &member("IRQ", "state", "partner"))
        .await
        .expect("member");
    s.set_setting("secretariat", "USA").await.expect("setting");
    let mut ps = vec![];
    for (u, m) in [("usa", "USA"), ("gbr", "GBR"), ("fra", "FRA")] {
        let user = s
            .create_user(None, u, m, "coordinator", "correct horse battery")
            .await
            .expect("user");
        ps.push(Principal {
            user_id: user.id,
            username: Username::parse(u).expect("u"),
            member: MemberCode::parse(m).expect("m"),
            role: Role::Coordinator,
        });
    }
    let fra = ps.pop().expect("fra");
    let gbr = ps.pop().expect("gbr");
    let usa = ps.pop().expect("usa");
    (s, usa, gbr, fra)
}

fn draft(title: &str, tlp: &str, rel_to: &[&str]) -> NoteDraft {
    let rel: Vec<String> = rel_to.iter().map(|s| s.to_string()).collect();
    NoteDraft::parse(
        title,
        "body",
        Marking::parse(tlp, &rel).expect("marking"),
        None,
    )
    .expect("draft")
}

#[tokio::test]
async fn registry_accounts_notes_and_audit() {
    let (s, usa, gbr, fra) = seeded().await;
    eprintln!("backend: {}", testing::backend());

    // Registry.
    assert_eq!(s.list_members().await.expect("list").len(), 4);
    assert_eq!(s.get_member("IRQ").await.expect("irq").role, "partner");
    assert!(matches!(
        s.create_member(None, &member("USA", "state", "member"))
            .await,
        Err(StoreError::Conflict(_))
    ));
    let g = NewGroup::parse(
        "small-group",
        "Small group",
        "small_group",
        "",
        &["USA".into(), "GBR".into()],
    )
    .expect("group");
    s.create_group(Some(&usa), &g)
        .await
        .expect("secretariat coordinator creates groups");
    assert!(matches!(
        s.create_group(Some(&gbr), &g).await,
        Err(StoreError::Forbidden(_))
    ));
    let bad = NewGroup::parse("wg", "WG", "working_group", "", &["ZZZ".into()]).expect("parses");
    assert!(matches!(
        s.create_group(Some(&usa), &bad).await,
        Err(StoreError::BadRequest(_))
    ));
    assert!(
        s.get_group("wg").await.is_err(),
        "nothing written on bad input"
    );
    assert_eq!(
        s.groups_of("GBR").await.expect("groups"),
        vec!["small-group".to_string()]
    );

    // Accounts.
    assert!(s
        .authenticate("usa", "correct horse battery", "test")
        .await
        .expect("auth")
        .is_some());
    assert!(s
        .authenticate("usa", "wrong password!!", "test")
        .await
        .expect("auth")
        .is_none());
    assert!(s
        .authenticate("nobody", "correct horse battery", "test")
        .await
        .expect("auth")
        .is_none());
    assert!(matches!(
        s.create_user(None, "usa", "USA", "viewer", "another long one")
            .await,
        Err(StoreError::Conflict(_))
    ));
    assert!(matches!(
        s.create_user(None, "x1", "ZZZ", "viewer", "another long one")
            .await,
        Err(StoreError::BadRequest(_))
    ));
    let token = s
        .create_token(&usa, "session", Some(60_000))
        .await
        .expect("token");
    assert_eq!(
        s.principal_for_token(&token).await.expect("lookup"),
        Some(usa.clone())
    );
    assert_eq!(
        s.principal_for_token("not-a-token").await.expect("lookup"),
        None
    );
    s.revoke_token(&usa, &token).await.expect("logout");
    assert_eq!(s.principal_for_token(&token).await.expect("lookup"), None);

    // Notes: the marking decides who reads.
    let n = s
        .create_note(&usa, &draft("Amerli", "AMBER", &["GBR"]))
        .await
        .expect("note");
    assert_eq!(n.origin, "USA");
    assert_eq!(n.version, 1);
    assert!(s.get_note(&gbr, &n.id).await.is_ok());
    assert!(matches!(
        s.get_note(&fra, &n.id).await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(s.count_notes(&fra).await.expect("count"), 0);
    assert_eq!(s.count_notes(&gbr).await.expect("count"), 1);

    // Ownership and versions.
    assert!(matches!(
        s.update_note(&gbr, &n.id, &draft("x", "RED", &[]), None)
            .await,
        Err(StoreError::Forbidden(_))
    ));
    let n2 = s
        .update_note(
            &usa,
            &n.id,
            &draft("Amerli (revised)", "AMBER", &["GBR", "FRA"]),
            Some(1),
        )
        .await
        .expect("update");
    assert_eq!(n2.version, 2);
    assert!(matches!(
        s.update_note(&usa, &n.id, &draft("stale", "AMBER", &[]), Some(1))
            .await,
        Err(StoreError::Conflict(_))
    ));
    assert!(
        s.get_note(&fra, &n.id).await.is_ok(),
        "widened marking opens the note"
    );
    let fra_versions = s.note_versions(&fra, &n.id).await.expect("versions");
    assert_eq!(
        fra_versions.iter().map(|v| v.version).collect::<Vec<_>>(),
        vec![2],
        "FRA was not in version 1's audience"
    );
    assert_eq!(
        s.note_versions(&usa, &n.id).await.expect("versions").len(),
        2
    );
    s.revoke_note(&usa, &n.id).await.expect("revoke");
    assert_eq!(s.count_notes(&gbr).await.expect("count"), 0);

    // Group markings follow group membership at read time.
    let g_note = s
        .create_note(
            &usa,
            &draft("Small group only", "RED", &["GROUP:small-group"]),
        )
        .await
        .expect("note");
    assert!(s.get_note(&fra, &g_note.id).await.is_err());
    let all: std::collections::BTreeSet<MemberCode> = ["USA", "GBR", "FRA"]
        .iter()
        .map(|c| MemberCode::parse(c).expect("c"))
        .collect();
    s.set_group_members(Some(&usa), &Slug::parse("small-group").expect("slug"), &all)
        .await
        .expect("set members");
    assert!(s.get_note(&fra, &g_note.id).await.is_ok());

    // Audit: intact chain, reads of AMBER/RED audited, tamper detected.
    let verified = s.verify_audit().await.expect("verify").expect("intact");
    assert!(verified > 10);
    let entries = s.audit_entries(None, 1000).await.expect("entries");
    assert!(entries.iter().any(|e| e.action == "login_failed"));
    assert!(entries
        .iter()
        .any(|e| e.action == "note.read" && e.actor == "gbr"));
    assert!(entries.iter().any(|e| e.action == "note.update"));
}

/// Failed-login keys are bounded: past the ceiling the oldest are evicted,
/// never all at once, so a flood of new names does not lift the delay of
/// the attacker who is guessing now.
#[tokio::test]
async fn login_failures_keep_a_bounded_number_of_keys_evicting_the_oldest() {
    let s = testing::fresh_store().await.expect("store");
    for _ in 0..6 {
        s.record_login_failure_capped("fra", "203.0.113.7", 20)
            .await
            .expect("failure");
    }
    for i in 0..40 {
        s.record_login_failure_capped(&format!("user{i}"), &format!("198.51.100.{i}"), 20)
            .await
            .expect("flood");
        assert!(s.login_failure_keys().await.expect("keys") <= 20);
    }
    // The guesser touched its keys before the flood: evicted as the oldest.
    // Guessing again starts it over at one failure, under its free tries —
    // but a guesser that keeps going stays among the newest keys.
    for _ in 0..6 {
        s.record_login_failure_capped("fra", "203.0.113.7", 20)
            .await
            .expect("failure");
        s.record_login_failure_capped("flood", "198.51.100.250", 20)
            .await
            .expect("flood");
    }
    assert!(s
        .login_wait("fra", "203.0.113.7")
        .await
        .expect("wait")
        .is_some());
    assert_eq!(s.login_wait("fra", "192.0.2.1").await.expect("wait"), None);
}
