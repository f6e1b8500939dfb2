//! A small JSON reader and writer, so the wasm binary carries no serde_json.
//!
//! The reader builds a flat "tape" of 12-byte nodes that point back into the source text, in one
//! pass and with one growing allocation for the whole document: a 4 MB services answer must decode
//! faster in wasm than `JSON.parse` runs in V8, and per-object heap allocation would not allow
//! that. Strings are unescaped only when read (most have no escapes and are borrowed); numbers are
//! kept as their source text so money never goes through a float.

use std::borrow::Cow;

/// Deeper nesting than any panel answer or SDK argument needs; the parser recurses, so this also
/// bounds its stack use.
pub const MAX_DEPTH: u32 = 64;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Kind {
    Null,
    Bool,
    Num,
    Str,
    Arr,
    Obj,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Tag {
    Null,
    False,
    True,
    Num,
    /// A string that can be copied out of the source as it is.
    Str,
    /// A string with (valid) escapes: unescape before use, but its source text can be copied
    /// into JSON output as it is.
    StrEsc,
    /// A string with raw control characters (invalid JSON a sloppy panel may send): unescape
    /// before use and escape again for output.
    StrCtl,
    Arr,
    Obj,
}

/// For strings and numbers `a..b` is the byte range in the source (strings without their
/// quotes). For containers `a` is the index of the first node after the container's subtree and
/// `b` the number of items (of key/value pairs for objects).
#[derive(Clone, Copy, Debug)]
struct Node {
    tag: Tag,
    a: u32,
    b: u32,
}

const NULL_NODE: Node = Node { tag: Tag::Null, a: 0, b: 0 };

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JsonError {
    pub pos: usize,
    pub what: &'static str,
}

#[derive(Debug)]
pub struct Doc<'a> {
    src: &'a str,
    nodes: Vec<Node>,
}

impl<'a> Doc<'a> {
    /// Parses `src`, which must hold exactly one JSON value (whitespace around it allowed).
    pub fn parse(src: &'a str) -> Result<Doc<'a>, JsonError> {
        let (doc, end) = Doc::parse_prefix(src)?;
        if end != src.len() {
            return Err(JsonError { pos: end, what: "unexpected text after the JSON value" });
        }
        Ok(doc)
    }

    /// Parses one JSON value at the start of `src` (after whitespace) and returns the position
    /// just after it and the whitespace that follows.
    pub fn parse_prefix(src: &'a str) -> Result<(Doc<'a>, usize), JsonError> {
        if src.len() >= u32::MAX as usize {
            return Err(JsonError { pos: 0, what: "text too large" });
        }
        // About one node per ten bytes in a typical panel answer; a close guess saves regrowth.
        let mut p = Parser { bytes: src.as_bytes(), pos: 0, nodes: Vec::with_capacity(src.len() / 10 + 4) };
        p.value(0)?;
        p.skip_ws();
        let end = p.pos;
        Ok((Doc { src, nodes: p.nodes }, end))
    }

    pub fn root(&self) -> V<'_, 'a> {
        V { doc: self, i: 0 }
    }
}

struct Parser<'s> {
    bytes: &'s [u8],
    pos: usize,
    nodes: Vec<Node>,
}

/// Position of the first `"`, `\\` or control byte at or after `from`, eight bytes at a time:
/// string scanning is most of the work of parsing a services list.
#[inline(always)]
fn special_byte(bytes: &[u8], from: usize) -> Option<usize> {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    let mut i = from;
    while let Some(w) = bytes.get(i..i + 8).and_then(|c| <[u8; 8]>::try_from(c).ok()).map(u64::from_le_bytes) {
        let quote = w ^ (LO * u64::from(b'"'));
        let slash = w ^ (LO * u64::from(b'\\'));
        // Per byte: high bit set where the byte is zero (resp. below 0x20). Bits above the first
        // hit may be false positives; the lowest one never is.
        let hits = (quote.wrapping_sub(LO) & !quote | slash.wrapping_sub(LO) & !slash | w.wrapping_sub(LO * 0x20) & !w) & HI;
        if hits != 0 {
            return Some(i + (hits.trailing_zeros() / 8) as usize);
        }
        i += 8;
    }
    bytes.get(i..)?.iter().position(|&c| c == b'"' || c == b'\\' || c < 0x20).map(|n| i + n)
}

