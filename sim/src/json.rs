//! A tiny ordered JSON value for answers.
//!
//! Answers must keep key order and print money as exact decimal text, either inside a string
//! (`"0.27819"`) or as a bare number (`0.27819`) depending on the dialect; serde_json's `Value`
//! would go through f64 for the latter.

#[derive(Debug, Clone, PartialEq)]
pub enum J {
    Null,
    Bool(bool),
    /// Already-formatted number text, printed bare.
    Num(String),
    Str(String),
    Arr(Vec<J>),
    Obj(Vec<(String, J)>),
}

impl J {
    pub fn obj<const N: usize>(pairs: [(&str, J); N]) -> J {
        J::Obj(pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
    }

    pub fn str(s: impl Into<String>) -> J {
        J::Str(s.into())
    }

    pub fn int(n: impl Into<i128>) -> J {
        J::Num(n.into().to_string())
    }

    pub fn error(msg: impl Into<String>) -> J {
        J::obj([("error", J::Str(msg.into()))])
    }

    /// Appends a field to an object (no-op on other values).
    pub fn push(&mut self, key: &str, v: J) {
        if let J::Obj(fields) = self {
            fields.push((key.to_string(), v));
        }
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = String::with_capacity(128);
        self.write(&mut out);
        out.into_bytes()
    }

    pub fn write(&self, out: &mut String) {
        match self {
            J::Null => out.push_str("null"),
            J::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            J::Num(n) => out.push_str(n),
            J::Str(s) => write_str(out, s),
            J::Arr(items) => {
                out.push('[');
                for (i, v) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    v.write(out);
                }
                out.push(']');
            }
            J::Obj(fields) => {
                out.push('{');
                for (i, (k, v)) in fields.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write_str(out, k);
                    out.push(':');
                    v.write(out);
                }
                out.push('}');
            }
        }
    }
}

impl std::fmt::Display for J {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut s = String::new();
        self.write(&mut s);
        f.write_str(&s)
    }
}

pub fn write_str(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_in_order_with_escapes() {
        let v = J::obj([("b", J::int(1)), ("a", J::str("x\"\n")), ("c", J::Arr(vec![J::Null, J::Bool(true)]))]);
        assert_eq!(v.to_string(), r#"{"b":1,"a":"x\"\n","c":[null,true]}"#);
    }
}
