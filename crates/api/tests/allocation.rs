//! Allocation in the product through the HTTP API (issue 5): a coordinator
//! runs the engine over open requirements and standalone pledges it may
//! read, accepts or rejects proposals; the offering member commits an
//! accepted one, which becomes a committed contribution against the
//! requirement. SQLite by default, PostgreSQL when COALESCE_TEST_POSTGRES is set.

mod common;

use axum::http::StatusCode;
use common::{assert_problem, get, job_when_ended, post, App};
use serde_json::{json, Value};

async fn created(app: &App, path: &str, token: &str, body: Value) -> String {
    let r = post(app, path, token, body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
    r.json["id"].as_str().expect("id").to_string()
}

fn requirement(title: &str, n: i64, town: &str, priority: i64) -> Value {
    json!({
        "title": title, "requesting_member": "IRQ", "line_of_effort": "humanitarian",
        "category": "water", "measure": {"quantity": n, "unit": "tank"},
        "place": {"country": "IRQ", "town": town},
        "window": {"start": "2015-04-01", "end": "2015-06-30"}, "priority": priority,
        "marking": {"tlp": "GREEN", "rel_to": ["COALITION"]}
    })
}

fn offer(member: &str, n: i64, town: Option<&str>, rel_to: &[&str]) -> Value {
    json!({
        "title": format!("Tanks from {member}"), "contributors": [member],
        "line_of_effort": "humanitarian", "category": "water",
        "measure": {"quantity": n, "unit": "tank"},
        "place": {"country": "IRQ", "town": town},
        "window": {"start": "2015-03-01", "end": "2015-05-31"},
        "marking": {"tlp": "GREEN", "rel_to": rel_to}
    })
}

/// IRQ asks for 10 tanks in Tikrit (priority 1) and 8 in Mosul (3); GBR
/// offers 12 anywhere in Iraq, FRA 5 in Tikrit only. Their ids: Tikrit,
/// Mosul, GBR's offer, FRA's.
async fn tikrit_and_mosul(
    app: &App,
    irq: &str,
    gbr: &str,
    fra: &str,
) -> (String, String, String, String) {
    let tikrit = created(
        app,
        "/requirements",
        irq,
        requirement("Water for Tikrit", 10, "Tikrit", 1),
    )
    .await;
    let mosul = created(
        app,
        "/requirements",
        irq,
        requirement("Water for Mosul", 8, "Mosul", 3),
    )
    .await;
    let g = created(
        app,
        "/contributions",
        gbr,
        offer("GBR", 12, None, &["COALITION"]),
    )
    .await;
    let f = created(
        app,
        "/contributions",
        fra,
        offer("FRA", 5, Some("Tikrit"), &["COALITION"]),
    )
    .await;
    (tikrit, mosul, g, f)
}

#[tokio::test]
async fn coordinator_runs_accepts_and_the_offering_member_commits() {
    let app = App::seeded().await;
    let (usa, gbr, fra, irq) = (
        app.login("usa").await,
        app.login("gbr").await,
        app.login("fra").await,
        app.login("irq").await,
    );
    let (tikrit, mosul, g, f) = tikrit_and_mosul(&app, &irq, &gbr, &fra).await;

    // Only coordinators run.
    let r = post(&app, "/allocations", &gbr, json!({})).await;
    assert_problem(&r, StatusCode::FORBIDDEN, "forbidden");
    let r = post(&app, "/allocations", &usa, json!({})).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
    let run = r.json.clone();
    assert_eq!(run["requirements"], 2);
    assert_eq!(run["offers"], 2);
    assert_eq!(run["requested"], 18);
    assert_eq!(run["proposed"], 17, "all 17 offered units are used: {run}");
    assert_eq!(run["surplus"], json!([]));
    // FRA's 5 go to Tikrit (closer); GBR fills Tikrit's other 5 and 7 of Mosul's 8.
    let props = run["proposals"].as_array().expect("proposals");
    let amount = |o: &str, r: &str| {
        props
            .iter()
            .find(|p| p["contribution_id"] == o && p["requirement_id"] == r)
            .map(|p| p["amount"].as_i64().expect("amount"))
    };
    assert_eq!(amount(&f, &tikrit), Some(5));
    assert_eq!(amount(&g, &tikrit), Some(5));
    assert_eq!(amount(&g, &mosul), Some(7));
    assert!(props.iter().all(|p| p["explanation"]
        .as_str()
        .expect("why")
        .contains("windows overlap")));
    let gaps = run["gaps"].as_array().expect("gaps");
    assert_eq!(gaps.len(), 1);
    assert_eq!(gaps[0]["requirement"], mosul.as_str());
    assert_eq!(gaps[0]["missing"], 1);
    assert!(
        gaps[0]["explanation"]
            .as_str()
            .expect("x")
            .contains("exhausted"),
        "{}",
        gaps[0]
    );

    // GBR sees the proposals for its offer; it cannot decide, only commit once accepted.
    let mine = get(&app, "/proposals?mine=true", &gbr).await;
    assert_eq!(mine.json["items"].as_array().map(Vec::len), Some(2));
    let to_mosul = props
        .iter()
        .find(|p| p["contribution_id"] == g.as_str() && p["requirement_id"] == mosul.as_str())
        .expect("proposal")["id"]
        .as_str()
        .expect("id")
        .to_string();
    let to_tikrit = props
        .iter()
        .find(|p| p["contribution_id"] == g.as_str() && p["requirement_id"] == tikrit.as_str())
        .expect("proposal")["id"]
        .as_str()
        .expect("id")
        .to_string();
    let r = post(
        &app,
        &format!("/proposals/{to_mosul}/decision"),
        &gbr,
        json!({"decision": "accept"}),
    )
    .await;
    assert_problem(&r, StatusCode::FORBIDDEN, "forbidden");
    let r = post(
        &app,
        &format!("/proposals/{to_mosul}/commit"),
        &gbr,
        json!({}),
    )
    .await;
    assert_problem(&r, StatusCode::CONFLICT, "invalid_transition");
    let r = post(
        &app,
        &format!("/proposals/{to_mosul}/decision"),
        &usa,
        json!({"decision": "maybe"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = post(
        &app,
        &format!("/proposals/{to_mosul}/decision"),
        &usa,
        json!({"decision": "accept", "reason": "fits"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    assert_eq!(r.json["status"], "accepted");
    let r = post(
        &app,
        &format!("/proposals/{to_tikrit}/decision"),
        &usa,
        json!({"decision": "reject", "reason": "Tikrit is covered by a UN programme"}),
    )
    .await;
    assert_eq!(r.json["status"], "rejected");
    let r = post(
        &app,
        &format!("/proposals/{to_tikrit}/decision"),
        &usa,
        json!({"decision": "accept"}),
    )
    .await;
    assert_problem(&r, StatusCode::CONFLICT, "invalid_transition");
    // FRA cannot commit GBR's offer.
    let r = post(
        &app,
        &format!("/proposals/{to_mosul}/commit"),
        &fra,
        json!({}),
    )
    .await;
    assert_problem(&r, StatusCode::FORBIDDEN, "forbidden");

    // GBR commits: 7 become a committed contribution against Mosul; the offer keeps 5.
    let r = post(
        &app,
        &format!("/proposals/{to_mosul}/commit"),
        &gbr,
        json!({}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
    assert_eq!(r.json["status"], "committed");
    assert_eq!(r.json["requirement_id"], mosul.as_str());
    assert_eq!(r.json["measure"]["quantity"], 7);
    let left = get(&app, &format!("/contributions/{g}"), &gbr).await;
    assert_eq!(left.json["measure"]["quantity"], 5);
    assert_eq!(left.json["status"], "pledged");
    let s = get(&app, &format!("/requirements/{mosul}/summary"), &irq).await;
    assert_eq!(
        (s.json["committed"].as_i64(), s.json["gap"].as_i64()),
        (Some(7), Some(1))
    );
    // The picture follows: GBR's tanks are 5 pledged and 7 committed, the
    // same in the figures kept per reader (no filter) and in a scan (a
    // member filter).
    let tanks = |t: &serde_json::Value| -> Vec<serde_json::Value> {
        t["items"]
            .as_array()
            .expect("items")
            .iter()
            .filter(|i| i["key"] == "GBR" && i["unit"] == "tank")
            .cloned()
            .collect()
    };
    let kept = get(&app, "/picture/totals?by=member", &usa).await;
    let scanned = get(&app, "/picture/totals?by=member&member=GBR", &usa).await;
    assert_eq!(tanks(&kept.json), tanks(&scanned.json));
    let gbr_tanks = tanks(&kept.json);
    assert_eq!(gbr_tanks.len(), 1, "{}", kept.json);
    assert_eq!(
        (
            gbr_tanks[0]["pledged"].as_i64(),
            gbr_tanks[0]["committed"].as_i64()
        ),
        (Some(5), Some(7))
    );
    let r = post(
        &app,
        &format!("/proposals/{to_mosul}/commit"),
        &gbr,
        json!({}),
    )
    .await;
    assert_problem(&r, StatusCode::CONFLICT, "invalid_transition");
    let again = get(
        &app,
        &format!("/allocations/{}", run["id"].as_str().expect("id")),
        &usa,
    )
    .await;
    let statuses: Vec<&str> = again.json["proposals"]
        .as_array()
        .expect("p")
        .iter()
        .map(|p| p["status"].as_str().expect("s"))
        .collect();
    assert!(statuses.contains(&"committed") && statuses.contains(&"rejected"));
    // Another member's users do not read the coordinator's run.
    let r = get(
        &app,
        &format!("/allocations/{}", run["id"].as_str().expect("id")),
        &gbr,
    )
    .await;
    assert_problem(&r, StatusCode::NOT_FOUND, "not_found");
}

#[tokio::test]
async fn only_what_the_coordinator_may_read_goes_in_and_proposals_follow_releasability() {
    let app = App::seeded().await;
    let (usa, gbr, fra, irq) = (
        app.login("usa").await,
        app.login("gbr").await,
        app.login("fra").await,
        app.login("irq").await,
    );
    created(
        &app,
        "/requirements",
        &irq,
        requirement("Water", 10, "Tikrit", 1),
    )
    .await;
    // FRA's offer is REL TO IRQ only: USA (the coordinator) cannot read it.
    created(
        &app,
        "/contributions",
        &fra,
        offer("FRA", 5, None, &["IRQ"]),
    )
    .await;
    // GBR's offer is for the small group (USA, GBR): readable by USA, not by FRA.
    created(
        &app,
        "/contributions",
        &gbr,
        offer("GBR", 4, None, &["GROUP:small-group"]),
    )
    .await;
    let r = post(&app, "/allocations", &usa, json!({})).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
    assert_eq!(r.json["offers"], 1, "FRA's offer is not releasable to USA");
    assert_eq!(r.json["proposed"], 4);
    let id = r.json["proposals"][0]["id"]
        .as_str()
        .expect("id")
        .to_string();
    assert_eq!(get(&app, "/proposals", &fra).await.json["items"], json!([]));
    let r = get(&app, "/proposals", &irq).await;
    assert_eq!(
        r.json["items"],
        json!([]),
        "IRQ may not read GBR's small-group offer"
    );
    let r = post(
        &app,
        &format!("/proposals/{id}/decision"),
        &fra,
        json!({"decision": "reject"}),
    )
    .await;
    assert!(r.status == StatusCode::NOT_FOUND || r.status == StatusCode::FORBIDDEN);
    // USA offers 20: more than the 10 needed, so surplus is left.
    created(
        &app,
        "/contributions",
        &usa,
        offer("USA", 20, None, &["COALITION"]),
    )
    .await;
    let r = post(&app, "/allocations", &usa, json!({})).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
    assert_eq!(
        r.json["offers"], 2,
        "GBR's and USA's; FRA's is not releasable to USA"
    );
    assert_eq!(r.json["proposed"], 10);
    let surplus: i64 = r.json["surplus"]
        .as_array()
        .expect("surplus")
        .iter()
        .map(|o| {
            assert_eq!(
                o["offered"].as_i64(),
                Some(o["allocated"].as_i64().expect("a") + o["surplus"].as_i64().expect("s"))
            );
            o["surplus"].as_i64().expect("s")
        })
        .sum();
    assert_eq!(surplus, 24 - 10, "offered 24, proposed 10");
    assert_eq!(r.json["gaps"], json!([]));
    // Nothing to allocate: an empty run, not an error.
    let app2 = App::seeded().await;
    let usa2 = app2.login("usa").await;
    let r = post(&app2, "/allocations", &usa2, json!({})).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
    assert_eq!(r.json["proposals"], json!([]));
}

/// A pledge the allocation moves whole to a requirement becomes the
/// committed contribution itself: nothing is left behind as "cancelled", so
/// the cancelled total does not count what was in fact committed.
#[tokio::test]
async fn a_pledge_committed_whole_is_not_counted_as_cancelled() {
    let app = App::seeded().await;
    let (usa, fra, irq) = (
        app.login("usa").await,
        app.login("fra").await,
        app.login("irq").await,
    );
    let tikrit = created(
        &app,
        "/requirements",
        &irq,
        requirement("Water for Tikrit", 10, "Tikrit", 1),
    )
    .await;
    let f = created(
        &app,
        "/contributions",
        &fra,
        offer("FRA", 5, Some("Tikrit"), &["COALITION"]),
    )
    .await;
    let run = post(&app, "/allocations", &usa, json!({})).await;
    assert_eq!(run.status, StatusCode::CREATED, "{}", run.json);
    let prop = run.json["proposals"][0]["id"]
        .as_str()
        .expect("id")
        .to_string();
    assert_eq!(run.json["proposals"][0]["amount"], 5);
    let r = post(
        &app,
        &format!("/proposals/{prop}/decision"),
        &usa,
        json!({"decision": "accept"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    let c = post(&app, &format!("/proposals/{prop}/commit"), &fra, json!({})).await;
    assert_eq!(c.status, StatusCode::CREATED, "{}", c.json);
    assert_eq!(c.json["status"], "committed");
    assert_eq!(c.json["requirement_id"], tikrit.as_str());
    assert_eq!(c.json["measure"]["quantity"], 5);
    assert_eq!(c.json["id"], f.as_str(), "the pledge itself is committed");
    let all = get(&app, "/contributions", &usa).await;
    assert!(
        all.json["items"]
            .as_array()
            .expect("items")
            .iter()
            .all(|i| i["status"] != "cancelled"),
        "{}",
        all.json
    );
    for path in [
        "/picture/totals?by=member",
        "/picture/totals?by=member&member=FRA",
    ] {
        let t = get(&app, path, &usa).await;
        let fra_row: Vec<&Value> = t.json["items"]
            .as_array()
            .expect("items")
            .iter()
            .filter(|i| i["key"] == "FRA")
            .collect();
        assert_eq!(fra_row.len(), 1, "{path}: {}", t.json);
        assert_eq!(
            (
                fra_row[0]["committed"].as_i64(),
                fra_row[0]["cancelled"].as_i64()
            ),
            (Some(5), Some(0)),
            "{path}: {}",
            t.json
        );
    }
}

/// `POST /allocations` with this `Prefer` header.
async fn post_with_prefer(app: &App, token: &str, prefer: &str) -> common::Res {
    let req = axum::http::Request::builder()
        .method("POST")
        .uri("/api/v1/allocations")
        .header("authorization", format!("Bearer {token}"))
        .header("prefer", prefer)
        .body(axum::body::Body::empty())
        .expect("request");
    app.raw(req).await
}

/// The run's job, polled until it ends.
#[tokio::test]
async fn a_run_started_async_is_a_job_of_its_member_with_progress_phases_and_result() {
    let app = App::seeded().await;
    let (usa, gbr, irq) = (
        app.login("usa").await,
        app.login("gbr").await,
        app.login("irq").await,
    );
    created(
        &app,
        "/requirements",
        &irq,
        requirement("Water for Tikrit", 10, "Tikrit", 1),
    )
    .await;
    created(
        &app,
        "/contributions",
        &gbr,
        offer("GBR", 12, None, &["COALITION"]),
    )
    .await;

    let r = post_with_prefer(&app, &usa, "wait=5, respond-async").await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.json);
    assert_eq!(r.headers["preference-applied"], "respond-async");
    let id = r.json["id"].as_str().expect("job id").to_string();
    let location = r.headers["location"]
        .to_str()
        .expect("location")
        .to_string();
    assert_eq!(location, format!("/api/v1/jobs/{id}"));
    assert_eq!(r.json["kind"], "allocation");
    assert_eq!(r.json["member"], "USA");
    assert_eq!(r.json["started_by"], "usa");

    let job = job_when_ended(&app, &format!("/jobs/{id}"), &usa).await;
    assert_eq!(job["status"], "succeeded", "{job}");
    let phases: Vec<&str> = job["phases"]
        .as_array()
        .expect("phases")
        .iter()
        .map(|p| p["name"].as_str().expect("name"))
        .collect();
    assert_eq!(phases, ["loading", "model", "engine", "labels", "saving"]);
    assert!(job["finished_at"].is_string());
    let run_id = job["result"].as_str().expect("result: the run's id");
    let run = get(&app, &format!("/allocations/{run_id}"), &usa).await;
    assert_eq!(run.status, StatusCode::OK, "{}", run.json);
    assert_eq!(run.json["proposed"], 10);

    // The member's list holds it; another member's users learn nothing of it.
    let mine = get(&app, "/jobs", &usa).await;
    assert_eq!(mine.json["items"][0]["id"], id.as_str());
    let theirs = get(&app, "/jobs", &gbr).await;
    assert_eq!(theirs.json["items"], json!([]));
    assert_problem(
        &get(&app, &format!("/jobs/{id}"), &gbr).await,
        StatusCode::NOT_FOUND,
        "not_found",
    );
    assert_problem(
        &post(&app, &format!("/jobs/{id}/cancel"), &gbr, json!({})).await,
        StatusCode::NOT_FOUND,
        "not_found",
    );
    // Cancelling a job that ended leaves it as it ended.
    let r = post(&app, &format!("/jobs/{id}/cancel"), &usa, json!({})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    assert_eq!(r.json["status"], "succeeded");
    // A contributor starts no run, async or not.
    assert_problem(
        &post_with_prefer(&app, &gbr, "respond-async").await,
        StatusCode::FORBIDDEN,
        "forbidden",
    );
    assert_eq!(get(&app, "/jobs", &gbr).await.json["items"], json!([]));
}

#[tokio::test]
async fn a_run_over_the_configured_pair_limit_is_refused_and_keeps_nothing() {
    let mut state = common::seeded_state().await;
    state.allocation_max_pairs = 1;
    let app = App::with_state(state);
    let (usa, gbr, fra, irq) = (
        app.login("usa").await,
        app.login("gbr").await,
        app.login("fra").await,
        app.login("irq").await,
    );
    tikrit_and_mosul(&app, &irq, &gbr, &fra).await;
    let r = post(&app, "/allocations", &usa, json!({})).await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY, "too_large");
    assert!(
        r.json["detail"]
            .as_str()
            .expect("detail")
            .contains("more than 1 compatible"),
        "{}",
        r.json
    );
    // The job says so too, and no run was kept.
    let jobs = get(&app, "/jobs", &usa).await;
    assert_eq!(jobs.json["items"][0]["status"], "failed");
    assert_eq!(jobs.json["items"][0]["error"]["code"], "too_large");
    assert_eq!(get(&app, "/proposals", &usa).await.json["items"], json!([]));
}

/// An offer in an allocation proposal still open keeps its terms: its
/// member may retitle it, not change its amount, place, window or category
/// until the proposal is committed or rejected (the proposal would commit
/// a part under terms the offer no longer has).
#[tokio::test]
async fn an_offer_in_an_open_proposal_keeps_its_terms_until_it_is_decided() {
    let app = App::seeded().await;
    let (usa, gbr, fra, irq) = (
        app.login("usa").await,
        app.login("gbr").await,
        app.login("fra").await,
        app.login("irq").await,
    );
    let (_, _, g, _) = tikrit_and_mosul(&app, &irq, &gbr, &fra).await;
    let r = post(&app, "/allocations", &usa, json!({})).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
    let path = format!("/contributions/{g}");
    let mut more = offer("GBR", 20, None, &["COALITION"]);
    more["if_version"] = json!(1);
    assert_problem(
        &common::put(&app, &path, &gbr, more).await,
        StatusCode::CONFLICT,
        "invalid_transition",
    );
    let mut retitled = offer("GBR", 12, None, &["COALITION"]);
    retitled["title"] = json!("Water tanks from the United Kingdom");
    retitled["if_version"] = json!(1);
    let ok = common::put(&app, &path, &gbr, retitled).await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.json);
    assert_eq!(ok.json["measure"]["quantity"], 12);
}
