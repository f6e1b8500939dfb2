//! A small raw HTTP/1.1 client: tests must see exactly what arrives on the socket.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::time::Duration;

use smm_panel_sim::{start, Config, Dialect, Money, RunningServer};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

pub const KEY: &str = "test-key-01";

#[derive(Debug, Clone)]
pub struct Resp {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Resp {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }
}

/// Parses a complete response (head + body) from raw bytes.
pub fn parse_response(raw: &[u8]) -> Resp {
    let end = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap_or_else(|| panic!("no head in {:?}", String::from_utf8_lossy(raw)));
    let head = String::from_utf8_lossy(&raw[..end]);
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap_or("");
    let status = status_line.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or_else(|| panic!("bad status line {status_line:?}"));
    let headers = lines.filter_map(|l| l.split_once(':')).map(|(k, v)| (k.trim().to_string(), v.trim().to_string())).collect();
    Resp { status, headers, body: raw[end + 4..].to_vec() }
}

/// Sends raw bytes and reads until the server closes.
pub async fn raw_exchange(addr: SocketAddr, request: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut s = TcpStream::connect(addr).await?;
    s.write_all(request).await?;
    let mut out = Vec::new();
    s.read_to_end(&mut out).await?;
    Ok(out)
}

pub async fn send(addr: SocketAddr, method: &str, target: &str, headers: &[(&str, &str)], body: &[u8]) -> Resp {
    let mut req = format!("{method} {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
    let mut bytes = req.into_bytes();
    bytes.extend_from_slice(body);
    let raw = tokio::time::timeout(Duration::from_secs(20), raw_exchange(addr, &bytes))
        .await
        .unwrap_or_else(|_| panic!("timeout on {method} {target}"))
        .unwrap_or_else(|e| panic!("i/o on {method} {target}: {e}"));
    parse_response(&raw)
}

pub fn form(pairs: &[(&str, &str)]) -> String {
    fn enc(s: &str) -> String {
        let mut o = String::new();
        for b in s.bytes() {
            match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => o.push(b as char),
                b' ' => o.push('+'),
                _ => o.push_str(&format!("%{b:02X}")),
            }
        }
        o
    }
    pairs.iter().map(|(k, v)| format!("{}={}", enc(k), enc(v))).collect::<Vec<_>>().join("&")
}

pub async fn api(addr: SocketAddr, pairs: &[(&str, &str)]) -> Resp {
    send(addr, "POST", "/api/v2", &[("Content-Type", "application/x-www-form-urlencoded")], form(pairs).as_bytes()).await
}

/// An API call with `key` = KEY prepended.
pub async fn call(addr: SocketAddr, action: &str, pairs: &[(&str, &str)]) -> Resp {
    let mut all = vec![("key", KEY), ("action", action)];
    all.extend_from_slice(pairs);
    api(addr, &all).await
}

pub async fn call_text(addr: SocketAddr, action: &str, pairs: &[(&str, &str)]) -> String {
    call(addr, action, pairs).await.text()
}

pub async fn control(addr: SocketAddr, method: &str, path: &str, json: &str) -> Resp {
    send(addr, method, path, &[("Content-Type", "application/json")], json.as_bytes()).await
}

pub async fn advance(addr: SocketAddr, seconds: u64) {
    let r = control(addr, "POST", "/__sim/clock", &format!("{{\"advance_seconds\":{seconds}}}")).await;
    assert_eq!(r.status, 200, "{}", r.text());
}

pub async fn balance(addr: SocketAddr) -> String {
    control(addr, "GET", &format!("/__sim/accounts/{KEY}"), "").await.json()["balance"].as_str().unwrap_or("?").to_string()
}

/// A server with the control API, a frozen clock and one account KEY with 100.
pub async fn server(dialect: Dialect) -> RunningServer {
    server_with(|c| c.dialect = dialect).await
}

pub async fn server_with(tweak: impl FnOnce(&mut Config)) -> RunningServer {
    let mut c = Config {
        control: true,
        clock_speed: 0.0,
        keys: vec![(KEY.to_string(), Money::parse("100").unwrap_or_default())],
        ..Config::default()
    };
    tweak(&mut c);
    start(c).await.unwrap_or_else(|e| panic!("start: {e}"))
}

/// A keep-alive connection reading answers by Content-Length.
pub struct Conn {
    pub stream: TcpStream,
    buf: Vec<u8>,
}

impl Conn {
    pub async fn open(addr: SocketAddr) -> Conn {
        Conn { stream: TcpStream::connect(addr).await.unwrap_or_else(|e| panic!("connect: {e}")), buf: Vec::new() }
    }

    pub async fn request(&mut self, body: &str) -> std::io::Result<Resp> {
        let req = format!(
            "POST /api/v2 HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        );
        self.stream.write_all(req.as_bytes()).await?;
        self.read_response().await
    }

    pub async fn read_response(&mut self) -> std::io::Result<Resp> {
        loop {
            if let Some(end) = self.buf.windows(4).position(|w| w == b"\r\n\r\n") {
                let head = parse_response(&self.buf[..end + 4]);
                let len: usize = head.header("content-length").and_then(|v| v.parse().ok()).unwrap_or(0);
                if self.buf.len() >= end + 4 + len {
                    let body = self.buf[end + 4..end + 4 + len].to_vec();
                    self.buf.drain(..end + 4 + len);
                    return Ok(Resp { body, ..head });
                }
            }
            let mut chunk = [0u8; 65536];
            let n = self.stream.read(&mut chunk).await?;
            if n == 0 {
                return Err(std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "closed"));
            }
            self.buf.extend_from_slice(&chunk[..n]);
        }
    }
}
