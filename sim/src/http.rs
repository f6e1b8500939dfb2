//! Just enough HTTP/1.1 for a panel: request parsing with keep-alive, Content-Length and
//! chunked bodies, `Expect: 100-continue`, and form decoding (urlencoded and multipart).

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const MAX_HEAD: usize = 64 * 1024;
const MAX_BODY: usize = 16 * 1024 * 1024;

#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    /// Path without the query, percent-encoding untouched.
    pub path: String,
    pub query: String,
    pub http10: bool,
    /// Headers in the order and spelling received.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// Whether the client wants the connection kept after this exchange.
    pub fn keep_alive(&self) -> bool {
        let conn = self.header("connection").map(|v| v.to_ascii_lowercase()).unwrap_or_default();
        if self.http10 {
            conn.contains("keep-alive")
        } else {
            !conn.contains("close")
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum HttpError {
    #[error("i/o: {0}")]
    Io(#[from] std::io::Error),
    #[error("bad request: {0}")]
    Bad(&'static str),
    #[error("request too large")]
    TooLarge,
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Reads one request. `Ok(None)` is a clean end of the connection between requests.
/// `buf` carries bytes already read past the previous request (pipelining).
pub async fn read_request(stream: &mut TcpStream, buf: &mut Vec<u8>) -> Result<Option<Request>, HttpError> {
    let head_end = loop {
        if let Some(i) = find(buf, b"\r\n\r\n") {
            break i;
        }
        if buf.len() > MAX_HEAD {
            return Err(HttpError::TooLarge);
        }
        let mut chunk = [0u8; 8192];
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return if buf.iter().all(|b| b.is_ascii_whitespace()) { Ok(None) } else { Err(HttpError::Bad("truncated head")) };
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    buf.drain(..head_end + 4);
    // Tolerate stray CRLFs before a request line, as RFC 9112 asks servers to.
    let head = head.trim_start_matches(['\r', '\n']);
    let mut lines = head.split("\r\n");
    let request_line = lines.next().ok_or(HttpError::Bad("no request line"))?;
    let mut parts = request_line.split(' ');
    let method = parts.next().filter(|m| !m.is_empty()).ok_or(HttpError::Bad("no method"))?.to_string();
    let target = parts.next().ok_or(HttpError::Bad("no target"))?;
    let version = parts.next().ok_or(HttpError::Bad("no version"))?;
    if !version.starts_with("HTTP/1.") {
        return Err(HttpError::Bad("unsupported version"));
    }
    let http10 = version == "HTTP/1.0";
    let (path, query) = match target.split_once('?') {
        Some((p, q)) => (p.to_string(), q.to_string()),
        None => (target.to_string(), String::new()),
    };
    let mut headers = Vec::new();
    for line in lines {
        let (k, v) = line.split_once(':').ok_or(HttpError::Bad("bad header line"))?;
        headers.push((k.trim().to_string(), v.trim().to_string()));
    }
    let mut req = Request { method, path, query, http10, headers, body: Vec::new() };

    let chunked = req.header("transfer-encoding").is_some_and(|v| v.to_ascii_lowercase().contains("chunked"));
    let length = match req.header("content-length") {
        Some(v) => Some(v.parse::<usize>().map_err(|_| HttpError::Bad("bad content-length"))?),
        None => None,
    };
    if length.is_some_and(|l| l > MAX_BODY) {
        return Err(HttpError::TooLarge);
    }
    let has_body = chunked || length.is_some_and(|l| l > 0);
    if has_body && req.header("expect").is_some_and(|v| v.eq_ignore_ascii_case("100-continue")) && buf.is_empty() {
        stream.write_all(b"HTTP/1.1 100 Continue\r\n\r\n").await?;
    }
    if chunked {
        req.body = read_chunked(stream, buf).await?;
    } else if let Some(len) = length {
        fill(stream, buf, len).await?;
        req.body = buf.drain(..len).collect();
    }
    Ok(Some(req))
}

async fn fill(stream: &mut TcpStream, buf: &mut Vec<u8>, len: usize) -> Result<(), HttpError> {
    while buf.len() < len {
        let mut chunk = vec![0u8; (len - buf.len()).clamp(1, 64 * 1024)];
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Err(HttpError::Bad("truncated body"));
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    Ok(())
}

async fn read_line(stream: &mut TcpStream, buf: &mut Vec<u8>) -> Result<String, HttpError> {
    loop {
        if let Some(i) = find(buf, b"\r\n") {
            let line = String::from_utf8_lossy(&buf[..i]).into_owned();
            buf.drain(..i + 2);
            return Ok(line);
        }
        if buf.len() > MAX_HEAD {
            return Err(HttpError::TooLarge);
        }
        let mut chunk = [0u8; 4096];
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Err(HttpError::Bad("truncated chunk"));
        }
        buf.extend_from_slice(&chunk[..n]);
    }
}

async fn read_chunked(stream: &mut TcpStream, buf: &mut Vec<u8>) -> Result<Vec<u8>, HttpError> {
    let mut body = Vec::new();
    loop {
        let line = read_line(stream, buf).await?;
        let size_text = line.split(';').next().unwrap_or("").trim();
        let size = usize::from_str_radix(size_text, 16).map_err(|_| HttpError::Bad("bad chunk size"))?;
        if body.len() + size > MAX_BODY {
            return Err(HttpError::TooLarge);
        }
        if size == 0 {
            // Trailers, if any, end with an empty line.
            while !read_line(stream, buf).await?.is_empty() {}
            return Ok(body);
        }
        fill(stream, buf, size + 2).await?;
        body.extend_from_slice(&buf[..size]);
        buf.drain(..size + 2);
    }
}

pub fn reason(status: u16) -> &'static str {
    match status {
        100 => "Continue",
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        301 => "Moved Permanently",
        302 => "Found",
        303 => "See Other",
        304 => "Not Modified",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        400 => "Bad Request",
        401 => "Unauthorized",
        402 => "Payment Required",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        413 => "Payload Too Large",
        422 => "Unprocessable Entity",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        520 => "Unknown Error",
        521 => "Web Server Is Down",
        522 => "Connection Timed Out",
        _ => "Status",
    }
}

#[derive(Debug, Clone)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn new(status: u16, content_type: &str, body: Vec<u8>) -> Response {
        Response { status, headers: vec![("Content-Type".into(), content_type.into())], body }
    }

    pub fn json(status: u16, body: Vec<u8>) -> Response {
        Response::new(status, "application/json; charset=utf-8", body)
    }

    pub fn empty(status: u16) -> Response {
        Response { status, headers: Vec::new(), body: Vec::new() }
    }

    pub fn with_header(mut self, k: &str, v: impl Into<String>) -> Response {
        self.headers.push((k.to_string(), v.into()));
        self
    }

    /// The status line and headers, with a Content-Length of `content_length`.
    pub fn head(&self, content_length: usize, keep_alive: bool) -> Vec<u8> {
        let mut s = format!("HTTP/1.1 {} {}\r\n", self.status, reason(self.status));
        if !self.headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("server")) {
            s.push_str("Server: smm-panel-sim\r\n");
        }
        for (k, v) in &self.headers {
            s.push_str(k);
            s.push_str(": ");
            s.push_str(v);
            s.push_str("\r\n");
        }
        // A 304's Content-Length would have to be the 200's (RFC 9110 §8.6), and no client reads
        // a body after a 304: send none.
        if self.status != 304 {
            s.push_str(&format!("Content-Length: {content_length}\r\n"));
        }
        s.push_str(if keep_alive { "Connection: keep-alive\r\n" } else { "Connection: close\r\n" });
        s.push_str("\r\n");
        s.into_bytes()
    }
}

fn hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Percent-decoding as PHP's `urldecode` does it: `+` is a space, a bad escape stays as is.
pub fn url_decode(s: &str, plus_is_space: bool) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' if plus_is_space => out.push(b' '),
            b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push(h * 16 + l);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

pub fn parse_urlencoded(s: &str) -> Vec<(String, String)> {
    s.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| match p.split_once('=') {
            Some((k, v)) => (url_decode(k, true), url_decode(v, true)),
            None => (url_decode(p, true), String::new()),
        })
        .collect()
}

/// The `boundary` parameter of a multipart content type.
pub fn multipart_boundary(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|p| {
        let (k, v) = p.trim().split_once('=')?;
        k.eq_ignore_ascii_case("boundary").then(|| v.trim_matches('"').to_string())
    })
}

