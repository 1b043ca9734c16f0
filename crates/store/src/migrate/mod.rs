//! Versioned migrations, embedded in the binary, one list per dialect with the
//! same numbers (a test checks they match).

use crate::{now_ms, Dialect, Result, Store, StoreError};
use coalesce_domain::indicators::IndicatorValueKind;
use coalesce_domain::relationship::RelationshipKind;
use coalesce_domain::screening_decision::ScreeningDecisionKind;
use sqlx::Executor;

pub(crate) struct Migration {
    pub version: i64,
    pub name: &'static str,
    pub sql: &'static str,
}

pub(crate) const SQLITE: &[Migration] = &[
    Migration {
        version: 1,
        name: "foundation",
        sql: include_str!("../../migrations/sqlite/0001_foundation.sql"),
    },
    Migration {
        version: 2,
        name: "screening",
        sql: include_str!("../../migrations/sqlite/0002_screening.sql"),
    },
    Migration {
        version: 3,
        name: "needs",
        sql: include_str!("../../migrations/sqlite/0003_needs.sql"),
    },
    Migration {
        version: 4,
        name: "picture",
        sql: include_str!("../../migrations/sqlite/0004_picture.sql"),
    },
    Migration {
        version: 5,
        name: "allocation",
        sql: include_str!("../../migrations/sqlite/0005_allocation.sql"),
    },
    Migration {
        version: 6,
        name: "reports",
        sql: include_str!("../../migrations/sqlite/0006_reports.sql"),
    },
    Migration {
        version: 7,
        name: "taxii",
        sql: include_str!("../../migrations/sqlite/0007_taxii.sql"),
    },
    Migration {
        version: 8,
        name: "report_details",
        sql: include_str!("../../migrations/sqlite/0008_report_details.sql"),
    },
    Migration {
        version: 9,
        name: "search_vocab",
        sql: include_str!("../../migrations/sqlite/0009_search_vocab.sql"),
    },
    Migration {
        version: 10,
        name: "picture_rollup",
        sql: include_str!("../../migrations/sqlite/0010_picture_rollup.sql"),
    },
    Migration {
        version: 11,
        name: "parties",
        sql: include_str!("../../migrations/sqlite/0011_parties.sql"),
    },
    Migration {
        version: 12,
        name: "reader_counts",
        sql: include_str!("../../migrations/sqlite/0012_reader_counts.sql"),
    },
    Migration {
        version: 13,
        name: "contribution_own_place",
        sql: include_str!("../../migrations/sqlite/0013_contribution_own_place.sql"),
    },
    Migration {
        version: 14,
        name: "allocation_marking",
        sql: include_str!("../../migrations/sqlite/0014_allocation_marking.sql"),
    },
    Migration {
        version: 15,
        name: "login_failures",
        sql: include_str!("../../migrations/sqlite/0015_login_failures.sql"),
    },
    Migration {
        version: 16,
        name: "co_contributor_consent",
        sql: include_str!("../../migrations/sqlite/0016_co_contributor_consent.sql"),
    },
    Migration {
        version: 17,
        name: "requester_consent",
        sql: include_str!("../../migrations/sqlite/0017_requester_consent.sql"),
    },
    Migration {
        version: 18,
        name: "records",
        sql: include_str!("../../migrations/sqlite/0018_records.sql"),
    },
    Migration {
        version: 19,
        name: "indicator_values_on_records",
        sql: include_str!("../../migrations/sqlite/0019_indicator_values_on_records.sql"),
    },
    Migration {
        version: 20,
        name: "relationships_on_records",
        sql: include_str!("../../migrations/sqlite/0020_relationships_on_records.sql"),
    },
    Migration {
        version: 21,
        name: "screening_decisions_on_records",
        sql: include_str!("../../migrations/sqlite/0021_screening_decisions_on_records.sql"),
    },
    Migration {
        version: 22,
        name: "fold_names",
        sql: include_str!("../../migrations/sqlite/0022_fold_names.sql"),
    },
    Migration {
        version: 23,
        name: "entities_on_records",
        sql: include_str!("../../migrations/sqlite/0023_entities_on_records.sql"),
    },
    Migration {
        version: 24,
        name: "reports_on_records",
        sql: include_str!("../../migrations/sqlite/0024_reports_on_records.sql"),
    },
    Migration {
        version: 25,
        name: "requirements_on_records",
        sql: include_str!("../../migrations/sqlite/0025_requirements_on_records.sql"),
    },
    Migration {
        version: 26,
        name: "contributions_on_records",
        sql: include_str!("../../migrations/sqlite/0026_contributions_on_records.sql"),
    },
    Migration {
        version: 27,
        name: "allocation_runs_on_records",
        sql: include_str!("../../migrations/sqlite/0027_allocation_runs_on_records.sql"),
    },
    Migration {
        version: 28,
        name: "stix_ids_per_origin",
        sql: include_str!("../../migrations/sqlite/0028_stix_ids_per_origin.sql"),
    },
    Migration {
        version: 29,
        name: "fund_ledger",
        sql: include_str!("../../migrations/sqlite/0029_fund_ledger.sql"),
    },
    Migration {
        version: 30,
        name: "fund_exchange_differences",
        sql: include_str!("../../migrations/sqlite/0030_fund_exchange_differences.sql"),
    },
    Migration {
        version: 31,
        name: "fund_breakdown_per_dimension",
        sql: include_str!("../../migrations/sqlite/0031_fund_breakdown_per_dimension.sql"),
    },
    Migration {
        version: 32,
        name: "meetings",
        sql: include_str!("../../migrations/sqlite/0032_meetings.sql"),
    },
    Migration {
        version: 33,
        name: "report_snapshots",
        sql: include_str!("../../migrations/sqlite/0033_report_snapshots.sql"),
    },
    Migration {
        version: 34,
        name: "sources",
        sql: include_str!("../../migrations/sqlite/0034_sources.sql"),
    },
    Migration {
        version: 35,
        name: "node_keys",
        sql: include_str!("../../migrations/sqlite/0035_node_keys.sql"),
    },
    Migration {
        version: 36,
        name: "peers",
        sql: include_str!("../../migrations/sqlite/0036_peers.sql"),
    },
    Migration {
        version: 37,
        name: "version_signatures",
        sql: include_str!("../../migrations/sqlite/0037_version_signatures.sql"),
    },
    Migration {
        version: 38,
        name: "peer_pull",
        sql: include_str!("../../migrations/sqlite/0038_peer_pull.sql"),
    },
    Migration {
        version: 39,
        name: "peer_keys_relay",
        sql: include_str!("../../migrations/sqlite/0039_peer_keys_relay.sql"),
    },
    Migration {
        version: 40,
        name: "home_nodes",
        sql: include_str!("../../migrations/sqlite/0040_home_nodes.sql"),
    },
    Migration {
        version: 41,
        name: "unsigned_import",
        sql: include_str!("../../migrations/sqlite/0041_unsigned_import.sql"),
    },
    Migration {
        version: 42,
        name: "peer_view",
        sql: include_str!("../../migrations/sqlite/0042_peer_view.sql"),
    },
    Migration {
        version: 43,
        name: "awaiting_registry",
        sql: include_str!("../../migrations/sqlite/0043_awaiting_registry.sql"),
    },
    Migration {
        version: 44,
        name: "names_second_round",
        sql: include_str!("../../migrations/sqlite/0044_names_second_round.sql"),
    },
    Migration {
        version: 45,
        name: "rescreen",
        sql: include_str!("../../migrations/sqlite/0045_rescreen.sql"),
    },
    Migration {
        version: 46,
        name: "receipt_details",
        sql: include_str!("../../migrations/sqlite/0046_receipt_details.sql"),
    },
    Migration {
        version: 47,
        name: "saved_searches",
        sql: include_str!("../../migrations/sqlite/0047_saved_searches.sql"),
    },
    Migration {
        version: 48,
        name: "user_locale",
        sql: include_str!("../../migrations/sqlite/0048_user_locale.sql"),
    },
    Migration {
        version: 49,
        name: "retention",
        sql: include_str!("../../migrations/sqlite/0049_retention.sql"),
    },
    Migration {
        version: 50,
        name: "resync_sweep",
        sql: include_str!("../../migrations/sqlite/0050_resync_sweep.sql"),
    },
    Migration {
        version: 51,
        name: "views_status",
        sql: include_str!("../../migrations/sqlite/0051_views_status.sql"),
    },
    Migration {
        version: 52,
        name: "taxii_pending",
        sql: include_str!("../../migrations/sqlite/0052_taxii_pending.sql"),
    },
];

