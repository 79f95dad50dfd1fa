//! A real Redis Cluster as a [`Transport`] / [`Backend`]: RESP2 over TCP,
//! so the same scenarios and the same redis-cli emulation run against real
//! servers (`slotlab replay --real`). Native only.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::time::{Duration, Instant};

use crate::engine::cli::Transport;
use crate::engine::reply::Reply;
use crate::replay::Backend;

mod layout;

/// The real cluster reached through `host` (ports come from the scenarios).
pub struct RealCluster {
    pub host: String,
    /// Where the scenarios' 7000-7005 really listen (7000 normally; another
    /// base runs the same scenarios on a private cluster, e.g. 7400-7405,
    /// to try them out: replies then name the real ports).
    pub base_port: u16,
    /// When each node (by scenario port) was last sent a CLUSTER FAILOVER
    /// that holds an election; see [`ELECTION_MEMORY`].
    last_election: std::collections::HashMap<u16, Instant>,
}

/// One TCP connection.
pub struct RealConn {
    /// The scenario port it was opened to (7000-7005).
    port: u16,
    reader: BufReader<TcpStream>,
    writer: TcpStream,
}

/// How long a Redis 7.0 replica remembers the votes of its last election:
/// twice `cluster-node-timeout` (5000 ms here; a reset restores it), plus a
/// margin. Asked for a manual failover again within that time — e.g. a
/// scenario's failover of 7003 soon after a reset gave its slots back to
/// 7000 — it counts the old votes, "wins" at once with the old config
/// epoch, and is demoted again a moment later (seen on 7.0.15: "Failover
/// election won" with no "Starting a failover election", then
/// "Configuration change detected"). Only the test cluster's reuse of nodes
/// meets this, so [`RealCluster`] waits it out before such a failover.
const ELECTION_MEMORY: Duration = Duration::from_millis(2 * 5000 + 1000);

/// Whether `argv` is a CLUSTER FAILOVER that holds an election (plain or
/// FORCE; TAKEOVER asks nobody).
fn holds_election(argv: &[Vec<u8>]) -> bool {
    let word = |i: usize, w: &str| {
        argv.get(i)
            .is_some_and(|a| a.eq_ignore_ascii_case(w.as_bytes()))
    };
    word(0, "cluster") && word(1, "failover") && !word(2, "takeover")
}

const TIMEOUT: Duration = Duration::from_secs(10);

impl RealCluster {
    /// A cluster on `host`.
    pub fn new(host: impl Into<String>) -> Self {
        RealCluster::with_base_port(host, 7000)
    }

    /// A cluster on `host` whose first master listens on `base_port`.
    pub fn with_base_port(host: impl Into<String>, base_port: u16) -> Self {
        RealCluster {
            host: host.into(),
            base_port,
            last_election: Default::default(),
        }
    }

    fn command(&mut self, port: u16, words: &[&str]) -> Result<Reply, String> {
        let mut conn = self.connect(port)?;
        let argv: Vec<Vec<u8>> = words.iter().map(|w| w.as_bytes().to_vec()).collect();
        self.send(&mut conn, &argv)
    }

    fn expect_ok(&mut self, port: u16, words: &[&str]) -> Result<(), String> {
        match self.command(port, words)? {
            Reply::Status(_) => Ok(()),
            other => Err(format!("{port} {words:?}: {other:?}")),
        }
    }

    fn text(&mut self, port: u16, words: &[&str]) -> Result<String, String> {
        match self.command(port, words)? {
            Reply::Bulk(b) => Ok(String::from_utf8_lossy(&b).into_owned()),
            other => Err(format!("{port} {words:?}: {other:?}")),
        }
    }

    /// Which master each node replicates, from `port`'s CLUSTER NODES.
    fn master_of(&mut self, port: u16, replica_id: &str) -> Result<Option<String>, String> {
        let nodes = self.text(port, &["CLUSTER", "NODES"])?;
        Ok(nodes
            .lines()
            .map(|l| l.split(' ').collect::<Vec<_>>())
            .find(|f| f.first() == Some(&replica_id))
            .and_then(|f| f.get(3).map(|m| m.to_string()))
            .filter(|m| m != "-"))
    }

