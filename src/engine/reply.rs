//! The RESP2 reply value, and its three renderings: RESP2 wire bytes, the
//! text `redis-cli --no-raw` prints (the TTY format), and the raw text
//! redis-cli prints for INFO-like commands.

use crate::engine::error::RedisError;

/// One RESP2 reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    /// `+OK`
    Status(String),
    /// `-ERR ...` (the text after the `-`).
    Error(String),
    /// `:5`
    Integer(i64),
    /// `$3\r\nbar`
    Bulk(Vec<u8>),
    /// `$-1`
    NilBulk,
    /// `*-1` (EXEC aborted by WATCH)
    NilArray,
    /// `*N`
    Array(Vec<Reply>),
}

impl From<RedisError> for Reply {
    fn from(err: RedisError) -> Reply {
        Reply::Error(err.to_string())
    }
}

impl Reply {
    /// `+OK`
    pub fn ok() -> Reply {
        Reply::Status("OK".into())
    }

    /// A bulk string from anything byte-like.
    pub fn bulk(bytes: impl AsRef<[u8]>) -> Reply {
        Reply::Bulk(bytes.as_ref().to_vec())
    }

    /// An array of bulk strings.
    pub fn bulks<I, B>(items: I) -> Reply
    where
        I: IntoIterator<Item = B>,
        B: AsRef<[u8]>,
    {
        Reply::Array(items.into_iter().map(Reply::bulk).collect())
    }

    /// A bulk string, or nil when absent.
    pub fn bulk_or_nil(bytes: Option<impl AsRef<[u8]>>) -> Reply {
        bytes.map_or(Reply::NilBulk, Reply::bulk)
    }

    /// True for an error reply.
    pub fn is_error(&self) -> bool {
        matches!(self, Reply::Error(_))
    }

    /// The error text, if this is an error reply.
    pub fn error_text(&self) -> Option<&str> {
        match self {
            Reply::Error(text) => Some(text),
            _ => None,
        }
    }

    /// The exact RESP2 bytes a server sends for this reply.
    pub fn to_resp(&self) -> Vec<u8> {
        let mut out = Vec::new();
        self.write_resp(&mut out);
        out
    }

    fn write_resp(&self, out: &mut Vec<u8>) {
        match self {
            Reply::Status(s) => {
                out.push(b'+');
                out.extend_from_slice(s.as_bytes());
            }
            Reply::Error(s) => {
                out.push(b'-');
                out.extend_from_slice(s.as_bytes());
            }
            Reply::Integer(n) => out.extend_from_slice(format!(":{n}").as_bytes()),
            Reply::Bulk(b) => {
                out.extend_from_slice(format!("${}\r\n", b.len()).as_bytes());
                out.extend_from_slice(b);
            }
            Reply::NilBulk => out.extend_from_slice(b"$-1"),
            Reply::NilArray => out.extend_from_slice(b"*-1"),
            Reply::Array(items) => {
                out.extend_from_slice(format!("*{}\r\n", items.len()).as_bytes());
                for item in items {
                    item.write_resp(out);
                }
                return;
            }
        }
        out.extend_from_slice(b"\r\n");
    }

    /// What `redis-cli --no-raw` prints for this reply to the command `argv`,
    /// trailing newline included. INFO, CLUSTER NODES / INFO and CLIENT LIST
    /// bulk replies are printed verbatim, as redis-cli does.
    pub fn to_cli(&self, argv: &[Vec<u8>]) -> String {
        if prints_raw(argv) {
            if let Reply::Bulk(bytes) = self {
                return String::from_utf8_lossy(bytes).into_owned();
            }
        }
        let mut out = String::new();
        self.write_tty(&mut out, "");
        out
    }

