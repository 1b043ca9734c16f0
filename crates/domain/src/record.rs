//! The record layer's domain half: what a kind of marked record declares,
//! and the shapes every kind shares (a record, its kept versions, where a
//! version comes from). The store gives every kind the same create, change,
//! withdraw, get, list, count, versions and replica apply; a kind brings its
//! own fields, their validation and its STIX 2.1 form.

use crate::DomainError;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::fmt::Debug;

/// The names of every kind on the layer. The node reserves the STIX ids it
/// derives for them (their extension definitions); a test holds the API's
/// served kinds to this list.
pub const KIND_NAMES: &[&str] = &[
    "note",
    "contact",
    "indicator_value",
    "relationship",
    "screening_decision",
    "entity",
    "report",
    "requirement",
    "contribution",
    "allocation_run",
    "fund",
    "fund_project",
    "meeting",
    "statement",
    "commitment",
];

/// A kind of marked record: a declaration plus its own fields.
pub trait Kind: Send + Sync + 'static {
    /// Stable name, stored with every record and in audit actions
    /// (`contact.create`).
    const NAME: &'static str;
    /// What a user calls it ("point of contact"), for messages.
    const LABEL: &'static str;
    /// The STIX 2.1 type of its form: a standard object where one fits
    /// (`note`), else `x-coalesce-<name>`, declared by an
    /// `extension-definition` of type `new-sdo`.
    const STIX_TYPE: &'static str;
    /// The verb of a new record's audit entry (`contribution.pledge`).
    const CREATE_VERB: &'static str = "create";
    /// The record's own fields: never anything copied from another record.
    type Body: Serialize + DeserializeOwned + Clone + Debug + PartialEq + Send + Sync + 'static;

    /// Checks a body as submitted and returns it normalised (trimmed,
    /// bounded), or says which field is wrong.
    fn validate(body: Self::Body) -> Result<Self::Body, DomainError>;

    /// The properties of its STIX form besides the common ones (type, id,
    /// created, modified, created_by_ref, markings, extensions), and the
    /// fields STIX has no property for, which travel in coalesce's record
    /// extension (the second map; empty for a kind of its own type).
    /// `refs` names the origin member's identity and the STIX ids of what
    /// the record refers to, as resolved for the form's reader: `None` when
    /// the form needs a reference that reader may not see.
    fn stix_properties(body: &Self::Body, refs: &StixRefs<'_>) -> Option<StixProperties>;

    /// The day until which its personal data is kept, for a body about a
    /// person ([`crate::personal`]); `None` for kinds that hold none.
    fn retain_until(_body: &Self::Body) -> Option<&str> {
        None
    }

    /// The day its personal data was purged, once it was: every kept
    /// version of the record is then this body.
    fn purged_on(_body: &Self::Body) -> Option<&str> {
        None
    }

    /// The STIX type of this record's form: [`Kind::STIX_TYPE`] unless
    /// the kind's records take several (an entity is an `identity`, an
    /// `infrastructure` or a `location`).
    fn stix_type(_body: &Self::Body) -> &'static str {
        Self::STIX_TYPE
    }

    /// Why this change may not be made, when it changes what may not change
    /// (a person stays a person): a typed `immutable_field` conflict.
    fn immutable_change(_old: &Self::Body, _new: &Self::Body) -> Option<&'static str> {
        None
    }

    /// What its STIX id is derived from (with its STIX type): the record id
    /// under `record:`, unless the kind was shared under other ids before
    /// it moved onto the layer.
    fn stix_id_seed(record_id: &str) -> String {
        format!("record:{record_id}")
    }

    /// The body back from its STIX form: the object's properties and the
    /// fields of coalesce's record extension.
    fn from_stix(
        object: &Map<String, Value>,
        extension: &Map<String, Value>,
    ) -> Result<Self::Body, DomainError>;

    /// What the record refers to outside itself (an indicator of the
    /// catalogue, …): kept with its current version so that lists filter
    /// by it, and checked to exist when the record is written here. None
    /// for most kinds.
    /// What its records may refer to: the filters its lists take.
    const REFERS_TO: &'static [RefTarget] = &[];

    fn references(_body: &Self::Body) -> Vec<Reference> {
        Vec::new()
    }

    /// Whether a record is hidden from a reader who may not read a marked
    /// thing it refers to (a relationship: what it says is about both its
    /// ends). Otherwise the reader reads the record, and is shown only the
    /// references it may read (a report and the entities it names).
    const HIDDEN_WITH_ITS_REFS: bool = true;

    /// The marked targets whose unreadability hides a record from its
    /// reader: all it refers to when [`Kind::HIDDEN_WITH_ITS_REFS`], else
    /// none, unless the kind says which (a commitment is hidden with its
    /// meeting, not with a contribution that fulfils it).
    const HIDDEN_WITH: &'static [RefTarget] = if Self::HIDDEN_WITH_ITS_REFS {
        Self::REFERS_TO
    } else {
        &[]
    };

    /// The targets whose references are taken out of the body for a
    /// reader who may not read what they point at (a commitment's parts,
    /// a meeting's follow-up of an earlier one): the record is shown, and
    /// nothing of what the reader may not read, not even its id.
    const REDACTED: &'static [RefTarget] = &[];

    /// The body as shown to a reader who may not read `hidden` (references
    /// of [`Kind::REDACTED`] targets).
    fn redact(body: Self::Body, _hidden: &std::collections::BTreeSet<Reference>) -> Self::Body {
        body
    }
}