    fn wait_until(
        &mut self,
        what: &str,
        mut done: impl FnMut(&mut Self) -> Result<bool, String>,
    ) -> Result<(), String> {
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(30) {
            if done(self)? {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        Err(format!("timed out waiting for {what}"))
    }
}

impl Transport for RealCluster {
    type Conn = RealConn;

    fn connect(&mut self, port: u16) -> Result<RealConn, String> {
        let scenario_port = port;
        let port = self.real_port(port);
        let addr = (self.host.as_str(), port)
            .to_socket_addrs()
            .map_err(|e| e.to_string())?
            .next()
            .ok_or_else(|| format!("no address for {}:{port}", self.host))?;
        let stream = TcpStream::connect_timeout(&addr, TIMEOUT)
            .map_err(|e| format!("Could not connect to Redis at {}:{port}: {e}", self.host))?;
        stream
            .set_read_timeout(Some(TIMEOUT))
            .map_err(|e| e.to_string())?;
        let writer = stream.try_clone().map_err(|e| e.to_string())?;
        Ok(RealConn {
            port: scenario_port,
            reader: BufReader::new(stream),
            writer,
        })
    }

    fn send(&mut self, conn: &mut RealConn, argv: &[Vec<u8>]) -> Result<Reply, String> {
        if holds_election(argv) {
            if let Some(at) = self.last_election.get(&conn.port) {
                std::thread::sleep(ELECTION_MEMORY.saturating_sub(at.elapsed()));
            }
            self.last_election.insert(conn.port, Instant::now());
        }
        // On a shifted cluster, arguments that name a node's port (MIGRATE's
        // target) are shifted too.
        let shifted: Vec<Vec<u8>> = argv
            .iter()
            .map(|arg| {
                match std::str::from_utf8(arg)
                    .ok()
                    .and_then(|a| a.parse::<u16>().ok())
                {
                    Some(port) if self.base_port != 7000 && (7000..=7005).contains(&port) => {
                        self.real_port(port).to_string().into_bytes()
                    }
                    _ => arg.clone(),
                }
            })
            .collect();
        let argv = shifted.as_slice();
        let mut out = format!("*{}\r\n", argv.len()).into_bytes();
        for arg in argv {
            out.extend_from_slice(format!("${}\r\n", arg.len()).as_bytes());
            out.extend_from_slice(arg);
            out.extend_from_slice(b"\r\n");
        }
        conn.writer.write_all(&out).map_err(|e| e.to_string())?;
        read_reply(&mut conn.reader)
    }

    fn disconnect(&mut self, _conn: RealConn) {}
}

impl Backend for RealCluster {
    /// Sleeps: the real servers' clocks move on their own.
    fn pause(&mut self, ms: u64) {
        std::thread::sleep(Duration::from_millis(ms));
    }

    /// FLUSHALL + SCRIPT FLUSH + FUNCTION FLUSH on every master, default
    /// cluster settings, and the replica map applied with CLUSTER REPLICATE.
    fn reset(&mut self, replicas: &[(u16, u16)]) -> Result<(), String> {
        // Masters 7000-7002 with their default slots, no open migration.
        self.restore_layout()?;
        for port in crate::engine::topology::MASTER_PORTS {
            self.expect_ok(port, &["FLUSHALL"])?;
            self.expect_ok(port, &["SCRIPT", "FLUSH"])?;
            self.expect_ok(port, &["FUNCTION", "FLUSH"])?;
        }
        for port in crate::engine::topology::MASTER_PORTS
            .iter()
            .chain(crate::engine::topology::REPLICA_PORTS.iter())
        {
            for (name, value) in DEFAULT_CONFIG {
                self.expect_ok(*port, &["CONFIG", "SET", name, value])?;
            }
        }
        let mut changed = false;
        for &(replica, master) in replicas {
            let master_id = self.node_id(master)?;
            let replica_id = self.node_id(replica)?;
            if self.master_of(replica, &replica_id)?.as_deref() == Some(master_id.as_str()) {
                continue;
            }
            changed = true;
            self.expect_ok(replica, &["CLUSTER", "REPLICATE", &master_id])?;
            self.wait_until(&format!("{replica} to replicate {master}"), |c| {
                let everywhere = crate::engine::topology::MASTER_PORTS.iter().try_fold(
                    true,
                    |ok, &p| -> Result<bool, String> {
                        Ok(ok
                            && c.master_of(p, &replica_id)?.as_deref() == Some(master_id.as_str()))
                    },
                )?;
                let info = c.text(replica, &["INFO", "replication"])?;
                Ok(everywhere && info.contains("master_link_status:up"))
            })?;
        }
        if changed {
            // A replica shows in CLUSTER SLOTS only once its replication
            // offset has been gossiped: wait until every node lists the new map.
            let replicas: Vec<(u16, u16)> = replicas
                .iter()
                .map(|&(r, m)| (self.real_port(r), self.real_port(m)))
                .collect();
            let replicas = replicas.as_slice();
            self.wait_until("CLUSTER SLOTS to show the new replicas", |c| {
                let ports = crate::engine::topology::MASTER_PORTS
                    .iter()
                    .chain(crate::engine::topology::REPLICA_PORTS.iter());
                for &port in ports {
                    let slots = c.command(port, &["CLUSTER", "SLOTS"])?;
                    if !slots_show_replicas(&slots, replicas) {
                        return Ok(false);
                    }
                }
                Ok(true)
            })?;
        }
        // Every node agrees on roles and slots, replicas are in sync, and
        // every node has recomputed cluster_state:ok (every 100 ms while fail).
        self.wait_converged(7000, &[])?;
        self.wait_until("cluster_state:ok on every node", |c| {
            for port in crate::engine::topology::MASTER_PORTS
                .iter()
                .chain(crate::engine::topology::REPLICA_PORTS.iter())
            {
                if !c
                    .text(*port, &["CLUSTER", "INFO"])?
                    .starts_with("cluster_state:ok")
                {
                    return Ok(false);
                }
            }
            Ok(true)
        })
    }

    fn node_id(&mut self, port: u16) -> Result<String, String> {
        self.text(port, &["CLUSTER", "MYID"])
    }

    /// See [`RealCluster::wait_converged`].
    fn converge(&mut self, port: u16, argv: &[Vec<u8>]) -> Result<(), String> {
        self.wait_converged(port, argv)
    }

    /// Waits until every replica has processed everything its master
    /// replicated so far (so reads on replicas see the setup writes).
    fn settle(&mut self) -> Result<(), String> {
        for replica in crate::engine::topology::REPLICA_PORTS {
            let info = self.text(replica, &["INFO", "replication"])?;
            let Some(master) = info_field(&info, "master_port").and_then(|p| p.parse().ok()) else {
                continue;
            };
            let master_info = self.text(master, &["INFO", "replication"])?;
            let target: u64 = info_field(&master_info, "master_repl_offset")
                .and_then(|o| o.parse().ok())
                .ok_or_else(|| format!("{master}: no master_repl_offset"))?;
            self.wait_until(&format!("{replica} to catch up with {master}"), |c| {
                let info = c.text(replica, &["INFO", "replication"])?;
                Ok(info_field(&info, "slave_repl_offset")
                    .and_then(|o| o.parse::<u64>().ok())
                    .is_some_and(|o| o >= target))
            })?;
        }
        Ok(())
    }
}

/// The settings every scenario starts from (what `scripts/real-cluster.sh`
/// starts the nodes with, and Redis 7.0's defaults for the rest), restored
/// by [`RealCluster::reset`] in case a scenario changed them.
const DEFAULT_CONFIG: [(&str, &str); 6] = [
    ("cluster-require-full-coverage", "yes"),
    ("cluster-allow-reads-when-down", "no"),
    ("cluster-node-timeout", "5000"),
    ("cluster-allow-replica-migration", "yes"),
    ("cluster-replica-no-failover", "no"),
    ("cluster-allow-pubsubshard-when-down", "yes"),
];

/// Whether a CLUSTER SLOTS reply lists exactly the (replica, master) pairs
/// under their masters' ranges.
fn slots_show_replicas(slots: &Reply, replicas: &[(u16, u16)]) -> bool {
    let Reply::Array(ranges) = slots else {
        return false;
    };
    let port_of = |node: &Reply| match node {
        Reply::Array(fields) => match fields.get(1) {
            Some(Reply::Integer(port)) => u16::try_from(*port).ok(),
            _ => None,
        },
        _ => None,
    };
    let mut seen = Vec::new();
    for range in ranges {
        let Reply::Array(fields) = range else {
            return false;
        };
        let Some(master) = fields.get(2).and_then(port_of) else {
            return false;
        };
        for node in fields.iter().skip(3) {
            match port_of(node) {
                Some(replica) if replicas.contains(&(replica, master)) => {
                    seen.push(replica);
                }
                _ => return false,
            }
        }
    }
    replicas.iter().all(|(replica, _)| seen.contains(replica))
}

/// The value of `name:` in an INFO text.
fn info_field<'a>(info: &'a str, name: &str) -> Option<&'a str> {
    info.lines().find_map(|line| {
        line.strip_prefix(name)
            .and_then(|rest| rest.strip_prefix(':'))
            .map(str::trim)
    })
}

