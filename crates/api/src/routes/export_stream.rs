//! Exports written as they are read (issue 20's bounded memory): the STIX
//! bundle and the IATI activity file are produced a page of records at a
//! time, each page read with set queries (a query per 500 records, not one
//! per record), so that an export of a million records holds one page.
//!
//! Each export is a step machine ([`Export`]): every step reads one page
//! and gives the text it makes. The first step runs before the answer
//! starts, so that an error there is a problem document; each next step
//! runs when the client has taken the last piece, and a client that goes
//! away stops the reading. An error after the start cuts the answer short
//! (the client sees an incomplete transfer, never a file that looks whole).

use crate::{ApiError, AppState};
use axum::body::Bytes;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use coalesce_domain::entity::EntityRecordKind;
use coalesce_domain::needs::{Contribution, Delivery};
use coalesce_domain::record::{RefTarget, Status};
use coalesce_domain::relationship::RelationshipKind;
use coalesce_domain::report_record::ReportRecordKind;
use coalesce_domain::reports::ReportKind;
use coalesce_exchange::iati::{IatiOptions, IatiWriter};
use coalesce_exchange::iati_fund::FundActivity;
use coalesce_exchange::stix::{entity_stix_ids, BundleWriter};
use coalesce_store::needs::ContributionFilter;
use coalesce_store::notes::{Page, MAX_PAGE};
use coalesce_store::records::RecordFilter;
use coalesce_store::stix::Projection;
use coalesce_store::Principal;
use std::collections::{BTreeMap, BTreeSet};
use std::future::Future;

/// An export made a page at a time.
pub(crate) trait Export: Send + 'static {
    /// The next piece of the file, `None` once it is whole.
    fn step(&mut self) -> impl Future<Output = Result<Option<String>, ApiError>> + Send;
}

/// The answer of an export: its first piece made now, the rest as the
/// client reads.
pub(crate) async fn streamed<E: Export>(
    mut export: E,
    headers: Vec<(header::HeaderName, String)>,
) -> Result<Response, ApiError> {
    let first = export.step().await?;
    let state = (first, Some(export));
    let chunks = futures_util::stream::unfold(state, |(head, export)| async move {
        if let Some(h) = head {
            return Some((Ok(Bytes::from(h)), (None, export)));
        }
        let mut export = export?;
        loop {
            match export.step().await {
                Ok(Some(piece)) if piece.is_empty() => continue,
                Ok(Some(piece)) => return Some((Ok(Bytes::from(piece)), (None, Some(export)))),
                Ok(None) => return None,
                Err(e) => {
                    tracing::error!(error = %e.detail, "an export stopped part way");
                    return Some((Err(std::io::Error::other(e.detail)), (None, None)));
                }
            }
        }
    });
    let mut response = axum::body::Body::from_stream(chunks).into_response();
    for (name, value) in headers {
        if let Ok(v) = header::HeaderValue::from_str(&value) {
            response.headers_mut().insert(name, v);
        }
    }
    Ok(response)
}

/// Where a STIX export is.
enum StixPhase {
    /// Nothing written yet.
    Open,
    /// Every readable entity, a page at a time (unfiltered exports).
    Entities(Option<String>),
    /// The reports, a page at a time.
    Reports(Option<String>),
    /// Every readable relationship, a page at a time (unfiltered exports).
    Relationships(Option<String>),
    /// The relationships among the entities written, 500 entities at a
    /// time (filtered exports).
    RelationshipsAmong(Vec<String>),
    Close,
    Done,
}

