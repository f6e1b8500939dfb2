//! Decode speed of a large services answer. Ignored by default; run with
//! `cargo test --release --test core_perf -- --ignored --nocapture`.
//! Writes the generated body to $SMM_PERF_BODY when set, to time `JSON.parse` on the same text.
// Native only: these use host-only dev-dependencies (proptest, serde_json).
#![cfg(not(target_arch = "wasm32"))]

use std::time::Instant;

use smm_panel_sdk::core::{prepare, Call};

/// A services answer mixing the spellings real panels use.
pub fn services_body(n: usize) -> String {
    let mut s = String::with_capacity(n * 220);
    s.push('[');
    for i in 0..n {
        if i > 0 {
            s.push(',');
        }
        let (rate, min, flags) = match i % 4 {
            0 => (format!("\"{}.{:05}\"", i % 97, i % 100_000), "\"50\"".to_owned(), r#""refill":true,"cancel":true"#),
            1 => (format!("{}.{}", i % 13, i % 1000 + 1), "10".to_owned(), r#""refill":"1","cancel":"0""#),
            2 => (format!("\"{}\"", i % 500), "\"100\"".to_owned(), r#""refill":false"#),
            _ => ("0.90000000000000002".to_owned(), "1".to_owned(), r#""refill":0,"cancel":1,"dripfeed":true"#),
        };
        s.push_str(&format!(
            r#"{{"service":{},"name":"Instagram Followers [Real - Max 10K] \u26a1 #{}","type":"Default","category":"Instagram Followers | Guaranteed","rate":{},"min":{},"max":"{}",{},"desc":"Start 0-1h, speed 5k/day"}}"#,
            i + 1,
            i,
            rate,
            min,
            10_000 + i,
            flags
        ));
    }
    s.push(']');
    s
}

#[test]
#[ignore]
fn decode_20000_services() {
    let body = services_body(20_000);
    if let Ok(path) = std::env::var("SMM_PERF_BODY") {
        std::fs::write(path, &body).unwrap();
    }
    let p = prepare(Call::Services, None).unwrap();
    let mut best = f64::MAX;
    let mut out_len = 0;
    for _ in 0..20 {
        let t = Instant::now();
        let out = p.interpret(200, None, body.as_bytes()).unwrap();
        best = best.min(t.elapsed().as_secs_f64());
        out_len = out.len();
    }
    let mut best_serde = f64::MAX;
    let baseline_runs = if std::env::var_os("SMM_PERF_NO_BASELINE").is_some() { 0 } else { 20 };
    for _ in 0..baseline_runs {
        let t = Instant::now();
        let v: serde_json::Value = serde_json::from_str(&body).unwrap();
        best_serde = best_serde.min(t.elapsed().as_secs_f64());
        assert!(v.is_array());
    }
    println!(
        "body {:.2} MB → output {:.2} MB: core decode {:.2} ms; serde_json::Value parse only {:.2} ms",
        body.len() as f64 / 1e6,
        out_len as f64 / 1e6,
        best * 1e3,
        best_serde * 1e3
    );
}
