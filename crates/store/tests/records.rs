//! The record layer itself: withdrawal racing a change, replicas applied as
//! they were written (and only by their origin node), and the STIX form
//! round-tripping between two databases. SQLite by default, PostgreSQL when
//! COALESCE_TEST_POSTGRES is set.

use coalesce_domain::contact::{Contact, ContactKind};
use coalesce_domain::record::{Provenance, Status};
use coalesce_domain::Marking;
use coalesce_exchange::stix_record::{project_record, record_from_stix};
use coalesce_store::records::{Applied, RecordFilter};
use coalesce_store::testing::{fresh_store, seed_small, SEED_PASSWORD};
use coalesce_store::{ConflictCode, Principal, Store, StoreError};

async fn seeded() -> Store {
    let s = fresh_store().await.expect("store");
    seed_small(&s).await.expect("seed");
    s
}

async fn principal(s: &Store, user: &str) -> Principal {
    s.authenticate(user, SEED_PASSWORD, "test")
        .await
        .expect("auth")
        .expect("user")
}

fn contact(name: &str) -> Contact {
    Contact {
        name: name.into(),
        role: "Desk officer".into(),
        email: "desk@fco.example.org".into(),
        phone: None,
    }
}

fn marking(tlp: &str, rel: &[&str]) -> Marking {
    let rel: Vec<String> = rel.iter().map(|s| s.to_string()).collect();
    Marking::parse(tlp, &rel).expect("marking")
}

/// Withdrawal racing a change of the same record, many rounds: the
/// withdrawal always holds (the change lands before it or gets a 409), and
/// a withdrawn record is never readable in a list or count again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn withdrawal_racing_a_change_always_wins_or_the_change_conflicts() {
    let s = seeded().await;
    let gbr = principal(&s, "gbr").await;
    let usa = principal(&s, "usa").await;
    for round in 0..40 {
        let r = s
            .create_record::<ContactKind>(
                &gbr,
                contact(&format!("Officer {round}")),
                marking("GREEN", &["USA"]),
            )
            .await
            .expect("create");
        let (a, b) = (s.clone(), s.clone());
        let (p1, p2) = (gbr.clone(), gbr.clone());
        let (id1, id2) = (r.id.clone(), r.id.clone());
        let change = tokio::spawn(async move {
            a.change_record::<ContactKind>(
                &p1,
                &id1,
                contact("Changed"),
                marking("GREEN", &["USA", "FRA"]),
                Some(1),
            )
            .await
        });
        let withdraw =
            tokio::spawn(async move { b.withdraw_record::<ContactKind>(&p2, &id2, None).await });
        let (changed, withdrawn) = (change.await.expect("join"), withdraw.await.expect("join"));
        let withdrawn = withdrawn.expect("the withdrawal never fails");
        assert_eq!(withdrawn.status, Status::Withdrawn);
        match changed {
            // The change came first: the withdrawal is the version after it.
            Ok(c) => {
                assert_eq!(c.version, 2);
                assert_eq!(withdrawn.version, 3);
            }
            Err(StoreError::Conflict(c)) => {
                assert!(
                    matches!(
                        c.code,
                        ConflictCode::AlreadyWithdrawn | ConflictCode::VersionConflict
                    ),
                    "{c:?}"
                );
                assert_eq!(withdrawn.version, 2);
            }
            Err(e) => panic!("round {round}: {e}"),
        }
        let now = s.get_record::<ContactKind>(&usa, &r.id).await.expect("get");
        assert_eq!(now.status, Status::Withdrawn, "round {round}");
    }
    let page = s
        .list_records::<ContactKind>(&usa, &RecordFilter::default(), None, 500)
        .await
        .expect("list");
    assert!(page.items.is_empty());
    assert_eq!(
        s.count_records::<ContactKind>(&usa).await.expect("count"),
        0
    );
}