/// Reads one RESP2 reply.
pub fn read_reply(reader: &mut impl BufRead) -> Result<Reply, String> {
    let mut line = Vec::new();
    reader
        .read_until(b'\n', &mut line)
        .map_err(|e| e.to_string())?;
    if line.len() < 3 || !line.ends_with(b"\r\n") {
        return Err("connection closed or bad reply".into());
    }
    let body = String::from_utf8_lossy(&line[1..line.len() - 2]).into_owned();
    let number = || {
        body.parse::<i64>()
            .map_err(|e| format!("bad length {body:?}: {e}"))
    };
    match line[0] {
        b'+' => Ok(Reply::Status(body)),
        b'-' => Ok(Reply::Error(body)),
        b':' => Ok(Reply::Integer(number()?)),
        b'$' => {
            let len = number()?;
            if len < 0 {
                return Ok(Reply::NilBulk);
            }
            let mut data = vec![0u8; len as usize + 2];
            reader.read_exact(&mut data).map_err(|e| e.to_string())?;
            data.truncate(len as usize);
            Ok(Reply::Bulk(data))
        }
        b'*' => {
            let len = number()?;
            if len < 0 {
                return Ok(Reply::NilArray);
            }
            (0..len)
                .map(|_| read_reply(reader))
                .collect::<Result<_, _>>()
                .map(Reply::Array)
        }
        other => Err(format!("unexpected reply type byte {other:#x}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_replicas_from_cluster_slots() {
        let node = |port: i64| {
            Reply::Array(vec![
                Reply::bulk("127.0.0.1"),
                Reply::Integer(port),
                Reply::bulk("id"),
            ])
        };
        let range = |start: i64, nodes: Vec<Reply>| {
            let mut fields = vec![Reply::Integer(start), Reply::Integer(start + 1)];
            fields.extend(nodes);
            Reply::Array(fields)
        };
        let slots = Reply::Array(vec![
            range(0, vec![node(7000), node(7003)]),
            range(5461, vec![node(7001)]),
        ]);
        assert!(slots_show_replicas(&slots, &[(7003, 7000)]));
        assert!(!slots_show_replicas(&slots, &[(7003, 7000), (7004, 7001)]));
        assert!(!slots_show_replicas(&slots, &[(7003, 7001)]));
    }

    #[test]
    fn parses_nested_resp() {
        let mut input: &[u8] = b"*3\r\n$1\r\na\r\n*-1\r\n:5\r\n";
        assert_eq!(
            read_reply(&mut input).unwrap(),
            Reply::Array(vec![Reply::bulk("a"), Reply::NilArray, Reply::Integer(5)])
        );
    }
}
