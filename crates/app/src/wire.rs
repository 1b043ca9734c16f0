//! Wire types: what the API sends and accepts, separate from the domain
//! types so that either can change without silently changing the other.

use coalesce_store::notes::{Note, NoteVersion};
use coalesce_store::registry::{Group, LineOfEffort, Member};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// RFC 3339 UTC from unix milliseconds.
pub fn rfc3339(ms: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_default()
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LoginResponse {
    /// Bearer token (also set as the session cookie); valid 12 hours.
    pub token: String,
    pub user: Me,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    pub username: String,
    /// Code of the member the user belongs to.
    pub member: String,
    pub role: String,
    /// Groups the user's member belongs to now.
    pub groups: Vec<String>,
    /// Whether the user's member is the secretariat (whose coordinators manage the registry).
    pub secretariat: bool,
    /// Grants beside the role: `fund_manager` records the operations of
    /// its member's funds and adds exchange rates.
    pub grants: Vec<String>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct MemberOut {
    /// Where it comes from: the documents that state it, quoted, and
    /// what was added that no document states (`illustrative`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<coalesce_domain::source::Source>,
    /// ISO 3166-1 alpha-3 for states, short code for organisations.
    pub code: String,
    pub name: String,
    /// `state` or `organisation`
    pub kind: String,
    /// `member` or `partner`
    pub role: String,
    /// YYYY-MM-DD
    pub joined: Option<String>,
}

impl From<Member> for MemberOut {
    fn from(m: Member) -> Self {
        MemberOut {
            source: None,
            code: m.code,
            name: m.name,
            kind: m.kind,
            role: m.role,
            joined: m.joined,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MemberIn {
    pub code: String,
    pub name: String,
    /// `state` or `organisation`
    pub kind: String,
    /// `member` (default) or `partner`
    #[serde(default = "default_member_role")]
    pub role: String,
    pub joined: Option<String>,
}

fn default_member_role() -> String {
    "member".into()
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MemberList {
    pub items: Vec<MemberOut>,
    pub next: Option<String>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct GroupOut {
    /// Where it comes from: the documents that state it, quoted, and
    /// what was added that no document states (`illustrative`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<coalesce_domain::source::Source>,
    pub slug: String,
    pub name: String,
    /// `small_group`, `working_group`, `task_force` or `community`
    pub kind: String,
    pub description: String,
    /// Member codes.
    pub members: Vec<String>,
}

impl From<Group> for GroupOut {
    fn from(g: Group) -> Self {
        GroupOut {
            source: None,
            slug: g.slug,
            name: g.name,
            kind: g.kind,
            description: g.description,
            members: g.members,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GroupIn {
    pub slug: String,
    pub name: String,
    pub kind: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub members: Vec<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GroupMembersIn {
    pub members: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct GroupList {
    pub items: Vec<GroupOut>,
    pub next: Option<String>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct LineOfEffortOut {
    /// Where it comes from: the documents that state it, quoted, and
    /// what was added that no document states (`illustrative`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<coalesce_domain::source::Source>,
    pub slug: String,
    pub name: String,
    pub description: String,
}

impl From<LineOfEffort> for LineOfEffortOut {
    fn from(l: LineOfEffort) -> Self {
        LineOfEffortOut {
            source: None,
            slug: l.slug,
            name: l.name,
            description: l.description,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LineOfEffortIn {
    pub slug: String,
    pub name: String,
    #[serde(default)]
    pub description: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LineOfEffortList {
    pub items: Vec<LineOfEffortOut>,
    pub next: Option<String>,
}

/// TLP 2.0 level and releasability list.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MarkingWire {
    /// CLEAR, GREEN, AMBER, AMBER+STRICT or RED
    pub tlp: String,
    /// Member codes, `GROUP:<slug>` or `COALITION`. The origin member is always added.
    #[serde(default)]
    pub rel_to: Vec<String>,
}

impl From<&coalesce_domain::Marking> for MarkingWire {
    fn from(m: &coalesce_domain::Marking) -> Self {
        MarkingWire {
            tlp: m.tlp.as_str().into(),
            rel_to: m.rel_to.iter().map(|t| t.as_string()).collect(),
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NoteIn {
    pub title: String,
    #[serde(default)]
    pub body: String,
    pub marking: MarkingWire,
    /// Slug of a group the note belongs to (optional).
    pub group: Option<String>,
    /// For updates: the version being replaced (optimistic concurrency).
    pub if_version: Option<i64>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct NoteOut {
    /// Where it comes from: the documents that state it, quoted, and
    /// what was added that no document states (`illustrative`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<coalesce_domain::source::Source>,
    pub id: String,
    /// Code of the member that shared the note; only its users change it.
    pub origin: String,
    pub title: String,
    pub body: String,
    pub marking: MarkingWire,
    /// e.g. `TLP:AMBER REL TO GBR, USA`
    pub banner: String,
    pub group: Option<String>,
    pub version: i64,
    pub revoked: bool,
    pub created_at: String,
    pub created_by: String,
    pub updated_at: String,
    pub updated_by: String,
}

impl From<Note> for NoteOut {
    fn from(n: Note) -> Self {
        let banner = coalesce_domain::MemberCode::parse(&n.origin)
            .map(|o| n.marking.banner(&o))
            .unwrap_or_default();
        NoteOut {
            source: None,
            marking: MarkingWire::from(&n.marking),
            banner,
            id: n.id,
            origin: n.origin,
            title: n.title,
            body: n.body,
            group: n.group,
            version: n.version,
            revoked: n.revoked,
            created_at: rfc3339(n.created_at_ms),
            created_by: n.created_by,
            updated_at: rfc3339(n.updated_at_ms),
            updated_by: n.updated_by,
        }
    }
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct NoteList {
    pub items: Vec<NoteOut>,
    /// Cursor of the next page, or null on the last page.
    pub next: Option<String>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Count {
    pub count: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NoteVersionOut {
    pub version: i64,
    pub title: String,
    pub body: String,
    pub marking: MarkingWire,
    pub group: Option<String>,
    pub revoked: bool,
    pub updated_at: String,
    pub updated_by: String,
}

impl From<NoteVersion> for NoteVersionOut {
    fn from(v: NoteVersion) -> Self {
        NoteVersionOut {
            version: v.version,
            marking: MarkingWire::from(&v.marking),
            title: v.title,
            body: v.body,
            group: v.group,
            revoked: v.revoked,
            updated_at: rfc3339(v.updated_at_ms),
            updated_by: v.updated_by,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NoteVersionList {
    pub items: Vec<NoteVersionOut>,
    pub next: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AuditEntryOut {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub member: String,
    pub action: String,
    pub subject: String,
    pub detail: serde_json::Value,
    pub hash: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AuditList {
    pub items: Vec<AuditEntryOut>,
    pub next: Option<String>,
}

/// `?cursor=&limit=`
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct PageParams {
    /// The `next` value of the previous page.
    pub cursor: Option<String>,
    /// Page size, 1–500 (default 50).
    pub limit: Option<i64>,
}