/// A record exported as STIX from one node and applied on another is the
/// same record there: same id, version, marking, origin node, and the same
/// STIX objects when exported again. Older versions change nothing; a
/// replica claiming a record of another node is refused.
#[tokio::test]
async fn a_record_round_trips_through_stix_to_a_second_database() {
    let a = seeded().await;
    let b = seeded().await;
    assert_ne!(a.node_id().await.expect("a"), b.node_id().await.expect("b"));
    let gbr = principal(&a, "gbr").await;
    let r = a
        .create_record::<ContactKind>(&gbr, contact("Jane Doe"), marking("AMBER", &["USA"]))
        .await
        .expect("create");
    let r = a
        .change_record::<ContactKind>(
            &gbr,
            &r.id,
            contact("Jane Doe"),
            marking("AMBER", &["USA", "GROUP:small-group"]),
            Some(1),
        )
        .await
        .expect("change");
    // The nodes of one coalition derive the same REL TO marking ids (the
    // key travels with the registry once nodes federate).
    let key = a
        .setting("secret:stix_marking")
        .await
        .expect("key")
        .expect("set");
    b.set_setting("secret:stix_marking", &key)
        .await
        .expect("share");
    let ctx_a = a.stix_context(&gbr).await.expect("context");
    let exported = project_record::<ContactKind>(&r, &ctx_a.node());
    let replica = record_from_stix::<ContactKind>(&exported[0]).expect("parse");
    assert_eq!(
        b.apply_replica::<ContactKind>(replica.clone())
            .await
            .expect("apply"),
        Applied::Written
    );
    // Applying it again, or an older version, changes nothing.
    assert_eq!(
        b.apply_replica::<ContactKind>(replica.clone())
            .await
            .expect("again"),
        Applied::AlreadyHeld
    );
    let older = coalesce_domain::record::Replica {
        version: 1,
        ..replica.clone()
    };
    assert_eq!(
        b.apply_replica::<ContactKind>(older).await.expect("older"),
        Applied::Older
    );
    let usa_b = principal(&b, "usa").await;
    let held = b
        .get_record::<ContactKind>(&usa_b, &r.id)
        .await
        .expect("held");
    assert_eq!(held.version, 2);
    assert_eq!(held.origin_node, r.origin_node);
    assert_eq!(held.marking, r.marking);
    let ctx_b = b.stix_context(&usa_b).await.expect("context");
    let again = project_record::<ContactKind>(&held, &ctx_b.node());
    assert_eq!(
        again, exported,
        "export → import → export changed the objects"
    );
    let versions = b
        .record_versions::<ContactKind>(&usa_b, &r.id)
        .await
        .expect("versions");
    assert_eq!(versions.len(), 1);
    assert_eq!(
        versions[0].provenance,
        Provenance::Peer {
            node: r.origin_node.clone()
        }
    );
    // FRA is outside the audience on the second node too.
    let fra_b = principal(&b, "fra").await;
    assert!(matches!(
        b.get_record::<ContactKind>(&fra_b, &r.id).await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(
        b.count_records::<ContactKind>(&usa_b).await.expect("count"),
        1
    );
    // A version 3 from a node that is not the record's origin is refused.
    let forged = coalesce_domain::record::Replica {
        version: 3,
        origin_node: "some-other-node".into(),
        ..replica
    };
    assert!(matches!(
        b.apply_replica::<ContactKind>(forged).await,
        Err(StoreError::Conflict(c)) if c.code == ConflictCode::DuplicateId
    ));
    // A withdrawal travels like any version.
    let w = a
        .withdraw_record::<ContactKind>(&gbr, &r.id, Some(2))
        .await
        .expect("withdraw");
    let objects = project_record::<ContactKind>(&w, &ctx_a.node());
    assert_eq!(objects[0]["revoked"], true);
    let replica = record_from_stix::<ContactKind>(&objects[0]).expect("parse");
    assert_eq!(
        b.apply_replica::<ContactKind>(replica)
            .await
            .expect("apply"),
        Applied::Written
    );
    assert_eq!(
        b.count_records::<ContactKind>(&usa_b).await.expect("count"),
        0
    );
    assert_eq!(
        b.get_record::<ContactKind>(&usa_b, &r.id)
            .await
            .expect("get")
            .status,
        Status::Withdrawn
    );
}

/// Leak 6: the ids the node derives for its own objects (its members'
/// identities, its extension and TLP definitions, its REL TO marking
/// definitions) cannot be claimed first by a member: an object arriving
/// with one is not stored, and the node's own is what is served. REL TO
/// marking ids are keyed by the node, so nobody derives them from an
/// audience.
#[tokio::test]
async fn a_member_cannot_claim_the_ids_the_node_derives() {
    use coalesce_store::stix::StixFilter;
    use serde_json::json;
    let s = seeded().await;
    let gbr = principal(&s, "gbr").await;
    let usa = principal(&s, "usa").await;
    let key_hex = s
        .setting("secret:stix_marking")
        .await
        .expect("key")
        .expect("set");
    let mut key = [0u8; 32];
    for (i, b) in key.iter_mut().enumerate() {
        *b = u8::from_str_radix(&key_hex[2 * i..2 * i + 2], 16).expect("hex");
    }
    let identity = coalesce_exchange::stix::node_derived_ids(["USA"], [])
        .difference(&coalesce_exchange::stix::node_derived_ids([], []))
        .next()
        .cloned()
        .expect("USA's identity id");
    let rel_to = coalesce_exchange::stix::rel_to_marking_id(&key, &["GBR".into(), "USA".into()]);
    let stamp = "2024-03-01T09:00:00.000Z";
    let forged = [
        json!({"type": "identity", "spec_version": "2.1", "id": identity, "created": stamp,
               "modified": stamp, "name": "Not the United States", "identity_class": "organization",
               "object_marking_refs": ["marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487"]}),
        json!({"type": "marking-definition", "spec_version": "2.1", "id": rel_to, "created": stamp,
               "name": "REL TO GBR, USA",
               "extensions": {coalesce_exchange::stix_in::rel_to_extension_id():
                   {"extension_type": "property-extension", "rel_to": ["GBR", "USA"]}}}),
    ];
    let outcomes = s.stix_add(&gbr, &forged, false, "test").await.expect("add");
    for o in &outcomes {
        assert!(o.error.is_none(), "{o:?}");
        assert!(o.already_held, "{o:?}");
    }
    let all = |p| {
        let s = s.clone();
        async move {
            s.stix_objects(
                &p,
                &StixFilter {
                    limit: 1000,
                    ..StixFilter::default()
                },
                true,
            )
            .await
            .expect("objects")
            .rows
        }
    };
    assert!(all(gbr.clone()).await.is_empty(), "a claimed id was stored");
    // USA records an entity released to GBR: the node writes its own
    // identity and REL TO definition under those ids.
    let draft = coalesce_domain::reports::EntityDraft::parse(
        "person",
        "Abu Test",
        &[],
        None,
        None,
        &[],
        None,
        None,
        None,
        marking("GREEN", &["GBR"]),
    )
    .expect("draft");
    s.create_entity(&usa, &draft).await.expect("entity");
    let rows = all(gbr).await;
    let body_of = |id: &str| {
        rows.iter()
            .find(|r| r.stix_id == id)
            .and_then(|r| r.body.clone())
            .unwrap_or_else(|| panic!("{id} not served"))
    };
    assert!(
        body_of(&identity).contains("\"USA\"")
            || body_of(&identity).contains("Coalition member USA")
    );
    assert!(!body_of(&identity).contains("Not the United States"));
    assert!(body_of(&rel_to).contains("REL TO GBR, USA"));
}

/// An entity travels in its one STIX form like any record: applied on a
/// second node as written, it is read, counted, searched and correlated
/// there (the layer's hooks ran), exports again the same, and its
/// withdrawal takes it out of search on both.
#[tokio::test]
async fn an_entity_round_trips_and_its_hooks_run_on_the_receiving_node() {
    use coalesce_domain::entity::{EntityBody, EntityRecordKind};
    use coalesce_domain::reports::EntityKind;
    use coalesce_store::reports::SearchFilter;
    let (a, b) = (seeded().await, seeded().await);
    let gbr = principal(&a, "gbr").await;
    let body = EntityBody {
        kind: EntityKind::Person,
        name: "Abu Muhammad al-Tunisi".into(),
        aliases: vec!["ابو محمد التونسي".into()],
        birth_date: Some("1991-04".into()),
        nationality: Some("TUN".into()),
        documents: vec!["Z1234567".into()],
        imo: None,
        mmsi: None,
        flag: None,
        retain_until: Some("2030-01-01".into()),
        purged_on: None,
    };
    let r = a
        .create_record::<EntityRecordKind>(&gbr, body, marking("AMBER", &["USA"]))
        .await
        .expect("create");
    let key = a
        .setting("secret:stix_marking")
        .await
        .expect("key")
        .expect("set");
    b.set_setting("secret:stix_marking", &key)
        .await
        .expect("share");
    let ctx_a = a.stix_context(&gbr).await.expect("context");
    let exported = project_record::<EntityRecordKind>(&r, &ctx_a.node());
    assert_eq!(exported[0]["type"], "identity");
    assert_eq!(exported[0]["identity_class"], "individual");
    let replica = record_from_stix::<EntityRecordKind>(&exported[0]).expect("parse");
    assert_eq!(replica.body, r.body);
    assert_eq!(
        b.apply_replica::<EntityRecordKind>(replica)
            .await
            .expect("apply"),
        Applied::Written
    );
    let usa_b = principal(&b, "usa").await;
    let held = b.get_entity(&usa_b, &r.id).await.expect("held");
    assert_eq!(held.name, "Abu Muhammad al-Tunisi");
    assert_eq!(b.count_entities(&usa_b).await.expect("count"), 1);
    let found = |s: &Store, p: &Principal| {
        let (s, p) = (s.clone(), p.clone());
        async move {
            s.search(&p, "Tunisi", &SearchFilter::default(), 10)
                .await
                .expect("search")
                .into_iter()
                .map(|h| h.id)
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(found(&b, &usa_b).await, vec![r.id.clone()]);
    let fra_b = principal(&b, "fra").await;
    assert!(found(&b, &fra_b).await.is_empty());
    let again = project_record::<EntityRecordKind>(
        &b.get_record::<EntityRecordKind>(&usa_b, &r.id)
            .await
            .expect("record"),
        &b.stix_context(&usa_b).await.expect("context").node(),
    );
    assert_eq!(
        again, exported,
        "export → import → export changed the objects"
    );
    // Withdrawn on its origin; the withdrawal applied on the second node.
    let w = a
        .withdraw_record::<EntityRecordKind>(&gbr, &r.id, Some(1))
        .await
        .expect("withdraw");
    let usa_a = principal(&a, "usa").await;
    assert!(found(&a, &usa_a).await.is_empty());
    let objects = project_record::<EntityRecordKind>(&w, &ctx_a.node());
    let replica = record_from_stix::<EntityRecordKind>(&objects[0]).expect("parse");
    b.apply_replica::<EntityRecordKind>(replica)
        .await
        .expect("apply");
    assert!(found(&b, &usa_b).await.is_empty());
    assert!(matches!(
        b.get_entity(&usa_b, &r.id).await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(b.count_entities(&usa_b).await.expect("count"), 0);
}

/// A requirement travels in its STIX form and is applied on a second
/// node: read, counted and in the typed row there for its readers only;
/// the requesting member's confirmation (its own act on the first node)
/// does not travel with it; export → import → export gives the same
/// objects; its withdrawal applies too.
#[tokio::test]
async fn a_requirement_round_trips_and_its_typed_row_follows_on_the_receiving_node() {
    use coalesce_domain::needs::{
        Measure, Place, RequirementBody, RequirementDraft, RequirementRecordKind, Window,
    };
    let (a, b) = (seeded().await, seeded().await);
    let gbr = principal(&a, "gbr").await;
    let body = RequirementBody {
        title: "Water trucks for Ramadi".into(),
        description: "Two weeks of supply.".into(),
        requesting_member: "IRQ".into(),
        line_of_effort: "humanitarian".into(),
        category: "water".into(),
        measure: Measure::quantity(8, "truck").expect("measure"),
        place: Place {
            country: "IRQ".into(),
            admin1: None,
            town: Some("Ramadi".into()),
            point: None,
        },
        window: Window {
            start: "2016-03-01".into(),
            end: "2016-04-30".into(),
        },
        priority: 2,
    };
    let draft =
        RequirementDraft::from_body(body, marking("AMBER", &["IRQ", "USA"])).expect("draft");
    let created = a.create_requirement(&gbr, &draft).await.expect("create");
    assert!(!created.requester_confirmed, "IRQ has not confirmed yet");
    let r = a
        .get_record::<RequirementRecordKind>(&gbr, &created.id)
        .await
        .expect("record");
    let key = a
        .setting("secret:stix_marking")
        .await
        .expect("key")
        .expect("set");
    b.set_setting("secret:stix_marking", &key)
        .await
        .expect("share");
    let ctx_a = a.stix_context(&gbr).await.expect("context");
    let exported = project_record::<RequirementRecordKind>(&r, &ctx_a.node());
    assert_eq!(exported[0]["type"], "x-coalesce-requirement");
    let replica = record_from_stix::<RequirementRecordKind>(&exported[0]).expect("parse");
    assert_eq!(replica.body, r.body);
    assert_eq!(
        b.apply_replica::<RequirementRecordKind>(replica)
            .await
            .expect("apply"),
        Applied::Written
    );
    let (usa_b, fra_b) = (principal(&b, "usa").await, principal(&b, "fra").await);
    let held = b.get_requirement(&usa_b, &r.id).await.expect("held");
    assert_eq!(
        (held.title.as_str(), held.origin.as_str(), held.version),
        ("Water trucks for Ramadi", "GBR", 1)
    );
    assert!(!held.requester_confirmed);
    assert_eq!(b.count_requirements(&usa_b).await.expect("count"), 1);
    assert_eq!(b.count_requirements(&fra_b).await.expect("count"), 0);
    assert!(matches!(
        b.get_requirement(&fra_b, &r.id).await,
        Err(StoreError::NotFound)
    ));
    let again = project_record::<RequirementRecordKind>(
        &b.get_record::<RequirementRecordKind>(&usa_b, &r.id)
            .await
            .expect("record"),
        &b.stix_context(&usa_b).await.expect("context").node(),
    );
    assert_eq!(
        again, exported,
        "export → import → export changed the objects"
    );
    a.revoke_requirement(&gbr, &r.id).await.expect("withdraw");
    let w = a
        .get_record::<RequirementRecordKind>(&gbr, &r.id)
        .await
        .expect("withdrawn record");
    let objects = project_record::<RequirementRecordKind>(&w, &ctx_a.node());
    let replica = record_from_stix::<RequirementRecordKind>(&objects[0]).expect("parse");
    b.apply_replica::<RequirementRecordKind>(replica)
        .await
        .expect("apply");
    assert_eq!(b.count_requirements(&usa_b).await.expect("count"), 0);
    assert!(
        b.get_requirement(&usa_b, &r.id)
            .await
            .expect("kept")
            .revoked
    );
}
