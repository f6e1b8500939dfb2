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
    /// A watch, with the config and the options JSON its polls are made with (its own copies:
    /// the client may be freed while it runs).
    Watch(Watch, ClientConfig, Option<String>),
    Catalog(Catalog),
}

struct State {
    out: Vec<u8>,
    entries: Vec<Slot>,
}

struct Slot {
    generation: u32,
    /// Boxed: `with` moves it out and back, one pointer instead of the whole object.
    entry: Option<Box<Entry>>,
}

/// The module's one state. Not a `thread_local!`: its lazy initialisation and access closures
/// were 4 KB of wasm, and the module is single-threaded (src/lib.rs refuses the atomics feature).
struct Global(RefCell<State>);

// SAFETY: wasm32 without the atomics feature has one thread; nothing else can reach the state.
unsafe impl Sync for Global {}

static STATE: Global = Global(RefCell::new(State { out: Vec::new(), entries: Vec::new() }));

/// Runs `f` on the state. Every caller here holds the borrow only for a few field accesses, never
/// while the core works (see `with`).
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

/// Frees what a handle stands for; unknown and stale handles are ignored (a second release of
/// the same handle is harmless: generations, below).
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

/// Handles: the slot's index + 1 in the low `SLOT_BITS`, the slot's generation above them, so a
/// handle kept after its object was released (a freed client that a watch still names) is
/// refused instead of reaching whatever took the slot next. Below 2^31: JS reads them as
/// positive numbers.
const SLOT_BITS: u32 = 20;
const GENERATIONS: u32 = 1 << 11;

fn slot_of(handle: u32) -> Option<(usize, u32)> {
    let index = ((handle & ((1 << SLOT_BITS) - 1)) as usize).checked_sub(1)?;
    Some((index, handle >> SLOT_BITS))
}

/// Stores an object; its handle (≥ 1), or 0 with an error as the answer when a million objects
/// are already alive.
pub fn keep(entry: Entry) -> u32 {
    let kept = with_state(|s| {
        let slots = &mut s.entries;
        let index = match slots.iter().position(|slot| slot.entry.is_none()) {
            Some(free) => free,
            None if slots.len() + 1 < 1 << SLOT_BITS => {
                slots.push(Slot { generation: 0, entry: None });
                slots.len() - 1
            }
            None => return None,
        };
        let slot = slots.get_mut(index)?;
        slot.generation = (slot.generation + 1) % GENERATIONS;
        slot.entry = Some(Box::new(entry));
        u32::try_from(index + 1).ok().map(|low| (slot.generation << SLOT_BITS) | low)
    });
    kept.unwrap_or_else(|| {
        let full = crate::core::error::SmmError::invalid("handle", "too many SDK objects are alive at once".to_owned());
        answer(full.to_json());
        0
    })
}

/// Takes an object out of the table (its handle is refused from now on). One copy for every
/// caller (not inlined into each `with`).
#[inline(never)]
pub fn take(handle: u32) -> Option<Box<Entry>> {
    let (index, generation) = slot_of(handle)?;
    with_state(|s| s.entries.get_mut(index).filter(|slot| slot.generation == generation)?.entry.take())
}

/// Runs `f` on the object behind a handle, if it is there. The object is taken out of the table
/// while `f` runs, so nothing is borrowed meanwhile: `f` may leave an answer, and a trap inside
/// it (a bug, memory exhausted) costs that one object, not every later call.
pub fn with<R>(handle: u32, f: impl FnOnce(&mut Entry) -> R) -> Option<R> {
    let mut entry = take(handle)?;
    let result = f(&mut entry);
    put_back(handle, entry);
    Some(result)
}

/// Returns what `take` took to the slot it came from (its generation is unchanged).
#[inline(never)]
fn put_back(handle: u32, entry: Box<Entry>) {
    if let Some((index, _)) = slot_of(handle) {
        with_state(|s| {
            if let Some(slot) = s.entries.get_mut(index) {
                slot.entry = Some(entry);
            }
        });
    }
}
