//! Sample data, loaded through the engine with ordinary commands (SET,
//! MSET, SADD ...) sent straight to each key's owner over the loader's own
//! connections, a chunk at a time so the page stays responsive. Plain
//! `SET key value` commands (all of the 100,000-key sample) go through the
//! engine's bulk path ([`Cluster::load_strings`]): the same state as the
//! SETs one by one, without parsing and routing each.
//!
//! Pure: no web-sys, js-sys or gloo.

use crate::engine::cluster::{Cluster, ConnId};
use crate::engine::slot::key_slot;
use crate::i18n::{tr, Lang};

/// Commands run per chunk (one chunk per tick of the page).
pub const CHUNK: usize = 4000;
/// Plain SETs per chunk when the sample is only those (the bulk path is
/// cheap enough for a tick; each tick also redraws the map).
pub const BULK_CHUNK: usize = 50_000;

/// What to load.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sample {
    /// A few keys of several types, to see where each lands.
    Few,
    /// 100,000 string keys `user:0` … `user:99999`, spread over all slots.
    Spread,
    /// 1,000 keys all tagged `{all}`: one slot, one shard.
    HotSpot,
}

impl Sample {
    /// Every sample, in menu order.
    pub const ALL: [Sample; 3] = [Sample::Few, Sample::Spread, Sample::HotSpot];

    /// A button label.
    pub fn label(self) -> &'static str {
        match self {
            Sample::Few => "A few keys",
            Sample::Spread => "100,000 keys",
            Sample::HotSpot => "Hot spot: 1,000 keys tagged {all}",
        }
    }

    /// What it loads, in words.
    pub fn describe(self) -> &'static str {
        match self {
            Sample::Few => "SET/SADD/HSET/RPUSH on a dozen keys (user:1, {user1000}.followers, cart:{user1000} …)",
            Sample::Spread => "SET user:0 … user:99999 (spread evenly over the 16384 slots)",
            Sample::HotSpot => "MSET {all}:0 … {all}:999 — one hash tag, so one slot on one shard",
        }
    }

    /// [`Sample::label`] in `lang`.
    pub fn label_in(self, lang: Lang) -> &'static str {
        tr(
            lang,
            match self {
                Sample::Few => "sample.few",
                Sample::Spread => "sample.spread",
                Sample::HotSpot => "sample.hot_spot",
            },
        )
    }

    /// [`Sample::describe`] in `lang`.
    pub fn describe_in(self, lang: Lang) -> &'static str {
        tr(
            lang,
            match self {
                Sample::Few => "sample.few_describe",
                Sample::Spread => "sample.spread_describe",
                Sample::HotSpot => "sample.hot_spot_describe",
            },
        )
    }

    /// How many commands it runs.
    pub fn total(self) -> usize {
        match self {
            Sample::Few => FEW.len(),
            Sample::Spread => 100_000,
            Sample::HotSpot => 4,
        }
    }

    /// The `i`-th command when it is a plain `SET key value`: its key and
    /// value, built without the rest of the argv.
    pub fn plain_set(self, i: usize) -> Option<(Vec<u8>, Vec<u8>)> {
        match self {
            Sample::Spread => Some((
                format!("user:{i}").into_bytes(),
                (i * 7 % 1000).to_string().into_bytes(),
            )),
            Sample::Few => match FEW.get(i)? {
                ["SET", key, value] => Some((key.as_bytes().to_vec(), value.as_bytes().to_vec())),
                _ => None,
            },
            Sample::HotSpot => None,
        }
    }

    /// Commands per chunk.
    fn chunk(self) -> usize {
        match self {
            Sample::Spread => BULK_CHUNK,
            Sample::Few | Sample::HotSpot => CHUNK,
        }
    }

    /// The `i`-th command.
    pub fn command(self, i: usize) -> Vec<Vec<u8>> {
        match self {
            Sample::Few => FEW
                .get(i)
                .map(|words| words.iter().map(|w| w.as_bytes().to_vec()).collect())
                .unwrap_or_default(),
            Sample::Spread => vec![
                b"SET".to_vec(),
                format!("user:{i}").into_bytes(),
                format!("{}", i * 7 % 1000).into_bytes(),
            ],
            Sample::HotSpot => {
                let mut argv = vec![b"MSET".to_vec()];
                for k in i * 250..(i + 1) * 250 {
                    argv.push(format!("{{all}}:{k}").into_bytes());
                    argv.push(b"1".to_vec());
                }
                argv
            }
        }
    }
}