#[inline(always)]
fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

impl Parser<'_> {
    #[inline(always)]
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    #[inline(always)]
    fn skip_ws(&mut self) {
        while let Some(&b) = self.bytes.get(self.pos) {
            if !is_ws(b) {
                break;
            }
            self.pos += 1;
        }
    }

    fn err<T>(&self, what: &'static str) -> Result<T, JsonError> {
        Err(JsonError { pos: self.pos, what })
    }

    #[inline(always)]
    fn push(&mut self, tag: Tag, a: usize, b: usize) {
        // Positions fit: parse_prefix refuses texts of 4 GiB or more.
        self.nodes.push(Node { tag, a: a as u32, b: b as u32 });
    }

    fn value(&mut self, depth: u32) -> Result<(), JsonError> {
        self.skip_ws();
        match self.peek() {
            Some(b'{') => self.object(depth),
            Some(b'[') => self.array(depth),
            Some(b'"') => {
                let (a, b, tag) = self.string()?;
                self.push(tag, a, b);
                Ok(())
            }
            Some(b't') => self.literal(b"true", Tag::True),
            Some(b'f') => self.literal(b"false", Tag::False),
            Some(b'n') => self.literal(b"null", Tag::Null),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(_) => self.err("unexpected character"),
            None => self.err("unexpected end of text"),
        }
    }

    fn literal(&mut self, word: &'static [u8], tag: Tag) -> Result<(), JsonError> {
        let end = self.pos + word.len();
        if self.bytes.get(self.pos..end) == Some(word) {
            self.pos = end;
            self.push(tag, 0, 0);
            Ok(())
        } else {
            self.err("unexpected character")
        }
    }

    fn digits(&mut self) -> usize {
        let start = self.pos;
        while let Some(b'0'..=b'9') = self.peek() {
            self.pos += 1;
        }
        self.pos - start
    }

    fn number(&mut self) -> Result<(), JsonError> {
        let start = self.pos;
        self.number_span()?;
        self.push(Tag::Num, start, self.pos);
        Ok(())
    }

    /// Moves past a number.
    fn number_span(&mut self) -> Result<(), JsonError> {
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        // Leading zeros are tolerated (JSON forbids them; no harm in reading them).
        if self.digits() == 0 {
            return self.err("malformed number");
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if self.digits() == 0 {
                return self.err("malformed number");
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.pos += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            if self.digits() == 0 {
                return self.err("malformed number");
            }
        }
        Ok(())
    }

    /// At an opening quote; returns the content range and the kind of string.
    fn string(&mut self) -> Result<(usize, usize, Tag), JsonError> {
        let start = self.pos + 1;
        let mut i = start;
        let mut esc = false;
        let mut ctl = false;
        loop {
            // The common case: a run of ordinary bytes.
            match special_byte(self.bytes, i) {
                None => {
                    self.pos = self.bytes.len();
                    return self.err("unterminated string");
                }
                Some(n) => i = n,
            }
            match self.bytes.get(i).copied() {
                Some(b'"') => break,
                Some(b'\\') => {
                    esc = true;
                    match self.bytes.get(i + 1).copied() {
                        Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => i += 2,
                        Some(b'u') => {
                            let hex = self.bytes.get(i + 2..i + 6).unwrap_or(&[]);
                            if hex.len() != 4 || !hex.iter().all(u8::is_ascii_hexdigit) {
                                self.pos = i;
                                return self.err("malformed \\u escape");
                            }
                            i += 6;
                        }
                        _ => {
                            self.pos = i;
                            return self.err("malformed escape");
                        }
                    }
                }
                // Raw control characters are invalid JSON, but a sloppy panel's text is still
                // readable; the writer escapes them again.
                Some(_) => {
                    ctl = true;
                    i += 1;
                }
                None => {
                    self.pos = i;
                    return self.err("unterminated string");
                }
            }
        }
        self.pos = i + 1;
        let tag = if ctl {
            Tag::StrCtl
        } else if esc {
            Tag::StrEsc
        } else {
            Tag::Str
        };
        Ok((start, i, tag))
    }

    fn object(&mut self, depth: u32) -> Result<(), JsonError> {
        if depth >= MAX_DEPTH {
            return self.err("nesting too deep");
        }
        let idx = self.nodes.len();
        self.push(Tag::Obj, 0, 0);
        self.pos += 1;
        self.skip_ws();
        let mut count = 0usize;
        if self.peek() == Some(b'}') {
            self.pos += 1;
        } else {
            loop {
                self.skip_ws();
                if self.peek() != Some(b'"') {
                    return self.err("expected a property name");
                }
                let (a, b, tag) = self.string()?;
                self.push(tag, a, b);
                self.skip_ws();
                if self.peek() != Some(b':') {
                    return self.err("expected ':'");
                }
                self.pos += 1;
                self.value(depth + 1)?;
                count += 1;
                self.skip_ws();
                match self.peek() {
                    Some(b',') => self.pos += 1,
                    Some(b'}') => {
                        self.pos += 1;
                        break;
                    }
                    _ => return self.err("expected ',' or '}'"),
                }
            }
        }
        let end = self.nodes.len();
        if let Some(n) = self.nodes.get_mut(idx) {
            *n = Node { tag: Tag::Obj, a: end as u32, b: count as u32 };
        }
        Ok(())
    }

    fn array(&mut self, depth: u32) -> Result<(), JsonError> {
        if depth >= MAX_DEPTH {
            return self.err("nesting too deep");
        }
        let idx = self.nodes.len();
        self.push(Tag::Arr, 0, 0);
        self.pos += 1;
        self.skip_ws();
        let mut count = 0usize;
        if self.peek() == Some(b']') {
            self.pos += 1;
        } else {
            loop {
                self.value(depth + 1)?;
                count += 1;
                self.skip_ws();
                match self.peek() {
                    Some(b',') => self.pos += 1,
                    Some(b']') => {
                        self.pos += 1;
                        break;
                    }
                    _ => return self.err("expected ',' or ']'"),
                }
            }
        }
        let end = self.nodes.len();
        if let Some(n) = self.nodes.get_mut(idx) {
            *n = Node { tag: Tag::Arr, a: end as u32, b: count as u32 };
        }
        Ok(())
    }
}