/// The STIX 2.1 bundle of what the caller may read: without filters every
/// readable entity, report and relationship; with a report kind or an
/// entity, those reports, the entities they link to (and the entity), and
/// the relationships among those entities.
pub(crate) struct StixExport {
    st: AppState,
    p: Principal,
    ctx: Projection,
    writer: BundleWriter,
    bundle_key: String,
    kind: Option<ReportKind>,
    about: Option<String>,
    phase: StixPhase,
    /// Filtered exports: the entities considered so far (written, or with
    /// no STIX form), and the STIX ids of those written. Bounded by what
    /// the filtered reports link to.
    considered: BTreeSet<String>,
    in_bundle: BTreeMap<String, String>,
    /// Filtered exports: relationships written (one between two entities
    /// of different chunks is found twice).
    relationships_written: BTreeSet<String>,
    /// Unfiltered exports: the entities written, so that a report or
    /// relationship names only those (an entity made or released while
    /// the export runs, after its page was read, is not in the bundle).
    /// 16 bytes an entity.
    written: WrittenIds,
}

/// Record ids (UUIDs) as numbers, in the order written (newest first, as
/// the pages come), for finding one by binary search; an id that is no
/// UUID, or out of order, is kept aside.
#[derive(Default)]
struct WrittenIds {
    descending: Vec<u128>,
    other: BTreeSet<String>,
}

impl WrittenIds {
    fn add(&mut self, id: &str) {
        match uuid::Uuid::parse_str(id) {
            Ok(u) if self.descending.last().is_none_or(|l| *l > u.as_u128()) => {
                self.descending.push(u.as_u128())
            }
            _ => {
                self.other.insert(id.to_string());
            }
        }
    }

    fn contains(&self, id: &str) -> bool {
        let numbered = uuid::Uuid::parse_str(id).is_ok_and(|u| {
            self.descending
                .binary_search_by(|x| u.as_u128().cmp(x))
                .is_ok()
        });
        numbered || self.other.contains(id)
    }
}

impl StixExport {
    pub(crate) async fn new(
        st: AppState,
        p: Principal,
        kind: Option<ReportKind>,
        about: Option<String>,
    ) -> Result<Self, ApiError> {
        let ctx = st.store.stix_context(&p).await?;
        let bundle_key = format!("{}:{}", p.username, coalesce_store::now_ms());
        Ok(StixExport {
            st,
            p,
            ctx,
            writer: BundleWriter::default(),
            bundle_key,
            kind,
            about,
            phase: StixPhase::Open,
            considered: BTreeSet::new(),
            in_bundle: BTreeMap::new(),
            relationships_written: BTreeSet::new(),
            written: WrittenIds::default(),
        })
    }

    /// Of these entities (record id → STIX id), those written.
    fn written_of(&self, ids: BTreeMap<String, String>) -> BTreeMap<String, String> {
        ids.into_iter()
            .filter(|(id, _)| self.written.contains(id))
            .collect()
    }

    fn filtered(&self) -> bool {
        self.kind.is_some() || self.about.is_some()
    }

    /// Filtered exports: writes the entities among `ids` not considered yet.
    async fn add_entities(&mut self, ids: Vec<String>) -> Result<String, ApiError> {
        let new: Vec<String> = ids
            .into_iter()
            .filter(|id| self.considered.insert(id.clone()))
            .collect();
        if new.is_empty() {
            return Ok(String::new());
        }
        let es = self
            .st
            .store
            .records_by_ids::<EntityRecordKind>(&self.p, &new)
            .await?;
        self.in_bundle.extend(entity_stix_ids(&es));
        Ok(self.writer.entities(&es, &self.ctx.node()))
    }