/// One thing a record refers to: what it is and its id there.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Reference {
    pub target: RefTarget,
    pub id: String,
}

/// What a reference points at; the store checks each exists when a record
/// is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum RefTarget {
    /// An indicator of the shared catalogue, by slug.
    Indicator,
    /// An entity (a person, organisation, vessel or place), by id: a
    /// marked record, so a record referring to one is shown only to its
    /// readers.
    Entity,
    /// A party as screened, by its key (`screening_decision::party_key`):
    /// a name, not a thing the node holds; nothing to check.
    Party,
    /// A fund of the stabilisation fund's records, by id: a marked record,
    /// so a project of a fund is shown only to readers of the fund.
    Fund,
    /// A member of the registry, by code.
    Member,
    /// A group of the registry, by slug.
    Group,
    /// A line of effort, by slug.
    LineOfEffort,
    /// A meeting record, by id: marked.
    Meeting,
    /// A contribution record, by id: marked.
    Contribution,
    /// A pledge to a fund, by its ledger transfer id: marked (by the
    /// transfer's audience set, not the records' audience rows, so no kind
    /// is hidden with one).
    FundPledge,
}

impl RefTarget {
    pub const ALL: [RefTarget; 10] = [
        RefTarget::Indicator,
        RefTarget::Entity,
        RefTarget::Party,
        RefTarget::Fund,
        RefTarget::Member,
        RefTarget::Group,
        RefTarget::LineOfEffort,
        RefTarget::Meeting,
        RefTarget::Contribution,
        RefTarget::FundPledge,
    ];

    /// Its name in `record_refs.target` and in list filters.
    pub fn as_str(self) -> &'static str {
        match self {
            RefTarget::Indicator => "indicator",
            RefTarget::Entity => "entity",
            RefTarget::Party => "party",
            RefTarget::Fund => "fund",
            RefTarget::Member => "member",
            RefTarget::Group => "group",
            RefTarget::LineOfEffort => "line_of_effort",
            RefTarget::Meeting => "meeting",
            RefTarget::Contribution => "contribution",
            RefTarget::FundPledge => "fund_pledge",
        }
    }

    /// Whether what it points at has an audience of its own: a record
    /// referring to it is then read only by readers of it too.
    pub fn has_audience(self) -> bool {
        match self {
            RefTarget::Indicator
            | RefTarget::Party
            | RefTarget::Member
            | RefTarget::Group
            | RefTarget::LineOfEffort => false,
            RefTarget::Entity
            | RefTarget::Fund
            | RefTarget::Meeting
            | RefTarget::Contribution
            | RefTarget::FundPledge => true,
        }
    }
}

/// What a kind's STIX form may refer to: the origin member's identity,
/// and the STIX id of each thing the record refers to that the form's
/// reader may read (absent otherwise).
#[derive(Debug, Clone, Copy)]
pub struct StixRefs<'a> {
    pub origin_identity: &'a str,
    /// When the record was first written, as a STIX timestamp (a report's
    /// `published`).
    pub created: &'a str,
    pub resolved: &'a BTreeMap<Reference, String>,
}

impl StixRefs<'_> {
    /// The STIX id of `r`, if resolved for this reader.
    pub fn of(&self, r: &Reference) -> Option<&str> {
        self.resolved.get(r).map(String::as_str)
    }
}

/// A kind's STIX properties: on the object, and in coalesce's record
/// extension.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StixProperties {
    pub object: Map<String, Value>,
    pub extension: Map<String, Value>,
}