pub(crate) const POSTGRES: &[Migration] = &[
    Migration {
        version: 1,
        name: "foundation",
        sql: include_str!("../../migrations/postgres/0001_foundation.sql"),
    },
    Migration {
        version: 2,
        name: "screening",
        sql: include_str!("../../migrations/postgres/0002_screening.sql"),
    },
    Migration {
        version: 3,
        name: "needs",
        sql: include_str!("../../migrations/postgres/0003_needs.sql"),
    },
    Migration {
        version: 4,
        name: "picture",
        sql: include_str!("../../migrations/postgres/0004_picture.sql"),
    },
    Migration {
        version: 5,
        name: "allocation",
        sql: include_str!("../../migrations/postgres/0005_allocation.sql"),
    },
    Migration {
        version: 6,
        name: "reports",
        sql: include_str!("../../migrations/postgres/0006_reports.sql"),
    },
    Migration {
        version: 7,
        name: "taxii",
        sql: include_str!("../../migrations/postgres/0007_taxii.sql"),
    },
    Migration {
        version: 8,
        name: "report_details",
        sql: include_str!("../../migrations/postgres/0008_report_details.sql"),
    },
    Migration {
        version: 9,
        name: "search_vocab",
        sql: include_str!("../../migrations/postgres/0009_search_vocab.sql"),
    },
    Migration {
        version: 10,
        name: "picture_rollup",
        sql: include_str!("../../migrations/postgres/0010_picture_rollup.sql"),
    },
    Migration {
        version: 11,
        name: "parties",
        sql: include_str!("../../migrations/postgres/0011_parties.sql"),
    },
    Migration {
        version: 12,
        name: "reader_counts",
        sql: include_str!("../../migrations/postgres/0012_reader_counts.sql"),
    },
    Migration {
        version: 13,
        name: "contribution_own_place",
        sql: include_str!("../../migrations/postgres/0013_contribution_own_place.sql"),
    },
    Migration {
        version: 14,
        name: "allocation_marking",
        sql: include_str!("../../migrations/postgres/0014_allocation_marking.sql"),
    },
    Migration {
        version: 15,
        name: "login_failures",
        sql: include_str!("../../migrations/postgres/0015_login_failures.sql"),
    },
    Migration {
        version: 16,
        name: "co_contributor_consent",
        sql: include_str!("../../migrations/postgres/0016_co_contributor_consent.sql"),
    },
    Migration {
        version: 17,
        name: "requester_consent",
        sql: include_str!("../../migrations/postgres/0017_requester_consent.sql"),
    },
    Migration {
        version: 18,
        name: "records",
        sql: include_str!("../../migrations/postgres/0018_records.sql"),
    },
    Migration {
        version: 19,
        name: "indicator_values_on_records",
        sql: include_str!("../../migrations/postgres/0019_indicator_values_on_records.sql"),
    },
    Migration {
        version: 20,
        name: "relationships_on_records",
        sql: include_str!("../../migrations/postgres/0020_relationships_on_records.sql"),
    },
    Migration {
        version: 21,
        name: "screening_decisions_on_records",
        sql: include_str!("../../migrations/postgres/0021_screening_decisions_on_records.sql"),
    },
    Migration {
        version: 22,
        name: "fold_names",
        sql: include_str!("../../migrations/postgres/0022_fold_names.sql"),
    },
    Migration {
        version: 23,
        name: "entities_on_records",
        sql: include_str!("../../migrations/postgres/0023_entities_on_records.sql"),
    },
    Migration {
        version: 24,
        name: "reports_on_records",
        sql: include_str!("../../migrations/postgres/0024_reports_on_records.sql"),
    },
    Migration {
        version: 25,
        name: "requirements_on_records",
        sql: include_str!("../../migrations/postgres/0025_requirements_on_records.sql"),
    },
    Migration {
        version: 26,
        name: "contributions_on_records",
        sql: include_str!("../../migrations/postgres/0026_contributions_on_records.sql"),
    },
    Migration {
        version: 27,
        name: "allocation_runs_on_records",
        sql: include_str!("../../migrations/postgres/0027_allocation_runs_on_records.sql"),
    },
    Migration {
        version: 28,
        name: "stix_ids_per_origin",
        sql: include_str!("../../migrations/postgres/0028_stix_ids_per_origin.sql"),
    },
    Migration {
        version: 29,
        name: "fund_ledger",
        sql: include_str!("../../migrations/postgres/0029_fund_ledger.sql"),
    },
    Migration {
        version: 30,
        name: "fund_exchange_differences",
        sql: include_str!("../../migrations/postgres/0030_fund_exchange_differences.sql"),
    },
    Migration {
        version: 31,
        name: "fund_breakdown_per_dimension",
        sql: include_str!("../../migrations/postgres/0031_fund_breakdown_per_dimension.sql"),
    },
    Migration {
        version: 32,
        name: "meetings",
        sql: include_str!("../../migrations/postgres/0032_meetings.sql"),
    },
    Migration {
        version: 33,
        name: "report_snapshots",
        sql: include_str!("../../migrations/postgres/0033_report_snapshots.sql"),
    },
    Migration {
        version: 34,
        name: "sources",
        sql: include_str!("../../migrations/postgres/0034_sources.sql"),
    },
    Migration {
        version: 35,
        name: "node_keys",
        sql: include_str!("../../migrations/postgres/0035_node_keys.sql"),
    },
    Migration {
        version: 36,
        name: "peers",
        sql: include_str!("../../migrations/postgres/0036_peers.sql"),
    },
    Migration {
        version: 37,
        name: "version_signatures",
        sql: include_str!("../../migrations/postgres/0037_version_signatures.sql"),
    },
    Migration {
        version: 38,
        name: "peer_pull",
        sql: include_str!("../../migrations/postgres/0038_peer_pull.sql"),
    },
    Migration {
        version: 39,
        name: "peer_keys_relay",
        sql: include_str!("../../migrations/postgres/0039_peer_keys_relay.sql"),
    },
    Migration {
        version: 40,
        name: "home_nodes",
        sql: include_str!("../../migrations/postgres/0040_home_nodes.sql"),
    },
    Migration {
        version: 41,
        name: "unsigned_import",
        sql: include_str!("../../migrations/postgres/0041_unsigned_import.sql"),
    },
    Migration {
        version: 42,
        name: "peer_view",
        sql: include_str!("../../migrations/postgres/0042_peer_view.sql"),
    },
    Migration {
        version: 43,
        name: "awaiting_registry",
        sql: include_str!("../../migrations/postgres/0043_awaiting_registry.sql"),
    },
    Migration {
        version: 44,
        name: "names_second_round",
        sql: include_str!("../../migrations/postgres/0044_names_second_round.sql"),
    },
    Migration {
        version: 45,
        name: "rescreen",
        sql: include_str!("../../migrations/postgres/0045_rescreen.sql"),
    },
    Migration {
        version: 46,
        name: "receipt_details",
        sql: include_str!("../../migrations/postgres/0046_receipt_details.sql"),
    },
    Migration {
        version: 47,
        name: "saved_searches",
        sql: include_str!("../../migrations/postgres/0047_saved_searches.sql"),
    },
    Migration {
        version: 48,
        name: "user_locale",
        sql: include_str!("../../migrations/postgres/0048_user_locale.sql"),
    },
    Migration {
        version: 49,
        name: "retention",
        sql: include_str!("../../migrations/postgres/0049_retention.sql"),
    },
    Migration {
        version: 50,
        name: "resync_sweep",
        sql: include_str!("../../migrations/postgres/0050_resync_sweep.sql"),
    },
    Migration {
        version: 51,
        name: "views_status",
        sql: include_str!("../../migrations/postgres/0051_views_status.sql"),
    },
    Migration {
        version: 52,
        name: "taxii_pending",
        sql: include_str!("../../migrations/postgres/0052_taxii_pending.sql"),
    },
];

