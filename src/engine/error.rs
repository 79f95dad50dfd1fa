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
    // --- Scripting (EVAL / SCRIPT / FUNCTION / FCALL), texts seen on redis-server 7.0.15 ---
    /// `NOSCRIPT No matching script. Please use EVAL.`
    NoScript,
    /// `ERR Number of keys can't be negative`
    NumKeysNegative,
    /// `ERR Number of keys can't be greater than number of args`
    NumKeysTooMany,
    /// `ERR Invalid script shebang`
    ScriptShebangInvalid,
    /// `ERR Invalid engine in script shebang`
    ScriptShebangInvalidEngine,
    /// `ERR Unexpected engine in script shebang: #!python`
    ScriptShebangEngine { engine: String },
    /// `ERR Unknown lua shebang option: name=x`
    ScriptShebangOption { option: String },
    /// `ERR Unexpected flag in script shebang: bogus`
    ScriptShebangFlag { flag: String },
    /// `ERR Error compiling script (new function): user_script:1: unexpected symbol near '+'`
    ScriptCompile { message: String },
    /// `ERR Can not run script on cluster, 'no-cluster' flag is set.`
    ScriptNoCluster,
    /// `ERR Can not execute a script with write flag using *_ro command.`
    ScriptWriteWithRo,
    /// `ERR Can not run script with write flag on readonly replica`
    ScriptWriteOnReplica,
    /// `NOTBUSY No scripts in execution right now.`
    NotBusy,
    /// `ERR SCRIPT FLUSH only support SYNC|ASYNC option`
    ScriptFlushOption,
    /// `ERR FUNCTION FLUSH only supports SYNC|ASYNC option`
    FunctionFlushOption,
    /// A script's failure as the client sees it: `<err> script: <sha or function>, on <source>:<line>.`
    ScriptFailed {
        err: String,
        name: String,
        source: String,
        line: String,
    },
    /// An error a script returned or raised without a position (`{err='x'}`, `redis.error_reply`): carried verbatim.
    ScriptReply(String),
    /// `ERR Error running script <name>, <message>` (the error handler itself failed).
    ScriptRunFailed { name: String, message: String },
    /// `ERR Unknown Redis command called from script`
    ScriptUnknownCommand,
    /// `ERR Wrong number of args calling Redis command from script`
    ScriptWrongArity,
    /// `ERR This Redis command is not allowed from script`
    ScriptCommandNotAllowed,
    /// `ERR Write commands are not allowed from read-only scripts.`
    ScriptWriteInReadOnly,
    /// `ERR Please specify at least one argument for this redis lib call`
    ScriptNoArguments,
    /// `ERR Lua redis lib command arguments must be strings or integers`
    ScriptBadArgument,
    /// `ERR Script attempted to access a non local key in a cluster node`
    ScriptNonLocalKey,
    /// `ERR Script attempted to access keys that do not hash to the same slot`
    ScriptCrossSlot,
    /// `ERR Script attempted to execute a command while the cluster is down`
    ScriptClusterDown,
    /// `ERR Script attempted to execute a write command while the cluster is down and readonly`
    ScriptClusterDownReadOnly,
    /// Redis 7.4+: `ERR Command 'mset' in script attempted to access keys that don't hash to the same slot`
    ScriptCommandCrossSlot { command: String },
    /// Redis 7.4+: `ERR Unable to execute command 'get' in script because undeclared keys were accessed during rehashing of the slot`
    ScriptUnstableSlot { command: String },
    /// Redis 7.4+: `ERR Script attempted to access a slot not served`
    ScriptSlotNotServed,
    /// slotlab's own stop for runaway scripts: `what` says which budget and
    /// what a real server would do instead.
    ScriptBudget { what: String },
    /// `ERR Function not found`
    FunctionNotFound,
    /// `ERR Missing library metadata`
    FunctionMissingMetadata,
    /// `ERR Invalid library metadata`
    FunctionInvalidMetadata,
    /// `ERR Library name was not given`
    FunctionNoLibraryName,
    /// `ERR Invalid metadata value given: x=y`
    FunctionInvalidMetadataValue { value: String },
    /// `ERR Invalid metadata value, name argument was given multiple times`
    FunctionNameGivenTwice,
    /// `ERR Engine 'py' not found`
    FunctionEngineNotFound { engine: String },
    /// `ERR Library 'x' already exists`
    FunctionLibraryExists { name: String },
    /// `ERR Function x already exists`
    FunctionExists { name: String },
    /// `ERR No functions registered`
    FunctionNoneRegistered,
    /// `ERR Error compiling function: user_function:2: ...`
    FunctionCompile { message: String },
    /// `ERR Error registering functions: <the Lua error>`
    FunctionRegister { message: String },
    /// `ERR Library not found`
    FunctionLibraryNotFound,
    /// `ERR Library names can only contain letters, numbers, or underscores(_) and must be at least one character long`
    FunctionBadName,
    /// `ERR Unknown argument bogus` (FUNCTION LIST)
    FunctionListArgument { arg: String },
    /// `ERR library name argument was not given`
    FunctionListNoName,
    /// `ERR Unknown option given: bogus` (FUNCTION LOAD)
    FunctionLoadOption { option: String },
    /// `ERR DUMP payload version or checksum are wrong`
    FunctionBadPayload,
    /// `ERR Bad number of keys provided` (FCALL)
    FcallBadNumKeys,
    /// `ERR unknown subcommand or wrong number of arguments for 'FLUSH'. Try FUNCTION HELP.`
    SubcommandSyntax { sub: String, container: String },
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
            NoScript => f.write_str("NOSCRIPT No matching script. Please use EVAL."),
            NumKeysNegative => f.write_str("ERR Number of keys can't be negative"),
            NumKeysTooMany => {
                f.write_str("ERR Number of keys can't be greater than number of args")
            }
            ScriptShebangInvalid => f.write_str("ERR Invalid script shebang"),
            ScriptShebangInvalidEngine => f.write_str("ERR Invalid engine in script shebang"),
            ScriptShebangEngine { engine } => {
                write!(f, "ERR Unexpected engine in script shebang: {engine}")
            }
            ScriptShebangOption { option } => {
                write!(f, "ERR Unknown lua shebang option: {option}")
            }
            ScriptShebangFlag { flag } => write!(f, "ERR Unexpected flag in script shebang: {flag}"),
            ScriptCompile { message } => {
                write!(f, "ERR Error compiling script (new function): {message}")
            }
            ScriptNoCluster => {
                f.write_str("ERR Can not run script on cluster, 'no-cluster' flag is set.")
            }
            ScriptWriteWithRo => {
                f.write_str("ERR Can not execute a script with write flag using *_ro command.")
            }
            ScriptWriteOnReplica => {
                f.write_str("ERR Can not run script with write flag on readonly replica")
            }
            NotBusy => f.write_str("NOTBUSY No scripts in execution right now."),
            ScriptFlushOption => f.write_str("ERR SCRIPT FLUSH only support SYNC|ASYNC option"),
            FunctionFlushOption => {
                f.write_str("ERR FUNCTION FLUSH only supports SYNC|ASYNC option")
            }
            ScriptFailed {
                err,
                name,
                source,
                line,
            } => write!(f, "{err} script: {name}, on {source}:{line}."),
            ScriptReply(text) => f.write_str(text),
            ScriptRunFailed { name, message } => {
                write!(f, "ERR Error running script {name}, {message}")
            }
            ScriptUnknownCommand => f.write_str("ERR Unknown Redis command called from script"),
            ScriptWrongArity => {
                f.write_str("ERR Wrong number of args calling Redis command from script")
            }
            ScriptCommandNotAllowed => {
                f.write_str("ERR This Redis command is not allowed from script")
            }
            ScriptWriteInReadOnly => {
                f.write_str("ERR Write commands are not allowed from read-only scripts.")
            }
            ScriptNoArguments => {
                f.write_str("ERR Please specify at least one argument for this redis lib call")
            }
            ScriptBadArgument => {
                f.write_str("ERR Lua redis lib command arguments must be strings or integers")
            }
            ScriptNonLocalKey => {
                f.write_str("ERR Script attempted to access a non local key in a cluster node")
            }
            ScriptCrossSlot => f.write_str(
                "ERR Script attempted to access keys that do not hash to the same slot",
            ),
            ScriptClusterDown => f.write_str(
                "ERR Script attempted to execute a command while the cluster is down",
            ),
            ScriptClusterDownReadOnly => f.write_str(
                "ERR Script attempted to execute a write command while the cluster is down and readonly",
            ),
            ScriptCommandCrossSlot { command } => write!(
                f,
                "ERR Command '{command}' in script attempted to access keys that don't hash to the same slot"
            ),
            ScriptUnstableSlot { command } => write!(
                f,
                "ERR Unable to execute command '{command}' in script because undeclared keys were accessed during rehashing of the slot"
            ),
            ScriptSlotNotServed => f.write_str("ERR Script attempted to access a slot not served"),
            ScriptBudget { what } => write!(
                f,
                "ERR slotlab stopped the script: {what}"
            ),
            FunctionNotFound => f.write_str("ERR Function not found"),
            FunctionMissingMetadata => f.write_str("ERR Missing library metadata"),
            FunctionInvalidMetadata => f.write_str("ERR Invalid library metadata"),
            FunctionNoLibraryName => f.write_str("ERR Library name was not given"),
            FunctionInvalidMetadataValue { value } => {
                write!(f, "ERR Invalid metadata value given: {value}")
            }
            FunctionNameGivenTwice => f.write_str(
                "ERR Invalid metadata value, name argument was given multiple times",
            ),
            FunctionEngineNotFound { engine } => write!(f, "ERR Engine '{engine}' not found"),
            FunctionLibraryExists { name } => write!(f, "ERR Library '{name}' already exists"),
            FunctionExists { name } => write!(f, "ERR Function {name} already exists"),
            FunctionNoneRegistered => f.write_str("ERR No functions registered"),
            FunctionCompile { message } => write!(f, "ERR Error compiling function: {message}"),
            FunctionRegister { message } => {
                write!(f, "ERR Error registering functions: {message}")
            }
            FunctionLibraryNotFound => f.write_str("ERR Library not found"),
            FunctionBadName => f.write_str(
                "ERR Library names can only contain letters, numbers, or underscores(_) and must be at least one character long",
            ),
            FunctionListArgument { arg } => write!(f, "ERR Unknown argument {arg}"),
            FunctionListNoName => f.write_str("ERR library name argument was not given"),
            FunctionLoadOption { option } => write!(f, "ERR Unknown option given: {option}"),
            FunctionBadPayload => f.write_str("ERR DUMP payload version or checksum are wrong"),
            FcallBadNumKeys => f.write_str("ERR Bad number of keys provided"),
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