    /// `cliFormatReplyTTY` from redis-cli.c.
    fn write_tty(&self, out: &mut String, prefix: &str) {
        match self {
            Reply::Status(s) => {
                out.push_str(s);
                out.push('\n');
            }
            Reply::Error(s) => {
                out.push_str("(error) ");
                out.push_str(s);
                out.push('\n');
            }
            Reply::Integer(n) => {
                out.push_str(&format!("(integer) {n}\n"));
            }
            Reply::Bulk(b) => {
                out.push_str(&quote_repr(b));
                out.push('\n');
            }
            Reply::NilBulk | Reply::NilArray => out.push_str("(nil)\n"),
            Reply::Array(items) if items.is_empty() => out.push_str("(empty array)\n"),
            Reply::Array(items) => {
                let width = items.len().to_string().len();
                let nested = format!("{prefix}{}", " ".repeat(width + 2));
                for (i, item) in items.iter().enumerate() {
                    let lead = if i == 0 { "" } else { prefix };
                    out.push_str(&format!("{lead}{:>width$}) ", i + 1));
                    item.write_tty(out, &nested);
                }
            }
        }
    }
}

/// Whether redis-cli prints this command's reply raw even in `--no-raw`
/// mode (`cliReadReply` in redis-cli.c, 7.0).
fn prints_raw(argv: &[Vec<u8>]) -> bool {
    let word = |i: usize| argv.get(i).map(|a| a.to_ascii_lowercase());
    let Some(command) = word(0) else { return false };
    let sub = word(1);
    let sub = sub.as_deref();
    match command.as_slice() {
        b"info" => true,
        b"cluster" => matches!(sub, Some(b"nodes") | Some(b"info")),
        b"client" => matches!(sub, Some(b"list") | Some(b"info")),
        b"memory" => matches!(sub, Some(b"stats") | Some(b"doctor")),
        b"latency" => matches!(sub, Some(b"graph") | Some(b"doctor")),
        b"lolwut" => true,
        _ => false,
    }
}

/// `sdscatrepr`: a double-quoted string with C escapes and `\xNN` for
/// every byte that is not printable ASCII.
pub fn quote_repr(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() + 2);
    out.push('"');
    for &b in bytes {
        match b {
            b'\\' => out.push_str("\\\\"),
            b'"' => out.push_str("\\\""),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            0x07 => out.push_str("\\a"),
            0x08 => out.push_str("\\b"),
            0x20..=0x7e => out.push(b as char),
            _ => out.push_str(&format!("\\x{b:02x}")),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn argv(words: &[&str]) -> Vec<Vec<u8>> {
        words.iter().map(|w| w.as_bytes().to_vec()).collect()
    }

    #[test]
    fn nested_arrays_indent_like_redis_cli() {
        let reply = Reply::Array(vec![
            Reply::Array(vec![Reply::Integer(0), Reply::Integer(5460)]),
            Reply::bulk("x"),
        ]);
        assert_eq!(
            reply.to_cli(&argv(&["x"])),
            "1) 1) (integer) 0\n   2) (integer) 5460\n2) \"x\"\n"
        );
    }

    #[test]
    fn index_width_grows_with_count() {
        let reply = Reply::Array((0..10).map(Reply::Integer).collect());
        let text = reply.to_cli(&argv(&["x"]));
        assert!(text.starts_with(" 1) (integer) 0\n"));
        assert!(text.ends_with("10) (integer) 9\n"));
    }

    #[test]
    fn binary_bulk_is_escaped() {
        assert_eq!(
            quote_repr("a\"b\\\n\u{7}".as_bytes()),
            "\"a\\\"b\\\\\\n\\a\""
        );
        assert_eq!(quote_repr("用".as_bytes()), "\"\\xe7\\x94\\xa8\"");
    }

    #[test]
    fn resp_bytes() {
        assert_eq!(Reply::ok().to_resp(), b"+OK\r\n");
        assert_eq!(
            Reply::Array(vec![Reply::bulk("a"), Reply::NilBulk]).to_resp(),
            b"*2\r\n$1\r\na\r\n$-1\r\n"
        );
        assert_eq!(Reply::NilArray.to_resp(), b"*-1\r\n");
    }

    #[test]
    fn cluster_nodes_prints_raw() {
        let reply = Reply::bulk("line1\nline2\n");
        assert_eq!(reply.to_cli(&argv(&["CLUSTER", "NODES"])), "line1\nline2\n");
    }
}
