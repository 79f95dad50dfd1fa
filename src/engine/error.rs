//! Every error reply the engine can produce, as one typed enum.
//!
//! The `Display` of each variant is the exact text a real Redis 7.0 cluster
//! sends after the leading `-` (see `tests/goldens/`). No other place in the
//! crate formats an error string: commands return a [`RedisError`] and the
//! reply layer turns it into `Reply::Error(err.to_string())`.

use std::fmt;

/// An error reply, displayed exactly as Redis 7.0 words it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RedisError {
    /// `ERR unknown command 'X', with args beginning with: 'a' 'b' ` (note the trailing space).
    UnknownCommand { name: String, args: Vec<String> },
    /// `ERR unknown subcommand 'X'. Try CONTAINER HELP.`
    UnknownSubcommand { sub: String, container: String },
    /// `ERR wrong number of arguments for 'get' command` (`'cluster|keyslot'` for subcommands).
    WrongArity { name: String },
    /// `ERR syntax error`
    Syntax,
    /// `WRONGTYPE Operation against a key holding the wrong kind of value`
    WrongType,
    /// `ERR value is not an integer or out of range`
    NotInteger,
    /// `ERR value is not a valid float`
    NotFloat,
    /// `ERR increment or decrement would overflow`
    Overflow,
    /// `ERR increment would produce NaN or Infinity`
    NanOrInfinity,
    /// `ERR no such key`
    NoSuchKey,
    /// `ERR index out of range`
    IndexOutOfRange,
    /// `ERR invalid expire time in 'set' command`
    InvalidExpireTime { command: String },
    /// `ERR string exceeds maximum allowed size (proto-max-bulk-len)`
    StringTooLong,
    /// `ERR offset is out of range`
    OffsetOutOfRange,
    /// `ERR value is out of range, must be positive`
    MustBePositive,
    /// `ERR value is out of range, value must between -9223372036854775808 and 9223372036854775807`
    ValueOutOfRange,
    /// `ERR min or max is not a float`
    MinMaxNotFloat,
    /// `ERR resulting score is not a number (NaN)`
    ScoreNaN,
    /// `ERR XX and NX options at the same time are not compatible`
    XxAndNx,
    /// `ERR GT, LT, and/or NX options at the same time are not compatible`
    GtLtNx,
    /// `ERR INCR option supports a single increment-element pair`
    IncrSinglePair,
    /// `ERR invalid cursor`
    InvalidCursor,
    /// `ERR DB index is out of range`
    DbIndexOutOfRange,
    /// `ERR Invalid or out of range slot`
    InvalidSlot,
    /// `ERR Invalid slot`
    InvalidSlotPlain,
    /// `ERR Invalid slot or number of keys`
    InvalidSlotOrNumberOfKeys,
    /// `ERR Unknown node X`
    UnknownNode { id: String },
    /// `ERR Unknown option or number of arguments for CONFIG SET - 'x'`
    ConfigSetUnknown { name: String },
    /// `ERR CONFIG SET failed (possibly related to argument 'name') - <reason>`
    ConfigSetFailed {
        name: String,
        reason: ConfigSetReason,
    },
    /// `READONLY You can't write against a read only replica.`
    ReadOnlyReplica,
    /// `CROSSSLOT Keys in request don't hash to the same slot`
    CrossSlot,
    /// `TRYAGAIN Multiple keys request during rehashing of slot`
    TryAgain,
    /// `CLUSTERDOWN The cluster is down`
    ClusterDown,
    /// `CLUSTERDOWN The cluster is down and only accepts read commands`
    ClusterDownReadOnly,
    /// `CLUSTERDOWN Hash slot not served`
    SlotNotServed,
    /// `MOVED 12182 127.0.0.1:7002`
    Moved { slot: u16, addr: String },
    /// `ASK 3696 127.0.0.1:7001`
    Ask { slot: u16, addr: String },
    /// `EXECABORT Transaction discarded because of previous errors.`
    ExecAbort,
    /// `EXECABORT Transaction discarded because of: wrong number of arguments for 'exec' command`
    /// (a rejected EXEC: the inner error's text without its `ERR ` prefix).
    ExecAbortBecause(Box<RedisError>),
    /// `ERR EXEC without MULTI`
    ExecWithoutMulti,
    /// `ERR DISCARD without MULTI`
    DiscardWithoutMulti,
    /// `ERR MULTI calls can not be nested`
    MultiNested,
    /// `ERR WATCH inside MULTI is not allowed`
    WatchInsideMulti,
    /// `ERR source and destination objects are the same`
    SameObject,
    /// `ERR Protocol error: ...` from a client-side parse; carried verbatim.
    Protocol(String),
    /// `ERR Unsupported option foo` (EXPIRE family; the option as a C string, cut at a NUL byte).
    UnsupportedOption { opt: String },
    /// `ERR NX and XX, GT or LT options at the same time are not compatible` (EXPIRE family).
    ExpireNxWithOthers,
    /// `ERR GT and LT options at the same time are not compatible` (EXPIRE family).
    ExpireGtAndLt,
    /// `ERR decrement would overflow` (DECRBY with -9223372036854775808).
    DecrementOverflow,
    /// `ERR value is out of range, value must between -2147483648 and 2147483647`
    /// (`getRangeLongFromObjectOrReply` without a custom message).
    OutOfRangeBetween { min: i64, max: i64 },
    /// `ERR Copying to another database is not allowed in cluster mode`
    CopyToOtherDb,
    /// `ERR hash value is not an integer` (HINCRBY on a non-integer field).
    HashValueNotInteger,
    /// `ERR min or max not valid string range item` (BYLEX bounds).
    MinMaxNotValidString,
    /// `ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX`
    LimitNeedsByScoreOrLex,
    /// `ERR syntax error, WITHSCORES not supported in combination with BYLEX`
    WithScoresByLex,
    // --- resharding, slot assignment and failover (issue #5) ---
    /// `ERR Please use SETSLOT only with masters.`
    SetSlotOnReplica,
    /// `ERR I'm not the owner of hash slot 6000`
    NotSlotOwner { slot: u16 },
    /// `ERR I'm already the owner of hash slot 1`
    AlreadySlotOwner { slot: u16 },
    /// `ERR I don't know about node X` (SETSLOT MIGRATING / IMPORTING).
    DontKnowNode { id: String },
    /// `ERR Target node is not a master`
    TargetNotMaster,
    /// `ERR Invalid CLUSTER SETSLOT action or number of arguments. Try CLUSTER HELP`
    SetSlotSyntax,
    /// `ERR Can't assign hashslot 3696 to a different node while I still hold keys for this hash slot.`
    SlotStillHasKeys { slot: u16 },
    /// `ERR Slot 6000 is already busy`
    SlotBusy { slot: u16 },
    /// `ERR Slot 6000 is already unassigned`
    SlotUnassigned { slot: u16 },
    /// `ERR Slot 6000 specified multiple times`
    SlotRepeated { slot: u16 },
    /// `ERR start slot number 6005 is greater than end slot number 6002`
    SlotRangeReversed { start: u16, end: u16 },
    /// `ERR You should send CLUSTER FAILOVER to a replica`
    FailoverOnMaster,
    /// `ERR Master is down or failed, please use CLUSTER FAILOVER FORCE`
    FailoverMasterDown,
    /// `ERR unknown subcommand or wrong number of arguments for 'FAILOVER'. Try CLUSTER HELP.`
    /// (`sub` as typed).
    SubcommandSyntax { sub: String, container: String },
    /// `ERR When using MIGRATE KEYS option, the key argument must be set to the empty string`
    MigrateKeysNeedEmptyKey,
    /// `ERR Target instance replied with error: BUSYKEY Target key name already exists.`
    /// (`error` is the target's error text).
    MigrateTargetError { error: String },
    /// `IOERR error or timeout connecting to the client` (MIGRATE: the address does not resolve).
    MigrateConnect,
    /// `IOERR error or timeout writing to target instance` (`reading` when `writing` is false).
    MigrateIo { writing: bool },
    /// `BUSYKEY Target key name already exists.`
    BusyKey,
    /// `ERR SELECT is not allowed in cluster mode`
    SelectInCluster,
    /// `ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?`
    AuthWithoutPassword,
    /// `WRONGPASS invalid username-password pair or user is disabled.`
    WrongPass,
}