    async fn step_once(&mut self) -> Result<(String, StixPhase), ApiError> {
        let st = self.st.clone();
        let store = &st.store;
        let p = &self.p;
        let every = RecordFilter::default();
        Ok(match std::mem::replace(&mut self.phase, StixPhase::Done) {
            StixPhase::Open => {
                let mut out = BundleWriter::open(&self.bundle_key);
                if let Some(about) = self.about.clone() {
                    // The entity asked about must be readable and live:
                    // otherwise 404, as for a hidden one.
                    let e = store.get_record::<EntityRecordKind>(p, &about).await?;
                    if e.status != Status::Live {
                        return Err(coalesce_store::StoreError::NotFound.into());
                    }
                    self.considered.insert(e.id.clone());
                    self.in_bundle.extend(entity_stix_ids([&e]));
                    out.push_str(&self.writer.entities(&[e], &self.ctx.node()));
                }
                let next = if self.filtered() {
                    StixPhase::Reports(None)
                } else {
                    StixPhase::Entities(None)
                };
                (out, next)
            }
            StixPhase::Entities(cursor) => {
                let page = store
                    .list_records::<EntityRecordKind>(p, &every, cursor.as_deref(), MAX_PAGE)
                    .await?;
                let out = self.writer.entities(&page.items, &self.ctx.node());
                for e in &page.items {
                    self.written.add(&e.id);
                }
                (
                    out,
                    page.next
                        .map_or(StixPhase::Reports(None), |c| StixPhase::Entities(Some(c))),
                )
            }
            StixPhase::Reports(cursor) => {
                let ids = store
                    .report_ids(
                        p,
                        self.kind,
                        self.about.as_deref(),
                        cursor.as_deref(),
                        MAX_PAGE,
                    )
                    .await?;
                let reports = store
                    .records_by_ids::<ReportRecordKind>(p, &ids.items)
                    .await?;
                let linked: Vec<String> = reports
                    .iter()
                    .flat_map(|r| r.body.entities.iter().map(|l| l.entity_id.clone()))
                    .collect();
                let mut out = String::new();
                if self.filtered() {
                    out.push_str(&self.add_entities(linked).await?);
                    out.push_str(
                        &self
                            .writer
                            .reports(&reports, &self.in_bundle, &self.ctx.node()),
                    );
                } else {
                    let in_bundle = self.written_of(store.entity_stix_ids(p, &linked).await?);
                    out.push_str(&self.writer.reports(&reports, &in_bundle, &self.ctx.node()));
                }
                let next = match ids.next {
                    Some(c) => StixPhase::Reports(Some(c)),
                    None if self.filtered() => {
                        StixPhase::RelationshipsAmong(self.in_bundle.keys().cloned().collect())
                    }
                    None => StixPhase::Relationships(None),
                };
                (out, next)
            }
            StixPhase::Relationships(cursor) => {
                let page = store
                    .list_records::<RelationshipKind>(p, &every, cursor.as_deref(), MAX_PAGE)
                    .await?;
                let ends: Vec<String> = page
                    .items
                    .iter()
                    .flat_map(|x| [x.body.from.clone(), x.body.to.clone()])
                    .collect();
                let in_bundle = self.written_of(store.entity_stix_ids(p, &ends).await?);
                let out = self
                    .writer
                    .relationships(&page.items, &in_bundle, &self.ctx.node());
                (
                    out,
                    page.next
                        .map_or(StixPhase::Close, |c| StixPhase::Relationships(Some(c))),
                )
            }
            StixPhase::RelationshipsAmong(mut pending) => {
                let chunk = pending.split_off(pending.len().saturating_sub(500));
                let xs = store
                    .records_referring_to_any::<RelationshipKind>(p, RefTarget::Entity, &chunk)
                    .await?;
                let xs: Vec<_> = xs
                    .into_iter()
                    .filter(|x| {
                        self.in_bundle.contains_key(&x.body.from)
                            && self.in_bundle.contains_key(&x.body.to)
                    })
                    .filter(|x| self.relationships_written.insert(x.id.clone()))
                    .collect();
                let out = self
                    .writer
                    .relationships(&xs, &self.in_bundle, &self.ctx.node());
                let next = if pending.is_empty() {
                    StixPhase::Close
                } else {
                    StixPhase::RelationshipsAmong(pending)
                };
                (out, next)
            }
            StixPhase::Close => (BundleWriter::close().to_string(), StixPhase::Done),
            StixPhase::Done => (String::new(), StixPhase::Done),
        })
    }
}

