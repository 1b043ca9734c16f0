//! The registry of read paths: every GET route of the API and TAXII, with
//! the kinds of marked record it reads. The releasability property test
//! (`web/tests/read_paths.rs`) walks this registry and the web interface's
//! (`coalesce_web::READ_PATHS`) and fails on a route that is in neither, so
//! a new route, export or page must say here what it reads.

pub use coalesce_app::read_paths::ReadPath;

const fn rp(path: &'static str, reads: &'static [&'static str]) -> ReadPath {
    ReadPath { path, reads }
}

const NEEDS: &[&str] = &["requirement", "contribution"];
const SHARING: &[&str] = &["report", "entity", "relationship"];
/// A fund and the ledger's transfers, each marked.
const FUND: &[&str] = &["fund", "fund_transfer"];
use coalesce_app::read_paths::PLENARY;
/// A commitment, its meeting(s) and the parts that fulfil it.
const FOLLOW_UP: &[&str] = &[
    "commitment",
    "meeting",
    "contribution",
    "fund_transfer",
    "indicator_value",
];

/// Under `/api/v1`.
pub const API_READ_PATHS: &[ReadPath] = &[
    rp(
        "/allocations/{id}",
        &["allocation_run", "requirement", "contribution"],
    ),
    rp("/allocations/{id}/stix", &["allocation_run"]),
    rp("/audit", &["audit"]),
    rp("/calendar/{token}", FOLLOW_UP),
    rp("/commitments/board", FOLLOW_UP),
    rp("/contributions", NEEDS),
    rp("/contributions/count", NEEDS),
    rp("/contributions/{id}", NEEDS),
    rp("/contributions/{id}/stix", &["contribution"]),
    rp("/contributions/{id}/deliveries", NEEDS),
    rp("/contributions/{id}/screening", NEEDS),
    rp("/contributions/{id}/versions", NEEDS),
    rp("/entities", SHARING),
    rp("/entities/count", SHARING),
    rp("/entities/{id}", SHARING),
    rp("/entities/{id}/correlations", SHARING),
    rp("/entities/{id}/relationships", SHARING),
    rp("/entities/{id}/screening", SHARING),
    rp("/entities/{id}/versions", SHARING),
    rp("/export/contributions.csv", NEEDS),
    rp(
        "/export/iati.xml",
        &[
            "requirement",
            "contribution",
            "fund",
            "fund_project",
            "fund_transfer",
        ],
    ),
    rp("/export/indicator-values.csv", &["indicator_value"]),
    rp("/export/requirements.csv", NEEDS),
    rp("/export/stix", SHARING),
    rp("/funds/{id}/breakdown", FUND),
    rp("/funds/{id}/flows", FUND),
    rp("/funds/{id}/operations.csv", FUND),
    rp("/funds/{id}/projects", &["fund", "fund_project"]),
    rp("/funds/{id}/status", FUND),
    rp("/funds/{id}/status.csv", FUND),
    rp("/funds/{id}/transfers", FUND),
    rp("/groups", &["registry"]),
    rp("/groups/{slug}", &["registry"]),
    rp("/indicators", &["indicator_value"]),
    rp("/jobs", &["own"]),
    rp("/jobs/{id}", &["own"]),
    rp("/indicators/{slug}", &["indicator_value"]),
    rp("/indicators/{slug}/values", &["indicator_value"]),
    rp("/federation/registry", &["registry"]),
    rp("/item-categories", &["registry"]),
    rp("/lines-of-effort", &["registry"]),
    rp(
        "/lines-of-effort/{slug}/dashboard",
        &["requirement", "contribution", "indicator_value"],
    ),
    rp("/me", &["own"]),
    rp("/me/notices", FOLLOW_UP),
    rp("/meetings/{id}.ics", FOLLOW_UP),
    rp("/members", &["registry"]),
    rp("/metrics", &["registry"]),
    rp("/node", &["registry"]),
    rp("/peers", &["registry"]),
    rp("/peers/{name}", &["registry"]),
    rp("/members/{code}", &["registry"]),
    rp("/notes", &["note"]),
    rp("/notes/count", &["note"]),
    rp("/notes/{id}", &["note"]),
    rp("/notes/{id}/versions", &["note"]),
    rp("/picture/duplication", NEEDS),
    rp("/picture/totals", NEEDS),
    rp("/picture/trend", NEEDS),
    rp(
        "/proposals",
        &["allocation_run", "requirement", "contribution"],
    ),
    rp("/rates", &["registry"]),
    rp("/report/plenary", PLENARY),
    rp("/report/snapshots/{id}", PLENARY),
    rp("/reports", SHARING),
    rp("/reports/count", SHARING),
    rp("/reports/{id}", SHARING),
    rp("/reports/{id}/screening", SHARING),
    rp("/reports/{id}/versions", SHARING),
    rp("/requirements", NEEDS),
    rp("/requirements/{id}", NEEDS),
    rp("/requirements/{id}/contributions", NEEDS),
    rp("/requirements/{id}/stix", &["requirement"]),
    rp("/requirements/{id}/summary", NEEDS),
    rp("/requirements/{id}/versions", NEEDS),
    rp("/screen/decisions", &["screening_decision"]),
    rp("/screen/lists", &["registry"]),
    rp("/screen/lists/{id}/changes", &["registry"]),
    rp("/screen/lists/{id}/rescreen", &["entity", "contribution"]),
    rp("/search", SHARING),
    rp("/statements/{id}/akn", &["statement", "meeting"]),
];

/// TAXII 2.1, under `/taxii2`.
pub const TAXII_READ_PATHS: &[ReadPath] = &[
    rp("/", &["registry"]),
    rp("/coalesce/", &["registry"]),
    rp("/coalesce/collections/", &["registry"]),
    rp("/coalesce/collections/{cid}/", &["registry"]),
    rp("/coalesce/collections/{cid}/manifest/", &["stix_object"]),
    rp("/coalesce/collections/{cid}/objects/", &["stix_object"]),
    rp(
        "/coalesce/collections/{cid}/objects/{oid}/",
        &["stix_object"],
    ),
    rp(
        "/coalesce/collections/{cid}/objects/{oid}/versions/",
        &["stix_object"],
    ),
    rp("/coalesce/status/{status_id}/", &["own"]),
];

/// The read paths of the kinds served by the record layer's routes (under
/// `/api/v1`): each kind's list, count, record, versions and STIX form.
pub fn record_read_paths() -> Vec<ReadPath> {
    crate::routes::records::read_paths()
}
