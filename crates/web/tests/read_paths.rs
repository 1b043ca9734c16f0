//! The releasability property over every read path (issue 14): random
//! markings and group memberships over every kind of marked record, each
//! carrying a unique canary word (in its title, name, note or town); then,
//! for every user, every registered read path of the API, TAXII and the web
//! interface (`coalesce_api::read_paths`, `coalesce_web::READ_PATHS`), with
//! every record id: no response holds the canary of a record outside the
//! user's audience (oracle: `Marking::readable_by`). Derived data is in the
//! world: contributions under narrower requirements, a report linking an
//! entity narrowed after the report, an allocation run over records
//! narrowed after it. The test also fails when a GET route exists that the
//! registries do not name. SQLite by default, PostgreSQL with
//! COALESCE_TEST_POSTGRES.

mod common;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use coalesce_domain::{Marking, MemberCode, Slug, Viewer};
use http_body_util::BodyExt;
use proptest::prelude::*;
use serde_json::{json, Value};
use std::collections::BTreeSet;
use tower::ServiceExt;

const USERS: [(&str, &str); 5] = [
    ("usa", "USA"),
    ("gbr", "GBR"),
    ("fra", "FRA"),
    ("irq", "IRQ"),
    ("admin", "USA"),
];
const TOKENS: [&str; 6] = ["USA", "GBR", "FRA", "IRQ", "GROUP:small-group", "COALITION"];

struct Client {
    router: axum::Router,
}

impl Client {
    async fn call(
        &self,
        method: Method,
        path: &str,
        auth: Option<String>,
        body: Option<Value>,
    ) -> (StatusCode, String) {
        let mut b = Request::builder().method(method).uri(path);
        if let Some(a) = auth {
            b = b.header(header::AUTHORIZATION, a);
        }
        if path.starts_with("/taxii2") {
            b = b.header(header::ACCEPT, "application/taxii+json;version=2.1");
        }
        let req = match body {
            Some(v) => b
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(v.to_string())),
            None => b.body(Body::empty()),
        }
        .expect("request");
        let res = self.router.clone().oneshot(req).await.expect("response");
        let status = res.status();
        let bytes = res.into_body().collect().await.expect("body").to_bytes();
        (status, String::from_utf8_lossy(&bytes).into_owned())
    }

    async fn api(&self, method: Method, path: &str, token: &str, body: Value) -> Value {
        let (s, text) = self
            .call(
                method,
                &format!("/api/v1{path}"),
                Some(format!("Bearer {token}")),
                Some(body),
            )
            .await;
        assert!(s.is_success(), "{path}: {s} {text}");
        serde_json::from_str(&text).expect("json")
    }
}

/// A record of the world: its canary, origin and marking (as they are at
/// the end), and the kind of read path its id goes into.
struct Canary {
    word: String,
    origin: MemberCode,
    marking: Marking,
}

fn marking(tlp: usize, rel: &[usize]) -> Marking {
    let rel: Vec<String> = rel.iter().map(|i| TOKENS[*i].to_string()).collect();
    Marking::parse(
        ["CLEAR", "GREEN", "AMBER", "AMBER+STRICT", "RED"][tlp % 5],
        &rel,
    )
    .expect("marking")
}

fn wire(m: &Marking) -> Value {
    json!({"tlp": m.tlp.as_str(), "rel_to": m.rel_to.iter().map(|t| t.as_string()).collect::<Vec<_>>()})
}

