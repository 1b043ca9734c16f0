//! The migrations as an older coalesce left a database: each moved kind
//! read back the same, on SQLite and PostgreSQL (requirements and
//! contributions in `needs.rs`).

use super::*;

/// A contributor of member `m` (the databases here have no users).
fn who(m: &str) -> crate::Principal {
    crate::Principal {
        user_id: String::new(),
        username: coalesce_domain::Username::parse(&m.to_lowercase()).expect("u"),
        member: coalesce_domain::MemberCode::parse(m).expect("m"),
        role: coalesce_domain::Role::Contributor,
    }
}

/// A fresh database with the migrations before `version` applied as
/// they were, and a pool on it: what a node written by an older
/// coalesce holds. Returns its URL and the pool.
async fn database_before(version: i64) -> (String, sqlx::AnyPool) {
    let url = crate::testing::fresh_database_url().await.expect("url");
    sqlx::any::install_default_drivers();
    let postgres = url.starts_with("postgres");
    let pool_url = if postgres {
        url.clone()
    } else {
        format!("{url}?mode=rwc")
    };
    let pool = sqlx::AnyPool::connect(&pool_url).await.expect("pool");
    sqlx::raw_sql("CREATE TABLE schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)")
        .execute(&pool)
        .await
        .expect("table");
    for m in if postgres { POSTGRES } else { SQLITE }
        .iter()
        .filter(|m| m.version < version)
    {
        sqlx::raw_sql(m.sql).execute(&pool).await.expect(m.name);
        sqlx::query("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, 0)")
            .bind(m.version)
            .bind(m.name)
            .execute(&pool)
            .await
            .expect("applied");
    }
    (url, pool)
}

