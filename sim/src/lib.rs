//! A stateful SMM panel API v2 simulator: accounts, a service catalog, orders that progress
//! with simulated time, four panel dialects, fault injection and a request journal.
//!
//! The binary is a thin wrapper over [`start`]; tests start servers in-process the same way.

pub mod api;
pub mod catalog;
mod control;
pub mod faults;
pub mod http;
pub mod journal;
pub mod json;
pub mod money;
mod server;
pub mod state;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex, MutexGuard};

use tokio::net::TcpListener;
use tokio::sync::watch;

pub use api::Dialect;
pub use money::Money;

use faults::FaultRule;
use journal::Journal;
use state::State;

#[derive(Debug, Clone)]
pub struct Config {
    /// 0 picks a free port.
    pub port: u16,
    pub api_path: String,
    pub dialect: Dialect,
    pub control: bool,
    pub cors: bool,
    pub static_dir: Option<PathBuf>,
    /// Generate this many services instead of the built-in catalog.
    pub services: Option<usize>,
    /// Generated services with plain-ASCII names and no descriptions.
    pub ascii_catalog: bool,
    /// Simulated seconds per real second.
    pub clock_speed: f64,
    pub keys: Vec<(String, Money)>,
    /// API answers leave no sooner than this many ms after the request arrived.
    pub latency_ms: u64,
    /// Unix time that simulated time 0 stands for; defaults to the start time.
    pub epoch_unix: Option<i64>,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            port: 0,
            api_path: "/api/v2".into(),
            dialect: Dialect::Perfect,
            control: false,
            cors: false,
            static_dir: None,
            services: None,
            ascii_catalog: false,
            clock_speed: 1.0,
            keys: vec![("demo-key".into(), Money::parse("100").unwrap_or_default())],
            latency_ms: 0,
            epoch_unix: None,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("cannot listen on 127.0.0.1:{port}: {source}")]
    Bind { port: u16, source: std::io::Error },
}

/// Everything that changes while the server runs, behind one lock: requests are short and
/// never hold it across an await.
pub(crate) struct Runtime {
    pub state: State,
    pub dialect: Dialect,
    pub cors: bool,
    pub latency_ms: u64,
    pub faults: Vec<FaultRule>,
    pub next_fault_id: u64,
    pub journal: Journal,
    pub services_cache: HashMap<Dialect, Arc<Vec<u8>>>,
}

pub(crate) struct Shared {
    pub config: Config,
    pub port: u16,
    pub services: Arc<Vec<catalog::Service>>,
    pub epoch_unix: i64,
    pub runtime: Mutex<Runtime>,
    pub next_conn: AtomicU64,
}

impl Shared {
    pub fn fresh_runtime(config: &Config, services: &Arc<Vec<catalog::Service>>, epoch_unix: i64) -> Runtime {
        let accounts = config.keys.iter().cloned().collect();
        Runtime {
            state: State::new(services.clone(), accounts, config.clock_speed, epoch_unix),
            dialect: config.dialect,
            cors: config.cors,
            latency_ms: config.latency_ms,
            faults: Vec::new(),
            next_fault_id: 1,
            journal: Journal::new(),
            services_cache: HashMap::new(),
        }
    }

    /// A poisoned lock only means another request panicked; the data is still consistent
    /// enough for a simulator, so keep serving.
    pub fn rt(&self) -> MutexGuard<'_, Runtime> {
        self.runtime.lock().unwrap_or_else(|p| p.into_inner())
    }
}

pub struct RunningServer {
    pub addr: SocketAddr,
    shutdown: watch::Sender<bool>,
    task: tokio::task::JoinHandle<()>,
}

impl RunningServer {
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops accepting, closes idle connections and waits for the accept loop to end.
    pub async fn stop(self) {
        let _ = self.shutdown.send(true);
        let _ = self.task.await;
    }
}

pub async fn start(config: Config) -> Result<RunningServer, StartError> {
    let listener = TcpListener::bind(("127.0.0.1", config.port)).await.map_err(|source| StartError::Bind { port: config.port, source })?;
    let addr = listener.local_addr().map_err(|source| StartError::Bind { port: config.port, source })?;
    let services = Arc::new(match config.services {
        Some(n) => catalog::generated(n, if config.ascii_catalog { catalog::Strings::Ascii } else { catalog::Strings::Realistic }),
        None => catalog::builtin(),
    });
    let epoch_unix = config
        .epoch_unix
        .unwrap_or_else(|| std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0));
    let runtime = Shared::fresh_runtime(&config, &services, epoch_unix);
    let shared =
        Arc::new(Shared { config, port: addr.port(), services, epoch_unix, runtime: Mutex::new(runtime), next_conn: AtomicU64::new(1) });
    let (tx, rx) = watch::channel(false);
    let task = tokio::spawn(server::accept_loop(listener, shared, rx));
    Ok(RunningServer { addr, shutdown: tx, task })
}