/// A value inside a parsed document.
#[derive(Clone, Copy)]
pub struct V<'d, 'a> {
    doc: &'d Doc<'a>,
    i: usize,
}

impl<'d, 'a> V<'d, 'a> {
    #[inline(always)]
    fn node(&self) -> Node {
        self.doc.nodes.get(self.i).copied().unwrap_or(NULL_NODE)
    }

    #[inline(always)]
    fn text(&self, n: Node) -> &'a str {
        self.doc.src.get(n.a as usize..n.b as usize).unwrap_or("")
    }

    pub fn kind(&self) -> Kind {
        tag_kind(self.node().tag)
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self.node().tag {
            Tag::True => Some(true),
            Tag::False => Some(false),
            _ => None,
        }
    }

    /// The source text of a number.
    pub fn num_text(&self) -> Option<&'a str> {
        let n = self.node();
        (n.tag == Tag::Num).then(|| self.text(n))
    }

    /// A string's value, borrowed from the source unless it had escapes.
    pub fn str(&self) -> Option<Cow<'a, str>> {
        let n = self.node();
        tag_str(n.tag, self.text(n))
    }

    /// Whether an array or object has no items (or the value is neither).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Number of items of an array or of properties of an object.
    pub fn len(&self) -> usize {
        match self.node().tag {
            Tag::Arr | Tag::Obj => self.node().b as usize,
            _ => 0,
        }
    }

    /// The first property called `key`.
    pub fn get(&self, key: &str) -> Option<V<'d, 'a>> {
        self.entries().find(|(k, _)| k.key_is(key)).map(|(_, v)| v)
    }

    fn key_is(&self, key: &str) -> bool {
        let n = self.node();
        match n.tag {
            Tag::Str => self.text(n) == key,
            Tag::StrEsc | Tag::StrCtl => unescape(self.text(n)) == key,
            _ => false,
        }
    }

    /// Appends this string as a JSON string literal (see `Scalar::write_json_string`).
    pub fn write_json_string(&self, out: &mut String) -> bool {
        let n = self.node();
        tag_write_json_string(n.tag, self.text(n), out)
    }

    pub fn is_blank_str(&self) -> bool {
        let n = self.node();
        tag_is_blank(n.tag, self.text(n))
    }

    pub fn entries(&self) -> Entries<'d, 'a> {
        let n = self.node();
        if n.tag == Tag::Obj {
            Entries { doc: self.doc, i: self.i + 1, end: n.a as usize }
        } else {
            Entries { doc: self.doc, i: 0, end: 0 }
        }
    }

    pub fn items(&self) -> Items<'d, 'a> {
        let n = self.node();
        if n.tag == Tag::Arr {
            Items { doc: self.doc, i: self.i + 1, end: n.a as usize }
        } else {
            Items { doc: self.doc, i: 0, end: 0 }
        }
    }
}