/// Whether a record is current. A withdrawn record is kept (its versions
/// stay) but leaves every list, count and export; it is never live again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Live,
    Withdrawn,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Live => "live",
            Status::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(s: &str) -> Result<Self, DomainError> {
        match s {
            "live" => Ok(Status::Live),
            "withdrawn" => Ok(Status::Withdrawn),
            other => Err(DomainError::InvalidField {
                field: "status",
                reason: format!("{other:?} is neither live nor withdrawn"),
            }),
        }
    }
}

/// Where a version was written: on this node by one of its users, or on a
/// peer node (its origin) and applied here as it was written there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "from", rename_all = "snake_case")]
pub enum Provenance {
    Local,
    Peer { node: String },
}

/// A record as its reader sees it: the current version of its own fields.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Record<B> {
    pub id: String,
    pub kind: &'static str,
    pub origin: String,
    /// The node the record was first written on.
    pub origin_node: String,
    pub version: i64,
    pub status: Status,
    pub marking: crate::Marking,
    pub body: B,
    pub created_at_ms: i64,
    pub created_by: String,
    pub updated_at_ms: i64,
    pub updated_by: String,
    /// The node-wide sequence number of its current version here.
    pub seq: i64,
}

impl<B> Record<B> {
    /// The same record with other fields (e.g. a body read into a view).
    pub fn with_body<C>(self, body: C) -> Record<C> {
        Record {
            body,
            id: self.id,
            kind: self.kind,
            origin: self.origin,
            origin_node: self.origin_node,
            version: self.version,
            status: self.status,
            marking: self.marking,
            created_at_ms: self.created_at_ms,
            created_by: self.created_by,
            updated_at_ms: self.updated_at_ms,
            updated_by: self.updated_by,
            seq: self.seq,
        }
    }
}

/// One kept version: immutable once written.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RecordVersion<B> {
    pub version: i64,
    pub status: Status,
    pub marking: crate::Marking,
    pub body: B,
    pub author: String,
    pub at_ms: i64,
    pub provenance: Provenance,
    pub seq: i64,
}

impl<B> RecordVersion<B> {
    /// The body, and the version without it (what was written when, by
    /// whom, under which marking).
    pub fn split_body(self) -> (B, RecordVersion<()>) {
        (
            self.body,
            RecordVersion {
                body: (),
                version: self.version,
                status: self.status,
                marking: self.marking,
                author: self.author,
                at_ms: self.at_ms,
                provenance: self.provenance,
                seq: self.seq,
            },
        )
    }
}

/// A version as it was written on its origin node, to be applied here as
/// it is (federation, STIX import): same id, same version number.
#[derive(Debug, Clone, PartialEq)]
pub struct Replica<B> {
    pub id: String,
    pub origin: crate::MemberCode,
    pub origin_node: String,
    pub version: i64,
    pub status: Status,
    pub marking: crate::Marking,
    pub body: B,
    pub created_at_ms: i64,
    pub at_ms: i64,
}

impl<B> Replica<B> {
    /// The same version with another body (a peer's JSON read into its
    /// kind's type, or checked).
    pub fn with_body<C>(self, body: C) -> Replica<C> {
        Replica {
            body,
            id: self.id,
            origin: self.origin,
            origin_node: self.origin_node,
            version: self.version,
            status: self.status,
            marking: self.marking,
            created_at_ms: self.created_at_ms,
            at_ms: self.at_ms,
        }
    }

    /// As [`Replica::with_body`], leaving this one as it is (its body is
    /// still wanted: a batch that fails goes on one record at a time).
    pub fn copied_with_body<C>(&self, body: C) -> Replica<C> {
        Replica {
            body,
            id: self.id.clone(),
            origin: self.origin.clone(),
            origin_node: self.origin_node.clone(),
            version: self.version,
            status: self.status,
            marking: self.marking.clone(),
            created_at_ms: self.created_at_ms,
            at_ms: self.at_ms,
        }
    }
}

/// The canonical JSON of a body: keys sorted (serde_json's map is ordered
/// by key), no insignificant whitespace. The same body always gives the
/// same bytes, which versions, signatures and comparisons rely on.
pub fn canonical_json<B: Serialize>(body: &B) -> Result<String, DomainError> {
    let value = serde_json::to_value(body).map_err(|e| DomainError::InvalidField {
        field: "body",
        reason: e.to_string(),
    })?;
    Ok(value.to_string())
}

/// The body from its canonical JSON.
pub fn body_from_json<B: DeserializeOwned>(json: &str) -> Result<B, DomainError> {
    serde_json::from_str(json).map_err(|e| DomainError::InvalidField {
        field: "body",
        reason: e.to_string(),
    })
}