/// The newest migration this build knows for `dialect`.
pub(crate) fn newest_known(dialect: Dialect) -> i64 {
    let migrations = match dialect {
        Dialect::Sqlite => SQLITE,
        Dialect::Postgres => POSTGRES,
    };
    migrations.last().map(|m| m.version).unwrap_or(0)
}

pub(crate) async fn run(store: &Store) -> Result<()> {
    let migrations = match store.dialect() {
        Dialect::Sqlite => SQLITE,
        Dialect::Postgres => POSTGRES,
    };
    let mut w = store.begin_write().await?;
    w.tx.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)",
    )
    .await
    .map_err(|e| StoreError::Unavailable(format!("cannot write to the database: {}", crate::one_line(&e.to_string()))))?;
    let applied: Vec<(i64,)> =
        sqlx::query_as("SELECT version FROM schema_migrations ORDER BY version")
            .fetch_all(&mut *w.tx)
            .await?;
    let newest_known = migrations.last().map(|m| m.version).unwrap_or(0);
    if let Some((newest_applied,)) = applied.last() {
        if *newest_applied > newest_known {
            return Err(StoreError::Corrupt(format!(
                "database schema version {newest_applied} is newer than this coalesce ({newest_known}); upgrade coalesce"
            )));
        }
    }
    let mut backfill = false;
    let mut rollup_backfill = false;
    let mut counts_backfill = false;
    let mut values_moved = false;
    let mut relationships_moved = false;
    let mut decisions_moved = false;
    let mut reindex = false;
    for m in migrations {
        if applied.iter().any(|(v,)| *v == m.version) {
            continue;
        }
        tracing::info!(version = m.version, name = m.name, "applying migration");
        sqlx::raw_sql(m.sql).execute(&mut *w.tx).await?;
        sqlx::query(
            "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
        )
        .bind(m.version)
        .bind(m.name)
        .bind(now_ms())
        .execute(&mut *w.tx)
        .await?;
        if m.name == "entities_on_records" {
            // The rows move in Rust, before any later migration runs.
            let n = crate::entities::move_legacy_entities(&mut w).await?;
            tracing::info!(entities = n, "moved entities onto the record layer");
            counts_backfill |= !applied.is_empty();
            reindex |= n > 0;
        }
        if m.name == "reports_on_records" {
            let n = crate::reports::move_legacy_reports(&mut w).await?;
            tracing::info!(reports = n, "moved reports onto the record layer");
            counts_backfill |= !applied.is_empty();
            reindex |= n > 0;
        }
        if m.name == "requirements_on_records" {
            let n = crate::legacy_needs::move_legacy_requirements(&mut w).await?;
            tracing::info!(requirements = n, "moved requirements onto the record layer");
            counts_backfill |= !applied.is_empty();
        }
        if m.name == "contributions_on_records" {
            let n = crate::legacy_needs::move_legacy_contributions(&mut w).await?;
            tracing::info!(
                contributions = n,
                "moved contributions onto the record layer"
            );
            counts_backfill |= !applied.is_empty();
        }
        if m.name == "allocation_runs_on_records" {
            let n = crate::allocation::move_legacy_runs(&mut w).await?;
            tracing::info!(runs = n, "moved allocation runs onto the record layer");
            counts_backfill |= !applied.is_empty();
        }
        backfill |= m.name == "taxii" && !applied.is_empty();
        // Countries of contributions now follow their requirement's audience.
        rollup_backfill |= (m.name == "picture_rollup" || m.name == "contribution_own_place")
            && !applied.is_empty();
        counts_backfill |= m.name == "reader_counts" && !applied.is_empty();
        values_moved |= m.name == "indicator_values_on_records" && !applied.is_empty();
        relationships_moved |= m.name == "relationships_on_records" && !applied.is_empty();
        decisions_moved |= m.name == "screening_decisions_on_records" && !applied.is_empty();
        reindex |=
            (m.name == "fold_names" || m.name == "names_second_round") && !applied.is_empty();
    }
    if reindex {
        // Entities and reports moved onto the layer, or names folded anew:
        // their search documents and STIX objects made again, with today's
        // tables.
        let n = crate::reports::reindex_names(&mut w).await?;
        tracing::info!(records = n, "re-indexed entities and reports");
    }
    if decisions_moved {
        crate::records::canonicalize_bodies::<ScreeningDecisionKind>(&mut w.tx).await?;
        counts_backfill = true;
    }
    if relationships_moved {
        crate::records::canonicalize_bodies::<RelationshipKind>(&mut w.tx).await?;
        counts_backfill = true;
    }
    if values_moved {
        // SQL wrote their bodies; the layer compares and signs canonical JSON.
        crate::records::canonicalize_bodies::<IndicatorValueKind>(&mut w.tx).await?;
        counts_backfill = true;
    }
    if rollup_backfill {
        // Contributions recorded before the per-reader figures existed.
        crate::rollup::rebuild(&mut w, crate::rollup::Readers::All).await?;
        tracing::info!("computed the coordination picture's figures for every member");
    }
    if counts_backfill {
        // Records written before their readers' counts were kept.
        crate::counts::rebuild(&mut w.tx, None).await?;
        tracing::info!("counted the readable records of every member");
    }
    if backfill {
        // Records written before the STIX object store get their projections
        // (once every migration is in: they read today's columns).
        let n = crate::reports::backfill_stix(&mut w.tx).await?;
        tracing::info!(records = n, "projected existing records for TAXII");
    }
    w.commit().await
}

#[cfg(test)]
mod tests;
