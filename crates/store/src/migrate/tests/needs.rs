//! Requirements (migration 25) and contributions (13 and 26) as an older
//! coalesce left them, on the record layer after.

use super::*;

/// Requirements written before migration 25 are the same records after it:
/// fields, kept versions with their own markings, the requesting member's
/// confirmation, counts, the withdrawal; the typed row stays what the
/// picture joins on, and the next change continues the versions.
#[tokio::test]
async fn requirements_move_onto_the_record_layer_with_their_versions() {
    use coalesce_domain::needs::RequirementRecordKind;
    let (q1, q2) = (
        "01900000-0000-7000-8000-0000000002a1",
        "01900000-0000-7000-8000-0000000002a2",
    );
    let (url, pool) = database_before(25).await;
    {
        let snapshot = |id: &str, origin: &str, requester: &str, priority: i64, revoked: bool| {
            format!(
                r#"{{"id":"{id}","origin":"{origin}","requesting_member":"{requester}","line_of_effort":"security-assistance","category":"night-vision","title":"Night-vision kits","description":"For the 5th brigade","measure":{{"kind":"quantity","amount":12,"unit":"kit"}},"place":{{"country":"IRQ","admin1":{{"name":"Ninewa","pcode":"IQG15"}},"town":"Mosul","point":null}},"window":{{"start":"2015-02-01","end":"2015-06-30"}},"priority":{priority},"marking":{{"tlp":"AMBER","rel_to":[]}},"version":1,"revoked":{revoked},"created_at_ms":10,"created_by":"x","updated_at_ms":10,"updated_by":"x"}}"#
            )
        };
        let row = |id: &str,
                   origin: &str,
                   requester: &str,
                   priority: i64,
                   rel_to: &str,
                   version: i64,
                   revoked: i64,
                   confirmed: &str| {
            format!(
                "INSERT INTO requirements (id, origin, requesting_member, line_of_effort, category, title, description, kind, amount, unit, \
                 country, admin1_name, admin1_pcode, town, lat_micro, lon_micro, window_start, window_end, priority, tlp, rel_to, version, revoked, \
                 created_at, created_by, updated_at, updated_by, requester_confirmed_at, requester_confirmed_by) VALUES \
                 ('{id}', '{origin}', '{requester}', 'security-assistance', 'night-vision', 'Night-vision kits', 'For the 5th brigade', 'quantity', 12, 'kit', \
                 'IRQ', 'Ninewa', 'IQG15', 'Mosul', NULL, NULL, '2015-02-01', '2015-06-30', {priority}, 'AMBER', '{rel_to}', {version}, {revoked}, \
                 10, 'x', 20, 'x2', {confirmed})"
            )
        };
        let version = |vid: &str, id: &str, v: i64, snap: String, rel_to: &str, at: i64| {
            format!("INSERT INTO requirement_versions (id, requirement_id, version, snapshot, tlp, rel_to, updated_at, updated_by) VALUES ('{vid}', '{id}', {v}, '{snap}', 'AMBER', '{rel_to}', {at}, 'x{v}')")
        };
        let statements = [
            "INSERT INTO members (code, name, kind, role, created_at) VALUES ('GBR', 'GBR', 'state', 'member', 0), ('USA', 'USA', 'state', 'member', 0), ('FRA', 'FRA', 'state', 'member', 0), ('IRQ', 'IRQ', 'state', 'partner', 0)".to_string(),
            "INSERT INTO lines_of_effort (slug, name, position, created_at) VALUES ('security-assistance', 'Security assistance', 1, 0)".to_string(),
            // q1: GBR's in IRQ's name, confirmed by IRQ; released to IRQ at
            // version 1, widened to USA at 2 (priority 1 → 2).
            row(q1, "GBR", "IRQ", 2, "[\"IRQ\",\"USA\"]", 2, 0, "15, 'irq'"),
            version("01900000-0000-7000-8000-0000000002b1", q1, 1, snapshot(q1, "GBR", "IRQ", 1, false), "[\"IRQ\"]", 10),
            version("01900000-0000-7000-8000-0000000002b2", q1, 2, snapshot(q1, "GBR", "IRQ", 2, false), "[\"IRQ\",\"USA\"]", 20),
            format!("INSERT INTO audience (subject_id, token) VALUES ('{q1}', 'GBR'), ('{q1}', 'IRQ'), ('{q1}', 'USA')"),
            "INSERT INTO audience (subject_id, token) VALUES ('01900000-0000-7000-8000-0000000002b1', 'GBR'), ('01900000-0000-7000-8000-0000000002b1', 'IRQ')".to_string(),
            "INSERT INTO audience (subject_id, token) VALUES ('01900000-0000-7000-8000-0000000002b2', 'GBR'), ('01900000-0000-7000-8000-0000000002b2', 'IRQ'), ('01900000-0000-7000-8000-0000000002b2', 'USA')".to_string(),
            // q2: USA's own, withdrawn, the withdrawal kept as version 2.
            row(q2, "USA", "USA", 3, "[]", 2, 1, "10, 'usa'"),
            version("01900000-0000-7000-8000-0000000002b3", q2, 1, snapshot(q2, "USA", "USA", 3, false), "[]", 10),
            version("01900000-0000-7000-8000-0000000002b4", q2, 2, snapshot(q2, "USA", "USA", 3, true), "[]", 20),
            format!("INSERT INTO audience (subject_id, token) VALUES ('{q2}', 'USA')"),
            "INSERT INTO reader_counts (kind, reader, n) VALUES ('requirement', 'GBR', 1), ('requirement', 'IRQ', 1), ('requirement', 'USA', 1)".to_string(),
        ];
        for sql in &statements {
            sqlx::raw_sql(sql).execute(&pool).await.expect(sql);
        }
        pool.close().await;
    }
    let store = Store::open(&url).await.expect("migrated");
    let (gbr, usa, fra, irq) = (who("GBR"), who("USA"), who("FRA"), who("IRQ"));
    let r = store.get_requirement(&usa, q1).await.expect("USA reads q1");
    assert_eq!(
        (
            r.version,
            r.priority,
            r.requester_confirmed,
            r.place.town.as_deref()
        ),
        (2, 2, true, Some("Mosul"))
    );
    assert!(matches!(
        store.get_requirement(&fra, q1).await,
        Err(StoreError::NotFound)
    ));
    let versions = |vs: Vec<crate::needs::RecordVersion>| {
        vs.into_iter()
            .map(|v| (v.version, v.snapshot["priority"].as_i64().unwrap_or(0)))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        versions(
            store
                .requirement_versions(&irq, q1)
                .await
                .expect("versions")
        ),
        [(1, 1), (2, 2)]
    );
    assert_eq!(
        versions(
            store
                .requirement_versions(&usa, q1)
                .await
                .expect("versions")
        ),
        [(2, 2)],
        "version 1 was not released to USA"
    );
    let kept: Vec<(i64, &str, String)> = store
        .record_versions::<RequirementRecordKind>(&usa, q2)
        .await
        .expect("versions")
        .iter()
        .map(|v| (v.version, v.status.as_str(), v.author.clone()))
        .collect();
    assert_eq!(
        kept,
        [
            (1, "live", "x1".to_string()),
            (2, "withdrawn", "x2".to_string())
        ]
    );
    for (p, n) in [(&gbr, 1), (&usa, 1), (&irq, 1), (&fra, 0)] {
        assert_eq!(
            store.count_requirements(p).await.expect("count"),
            n,
            "{}",
            p.member
        );
    }
    assert!(sqlx::query("SELECT 1 FROM legacy_requirement_versions")
        .fetch_all(store.pool())
        .await
        .is_err());
    let (old_audience,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM audience WHERE subject_id LIKE '01900000-0000-7000-8000-0000000002b%'",
    )
    .fetch_one(store.pool())
    .await
    .expect("audience");
    assert_eq!(old_audience, 0);
    // The next change continues the versions; IRQ's confirmation stands
    // while IRQ stays the requesting member.
    let mut d = coalesce_domain::needs::RequirementDraft::from_body(
        store
            .get_record::<RequirementRecordKind>(&gbr, q1)
            .await
            .expect("record")
            .body,
        r.marking.clone(),
    )
    .expect("draft");
    d.title = "Night-vision kits, 5th brigade".into();
    let changed = store
        .update_requirement(&gbr, q1, &d, Some(2))
        .await
        .expect("change");
    assert_eq!((changed.version, changed.requester_confirmed), (3, true));
    assert!(matches!(
        store.update_requirement(&usa, q2, &d, None).await,
        Err(StoreError::NotFound | StoreError::Conflict(_))
    ));
}