fn tag_kind(tag: Tag) -> Kind {
    match tag {
        Tag::Null => Kind::Null,
        Tag::False | Tag::True => Kind::Bool,
        Tag::Num => Kind::Num,
        Tag::Str | Tag::StrEsc | Tag::StrCtl => Kind::Str,
        Tag::Arr => Kind::Arr,
        Tag::Obj => Kind::Obj,
    }
}

fn tag_str(tag: Tag, raw: &str) -> Option<Cow<'_, str>> {
    match tag {
        Tag::Str => Some(Cow::Borrowed(raw)),
        Tag::StrEsc | Tag::StrCtl => Some(Cow::Owned(unescape(raw))),
        _ => None,
    }
}

fn tag_write_json_string(tag: Tag, raw: &str, out: &mut String) -> bool {
    match tag {
        // The source text of a string with valid escapes is already a valid JSON string.
        Tag::Str | Tag::StrEsc => {
            out.push('"');
            out.push_str(raw);
            out.push('"');
            true
        }
        Tag::StrCtl => {
            write_str(out, &unescape(raw));
            true
        }
        _ => false,
    }
}

fn tag_is_blank(tag: Tag, raw: &str) -> bool {
    match tag {
        Tag::Str => raw.trim().is_empty(),
        // Decode only what could still be blank: escaped whitespace is `\n`, `\t`, `\r` or
        // `\u` followed by hex digits, so any other letter means text.
        Tag::StrEsc | Tag::StrCtl => {
            !raw.bytes().any(|b| b.is_ascii_alphabetic() && !matches!(b, b'n' | b'r' | b't' | b'u' | b'a'..=b'f' | b'A'..=b'F'))
                && unescape(raw).trim().is_empty()
        }
        _ => false,
    }
}

/// What the field readers need from a value, whether it sits in a parsed document (`V`) or was
/// just streamed past (`Tok`).
pub trait Scalar<'a>: Copy {
    fn kind(&self) -> Kind;
    fn as_bool(&self) -> Option<bool>;
    /// The source text of a number.
    fn num_text(&self) -> Option<&'a str>;
    /// A string's value, borrowed unless it had escapes.
    fn str(&self) -> Option<Cow<'a, str>>;
    /// Appends a string as a JSON string literal, copying its source text where that is valid
    /// JSON already (no decoding, no allocation). False if not a string.
    fn write_json_string(&self, out: &mut String) -> bool;
    /// A string that is empty or only whitespace.
    fn is_blank_str(&self) -> bool;
    fn is_null(&self) -> bool {
        self.kind() == Kind::Null
    }
}

