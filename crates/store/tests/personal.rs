//! Personal data (DESIGN, "Personal data"): records about people carry a
//! retention day; the day after, the node purges their personal data from
//! the record and from every kept version, search index, link and STIX
//! object; the origin member may purge at once. SQLite by default,
//! PostgreSQL when COALESCE_TEST_POSTGRES is set.

use coalesce_domain::personal::days_after;
use coalesce_domain::reports::{EntityDraft, LegRole, ReportDetails, ReportDraft, RouteLeg};
use coalesce_domain::Marking;
use coalesce_store::records::today;
use coalesce_store::testing::{find_everywhere, fresh_database_url, seed_small, SEED_PASSWORD};
use coalesce_store::{now_ms, ConflictCode, Principal, Store, StoreError};

// What the purge must take away: unique enough that nothing else holds them.
const SURNAME: &str = "Qarnawi";
const PASSPORT: &str = "QX9918273";
const BORN: &str = "1988-07-14";
const TRAVEL_DOC: &str = "TD5550123";
const CROSSING: &str = "Zarqabad";
const TRAVELLED_ON: &str = "2014-10-02";

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

fn person(name: &str, m: &Marking) -> EntityDraft {
    EntityDraft::parse(
        "person",
        name,
        &[format!("Abu {SURNAME}")],
        Some(BORN),
        Some("TUN"),
        &[PASSPORT.to_string()],
        None,
        None,
        None,
        m.clone(),
    )
    .expect("person")
}

fn travel(title: &str, m: &Marking) -> ReportDraft {
    ReportDraft::parse(
        "foreign-fighter-travel",
        title,
        &format!("Crossed near {CROSSING} with a forged passport."),
        Some("humanitarian"),
        Some(TRAVELLED_ON),
        m.clone(),
        &[],
    )
    .expect("draft")
    .with_details(ReportDetails {
        route: vec![
            RouteLeg {
                country: "TUN".into(),
                role: LegRole::Origin,
                date: Some("2014-09-28".into()),
            },
            RouteLeg {
                country: "SYR".into(),
                role: LegRole::Destination,
                date: Some(TRAVELLED_ON.into()),
            },
        ],
        documents: vec![TRAVEL_DOC.into()],
        ..Default::default()
    })
    .expect("details")
}

fn needles() -> [&'static str; 6] {
    [SURNAME, PASSPORT, BORN, TRAVEL_DOC, CROSSING, TRAVELLED_ON]
}

