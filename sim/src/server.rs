//! Connections, routing, API requests with their faults, and static files.

use std::path::{Component, Path, PathBuf};
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

use crate::api::{Answer, Api, Fields};
use crate::faults::{FaultKind, CLOUDFLARE_PAGE, PHP_ERROR_BLOCK, PHP_NOTICE};
use crate::http::{self, HttpError, Request, Response};
use crate::journal::{key_hash, Entry};
use crate::{control, Shared};

/// What to put on the socket for one request.
pub(crate) enum Reply {
    Normal(Response),
    /// The head of a response (its real Content-Length) without the body, for HEAD.
    HeadOnly(Response),
    /// Close the connection without a byte of answer.
    Close,
    /// Head with the full Content-Length, this many body bytes, then a TCP reset.
    ResetMidBody(Response, usize),
    /// Head at once, then the body one byte per interval.
    SlowDrip(Response, u64),
    /// A 200 whose body is `size` bytes of filler, streamed.
    Huge(Response, usize),
}

pub(crate) async fn accept_loop(listener: TcpListener, shared: Arc<Shared>, mut shutdown: watch::Receiver<bool>) {
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let Ok((stream, _)) = accepted else {
                    // EMFILE and friends: back off instead of spinning.
                    tokio::time::sleep(Duration::from_millis(10)).await;
                    continue;
                };
                let conn = shared.next_conn.fetch_add(1, Ordering::Relaxed);
                tokio::spawn(serve_conn(shared.clone(), stream, conn, shutdown.clone()));
            }
            _ = shutdown.changed() => return,
        }
    }
}

async fn serve_conn(shared: Arc<Shared>, mut stream: TcpStream, conn: u64, mut shutdown: watch::Receiver<bool>) {
    let _ = stream.set_nodelay(true);
    let mut buf = Vec::new();
    loop {
        let read = tokio::select! {
            r = http::read_request(&mut stream, &mut buf) => r,
            _ = shutdown.changed() => return,
        };
        let req = match read {
            Ok(Some(r)) => r,
            Ok(None) | Err(HttpError::Io(_)) => return,
            Err(e) => {
                let status = if matches!(e, HttpError::TooLarge) { 413 } else { 400 };
                let resp = Response::new(status, "text/plain; charset=utf-8", e.to_string().into_bytes());
                let _ = write_reply(&mut stream, Reply::Normal(resp), false).await;
                return;
            }
        };
        // Injected latency is counted from here: the request is fully read.
        let received = tokio::time::Instant::now();
        let keep_alive = req.keep_alive() && !*shutdown.borrow();
        let reply = route(&shared, &req, conn, received).await;
        match write_reply(&mut stream, reply, keep_alive).await {
            Ok(true) => continue,
            _ => return,
        }
    }
}

/// Writes a reply; `Ok(true)` when the connection can serve another request.
async fn write_reply(stream: &mut TcpStream, reply: Reply, keep_alive: bool) -> std::io::Result<bool> {
    match reply {
        Reply::Normal(resp) => {
            let mut out = resp.head(resp.body.len(), keep_alive);
            out.extend_from_slice(&resp.body);
            stream.write_all(&out).await?;
            Ok(keep_alive)
        }
        Reply::HeadOnly(resp) => {
            stream.write_all(&resp.head(resp.body.len(), keep_alive)).await?;
            Ok(keep_alive)
        }
        Reply::Close => {
            let _ = stream.shutdown().await;
            Ok(false)
        }
        Reply::ResetMidBody(resp, cut) => {
            let mut out = resp.head(resp.body.len(), true);
            out.extend_from_slice(&resp.body[..cut.min(resp.body.len())]);
            stream.write_all(&out).await?;
            stream.flush().await?;
            // Give the bytes time to leave before the RST discards anything still queued.
            tokio::time::sleep(Duration::from_millis(50)).await;
            stream.set_zero_linger()?;
            Ok(false)
        }
        Reply::SlowDrip(resp, interval_ms) => {
            stream.write_all(&resp.head(resp.body.len(), keep_alive)).await?;
            for b in &resp.body {
                tokio::time::sleep(Duration::from_millis(interval_ms)).await;
                stream.write_all(std::slice::from_ref(b)).await?;
            }
            Ok(keep_alive)
        }
        Reply::Huge(resp, size) => {
            stream.write_all(&resp.head(size, keep_alive)).await?;
            // A valid JSON object of exactly `size` bytes: {"padding":"xxx…"}
            let prefix = b"{\"padding\":\"";
            let suffix = b"\"}";
            if size < prefix.len() + suffix.len() {
                stream.write_all(&b" ".repeat(size)).await?;
                return Ok(keep_alive);
            }
            stream.write_all(prefix).await?;
            let chunk = vec![b'x'; 64 * 1024];
            let mut left = size - prefix.len() - suffix.len();
            while left > 0 {
                let n = left.min(chunk.len());
                stream.write_all(&chunk[..n]).await?;
                left -= n;
            }
            stream.write_all(suffix).await?;
            Ok(keep_alive)
        }
    }
}

