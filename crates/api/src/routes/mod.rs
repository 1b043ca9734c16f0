pub mod allocation;
pub mod audit;
pub mod auth;
pub mod exchange;
pub(crate) mod export_stream;
pub mod funds;
pub mod jobs;
pub mod meetings;
pub mod needs;
pub mod node;
pub mod notes;
pub mod peers;
pub mod picture;
pub mod records;
pub mod registry;
pub mod report;
pub mod reports;
pub mod screen;
pub mod yente;

/// Pages an in-memory, key-sorted list (the registry is small: dozens of
/// members, not millions).
pub(crate) fn page_by_key<T>(
    items: Vec<T>,
    key: impl Fn(&T) -> &str,
    cursor: Option<&str>,
    limit: Option<i64>,
) -> (Vec<T>, Option<String>) {
    let limit = limit.unwrap_or(100).clamp(1, 500) as usize;
    let mut rest: Vec<T> = items
        .into_iter()
        .filter(|i| cursor.is_none_or(|c| key(i) > c))
        .collect();
    let next = if rest.len() > limit {
        rest.truncate(limit);
        rest.last().map(|i| key(i).to_string())
    } else {
        None
    };
    (rest, next)
}

/// Record ids are UUIDs: anything else cannot name a record, so it is a 404
/// (with `not_found` as the detail) before the store is asked.
pub(crate) fn check_record_id(id: &str, not_found: &str) -> Result<(), crate::ApiError> {
    coalesce_store::notes::parse_cursor(id)
        .map(|_| ())
        .map_err(|_| crate::ApiError::not_found(not_found))
}
