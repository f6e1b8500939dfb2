//! The real binary: flags, first line, port file, clean exit on SIGTERM and SIGINT.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_smm-panel-sim");

fn post(port: u16, body: &str) -> String {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap_or_else(|e| panic!("{e}"));
    let req = format!("POST /api/v2 HTTP/1.1\r\nHost: t\r\nConnection: close\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}", body.len());
    s.write_all(req.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap_or_else(|e| panic!("{e}"));
    out.split("\r\n\r\n").nth(1).unwrap_or("").to_string()
}

fn run_and_signal(signal: &str) {
    let port_file = std::env::temp_dir().join(format!("smm-sim-port-{signal}-{}", std::process::id()));
    let _ = std::fs::remove_file(&port_file);
    let t0 = Instant::now();
    let mut child = Command::new(BIN)
        .args(["--port", "0", "--key", "alpha=1.5", "--key", "beta=2", "--dialect", "seed", "--port-file"])
        .arg(&port_file)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{e}"));
    let mut stdout = BufReader::new(child.stdout.take().unwrap_or_else(|| panic!("no stdout")));
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap_or_else(|e| panic!("{e}"));
    let started = t0.elapsed();
    let port: u16 = line
        .strip_prefix("smm-panel-sim listening on http://127.0.0.1:")
        .and_then(|p| p.trim_end().parse().ok())
        .unwrap_or_else(|| panic!("first line: {line:?}"));
    assert!(line.ends_with('\n'));
    assert!(started < Duration::from_secs(1), "started in {started:?}");
    // The port file appears (atomically) right after the first line.
    let mut from_file = None;
    for _ in 0..100 {
        if let Ok(t) = std::fs::read_to_string(&port_file) {
            from_file = Some(t);
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    assert_eq!(from_file, Some(port.to_string()));
    assert_eq!(post(port, "key=alpha&action=balance"), "{\"balance\":\"1.50000\",\"currency\":\"USD\"}");
    assert_eq!(post(port, "key=demo-key&action=balance"), "{\"error\":\"Invalid API key\"}", "--key replaces the default account");
    assert_eq!(
        post(port, "key=beta&action=add&service=101&link=https%3A%2F%2Fx.com&quantity=100"),
        "{\"order\":23501,\"type\":\"normal\"}"
    );
    // Control is off unless asked for.
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap_or_else(|e| panic!("{e}"));
    s.write_all(b"GET /__sim/journal HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n").unwrap_or_else(|e| panic!("{e}"));
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap_or_else(|e| panic!("{e}"));
    assert!(out.starts_with("HTTP/1.1 404"), "{out}");

    let status = Command::new("kill").args([signal, &child.id().to_string()]).status().unwrap_or_else(|e| panic!("{e}"));
    assert!(status.success());
    let t1 = Instant::now();
    let code = loop {
        if let Some(c) = child.try_wait().unwrap_or_else(|e| panic!("{e}")) {
            break c;
        }
        assert!(t1.elapsed() < Duration::from_secs(5), "did not exit on {signal}");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(code.code(), Some(0), "{signal}");
    let mut rest = String::new();
    let _ = stdout.read_to_string(&mut rest);
    assert_eq!(rest, "", "exactly one line on stdout");
    let _ = std::fs::remove_file(&port_file);
}

#[test]
fn prints_its_address_and_exits_0_on_sigterm() {
    run_and_signal("-TERM");
}

#[test]
fn exits_0_on_sigint() {
    run_and_signal("-INT");
}

#[test]
fn help_documents_every_flag() {
    let out = Command::new(BIN).arg("--help").output().unwrap_or_else(|e| panic!("{e}"));
    assert!(out.status.success());
    let help = String::from_utf8_lossy(&out.stdout);
    for flag in [
        "--port",
        "--path",
        "--dialect",
        "--control",
        "--cors",
        "--static",
        "--services",
        "--ascii-catalog",
        "--clock-speed",
        "--key",
        "--port-file",
        "--latency-ms",
        "--start-time",
    ] {
        assert!(help.contains(flag), "{flag} missing from --help:\n{help}");
    }
}

#[test]
fn refuses_bad_flags() {
    for args in [&["--dialect", "nope"][..], &["--cors", "maybe"], &["--key", "nobalance"], &["--key", "k=-1"], &["--clock-speed", "-2"]] {
        let out = Command::new(BIN).args(args).output().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty());
    }
}

/// Starts the binary with `args`, returns it and its port.
fn spawn(args: &[&str]) -> (std::process::Child, u16) {
    let mut child = Command::new(BIN).args(args).stdout(Stdio::piped()).stderr(Stdio::null()).spawn().unwrap_or_else(|e| panic!("{e}"));
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap_or_else(|| panic!("no stdout"))).read_line(&mut line).unwrap_or_else(|e| panic!("{e}"));
    let port = line.trim_end().rsplit(':').next().and_then(|p| p.parse().ok()).unwrap_or_else(|| panic!("{args:?}: first line {line:?}"));
    (child, port)
}

fn raw_head(port: u16, body: &str) -> String {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap_or_else(|e| panic!("{e}"));
    let req = format!("POST /api/v2 HTTP/1.1\r\nHost: t\r\nConnection: close\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}", body.len());
    s.write_all(req.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap_or_else(|e| panic!("{e}"));
    out
}

#[test]
fn cors_flag_takes_on_and_off() {
    for (value, expect) in [("on", true), ("off", false)] {
        let (mut child, port) = spawn(&["--cors", value, "--path", "/api/v2"]);
        let out = raw_head(port, "key=demo-key&action=balance");
        assert_eq!(out.contains("Access-Control-Allow-Origin: *"), expect, "--cors {value}: {out}");
        let _ = Command::new("kill").args(["-TERM", &child.id().to_string()]).status();
        assert_eq!(child.wait().ok().and_then(|s| s.code()), Some(0));
    }
}