/// Fields of a multipart/form-data body; file parts count as fields with the file's content,
/// which is what a panel reading `$_POST` would not see but what a test wants to know.
pub fn parse_multipart(body: &[u8], boundary: &str) -> Result<Vec<(String, String)>, HttpError> {
    let delim = format!("--{boundary}");
    let mut fields = Vec::new();
    let mut rest = match find(body, delim.as_bytes()) {
        Some(i) => &body[i + delim.len()..],
        None => return Err(HttpError::Bad("multipart boundary not found")),
    };
    let next_delim = format!("\r\n--{boundary}");
    loop {
        if rest.starts_with(b"--") {
            return Ok(fields);
        }
        let rest_after_crlf = rest.strip_prefix(b"\r\n").ok_or(HttpError::Bad("multipart: no CRLF after boundary"))?;
        let head_end = find(rest_after_crlf, b"\r\n\r\n").ok_or(HttpError::Bad("multipart: part without headers"))?;
        let head = String::from_utf8_lossy(&rest_after_crlf[..head_end]);
        let content = &rest_after_crlf[head_end + 4..];
        let end = find(content, next_delim.as_bytes()).ok_or(HttpError::Bad("multipart: unterminated part"))?;
        let name = head.split("\r\n").find_map(|line| {
            let (k, v) = line.split_once(':')?;
            if !k.trim().eq_ignore_ascii_case("content-disposition") {
                return None;
            }
            v.split(';').find_map(|p| {
                let (pk, pv) = p.trim().split_once('=')?;
                (pk == "name").then(|| pv.trim_matches('"').to_string())
            })
        });
        if let Some(name) = name {
            fields.push((name, String::from_utf8_lossy(&content[..end]).into_owned()));
        }
        rest = &content[end + next_delim.len()..];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_forms() {
        assert_eq!(
            parse_urlencoded("key=a%2Bb&action=add&comments=one%0Atwo+three&flag"),
            vec![
                ("key".into(), "a+b".into()),
                ("action".into(), "add".into()),
                ("comments".into(), "one\ntwo three".into()),
                ("flag".into(), String::new())
            ]
        );
        assert_eq!(url_decode("100%", true), "100%");
        assert_eq!(url_decode("%4", true), "%4");
        assert_eq!(url_decode("%41", true), "A");
    }

    #[test]
    fn decodes_multipart() {
        let body = b"--XyZ\r\nContent-Disposition: form-data; name=\"key\"\r\n\r\nabc\r\n--XyZ\r\nContent-Disposition: form-data; name=\"comments\"\r\n\r\nline1\r\nline2\r\n--XyZ--\r\n";
        let f = parse_multipart(body, "XyZ").unwrap_or_default();
        assert_eq!(f, vec![("key".into(), "abc".into()), ("comments".into(), "line1\r\nline2".into())]);
        assert_eq!(multipart_boundary("multipart/form-data; boundary=\"XyZ\""), Some("XyZ".into()));
    }
}
