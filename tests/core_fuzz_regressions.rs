//! Inputs the fuzz targets (fuzz/, FUZZING.md) found breaking a promise, kept so the fix stays:
//! `tests/fuzz-regressions/TARGET/*` is checked as the fuzz target TARGET checks it.
// Native only: uses host-only dev-dependencies (serde_json) and the file system.
#![cfg(not(target_arch = "wasm32"))]

use std::path::Path;

use smm_panel_sdk::core::catalog::Catalog;
use smm_panel_sdk::core::{plan, prepare, Call, ErrorCode};

/// `services()` on a body answered with HTTP 200 (the fuzz input without its first byte): an
/// array, which the catalog reads, since `client.catalog()` is built from exactly that text.
fn services(body: &[u8]) {
    if let Ok(out) = prepare(Call::Services, None).unwrap().interpret(200, None, body) {
        let v: serde_json::Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("invalid JSON {out:?}: {e}"));
        assert!(v.is_array(), "{out}");
        Catalog::from_services_json(&out).unwrap_or_else(|e| panic!("the catalog cannot read what services() answered ({e}): {out}"));
    }
}

/// A PHP notice before an answer sends the services list down the general path (the streaming
/// reader takes only a plain list), so reading the list with and without one compares the two
/// paths through the public API: they must accept the same lists and write the same text.
fn services_agreement(body: &[u8]) {
    let services = prepare(Call::Services, None).unwrap();
    let plain = services.interpret(200, None, body).map_err(|e| e.code());
    let notice = b"<br />\n<b>Notice</b>:  Undefined index: type in <b>/var/www/api.php</b> on line <b>42</b><br />\n";
    let general = services.interpret(200, None, &[notice.as_slice(), body].concat()).map_err(|e| e.code());
    assert_eq!(plain, general, "the streaming and the general path disagree");
    if let Ok(out) = plain {
        let v: serde_json::Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("invalid JSON {out:?}: {e}"));
        assert!(v.is_array(), "{out}");
    }
}

/// A `*Many` call over one chunk (the fuzz target's IDs, one repeated) and the same chunk read on
/// its own must give every ID the same item. The inputs kept here start with the byte the fuzz
/// target reads as HTTP 200.
fn many_agree(call: Call, ids: [u64; 5], input: &[u8]) {
    assert_eq!(input.first(), Some(&0), "these inputs are answered with HTTP 200");
    let body = input.get(1..).unwrap_or_default();
    let ids_json = format!("[{}]", ids.map(|i| i.to_string()).join(","));
    let mut batch = plan(call, Some(&ids_json)).unwrap();
    let chunk = batch.chunks()[0].clone();
    if batch.accept(0, 200, None, body).is_err() {
        return;
    }
    let merged: Vec<serde_json::Value> = serde_json::from_str(&batch.finish().unwrap()).unwrap();
    let alone: Vec<serde_json::Value> = serde_json::from_str(&chunk.interpret(200, None, body).unwrap()).unwrap();
    for (item, id) in merged.iter().zip(ids) {
        let unique = chunk.ids().iter().position(|&x| x == id).unwrap();
        assert_eq!(Some(item), alone.get(unique), "batch and single read disagree for {id}");
    }
}

#[test]
fn fuzz_regressions_stay_fixed() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-regressions");
    let mut checked = 0;
    for target in std::fs::read_dir(&root).unwrap() {
        let target = target.unwrap().path();
        let name = target.file_name().unwrap().to_string_lossy().into_owned();
        let check: fn(&[u8]) = match name.as_str() {
            "services" => services,
            "services_agreement" => services_agreement,
            "many_status" => |input| many_agree(Call::OrderStatusMany, [23501, 23502, 23503, 1, 23501], input),
            "many_refill_status" => |input| many_agree(Call::RefillStatusMany, [1, 2, 3, 23501, 1], input),
            other => panic!("no check for fuzz target {other}: add one here"),
        };
        for input in std::fs::read_dir(&target).unwrap() {
            let path = input.unwrap().path();
            let body = std::fs::read(&path).unwrap();
            let result = std::panic::catch_unwind(|| check(&body));
            assert!(result.is_ok(), "{} fails again", path.display());
            checked += 1;
        }
    }
    assert!(checked > 0, "no regression inputs found in {}", root.display());
}

/// Found by the `services` target: a negative `max` (passed on by `services()` as the panel wrote
/// it) made `client.catalog()` fail as an internal error; so did a negative rate or one with more
/// digits than exact arithmetic holds. The catalog lists such services and estimates no charge
/// it cannot compute exactly.
#[test]
fn catalog_lists_services_whose_numbers_it_cannot_compute_with() {
    let body = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-regressions/services/rates-and-bounds-exact-arithmetic-cannot-use"),
    )
    .unwrap();
    let out = prepare(Call::Services, None).unwrap().interpret(200, None, &body).unwrap();
    let catalog = Catalog::from_services_json(&out).unwrap();
    assert_eq!(catalog.len(), 3);
    // A negative bound is no bound: the panel checks the quantity.
    catalog.validate(Some(r#"{"service":1,"link":"x","quantity":5}"#)).unwrap();
    for service in [1, 2] {
        let e = catalog.estimate_charge(Some(&format!(r#"{{"service":{service},"link":"x","quantity":10}}"#))).unwrap_err();
        assert_eq!((e.code(), e.field()), (ErrorCode::InvalidRequest, Some("service")), "{e}");
    }
    assert_eq!(catalog.estimate_charge(Some(r#"{"service":3,"link":"x","quantity":10}"#)).unwrap(), "1000000000000000000.000");
}
