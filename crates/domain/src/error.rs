use thiserror::Error;

/// Why a piece of input was refused. Each variant has a stable snake_case
/// code that the HTTP layer puts in problem documents.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DomainError {
    #[error("invalid member code {0:?}: states use ISO 3166-1 alpha-3 (e.g. GBR), organisations 2-16 upper-case letters, digits or hyphens (e.g. NATO, ARAB-LEAGUE)")]
    InvalidMemberCode(String),
    #[error("invalid slug {0:?}: 1-64 lower-case letters, digits or hyphens, starting with a letter or digit")]
    InvalidSlug(String),
    #[error("invalid TLP level {0:?}: expected CLEAR, GREEN, AMBER, AMBER+STRICT or RED")]
    InvalidTlp(String),
    #[error("invalid audience token {0:?}: expected a member code, GROUP:<slug> or COALITION")]
    InvalidAudienceToken(String),
    #[error("unknown audience token {0:?}: REL TO names members by their code (e.g. GBR), groups as GROUP:<slug> of an existing group, or COALITION")]
    UnknownAudienceToken(String),
    #[error(
        "invalid username {0:?}: 2-64 characters, lower-case letters, digits, '.', '_' or '-'"
    )]
    InvalidUsername(String),
    #[error("invalid role {0:?}: expected viewer, contributor, coordinator or admin")]
    InvalidRole(String),
    #[error("invalid {field}: {reason}")]
    InvalidField { field: &'static str, reason: String },
    #[error("password too weak: {0}")]
    WeakPassword(&'static str),
}

impl DomainError {
    pub fn code(&self) -> &'static str {
        match self {
            DomainError::InvalidMemberCode(_) => "invalid_member_code",
            DomainError::InvalidSlug(_) => "invalid_slug",
            DomainError::InvalidTlp(_) => "invalid_marking",
            DomainError::InvalidAudienceToken(_) => "invalid_marking",
            DomainError::UnknownAudienceToken(_) => "unknown_audience_token",
            DomainError::InvalidUsername(_) => "invalid_username",
            DomainError::InvalidRole(_) => "invalid_role",
            DomainError::InvalidField { .. } => "invalid_field",
            DomainError::WeakPassword(_) => "weak_password",
        }
    }
}