/// Notes written before the record layer (migration 18) and indicator
/// values (19) are the same records after it: fields, versions with their own markings, who may
/// read and count them, and their withdrawal.
#[tokio::test]
async fn notes_and_indicator_values_move_onto_the_record_layer_unchanged() {
    let (url, pool) = database_before(18).await;
    {
        let n1 = "01900000-0000-7000-8000-000000000001";
        let n2 = "01900000-0000-7000-8000-000000000002";
        for sql in [
            "INSERT INTO members (code, name, kind, role, created_at) VALUES ('GBR', 'GBR', 'state', 'member', 0), ('USA', 'USA', 'state', 'member', 0), ('FRA', 'FRA', 'state', 'member', 0)",
            "INSERT INTO coalition_groups (slug, name, kind, created_at) VALUES ('core', 'Core', 'small_group', 0)",
            // n1: GBR, released to USA at version 1, widened to FRA at 2.
            "INSERT INTO notes (id, origin, title, body, tlp, rel_to, group_slug, version, revoked, created_at, created_by, updated_at, updated_by) VALUES ('01900000-0000-7000-8000-000000000001', 'GBR', 'Amerli \"drop\"', 'Line one
عربي', 'AMBER', '[\"USA\",\"FRA\"]', 'core', 2, 0, 10, 'gbr', 20, 'gbr')",
            "INSERT INTO note_versions (id, note_id, version, title, body, tlp, rel_to, group_slug, revoked, updated_at, updated_by) VALUES ('01900000-0000-7000-8000-0000000000a1', '01900000-0000-7000-8000-000000000001', 1, 'Amerli', 'Line one', 'AMBER', '[\"USA\"]', 'core', 0, 10, 'gbr')",
            "INSERT INTO note_versions (id, note_id, version, title, body, tlp, rel_to, group_slug, revoked, updated_at, updated_by) VALUES ('01900000-0000-7000-8000-0000000000a2', '01900000-0000-7000-8000-000000000001', 2, 'Amerli \"drop\"', 'Line one
عربي', 'AMBER', '[\"USA\",\"FRA\"]', 'core', 0, 20, 'gbr')",
            "INSERT INTO audience (subject_id, token) VALUES ('01900000-0000-7000-8000-000000000001', 'GBR'), ('01900000-0000-7000-8000-000000000001', 'USA'), ('01900000-0000-7000-8000-000000000001', 'FRA')",
            "INSERT INTO audience (subject_id, token) VALUES ('01900000-0000-7000-8000-0000000000a1', 'GBR'), ('01900000-0000-7000-8000-0000000000a1', 'USA')",
            "INSERT INTO audience (subject_id, token) VALUES ('01900000-0000-7000-8000-0000000000a2', 'GBR'), ('01900000-0000-7000-8000-0000000000a2', 'USA'), ('01900000-0000-7000-8000-0000000000a2', 'FRA')",
            // n2: a withdrawn USA note, for USA alone.
            "INSERT INTO notes (id, origin, title, body, tlp, rel_to, group_slug, version, revoked, created_at, created_by, updated_at, updated_by) VALUES ('01900000-0000-7000-8000-000000000002', 'USA', 'Gone', '', 'GREEN', '[]', NULL, 2, 1, 30, 'usa', 40, 'usa')",
            "INSERT INTO audience (subject_id, token) VALUES ('01900000-0000-7000-8000-000000000002', 'USA')",
            // The counts version 17 kept (migration 12): the same after 18.
            "INSERT INTO reader_counts (kind, reader, n) VALUES ('note', 'GBR', 1), ('note', 'USA', 1), ('note', 'FRA', 1)",
            // Indicator values (migration 19): a live GBR value released
            // to USA, a withdrawn USA value for USA alone.
            "INSERT INTO indicators (slug, name, description, unit, line_of_effort, direction, aggregation, baseline, baseline_date, targets, updated_at, updated_by) VALUES ('returned-home', 'Returned home', '', 'people', NULL, 'increase', 'sum', 0, NULL, '[]', 0, 'coord')",
            "INSERT INTO indicator_values (id, indicator, origin, observed_on, value, note, tlp, rel_to, withdrawn, recorded_at, recorded_by) VALUES ('01900000-0000-7000-8000-0000000000b1', 'returned-home', 'GBR', '2016-06-30', 0.1, 'IOM \"DTM\"', 'AMBER', '[\"USA\"]', 0, 50, 'gbr')",
            "INSERT INTO audience (subject_id, token) VALUES ('01900000-0000-7000-8000-0000000000b1', 'GBR'), ('01900000-0000-7000-8000-0000000000b1', 'USA')",
            "INSERT INTO indicator_values (id, indicator, origin, observed_on, value, note, tlp, rel_to, withdrawn, recorded_at, recorded_by) VALUES ('01900000-0000-7000-8000-0000000000b2', 'returned-home', 'USA', '2016-07-31', 1e15, '', 'GREEN', '[]', 1, 60, 'usa')",
            "INSERT INTO audience (subject_id, token) VALUES ('01900000-0000-7000-8000-0000000000b2', 'USA')",
            // Relationships (migration 20): two GBR entities, one for
            // GBR alone; a COALITION relationship between them.
            "INSERT INTO entities (id, origin, kind, name, aliases, birth_date, nationality, documents, imo, mmsi, flag, tlp, rel_to, version, withdrawn, created_at, created_by, updated_at, updated_by) VALUES ('01900000-0000-7000-8000-0000000000c1', 'GBR', 'person', 'Abu Yu\u{200b}suf Hamdani', '[]', NULL, NULL, '[]', NULL, NULL, NULL, 'GREEN', '[\"COALITION\"]', 1, 0, 70, 'gbr', 70, 'gbr'), ('01900000-0000-7000-8000-0000000000c2', 'GBR', 'person', 'B', '[]', NULL, NULL, '[]', NULL, NULL, NULL, 'AMBER', '[]', 1, 0, 70, 'gbr', 70, 'gbr')",
            "INSERT INTO audience (subject_id, token) VALUES ('01900000-0000-7000-8000-0000000000c1', 'GBR'), ('01900000-0000-7000-8000-0000000000c1', 'COALITION'), ('01900000-0000-7000-8000-0000000000c2', 'GBR')",
            "INSERT INTO relationships (id, origin, from_entity, to_entity, kind, note, tlp, rel_to, created_at, created_by) VALUES ('01900000-0000-7000-8000-0000000000d1', 'GBR', '01900000-0000-7000-8000-0000000000c1', '01900000-0000-7000-8000-0000000000c2', 'travelled-with', 'same \"bus\"', 'GREEN', '[\"COALITION\"]', 80, 'gbr')",
            "INSERT INTO audience (subject_id, token) VALUES ('01900000-0000-7000-8000-0000000000d1', 'GBR'), ('01900000-0000-7000-8000-0000000000d1', 'COALITION')",
            // A screening decision of GBR (migration 21).
            "INSERT INTO screening_decisions (id, member, party, party_key, entity_id, entry_hash, decision, reason, decided_at, decided_by, party_birth_date, party_nationality) VALUES ('01900000-0000-7000-8000-0000000000e1', 'GBR', 'Ali  HASSAN', 'ali hassan', 'un:QDi.1', 'h1', 'false_positive', 'other father', 90, 'gbr', NULL, 'Iraqi')",
        ] {
            sqlx::raw_sql(sql).execute(&pool).await.expect(sql);
        }
        let _ = (n1, n2);
        pool.close().await;
    }
    let store = Store::open(&url).await.expect("migrated");
    let fra = who("FRA");
    let note = store
        .get_note(&fra, "01900000-0000-7000-8000-000000000001")
        .await
        .expect("FRA reads n1");
    assert_eq!(note.title, "Amerli \"drop\"");
    assert_eq!(note.body, "Line one\nعربي");
    assert_eq!(note.group.as_deref(), Some("core"));
    assert_eq!(
        (
            note.version,
            note.revoked,
            note.created_at_ms,
            note.updated_at_ms
        ),
        (2, false, 10, 20)
    );
    // FRA reads only the version released to it; USA reads both.
    let versions = store
        .note_versions(&fra, "01900000-0000-7000-8000-000000000001")
        .await
        .expect("versions");
    assert_eq!(
        versions.iter().map(|v| v.version).collect::<Vec<_>>(),
        vec![2]
    );
    let usa = who("USA");
    let versions = store
        .note_versions(&usa, "01900000-0000-7000-8000-000000000001")
        .await
        .expect("versions");
    assert_eq!(
        versions.iter().map(|v| v.version).collect::<Vec<_>>(),
        vec![1, 2]
    );
    assert_eq!(versions[0].title, "Amerli");
    assert_eq!(store.count_notes(&fra).await.expect("count"), 1);
    assert_eq!(
        store.count_notes(&usa).await.expect("count"),
        1,
        "the withdrawn note is not counted"
    );
    assert!(
        store
            .get_note(&usa, "01900000-0000-7000-8000-000000000002")
            .await
            .expect("USA reads n2")
            .revoked
    );
    // The next version written continues both the versions and the seq.
    let gbr = who("GBR");
    let draft = coalesce_domain::note::NoteDraft::parse("Amerli", "", note.marking.clone(), None)
        .expect("draft");
    let changed = store
        .update_note(&gbr, &note.id, &draft, Some(2))
        .await
        .expect("change");
    assert_eq!(changed.version, 3);

    // Indicator values: the same values, readers, counts; the
    // withdrawn one withdrawn by a kept version; bodies canonical.
    use coalesce_domain::indicators::{IndicatorValueKind, ValueBody};
    let (b1, b2) = (
        "01900000-0000-7000-8000-0000000000b1",
        "01900000-0000-7000-8000-0000000000b2",
    );
    let v = store
        .get_indicator_value(&usa, b1)
        .await
        .expect("USA reads b1");
    assert_eq!(
        (
            v.origin.as_str(),
            v.value,
            v.note.as_str(),
            v.recorded_at_ms
        ),
        ("GBR", 0.1, "IOM \"DTM\"", 50)
    );
    assert!(matches!(
        store.get_indicator_value(&fra, b1).await,
        Err(StoreError::NotFound)
    ));
    for (p, n) in [(&gbr, 1), (&usa, 1), (&fra, 0)] {
        let page = store
            .list_indicator_values(p, "returned-home", None, 10)
            .await
            .expect("list");
        assert_eq!(page.items.len(), n, "{}", p.member);
        assert_eq!(
            store
                .count_records::<IndicatorValueKind>(p)
                .await
                .expect("count"),
            n as i64
        );
    }
    let versions = store
        .record_versions::<IndicatorValueKind>(&usa, b2)
        .await
        .expect("versions");
    assert_eq!(
        versions
            .iter()
            .map(|v| (v.version, v.status.as_str(), v.body.value))
            .collect::<Vec<_>>(),
        vec![(1, "live", 1e15), (2, "withdrawn", 1e15)]
    );
    let bodies: Vec<(String,)> = sqlx::query_as(
        "SELECT v.body FROM record_versions v JOIN records r ON r.id = v.record_id WHERE r.kind = 'indicator_value' \
         UNION ALL SELECT body FROM records WHERE kind = 'indicator_value'",
    )
    .fetch_all(store.pool())
    .await
    .expect("bodies");
    assert_eq!(bodies.len(), 5);
    for (b,) in bodies {
        let parsed: ValueBody = serde_json::from_str(&b).expect("body");
        assert_eq!(
            coalesce_domain::record::canonical_json(&parsed).expect("json"),
            b
        );
    }
    // A later change continues the value's versions.
    let changed = store
        .change_record::<IndicatorValueKind>(
            &gbr,
            b1,
            ValueBody {
                value: 0.2,
                ..v_body(&v)
            },
            v.marking.clone(),
            Some(1),
        )
        .await
        .expect("change");
    assert_eq!(changed.version, 2);

    // Relationships: the same relationship, shown to GBR (who reads
    // both ends) and to nobody else (B is GBR's alone); versioned on.
    use coalesce_domain::relationship::{RelationshipKind, RelationshipType};
    let (c1, d1) = (
        "01900000-0000-7000-8000-0000000000c1",
        "01900000-0000-7000-8000-0000000000d1",
    );
    let rels = store.relationships_of(&gbr, c1).await.expect("GBR's");
    assert_eq!(rels.len(), 1);
    assert_eq!(
        (
            rels[0].id.as_str(),
            rels[0].body.relationship_type,
            rels[0].body.note.as_str(),
            rels[0].created_at_ms
        ),
        (d1, RelationshipType::TravelledWith, "same \"bus\"", 80)
    );
    assert!(store
        .relationships_of(&usa, c1)
        .await
        .expect("USA reads A")
        .is_empty());
    assert!(matches!(
        store.get_record::<RelationshipKind>(&usa, d1).await,
        Err(StoreError::NotFound)
    ));
    let gone = store
        .withdraw_record::<RelationshipKind>(&gbr, d1, Some(1))
        .await
        .expect("withdraw");
    assert_eq!(gone.version, 2);
    assert!(store
        .relationships_of(&gbr, c1)
        .await
        .expect("GBR's")
        .is_empty());

    // Entities written before migration 22 are indexed with their names
    // folded: the invisible character no longer splits the word.
    let hits = store
        .search(
            &usa,
            "Yusuf Hamdani",
            &crate::search::SearchFilter::default(),
            10,
        )
        .await
        .expect("search");
    assert_eq!(hits.iter().map(|h| h.id.as_str()).collect::<Vec<_>>(), [c1]);

    // The screening decision: GBR's alone, found by its party's key.
    let pairs = [("ALI hassan".to_string(), "un:QDi.1".to_string())];
    let found = store
        .screening_decisions_for(&gbr, &pairs)
        .await
        .expect("GBR's decisions");
    assert_eq!(found.len(), 1);
    assert_eq!(
        (
            found[0].party.as_str(),
            found[0].decision,
            found[0].birth_date.clone(),
            found[0].nationality.as_deref(),
            found[0].decided_at_ms
        ),
        (
            "Ali  HASSAN",
            crate::screening::DecisionKind::FalsePositive,
            None,
            Some("Iraqi"),
            90
        )
    );
    assert!(store
        .screening_decisions_for(&usa, &pairs)
        .await
        .expect("USA's")
        .is_empty());
}

/// Entities written before migration 23 are the same records on the
/// layer: every kept version under the marking it had, the withdrawn
/// one withdrawn by a version of its own, the same readers and counts,
/// the old tables and the old versions' audience rows gone, and their
/// TAXII objects in the layer's one form.
#[tokio::test]
async fn entities_move_onto_the_record_layer_with_their_versions() {
    use coalesce_domain::entity::EntityRecordKind;
    let (e1, e2) = (
        "01900000-0000-7000-8000-0000000000f1",
        "01900000-0000-7000-8000-0000000000f2",
    );
    let (url, pool) = database_before(23).await;
    {
        let snapshot = |name: &str, aliases: &str| {
            format!(
                r#"{{"id":"{e1}","origin":"GBR","kind":"person","name":"{name}","aliases":{aliases},"birth_date":"1980","nationality":"IRQ","documents":[],"imo":null,"mmsi":null,"flag":null,"marking":{{"tlp":"AMBER","rel_to":[]}},"version":1,"created_at_ms":10,"created_by":"gbr","updated_at_ms":10,"updated_by":"gbr"}}"#
            )
        };
        let statements = [
            "INSERT INTO members (code, name, kind, role, created_at) VALUES ('GBR', 'GBR', 'state', 'member', 0), ('USA', 'USA', 'state', 'member', 0), ('FRA', 'FRA', 'state', 'member', 0)".to_string(),
            // e1: GBR's, released to USA at version 1, widened to FRA at 2.
            format!("INSERT INTO entities (id, origin, kind, name, aliases, birth_date, nationality, documents, imo, mmsi, flag, tlp, rel_to, version, withdrawn, created_at, created_by, updated_at, updated_by) VALUES ('{e1}', 'GBR', 'person', 'Abu Bakr Example', '[\"Abu B\"]', '1980', 'IRQ', '[]', NULL, NULL, NULL, 'AMBER', '[\"USA\",\"FRA\"]', 2, 0, 10, 'gbr', 20, 'gbr2')"),
            format!("INSERT INTO entity_versions (id, entity_id, version, snapshot, tlp, rel_to, updated_at, updated_by) VALUES ('01900000-0000-7000-8000-0000000000a1', '{e1}', 1, '{}', 'AMBER', '[\"USA\"]', 10, 'gbr')", snapshot("Abu Bakr", "[]")),
            format!("INSERT INTO entity_versions (id, entity_id, version, snapshot, tlp, rel_to, updated_at, updated_by) VALUES ('01900000-0000-7000-8000-0000000000a2', '{e1}', 2, '{}', 'AMBER', '[\"USA\",\"FRA\"]', 20, 'gbr2')", snapshot("Abu Bakr Example", r#"["Abu B"]"#)),
            format!("INSERT INTO audience (subject_id, token) VALUES ('{e1}', 'GBR'), ('{e1}', 'USA'), ('{e1}', 'FRA')"),
            "INSERT INTO audience (subject_id, token) VALUES ('01900000-0000-7000-8000-0000000000a1', 'GBR'), ('01900000-0000-7000-8000-0000000000a1', 'USA')".to_string(),
            "INSERT INTO audience (subject_id, token) VALUES ('01900000-0000-7000-8000-0000000000a2', 'GBR'), ('01900000-0000-7000-8000-0000000000a2', 'USA'), ('01900000-0000-7000-8000-0000000000a2', 'FRA')".to_string(),
            format!("INSERT INTO entity_keys (key, entity_id) VALUES ('n:abu', '{e1}')"),
            // e2: a withdrawn USA vessel, for USA alone, with no kept version.
            format!("INSERT INTO entities (id, origin, kind, name, aliases, birth_date, nationality, documents, imo, mmsi, flag, tlp, rel_to, version, withdrawn, created_at, created_by, updated_at, updated_by) VALUES ('{e2}', 'USA', 'vessel', 'Sea Star', '[]', NULL, NULL, '[]', '9074729', NULL, 'PAN', 'GREEN', '[]', 1, 1, 30, 'usa', 30, 'usa')"),
            format!("INSERT INTO audience (subject_id, token) VALUES ('{e2}', 'USA')"),
            "INSERT INTO reader_counts (kind, reader, n) VALUES ('entity', 'GBR', 1), ('entity', 'USA', 1), ('entity', 'FRA', 1)".to_string(),
        ];
        for sql in &statements {
            sqlx::raw_sql(sql).execute(&pool).await.expect(sql);
        }
        pool.close().await;
    }
    let store = Store::open(&url).await.expect("migrated");
    let (gbr, usa, fra) = (who("GBR"), who("USA"), who("FRA"));
    let e = store.get_entity(&fra, e1).await.expect("FRA reads e1");
    assert_eq!(
        (
            e.name.as_str(),
            e.aliases.clone(),
            e.version,
            e.created_at_ms,
            e.updated_at_ms,
            e.updated_by.as_str()
        ),
        (
            "Abu Bakr Example",
            vec!["Abu B".to_string()],
            2,
            10,
            20,
            "gbr2"
        )
    );
    let kept = |p: &crate::Principal, id: &'static str| {
        let store = &store;
        let p = p.clone();
        async move {
            store
                .record_versions::<EntityRecordKind>(&p, id)
                .await
                .expect("versions")
                .into_iter()
                .map(|v| (v.version, v.status.as_str(), v.body.name, v.author))
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(
        kept(&fra, e1).await,
        [(2, "live", "Abu Bakr Example".into(), "gbr2".into())]
    );
    assert_eq!(
        kept(&usa, e1).await,
        [
            (1, "live", "Abu Bakr".into(), "gbr".into()),
            (2, "live", "Abu Bakr Example".into(), "gbr2".into())
        ]
    );
    assert!(matches!(
        store.get_entity(&usa, e2).await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(
        kept(&usa, e2).await,
        [
            (1, "live", "Sea Star".into(), "usa".into()),
            (2, "withdrawn", "Sea Star".into(), "usa".into())
        ]
    );
    assert!(matches!(
        store.record_versions::<EntityRecordKind>(&gbr, e2).await,
        Err(StoreError::NotFound)
    ));
    for p in [&gbr, &usa, &fra] {
        assert_eq!(
            store.count_entities(p).await.expect("count"),
            1,
            "{}",
            p.member
        );
    }
    let (old_audience,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM audience WHERE subject_id IN ('01900000-0000-7000-8000-0000000000a1', '01900000-0000-7000-8000-0000000000a2')",
    )
    .fetch_one(store.pool())
    .await
    .expect("audience");
    assert_eq!(old_audience, 0);
    assert!(sqlx::query("SELECT 1 FROM legacy_entities")
        .fetch_all(store.pool())
        .await
        .is_err());
    // Its TAXII object is the layer's form, naming its record and version.
    let (stix,): (String,) =
        sqlx::query_as("SELECT body FROM stix_objects WHERE source = $1 AND is_latest = 1")
            .bind(format!("entity:{e1}"))
            .fetch_one(store.pool())
            .await
            .expect("projected");
    assert!(stix.contains(&format!(r#""record_id":"{e1}""#)), "{stix}");
    assert!(stix.contains(r#""version":2"#), "{stix}");
    // The next version continues the kept ones; the kind does not change.
    let mut d = e.body();
    d.name = "Abu Bakr al-Example".into();
    let changed = store
        .change_record::<EntityRecordKind>(&gbr, e1, d.clone(), e.marking.clone(), Some(2))
        .await
        .expect("change");
    assert_eq!(changed.version, 3);
    d.kind = coalesce_domain::reports::EntityKind::Organisation;
    d.birth_date = None;
    assert!(matches!(
        store
            .change_record::<EntityRecordKind>(&gbr, e1, d, e.marking.clone(), Some(3))
            .await,
        Err(StoreError::Conflict(_))
    ));
}

/// Reports written before migration 24 are the same records on the
/// layer: every kept version under the marking it had, the kept
/// withdrawal version as the withdrawal (no second one made), the same
/// readers, counts and search, and their links only to entities the
/// reader may read.
#[tokio::test]
async fn reports_move_onto_the_record_layer_with_their_versions() {
    use coalesce_domain::report_record::ReportRecordKind;
    let (r1, r2) = (
        "01900000-0000-7000-8000-0000000001a1",
        "01900000-0000-7000-8000-0000000001a2",
    );
    let hidden_entity = "01900000-0000-7000-8000-0000000001e1";
    let (url, pool) = database_before(24).await;
    {
        let snapshot = |id: &str, title: &str, version: i64, withdrawn: bool| {
            format!(
                r#"{{"id":"{id}","origin":"GBR","kind":"situation-report","title":"{title}","body":"Seen near Hit","line_of_effort":null,"occurred_on":"2016-03-01","marking":{{"tlp":"AMBER","rel_to":[]}},"entities":[{{"entity_id":"{hidden_entity}","role":"subject"}}],"details":{{}},"version":{version},"withdrawn":{withdrawn},"created_at_ms":10,"created_by":"gbr","updated_at_ms":10,"updated_by":"gbr"}}"#
            )
        };
        let statements = [
            "INSERT INTO members (code, name, kind, role, created_at) VALUES ('GBR', 'GBR', 'state', 'member', 0), ('USA', 'USA', 'state', 'member', 0), ('FRA', 'FRA', 'state', 'member', 0)".to_string(),
            // r1: GBR's, released to USA at version 1, widened to FRA at 2,
            // linking an entity nobody here may read.
            format!("INSERT INTO reports (id, origin, kind, title, body, line_of_effort, occurred_on, tlp, rel_to, version, withdrawn, created_at, created_by, updated_at, updated_by, details) VALUES ('{r1}', 'GBR', 'situation-report', 'Convoy sighted near Hit', 'Seen near Hit', NULL, '2016-03-01', 'AMBER', '[\"USA\",\"FRA\"]', 2, 0, 10, 'gbr', 20, 'gbr2', '{{}}')"),
            format!("INSERT INTO report_versions (id, report_id, version, snapshot, tlp, rel_to, updated_at, updated_by) VALUES ('01900000-0000-7000-8000-0000000001b1', '{r1}', 1, '{}', 'AMBER', '[\"USA\"]', 10, 'gbr')", snapshot(r1, "Convoy", 1, false)),
            format!("INSERT INTO report_versions (id, report_id, version, snapshot, tlp, rel_to, updated_at, updated_by) VALUES ('01900000-0000-7000-8000-0000000001b2', '{r1}', 2, '{}', 'AMBER', '[\"USA\",\"FRA\"]', 20, 'gbr2')", snapshot(r1, "Convoy sighted near Hit", 2, false)),
            format!("INSERT INTO report_entities (report_id, entity_id, role) VALUES ('{r1}', '{hidden_entity}', 'subject')"),
            format!("INSERT INTO audience (subject_id, token) VALUES ('{r1}', 'GBR'), ('{r1}', 'USA'), ('{r1}', 'FRA')"),
            "INSERT INTO audience (subject_id, token) VALUES ('01900000-0000-7000-8000-0000000001b1', 'GBR'), ('01900000-0000-7000-8000-0000000001b1', 'USA')".to_string(),
            "INSERT INTO audience (subject_id, token) VALUES ('01900000-0000-7000-8000-0000000001b2', 'GBR'), ('01900000-0000-7000-8000-0000000001b2', 'USA'), ('01900000-0000-7000-8000-0000000001b2', 'FRA')".to_string(),
            // r2: USA's, withdrawn, the withdrawal kept as version 2.
            format!("INSERT INTO reports (id, origin, kind, title, body, line_of_effort, occurred_on, tlp, rel_to, version, withdrawn, created_at, created_by, updated_at, updated_by, details) VALUES ('{r2}', 'USA', 'situation-report', 'Gone', 'Seen near Hit', NULL, '2016-03-01', 'GREEN', '[]', 2, 1, 30, 'usa', 40, 'usa', '{{}}')"),
            format!("INSERT INTO report_versions (id, report_id, version, snapshot, tlp, rel_to, updated_at, updated_by) VALUES ('01900000-0000-7000-8000-0000000001b3', '{r2}', 1, '{}', 'GREEN', '[]', 30, 'usa')", snapshot(r2, "Gone", 1, false)),
            format!("INSERT INTO report_versions (id, report_id, version, snapshot, tlp, rel_to, updated_at, updated_by) VALUES ('01900000-0000-7000-8000-0000000001b4', '{r2}', 2, '{}', 'GREEN', '[]', 40, 'usa')", snapshot(r2, "Gone", 2, true)),
            format!("INSERT INTO audience (subject_id, token) VALUES ('{r2}', 'USA')"),
            "INSERT INTO reader_counts (kind, reader, n) VALUES ('report', 'GBR', 1), ('report', 'USA', 1), ('report', 'FRA', 1)".to_string(),
        ];
        for sql in &statements {
            sqlx::raw_sql(sql).execute(&pool).await.expect(sql);
        }
        pool.close().await;
    }
    let store = Store::open(&url).await.expect("migrated");
    let (gbr, usa, fra) = (who("GBR"), who("USA"), who("FRA"));
    let r = store.get_report(&fra, r1).await.expect("FRA reads r1");
    assert_eq!(
        (
            r.title.as_str(),
            r.version,
            r.created_at_ms,
            r.updated_at_ms
        ),
        ("Convoy sighted near Hit", 2, 10, 20)
    );
    assert!(
        r.entities.is_empty(),
        "the hidden entity's link is not shown"
    );
    let titles = |vs: Vec<crate::needs::RecordVersion>| {
        vs.into_iter()
            .map(|v| {
                (
                    v.version,
                    v.snapshot["title"].as_str().unwrap_or("").to_string(),
                    v.snapshot["entities"].clone(),
                )
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(
        titles(store.report_versions(&usa, r1).await.expect("versions")),
        [
            (1, "Convoy".to_string(), serde_json::json!([])),
            (
                2,
                "Convoy sighted near Hit".to_string(),
                serde_json::json!([])
            )
        ]
    );
    assert_eq!(
        titles(store.report_versions(&fra, r1).await.expect("versions"))
            .into_iter()
            .map(|v| v.0)
            .collect::<Vec<_>>(),
        [2]
    );
    assert!(matches!(
        store.get_report(&usa, r2).await,
        Err(StoreError::NotFound)
    ));
    let kept: Vec<(i64, &str)> = store
        .record_versions::<ReportRecordKind>(&usa, r2)
        .await
        .expect("versions")
        .iter()
        .map(|v| (v.version, v.status.as_str()))
        .collect();
    assert_eq!(kept, [(1, "live"), (2, "withdrawn")]);
    for p in [&gbr, &usa, &fra] {
        // r1 for all three; r2, USA's, withdrawn.
        assert_eq!(
            store.count_reports(p).await.expect("count"),
            1,
            "{}",
            p.member
        );
    }
    let hits = store
        .search(&fra, "convoy", &crate::search::SearchFilter::default(), 10)
        .await
        .expect("search");
    assert_eq!(hits.iter().map(|h| h.id.as_str()).collect::<Vec<_>>(), [r1]);
    assert!(sqlx::query("SELECT 1 FROM legacy_reports")
        .fetch_all(store.pool())
        .await
        .is_err());
    let (old_audience,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM audience WHERE subject_id LIKE '01900000-0000-7000-8000-0000000001b%'",
    )
    .fetch_one(store.pool())
    .await
    .expect("audience");
    assert_eq!(old_audience, 0);
    // The next change continues the kept versions; the link it kept
    // (which its writer may not read either) is dropped by the writer's
    // draft, as before.
    let d = coalesce_domain::reports::ReportDraft::parse(
        "situation-report",
        "Convoy sighted near Hit, again",
        "",
        None,
        None,
        r.marking.clone(),
        &[],
    )
    .expect("draft");
    let changed = store
        .update_report(&gbr, r1, &d, Some(2))
        .await
        .expect("change");
    assert_eq!(changed.version, 3);
}

/// STIX objects held before ids were kept per origin (migration 28): the
/// same versions, first and latest, read back the same, and each id is
/// claimed by its one origin from its first version on.
#[tokio::test]
async fn stix_objects_keep_their_versions_when_ids_go_per_origin() {
    let (url, pool) = database_before(28).await;
    let row = |seq: i64, version_us: i64, latest: i64, first: i64, subject: &str| {
        format!(
            "INSERT INTO stix_objects (seq, subject_id, stix_id, object_type, spec_version, version, version_us, \
             date_added, origin, tlp, rel_to, source, is_latest, is_first, body) VALUES ({seq}, '{subject}', \
             'indicator--00000000-0000-4000-8000-000000000001', 'indicator', '2.1', 'v{version_us}', {version_us}, \
             {}, 'USA', 'AMBER', '[\"GBR\"]', 'import', {latest}, {first}, '{{\"v\":{version_us}}}')",
            100 + seq
        )
    };
    for sql in [
        "INSERT INTO members (code, name, kind, role, created_at) VALUES ('GBR', 'GBR', 'state', 'member', 0), ('USA', 'USA', 'state', 'member', 0), ('IRQ', 'IRQ', 'state', 'member', 0)".to_string(),
        row(1, 1_000, 0, 1, "s1"),
        row(2, 2_000, 1, 0, "s2"),
        "INSERT INTO audience (subject_id, token) VALUES ('s1', 'USA'), ('s1', 'GBR'), ('s2', 'USA'), ('s2', 'GBR')".to_string(),
    ] {
        sqlx::raw_sql(&sql).execute(&pool).await.expect(&sql);
    }
    pool.close().await;
    let store = Store::open(&url).await.expect("migrated");
    let claims: Vec<(i64, i64, i64, i64)> = sqlx::query_as(
        "SELECT seq, claim_added, is_first, is_latest FROM stix_objects ORDER BY seq",
    )
    .fetch_all(store.pool())
    .await
    .expect("rows");
    assert_eq!(claims, vec![(1, 101, 1, 0), (2, 101, 0, 1)]);
    let all = crate::stix::StixFilter {
        ids: vec!["indicator--00000000-0000-4000-8000-000000000001".into()],
        versions: crate::stix::VersionMatch {
            all: true,
            ..Default::default()
        },
        limit: 10,
        ..Default::default()
    };
    let seen = store
        .stix_objects(&who("GBR"), &all, true)
        .await
        .expect("read");
    let bodies: Vec<Option<String>> = seen.rows.into_iter().map(|r| r.body).collect();
    assert_eq!(
        bodies,
        vec![Some(r#"{"v":1000}"#.into()), Some(r#"{"v":2000}"#.into())]
    );
    assert!(store
        .stix_objects(&who("IRQ"), &all, true)
        .await
        .expect("read")
        .rows
        .is_empty());
}

fn v_body(
    v: &coalesce_domain::indicators::IndicatorValue,
) -> coalesce_domain::indicators::ValueBody {
    coalesce_domain::indicators::ValueBody {
        indicator: v.indicator.clone(),
        observed_on: v.observed_on.clone(),
        value: v.value,
        note: v.note.clone(),
    }
}

#[test]
fn both_dialects_have_the_same_migrations() {
    let s: Vec<_> = SQLITE.iter().map(|m| (m.version, m.name)).collect();
    let p: Vec<_> = POSTGRES.iter().map(|m| (m.version, m.name)).collect();
    assert_eq!(s, p);
    assert!(s.windows(2).all(|w| w[0].0 < w[1].0));
}

mod needs;