impl<'a> Scalar<'a> for V<'_, 'a> {
    fn kind(&self) -> Kind {
        V::kind(self)
    }
    fn as_bool(&self) -> Option<bool> {
        V::as_bool(self)
    }
    fn num_text(&self) -> Option<&'a str> {
        V::num_text(self)
    }
    fn str(&self) -> Option<Cow<'a, str>> {
        V::str(self)
    }
    fn write_json_string(&self, out: &mut String) -> bool {
        V::write_json_string(self, out)
    }
    fn is_blank_str(&self) -> bool {
        V::is_blank_str(self)
    }
}

/// A value met by `Stream`: scalars with their source text; containers (skipped) by kind only.
#[derive(Clone, Copy, Debug)]
pub struct Tok<'a> {
    tag: Tag,
    raw: &'a str,
}

impl<'a> Tok<'a> {
    /// A string without escapes, as it is in the source; None for anything else.
    #[inline(always)]
    pub fn plain_str(&self) -> Option<&'a str> {
        (self.tag == Tag::Str).then_some(self.raw)
    }
}

impl<'a> Scalar<'a> for Tok<'a> {
    fn kind(&self) -> Kind {
        tag_kind(self.tag)
    }
    fn as_bool(&self) -> Option<bool> {
        match self.tag {
            Tag::True => Some(true),
            Tag::False => Some(false),
            _ => None,
        }
    }
    fn num_text(&self) -> Option<&'a str> {
        (self.tag == Tag::Num).then_some(self.raw)
    }
    fn str(&self) -> Option<Cow<'a, str>> {
        tag_str(self.tag, self.raw)
    }
    fn write_json_string(&self, out: &mut String) -> bool {
        tag_write_json_string(self.tag, self.raw, out)
    }
    fn is_blank_str(&self) -> bool {
        tag_is_blank(self.tag, self.raw)
    }
}

/// A forward-only reader for the one answer big enough to matter (services): it hands out
/// tokens without building a document. Any error means "use the general path", which gives the
/// precise message, so errors carry no detail.
pub struct Stream<'a> {
    src: &'a str,
    p: Parser<'a>,
}

impl<'a> Stream<'a> {
    pub fn new(src: &'a str) -> Stream<'a> {
        Stream { src, p: Parser { bytes: src.as_bytes(), pos: 0, nodes: Vec::new() } }
    }

    /// Skips whitespace and consumes `b` if it is next.
    #[inline(always)]
    pub fn eat(&mut self, b: u8) -> bool {
        self.p.skip_ws();
        if self.p.peek() == Some(b) {
            self.p.pos += 1;
            true
        } else {
            false
        }
    }

    pub fn at_end(&mut self) -> bool {
        self.p.skip_ws();
        self.p.pos >= self.p.bytes.len()
    }

    /// A string token (after whitespace), e.g. a property name.
    pub fn string(&mut self) -> Option<Tok<'a>> {
        self.p.skip_ws();
        if self.p.peek() != Some(b'"') {
            return None;
        }
        let (a, b, tag) = self.p.string().ok()?;
        Some(Tok { tag, raw: self.src.get(a..b)? })
    }

    /// The next value; containers are skipped whole. `depth` is how deep the value sits in the
    /// text (the top-level value is at 0): nesting is limited exactly as `Doc::parse` limits it,
    /// or the two readers would disagree on what is too deep.
    pub fn value(&mut self, depth: u32) -> Option<Tok<'a>> {
        self.p.skip_ws();
        match self.p.peek()? {
            b'"' => self.string(),
            b'{' | b'[' => {
                let tag = if self.p.peek() == Some(b'{') { Tag::Obj } else { Tag::Arr };
                // Parsed into a scratch tape that is thrown away: rare in a services list.
                self.p.nodes.clear();
                self.p.value(depth).ok()?;
                Some(Tok { tag, raw: "" })
            }
            b'-' | b'0'..=b'9' => {
                let start = self.p.pos;
                self.p.number_span().ok()?;
                Some(Tok { tag: Tag::Num, raw: self.src.get(start..self.p.pos)? })
            }
            _ => {
                self.p.nodes.clear();
                self.p.value(depth).ok()?;
                Some(Tok { tag: self.p.nodes.first()?.tag, raw: "" })
            }
        }
    }
}