/// Contributions written before migration 13 (with their requirement's
/// place and window copied in) and kept through 26 are the same records on
/// the layer: their own fields only — no reader of the contribution finds
/// the requirement's place in it or its versions — kept versions with
/// their deliveries as they were then, members and their confirmations,
/// receipts, counts and figures; the next delivery continues the versions.
/// An allocation run of then (migration 27) is a record of its member's.
#[tokio::test]
async fn contributions_move_onto_the_record_layer_with_their_versions() {
    use coalesce_domain::needs::{ContributionRecordKind, DeliveryDraft};
    let (q, c1, c2) = (
        "01900000-0000-7000-8000-0000000003a1",
        "01900000-0000-7000-8000-0000000003c1",
        "01900000-0000-7000-8000-0000000003c2",
    );
    let run = "01900000-0000-7000-8000-0000000003f1";
    let (url, pool) = database_before(13).await;
    {
        let c1_snapshot = |status: &str, delivered: i64| {
            format!(
                r#"{{"id":"{c1}","origin":"USA","contributors":["USA"],"requirement_id":"{q}","line_of_effort":"humanitarian","category":"water","title":"Water trucks","description":"","measure":{{"kind":"quantity","amount":4,"unit":"truck"}},"place":{{"country":"IRQ","admin1":{{"name":"Baghdad","pcode":"IQG07"}},"town":"Baghdad","point":null}},"window":{{"start":"2014-10-01","end":"2015-03-31"}},"status":"{status}","delivered":{delivered},"marking":{{"tlp":"GREEN","rel_to":["COALITION"]}},"parties":[],"version":1,"created_at_ms":10,"created_by":"usa","updated_at_ms":10,"updated_by":"usa"}}"#
            )
        };
        let version = |vid: &str,
                       id: &str,
                       v: i64,
                       snap: String,
                       tlp: &str,
                       rel_to: &str,
                       at: i64| {
            format!("INSERT INTO contribution_versions (id, contribution_id, version, snapshot, tlp, rel_to, updated_at, updated_by) VALUES ('{vid}', '{id}', {v}, '{snap}', '{tlp}', '{rel_to}', {at}, 'w{v}')")
        };
        let audience = |id: &str, tokens: &[&str]| {
            let values: Vec<String> = tokens.iter().map(|t| format!("('{id}', '{t}')")).collect();
            format!(
                "INSERT INTO audience (subject_id, token) VALUES {}",
                values.join(", ")
            )
        };
        let statements = [
            "INSERT INTO members (code, name, kind, role, created_at) VALUES ('GBR', 'GBR', 'state', 'member', 0), ('USA', 'USA', 'state', 'member', 0), ('FRA', 'FRA', 'state', 'member', 0), ('DEU', 'DEU', 'state', 'member', 0), ('IRQ', 'IRQ', 'state', 'partner', 0)".to_string(),
            "INSERT INTO lines_of_effort (slug, name, position, created_at) VALUES ('humanitarian', 'Humanitarian', 1, 0)".to_string(),
            // q: IRQ's, released to USA only, in Baghdad.
            format!("INSERT INTO requirements (id, origin, requesting_member, line_of_effort, category, title, description, kind, amount, unit, \
                     country, admin1_name, admin1_pcode, town, lat_micro, lon_micro, window_start, window_end, priority, tlp, rel_to, version, revoked, \
                     created_at, created_by, updated_at, updated_by) VALUES ('{q}', 'IRQ', 'IRQ', 'humanitarian', 'water', 'Water', '', 'quantity', 10, 'truck', \
                     'IRQ', 'Baghdad', 'IQG07', 'Baghdad', NULL, NULL, '2014-10-01', '2015-03-31', 1, 'GREEN', '[\"USA\"]', 1, 0, 5, 'irq', 5, 'irq')"),
            audience(q, &["IRQ", "USA"]),
            // c1: USA's against q, released to the coalition, the place and
            // window copied in (as before migration 13); pledged, committed,
            // then one truck delivered (receipt confirmed by IRQ).
            format!("INSERT INTO contributions (id, origin, requirement_id, line_of_effort, category, title, description, kind, amount, unit, status, delivered, \
                     tlp, rel_to, version, created_at, created_by, updated_at, updated_by, country, admin1_name, admin1_pcode, town, lat_micro, lon_micro, \
                     window_start, window_end, parties) VALUES ('{c1}', 'USA', '{q}', 'humanitarian', 'water', 'Water trucks', '', 'quantity', 4, 'truck', \
                     'committed', 1, 'GREEN', '[\"COALITION\"]', 3, 10, 'usa', 30, 'w3', 'IRQ', 'Baghdad', 'IQG07', 'Baghdad', NULL, NULL, \
                     '2014-10-01', '2015-03-31', '[]')"),
            format!("INSERT INTO contribution_members (contribution_id, member_code) VALUES ('{c1}', 'USA')"),
            format!("INSERT INTO contribution_deliveries (id, contribution_id, seq, delivered_on, amount, evidence, recorded_at, recorded_by, received_at, received_by, received_member) \
                     VALUES ('01900000-0000-7000-8000-0000000003d1', '{c1}', 1, '2014-11-02', 1, 'Waybill 1', 30, 'usa', 40, 'irq', 'IRQ')"),
            audience(c1, &["USA", "COALITION"]),
            version("01900000-0000-7000-8000-0000000003b1", c1, 1, c1_snapshot("pledged", 0), "GREEN", "[\"COALITION\"]", 10),
            version("01900000-0000-7000-8000-0000000003b2", c1, 2, c1_snapshot("committed", 0), "GREEN", "[\"COALITION\"]", 20),
            version("01900000-0000-7000-8000-0000000003b3", c1, 3, c1_snapshot("committed", 1), "GREEN", "[\"COALITION\"]", 30),
            audience("01900000-0000-7000-8000-0000000003b1", &["USA", "COALITION"]),
            audience("01900000-0000-7000-8000-0000000003b2", &["USA", "COALITION"]),
            audience("01900000-0000-7000-8000-0000000003b3", &["USA", "COALITION"]),
            // c2: GBR's with DEU, standalone in Mosul, released to DEU; no
            // kept version (written before versions were kept).
            format!("INSERT INTO contributions (id, origin, requirement_id, line_of_effort, category, title, description, kind, amount, unit, status, delivered, \
                     tlp, rel_to, version, created_at, created_by, updated_at, updated_by, country, admin1_name, admin1_pcode, town, lat_micro, lon_micro, \
                     window_start, window_end, parties) VALUES ('{c2}', 'GBR', NULL, 'humanitarian', 'water', 'Tanks', '', 'quantity', 2, 'tank', \
                     'pledged', 0, 'AMBER', '[\"DEU\"]', 1, 50, 'gbr', 50, 'gbr', 'IRQ', NULL, NULL, 'Mosul', NULL, NULL, '2015-01-01', '2015-02-01', '[]')"),
            format!("INSERT INTO contribution_members (contribution_id, member_code) VALUES ('{c2}', 'GBR'), ('{c2}', 'DEU')"),
            audience(c2, &["GBR", "DEU"]),
            // A run of USA's (marked and given audience rows by 0014), its
            // one proposal accepted by USA's coordinator.
            format!("INSERT INTO allocation_runs (id, member, run_at, run_by, requirements, offers, compatible_pairs, requested, proposed, gaps, surplus) \
                     VALUES ('{run}', 'USA', 60, 'usa', 1, 1, 1, 10, 4, '[{{\"requirement\":\"{q}\",\"requested\":10,\"proposed\":4}}]', '[]')"),
            format!("INSERT INTO allocation_proposals (id, run_id, seq, contribution_id, requirement_id, amount, explanation, status, decided_at, decided_by) \
                     VALUES ('01900000-0000-7000-8000-0000000003e1', '{run}', 1, '{c1}', '{q}', 4, 'same category', 'accepted', 70, 'usa')"),
        ];
        for sql in &statements {
            sqlx::raw_sql(sql).execute(&pool).await.expect(sql);
        }
        pool.close().await;
    }
    let store = Store::open(&url).await.expect("migrated");
    let (gbr, usa, fra, deu, irq) = (who("GBR"), who("USA"), who("FRA"), who("DEU"), who("IRQ"));
    // The run is a record of USA's with one version; its proposal keeps
    // the decision made on it.
    let coordinator = crate::Principal {
        role: coalesce_domain::Role::Coordinator,
        ..usa.clone()
    };
    let kept = store
        .get_allocation_run(&coordinator, run)
        .await
        .expect("USA's run");
    assert_eq!((kept.requirements, kept.proposed), (1, 4));
    let versions = store
        .record_versions::<coalesce_domain::allocation_run::AllocationRunKind>(&usa, run)
        .await
        .expect("versions");
    assert_eq!(
        versions
            .iter()
            .map(|v| (v.version, v.body.proposals.len(), v.author.as_str()))
            .collect::<Vec<_>>(),
        [(1, 1, "usa")]
    );
    assert!(matches!(
        store.get_allocation_run(&fra, run).await,
        Err(StoreError::NotFound)
    ));
    let proposals = store
        .list_proposals(&coordinator, Some(run), false)
        .await
        .expect("proposals");
    assert_eq!(
        proposals
            .iter()
            .map(|x| (x.seq, x.status.as_str(), x.decided_by.as_deref()))
            .collect::<Vec<_>>(),
        [(1, "accepted", Some("usa"))]
    );
    let seen = store
        .get_contribution(&fra, c1)
        .await
        .expect("FRA reads c1");
    assert_eq!((seen.place.clone(), seen.window.clone()), (None, None));
    assert!(seen.place_from_requirement && seen.window_from_requirement);
    assert_eq!(
        (seen.version, seen.delivered, seen.status.as_str()),
        (3, 1, "committed")
    );
    let versions = store
        .contribution_versions(&fra, c1)
        .await
        .expect("versions");
    assert_eq!(
        versions
            .iter()
            .map(|v| (
                v.version,
                v.snapshot["status"].as_str().unwrap_or("?").to_string(),
                v.snapshot["delivered"].as_i64().unwrap_or(-1)
            ))
            .collect::<Vec<_>>(),
        [
            (1, "pledged".into(), 0),
            (2, "committed".into(), 0),
            (3, "committed".into(), 1)
        ]
    );
    for v in &versions {
        let text = v.snapshot.to_string();
        assert!(
            !text.contains("Baghdad") && !text.contains("2014-10-01"),
            "{text}"
        );
    }
    let kept: Vec<usize> = store
        .record_versions::<ContributionRecordKind>(&usa, c1)
        .await
        .expect("layer versions")
        .iter()
        .map(|v| v.body.deliveries.len())
        .collect();
    assert_eq!(kept, [0, 0, 1]);
    let usa_sees = store
        .get_contribution(&usa, c1)
        .await
        .expect("USA reads c1");
    assert_eq!(
        usa_sees.place.and_then(|p| p.town).as_deref(),
        Some("Baghdad")
    );
    let d = store
        .contribution_deliveries(&irq, c1)
        .await
        .expect("deliveries");
    assert_eq!((d.len(), d[0].received_member.as_deref()), (1, Some("IRQ")));
    let joint = store
        .get_contribution(&deu, c2)
        .await
        .expect("DEU reads c2");
    assert_eq!(joint.contributors, ["DEU", "GBR"]);
    assert_eq!(joint.place.and_then(|p| p.town).as_deref(), Some("Mosul"));
    assert!(matches!(
        store.get_contribution(&fra, c2).await,
        Err(StoreError::NotFound)
    ));
    for (p, n) in [(&gbr, 2), (&deu, 2), (&usa, 1), (&fra, 1), (&irq, 1)] {
        assert_eq!(
            store
                .count_contributions(p, &crate::needs::ContributionFilter::default())
                .await
                .expect("count"),
            n,
            "{}",
            p.member
        );
    }
    // The figures, computed after every migration: FRA counts c1 under no
    // country (it may not read the requirement), USA under IRQ.
    let by_country = |p: crate::Principal| {
        let store = store.clone();
        async move {
            store
                .contribution_totals(
                    &p,
                    &crate::needs::ContributionFilter::default(),
                    crate::picture::Dimension::Country,
                )
                .await
                .expect("totals")
                .into_iter()
                .map(|t| (t.key, t.contributions))
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(by_country(fra.clone()).await, [(String::new(), 1)]);
    assert_eq!(by_country(usa.clone()).await, [("IRQ".to_string(), 1)]);
    for table in [
        "legacy_contribution_versions",
        "legacy_requirement_versions",
    ] {
        assert!(sqlx::query(&format!("SELECT 1 FROM {table}"))
            .fetch_all(store.pool())
            .await
            .is_err());
    }
    let (old_audience,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM audience WHERE subject_id LIKE '01900000-0000-7000-8000-0000000003b%'",
    )
    .fetch_one(store.pool())
    .await
    .expect("audience");
    assert_eq!(old_audience, 0);
    // The next delivery continues the versions and the deliveries; the
    // receipt of the first stands.
    let next = store
        .deliver_contribution(
            &usa,
            c1,
            &DeliveryDraft::parse("2014-11-20", 2, "Waybill 2").expect("d"),
        )
        .await
        .expect("deliver");
    assert_eq!((next.version, next.delivered), (4, 3));
    let d = store
        .contribution_deliveries(&irq, c1)
        .await
        .expect("deliveries");
    assert_eq!(
        d.iter()
            .map(|d| (d.seq, d.received_member.is_some()))
            .collect::<Vec<_>>(),
        [(1, true), (2, false)]
    );
    store.confirm_receipt(&irq, c1, 2).await.expect("receipt");
}