/// A travel report and its traveller, changed once, shared with USA: at
/// the end of their retention the purge leaves nothing of the person in
/// any table, column, kept version, search index or STIX object; the
/// report stays (kind, line of effort, marking) and says it was purged;
/// the person is withdrawn; the audit says what was purged and when,
/// never what; a second run purges nothing.
#[tokio::test]
async fn the_purge_leaves_nothing_of_the_person_anywhere_in_the_database() {
    let url = fresh_database_url().await.expect("url");
    let s = Store::open(&url).await.expect("store");
    seed_small(&s).await.expect("seed");
    let gbr = principal(&s, "gbr").await;
    let usa = principal(&s, "usa").await;
    let m = marking("AMBER", &["USA"]);
    let place = EntityDraft::parse(
        "place",
        "Akcakale",
        &[],
        None,
        Some("TUR"),
        &[],
        None,
        None,
        None,
        m.clone(),
    )
    .expect("place");
    let r = s
        .create_report_with_entities(
            &gbr,
            &travel(&format!("Travel of Zubayr {SURNAME}"), &m),
            &[
                (person(&format!("Zubayr {SURNAME}"), &m), "traveller".into()),
                (place, "transit".into()),
            ],
            now_ms(),
        )
        .await
        .expect("report");
    let default_day = days_after(&today(), s.retention_days()).expect("day");
    assert_eq!(r.retain_until.as_deref(), Some(default_day.as_str()));
    let traveller = r
        .entities
        .iter()
        .find(|l| l.role == "traveller")
        .expect("traveller")
        .entity_id
        .clone();
    let transit = r
        .entities
        .iter()
        .find(|l| l.role == "transit")
        .expect("transit")
        .entity_id
        .clone();
    let e = s.get_entity(&gbr, &traveller).await.expect("person");
    assert_eq!(e.retain_until.as_deref(), Some(default_day.as_str()));
    let place = s.get_entity(&gbr, &transit).await.expect("place");
    assert_eq!(
        place.retain_until, None,
        "a place is nobody's personal data"
    );
    // A second version of each, so that there is history to purge.
    let mut d = travel(&format!("Travel of Zubayr {SURNAME} via Turkey"), &m);
    d.entities = r.entities.clone();
    let changed = s
        .update_report(&gbr, &r.id, &d, None)
        .await
        .expect("change");
    assert_eq!(
        changed.retain_until.as_deref(),
        Some(default_day.as_str()),
        "a change keeps the day"
    );
    let mut pd = person(&format!("Zubayr al-{SURNAME}"), &m);
    pd.retain_until = None;
    s.update_entity(&gbr, &traveller, &pd, None)
        .await
        .expect("change");
    assert!(
        !find_everywhere(&url, &[PASSPORT])
            .await
            .expect("scan")
            .is_empty(),
        "the scan finds what is there"
    );

    assert!(
        s.purge_due(&today())
            .await
            .expect("purge")
            .purged
            .is_empty(),
        "not due yet"
    );
    let due = days_after(&default_day, 1).expect("day");
    let run = s.purge_due(&due).await.expect("purge");
    assert!(run.failed.is_empty(), "{run:?}");
    let done = run.purged;
    let mut kinds: Vec<&str> = done.iter().map(|p| p.kind.as_str()).collect();
    kinds.sort();
    assert_eq!(kinds, ["entity", "report"], "{done:?}");
    assert!(done.iter().all(|p| p.purged_on == due && p.version == 3));

    // The report stays, for both members, and says it was purged.
    for reader in [&gbr, &usa] {
        let after = s.get_report(reader, &r.id).await.expect("still there");
        assert_eq!(after.purged_on.as_deref(), Some(due.as_str()));
        assert!(after.entities.is_empty() && after.body.is_empty() && after.occurred_on.is_none());
        assert_eq!(after.line_of_effort.as_deref(), Some("humanitarian"));
        let versions = s.report_versions(reader, &r.id).await.expect("versions");
        assert_eq!(versions.len(), 3);
        let text = serde_json::to_string(&versions).expect("json");
        for n in needles() {
            assert!(!text.contains(n), "a kept version still holds {n}: {text}");
        }
        assert!(matches!(
            s.get_entity(reader, &traveller).await,
            Err(StoreError::NotFound)
        ));
    }
    // The place it passed through is nobody's: kept.
    s.get_entity(&usa, &transit).await.expect("the place stays");
    // Nothing anywhere: records, versions, links, keys, search, STIX, audit.
    let left = find_everywhere(&url, &needles()).await.expect("scan");
    assert!(left.is_empty(), "the purge left: {left:#?}");
    // Final: no change brings anything back.
    d.entities.retain(|l| l.entity_id == transit);
    match s.update_report(&gbr, &r.id, &d, None).await {
        Err(StoreError::Conflict(c)) => assert_eq!(c.code, ConflictCode::ImmutableField),
        other => panic!("a purged report changed: {other:?}"),
    }
    assert!(s.purge_due(&due).await.expect("again").purged.is_empty());
    // Audited with what and when, never the content; the chain holds.
    let entries = s.audit_entries(None, 50).await.expect("audit");
    for (kind, id) in [("report", &r.id), ("entity", &traveller)] {
        let e = entries
            .iter()
            .find(|e| e.action == format!("{kind}.purge") && &e.subject == id)
            .unwrap_or_else(|| panic!("no {kind}.purge entry"));
        assert_eq!(e.actor, "-");
        assert_eq!(e.member, "GBR");
    }
    assert!(s.verify_audit().await.expect("verify").is_ok());
}

