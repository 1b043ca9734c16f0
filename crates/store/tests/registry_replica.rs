//! The registry across nodes (issue 15): the secretariat's snapshot
//! applied at another node — members with the node hosting each, groups,
//! lines of effort, the secretariat — once; a malformed one changes
//! nothing; a node writes only for the members it hosts. SQLite by
//! default, PostgreSQL when COALESCE_TEST_POSTGRES is set.

use coalesce_domain::note::{NoteBody, NoteKind};
use coalesce_domain::registry::NewMember;
use coalesce_domain::{Marking, MemberCode, Role, Slug, Username};
use coalesce_store::testing::{fresh_store, seed_small, SEED_PASSWORD};
use coalesce_store::{Store, StoreError};

async fn capital() -> Store {
    let s = fresh_store().await.expect("store");
    s.create_member(
        None,
        &NewMember::parse("GBR", "United Kingdom", "state", "member", None).expect("member"),
    )
    .await
    .expect("GBR");
    s
}

fn note(title: &str) -> NoteBody {
    NoteBody {
        title: title.into(),
        body: "Seen.".into(),
        group: None,
    }
}

#[tokio::test]
async fn the_secretariats_registry_is_applied_once_and_a_node_writes_for_its_members_only() {
    let secretariat = fresh_store().await.expect("store");
    seed_small(&secretariat).await.expect("seed");
    let capital = capital().await;
    let capital_node = capital.node_id().await.expect("node id");
    assert_ne!(capital_node, secretariat.node_id().await.expect("node id"));
    secretariat
        .set_home_node(
            None,
            &MemberCode::parse("GBR").expect("code"),
            Some(&capital_node),
        )
        .await
        .expect("GBR hosted by the capital");
    let snapshot = secretariat.registry_snapshot().await.expect("snapshot");
    let digest = coalesce_federation::digest(&serde_json::to_value(&snapshot).expect("json"))
        .expect("digest");

    // A malformed snapshot changes nothing.
    let mut bad = snapshot.clone();
    bad.groups[0].members.push("ZZZ".into());
    let err = capital
        .apply_registry("s", &bad, "bad")
        .await
        .expect_err("a group naming no member");
    assert!(matches!(err, StoreError::BadRequest(_)), "{err:?}");
    assert_eq!(capital.list_members().await.expect("members").len(), 1);
    assert_eq!(capital.registry_digest().await.expect("digest"), None);

    let applied = capital
        .apply_registry("s", &snapshot, &digest)
        .await
        .expect("applied");
    assert_eq!(applied.members_added, ["FRA", "IRQ", "USA"]);
    // The secretariat's name for GBR replaces the capital's own.
    assert_eq!(applied.members_changed, ["GBR"]);
    assert_eq!(
        capital.get_member("GBR").await.expect("GBR").name,
        secretariat.get_member("GBR").await.expect("GBR").name
    );
    assert_eq!(applied.groups_added, ["small-group"]);
    assert_eq!(applied.lines_changed, ["humanitarian"]);
    assert!(applied.secretariat_changed);
    assert_eq!(
        capital
            .secretariat()
            .await
            .expect("secretariat")
            .map(|m| m.to_string()),
        Some("USA".to_string())
    );
    let homes = capital.home_nodes().await.expect("homes");
    assert_eq!(homes.get("GBR"), None, "its own member is hosted here");
    assert_eq!(
        homes.get("FRA"),
        Some(&secretariat.node_id().await.expect("node id"))
    );
    assert_eq!(
        capital.registry_digest().await.expect("digest"),
        Some(digest.clone())
    );
    let again = capital
        .apply_registry("s", &snapshot, &digest)
        .await
        .expect("applied again");
    assert!(again.is_empty(), "{again:?}");

    // The capital writes for GBR, never for a member hosted elsewhere.
    let phc = coalesce_store::accounts::hash_password(SEED_PASSWORD).expect("hash");
    for (u, m) in [("gbr", "GBR"), ("fra", "FRA")] {
        capital
            .insert_user(
                None,
                &Username::parse(u).expect("user"),
                &MemberCode::parse(m).expect("code"),
                Role::Contributor,
                &phc,
            )
            .await
            .expect("user");
    }
    let as_user = |u: &'static str| {
        let capital = capital.clone();
        async move {
            capital
                .authenticate(u, SEED_PASSWORD, "test")
                .await
                .expect("auth")
                .expect("user")
        }
    };
    let marking = Marking::parse("AMBER", &["GROUP:small-group".to_string()]).expect("marking");
    capital
        .create_record::<NoteKind>(&as_user("gbr").await, note("Ours"), marking.clone())
        .await
        .expect("GBR writes here");
    let refused = capital
        .create_record::<NoteKind>(&as_user("fra").await, note("Not ours"), marking)
        .await
        .expect_err("FRA is hosted by the secretariat's node");
    assert!(
        matches!(&refused, StoreError::Forbidden(m) if m.contains("hosted by node")),
        "{refused:?}"
    );

    // The group changes at the secretariat: the capital follows.
    secretariat
        .set_group_members(
            None,
            &Slug::parse("small-group").expect("slug"),
            &[MemberCode::parse("USA").expect("code")]
                .into_iter()
                .collect(),
        )
        .await
        .expect("group");
    let snapshot = secretariat.registry_snapshot().await.expect("snapshot");
    let digest = coalesce_federation::digest(&serde_json::to_value(&snapshot).expect("json"))
        .expect("digest");
    let applied = capital
        .apply_registry("s", &snapshot, &digest)
        .await
        .expect("applied");
    assert_eq!(applied.groups_changed, ["small-group"]);
    assert_eq!(
        capital
            .get_group("small-group")
            .await
            .expect("group")
            .members,
        ["USA"]
    );
}
