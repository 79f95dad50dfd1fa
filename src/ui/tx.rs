//! What the transaction panel shows for one client, built only from the
//! engine's events and replies (never by re-checking Redis' rules): the
//! queued commands with their slot and node, the ones the server flagged
//! and why, and at EXEC the verdict with the rule that fired.
//!
//! Pure: no web-sys, js-sys or gloo.

use crate::engine::cluster::ConnId;
use crate::engine::event::{Event, RejectKind};
use crate::engine::reply::Reply;
use crate::engine::router::KeySlot;
use crate::i18n::{tr, trf, Lang};
use crate::ui::inspect::show_bytes;
use crate::ui::world::SendRecord;

/// Who wrote a WATCHed key when the writer is not a known client.
pub const ANOTHER: &str = "another connection";
/// Who "wrote" a WATCHed key that expired.
pub const EXPIRED: &str = "it expired";
/// The owner of the sample loader's connections.
pub const LOADER: &str = "the sample loader";

/// A writer as kept in the state ("Client B", [`ANOTHER`], [`EXPIRED`],
/// [`LOADER`]) in `lang`.
pub fn show_who(lang: Lang, by: &str) -> String {
    match by {
        ANOTHER => tr(lang, "who.another").to_string(),
        EXPIRED => tr(lang, "who.expired").to_string(),
        LOADER => tr(lang, "who.loader").to_string(),
        _ => match by.strip_prefix("Client ") {
            Some(letter) => trf(lang, "client.name", &[("letter", letter)]),
            None => by.to_string(),
        },
    }
}

/// Queued commands kept per transaction (`10000 INCR x` inside MULTI is
/// counted, not listed).
pub const MAX_TX_ITEMS: usize = 200;

/// A write that touched a key some client WATCHes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Touch {
    /// The key.
    pub key: String,
    /// Who wrote it: "Client B", "another connection", or "it expired".
    pub by: String,
}

/// One command sent while the connection was in MULTI.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TxItem {
    /// The command as typed (escaped, shortened).
    pub command: String,
    /// Its keys with slots and owners.
    pub keys: Vec<KeySlot>,
    /// The error the server answered instead of QUEUED (the transaction is
    /// then flagged and EXEC will answer EXECABORT).
    pub flagged: Option<String>,
}

/// How a transaction ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// EXEC ran the queued commands.
    Ran { commands: usize },
    /// EXECABORT: a command was rejected while queuing (queue-time check).
    QueueTimeAbort { error: String },
    /// EXEC was rejected by cluster routing of the whole queue (EXEC-time check).
    ExecTimeRouting {
        error: String,
        kind: RejectKind,
        keys: Vec<KeySlot>,
        disagreeing: Option<usize>,
    },
    /// nil: a WATCHed key changed (EXEC-time WATCH check).
    WatchAbort { touches: Vec<Touch> },
    /// DISCARD.
    Discarded,
    /// The connection went away with the queue (redis-cli `-c` reconnecting
    /// to follow a redirect, or the client switching node).
    Dropped { redirected: bool },
}

/// One transaction of one client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TxView {
    /// The connection MULTI was sent on.
    pub conn: ConnId,
    /// Its node.
    pub port: u16,
    /// Commands sent inside MULTI (at most [`MAX_TX_ITEMS`]).
    pub items: Vec<TxItem>,
    /// How many were sent in all.
    pub sent: usize,
    /// `None` while open.
    pub verdict: Option<Verdict>,
}

impl TxView {
    /// True while MULTI is open.
    pub fn is_open(&self) -> bool {
        self.verdict.is_none()
    }

    /// How many commands the server flagged.
    pub fn flagged(&self) -> usize {
        self.items.iter().filter(|i| i.flagged.is_some()).count()
    }
}

/// A command for display: arguments escaped and joined, long ones cut.
pub fn show_command(argv: &[Vec<u8>]) -> String {
    let mut out = String::new();
    for (i, arg) in argv.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let text = show_bytes(arg);
        let text = if i == 0 { text.to_uppercase() } else { text };
        out.push_str(&text);
        if out.chars().count() > 80 {
            let cut: String = out.chars().take(77).collect();
            return format!("{cut}…");
        }
    }
    out
}

fn keys_of(events: &[Event]) -> Vec<KeySlot> {
    events
        .iter()
        .find_map(|e| match e {
            Event::Queued { keys, .. } | Event::Served { keys, .. } => Some(keys.clone()),
            Event::Rejected { keys, .. } if !keys.is_empty() => Some(keys.clone()),
            _ => None,
        })
        .unwrap_or_default()
}

/// Folds one client's requests of a line into its transaction view.
/// `touches` are the writes to its WATCHed keys recorded so far (they go
/// into a WATCH verdict).
pub fn apply_sends(
    mut tx: Option<TxView>,
    sends: &[SendRecord],
    touches: &[Touch],
) -> Option<TxView> {
    for send in sends {
        match (send.multi_before, send.multi_after) {
            (false, true) => {
                tx = Some(TxView {
                    conn: send.conn,
                    port: send.port,
                    items: Vec::new(),
                    sent: 0,
                    verdict: None,
                });
            }
            (true, true) => {
                let Some(view) = tx.as_mut().filter(|t| t.conn == send.conn) else {
                    continue;
                };
                let flagged = send.events.iter().find_map(|e| match e {
                    Event::TransactionFlagged { error, .. } => Some(error.clone()),
                    _ => None,
                });
                let queued = send
                    .events
                    .iter()
                    .any(|e| matches!(e, Event::Queued { .. }));
                if !queued && flagged.is_none() {
                    continue; // MULTI nested, WATCH inside MULTI: answered, not queued
                }
                view.sent += 1;
                if view.items.len() < MAX_TX_ITEMS {
                    view.items.push(TxItem {
                        command: show_command(&send.argv),
                        keys: keys_of(&send.events),
                        flagged,
                    });
                }
            }
            (true, false) => {
                let Some(view) = tx.as_mut().filter(|t| t.conn == send.conn) else {
                    continue;
                };
                view.verdict = Some(verdict_of(send, touches));
            }
            (false, false) => {}
        }
    }
    tx
}

fn verdict_of(send: &SendRecord, touches: &[Touch]) -> Verdict {
    for event in &send.events {
        if let Event::TransactionExecuted { commands, .. } = event {
            return Verdict::Ran {
                commands: *commands,
            };
        }
    }
    let discarded = send
        .events
        .iter()
        .any(|e| matches!(e, Event::TransactionDiscarded { .. }));
    if discarded {
        for event in &send.events {
            if let Event::Rejected {
                kind,
                error,
                keys,
                disagreeing,
                ..
            } = event
            {
                return Verdict::ExecTimeRouting {
                    error: error.clone(),
                    kind: *kind,
                    keys: keys.clone(),
                    disagreeing: *disagreeing,
                };
            }
        }
        return match &send.reply {
            Reply::NilArray => Verdict::WatchAbort {
                touches: touches.to_vec(),
            },
            Reply::Error(error) => Verdict::QueueTimeAbort {
                error: error.clone(),
            },
            _ => Verdict::Discarded,
        };
    }
    Verdict::Discarded
}