#[inline(always)]
fn next_sibling(doc: &Doc<'_>, i: usize) -> usize {
    match doc.nodes.get(i) {
        Some(n) if matches!(n.tag, Tag::Arr | Tag::Obj) => (n.a as usize).max(i + 1),
        _ => i + 1,
    }
}

pub struct Entries<'d, 'a> {
    doc: &'d Doc<'a>,
    i: usize,
    end: usize,
}

impl<'d, 'a> Iterator for Entries<'d, 'a> {
    /// The key (a string value) and the value.
    type Item = (V<'d, 'a>, V<'d, 'a>);

    fn next(&mut self) -> Option<Self::Item> {
        if self.i + 1 >= self.end {
            return None;
        }
        let k = V { doc: self.doc, i: self.i };
        let v = V { doc: self.doc, i: self.i + 1 };
        self.i = next_sibling(self.doc, self.i + 1);
        Some((k, v))
    }
}

pub struct Items<'d, 'a> {
    doc: &'d Doc<'a>,
    i: usize,
    end: usize,
}

impl<'d, 'a> Iterator for Items<'d, 'a> {
    type Item = V<'d, 'a>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.i >= self.end {
            return None;
        }
        let v = V { doc: self.doc, i: self.i };
        self.i = next_sibling(self.doc, self.i);
        Some(v)
    }
}

fn hex4(s: &[u8]) -> Option<u32> {
    let mut v = 0u32;
    for &c in s.get(..4)? {
        v = v * 16 + (c as char).to_digit(16)?;
    }
    Some(v)
}

/// Decodes the escapes of a string the parser accepted. Lone surrogates become U+FFFD (a Rust
/// string cannot hold them).
fn unescape(raw: &str) -> String {
    let b = raw.as_bytes();
    let mut out = String::with_capacity(raw.len());
    let mut i = 0;
    let mut plain_from = 0;
    while i < b.len() {
        if b.get(i) != Some(&b'\\') {
            i += 1;
            continue;
        }
        out.push_str(raw.get(plain_from..i).unwrap_or(""));
        let c = b.get(i + 1).copied().unwrap_or(b'\\');
        i += 2;
        match c {
            b'b' => out.push('\u{8}'),
            b'f' => out.push('\u{c}'),
            b'n' => out.push('\n'),
            b'r' => out.push('\r'),
            b't' => out.push('\t'),
            b'u' => {
                let hi = hex4(b.get(i..).unwrap_or(&[])).unwrap_or(0xFFFD);
                i += 4;
                let ch = if (0xD800..0xDC00).contains(&hi) {
                    let lo =
                        if b.get(i) == Some(&b'\\') && b.get(i + 1) == Some(&b'u') { hex4(b.get(i + 2..).unwrap_or(&[])) } else { None };
                    match lo {
                        Some(lo) if (0xDC00..0xE000).contains(&lo) => {
                            i += 6;
                            char::from_u32(0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00))
                        }
                        _ => None,
                    }
                } else {
                    char::from_u32(hi)
                };
                out.push(ch.unwrap_or('\u{FFFD}'));
            }
            other => out.push(other as char),
        }
        plain_from = i.min(b.len());
    }
    out.push_str(raw.get(plain_from..).unwrap_or(""));
    out
}

/// Appends `s` as a JSON string literal.
pub fn write_str(out: &mut String, s: &str) {
    out.push('"');
    let bytes = s.as_bytes();
    let mut from = 0;
    for (i, &c) in bytes.iter().enumerate() {
        let esc: &str = match c {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0..=0x1f => "",
            _ => continue,
        };
        // `i` is at an ASCII byte, so both slices end on character boundaries.
        out.push_str(s.get(from..i).unwrap_or(""));
        if esc.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.push_str("\\u00");
            out.push(HEX[(c >> 4) as usize & 15] as char);
            out.push(HEX[(c & 15) as usize] as char);
        } else {
            out.push_str(esc);
        }
        from = i + 1;
    }
    out.push_str(s.get(from..).unwrap_or(""));
    out.push('"');
}