/// GET routes the code declares: the API's from its OpenAPI document, the
/// web interface's and TAXII's from their router source.
fn declared_routes() -> Vec<String> {
    let doc: Value = serde_json::from_str(&coalesce_api::openapi_json()).expect("openapi");
    let mut out: Vec<String> = doc["paths"]
        .as_object()
        .expect("paths")
        .iter()
        .filter(|(_, ops)| ops.get("get").is_some())
        .map(|(p, _)| format!("/api/v1{p}"))
        .collect();
    let web = include_str!("../src/lib.rs");
    let mut rest = web;
    while let Some(i) = rest.find(".route(") {
        rest = &rest[i + 7..];
        let head: String = rest.chars().take(300).collect();
        let Some(start) = head.find('"') else {
            continue;
        };
        let Some(len) = head[start + 1..].find('"') else {
            continue;
        };
        let path = &head[start + 1..start + 1 + len];
        let after = &head[start + 1 + len..];
        let handler = after.split("),").next().unwrap_or("");
        if after
            .trim_start_matches(['"', ',', ' ', '\n'])
            .starts_with("get(")
            || handler.contains(".get(")
            || after.split(')').next().unwrap_or("").contains("get(")
        {
            out.push(path.to_string());
        }
    }
    let taxii = include_str!("../../api/src/taxii/mod.rs");
    for line in taxii.split(".route(").skip(1) {
        let line: String = line.chars().take(200).collect();
        if let Some(p) = line
            .split("format!(\"{root}")
            .nth(1)
            .and_then(|s| s.split('"').next())
        {
            if line.contains("get(") {
                out.push(format!(
                    "/taxii2/coalesce{}",
                    p.replace("{{", "{").replace("}}", "}")
                ));
            }
        }
    }
    out.push("/taxii2/".into());
    out
}

fn registered() -> BTreeSet<String> {
    coalesce_api::read_paths::API_READ_PATHS
        .iter()
        .map(|r| format!("/api/v1{}", r.path))
        .chain(
            coalesce_api::read_paths::TAXII_READ_PATHS
                .iter()
                .map(|r| format!("/taxii2{}", r.path)),
        )
        .chain(
            coalesce_api::read_paths::record_read_paths()
                .iter()
                .map(|r| format!("/api/v1{}", r.path)),
        )
        .chain(coalesce_web::READ_PATHS.iter().map(|r| r.path.to_string()))
        .chain(
            coalesce_web::record_read_paths()
                .iter()
                .map(|r| r.path.to_string()),
        )
        .collect()
}

#[test]
fn every_get_route_is_in_the_registry_of_read_paths() {
    let registered = registered();
    let declared = declared_routes();
    assert!(declared.len() > 60, "{declared:?}");
    let missing: Vec<&String> = declared
        .iter()
        .filter(|r| !registered.contains(*r))
        .collect();
    assert!(
        missing.is_empty(),
        "read paths not in the registry: {missing:?}"
    );
}

/// Concrete URLs of a registered path: every id of the world where it has
/// an `{id}`, a query where it needs one.
fn urls(path: &str, ids: &[String], stix_ids: &[String]) -> Vec<String> {
    let with_query = |p: String| -> Vec<String> {
        match p.as_str() {
            "/api/v1/search" | "/search" => vec![format!("{p}?q=sentinel")],
            _ if p.ends_with("/breakdown") => {
                ["donor", "window", "project", "organisation", "year"]
                    .iter()
                    .map(|b| format!("{p}?by={b}"))
                    .collect()
            }
            "/api/v1/picture/totals" => ["member", "country", "category", "line-of-effort"]
                .iter()
                .map(|b| format!("{p}?by={b}"))
                .collect(),
            _ => vec![p],
        }
    };
    if path.contains("{cid}") {
        // Both collections: the coalition's, and the node's records (peers).
        return [
            coalesce_api::taxii::COLLECTION_ID,
            coalesce_api::taxii::RECORDS_COLLECTION_ID,
        ]
        .iter()
        .flat_map(|cid| urls(&path.replace("{cid}", cid), ids, stix_ids))
        .collect();
    }
    let p = path
        .replace("{code}", "FRA")
        .replace("{slug}", "humanitarian")
        .replace("{name}", "gbr")
        .replace("{status_id}", "01900000-0000-7000-8000-000000000000");
    let p = if path.starts_with("/groups/") || path.starts_with("/api/v1/groups/") {
        p.replace("humanitarian", "small-group")
    } else {
        p
    };
    if p.contains("{oid}") {
        return stix_ids
            .iter()
            .map(|s| p.replace("{oid}", s))
            .flat_map(with_query)
            .collect();
    }
    if p.contains("{id}") {
        return ids
            .iter()
            .map(|i| p.replace("{id}", i))
            .flat_map(with_query)
            .collect();
    }
    with_query(p)
}

