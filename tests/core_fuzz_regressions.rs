//! Inputs the fuzz targets (fuzz/, FUZZING.md) found breaking a promise, kept so the fix stays:
//! `tests/fuzz-regressions/TARGET/*` is checked as the fuzz target TARGET checks it.
// Native only: uses host-only dev-dependencies (serde_json) and the file system.
#![cfg(not(target_arch = "wasm32"))]

use std::path::Path;

use smm_panel_sdk::core::{prepare, Call};

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

#[test]
fn fuzz_regressions_stay_fixed() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-regressions");
    let mut checked = 0;
    for target in std::fs::read_dir(&root).unwrap() {
        let target = target.unwrap().path();
        let name = target.file_name().unwrap().to_string_lossy().into_owned();
        let check: fn(&[u8]) = match name.as_str() {
            "services_agreement" => services_agreement,
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