/// Appends an integer without going through `core::fmt`.
pub fn write_int(out: &mut String, v: i64) {
    if v < 0 {
        out.push('-');
    }
    let mut n = v.unsigned_abs();
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    loop {
        i -= 1;
        if let Some(slot) = buf.get_mut(i) {
            *slot = b'0' + (n % 10) as u8;
        }
        n /= 10;
        if n == 0 || i == 0 {
            break;
        }
    }
    out.push_str(std::str::from_utf8(buf.get(i..).unwrap_or(&[])).unwrap_or("0"));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roundtrip(s: &str) -> String {
        let mut out = String::new();
        write_str(&mut out, s);
        out
    }

    #[test]
    fn parses_nested_values() {
        let d = Doc::parse(r#" {"a": [1, -2.5e3, "x\"y", true, null, {}], "b": {"c": "d"}} "#).unwrap();
        let r = d.root();
        assert_eq!(r.kind(), Kind::Obj);
        assert_eq!(r.len(), 2);
        let a = r.get("a").unwrap();
        let items: Vec<_> = a.items().collect();
        assert_eq!(items.len(), 6);
        assert_eq!(items[0].num_text(), Some("1"));
        assert_eq!(items[1].num_text(), Some("-2.5e3"));
        assert_eq!(items[2].str().unwrap(), "x\"y");
        assert_eq!(items[3].as_bool(), Some(true));
        assert!(items[4].is_null());
        assert_eq!(items[5].kind(), Kind::Obj);
        assert_eq!(r.get("b").unwrap().get("c").unwrap().str().unwrap(), "d");
        assert!(r.get("z").is_none());
    }

    #[test]
    fn plain_strings_are_borrowed() {
        let d = Doc::parse(r#"["abc", "a\nb"]"#).unwrap();
        let v: Vec<_> = d.root().items().collect();
        assert!(matches!(v[0].str(), Some(Cow::Borrowed("abc"))));
        assert!(matches!(v[1].str(), Some(Cow::Owned(_))));
    }

    #[test]
    fn unescapes_unicode_and_surrogates() {
        let d = Doc::parse(r#"["\u00e9\ud83d\ude00", "\ud800x", "\/\b\f\t"]"#).unwrap();
        let v: Vec<_> = d.root().items().collect();
        assert_eq!(v[0].str().unwrap(), "é😀");
        assert_eq!(v[1].str().unwrap(), "\u{FFFD}x");
        assert_eq!(v[2].str().unwrap(), "/\u{8}\u{c}\t");
    }

    #[test]
    fn rejects_garbage() {
        for bad in [
            "",
            " ",
            "{",
            "[1,",
            "[1 2]",
            "{\"a\" 1}",
            "{a:1}",
            "tru",
            "nul",
            "-",
            "1.",
            "1e",
            "\"abc",
            "\"\\x\"",
            "\"\\u12\"",
            "[1]x",
            "{\"a\":1,}",
            "<html>",
            "01x",
        ] {
            assert!(Doc::parse(bad).is_err(), "{bad:?} should be rejected");
        }
    }

    #[test]
    fn depth_is_limited() {
        let ok = "[".repeat(64) + &"]".repeat(64);
        assert!(Doc::parse(&ok).is_ok());
        let deep = "[".repeat(65) + &"]".repeat(65);
        assert_eq!(Doc::parse(&deep).unwrap_err().what, "nesting too deep");
        let huge = "[".repeat(100_000);
        assert!(Doc::parse(&huge).is_err());
    }

    #[test]
    fn writer_escapes() {
        assert_eq!(roundtrip("a\"b\\c\nd\u{1}é"), r#""a\"b\\c\nd\u0001é""#);
        let mut out = String::new();
        write_int(&mut out, -9_007_199_254_740_991);
        write_int(&mut out, 0);
        assert_eq!(out, "-90071992547409910");
    }

    #[test]
    fn raw_control_characters_are_read_and_rewritten() {
        let d = Doc::parse("[\"a\tb\"]").unwrap();
        let mut out = String::new();
        write_str(&mut out, &d.root().items().next().unwrap().str().unwrap());
        assert_eq!(out, "\"a\\tb\"");
    }
}
