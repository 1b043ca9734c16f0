//! Wire types of reports, entities, relationships, correlation and search (issue 6).

use crate::wire::{rfc3339, MarkingWire};
use crate::wire_needs::banner;
use crate::ApiError;
use coalesce_domain::record::Record;
use coalesce_domain::relationship::RelationshipBody;
use coalesce_domain::reports::{Entity, EntityDraft, Report, ReportDraft};
use coalesce_domain::Marking;
use coalesce_store::reports::SearchHit;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

fn marking(m: &MarkingWire) -> Result<Marking, ApiError> {
    Ok(Marking::parse(&m.tlp, &m.rel_to)?)
}

/// A person, organisation, vessel or place.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EntityIn {
    /// `person`, `organisation`, `vessel` or `place`.
    pub kind: String,
    pub name: String,
    /// Other names, spellings and transliterations (Arabic script welcome).
    #[serde(default)]
    pub aliases: Vec<String>,
    /// People: YYYY, YYYY-MM or YYYY-MM-DD.
    pub birth_date: Option<String>,
    /// ISO 3166-1 alpha-3.
    pub nationality: Option<String>,
    /// Passport and other document numbers.
    #[serde(default)]
    pub documents: Vec<String>,
    /// Vessels: IMO number (7 digits with its check digit), MMSI (9 digits), flag (alpha-3).
    pub imo: Option<String>,
    pub mmsi: Option<String>,
    pub flag: Option<String>,
    pub marking: MarkingWire,
    /// People: YYYY-MM-DD, the last day the person's data is kept, then
    /// purged (default: the node's retention period from today; a change
    /// without it keeps the day the person had).
    pub retain_until: Option<String>,
    /// For updates: the version you read (optimistic concurrency).
    pub if_version: Option<i64>,
}

