//! Users and roles. A user belongs to exactly one member.

use crate::DomainError;
use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct Username(String);

impl Username {
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        let b = s.as_bytes();
        let ok = (2..=64).contains(&b.len())
            && b[0].is_ascii_alphanumeric()
            && b.iter().all(|c| {
                c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, b'.' | b'_' | b'-')
            });
        if ok {
            Ok(Username(s.to_string()))
        } else {
            Err(DomainError::InvalidUsername(s.to_string()))
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Username {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Roles are ordered: each includes the rights of the ones before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Reads what its member may read.
    Viewer,
    /// Also creates and changes its own member's records.
    Contributor,
    /// Also manages the registry, when of the secretariat member.
    Coordinator,
    /// Also manages users of the node.
    Admin,
}

impl Role {
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        match s {
            "viewer" => Ok(Role::Viewer),
            "contributor" => Ok(Role::Contributor),
            "coordinator" => Ok(Role::Coordinator),
            "admin" => Ok(Role::Admin),
            _ => Err(DomainError::InvalidRole(s.to_string())),
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Contributor => "contributor",
            Role::Coordinator => "coordinator",
            Role::Admin => "admin",
        }
    }
    pub fn can_write_records(self) -> bool {
        self >= Role::Contributor
    }
    /// Registry changes need a coordinator (or admin) of the secretariat member.
    pub fn can_manage_registry(self, is_secretariat_member: bool) -> bool {
        self >= Role::Coordinator && is_secretariat_member
    }
}

/// The minimum we ask of a password; length beats composition rules.
pub fn check_password(p: &str) -> Result<(), DomainError> {
    let n = p.chars().count();
    if n < 10 {
        return Err(DomainError::WeakPassword("at least 10 characters"));
    }
    if n > 1024 {
        return Err(DomainError::WeakPassword("at most 1024 characters"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames() {
        for ok in ["usa", "gbr", "jane.doe", "a1", "x_y-z"] {
            assert!(Username::parse(ok).is_ok(), "{ok}");
        }
        for bad in ["", "a", "USA", "jane doe", "-x", "é"] {
            assert!(Username::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn roles_are_ordered() {
        assert!(!Role::Viewer.can_write_records());
        assert!(Role::Contributor.can_write_records());
        assert!(Role::Coordinator.can_manage_registry(true));
        assert!(!Role::Coordinator.can_manage_registry(false));
        assert!(!Role::Contributor.can_manage_registry(true));
        assert!(Role::parse("root").is_err());
    }

    #[test]
    fn passwords() {
        assert!(check_password("short").is_err());
        assert!(check_password("long enough pass").is_ok());
    }
}