async fn route(shared: &Arc<Shared>, req: &Request, conn: u64, received: tokio::time::Instant) -> Reply {
    if req.path == shared.config.api_path {
        return api_request(shared, req, conn, received).await;
    }
    if req.path == "/__sim" || req.path.starts_with("/__sim/") {
        if shared.config.control {
            return Reply::Normal(control::handle(shared, req));
        }
        return Reply::Normal(not_found());
    }
    if let Some(dir) = &shared.config.static_dir {
        if req.method == "GET" || req.method == "HEAD" {
            let resp = serve_static(dir, &req.path, req.header("if-none-match")).await;
            return if req.method == "HEAD" { Reply::HeadOnly(resp) } else { Reply::Normal(resp) };
        }
    }
    Reply::Normal(not_found())
}

fn not_found() -> Response {
    Response::new(404, "text/plain; charset=utf-8", b"Not Found".to_vec())
}

fn with_cors(mut resp: Response, cors: bool) -> Response {
    if cors {
        resp.headers.push(("Access-Control-Allow-Origin".into(), "*".into()));
        resp.headers.push(("Access-Control-Expose-Headers".into(), "*".into()));
    }
    resp
}

fn now_unix_ms() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis() as u64).unwrap_or(0)
}

/// `received`: when the request was fully read; an answer with latency N leaves no sooner than
/// N ms after it (processing time and lock waits count towards the N ms, not on top of them).
async fn api_request(shared: &Arc<Shared>, req: &Request, conn: u64, received: tokio::time::Instant) -> Reply {
    let content_type = req.header("content-type").map(str::to_string);
    let query = http::parse_urlencoded(&req.query);
    let ct_lower = content_type.as_deref().unwrap_or("").to_ascii_lowercase();
    // PHP fills $_POST only for these two content types; anything else is invisible to a panel.
    let body: Vec<(String, String)> = if ct_lower.starts_with("application/x-www-form-urlencoded") {
        http::parse_urlencoded(&String::from_utf8_lossy(&req.body))
    } else if ct_lower.starts_with("multipart/form-data") {
        http::multipart_boundary(content_type.as_deref().unwrap_or(""))
            .and_then(|b| http::parse_multipart(&req.body, &b).ok())
            .unwrap_or_default()
    } else {
        Vec::new()
    };
    let fields = Fields(query.iter().chain(body.iter()).cloned().collect());
    let action = fields.get("action").map(str::to_string);
    let key = fields.get("key").map(str::to_string);

    let (reply, latency) = {
        let mut rt = shared.rt();
        let cors = rt.cors;
        let seq = rt.journal.next_seq();
        let mut entry = Entry {
            seq,
            conn,
            time_ms: now_unix_ms(),
            sim_ms: rt.state.now(),
            method: req.method.clone(),
            path: req.path.clone(),
            content_type: content_type.clone(),
            header_names: req.headers.iter().map(|(k, _)| k.clone()).collect(),
            query,
            body,
            action: action.clone(),
            key_hash: key.as_deref().map(key_hash),
            fault: None,
            processed: false,
            status: None,
        };
        if req.method == "OPTIONS" {
            // Real panels do not answer preflights; with --cors on the simulator does.
            let resp = if cors {
                Response::empty(204)
                    .with_header("Access-Control-Allow-Origin", "*")
                    .with_header("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
                    .with_header("Access-Control-Allow-Headers", req.header("access-control-request-headers").unwrap_or("*"))
                    .with_header("Access-Control-Max-Age", "600")
            } else {
                Response::empty(405).with_header("Allow", "GET, POST")
            };
            entry.status = Some(resp.status);
            rt.journal.push(entry);
            return Reply::Normal(resp);
        }
        let ids = crate::faults::request_ids(|name| fields.get(name));
        let fault_idx = rt.faults.iter().position(|f| f.matches(action.as_deref(), key.as_deref(), &ids));
        let fault = fault_idx.map(|i| {
            let f = &mut rt.faults[i];
            f.remaining -= 1;
            f.clone()
        });
        rt.faults.retain(|f| f.remaining > 0);
        let process = fault.as_ref().is_none_or(|f| f.process);
        let needs_answer = fault.as_ref().is_none_or(|f| {
            matches!(
                f.kind,
                FaultKind::Latency { .. }
                    | FaultKind::MalformedJson
                    | FaultKind::Bom
                    | FaultKind::PhpNotice
                    | FaultKind::PhpErrorBlock
                    | FaultKind::ResetMidBody { .. }
                    | FaultKind::SlowDrip { .. }
            )
        });
        let answer = if process {
            Some(run_api(&mut rt, &fields, false))
        } else if needs_answer {
            // What the panel would have said, without letting it change anything.
            Some(run_api(&mut rt, &fields, true))
        } else {
            None
        };
        let mut latency = rt.latency_ms;
        let reply = match &fault {
            None => Reply::Normal(json_response(answer)),
            Some(f) => faulted(&f.kind, answer, shared, &req.path, &mut latency),
        };
        let reply = match reply {
            Reply::Normal(r) => Reply::Normal(with_cors(r, cors)),
            Reply::ResetMidBody(r, n) => Reply::ResetMidBody(with_cors(r, cors), n),
            Reply::SlowDrip(r, n) => Reply::SlowDrip(with_cors(r, cors), n),
            Reply::Huge(r, n) => Reply::Huge(with_cors(r, cors), n),
            other => other,
        };
        entry.fault = fault.as_ref().map(|f| f.kind.name().to_string());
        entry.processed = process;
        entry.status = match &reply {
            Reply::Normal(r) | Reply::HeadOnly(r) | Reply::ResetMidBody(r, _) | Reply::SlowDrip(r, _) | Reply::Huge(r, _) => Some(r.status),
            Reply::Close => None,
        };
        rt.journal.push(entry);
        (reply, latency)
    };
    if latency > 0 {
        wait_until(received + Duration::from_millis(latency)).await;
    }
    reply
}

/// Waits until `deadline` without tokio's timer overshoot: the timer wheel has 1 ms slots and
/// rounds up, so sleep to just short of the deadline, then yield until it has passed.
async fn wait_until(deadline: tokio::time::Instant) {
    const EARLY: Duration = Duration::from_millis(2);
    if let Some(early) = deadline.checked_sub(EARLY) {
        if tokio::time::Instant::now() < early {
            tokio::time::sleep_until(early).await;
        }
    }
    while tokio::time::Instant::now() < deadline {
        tokio::task::yield_now().await;
    }
}

fn run_api(rt: &mut crate::Runtime, fields: &Fields, dry_run: bool) -> Answer {
    let dialect = rt.dialect;
    let cache = &mut rt.services_cache;
    let mut services = |d, st: &crate::state::State| -> Vec<u8> {
        cache.entry(d).or_insert_with(|| Arc::new(crate::api::render_services(d, &st.services))).as_ref().clone()
    };
    if dry_run {
        let mut scratch = rt.state.clone();
        Api { dialect, state: &mut scratch, services_json: &mut services }.handle(fields)
    } else {
        Api { dialect, state: &mut rt.state, services_json: &mut services }.handle(fields)
    }
}

fn json_response(answer: Option<Answer>) -> Response {
    match answer {
        Some(a) => Response::json(a.status, a.body),
        None => Response::json(200, Vec::new()),
    }
}

fn faulted(kind: &FaultKind, answer: Option<Answer>, shared: &Shared, path: &str, latency: &mut u64) -> Reply {
    let real = json_response(answer);
    match kind {
        FaultKind::Latency { ms } => {
            *latency += ms;
            Reply::Normal(real)
        }
        FaultKind::Status { status, body, content_type } => {
            let ct = if body.trim_start().starts_with(['{', '[']) { "application/json; charset=utf-8" } else { content_type.as_str() };
            Reply::Normal(Response::new(*status, ct, body.clone().into_bytes()))
        }
        FaultKind::Html => Reply::Normal(Response {
            status: 503,
            headers: vec![
                ("Content-Type".into(), "text/html; charset=UTF-8".into()),
                ("Server".into(), "cloudflare".into()),
                ("cf-mitigated".into(), "challenge".into()),
                ("cf-ray".into(), "8a1b2c3d4e5f6a7b-FRA".into()),
            ],
            body: CLOUDFLARE_PAGE.as_bytes().to_vec(),
        }),
        FaultKind::MalformedJson => {
            let mut r = real;
            let half = (r.body.len() / 2).max(1).min(r.body.len());
            r.body.truncate(half);
            if r.body.is_empty() {
                r.body = b"{".to_vec();
            }
            Reply::Normal(r)
        }
        FaultKind::Empty => Reply::Normal(Response::json(200, Vec::new())),
        FaultKind::Bom => {
            let mut r = real;
            let mut body = vec![0xEF, 0xBB, 0xBF];
            body.extend_from_slice(&r.body);
            r.body = body;
            Reply::Normal(r)
        }
        FaultKind::PhpNotice | FaultKind::PhpErrorBlock => {
            let diagnostic = if matches!(kind, FaultKind::PhpNotice) { PHP_NOTICE } else { PHP_ERROR_BLOCK };
            let mut body = diagnostic.as_bytes().to_vec();
            body.extend_from_slice(&real.body);
            // The notice went out before the script's header() call, so PHP's default type stands.
            Reply::Normal(Response::new(real.status, "text/html; charset=UTF-8", body))
        }
        FaultKind::Redirect { status, location } => {
            let loc = location.clone().unwrap_or_else(|| format!("http://localhost:{}{}", shared.port, path));
            let body = format!("<html>\r\n<head><title>{status} {}</title></head>\r\n<body>\r\n<center><h1>{status} {}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n", http::reason(*status), http::reason(*status));
            Reply::Normal(Response::new(*status, "text/html", body.into_bytes()).with_header("Location", loc))
        }
        FaultKind::RateLimit { retry_after, status, body } => {
            let mut r = Response::json(*status, body.clone().into_bytes());
            if let Some(s) = retry_after {
                r = r.with_header("Retry-After", s.to_string());
            }
            Reply::Normal(r)
        }
        FaultKind::Close => Reply::Close,
        FaultKind::ResetMidBody { bytes } => {
            let len = real.body.len();
            let cut = bytes.unwrap_or(len / 2).min(len.saturating_sub(1));
            Reply::ResetMidBody(real, cut)
        }
        FaultKind::HugeBody { size } => Reply::Huge(Response::json(200, Vec::new()), *size),
        FaultKind::SlowDrip { interval_ms } => Reply::SlowDrip(real, *interval_ms),
    }
}

pub(crate) fn mime_for(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).map(|e| e.to_ascii_lowercase()).as_deref() {
        Some("html" | "htm") => "text/html; charset=utf-8",
        Some("js" | "mjs" | "cjs") => "text/javascript; charset=utf-8",
        Some("wasm") => "application/wasm",
        Some("css") => "text/css; charset=utf-8",
        Some("json" | "map") => "application/json; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("gif") => "image/gif",
        Some("ico") => "image/x-icon",
        Some("txt" | "md" | "ts") => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// Maps a URL path inside `dir`, refusing anything that could climb out of it.
fn static_path(dir: &Path, url_path: &str) -> Option<PathBuf> {
    let decoded = http::url_decode(url_path, false);
    if decoded.contains('\0') || decoded.contains('\\') {
        return None;
    }
    let mut out = dir.to_path_buf();
    for comp in Path::new(decoded.trim_start_matches('/')).components() {
        match comp {
            Component::Normal(c) => out.push(c),
            Component::CurDir => {}
            _ => return None,
        }
    }
    Some(out)
}

/// A validator made the way static hosts make one (nginx: modification time and length), so that
/// a browser revalidating a `no-cache` file gets a 304 while the file is unchanged, as from a
/// real host. Nanoseconds: a file rewritten within the same second at the same length still
/// gets a new tag.
fn etag(meta: &std::fs::Metadata) -> String {
    let modified = meta.modified().ok().and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok());
    format!("\"{:x}-{:x}\"", modified.map_or(0, |d| d.as_nanos()), meta.len())
}

/// Whether an If-None-Match value names `etag`: the weak comparison RFC 9110 §13.1.2 asks for
/// (a `W/` prefix does not matter), `*` naming any file that exists.
fn none_match(if_none_match: &str, etag: &str) -> bool {
    if_none_match.split(',').map(str::trim).any(|tag| tag == "*" || tag.strip_prefix("W/").unwrap_or(tag) == etag)
}

async fn serve_static(dir: &Path, url_path: &str, if_none_match: Option<&str>) -> Response {
    let Some(mut path) = static_path(dir, url_path) else { return not_found() };
    if tokio::fs::metadata(&path).await.is_ok_and(|m| m.is_dir()) {
        path.push("index.html");
    }
    // Symlinks inside the folder could still point outside it.
    let inside = match (tokio::fs::canonicalize(&path).await, tokio::fs::canonicalize(dir).await) {
        (Ok(p), Ok(d)) => p.starts_with(d),
        _ => false,
    };
    if !inside {
        return not_found();
    }
    let Ok(meta) = tokio::fs::metadata(&path).await else { return not_found() };
    let tag = etag(&meta);
    // `no-cache` with a validator: the browser keeps the file but asks each time whether it
    // changed, what a host does for file names that carry no version.
    if if_none_match.is_some_and(|v| none_match(v, &tag)) {
        return Response::empty(304).with_header("ETag", tag).with_header("Cache-Control", "no-cache");
    }
    match tokio::fs::read(&path).await {
        Ok(bytes) => Response::new(200, mime_for(&path), bytes).with_header("ETag", tag).with_header("Cache-Control", "no-cache"),
        Err(_) => not_found(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn static_paths_stay_inside() {
        let d = Path::new("/srv");
        assert_eq!(static_path(d, "/a/b.js"), Some(PathBuf::from("/srv/a/b.js")));
        assert_eq!(static_path(d, "/../etc/passwd"), None);
        assert_eq!(static_path(d, "/a/%2e%2e/%2e%2e/etc"), None);
        assert_eq!(static_path(d, "/a\\..\\b"), None);
        assert_eq!(mime_for(Path::new("x.wasm")), "application/wasm");
        assert_eq!(mime_for(Path::new("x.mjs")), "text/javascript; charset=utf-8");
    }

    #[test]
    fn if_none_match_compares_weakly() {
        let tag = "\"17f-a\"";
        for matching in ["\"17f-a\"", "W/\"17f-a\"", "\"0-1\", \"17f-a\"", "\"0-1\",W/\"17f-a\"", "*"] {
            assert!(none_match(matching, tag), "{matching}");
        }
        for other in ["\"17f-b\"", "17f-a", "", "\"0-1\", \"17f\""] {
            assert!(!none_match(other, tag), "{other}");
        }
    }
}