impl fmt::Display for RedisError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use RedisError::*;
        match self {
            UnknownCommand { name, args } => {
                write!(f, "ERR unknown command '{}', with args beginning with: ", name)?;
                for arg in args {
                    write!(f, "'{}' ", arg)?;
                }
                Ok(())
            }
            UnknownSubcommand { sub, container } => {
                write!(f, "ERR unknown subcommand '{sub}'. Try {container} HELP.")
            }
            WrongArity { name } => write!(f, "ERR wrong number of arguments for '{name}' command"),
            Syntax => f.write_str("ERR syntax error"),
            WrongType => f.write_str("WRONGTYPE Operation against a key holding the wrong kind of value"),
            NotInteger => f.write_str("ERR value is not an integer or out of range"),
            NotFloat => f.write_str("ERR value is not a valid float"),
            Overflow => f.write_str("ERR increment or decrement would overflow"),
            NanOrInfinity => f.write_str("ERR increment would produce NaN or Infinity"),
            NoSuchKey => f.write_str("ERR no such key"),
            IndexOutOfRange => f.write_str("ERR index out of range"),
            InvalidExpireTime { command } => {
                write!(f, "ERR invalid expire time in '{command}' command")
            }
            StringTooLong => {
                f.write_str("ERR string exceeds maximum allowed size (proto-max-bulk-len)")
            }
            OffsetOutOfRange => f.write_str("ERR offset is out of range"),
            MustBePositive => f.write_str("ERR value is out of range, must be positive"),
            ValueOutOfRange => f.write_str(
                "ERR value is out of range, value must between -9223372036854775808 and 9223372036854775807",
            ),
            MinMaxNotFloat => f.write_str("ERR min or max is not a float"),
            ScoreNaN => f.write_str("ERR resulting score is not a number (NaN)"),
            XxAndNx => f.write_str("ERR XX and NX options at the same time are not compatible"),
            GtLtNx => {
                f.write_str("ERR GT, LT, and/or NX options at the same time are not compatible")
            }
            IncrSinglePair => {
                f.write_str("ERR INCR option supports a single increment-element pair")
            }
            InvalidCursor => f.write_str("ERR invalid cursor"),
            DbIndexOutOfRange => f.write_str("ERR DB index is out of range"),
            InvalidSlot => f.write_str("ERR Invalid or out of range slot"),
            InvalidSlotPlain => f.write_str("ERR Invalid slot"),
            InvalidSlotOrNumberOfKeys => f.write_str("ERR Invalid slot or number of keys"),
            UnknownNode { id } => write!(f, "ERR Unknown node {id}"),
            ConfigSetUnknown { name } => write!(
                f,
                "ERR Unknown option or number of arguments for CONFIG SET - '{name}'"
            ),
            ConfigSetFailed { name, reason } => write!(
                f,
                "ERR CONFIG SET failed (possibly related to argument '{name}') - {reason}"
            ),
            ReadOnlyReplica => f.write_str("READONLY You can't write against a read only replica."),
            CrossSlot => f.write_str("CROSSSLOT Keys in request don't hash to the same slot"),
            TryAgain => f.write_str("TRYAGAIN Multiple keys request during rehashing of slot"),
            ClusterDown => f.write_str("CLUSTERDOWN The cluster is down"),
            ClusterDownReadOnly => {
                f.write_str("CLUSTERDOWN The cluster is down and only accepts read commands")
            }
            SlotNotServed => f.write_str("CLUSTERDOWN Hash slot not served"),
            Moved { slot, addr } => write!(f, "MOVED {slot} {addr}"),
            Ask { slot, addr } => write!(f, "ASK {slot} {addr}"),
            ExecAbort => f.write_str("EXECABORT Transaction discarded because of previous errors."),
            ExecAbortBecause(inner) => {
                let text = inner.to_string();
                let reason = text.strip_prefix("ERR ").unwrap_or(&text);
                write!(f, "EXECABORT Transaction discarded because of: {reason}")
            }
            ExecWithoutMulti => f.write_str("ERR EXEC without MULTI"),
            DiscardWithoutMulti => f.write_str("ERR DISCARD without MULTI"),
            MultiNested => f.write_str("ERR MULTI calls can not be nested"),
            WatchInsideMulti => f.write_str("ERR WATCH inside MULTI is not allowed"),
            SameObject => f.write_str("ERR source and destination objects are the same"),
            Protocol(text) => f.write_str(text),
            UnsupportedOption { opt } => write!(f, "ERR Unsupported option {opt}"),
            ExpireNxWithOthers => f.write_str(
                "ERR NX and XX, GT or LT options at the same time are not compatible",
            ),
            ExpireGtAndLt => {
                f.write_str("ERR GT and LT options at the same time are not compatible")
            }
            DecrementOverflow => f.write_str("ERR decrement would overflow"),
            OutOfRangeBetween { min, max } => write!(
                f,
                "ERR value is out of range, value must between {min} and {max}"
            ),
            CopyToOtherDb => {
                f.write_str("ERR Copying to another database is not allowed in cluster mode")
            }
            HashValueNotInteger => f.write_str("ERR hash value is not an integer"),
            MinMaxNotValidString => f.write_str("ERR min or max not valid string range item"),
            LimitNeedsByScoreOrLex => f.write_str(
                "ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX",
            ),
            WithScoresByLex => f.write_str(
                "ERR syntax error, WITHSCORES not supported in combination with BYLEX",
            ),
            SetSlotOnReplica => f.write_str("ERR Please use SETSLOT only with masters."),
            NotSlotOwner { slot } => write!(f, "ERR I'm not the owner of hash slot {slot}"),
            AlreadySlotOwner { slot } => {
                write!(f, "ERR I'm already the owner of hash slot {slot}")
            }
            DontKnowNode { id } => write!(f, "ERR I don't know about node {id}"),
            TargetNotMaster => f.write_str("ERR Target node is not a master"),
            SetSlotSyntax => f.write_str(
                "ERR Invalid CLUSTER SETSLOT action or number of arguments. Try CLUSTER HELP",
            ),
            SlotStillHasKeys { slot } => write!(
                f,
                "ERR Can't assign hashslot {slot} to a different node while I still hold keys for this hash slot."
            ),
            SlotBusy { slot } => write!(f, "ERR Slot {slot} is already busy"),
            SlotUnassigned { slot } => write!(f, "ERR Slot {slot} is already unassigned"),
            SlotRepeated { slot } => write!(f, "ERR Slot {slot} specified multiple times"),
            SlotRangeReversed { start, end } => write!(
                f,
                "ERR start slot number {start} is greater than end slot number {end}"
            ),
            FailoverOnMaster => f.write_str("ERR You should send CLUSTER FAILOVER to a replica"),
            FailoverMasterDown => f.write_str(
                "ERR Master is down or failed, please use CLUSTER FAILOVER FORCE",
            ),
            SubcommandSyntax { sub, container } => write!(
                f,
                "ERR unknown subcommand or wrong number of arguments for '{sub}'. Try {container} HELP."
            ),
            MigrateKeysNeedEmptyKey => f.write_str(
                "ERR When using MIGRATE KEYS option, the key argument must be set to the empty string",
            ),
            MigrateTargetError { error } => {
                write!(f, "ERR Target instance replied with error: {error}")
            }
            MigrateConnect => f.write_str("IOERR error or timeout connecting to the client"),
            MigrateIo { writing } => write!(
                f,
                "IOERR error or timeout {} to target instance",
                if *writing { "writing" } else { "reading" }
            ),
            BusyKey => f.write_str("BUSYKEY Target key name already exists."),
            SelectInCluster => f.write_str("ERR SELECT is not allowed in cluster mode"),
            AuthWithoutPassword => f.write_str(
                "ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?",
            ),
            WrongPass => {
                f.write_str("WRONGPASS invalid username-password pair or user is disabled.")
            }
        }
    }
}