impl EntityIn {
    pub fn draft(&self) -> Result<EntityDraft, ApiError> {
        Ok(EntityDraft::parse(
            &self.kind,
            &self.name,
            &self.aliases,
            self.birth_date.as_deref(),
            self.nationality.as_deref(),
            &self.documents,
            self.imo.as_deref(),
            self.mmsi.as_deref(),
            self.flag.as_deref(),
            marking(&self.marking)?,
        )
        .map(|mut d| {
            d.retain_until = self.retain_until.clone();
            d
        })?)
    }
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct EntityOut {
    /// Where it comes from: the documents that state it, quoted, and
    /// what was added that no document states (`illustrative`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<coalesce_domain::source::Source>,
    pub id: String,
    pub origin: String,
    pub kind: String,
    pub name: String,
    pub aliases: Vec<String>,
    pub birth_date: Option<String>,
    pub nationality: Option<String>,
    pub documents: Vec<String>,
    pub imo: Option<String>,
    pub mmsi: Option<String>,
    pub flag: Option<String>,
    pub marking: MarkingWire,
    pub banner: String,
    /// People: the last day the person's data is kept (YYYY-MM-DD).
    pub retain_until: Option<String>,
    /// People: the day the person's data was purged, once it was.
    pub purged_on: Option<String>,
    pub version: i64,
    pub created_at: String,
    pub created_by: String,
    pub updated_at: String,
    pub updated_by: String,
}

impl From<Entity> for EntityOut {
    fn from(e: Entity) -> Self {
        EntityOut {
            source: None,
            banner: banner(&e.origin, &e.marking),
            marking: MarkingWire::from(&e.marking),
            kind: e.kind.as_str().into(),
            id: e.id,
            origin: e.origin,
            name: e.name,
            aliases: e.aliases,
            birth_date: e.birth_date,
            nationality: e.nationality,
            documents: e.documents,
            imo: e.imo,
            mmsi: e.mmsi,
            flag: e.flag,
            retain_until: e.retain_until,
            purged_on: e.purged_on,
            version: e.version,
            created_at: rfc3339(e.created_at_ms),
            created_by: e.created_by,
            updated_at: rfc3339(e.updated_at_ms),
            updated_by: e.updated_by,
        }
    }
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct EntityList {
    pub items: Vec<EntityOut>,
    pub next: Option<String>,
}

/// A link from a report to an entity: an existing one by `id`, or a new
/// one described in `entity` (created with the report, in one transaction).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LinkIn {
    pub id: Option<String>,
    pub entity: Option<EntityIn>,
    /// The entity's part in the report, e.g. `traveller`, `buyer`, `vessel`.
    #[serde(default)]
    pub role: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct LinkOut {
    pub id: String,
    pub role: String,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportIn {
    /// `foreign-fighter-travel`, `financing`, `situation-report`,
    /// `counter-messaging` or `stabilisation-assessment`.
    pub kind: String,
    pub title: String,
    #[serde(default)]
    pub body: String,
    pub line_of_effort: Option<String>,
    /// YYYY-MM-DD: when what is reported happened.
    pub occurred_on: Option<String>,
    pub marking: MarkingWire,
    #[serde(default)]
    pub entities: Vec<LinkIn>,
    /// What the report records besides its text, by kind (a field of
    /// another kind is refused): travel `route` (legs `{country: alpha-3,
    /// role: origin|transit|destination, date?}`) and `documents`;
    /// financing `commodity` (crude-oil, refined-products, cash,
    /// antiquities, other), `quantity` `{amount, unit}`, `payments`
    /// `[{amount: minor units, currency: ISO 4217, date?}]` and `route`;
    /// counter-messaging `narratives` and `channels`.
    #[serde(default)]
    #[schema(value_type = Object)]
    pub details: Option<coalesce_domain::reports::ReportDetails>,
    /// A report about people (foreign-fighter travel, or one linking a
    /// person): YYYY-MM-DD, the last day its personal data is kept, then
    /// purged (default: the node's retention period from today; a change
    /// without it keeps the day the report had).
    pub retain_until: Option<String>,
    /// For updates: the version you read.
    pub if_version: Option<i64>,
}

impl ReportIn {
    /// The draft (links to existing entities) and the new entities to create with it.
    pub fn parts(&self) -> Result<(ReportDraft, Vec<(EntityDraft, String)>), ApiError> {
        let mut existing = Vec::new();
        let mut new = Vec::new();
        for (i, l) in self.entities.iter().enumerate() {
            match (&l.id, &l.entity) {
                (Some(id), None) => existing.push((id.clone(), l.role.clone())),
                (None, Some(e)) => new.push((e.draft()?, l.role.clone())),
                _ => {
                    return Err(ApiError::from(coalesce_domain::DomainError::InvalidField {
                        field: "entities",
                        reason: format!("link {}: give either `id` or `entity`", i + 1),
                    }))
                }
            }
        }
        let d = ReportDraft::parse(
            &self.kind,
            &self.title,
            &self.body,
            self.line_of_effort.as_deref(),
            self.occurred_on.as_deref(),
            marking(&self.marking)?,
            &existing,
        )?
        .with_details(self.details.clone().unwrap_or_default())?;
        let d = ReportDraft {
            retain_until: self.retain_until.clone(),
            ..d
        };
        Ok((d, new))
    }
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ReportOut {
    /// Where it comes from: the documents that state it, quoted, and
    /// what was added that no document states (`illustrative`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<coalesce_domain::source::Source>,
    pub id: String,
    pub origin: String,
    pub kind: String,
    pub title: String,
    pub body: String,
    pub line_of_effort: Option<String>,
    pub occurred_on: Option<String>,
    pub marking: MarkingWire,
    pub banner: String,
    /// Links to the entities you may read.
    pub entities: Vec<LinkOut>,
    /// Kind-specific details (route, documents, commodity, quantity,
    /// payments, narratives, channels); `{}` when none.
    #[schema(value_type = Object)]
    pub details: coalesce_domain::reports::ReportDetails,
    /// A report about people: the last day its personal data is kept.
    pub retain_until: Option<String>,
    /// The day its personal data was purged, once it was.
    pub purged_on: Option<String>,
    pub version: i64,
    pub created_at: String,
    pub created_by: String,
    pub updated_at: String,
    pub updated_by: String,
}

impl From<Report> for ReportOut {
    fn from(r: Report) -> Self {
        ReportOut {
            source: None,
            banner: banner(&r.origin, &r.marking),
            marking: MarkingWire::from(&r.marking),
            kind: r.kind.as_str().into(),
            entities: r
                .entities
                .into_iter()
                .map(|l| LinkOut {
                    id: l.entity_id,
                    role: l.role,
                })
                .collect(),
            id: r.id,
            origin: r.origin,
            title: r.title,
            body: r.body,
            line_of_effort: r.line_of_effort,
            occurred_on: r.occurred_on,
            details: r.details,
            retain_until: r.retain_until,
            purged_on: r.purged_on,
            version: r.version,
            created_at: rfc3339(r.created_at_ms),
            created_by: r.created_by,
            updated_at: rfc3339(r.updated_at_ms),
            updated_by: r.updated_by,
        }
    }
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ReportList {
    pub items: Vec<ReportOut>,
    pub next: Option<String>,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ReportQuery {
    pub cursor: Option<String>,
    /// Page size, 1–500 (default 50).
    pub limit: Option<i64>,
    /// Only reports of this kind.
    pub kind: Option<String>,
    /// Only reports linking to this entity.
    pub entity: Option<String>,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct EntityQuery {
    pub cursor: Option<String>,
    pub limit: Option<i64>,
    /// Only entities of this kind.
    pub kind: Option<String>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CorrelationOut {
    pub entity: EntityOut,
    /// 0–1, from the sanctions matcher: names, then dates of birth,
    /// nationality and identifiers as evidence.
    pub score: f64,
    /// At or above the matcher's default threshold.
    #[serde(rename = "match")]
    pub is_match: bool,
    pub reasons: Vec<String>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CorrelationList {
    pub items: Vec<CorrelationOut>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RelationshipIn {
    /// The other entity's id.
    pub to: String,
    /// `travelled-with`, `financed`, `owns`, `operates` or `sighted-at`.
    pub kind: String,
    #[serde(default)]
    pub note: String,
    pub marking: MarkingWire,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct RelationshipOut {
    pub id: String,
    pub origin: String,
    pub from: String,
    pub to: String,
    pub kind: String,
    pub note: String,
    pub marking: MarkingWire,
    pub banner: String,
    pub created_at: String,
}

impl From<Record<RelationshipBody>> for RelationshipOut {
    fn from(x: Record<RelationshipBody>) -> Self {
        RelationshipOut {
            banner: banner(&x.origin, &x.marking),
            marking: MarkingWire::from(&x.marking),
            kind: x.body.relationship_type.as_str().into(),
            id: x.id,
            origin: x.origin,
            from: x.body.from,
            to: x.body.to,
            note: x.body.note,
            created_at: rfc3339(x.created_at_ms),
        }
    }
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct RelationshipList {
    pub items: Vec<RelationshipOut>,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct SearchQuery {
    /// The words to find (all must occur).
    pub q: String,
    /// `report` or `entity`.
    pub record: Option<String>,
    /// A report kind or entity kind.
    pub kind: Option<String>,
    /// The origin member.
    pub member: Option<String>,
    pub line_of_effort: Option<String>,
    /// Reports that occurred on or after / before (YYYY-MM-DD).
    pub from: Option<String>,
    pub until: Option<String>,
    /// CLEAR, GREEN, AMBER, AMBER+STRICT or RED.
    pub tlp: Option<String>,
    /// 1–500 (default 50).
    pub limit: Option<i64>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct SearchHitOut {
    pub id: String,
    pub record: String,
    pub kind: String,
    pub title: String,
    pub origin: String,
    pub marking: MarkingWire,
    pub banner: String,
    pub occurred_on: Option<String>,
    pub line_of_effort: Option<String>,
    /// Where the record's text holds the words searched for (about 180
    /// characters, "…" where cut).
    pub snippet: String,
    /// The words of the snippet that matched, as written there.
    pub matched: Vec<String>,
}

impl From<SearchHit> for SearchHitOut {
    fn from(h: SearchHit) -> Self {
        let mut matched: Vec<String> = Vec::new();
        for (piece, hit) in &h.snippet {
            if *hit && !matched.contains(piece) {
                matched.push(piece.clone());
            }
        }
        SearchHitOut {
            snippet: h.snippet.iter().map(|(piece, _)| piece.as_str()).collect(),
            matched,
            line_of_effort: h.line_of_effort,
            banner: banner(&h.origin, &h.marking),
            marking: MarkingWire::from(&h.marking),
            id: h.id,
            record: h.record,
            kind: h.kind,
            title: h.title,
            origin: h.origin,
            occurred_on: h.occurred_on,
        }
    }
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct SearchResults {
    pub items: Vec<SearchHitOut>,
    /// Other spellings searched for besides query words: how names of
    /// entities you may read spell them, when the screening matcher finds
    /// such a name like the query.
    pub also_searched: Vec<Respelling>,
}

/// A query word and the other spellings of it searched for.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Respelling {
    pub asked: String,
    pub also: Vec<String>,
}

/// A record whose personal data was purged.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PurgedOut {
    /// `report` or `entity`.
    pub kind: String,
    pub id: String,
    /// The purge's version: every earlier version now reads as it does.
    pub version: i64,
    /// YYYY-MM-DD.
    pub purged_on: String,
}

impl From<coalesce_store::records::Purged> for PurgedOut {
    fn from(p: coalesce_store::records::Purged) -> Self {
        PurgedOut {
            kind: p.kind,
            id: p.id,
            version: p.version,
            purged_on: p.purged_on,
        }
    }
}
