// The browser suite (tests/browser) runs the JS driver over the core's exports (`smm_*`), which
// its own test module must carry. A test executable exports nothing of its libraries by itself
// (only the cdylib does), so for tests the linker is told to export each of them, by the names
// read from the files that define them (one list: the source).
use std::fs;

const EXPORTING: [&str; 2] = ["src/wasm/exports.rs", "src/wasm/memory.rs"];

fn main() {
    for path in EXPORTING {
        println!("cargo:rerun-if-changed={path}");
    }
    if std::env::var("CARGO_CFG_TARGET_ARCH").as_deref() != Ok("wasm32") {
        return;
    }
    for path in EXPORTING {
        let source = fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
        for line in source.lines() {
            let declared = line.trim().strip_prefix("pub ").and_then(|rest| rest.split_once("extern \"C\" fn ")).map(|(_, rest)| rest);
            if let Some(name) = declared.and_then(|rest| rest.split('(').next()) {
                // --undefined makes the linker take it from the library; --export, keep it.
                println!("cargo:rustc-link-arg-tests=--undefined={name}");
                println!("cargo:rustc-link-arg-tests=--export={name}");
            }
        }
    }
}