/// One record's marking: (tlp, REL TO token indexes).
type Mark = (usize, Vec<usize>);

fn mark() -> impl Strategy<Value = Mark> {
    (0..5usize, prop::collection::vec(0..TOKENS.len(), 0..3))
}

#[allow(clippy::too_many_arguments)]
async fn check(
    small_group_has_fra: bool,
    narrow_requirement: bool,
    note: Mark,
    requirement: Mark,
    pledge: Mark,
    standalone: Mark,
    entity: Mark,
    entity_later: Mark,
    report: Mark,
    meeting: Mark,
    commitment: Mark,
) -> Result<(), TestCaseError> {
    // A sanctions list loaded, so the screening of records is a read path
    // that shows their parties.
    let list =
        coalesce_screen::parse_un_xml(include_str!("../../screen/tests/fixtures/un-sample.xml"))
            .expect("fixture");
    let screener = std::sync::Arc::new(coalesce_screen::Screener::new(vec![list]));
    let state = common::seeded_state().await.with_screener(screener.clone());
    coalesce_api::screening::record_versions(&state.store, &screener)
        .await
        .expect("list version");
    state
        .store
        .grant_fund_manager("usa", true)
        .await
        .expect("fund manager");
    let store = state.store.clone();
    let c = Client {
        router: coalesce_api::router()
            .merge(coalesce_web::router())
            .with_state(state),
    };
    let mut tokens = vec![];
    for (u, _) in USERS {
        let (s, text) = c
            .call(
                Method::POST,
                "/api/v1/auth/login",
                None,
                Some(json!({"username": u, "password": coalesce_store::testing::SEED_PASSWORD})),
            )
            .await;
        prop_assert_eq!(s, StatusCode::OK, "{}", text);
        let v: Value = serde_json::from_str(&text).expect("json");
        tokens.push(v["token"].as_str().expect("token").to_string());
    }
    let (usa, gbr, irq) = (&tokens[0], &tokens[1], &tokens[3]);
    // A peer node hosting FRA, pulling the records collection as its user.
    let peer_key = coalesce_federation::NodeKey::from_seed([9; 32])
        .public()
        .to_text();
    let peer = store
        .add_peer(
            None,
            &coalesce_store::peers::NewPeer {
                name: &Slug::parse("fra-node").expect("slug"),
                url: "http://127.0.0.1:9",
                member: &MemberCode::parse("FRA").expect("member"),
                public_key: &peer_key,
                import_collection: None,
            },
            "$argon2id$v=19$m=19456,t=2,p=1$bm9ib2R5a2VlcHM$dW51c2Fi",
        )
        .await
        .expect("peer");
    let peer_principal = store
        .principal_for_username(&peer.username)
        .await
        .expect("principal")
        .expect("the peer's user");
    let peer_token = store
        .create_token(&peer_principal, "api", None)
        .await
        .expect("token");
    let readers: Vec<(&str, String)> = USERS
        .iter()
        .map(|(_, m)| *m)
        .zip(tokens.iter().cloned())
        .chain([("FRA", peer_token)])
        .collect();
    if small_group_has_fra {
        c.api(
            Method::PUT,
            "/groups/small-group/members",
            usa,
            json!({"members": ["USA", "GBR", "FRA"]}),
        )
        .await;
    }
    let code = |s: &str| MemberCode::parse(s).expect("code");
    let mut canaries = vec![];
    let mut ids = vec![];
    // A note of GBR written on another node and held here, relayed to the
    // peer (relay on): served to it only when CLEAR or GREEN.
    store
        .change_peer(
            None,
            "fra-node",
            &coalesce_store::peers::PeerChange {
                relay: Some(true),
                ..Default::default()
            },
        )
        .await
        .expect("relay on");
    let relayed_marking = marking(meeting.0, &meeting.1);
    let relayed_id = "01900000-0000-7000-8000-00000000e1a7".to_string();
    store
        .apply_replica::<coalesce_domain::note::NoteKind>(coalesce_domain::record::Replica {
            id: relayed_id.clone(),
            origin: code("GBR"),
            origin_node: "node-elsewhere".into(),
            version: 1,
            status: coalesce_domain::record::Status::Live,
            marking: relayed_marking.clone(),
            body: coalesce_domain::note::NoteBody {
                title: "relayed zqxrelay1q".into(),
                body: "b".into(),
                group: None,
            },
            created_at_ms: 1_400_000_000_000,
            at_ms: 1_400_000_000_000,
        })
        .await
        .expect("a replica");
    ids.push(relayed_id);
    canaries.push(Canary {
        word: "zqxrelay1q".into(),
        origin: code("GBR"),
        marking: relayed_marking.clone(),
    });
    // A note of GBR.
    let m = marking(note.0, &note.1);
    let n = c
        .api(
            Method::POST,
            "/notes",
            gbr,
            json!({"title": "sentinel zqxnote1q", "body": "b", "marking": wire(&m)}),
        )
        .await;
    ids.push(n["id"].as_str().expect("id").to_string());
    canaries.push(Canary {
        word: "zqxnote1q".into(),
        origin: code("GBR"),
        marking: m,
    });
    // A point of contact of FRA, a kind served by the record layer's
    // generic routes, under the note's marking (from another origin).
    let m = marking(note.0, &note.1);
    let k = c
        .api(
            Method::POST,
            "/contacts",
            &tokens[2],
            json!({"name": "Zqxcontact1q", "role": "Desk officer", "email": "zqxmail1q@example.org", "marking": wire(&m)}),
        )
        .await;
    ids.push(k["id"].as_str().expect("contact id").to_string());
    for word in ["Zqxcontact1q", "zqxmail1q"] {
        canaries.push(Canary {
            word: word.into(),
            origin: code("FRA"),
            marking: m.clone(),
        });
    }
    // A value of an indicator reported by FRA, under the note's marking,
    // its note naming its canary (indicator values are on the layer too).
    c.api(
        Method::POST,
        "/indicators",
        &tokens[4],
        json!({"slug": "returned-home", "name": "Returned home", "unit": "people",
               "direction": "increase", "aggregation": "sum", "baseline": 0, "targets": []}),
    )
    .await;
    let v = c
        .api(
            Method::POST,
            "/indicators/returned-home/values",
            &tokens[2],
            json!({"observed_on": "2016-06-30", "value": 5, "note": "Zqxvalue1q", "marking": wire(&m)}),
        )
        .await;
    ids.push(v["id"].as_str().expect("value id").to_string());
    canaries.push(Canary {
        word: "Zqxvalue1q".into(),
        origin: code("FRA"),
        marking: m.clone(),
    });
    // A requirement of IRQ in a town named by its canary; a USA pledge
    // against it (the town is the requirement's), and a standalone GBR
    // pledge in a town of its own.
    let m = marking(requirement.0, &requirement.1);
    let r = c
        .api(
            Method::POST,
            "/requirements",
            irq,
            json!({"title": "sentinel zqxreq1q", "requesting_member": "IRQ", "line_of_effort": "humanitarian",
                   "category": "water", "measure": {"quantity": 10, "unit": "tank"},
                   "place": {"country": "IRQ", "town": "Zqxtown1q"},
                   "window": {"start": "2015-04-01", "end": "2015-06-30"}, "priority": 1, "marking": wire(&m)}),
        )
        .await;
    let rid = r["id"].as_str().expect("id").to_string();
    ids.push(rid.clone());
    canaries.push(Canary {
        word: "zqxreq1q".into(),
        origin: code("IRQ"),
        marking: m.clone(),
    });
    canaries.push(Canary {
        word: "Zqxtown1q".into(),
        origin: code("IRQ"),
        marking: m.clone(),
    });
    // USA may pledge only against a requirement it reads.
    let usa_reads = m.readable_by(&code("IRQ"), &viewer("USA", small_group_has_fra));
    if usa_reads {
        let m = marking(pledge.0, &pledge.1);
        let p = c
            .api(
                Method::POST,
                "/contributions",
                usa,
                json!({"title": "sentinel zqxpledge1q", "contributors": ["USA"], "requirement_id": rid,
                       "measure": {"quantity": 4, "unit": "tank"}, "marking": wire(&m)}),
            )
            .await;
        ids.push(p["id"].as_str().expect("id").to_string());
        canaries.push(Canary {
            word: "zqxpledge1q".into(),
            origin: code("USA"),
            marking: m,
        });
    }
    let m = marking(standalone.0, &standalone.1);
    let s = c
        .api(
            Method::POST,
            "/contributions",
            gbr,
            json!({"title": "sentinel zqxoffer1q", "contributors": ["GBR"], "line_of_effort": "humanitarian",
                   "category": "water", "measure": {"quantity": 6, "unit": "tank"},
                   "place": {"country": "IRQ", "town": "Zqxtown2q"},
                   "window": {"start": "2015-03-01", "end": "2015-05-31"}, "marking": wire(&m),
                   "parties": [{"role": "carrier", "kind": "person", "name": "Zqxcarrier1q"}]}),
        )
        .await;
    ids.push(s["id"].as_str().expect("id").to_string());
    for word in ["zqxoffer1q", "Zqxcarrier1q"] {
        canaries.push(Canary {
            word: word.into(),
            origin: code("GBR"),
            marking: m.clone(),
        });
    }
    canaries.push(Canary {
        word: "Zqxtown2q".into(),
        origin: code("GBR"),
        marking: m,
    });
    // USA's coordinator runs the allocation over what it reads now.
    c.api(Method::POST, "/allocations", usa, json!({})).await;
    // A USA entity, a relationship to a second one, and a report linking it;
    // the entity is narrowed (or widened) afterwards.
    let m = marking(entity.0, &entity.1);
    let e = c
        .api(
            Method::POST,
            "/entities",
            usa,
            json!({"kind": "person", "name": "Zqxperson1q", "marking": wire(&m)}),
        )
        .await;
    let eid = e["id"].as_str().expect("id").to_string();
    let place = c
        .api(
            Method::POST,
            "/entities",
            usa,
            json!({"kind": "place", "name": "Gaziantep", "nationality": "TUR", "marking": {"tlp": "GREEN", "rel_to": ["COALITION"]}}),
        )
        .await;
    let pid = place["id"].as_str().expect("id").to_string();
    let rel = c
        .api(
            Method::POST,
            &format!("/entities/{eid}/relationships"),
            usa,
            json!({"to": pid, "kind": "sighted-at", "note": "zqxrel1q", "marking": wire(&m)}),
        )
        .await;
    ids.push(rel["id"].as_str().expect("relationship id").to_string());
    let rm = marking(report.0, &report.1);
    let rep = c
        .api(
            Method::POST,
            "/reports",
            usa,
            json!({"kind": "situation-report", "title": "sentinel zqxreport1q", "body": "",
                   "entities": [{"id": eid, "role": "subject"}], "marking": wire(&rm)}),
        )
        .await;
    ids.push(rep["id"].as_str().expect("id").to_string());
    canaries.push(Canary {
        word: "zqxreport1q".into(),
        origin: code("USA"),
        marking: rm,
    });
    let later = marking(entity_later.0, &entity_later.1);
    c.api(
        Method::PUT,
        &format!("/entities/{eid}"),
        usa,
        json!({"kind": "person", "name": "Zqxperson1q", "marking": wire(&later)}),
    )
    .await;
    ids.push(eid);
    ids.push(pid);
    // The entity as it is now (its new marking decides), the relationship
    // with the marking it was given.
    canaries.push(Canary {
        word: "Zqxperson1q".into(),
        origin: code("USA"),
        marking: later.clone(),
    });
    // The relationship is read only by readers of both it and its ends:
    // its word is hidden from whoever may not read either.
    for marking in [m, later] {
        canaries.push(Canary {
            word: "zqxrel1q".into(),
            origin: code("USA"),
            marking,
        });
    }
    // A fund of USA's under the entity's first marking, a project of it
    // (read only with the fund), and a pledge by a donor named by its
    // canary under the pledge's marking, committed and deposited (what
    // follows a pledge keeps its marking): the status, breakdowns and
    // transfers sum and list only what each reader may read.
    let fm = marking(entity.0, &entity.1);
    let fund = c
        .api(
            Method::POST,
            "/funds",
            usa,
            json!({"name": "Zqxfund1q", "agent": "UNDP", "base_currency": "USD",
                   "windows": [{"code": "W1", "name": "Public works"}], "opened": "2015-06-01",
                   "marking": wire(&fm)}),
        )
        .await;
    let fund_id = fund["id"].as_str().expect("fund id").to_string();
    let proj = c
        .api(
            Method::POST,
            "/fund-projects",
            usa,
            json!({"fund": fund_id, "code": "P1", "title": "Zqxproj1q", "window": "W1",
                   "pcode": "IQG18Q02", "place": "Tikrit", "organisation": "UNDP",
                   "activity_status": "ongoing", "budget": 100000, "currency": "USD",
                   "marking": {"tlp": "GREEN", "rel_to": ["COALITION"]}}),
        )
        .await;
    ids.push(fund_id.clone());
    ids.push(proj["id"].as_str().expect("project id").to_string());
    for word in ["Zqxfund1q", "Zqxproj1q"] {
        canaries.push(Canary {
            word: word.into(),
            origin: code("USA"),
            marking: fm.clone(),
        });
    }
    let dm = marking(pledge.0, &pledge.1);
    c.api(
        Method::POST,
        &format!("/funds/{fund_id}/operations"),
        usa,
        json!({"operations": [
            {"op": "pledge", "id": "zqxpledge1q", "donor": "ZQXDONOR1Q", "amount": "1000.00",
             "currency": "USD", "value_date": "2015-06-01", "marking": wire(&dm)},
            {"op": "commit", "pledge": "zqxpledge1q", "value_date": "2015-06-02"},
            {"op": "deposit", "pledge": "zqxpledge1q", "amount": "1000.00", "currency": "USD",
             "value_date": "2015-06-03"},
            {"op": "interest", "id": "open-interest", "amount": "1.00", "currency": "USD",
             "value_date": "2015-06-04"}
        ]}),
    )
    .await;
    for word in ["ZQXDONOR1Q", "zqxpledge1q"] {
        canaries.push(Canary {
            word: word.into(),
            origin: code("USA"),
            marking: dm.clone(),
        });
    }
    // A meeting of USA's, its statement and a commitment of it linked to
    // GBR's standalone offer (when USA reads it), USA's pledge and the fund
    // pledge: the statement and the commitment are read only with the
    // meeting, and a part the reader may not read shows nothing of it.
    let mm = marking(meeting.0, &meeting.1);
    let mt = c
        .api(
            Method::POST,
            "/meetings",
            usa,
            json!({"meeting_type": "small_group", "title": "Zqxmeeting1q", "place": "London",
                   "starts": "2015-01-22T09:00:00Z", "ends": "2015-01-22T16:00:00Z",
                   "time_zone": "Europe/London", "host": "USA",
                   "attendance": [{"member": "GBR", "level": "minister"}],
                   "agenda": [{"title": "Working groups"}], "marking": wire(&mm)}),
        )
        .await;
    let mid = mt["id"].as_str().expect("meeting id").to_string();
    canaries.push(Canary {
        word: "Zqxmeeting1q".into(),
        origin: code("USA"),
        marking: mm.clone(),
    });
    let cm = marking(commitment.0, &commitment.1);
    let st = c
        .api(
            Method::POST,
            "/statements",
            usa,
            json!({"meeting": mid, "adopted_on": "2015-01-22",
                   "texts": [{"language": "en", "title": "Statement", "paragraphs": [{"num": "1", "text": "Zqxpara1q"}]}],
                   "marking": wire(&cm)}),
        )
        .await;
    let mut links = vec![json!({"target": "fund_pledge", "id": "zqxpledge1q"})];
    let offer = canaries
        .iter()
        .find(|k| k.word == "zqxoffer1q")
        .expect("canary");
    if offer
        .marking
        .readable_by(&offer.origin, &viewer("USA", small_group_has_fra))
    {
        links.push(json!({"target": "contribution", "id": s["id"]}));
    }
    let cmt = c
        .api(
            Method::POST,
            "/commitments",
            usa,
            json!({"meeting": mid, "agenda_item": 1, "owner": "GBR", "what": "Zqxcommit1q",
                   "due": "2015-03-31", "state": "open", "links": links, "marking": wire(&cm)}),
        )
        .await;
    ids.push(mid);
    ids.push(st["id"].as_str().expect("statement id").to_string());
    ids.push(cmt["id"].as_str().expect("commitment id").to_string());
    for marking in [mm, cm] {
        for word in ["Zqxpara1q", "Zqxcommit1q"] {
            canaries.push(Canary {
                word: word.into(),
                origin: code("USA"),
                marking: marking.clone(),
            });
        }
    }
    // Reminders and escalations sent, so digests hold them.
    store
        .send_commitment_notices(coalesce_store::now_ms())
        .await
        .expect("notices");
    // The requirement is narrowed to IRQ alone: what the pledges and the
    // run derived from it must follow.
    if narrow_requirement {
        let narrowed = marking(requirement.0, &[]);
        c.api(
            Method::PUT,
            &format!("/requirements/{rid}"),
            irq,
            json!({"title": "sentinel zqxreq1q", "requesting_member": "IRQ", "line_of_effort": "humanitarian",
                   "category": "water", "measure": {"quantity": 10, "unit": "tank"},
                   "place": {"country": "IRQ", "town": "Zqxtown1q"},
                   "window": {"start": "2015-04-01", "end": "2015-06-30"}, "priority": 1, "marking": wire(&narrowed)}),
        )
        .await;
        for k in canaries
            .iter_mut()
            .filter(|k| k.word == "zqxreq1q" || k.word == "Zqxtown1q")
        {
            k.marking = narrowed.clone();
        }
    }
    // The allocation runs and STIX ids, as their readers see them.
    let mut stix_ids = BTreeSet::new();
    for t in &tokens {
        let (_, text) = c
            .call(
                Method::GET,
                "/taxii2/coalesce/collections/365fed99-08fa-fdcd-a1b3-fb247eb41d01/objects/",
                Some(basic(t)),
                None,
            )
            .await;
        let v: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
        for o in v["objects"].as_array().into_iter().flatten() {
            if let Some(id) = o["id"].as_str() {
                stix_ids.insert(id.to_string());
            }
        }
        let (_, text) = c
            .call(
                Method::GET,
                "/api/v1/proposals",
                Some(format!("Bearer {t}")),
                None,
            )
            .await;
        let v: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
        for p in v["items"].as_array().into_iter().flatten() {
            if let Some(id) = p["run_id"].as_str() {
                ids.push(id.to_string());
            }
        }
    }
    let stix_ids: Vec<String> = stix_ids.into_iter().collect();
    // The relay serves the peer another node's record exactly when the
    // peer's member may read it and it is CLEAR or GREEN.
    let (_, text) = c
        .call(
            Method::GET,
            &format!(
                "/taxii2/coalesce/collections/{}/objects/",
                coalesce_api::taxii::RECORDS_COLLECTION_ID
            ),
            Some(basic(&readers.last().expect("the peer").1)),
            None,
        )
        .await;
    let relayable = relayed_marking.readable_by(&code("GBR"), &viewer("FRA", small_group_has_fra))
        && matches!(relayed_marking.tlp.as_str(), "CLEAR" | "GREEN");
    prop_assert_eq!(
        text.contains("zqxrelay1q"),
        relayable,
        "relayed {} to FRA: {}",
        relayed_marking.banner(&code("GBR")),
        text
    );
    // A list update naming the entity and the offer's carrier (in the
    // list's capitals, so its own entries hold no canary): the node
    // rescreens open records against it, and what it found is read through
    // the list version's pages.
    let listed = |name: &str, reference: &str| {
        format!(
            "<INDIVIDUAL><DATAID>9{reference}</DATAID><VERSIONNUM>1</VERSIONNUM><FIRST_NAME>{name}</FIRST_NAME>\
             <UN_LIST_TYPE>Al-Qaida</UN_LIST_TYPE><REFERENCE_NUMBER>QDi.{reference}</REFERENCE_NUMBER>\
             <LISTED_ON>2030-02-01</LISTED_ON></INDIVIDUAL>"
        )
    };
    let xml = include_str!("../../screen/tests/fixtures/un-sample.xml").replacen(
        "</INDIVIDUALS>",
        &format!(
            "{}{}</INDIVIDUALS>",
            listed("ZQXPERSON1Q", "977"),
            listed("ZQXCARRIER1Q", "978")
        ),
        1,
    );
    let update = std::sync::Arc::new(coalesce_screen::Screener::new(vec![
        coalesce_screen::parse_un_xml(&xml).expect("update"),
    ]));
    coalesce_api::screening::record_versions(&store, &update)
        .await
        .expect("list version");
    let done = coalesce_api::screening::rescreen_pending(&store, update)
        .await
        .expect("rescreen");
    prop_assert_eq!(done.len(), 1);
    prop_assert_eq!(done[0].findings, 2, "the entity and the carrier");
    ids.push(store.list_versions().await.expect("versions")[0].id.clone());
    // Every user, every read path, every id.
    let registered = registered();
    for (member, token) in &readers {
        let v = viewer(member, small_group_has_fra);
        let hidden: Vec<&Canary> = canaries
            .iter()
            .filter(|k| !k.marking.readable_by(&k.origin, &v))
            .collect();
        if hidden.is_empty() {
            continue;
        }
        for path in &registered {
            for url in urls(path, &ids, &stix_ids) {
                let auth = if url.starts_with("/api/v1") {
                    Some(format!("Bearer {token}"))
                } else if url.starts_with("/taxii2") {
                    Some(basic(token))
                } else {
                    None
                };
                let (status, body) = if url.starts_with("/api/v1") || url.starts_with("/taxii2") {
                    c.call(Method::GET, &url, auth, None).await
                } else {
                    page(&c, &url, token).await
                };
                prop_assert!(
                    !status.is_server_error(),
                    "{member} GET {url}: {status} {body}"
                );
                for k in &hidden {
                    prop_assert!(
                        !body.contains(&k.word),
                        "{member} reads {} (marked {}, of {}) through GET {url}: {body}",
                        k.word,
                        k.marking.banner(&k.origin),
                        k.origin
                    );
                }
            }
        }
    }
    Ok(())
}

