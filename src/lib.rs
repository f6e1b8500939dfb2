//! smm-panel-sdk: a typed, safe client for the SMM panel API v2.
//!
//! `core` is pure Rust (validation, form encoding, lenient decoding, retry and batch policy) and
//! is tested natively; `wasm` only adapts it to JavaScript (exports, fetch, the JS error class).
pub mod core;
#[cfg(any(target_arch = "wasm32", test))]
mod heap;

#[cfg(target_arch = "wasm32")]
mod wasm;

#[cfg(all(target_arch = "wasm32", target_feature = "atomics"))]
compile_error!("heap::SizeClassAllocator is single-threaded: build without the atomics feature");

// Smaller than the default allocator by ~4 KB gzipped; why it suits the SDK: src/heap.rs.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: heap::SizeClassAllocator<heap::WasmMemory> = heap::SizeClassAllocator::new(heap::WasmMemory);
