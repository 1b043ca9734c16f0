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

/// How failed logins slow their maker, never the user they aim at. Failures
/// are counted per (account, client) and per client; each key gets a few
/// free tries, then must wait a delay that doubles with every further
/// failure, up to a ceiling. A client that has not failed is never delayed,
/// so an attacker elsewhere cannot lock a real user out.
pub mod login_limit {
    /// Free failures per account and client before delays start.
    pub const FREE_PER_ACCOUNT_AND_CLIENT: i64 = 5;
    /// Free failures per client (over all accounts) before delays start.
    pub const FREE_PER_CLIENT: i64 = 20;
    /// The first delay, doubled by each further failure.
    pub const FIRST_DELAY_MS: i64 = 30_000;
    /// The longest delay.
    pub const MAX_DELAY_MS: i64 = 15 * 60_000;
    /// Failures older than this are forgotten.
    pub const FORGET_AFTER_MS: i64 = 24 * 3_600_000;

    /// Milliseconds still to wait for a key with `failures` failures, the
    /// last at `last_ms`, at `now_ms`; `None` when a try is allowed now.
    pub fn wait_ms(failures: i64, free: i64, last_ms: i64, now_ms: i64) -> Option<i64> {
        if failures < free {
            return None;
        }
        let doublings = (failures - free).min(20) as u32;
        let delay = FIRST_DELAY_MS
            .saturating_mul(1_i64 << doublings)
            .min(MAX_DELAY_MS);
        let left = last_ms.saturating_add(delay) - now_ms;
        (left > 0).then_some(left)
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn free_tries_then_doubling_delays_up_to_the_ceiling() {
            let free = FREE_PER_ACCOUNT_AND_CLIENT;
            assert_eq!(wait_ms(free - 1, free, 0, 0), None);
            assert_eq!(wait_ms(free, free, 0, 1_000), Some(29_000));
            assert_eq!(wait_ms(free + 1, free, 0, 0), Some(60_000));
            assert_eq!(wait_ms(free + 3, free, 0, 0), Some(240_000));
            assert_eq!(wait_ms(free + 40, free, 0, 0), Some(MAX_DELAY_MS));
            assert_eq!(wait_ms(free, free, 0, FIRST_DELAY_MS), None);
            // Saturates instead of overflowing.
            assert_eq!(
                wait_ms(i64::MAX, free, i64::MAX - 5, i64::MAX - 10),
                Some(10)
            );
        }
    }
}
