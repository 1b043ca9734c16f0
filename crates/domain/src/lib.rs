//! The domain of coalesce: coalition registry types, markings and the one
//! audience rule, accounts and roles, the audit hash chain, notes.
//!
//! This crate never does IO (no files, network, clock or randomness): every
//! value that depends on the outside world is passed in. Types here *parse*
//! their input, so an invalid member code or marking cannot be constructed.

pub mod account;
pub mod allocation_run;
pub mod audit;
pub mod contact;
pub mod country;
pub mod entity;
pub mod error;
pub mod fund;
pub mod indicators;
pub mod marking;
pub mod meetings;
pub mod needs;
pub mod note;
pub mod personal;
pub mod record;
pub mod registry;
pub mod relationship;
pub mod report_record;
pub mod reports;
pub mod screening_decision;
pub mod source;
pub mod text;

pub use account::{Role, Username};
pub use error::DomainError;
pub use marking::{AudienceToken, Marking, Tlp, Viewer};
pub use registry::{GroupKind, MemberCode, MemberKind, MemberRole, Slug};