const FEW: &[&[&str]] = &[
    &["SET", "user:1", "Ada"],
    &["SET", "user:2", "Grace"],
    &["SET", "foo", "bar"],
    &["SET", "counter", "10"],
    &["SADD", "{user1000}.following", "user:1", "user:2"],
    &["SADD", "{user1000}.followers", "user:2"],
    &["HSET", "cart:{user1000}", "apples", "3", "pears", "1"],
    &["RPUSH", "queue:jobs", "job1", "job2", "job3"],
    &["SET", "session:abc", "user:1", "EX", "3600"],
    &["ZADD", "leaderboard", "120", "ada", "95", "grace"],
];

/// A load in progress.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Loading {
    pub sample: Sample,
    /// Commands run so far.
    pub done: usize,
    /// Errors answered so far (should stay 0).
    pub errors: usize,
    /// The loader's connection to each master, by master port.
    pub conns: Vec<(u16, ConnId)>,
    /// The client whose console gets the "loaded" note.
    pub client: usize,
    /// The engine's clock for every command of the load (the first
    /// chunk's time), so that replaying the load as one step answers the
    /// same.
    pub now_ms: Option<u64>,
}

impl Loading {
    /// Opens one connection per master.
    pub fn start(cluster: &mut Cluster, sample: Sample) -> Loading {
        let ports: Vec<u16> = cluster
            .topology
            .masters()
            .map(|m| cluster.topology.nodes[m].port)
            .collect();
        let conns = ports
            .into_iter()
            .filter_map(|p| cluster.connect(p).ok().map(|c| (p, c)))
            .collect();
        Loading {
            sample,
            done: 0,
            errors: 0,
            conns,
            client: 0,
            now_ms: None,
        }
    }

    /// True when every command has run.
    pub fn finished(&self) -> bool {
        self.done >= self.sample.total()
    }

    /// Runs the next chunk, each command on its first key's owner, at the
    /// time of the first chunk; runs of plain SETs take the bulk path.
    pub fn run_chunk(&mut self, cluster: &mut Cluster, now_ms: u64) {
        let now_ms = *self.now_ms.get_or_insert(now_ms);
        let end = (self.done + self.sample.chunk()).min(self.sample.total());
        let mut sets: Vec<(ConnId, Vec<u8>, Vec<u8>)> = Vec::new();
        for i in self.done..end {
            if let Some((key, value)) = self.sample.plain_set(i) {
                if let Some(conn) = owner_conn(cluster, &self.conns, &key) {
                    sets.push((conn, key, value));
                }
                continue;
            }
            self.errors += cluster.load_strings(sets.drain(..), now_ms).errors;
            let argv = self.sample.command(i);
            let Some(key) = argv.get(1) else { continue };
            if let Some(conn) = owner_conn(cluster, &self.conns, key) {
                if cluster.execute(conn, &argv, now_ms).reply.is_error() {
                    self.errors += 1;
                }
            }
        }
        self.errors += cluster.load_strings(sets, now_ms).errors;
        self.done = end;
    }

    /// Closes the loader's connections.
    pub fn close(&self, cluster: &mut Cluster) {
        for (_, conn) in &self.conns {
            cluster.disconnect(*conn);
        }
    }
}

/// The loader's connection to the master that owns `key` (the first one
/// when no master owns it: the command gets the real error from there).
fn owner_conn(cluster: &Cluster, conns: &[(u16, ConnId)], key: &[u8]) -> Option<ConnId> {
    let owner = cluster
        .topology
        .owner(key_slot(key))
        .and_then(|n| cluster.topology.nodes.get(n))
        .map(|n| n.port);
    conns
        .iter()
        .find(|(p, _)| Some(*p) == owner)
        .or(conns.first())
        .map(|(_, c)| *c)
}

/// Loads `SET key value` for each pair on its owner's connection among
/// `conns`, through the bulk path (what the sample loader does, for
/// measurements with other key counts). Returns how many answered an error.
pub fn load_sets(
    cluster: &mut Cluster,
    conns: &[(u16, ConnId)],
    pairs: impl IntoIterator<Item = (Vec<u8>, Vec<u8>)>,
    now_ms: u64,
) -> usize {
    let pairs = pairs.into_iter();
    let mut sets = Vec::with_capacity(pairs.size_hint().0);
    for (key, value) in pairs {
        if let Some(conn) = owner_conn(cluster, conns, &key) {
            sets.push((conn, key, value));
        }
    }
    cluster.load_strings(sets, now_ms).errors
}
