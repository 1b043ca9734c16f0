//! What the TAXII routes keep in the shared state: the node's API root and
//! collection, remembered Basic logins, the key of `next` tokens.

use coalesce_store::Principal;
use sha2::Digest;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The API root's path segment.
pub const API_ROOT: &str = "coalesce";

/// The collection of every object the caller may read.
pub const COLLECTION_ID: &str = "365fed99-08fa-fdcd-a1b3-fb247eb41d01";

/// The collection of this node's own records that the caller may read, in
/// the node's sequence: what peers pull (issue 15).
pub const RECORDS_COLLECTION_ID: &str = "8d0a3a4e-5c1f-4e51-9b7c-2f4f3c6c0a11";

/// Successful password logins over Basic, remembered briefly so that paging
/// a large collection does not pay an Argon2id verification per page. Keyed
/// by a SHA-256 of the credentials; entries live [`BasicCache::TTL`] and
/// hold the user's credential stamp (`Store::credential_stamp`), checked
/// on every use: a disabled user is refused at once.
#[derive(Debug, Default)]
pub struct BasicCache {
    entries: Mutex<HashMap<[u8; 32], (Principal, String, Instant)>>,
}

impl BasicCache {
    pub const TTL: Duration = Duration::from_secs(60);

    pub fn key(user: &str, password: &str) -> [u8; 32] {
        let mut h = sha2::Sha256::new();
        h.update(user.as_bytes());
        h.update([0]);
        h.update(password.as_bytes());
        h.finalize().into()
    }

    pub fn get(&self, key: &[u8; 32]) -> Option<(Principal, String)> {
        let map = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        map.get(key)
            .filter(|(.., at)| at.elapsed() < Self::TTL)
            .map(|(p, stamp, _)| (p.clone(), stamp.clone()))
    }

    pub fn put(&self, key: [u8; 32], p: Principal, stamp: String) {
        let mut map = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() > 10_000 {
            map.retain(|_, (.., at)| at.elapsed() < Self::TTL);
        }
        map.insert(key, (p, stamp, Instant::now()));
    }

    pub fn forget(&self, key: &[u8; 32]) {
        let mut map = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        map.remove(key);
    }
}

/// The key of TAXII `next` tokens. A token is the keyset of the last row
/// served (date added, node-wide sequence number) enciphered by a
/// four-round Feistel permutation with SHA-256 of the key as round
/// function: the sequence number counts every object of the node, so in the
/// clear it would tell a reader how many objects it may not read.
#[derive(Clone)]
pub struct CursorKey([u8; 32]);

impl CursorKey {
    pub fn new(key: [u8; 32]) -> Self {
        CursorKey(key)
    }

    fn round(&self, i: u8, half: u64) -> u64 {
        use sha2::Digest;
        let mut h = sha2::Sha256::new();
        h.update(self.0);
        h.update([i]);
        h.update(half.to_be_bytes());
        let d = h.finalize();
        u64::from_be_bytes([d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7]])
    }

    pub fn seal(&self, d: i64, s: i64) -> String {
        let (mut l, mut r) = (d as u64, s as u64);
        for i in 0..4 {
            (l, r) = (r, l ^ self.round(i, r));
        }
        format!("{l:016x}{r:016x}")
    }

    pub fn open(&self, v: &str) -> Option<(i64, i64)> {
        if v.len() != 32 || !v.is_ascii() {
            return None;
        }
        let mut l = u64::from_str_radix(&v[..16], 16).ok()?;
        let mut r = u64::from_str_radix(&v[16..], 16).ok()?;
        for i in (0..4).rev() {
            (l, r) = (r ^ self.round(i, l), l);
        }
        Some((l as i64, r as i64))
    }
}