fn viewer(member: &str, small_group_has_fra: bool) -> Viewer {
    let mut groups = BTreeSet::new();
    if matches!(member, "USA" | "GBR") || (member == "FRA" && small_group_has_fra) {
        groups.insert(Slug::parse("small-group").expect("slug"));
    }
    Viewer {
        member: MemberCode::parse(member).expect("member"),
        groups,
    }
}

/// TAXII takes the API token as a bearer token too.
fn basic(token: &str) -> String {
    format!("Bearer {token}")
}

/// A web page as the logged-in user sees it (the session cookie is the token).
async fn page(c: &Client, url: &str, token: &str) -> (StatusCode, String) {
    let req = Request::builder()
        .uri(url)
        .header(header::COOKIE, format!("coalesce_session={token}"))
        .body(Body::empty())
        .expect("request");
    let res = c.router.clone().oneshot(req).await.expect("response");
    let status = res.status();
    let bytes = res.into_body().collect().await.expect("body").to_bytes();
    (status, String::from_utf8_lossy(&bytes).into_owned())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 6, ..ProptestConfig::default() })]
    #[test]
    fn no_read_path_shows_a_record_outside_its_audience(
        small_group_has_fra in any::<bool>(),
        narrow_requirement in any::<bool>(),
        note in mark(),
        requirement in mark(),
        pledge in mark(),
        standalone in mark(),
        entity in mark(),
        entity_later in mark(),
        report in mark(),
        meeting in mark(),
        commitment in mark(),
    ) {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
        rt.block_on(check(small_group_has_fra, narrow_requirement, note, requirement, pledge, standalone, entity, entity_later, report, meeting, commitment))?;
    }
}
