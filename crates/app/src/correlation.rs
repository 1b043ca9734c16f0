//! Correlation (issue 6): is an entity another member reported likely the
//! same person, organisation or vessel? The one matcher of the codebase —
//! the sanctions screener (`coalesce-screen`) — scores it: the store finds
//! the candidates (readable entities sharing a name-part skeleton or an
//! identifier, by index lookups, never all pairs); the candidates become a
//! small in-memory list and the focal entity a query, so names (aliases,
//! transliterations, particles, order), dates of birth, nationality and
//! identifiers count exactly as they do in screening, with the same
//! explanations.

use coalesce_domain::reports::{Entity, EntityKind};
use coalesce_screen::model::{
    BirthDate, Entity as ListEntity, IdKind, Identifier, ListVersion, NameStrength, SanctionsList,
    Schema,
};
use coalesce_screen::{Query, Screener};

/// A likely match of the focal entity.
#[derive(Debug, Clone, PartialEq)]
pub struct Correlation {
    pub entity: Entity,
    pub score: f64,
    /// At or above the screening threshold.
    pub is_match: bool,
    /// Why: the names aligned, and each piece of evidence for or against.
    pub reasons: Vec<String>,
}

/// The lowest score shown as a possible correlation.
pub const MIN_SCORE: f64 = 0.5;

fn schema(kind: EntityKind) -> Option<Schema> {
    match kind {
        EntityKind::Person => Some(Schema::Person),
        EntityKind::Organisation => Some(Schema::Organization),
        EntityKind::Vessel => Some(Schema::Vessel),
        EntityKind::Place => None,
    }
}

fn identifiers(e: &Entity) -> Vec<(IdKind, String)> {
    let mut ids: Vec<(IdKind, String)> = e
        .documents
        .iter()
        .map(|d| (IdKind::Other, d.clone()))
        .collect();
    ids.extend(e.imo.iter().map(|i| (IdKind::Imo, i.clone())));
    ids
}

fn as_list_entity(e: &Entity, schema: Schema) -> ListEntity {
    let mut le = ListEntity::new("coalesce", &e.id, schema);
    le.push_name(&e.name, NameStrength::Strong, true);
    for a in &e.aliases {
        le.push_name(a, NameStrength::Strong, false);
    }
    le.birth_dates = e
        .birth_date
        .iter()
        .filter_map(|d| BirthDate::parse_iso(d))
        .collect();
    le.nationalities = e.nationality.iter().cloned().collect();
    le.identifiers = identifiers(e)
        .into_iter()
        .map(|(kind, value)| Identifier {
            kind,
            value,
            country: None,
        })
        .collect();
    le
}

/// Scores each candidate against the focal entity; keeps those at or above
/// [`MIN_SCORE`], best first.
pub fn correlate(focal: &Entity, candidates: Vec<Entity>) -> Vec<Correlation> {
    let Some(schema) = schema(focal.kind) else {
        return Vec::new();
    };
    let candidates: Vec<Entity> = candidates
        .into_iter()
        .filter(|c| c.id != focal.id && c.kind == focal.kind)
        .collect();
    if candidates.is_empty() {
        return Vec::new();
    }
    let list = SanctionsList {
        version: ListVersion {
            source: "coalesce".into(),
            published: None,
            content_hash: String::new(),
            entries: candidates.len(),
        },
        entities: candidates
            .iter()
            .map(|c| as_list_entity(c, schema))
            .collect(),
    };
    let screener = Screener::new(vec![list]);
    let query = Query {
        schema: Some(schema),
        names: std::iter::once(focal.name.clone())
            .chain(focal.aliases.iter().cloned())
            .collect(),
        birth_dates: focal
            .birth_date
            .iter()
            .filter_map(|d| BirthDate::parse_iso(d))
            .collect(),
        nationalities: focal.nationality.iter().cloned().collect(),
        identifiers: identifiers(focal)
            .into_iter()
            .map(|(k, v)| (Some(k).filter(|k| *k == IdKind::Imo), v))
            .collect(),
        gender: None,
    };
    let hits = screener.screen(
        &query,
        coalesce_screen::DEFAULT_THRESHOLD,
        MIN_SCORE,
        candidates.len(),
    );
    hits.into_iter()
        .filter_map(|h| {
            let le = &screener.entities()[h.entity];
            let entity = candidates.iter().find(|c| c.id == le.reference)?.clone();
            let mut reasons = h.explanation(le);
            // The screener speaks of list entries; here they are reports.
            if let Some(first) = reasons.first_mut() {
                *first = first.replace(&format!(" of COALESCE {} ", le.reference), " of entity ");
            }
            Some(Correlation {
                entity,
                score: h.score,
                is_match: h.is_match,
                reasons,
            })
        })
        .collect()
}
