//! The administration console's changes to users: roles, password resets
//! and API tokens, by whom they may be made, and their audit trail.

use coalesce_store::testing::{fresh_store, seed_small, SEED_PASSWORD};
use coalesce_store::{Principal, Store, StoreError};

async fn login(store: &Store, user: &str, password: &str) -> Option<Principal> {
    store
        .authenticate(user, password, "test")
        .await
        .expect("authenticate")
}

#[tokio::test]
async fn administrators_change_roles_reset_passwords_and_manage_tokens() {
    let store = fresh_store().await.expect("store");
    seed_small(&store).await.expect("seed");
    let admin = login(&store, "admin", SEED_PASSWORD).await.expect("admin");
    let gbr = login(&store, "gbr", SEED_PASSWORD).await.expect("gbr");

    // A role: only an administrator changes it, not its own.
    assert!(matches!(
        store.set_user_role(&gbr, "fra", "admin").await,
        Err(StoreError::Forbidden(_))
    ));
    assert!(matches!(
        store.set_user_role(&admin, "admin", "viewer").await,
        Err(StoreError::BadRequest(_))
    ));
    assert!(store
        .set_user_role(&admin, "gbr", "overlord")
        .await
        .is_err());
    assert!(matches!(
        store.set_user_role(&admin, "nobody", "viewer").await,
        Err(StoreError::NotFound)
    ));
    let u = store
        .set_user_role(&admin, "gbr", "viewer")
        .await
        .expect("role");
    assert_eq!(u.role, "viewer");
    let gbr = login(&store, "gbr", SEED_PASSWORD)
        .await
        .expect("gbr again");
    assert_eq!(gbr.role.as_str(), "viewer");

    // A password reset: the new one works, the old one no longer.
    let new = store.reset_password(&admin, "fra").await.expect("reset");
    assert_eq!(new.len(), 19);
    assert!(login(&store, "fra", SEED_PASSWORD).await.is_none());
    assert!(login(&store, "fra", &new).await.is_some());
    assert_ne!(
        store.reset_password(&admin, "fra").await.expect("again"),
        new,
        "a fresh password each time"
    );

    // API tokens: issued once, listed by label without the secret, revoked.
    assert!(store
        .issue_api_token(&admin, "irq", "  ", None)
        .await
        .is_err());
    assert!(store
        .issue_api_token(&admin, "irq", "sync", Some(0))
        .await
        .is_err());
    let token = store
        .issue_api_token(&admin, "irq", "Baghdad dashboard", Some(86_400_000))
        .await
        .expect("token");
    let reader = store
        .principal_for_token(&token)
        .await
        .expect("lookup")
        .expect("valid");
    assert_eq!(reader.username.as_str(), "irq");
    let listed = store.list_api_tokens().await.expect("list");
    let t = listed
        .iter()
        .find(|t| t.label == "Baghdad dashboard")
        .expect("listed");
    assert_eq!((t.username.as_str(), t.member.as_str()), ("irq", "IRQ"));
    assert!(t.expires_at.is_some());
    assert!(!format!("{listed:?}").contains(&token), "no secret listed");
    assert!(matches!(
        store.revoke_api_token(&gbr, &t.id).await,
        Err(StoreError::Forbidden(_))
    ));
    assert!(matches!(
        store.revoke_api_token(&admin, "not-an-id").await,
        Err(StoreError::NotFound)
    ));
    store.revoke_api_token(&admin, &t.id).await.expect("revoke");
    assert!(store
        .principal_for_token(&token)
        .await
        .expect("lookup")
        .is_none());

    // Each change is in the audit log, with who made it.
    let actions: Vec<(String, String)> = store
        .audit_entries(None, 50)
        .await
        .expect("audit")
        .into_iter()
        .map(|e| (e.action, e.subject))
        .collect();
    for (action, subject) in [
        ("user.role", "gbr"),
        ("user.password_reset", "fra"),
        ("token.create", "irq"),
        ("token.revoke", "irq"),
    ] {
        assert!(
            actions.contains(&(action.to_string(), subject.to_string())),
            "{action} {subject}: {actions:?}"
        );
    }
    assert!(store.verify_audit().await.expect("verify").is_ok());
}

