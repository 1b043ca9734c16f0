//! Screening records in the store: list versions, per-member decisions,
//! their audit entries. SQLite by default, PostgreSQL when
//! COALESCE_TEST_POSTGRES is set.

use coalesce_store::screening::{party_key, DecisionKind, NewDecision};
use coalesce_store::testing::{fresh_store, seed_small, SEED_PASSWORD};
use coalesce_store::{Principal, Store, StoreError};

async fn principal(store: &Store, user: &str) -> Principal {
    store
        .authenticate(user, SEED_PASSWORD, "test")
        .await
        .expect("auth")
        .expect("user")
}

fn decision(party: &str, entity: &str, kind: DecisionKind) -> NewDecision {
    NewDecision {
        party: party.into(),
        entity_id: entity.into(),
        entry_hash: "h1".into(),
        decision: kind,
        reason: "checked the passport".into(),
        birth_date: None,
        nationality: None,
    }
}

#[test]
fn party_keys_fold_case_and_spacing_only() {
    assert_eq!(party_key("  Ali   HASSAN "), "ali hassan");
    assert_eq!(party_key("Ali Hassan"), party_key("ALI\tHASSAN"));
    assert_ne!(party_key("Ali Hasan"), party_key("Ali Hassan"));
    assert_eq!(party_key("محمد  يوسف"), "محمد يوسف");
}

#[tokio::test]
async fn list_versions_are_recorded_once_per_content() {
    let store = fresh_store().await.expect("store");
    let (a, new) = store
        .record_list_version("un", Some("2026-02-27"), "aaa", 1003)
        .await
        .expect("record");
    assert!(new);
    let (a2, new) = store
        .record_list_version("un", Some("2026-02-27"), "aaa", 1003)
        .await
        .expect("record");
    assert!(!new);
    assert_eq!(a.id, a2.id);
    assert!(a2.last_loaded_at_ms >= a.last_loaded_at_ms);
    let (_, new) = store
        .record_list_version("un", Some("2026-03-10"), "bbb", 1004)
        .await
        .expect("record");
    assert!(new);
    let all = store.list_versions().await.expect("list");
    assert_eq!(all.len(), 2);
    assert_eq!(all[0].content_hash, "bbb");
    let audit = store.audit_entries(None, 100).await.expect("audit");
    assert_eq!(
        audit
            .iter()
            .filter(|e| e.action == "screening.list_loaded")
            .count(),
        2
    );
}

#[tokio::test]
async fn decisions_are_per_member_validated_and_audited() {
    let store = fresh_store().await.expect("store");
    seed_small(&store).await.expect("seed");
    let gbr = principal(&store, "gbr").await;
    let viewer = principal(&store, "viewer").await;
    let usa = principal(&store, "usa").await;

    let err = store
        .record_screening_decision(
            &viewer,
            &decision("Ali", "un:QDi.1", DecisionKind::Confirmed),
        )
        .await;
    assert!(matches!(err, Err(StoreError::Forbidden(_))), "{err:?}");
    for bad in [
        NewDecision {
            reason: " ".into(),
            ..decision("Ali", "un:QDi.1", DecisionKind::Confirmed)
        },
        NewDecision {
            reason: "r".repeat(2001),
            ..decision("Ali", "un:QDi.1", DecisionKind::Confirmed)
        },
        decision("", "un:QDi.1", DecisionKind::Confirmed),
        decision("Ali", "", DecisionKind::Confirmed),
        NewDecision {
            birth_date: Some("1980-13-01".into()),
            ..decision("Ali", "un:QDi.1", DecisionKind::Confirmed)
        },
        NewDecision {
            birth_date: Some("yesterday".into()),
            ..decision("Ali", "un:QDi.1", DecisionKind::Confirmed)
        },
        NewDecision {
            nationality: Some("x".repeat(101)),
            ..decision("Ali", "un:QDi.1", DecisionKind::Confirmed)
        },
    ] {
        let r = store.record_screening_decision(&gbr, &bad).await;
        assert!(matches!(r, Err(StoreError::Invalid(_))), "{r:?}");
    }

    let first = store
        .record_screening_decision(
            &gbr,
            &decision(" Ali  Hassan ", "un:QDi.1", DecisionKind::FalsePositive),
        )
        .await
        .expect("decide");
    assert_eq!(first.party, "Ali  Hassan");
    assert_eq!(first.party_key, "ali hassan");
    assert_eq!(first.member, "GBR");
    let second = store
        .record_screening_decision(
            &gbr,
            &decision("ALI HASSAN", "un:QDi.1", DecisionKind::Confirmed),
        )
        .await
        .expect("decide");
    store
        .record_screening_decision(
            &gbr,
            &decision("Ali Hassan", "un:QDi.2", DecisionKind::FalsePositive),
        )
        .await
        .expect("decide");

    // With a date of birth and nationality the decision keeps them.
    let dated = store
        .record_screening_decision(
            &gbr,
            &NewDecision {
                birth_date: Some(" 1980-05 ".into()),
                nationality: Some("Iraqi".into()),
                ..decision("Ali Hassan", "un:QDi.3", DecisionKind::FalsePositive)
            },
        )
        .await
        .expect("decide");
    assert_eq!(dated.birth_date.as_deref(), Some("1980-05"));
    assert_eq!(dated.nationality.as_deref(), Some("Iraqi"));

    // The decisions per (party, entry), newest first, for the caller's
    // member only.
    let pairs = vec![
        ("ali hassan".to_string(), "un:QDi.1".to_string()),
        ("Someone Else".to_string(), "un:QDi.1".to_string()),
        ("Ali Hassan".to_string(), "un:QDi.3".to_string()),
    ];
    let found = store
        .screening_decisions_for(&viewer, &pairs)
        .await
        .expect("lookup");
    assert_eq!(
        found.iter().map(|d| d.id.clone()).collect::<Vec<_>>(),
        vec![dated.id.clone(), second.id.clone(), first.id.clone()]
    );
    assert_eq!(found[1].decision, DecisionKind::Confirmed);
    assert_eq!(found[0].birth_date.as_deref(), Some("1980-05"));
    assert!(store
        .screening_decisions_for(&usa, &pairs)
        .await
        .expect("lookup")
        .is_empty());

    let page = store
        .list_screening_decisions(&gbr, None, 2)
        .await
        .expect("list");
    assert_eq!(page.items.len(), 2);
    let rest = store
        .list_screening_decisions(&gbr, page.next.as_deref(), 2)
        .await
        .expect("list");
    assert_eq!(rest.items.len(), 2);
    assert_eq!(rest.items[1].id, first.id);
    assert!(rest.next.is_none());
    assert!(store
        .list_screening_decisions(&usa, None, 50)
        .await
        .expect("list")
        .items
        .is_empty());

    let audit = store.audit_entries(None, 500).await.expect("audit");
    let entries: Vec<_> = audit
        .iter()
        .filter(|e| e.action == "screening_decision.create")
        .collect();
    assert_eq!(entries.len(), 4);
    assert!(entries
        .iter()
        .any(|e| e.subject == first.id && e.actor == "gbr" && e.member == "GBR"));
    // Without content: not the party, not the reviewer's reason.
    assert!(entries
        .iter()
        .all(|e| !e.detail.to_lowercase().contains("hassan") && !e.detail.contains("passport")));
    assert!(store.verify_audit().await.expect("verify").is_ok());
}
