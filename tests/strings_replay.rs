#![cfg(not(target_arch = "wasm32"))]
//! Replays 2,500 random string / key / server commands that a real
//! redis-server 7.0.15 answered (`tests/data/strings_fuzz.jsonl`) and
//! compares every reply.
//!
//! The file was recorded by sending the commands one by one to a fresh
//! standalone server and storing each reply in a canonical form: `+status`,
//! `-error`, `:integer`, `$hex-bytes`, `nil`, `nilarr`, `[a,b,...]`; KEYS
//! replies are sorted (Redis' order is hash-seeded). The keys all carry the
//! `{user1000}` hash tag, so they share one slot as on a cluster node.
//!
//! The commands run straight on a keyspace (no routing). RPUSH, which is
//! there only to plant a list for WRONGTYPE cases, is played by the test
//! itself. The recording run took well under a second, so every TTL
//! answered there is the same as at one fixed `now_ms`.

use std::collections::VecDeque;

use slotlab::engine::command::{self, Ctx};
use slotlab::engine::keyspace::Keyspace;
use slotlab::engine::topology::{ClusterConfig, Topology};
use slotlab::engine::value::Value;
use slotlab::engine::Reply;

fn canon(reply: &Reply) -> String {
    match reply {
        Reply::Status(s) => format!("+{s}"),
        Reply::Error(s) => format!("-{s}"),
        Reply::Integer(n) => format!(":{n}"),
        Reply::Bulk(b) => format!(
            "${}",
            b.iter().map(|x| format!("{x:02x}")).collect::<String>()
        ),
        Reply::NilBulk => "nil".into(),
        Reply::NilArray => "nilarr".into(),
        Reply::Array(items) => {
            format!(
                "[{}]",
                items.iter().map(canon).collect::<Vec<_>>().join(",")
            )
        }
    }
}

fn rpush(db: &mut Keyspace, key: &[u8], element: &[u8]) -> Reply {
    match db.value_mut(key) {
        None => {
            let list = VecDeque::from(vec![element.to_vec()]);
            db.insert(key, Value::List(list), None);
            Reply::Integer(1)
        }
        Some(Value::List(list)) => {
            list.push_back(element.to_vec());
            Reply::Integer(list.len() as i64)
        }
        Some(_) => {
            Reply::Error("WRONGTYPE Operation against a key holding the wrong kind of value".into())
        }
    }
}

#[test]
fn replies_match_the_recorded_real_server() {
    let text = include_str!("data/strings_fuzz.jsonl");
    let mut db = Keyspace::new();
    let topology = Topology::default();
    let mut config = ClusterConfig::for_port(7000);
    let now = 1_700_000_000_000u64;
    let mut mismatches = Vec::new();
    let mut count = 0;
    for (n, line) in text.lines().enumerate() {
        let case: serde_json::Value = serde_json::from_str(line).expect("a JSON line");
        let argv: Vec<Vec<u8>> = case["argv"]
            .as_array()
            .expect("argv")
            .iter()
            .map(|a| a.as_str().expect("string arg").as_bytes().to_vec())
            .collect();
        let want = case["reply"].as_str().expect("reply");
        db.purge_expired(now);
        let reply = if argv[0] == b"RPUSH" {
            rpush(&mut db, &argv[1], &argv[2])
        } else {
            match command::lookup(&argv) {
                Err(e) => e.into(),
                Ok(spec) => {
                    let mut scripts = slotlab::engine::script::Scripting::new(1);
                    let mut ctx = Ctx {
                        db: &mut db,
                        now_ms: now,
                        topology: &topology,
                        config: &mut config,
                        node: 0,
                        touched: Vec::new(),
                        random: 0,
                        client: Default::default(),
                        scripting: scripts.ctx_for(0, 0),
                        events: Vec::new(),
                    };
                    (spec.handler)(&mut ctx, &argv).unwrap_or_else(Reply::from)
                }
            }
        };
        let got = match (&reply, argv[0].as_slice()) {
            (Reply::Array(items), b"KEYS") => {
                let mut keys: Vec<String> = items.iter().map(canon).collect();
                keys.sort();
                format!("[{}]", keys.join(","))
            }
            _ => canon(&reply),
        };
        count += 1;
        if got != want {
            let shown: Vec<String> = argv
                .iter()
                .map(|a| String::from_utf8_lossy(a).into_owned())
                .collect();
            mismatches.push(format!(
                "line {}: {shown:?}\n  real {want}\n  ours {got}",
                n + 1
            ));
        }
    }
    assert_eq!(count, 2500);
    assert!(
        mismatches.is_empty(),
        "{} of {count} replies differ:\n{}",
        mismatches.len(),
        mismatches
            .iter()
            .take(10)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}