#[tokio::test]
async fn an_administrator_of_one_member_manages_that_members_users_only() {
    let store = fresh_store().await.expect("store");
    seed_small(&store).await.expect("seed");
    let phc = coalesce_store::accounts::hash_password(SEED_PASSWORD).expect("hash");
    store
        .insert_user(
            None,
            &coalesce_domain::Username::parse("gbr-admin").expect("name"),
            &coalesce_domain::MemberCode::parse("GBR").expect("code"),
            coalesce_domain::Role::Admin,
            &phc,
        )
        .await
        .expect("user");
    let gbr_admin = login(&store, "gbr-admin", SEED_PASSWORD)
        .await
        .expect("login");
    store
        .set_user_role(&gbr_admin, "viewer", "contributor")
        .await
        .expect("GBR's own user");
    for result in [
        store.set_user_role(&gbr_admin, "fra", "viewer").await.err(),
        store.reset_password(&gbr_admin, "fra").await.err(),
        store
            .issue_api_token(&gbr_admin, "fra", "x", None)
            .await
            .err(),
    ] {
        // Another member's user is no user to GBR's console: the answer
        // does not say whose it is.
        assert!(matches!(result, Some(StoreError::NotFound)), "{result:?}");
    }
    // The secretariat's administrator (USA here) manages every member's.
    let admin = login(&store, "admin", SEED_PASSWORD).await.expect("admin");
    store
        .issue_api_token(&admin, "fra", "x", None)
        .await
        .expect("secretariat");
}

/// The audit viewer of a member's administrator shows the entries about
/// its own member's accounts and the registry, not another member's
/// logins, users or tokens; the node operator (the secretariat's) sees all.
#[tokio::test]
async fn an_administrator_of_one_member_audits_that_members_accounts_only() {
    let store = fresh_store().await.expect("store");
    seed_small(&store).await.expect("seed");
    let phc = coalesce_store::accounts::hash_password(SEED_PASSWORD).expect("hash");
    store
        .insert_user(
            None,
            &coalesce_domain::Username::parse("gbr-admin").expect("name"),
            &coalesce_domain::MemberCode::parse("GBR").expect("code"),
            coalesce_domain::Role::Admin,
            &phc,
        )
        .await
        .expect("user");
    let gbr_admin = login(&store, "gbr-admin", SEED_PASSWORD)
        .await
        .expect("login");
    let admin = login(&store, "admin", SEED_PASSWORD).await.expect("admin");
    // FRA's user fails a login and gets a token from the node operator;
    // GBR's viewer fails one too and gets a token from it as well.
    assert!(login(&store, "fra", "wrong password").await.is_none());
    assert!(login(&store, "viewer", "wrong password").await.is_none());
    store
        .issue_api_token(&admin, "fra", "fra feed", None)
        .await
        .expect("FRA token");
    store
        .issue_api_token(&admin, "viewer", "gbr feed", None)
        .await
        .expect("GBR token");
    let seen = |entries: &[coalesce_domain::audit::AuditEntry], action: &str, subject: &str| {
        entries
            .iter()
            .any(|e| e.action == action && e.subject == subject)
    };
    let gbr_sees = store
        .audit_entries_for(&gbr_admin, None, 1_000)
        .await
        .expect("GBR admin's view");
    for (action, subject) in [("login_failed", "viewer"), ("token.create", "viewer")] {
        assert!(seen(&gbr_sees, action, subject), "{action} {subject}");
    }
    for (action, subject) in [
        ("login_failed", "fra"),
        ("token.create", "fra"),
        ("login", "usa"),
    ] {
        assert!(
            !seen(&gbr_sees, action, subject),
            "GBR's administrator sees {action} {subject}"
        );
    }
    // The registry is every administrator's to see.
    assert!(gbr_sees.iter().any(|e| e.action.starts_with("member.")));
    let operator_sees = store
        .audit_entries_for(&admin, None, 1_000)
        .await
        .expect("operator's view");
    for (action, subject) in [
        ("login_failed", "fra"),
        ("token.create", "fra"),
        ("login_failed", "viewer"),
    ] {
        assert!(seen(&operator_sees, action, subject), "{action} {subject}");
    }
}
