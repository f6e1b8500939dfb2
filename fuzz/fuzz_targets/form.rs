#![no_main]
//! Form encoding: what the SDK encodes decodes back exactly, uses only the characters
//! URLSearchParams writes, and any bytes at all decode without a panic.
use libfuzzer_sys::fuzz_target;
use smm_panel_sdk::core::fuzz_hooks::{decode_form, push_form_pair};
use smm_panel_sdk_fuzz::text;

fuzz_target!(|data: &[u8]| {
    let _ = decode_form(data);
    // The input as text, cut at NUL bytes into alternating names and values.
    let text = text(data);
    let parts: Vec<&str> = text.split('\0').collect();
    let pairs: Vec<(&str, &str)> = parts.chunks(2).map(|c| (c[0], c.get(1).copied().unwrap_or(""))).collect();
    let mut body = String::new();
    for (name, value) in &pairs {
        push_form_pair(&mut body, name, value);
    }
    assert!(body.bytes().all(|b| b.is_ascii_alphanumeric() || b"*-._+%&=".contains(&b)), "unexpected character in {body:?}");
    let decoded = decode_form(body.as_bytes());
    let expected: Vec<(String, String)> = pairs.iter().map(|(n, v)| ((*n).to_owned(), (*v).to_owned())).collect();
    assert_eq!(decoded, expected, "disagreement: form body {body:?} does not decode back");
});