/// The origin member purges at once; nobody else does; only people and
/// reports hold personal data; a day already past is refused; a change
/// that names no day keeps the one the record had; a report about no one
/// has no day.
#[tokio::test]
async fn only_the_origin_purges_now_and_retention_days_are_checked() {
    let url = fresh_database_url().await.expect("url");
    let s = Store::open(&url).await.expect("store");
    seed_small(&s).await.expect("seed");
    let gbr = principal(&s, "gbr").await;
    let usa = principal(&s, "usa").await;
    let irq = principal(&s, "irq").await;
    let m = marking("AMBER", &["USA"]);
    let mut d = person(&format!("Zubayr {SURNAME}"), &m);
    d.retain_until = Some("2000-01-01".into());
    match s.create_entity(&gbr, &d).await {
        Err(StoreError::BadRequest(why)) => assert!(why.contains("before today"), "{why}"),
        other => panic!("a day already past was taken: {other:?}"),
    }
    d.retain_until = Some("2999-12-31".into());
    match s.create_entity(&gbr, &d).await {
        Err(StoreError::BadRequest(why)) => assert!(why.contains("days away"), "{why}"),
        other => panic!("a day centuries away was taken: {other:?}"),
    }
    d.retain_until = Some("2099-12-31".into());
    let e = s.create_entity(&gbr, &d).await.expect("person");
    assert_eq!(e.retain_until.as_deref(), Some("2099-12-31"));
    d.retain_until = None;
    let e = s
        .update_entity(&gbr, &e.id, &d, None)
        .await
        .expect("change");
    assert_eq!(e.retain_until.as_deref(), Some("2099-12-31"), "kept");
    assert!(matches!(
        s.purge_record_now(&usa, "entity", &e.id).await,
        Err(StoreError::Forbidden(_))
    ));
    assert!(matches!(
        s.purge_record_now(&irq, "entity", &e.id).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        s.purge_record_now(&gbr, "report", &e.id).await,
        Err(StoreError::NotFound)
    ));
    let org = s
        .create_entity(
            &gbr,
            &EntityDraft::parse(
                "organisation",
                "Qarnawi Trading",
                &[],
                None,
                None,
                &[],
                None,
                None,
                None,
                m.clone(),
            )
            .expect("org"),
        )
        .await
        .expect("org");
    assert_eq!(org.retain_until, None);
    assert!(matches!(
        s.purge_record_now(&gbr, "entity", &org.id).await,
        Err(StoreError::BadRequest(_))
    ));
    let done = s
        .purge_record_now(&gbr, "entity", &e.id)
        .await
        .expect("purge");
    assert_eq!(done.purged_on, today());
    match s.purge_record_now(&gbr, "entity", &e.id).await {
        // Withdrawn: outside every list, and not purged twice.
        Err(StoreError::NotFound) | Err(StoreError::Conflict(_)) => {}
        other => panic!("purged twice: {other:?}"),
    }
    // A person written without a day (before the node kept days) is kept
    // the default period from when it was written, then purged.
    d.retain_until = None;
    let old = s.create_entity(&gbr, &d).await.expect("person");
    let body: String = sqlx_body(&url, &old.id).await;
    let mut v: serde_json::Value = serde_json::from_str(&body).expect("json");
    v.as_object_mut().expect("object").remove("retain_until");
    coalesce_store::testing::execute_raw(
        &s,
        &format!(
            "UPDATE records SET body = '{}' WHERE id = '{}'",
            v.to_string().replace('\'', "''"),
            old.id
        ),
    )
    .await
    .expect("a body from before");
    let kept = days_after(&today(), s.retention_days()).expect("day");
    assert!(s.purge_due(&kept).await.expect("purge").purged.is_empty());
    let run = s
        .purge_due(&days_after(&kept, 1).expect("day"))
        .await
        .expect("purge");
    assert_eq!(
        run.purged.iter().map(|p| p.id.as_str()).collect::<Vec<_>>(),
        [old.id.as_str()],
        "{run:?}"
    );
    let sitrep = ReportDraft::parse(
        "situation-report",
        "Mosul dam",
        "Water levels fall.",
        None,
        None,
        m.clone(),
        &[],
    )
    .expect("sitrep");
    let r = s.create_report(&gbr, &sitrep).await.expect("report");
    assert_eq!(r.retain_until, None, "a report about no one has no day");
    let audit = s.audit_entries(None, 20).await.expect("audit");
    let purge = audit
        .iter()
        .find(|x| x.action == "entity.purge" && x.subject == e.id)
        .expect("entry");
    assert_eq!(purge.actor, "gbr");
    let scheduled = audit
        .iter()
        .find(|x| x.action == "entity.purge" && x.subject == old.id)
        .expect("entry");
    assert_eq!(scheduled.actor, "-");
}

/// A record's current body, read as it is stored.
async fn sqlx_body(url: &str, id: &str) -> String {
    use sqlx::Connection;
    sqlx::any::install_default_drivers();
    let mut c = sqlx::AnyConnection::connect(url).await.expect("connect");
    let (body,): (String,) = sqlx::query_as("SELECT body FROM records WHERE id = $1")
        .bind(id)
        .fetch_one(&mut c)
        .await
        .expect("body");
    body
}

/// The scheduled purge reads the node's records a page at a time: past
/// the first page (1,000) it still finds every record that is due — the
/// first, one in the middle, the last — and only those.
#[tokio::test]
async fn the_purge_finds_what_is_due_across_pages_of_records() {
    let url = fresh_database_url().await.expect("url");
    let s = Store::open(&url).await.expect("open");
    seed_small(&s).await.expect("seed");
    let gbr = principal(&s, "gbr").await;
    let m = marking("AMBER", &["USA"]);
    let kept = days_after(&today(), 400).expect("day");
    let ends = days_after(&today(), 10).expect("day");
    const N: usize = 1_205;
    let due_at = [0, 640, N - 1];
    let items: Vec<_> = (0..N)
        .map(|i| {
            let mut d = travel(&format!("Crossing {i}"), &m);
            d.retain_until = Some(if due_at.contains(&i) {
                ends.clone()
            } else {
                kept.clone()
            });
            (d.record_body(), d.marking.clone())
        })
        .collect();
    let ids = s
        .create_records_at::<coalesce_domain::report_record::ReportRecordKind>(
            &gbr,
            items,
            now_ms(),
        )
        .await
        .expect("reports");
    let mut want: Vec<String> = due_at.iter().map(|&i| ids[i].clone()).collect();
    want.sort();
    let run = s
        .purge_due(&days_after(&ends, 1).expect("day"))
        .await
        .expect("purge");
    assert!(run.failed.is_empty(), "{run:?}");
    let mut purged: Vec<String> = run.purged.iter().map(|p| p.id.clone()).collect();
    purged.sort();
    assert_eq!(purged, want);
}