impl Export for StixExport {
    async fn step(&mut self) -> Result<Option<String>, ApiError> {
        if matches!(self.phase, StixPhase::Done) {
            return Ok(None);
        }
        // The opening joins the first page: an error reading it comes
        // before the answer starts.
        let opening = matches!(self.phase, StixPhase::Open);
        let (mut out, next) = self.step_once().await?;
        self.phase = next;
        if opening {
            let (more, next) = self.step_once().await?;
            out.push_str(&more);
            self.phase = next;
        }
        Ok(Some(out))
    }
}

/// Where an IATI export is.
enum IatiPhase {
    Contributions(Option<String>),
    Funds,
    Done,
}

/// The IATI 2.03 activity file of the contributions the caller may read
/// (the filter applies) and of the funds it may read.
pub(crate) struct IatiExport {
    st: AppState,
    p: Principal,
    filter: ContributionFilter,
    member_names: BTreeMap<String, String>,
    funds: Vec<FundActivity>,
    /// The first page, read to know whether there is anything to export.
    first: Option<Page<Contribution>>,
    doc: Option<IatiWriter>,
    phase: IatiPhase,
}

impl IatiExport {
    /// `None` when there is nothing to export (an IATI file needs an activity).
    pub(crate) async fn new(
        st: AppState,
        p: Principal,
        filter: ContributionFilter,
        funds: Vec<FundActivity>,
    ) -> Result<Option<Self>, ApiError> {
        let first = st
            .store
            .list_contributions(&p, &filter, None, MAX_PAGE)
            .await?;
        if first.items.is_empty() && funds.is_empty() {
            return Ok(None);
        }
        let member_names = st
            .store
            .list_members()
            .await?
            .into_iter()
            .map(|m| (m.code, m.name))
            .collect();
        let generated = time::OffsetDateTime::now_utc()
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_default();
        let doc = IatiWriter::open(&generated, &IatiOptions::default()).map_err(|e| {
            ApiError::new(
                axum::http::StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                e.to_string(),
            )
        })?;
        Ok(Some(IatiExport {
            st,
            p,
            filter,
            member_names,
            funds,
            first: Some(first),
            doc: Some(doc),
            phase: IatiPhase::Contributions(None),
        }))
    }
}

impl Export for IatiExport {
    async fn step(&mut self) -> Result<Option<String>, ApiError> {
        let Some(doc) = self.doc.as_mut() else {
            return Ok(None);
        };
        match std::mem::replace(&mut self.phase, IatiPhase::Done) {
            IatiPhase::Contributions(cursor) => {
                let page = match self.first.take() {
                    Some(first) => first,
                    None => {
                        self.st
                            .store
                            .list_contributions(&self.p, &self.filter, cursor.as_deref(), MAX_PAGE)
                            .await?
                    }
                };
                let mut deliveries = self
                    .st
                    .store
                    .deliveries_of_contributions(&self.p, &page.items)
                    .await?;
                let wanted: Vec<String> = page
                    .items
                    .iter()
                    .filter_map(|c| c.requirement_id.clone())
                    .collect();
                let requirements = self.st.store.requirements_by_ids(&self.p, &wanted).await?;
                let with_deliveries: Vec<(Contribution, Vec<Delivery>)> = page
                    .items
                    .into_iter()
                    .map(|c| {
                        let ds = deliveries.remove(&c.id).unwrap_or_default();
                        (c, ds)
                    })
                    .collect();
                let out = doc.contributions(
                    &with_deliveries,
                    &IatiOptions {
                        member_names: &self.member_names,
                        requirements: &requirements,
                        ..Default::default()
                    },
                );
                self.phase = page
                    .next
                    .map_or(IatiPhase::Funds, |c| IatiPhase::Contributions(Some(c)));
                Ok(Some(out))
            }
            IatiPhase::Funds => {
                let mut out = doc.funds(&IatiOptions {
                    member_names: &self.member_names,
                    funds: &self.funds,
                    ..Default::default()
                });
                if let Some(doc) = self.doc.take() {
                    out.push_str(&doc.close());
                }
                Ok(Some(out))
            }
            IatiPhase::Done => Ok(None),
        }
    }
}
