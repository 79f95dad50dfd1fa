//! The small VM-neutral interface scripts run through, so the Lua VM can be
//! swapped: [`Engine`] runs EVAL bodies and makes [`FunctionVm`]s (which
//! hold function libraries), and a [`Host`] is what a running script calls
//! back into (`redis.call`, `redis.setresp`, `math.random` ...).
//!
//! Values cross the boundary already converted: a script's result arrives
//! as a [`Reply`] (Redis' `luaReplyToRedisReply` rules are applied by the VM
//! side, which knows Lua's types), and `redis.call` hands the VM a [`Reply`].

use crate::engine::reply::Reply;
use crate::engine::script::Rand48;

/// Limits that stop a runaway script.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// VM instructions one script run may execute.
    pub steps: u64,
    /// Bytes of Lua heap a VM may hold.
    pub memory: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            steps: 3_000_000,
            memory: 8 << 20,
        }
    }
}

/// Which limit stopped a script.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Budget {
    Steps,
    Memory,
}

/// Why a script did not produce a value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// The body did not compile: Lua's message (`user_script:1: ...`).
    Compile(String),
    /// The script raised an error, as Redis' error handler recorded it.
    Raised {
        /// The `err` field (`ERR user_script:1: boom`, `WRONGTYPE ...`).
        err: Option<String>,
        /// `@user_script` / `@user_function`.
        source: Option<String>,
        /// The line, as Lua prints it.
        line: Option<String>,
    },
    /// The error object was not a table (the handler itself failed).
    Other(String),
    /// A limit stopped the script.
    Stopped(Budget),
}

/// What `redis.register_function` recorded for one function.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Registered {
    pub name: String,
    pub description: Option<Vec<u8>>,
    /// [`crate::engine::script::flags`] bits.
    pub flags: u32,
}

/// Why FUNCTION LOAD failed inside the VM.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoadFailure {
    /// `Error compiling function: <msg>`
    Compile(String),
    /// `Error registering functions: <msg>`
    Register(String),
}

/// What a running script can ask of the node.
pub trait Host {
    /// `redis.call` (`protected == false`) or `redis.pcall`, from script
    /// line `line`. Errors come back as `Reply::Error` holding the Lua `err`
    /// text (`ERR Unknown Redis command called from script`).
    fn call(&mut self, argv: Vec<Vec<u8>>, protected: bool, line: i64) -> Reply;
    /// The protocol `redis.setresp` chose (2 or 3).
    fn resp(&self) -> u8;
    /// `redis.setresp(n)`.
    fn set_resp(&mut self, resp: u8);
    /// The node's `math.random` generator.
    fn rand(&mut self) -> &mut Rand48;
    /// `redis.log(level, message)`.
    fn log(&mut self, level: i64, message: &[u8]);
}

/// A VM holding a shard's function libraries.
pub trait FunctionVm {
    /// Runs a library's code (with the load-time environment), returning
    /// the functions it registered; they become callable only on
    /// [`FunctionVm::commit`]. Nothing is kept on failure.
    fn load(&mut self, library: &str, code: &[u8]) -> Result<Vec<Registered>, LoadFailure>;
    /// Makes the last loaded library's functions callable, replacing the
    /// library's previous ones.
    fn commit(&mut self, library: &str);
    /// Forgets a library's functions.
    fn unload(&mut self, library: &str);
    /// Calls function `name` with KEYS and ARGV.
    fn call(
        &mut self,
        name: &str,
        keys: &[Vec<u8>],
        args: &[Vec<u8>],
        host: &mut dyn Host,
    ) -> Result<Reply, Failure>;
}

/// A Lua engine.
pub trait Engine {
    /// Compiles an EVAL body (from after the shebang line), as SCRIPT LOAD does.
    fn compile(&self, body: &[u8]) -> Result<(), String>;
    /// Runs an EVAL body with KEYS and ARGV set.
    fn eval(
        &self,
        body: &[u8],
        keys: &[Vec<u8>],
        args: &[Vec<u8>],
        host: &mut dyn Host,
    ) -> Result<Reply, Failure>;
    /// A new, empty VM for function libraries.
    fn function_vm(&self) -> Box<dyn FunctionVm>;
}

/// The engine slotlab uses.
pub fn engine(version: crate::engine::script::EmulatedVersion) -> impl Engine {
    crate::engine::script::omni::OmniLua::new(version, Limits::default())
}
