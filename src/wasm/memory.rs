//! How bytes and objects cross between the JavaScript driver (src/wasm/driver.js) and the
//! core's exports, with no generated glue: plain wasm exports over the module's memory.
//!
//! - In: the driver asks `smm_alloc(len)` for a buffer, writes UTF-8 or bytes into it and passes
//!   `(ptr, len)`; the export takes the buffer back (it is freed when read). `ptr` 0 is "absent".
//! - Out: an export that answers text leaves it in one output buffer, read through
//!   `smm_out_ptr`/`smm_out_len` before the next export call replaces it.
//! - Objects that live across calls (a client's config, a call in progress, a watch, a catalog)
//!   stay here in a table; the driver holds their handle (≥ 1) and releases it.
use std::cell::RefCell;

use crate::core::catalog::Catalog;
use crate::core::config::ClientConfig;
use crate::core::job::Job;
use crate::core::watch::Watch;

/// What a handle stands for.
pub enum Entry {
    Client(ClientConfig),
    Job(Job),
    Watch(Watch),
    Catalog(Catalog),
}

struct State {
    out: Vec<u8>,
    entries: Vec<Option<Entry>>,
}

/// The module's one state. Not a `thread_local!`: its lazy initialisation and access closures
/// were 4 KB of wasm, and the module is single-threaded (src/lib.rs refuses the atomics feature).
struct Global(RefCell<State>);

// SAFETY: wasm32 without the atomics feature has one thread; nothing else can reach the state.
unsafe impl Sync for Global {}

static STATE: Global = Global(RefCell::new(State { out: Vec::new(), entries: Vec::new() }));

/// Runs `f` on the state. Exports never nest these calls (each borrow ends before the next).
fn with_state<R>(f: impl FnOnce(&mut State) -> R) -> R {
    f(&mut STATE.0.borrow_mut())
}

/// A buffer of `len` bytes for the driver to fill; the export it is passed to takes it back.
#[no_mangle]
pub extern "C" fn smm_alloc(len: usize) -> *mut u8 {
    Box::into_raw(vec![0u8; len].into_boxed_slice()).cast()
}

#[no_mangle]
pub extern "C" fn smm_out_ptr() -> *const u8 {
    with_state(|s| s.out.as_ptr())
}

#[no_mangle]
pub extern "C" fn smm_out_len() -> usize {
    with_state(|s| s.out.len())
}

/// Frees what a handle stands for; unknown handles are ignored (a double release is harmless).
#[no_mangle]
pub extern "C" fn smm_release(handle: u32) {
    take(handle);
}

/// The bytes of a buffer from `smm_alloc`, taken back; `None` for ptr 0.
pub fn bytes(ptr: *mut u8, len: usize) -> Option<Box<[u8]>> {
    if ptr.is_null() {
        return None;
    }
    // SAFETY: the driver passes only buffers `smm_alloc(len)` returned, each once, with that len.
    Some(unsafe { Box::from_raw(std::ptr::slice_from_raw_parts_mut(ptr, len)) })
}

/// A buffer of UTF-8 text (the driver encodes with TextEncoder, so it is valid; anything else is
/// read lossily rather than trusted).
pub fn text(ptr: *mut u8, len: usize) -> Option<String> {
    bytes(ptr, len).map(|b| match String::from_utf8(b.into_vec()) {
        Ok(s) => s,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    })
}

/// Leaves `text` in the output buffer.
pub fn answer(text: String) {
    with_state(|s| s.out = text.into_bytes());
}

/// Stores an object; its handle (≥ 1).
pub fn keep(entry: Entry) -> u32 {
    with_state(|s| {
        let entries = &mut s.entries;
        let index = match entries.iter().position(Option::is_none) {
            Some(free) => {
                entries[free] = Some(entry);
                free
            }
            None => {
                entries.push(Some(entry));
                entries.len() - 1
            }
        };
        u32::try_from(index + 1).unwrap_or(0)
    })
}

/// Takes an object out of the table (its handle is free again).
pub fn take(handle: u32) -> Option<Entry> {
    with_state(|s| s.entries.get_mut((handle as usize).checked_sub(1)?)?.take())
}

/// Runs `f` on the object behind a handle, if it is there. `f` must not call back into this
/// table (the exports read what they need first).
pub fn with<R>(handle: u32, f: impl FnOnce(&mut Entry) -> R) -> Option<R> {
    with_state(|s| s.entries.get_mut((handle as usize).checked_sub(1)?)?.as_mut().map(f))
}
