//! The stabilisation fund's double-entry ledger, pure (no IO): the store
//! keeps what it decides.
//!
//! - [`money`]: ISO 4217 currencies and integer minor units.
//! - [`ledger`]: accounts, immutable transfers (single-phase, pending, post,
//!   void, reversal), checked group by group, all or nothing, against the
//!   balances a [`ledger::View`] gives; [`ledger::Ledger`] keeps them in memory;
//!   [`ledger::verify`] recomputes every balance from the transfers.
//! - [`rates`]: dated exchange rates and conversion with explicit rounding.
//! - [`fund`]: the fund's operations (pledge, commit, deposit with its fee,
//!   allocate, approve, disburse with indirect costs, expend, refund,
//!   interest, reversal) as transfers, and its status table.

pub mod fund;
pub mod ledger;
pub mod money;
pub mod rates;

pub use ledger::{Account, Balance, Effects, Held, Ledger, Limit, Phase, Transfer, View};
pub use money::Currency;

/// Why a transfer, a group or an input is refused; each names its rule.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LedgerError {
    #[error("unknown currency {0}")]
    UnknownCurrency(String),
    #[error("bad amount: {0}")]
    BadAmount(String),
    #[error("transfer {id}: the amount must be positive")]
    NotPositive { id: String },
    #[error("transfer {0} exists already")]
    DuplicateTransfer(String),
    #[error("unknown account {0}")]
    UnknownAccount(String),
    #[error("account {0} exists already with another currency or limit")]
    AccountConflict(String),
    #[error("transfer {id}: debit and credit are the same account")]
    SameAccount { id: String },
    #[error(
        "transfer {id}: account {account} is in {account_currency}, the transfer in {currency}"
    )]
    CurrencyMismatch {
        id: String,
        account: String,
        account_currency: String,
        currency: String,
    },
    #[error("transfer {id}: no pending transfer {pending}")]
    NoSuchPending { id: String, pending: String },
    #[error("transfer {id}: pending transfer {pending} is already posted or voided")]
    AlreadyResolved { id: String, pending: String },
    #[error("transfer {id}: posts {amount}, more than the {pending_amount} pending in {pending}")]
    PostExceedsPending {
        id: String,
        pending: String,
        amount: i64,
        pending_amount: i64,
    },
    #[error("transfer {id}: it must name the accounts of pending transfer {pending}")]
    PostAccountsDiffer { id: String, pending: String },
    #[error("transfer {id}: no transfer {reversed} to reverse")]
    NoSuchTransfer { id: String, reversed: String },
    #[error("transfer {id}: {reversed} is a reversal; a reversal is not reversed (record the transfer again)")]
    ReversalOfReversal { id: String, reversed: String },
    #[error("transfer {id}: {reversed} is reversed already")]
    AlreadyReversed { id: String, reversed: String },
    #[error("transfer {id}: {reversed} is pending; void it instead of reversing it")]
    ReversePending { id: String, reversed: String },
    #[error("transfer {id}: a reversal swaps the accounts of {reversed} and keeps its amount and currency")]
    ReversalDiffers { id: String, reversed: String },
    #[error("account {account} would go below zero ({rule})")]
    LimitExceeded { account: String, rule: &'static str },
    #[error("no {from} to {to} rate in force on {date}")]
    NoRate {
        from: String,
        to: String,
        date: String,
    },
    #[error("amounts too large to add up")]
    Overflow,
    #[error("{0}")]
    Invalid(String),
}

impl LedgerError {
    /// The rule broken, as a stable code for problem documents and exit
    /// messages.
    pub fn rule(&self) -> &'static str {
        match self {
            LedgerError::UnknownCurrency(_) => "unknown_currency",
            LedgerError::BadAmount(_) => "bad_amount",
            LedgerError::NotPositive { .. } => "amount_not_positive",
            LedgerError::DuplicateTransfer(_) => "duplicate_transfer",
            LedgerError::UnknownAccount(_) => "unknown_account",
            LedgerError::AccountConflict(_) => "account_conflict",
            LedgerError::SameAccount { .. } => "same_account",
            LedgerError::CurrencyMismatch { .. } => "currency_mismatch",
            LedgerError::NoSuchPending { .. } => "no_such_pending",
            LedgerError::AlreadyResolved { .. } => "already_resolved",
            LedgerError::PostExceedsPending { .. } => "post_exceeds_pending",
            LedgerError::PostAccountsDiffer { .. } => "post_accounts_differ",
            LedgerError::NoSuchTransfer { .. } => "no_such_transfer",
            LedgerError::ReversalOfReversal { .. } => "reversal_of_reversal",
            LedgerError::AlreadyReversed { .. } => "already_reversed",
            LedgerError::ReversePending { .. } => "reverse_pending",
            LedgerError::ReversalDiffers { .. } => "reversal_differs",
            LedgerError::LimitExceeded { .. } => "limit_exceeded",
            LedgerError::NoRate { .. } => "no_rate",
            LedgerError::Overflow => "overflow",
            LedgerError::Invalid(_) => "invalid_operation",
        }
    }
}
