//! What a batch of fund operations is checked against: the accounts and
//! transfers loaded from the database in the writing transaction, and what
//! the batch has written so far. A lookup of something not loaded yet is
//! noted as a miss; the batch is then run again once the misses are
//! loaded (see `apply` in `mod.rs`), so the checks stay the pure engine's.

use coalesce_ledger::{Account, Balance, Effects, Held, View};
use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap};

/// Whom a transfer is about, for the breakdowns ('' when none).
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct Dims {
    pub donor: String,
    pub window: String,
    pub project: String,
    pub org: String,
}

/// Who reads a transfer: its marking's columns and audience set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Readers {
    pub tlp: String,
    pub rel_to: String,
    pub key: String,
    pub tokens: Vec<String>,
}

/// A transfer held in the database, with what the store keeps beside it.
#[derive(Debug, Clone)]
pub(crate) struct Stored {
    pub held: Held,
    pub dims: Dims,
    pub readers: Readers,
    pub base: super::Base,
}

/// What has been loaded: `None` where the database has no such row.
#[derive(Default)]
pub(crate) struct Loaded {
    pub accounts: HashMap<String, Option<(Account, Balance)>>,
    pub transfers: HashMap<String, Option<Stored>>,
}

#[derive(Default)]
pub(crate) struct Misses {
    pub accounts: BTreeSet<String>,
    pub transfers: BTreeSet<String>,
}

impl Misses {
    pub fn len(&self) -> usize {
        self.accounts.len() + self.transfers.len()
    }
}

/// One run of a batch over what is loaded.
pub(crate) struct Round<'l> {
    loaded: &'l Loaded,
    opened: HashMap<String, Account>,
    balances: HashMap<String, Balance>,
    written: HashMap<String, Stored>,
    resolved: BTreeSet<String>,
    reversed: BTreeSet<String>,
    pub misses: RefCell<Misses>,
    /// A guessing run: an account not loaded is taken as absent (opened
    /// with nothing in it) so that the batch can go on and name what it
    /// will touch; its misses are what to load.
    guessing: bool,
}

impl<'l> Round<'l> {
    pub fn new(loaded: &'l Loaded) -> Self {
        Round {
            loaded,
            opened: HashMap::new(),
            balances: HashMap::new(),
            written: HashMap::new(),
            resolved: BTreeSet::new(),
            reversed: BTreeSet::new(),
            misses: RefCell::new(Misses::default()),
            guessing: false,
        }
    }

    /// A run that only finds what the batch will touch (see `guessing`).
    pub fn guessing(loaded: &'l Loaded) -> Self {
        Round {
            guessing: true,
            ..Round::new(loaded)
        }
    }

    pub fn miss_count(&self) -> usize {
        self.misses.borrow().len()
    }

    /// Whether the account is known not to exist (neither in the database
    /// nor opened by this batch); `None` when that is not known yet.
    pub fn is_absent(&self, id: &str) -> Option<bool> {
        if self.opened.contains_key(id) {
            return Some(false);
        }
        match self.loaded.accounts.get(id) {
            Some(a) => Some(a.is_none()),
            None => {
                self.misses.borrow_mut().accounts.insert(id.to_string());
                self.guessing.then_some(true)
            }
        }
    }

    pub fn open(&mut self, a: Account) {
        self.opened.insert(a.id.clone(), a);
    }

    /// The accounts this batch opened.
    pub fn opened(&self) -> impl Iterator<Item = &Account> {
        self.opened.values()
    }

    /// A transfer with what the store keeps beside it.
    pub fn stored(&self, id: &str) -> Option<Stored> {
        let mut s = match self.written.get(id) {
            Some(s) => s.clone(),
            None => match self.loaded.transfers.get(id) {
                Some(Some(s)) => s.clone(),
                Some(None) => return None,
                None => {
                    self.misses.borrow_mut().transfers.insert(id.to_string());
                    return None;
                }
            },
        };
        s.held.resolved |= self.resolved.contains(id);
        s.held.reversed |= self.reversed.contains(id);
        Some(s)
    }

    /// Keeps what a checked group changes; `extra` gives each transfer's
    /// dims, readers and base amount.
    pub fn write(&mut self, fx: &Effects, extra: &[(Dims, Readers, super::Base)]) {
        for (id, b) in &fx.balances {
            self.balances.insert(id.clone(), *b);
        }
        for (t, (dims, readers, base)) in fx.transfers.iter().zip(extra) {
            self.written.insert(
                t.id.clone(),
                Stored {
                    held: Held {
                        transfer: t.clone(),
                        resolved: false,
                        reversed: false,
                    },
                    dims: dims.clone(),
                    readers: readers.clone(),
                    base: base.clone(),
                },
            );
        }
        self.resolved.extend(fx.resolved.iter().cloned());
        self.reversed.extend(fx.reversed.iter().cloned());
    }
}

impl View for Round<'_> {
    fn account(&self, id: &str) -> Option<Account> {
        if let Some(a) = self.opened.get(id) {
            return Some(a.clone());
        }
        match self.loaded.accounts.get(id) {
            Some(a) => a.as_ref().map(|(a, _)| a.clone()),
            None => {
                self.misses.borrow_mut().accounts.insert(id.to_string());
                None
            }
        }
    }

    fn balance(&self, id: &str) -> Balance {
        if let Some(b) = self.balances.get(id) {
            return *b;
        }
        match self.loaded.accounts.get(id) {
            Some(Some((_, b))) => *b,
            Some(None) => Balance::default(),
            None if self.opened.contains_key(id) => Balance::default(),
            None => {
                self.misses.borrow_mut().accounts.insert(id.to_string());
                Balance::default()
            }
        }
    }

    fn transfer(&self, id: &str) -> Option<Held> {
        self.stored(id).map(|s| s.held)
    }
}
