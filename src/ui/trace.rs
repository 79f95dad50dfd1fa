//! The last line a client ran, as the route trace and the cluster map draw
//! it: the requests with their replies and events, the cluster-aware
//! client's decisions, and what can be read off them (the keys and their
//! slots, the redirect hops, a CROSSSLOT rejection).
//!
//! Everything here is read from engine events and replies; nothing
//! re-derives a Redis rule. Pure: no web-sys, js-sys or gloo.

use crate::engine::cli::parse_redirect;
use crate::engine::cluster_client::Decision;
use crate::engine::event::{Event, RejectKind};
use crate::engine::router::KeySlot;
use crate::ui::world::{ClientKind, SendRecord};

/// Requests kept for drawing (a `10000 INCR x` line keeps the first ones).
pub const MAX_SENDS: usize = 40;

/// The last line that sent something.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LastLine {
    /// The client's letter.
    pub client: char,
    /// Its kind when it ran the line.
    pub kind: ClientKind,
    /// The prompt it was typed at and the line.
    pub prompt: String,
    pub line: String,
    /// The requests (at most [`MAX_SENDS`]).
    pub sends: Vec<SendRecord>,
    /// How many requests there were in all.
    pub total_sends: usize,
    /// The cluster-aware client's decisions (empty for redis-cli).
    pub decisions: Vec<Decision>,
}

/// A redirect hop: the node that answered MOVED/ASK and the one it named.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hop {
    /// Index of the request in [`LastLine::sends`].
    pub send: usize,
    pub from: u16,
    pub to: u16,
    pub slot: u16,
    pub ask: bool,
}

/// A CROSSSLOT rejection to explain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrossSlot {
    /// The node that refused.
    pub port: u16,
    /// The keys with their slots, in request order.
    pub keys: Vec<KeySlot>,
    /// Index in `keys` of the first key whose slot differs from the first key's.
    pub disagreeing: Option<usize>,
    /// True when EXEC was refused (the keys come from several queued commands).
    pub at_exec: bool,
}

impl LastLine {
    /// Every key the line's requests were routed on, first occurrence of
    /// each (key, command) pair, in order.
    pub fn keys(&self) -> Vec<KeySlot> {
        let mut out: Vec<KeySlot> = Vec::new();
        for send in &self.sends {
            for event in &send.events {
                let keys = match event {
                    Event::Served { keys, .. }
                    | Event::Queued { keys, .. }
                    | Event::Rejected { keys, .. } => keys,
                    _ => continue,
                };
                for key in keys {
                    if !out.iter().any(|k| k.key == key.key) {
                        out.push(key.clone());
                    }
                }
            }
        }
        out
    }

    /// The distinct slots the line touched (for the map's markers).
    pub fn slots(&self) -> Vec<u16> {
        let mut slots: Vec<u16> = self.keys().iter().map(|k| k.slot).collect();
        slots.sort_unstable();
        slots.dedup();
        slots
    }

    /// MOVED/ASK answers, each with the node it pointed to.
    pub fn hops(&self) -> Vec<Hop> {
        let mut hops = Vec::new();
        for (i, send) in self.sends.iter().enumerate() {
            for event in &send.events {
                if let Event::Rejected {
                    port,
                    kind: kind @ (RejectKind::Moved | RejectKind::Ask),
                    redirect_to: Some(to),
                    error,
                    ..
                } = event
                {
                    let slot = parse_redirect(error).map_or(0, |(slot, _, _)| slot);
                    hops.push(Hop {
                        send: i,
                        from: *port,
                        to: *to,
                        slot,
                        ask: *kind == RejectKind::Ask,
                    });
                }
            }
        }
        hops
    }

    /// The first CROSSSLOT rejection, if any.
    pub fn cross_slot(&self) -> Option<CrossSlot> {
        self.sends.iter().find_map(|send| {
            send.events.iter().find_map(|event| match event {
                Event::Rejected {
                    port,
                    kind: RejectKind::CrossSlot,
                    keys,
                    disagreeing,
                    ..
                } => Some(CrossSlot {
                    port: *port,
                    keys: keys.clone(),
                    disagreeing: *disagreeing,
                    at_exec: send
                        .argv
                        .first()
                        .is_some_and(|n| n.eq_ignore_ascii_case(b"exec")),
                }),
                _ => None,
            })
        })
    }

    /// The nodes the line talked to, in port order.
    pub fn ports(&self) -> Vec<u16> {
        let mut ports: Vec<u16> = self.sends.iter().map(|s| s.port).collect();
        for hop in self.hops() {
            ports.push(hop.to);
        }
        ports.sort_unstable();
        ports.dedup();
        ports
    }
}