impl std::error::Error for RedisError {}

/// Why CONFIG SET refused a value (the tail of its error text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigSetReason {
    /// `argument must be 'yes' or 'no'`
    NotBool,
    /// `argument couldn't be parsed into an integer`
    NotInteger,
    /// `argument must be between 0 and 2147483647 inclusive`
    OutOfRange { min: i64, max: i64 },
    /// `argument must be a memory value`
    NotMemory,
    /// `argument(s) must be one of the following: ip, hostname, unknown-endpoint`
    NotOneOf(&'static [&'static str]),
    /// `can't set immutable config`
    Immutable,
    /// `duplicate parameter`
    Duplicate,
}

impl fmt::Display for ConfigSetReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigSetReason::NotBool => f.write_str("argument must be 'yes' or 'no'"),
            ConfigSetReason::NotInteger => {
                f.write_str("argument couldn't be parsed into an integer")
            }
            ConfigSetReason::OutOfRange { min, max } => {
                write!(f, "argument must be between {min} and {max} inclusive")
            }
            ConfigSetReason::NotMemory => f.write_str("argument must be a memory value"),
            ConfigSetReason::NotOneOf(words) => write!(
                f,
                "argument(s) must be one of the following: {}",
                words.join(", ")
            ),
            ConfigSetReason::Immutable => f.write_str("can't set immutable config"),
            ConfigSetReason::Duplicate => f.write_str("duplicate parameter"),
        }
    }
}

impl RedisError {
    /// The unknown-command error, built the way `processCommand` builds it:
    /// the name cut to 128 bytes, then quoted arguments while the list is
    /// shorter than 128 bytes, each cut to what is left; CR and LF become spaces.
    pub fn unknown_command(argv: &[Vec<u8>]) -> RedisError {
        let clean = |bytes: &[u8], max: usize| -> String {
            let cut = &bytes[..bytes.len().min(max)];
            String::from_utf8_lossy(cut).replace(['\r', '\n'], " ")
        };
        let name = argv.first().map(|n| clean(n, 128)).unwrap_or_default();
        let mut args = Vec::new();
        let mut used = 0usize;
        for arg in argv.iter().skip(1) {
            if used >= 128 {
                break;
            }
            let piece = clean(arg, 128 - used);
            used += piece.len() + 3; // the two quotes and the space
            args.push(piece);
        }
        RedisError::UnknownCommand { name, args }
    }
}
