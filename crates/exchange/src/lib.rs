//! Exchange formats for coalesce, pure (no IO: functions take and return
//! strings, bytes and values):
//!
//! - [`hxl`]: HXL CSV export and import of requirements, contributions and
//!   indicator values, columns matched by hashtag, every bad row reported.
//! - [`iati`]: IATI 2.03 activity XML export of contributions, valid
//!   against the official schema (checked by `tests/iati/validate.py`);
//!   [`iati_fund`]: a pooled fund and its projects, their transactions.
//! - [`money`]: ISO 4217 minor-unit exponents; minor units ⇄ decimal text,
//!   exactly.
//! - [`country`]: ISO 3166-1 alpha-3 → alpha-2.
//! - [`ical`]: iCalendar (RFC 5545) of meetings and due dates.
//! - [`akn`]: Akoma Ntoso 3.0 XML of a joint statement (AKN4UN).

pub use coalesce_domain::country;
pub mod akn;
pub mod hxl;
pub mod iati;
pub mod iati_fund;
pub mod ical;
pub mod money;
pub mod stix;
pub mod stix_in;
pub mod stix_record;
mod xml;