/// The property of a STIX object as a string, or a field error naming it.
pub fn stix_str<'a>(
    object: &'a Map<String, Value>,
    field: &'static str,
) -> Result<&'a str, DomainError> {
    object
        .get(field)
        .and_then(Value::as_str)
        .ok_or(DomainError::InvalidField {
            field,
            reason: "missing or not a string".into(),
        })
}

/// The property of a STIX object as an integer, or a field error naming it.
pub fn stix_i64(object: &Map<String, Value>, field: &'static str) -> Result<i64, DomainError> {
    object
        .get(field)
        .and_then(Value::as_i64)
        .ok_or(DomainError::InvalidField {
            field,
            reason: "missing or not an integer".into(),
        })
}

/// A list property of a STIX object read into its items; absent is empty
/// (STIX allows no empty list, so [`put_list`] leaves one out).
pub fn stix_list<T: DeserializeOwned>(
    object: &Map<String, Value>,
    field: &'static str,
) -> Result<Vec<T>, DomainError> {
    match object.get(field) {
        None => Ok(Vec::new()),
        Some(v) => serde_json::from_value(v.clone()).map_err(|e| DomainError::InvalidField {
            field,
            reason: e.to_string(),
        }),
    }
}

/// Sets a list property, unless the list is empty: STIX allows no empty
/// list.
pub fn put_list(object: &mut Map<String, Value>, field: &str, list: Value) {
    if list.as_array().is_some_and(|l| !l.is_empty()) {
        object.insert(field.into(), list);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_json_sorts_keys_whatever_the_field_order() {
        #[derive(Serialize)]
        struct B {
            zeta: i32,
            alpha: &'static str,
        }
        assert_eq!(
            canonical_json(&B {
                zeta: 1,
                alpha: "a"
            })
            .expect("json"),
            r#"{"alpha":"a","zeta":1}"#
        );
    }

    #[test]
    fn status_round_trips_and_refuses_others() {
        for s in [Status::Live, Status::Withdrawn] {
            assert_eq!(Status::parse(s.as_str()), Ok(s));
        }
        assert!(Status::parse("revoked").is_err());
    }
}

/// Runs `$body` with the type alias `$K` naming the kind called `$name`
/// (one of [`KIND_NAMES`]), or evaluates `$other` when no kind is called
/// that: how code that meets a kind by name (a peer's object, a feed row)
/// reaches the generic code of that kind. A test holds the arms to
/// [`KIND_NAMES`].
#[macro_export]
macro_rules! with_kind {
    ($name:expr, $K:ident => $body:expr, _ => $other:expr) => {
        match $name {
            "note" => {
                type $K = $crate::note::NoteKind;
                $body
            }
            "contact" => {
                type $K = $crate::contact::ContactKind;
                $body
            }
            "indicator_value" => {
                type $K = $crate::indicators::IndicatorValueKind;
                $body
            }
            "relationship" => {
                type $K = $crate::relationship::RelationshipKind;
                $body
            }
            "screening_decision" => {
                type $K = $crate::screening_decision::ScreeningDecisionKind;
                $body
            }
            "entity" => {
                type $K = $crate::entity::EntityRecordKind;
                $body
            }
            "report" => {
                type $K = $crate::report_record::ReportRecordKind;
                $body
            }
            "requirement" => {
                type $K = $crate::needs::RequirementRecordKind;
                $body
            }
            "contribution" => {
                type $K = $crate::needs::ContributionRecordKind;
                $body
            }
            "allocation_run" => {
                type $K = $crate::allocation_run::AllocationRunKind;
                $body
            }
            "fund" => {
                type $K = $crate::fund::FundKind;
                $body
            }
            "fund_project" => {
                type $K = $crate::fund::FundProjectKind;
                $body
            }
            "meeting" => {
                type $K = $crate::meetings::MeetingKind;
                $body
            }
            "statement" => {
                type $K = $crate::meetings::StatementKind;
                $body
            }
            "commitment" => {
                type $K = $crate::meetings::CommitmentKind;
                $body
            }
            _ => $other,
        }
    };
}

#[cfg(test)]
mod with_kind_tests {
    use super::{Kind, KIND_NAMES};

    #[test]
    fn every_kind_name_reaches_its_kind() {
        for name in KIND_NAMES {
            let reached = crate::with_kind!(*name, K => K::NAME, _ => "none");
            assert_eq!(reached, *name);
        }
        assert_eq!(
            crate::with_kind!("nothing", K => K::NAME, _ => "none"),
            "none"
        );
    }
}
