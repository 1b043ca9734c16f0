//! Changing a report never removes what its writer could not see: a link
//! to an entity released to others only is kept when the writer saves a
//! change without it. SQLite by default, PostgreSQL when
//! COALESCE_TEST_POSTGRES is set.

use coalesce_domain::reports::{EntityDraft, ReportDraft};
use coalesce_domain::Marking;
use coalesce_store::testing::{fresh_database_url, seed_small, SEED_PASSWORD};
use coalesce_store::{Principal, Store};

async fn principal(s: &Store, user: &str) -> Principal {
    s.authenticate(user, SEED_PASSWORD, "test")
        .await
        .expect("auth")
        .expect("user")
}

fn marking(tlp: &str, rel: &[&str]) -> Marking {
    let rel: Vec<String> = rel.iter().map(|s| s.to_string()).collect();
    Marking::parse(tlp, &rel).expect("marking")
}

fn vessel(m: &Marking) -> EntityDraft {
    EntityDraft::parse(
        "vessel",
        "Sea Falcon",
        &[],
        None,
        None,
        &[],
        None,
        None,
        None,
        m.clone(),
    )
    .expect("vessel")
}

#[tokio::test]
async fn a_change_keeps_the_links_its_writer_cannot_read() {
    let url = fresh_database_url().await.expect("url");
    let s = Store::open(&url).await.expect("open");
    seed_small(&s).await.expect("seed");
    let (gbr, fra) = (principal(&s, "gbr").await, principal(&s, "fra").await);
    // FRA's vessel, released to GBR; GBR reports on it, for FRA too.
    let e = s
        .create_entity(&fra, &vessel(&marking("AMBER", &["GBR"])))
        .await
        .expect("entity");
    let both = marking("AMBER", &["FRA"]);
    let draft = |title: &str, links: &[(String, String)]| {
        ReportDraft::parse(
            "situation-report",
            title,
            "",
            None,
            None,
            both.clone(),
            links,
        )
        .expect("draft")
    };
    let r = s
        .create_report(
            &gbr,
            &draft("Tanker seen", &[(e.id.clone(), "vessel".into())]),
        )
        .await
        .expect("report");
    // FRA takes the vessel back: GBR no longer reads it, nor its link.
    s.update_entity(&fra, &e.id, &vessel(&marking("AMBER", &[])), None)
        .await
        .expect("re-marked");
    let seen = s.get_report(&gbr, &r.id).await.expect("gbr reads it");
    assert!(seen.entities.is_empty(), "{:?}", seen.entities);
    // GBR changes the title, sending the links it sees: none.
    s.update_report(
        &gbr,
        &r.id,
        &draft("Tanker seen twice", &[]),
        Some(seen.version),
    )
    .await
    .expect("changed");
    // The link is still there for FRA, who reads the vessel.
    let now = s.get_report(&fra, &r.id).await.expect("fra reads it");
    assert_eq!(now.title, "Tanker seen twice");
    assert_eq!(
        now.entities
            .iter()
            .map(|l| (l.entity_id.as_str(), l.role.as_str()))
            .collect::<Vec<_>>(),
        vec![(e.id.as_str(), "vessel")]
    );
    // A link the writer reads and leaves out is removed, as asked.
    let other = s
        .create_entity(&gbr, &vessel(&marking("AMBER", &["FRA"])))
        .await
        .expect("entity");
    let v = s
        .update_report(
            &gbr,
            &r.id,
            &draft("Tanker seen twice", &[(other.id.clone(), "vessel".into())]),
            None,
        )
        .await
        .expect("linked");
    s.update_report(
        &gbr,
        &r.id,
        &draft("Tanker seen twice", &[]),
        Some(v.version),
    )
    .await
    .expect("unlinked");
    let now = s.get_report(&fra, &r.id).await.expect("fra reads it");
    let ids: Vec<&str> = now.entities.iter().map(|l| l.entity_id.as_str()).collect();
    assert_eq!(ids, vec![e.id.as_str()], "only the hidden link stays");
}
