//! `smm-panel-sim`: the command line over the library's `start`.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use smm_panel_sim::{start, Config, Dialect, Money};

/// A stateful SMM panel API v2 simulator (accounts, services, orders over simulated time,
/// four panel dialects, fault injection, a request journal). Listens on 127.0.0.1 only.
#[derive(Debug, Parser)]
#[command(name = "smm-panel-sim", version)]
struct Cli {
    /// TCP port; 0 picks a free one (see --port-file and the first line printed).
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// URL path of the API endpoint.
    #[arg(long, default_value = "/api/v2")]
    path: String,
    /// Panel dialect: perfect, seed, smartpanel or laravel (switchable at run time via control).
    #[arg(long, default_value = "perfect", value_parser = parse_dialect)]
    dialect: Dialect,
    /// Enable the control API under /__sim/ (404 otherwise).
    #[arg(long)]
    control: bool,
    /// Send CORS headers on API answers (on) or none at all, like real panels (off).
    #[arg(long, value_name = "on|off", default_value = "off", value_parser = parse_on_off, action = clap::ArgAction::Set)]
    cors: bool,
    /// Serve this folder's files on the same origin (GET / is index.html).
    #[arg(long = "static", value_name = "DIR")]
    static_dir: Option<PathBuf>,
    /// Generate N services deterministically instead of the built-in catalog of ~40.
    #[arg(long, value_name = "N")]
    services: Option<usize>,
    /// Generated services get plain-ASCII names and no descriptions (a decoder's worst case
    /// against JSON.parse; real catalogs carry emoji, other scripts and descriptions).
    #[arg(long)]
    ascii_catalog: bool,
    /// Simulated seconds per real second (0 freezes the clock; advance it via control).
    #[arg(long, default_value_t = 1.0, value_parser = parse_speed)]
    clock_speed: f64,
    /// An account as KEY=BALANCE, repeatable (default: one account demo-key=100.00000).
    #[arg(long = "key", value_name = "KEY=BALANCE", value_parser = parse_key)]
    keys: Vec<(String, Money)>,
    /// Write the bound port number to this file (atomically: temp file, then rename).
    #[arg(long, value_name = "PATH")]
    port_file: Option<PathBuf>,
    /// API answers no sooner than N ms after the request arrived (processing time counts).
    #[arg(long, default_value_t = 0)]
    latency_ms: u64,
    /// Unix time that simulated time 0 stands for (default: now). Only subscription expiry
    /// dates depend on the calendar.
    #[arg(long, value_name = "UNIX_SECONDS")]
    start_time: Option<i64>,
}

fn parse_dialect(s: &str) -> Result<Dialect, String> {
    Dialect::parse(s).ok_or_else(|| format!("unknown dialect {s:?} (perfect, seed, smartpanel, laravel)"))
}

fn parse_on_off(s: &str) -> Result<bool, String> {
    match s {
        "on" => Ok(true),
        "off" => Ok(false),
        _ => Err(format!("expected on or off, got {s:?}")),
    }
}

fn parse_speed(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if v.is_finite() && v >= 0.0 => Ok(v),
        _ => Err(format!("expected a non-negative number, got {s:?}")),
    }
}

fn parse_key(s: &str) -> Result<(String, Money), String> {
    let (k, b) = s.split_once('=').ok_or_else(|| format!("expected KEY=BALANCE, got {s:?}"))?;
    if k.is_empty() {
        return Err("empty key".into());
    }
    let m = Money::parse(b).map_err(|e| e.to_string())?;
    if m.is_negative() {
        return Err("negative balance".into());
    }
    Ok((k.to_string(), m))
}

fn write_port_file(path: &PathBuf, port: u16) -> std::io::Result<()> {
    let mut tmp = path.clone().into_os_string();
    tmp.push(format!(".tmp{}", std::process::id()));
    std::fs::write(&tmp, port.to_string())?;
    std::fs::rename(&tmp, path)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("smm-panel-sim: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(run(cli))
}

async fn run(cli: Cli) -> ExitCode {
    let mut config = Config {
        port: cli.port,
        api_path: cli.path,
        dialect: cli.dialect,
        control: cli.control,
        cors: cli.cors,
        static_dir: cli.static_dir,
        services: cli.services,
        ascii_catalog: cli.ascii_catalog,
        clock_speed: cli.clock_speed,
        latency_ms: cli.latency_ms,
        epoch_unix: cli.start_time,
        ..Config::default()
    };
    if !cli.keys.is_empty() {
        config.keys = cli.keys;
    }
    let server = match start(config).await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("smm-panel-sim: {e}");
            return ExitCode::FAILURE;
        }
    };
    let port = server.addr.port();
    {
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "smm-panel-sim listening on http://127.0.0.1:{port}");
        let _ = out.flush();
    }
    if let Some(path) = &cli.port_file {
        if let Err(e) = write_port_file(path, port) {
            eprintln!("smm-panel-sim: cannot write the port file {}: {e}", path.display());
            server.stop().await;
            return ExitCode::FAILURE;
        }
    }
    wait_for_signal().await;
    server.stop().await;
    ExitCode::SUCCESS
}

async fn wait_for_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = term.recv() => {}
                    _ = tokio::signal::ctrl_c() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
