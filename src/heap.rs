//! The allocator of the wasm build: power-of-two size classes, one free list per class, fresh
//! blocks cut from memory the module grows.
//!
//! Why not the default (dlmalloc): replacing it saved 2.8 KB of the ~100 KB gzipped package, and
//! the SDK's allocation pattern does not need what it buys. The SDK makes short-lived allocations of
//! the same few sizes call after call (request text, answer bytes, the JSON it hands back), so a
//! freed block is soon wanted again in its own class, and a steady stream of calls stops growing
//! memory (the benchmark's memory row measures that). Costs, accepted: a block is rounded up to a
//! power of two (at most twice the size asked for), and freed blocks are not merged or returned
//! to another class. Allocation and freeing are O(1).
//!
//! Kept generic over where memory comes from so the same code is tested natively on a plain
//! buffer (`tests` below); only the wasm build installs it as the global allocator.

use std::alloc::{GlobalAlloc, Layout};
use std::cell::UnsafeCell;
use std::ptr::null_mut;

/// WebAssembly's page, the unit memory grows by.
pub const PAGE: usize = 65_536;

/// Smallest block: room for the free-list link a freed block holds.
const MIN_CLASS: u32 = 3;
/// Classes 2^0 ..= 2^31 (indexes below MIN_CLASS stay unused): wasm32 addresses 4 GiB.
const CLASSES: usize = 32;

/// Where fresh memory comes from: `bytes` (a multiple of PAGE) more, as the address of their
/// start, or None when no more can be had.
pub trait Grow {
    fn grow(&self, bytes: usize) -> Option<usize>;
}

pub struct SizeClassAllocator<G> {
    state: UnsafeCell<State>,
    source: G,
}

struct State {
    /// Head of each class's list of freed blocks (0: empty); each freed block's first word holds
    /// the address of the next.
    free: [usize; CLASSES],
    /// The unused rest of the memory last grown: `next..end`.
    next: usize,
    end: usize,
}

// SAFETY: the wasm build this is installed in has one thread (no `atomics` target feature; see
// the compile_error! in lib.rs), and the native tests use each instance from one thread.
unsafe impl<G: Sync> Sync for SizeClassAllocator<G> {}

/// Block size class for a layout, or None if no class is large enough.
fn class_of(layout: Layout) -> Option<u32> {
    let size = layout.size().max(layout.align()).max(1 << MIN_CLASS);
    let class = size.checked_next_power_of_two()?.trailing_zeros();
    ((class as usize) < CLASSES).then_some(class)
}

/// Fresh blocks are aligned to their size up to a page, so every block of a class suits every
/// alignment a layout of that class can ask for (alignment ≤ size), up to a page.
fn block_align(class: u32) -> usize {
    (1usize << class).min(PAGE)
}

impl<G: Grow> SizeClassAllocator<G> {
    pub const fn new(source: G) -> Self {
        SizeClassAllocator { state: UnsafeCell::new(State { free: [0; CLASSES], next: 0, end: 0 }), source }
    }

    /// A block of `class` cut from the grown memory, growing it when the rest is too small.
    fn fresh(&self, state: &mut State, class: u32) -> Option<usize> {
        let size = 1usize << class;
        let align = block_align(class);
        let fits = |next: usize, end: usize| {
            let start = next.checked_add(align - 1)? & !(align - 1);
            (start.checked_add(size)? <= end).then_some(start)
        };
        if let Some(start) = fits(state.next, state.end) {
            state.next = start + size;
            return Some(start);
        }
        // Enough pages for the block wherever the new memory starts (it starts on a page).
        let bytes = size.checked_add(PAGE - 1)? & !(PAGE - 1);
        let base = self.source.grow(bytes)?;
        if base != state.end {
            // Not contiguous with the rest (the first grow): that rest is left unused.
            state.next = base;
        }
        state.end = base.checked_add(bytes)?;
        let start = fits(state.next, state.end)?;
        state.next = start + size;
        Some(start)
    }
}

unsafe impl<G: Grow> GlobalAlloc for SizeClassAllocator<G> {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if layout.align() > PAGE {
            return null_mut();
        }
        let Some(class) = class_of(layout) else { return null_mut() };
        // SAFETY: single-threaded (see the Sync impl) and not re-entered: nothing below allocates.
        let state = unsafe { &mut *self.state.get() };
        let head = state.free[class as usize];
        if head != 0 {
            // SAFETY: `head` is a freed block of this class, at least a word long and aligned,
            // whose first word `dealloc` wrote.
            state.free[class as usize] = unsafe { *(head as *const usize) };
            return head as *mut u8;
        }
        self.fresh(state, class).map_or(null_mut(), |a| a as *mut u8)
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        let Some(class) = class_of(layout) else { return };
        // SAFETY: as in alloc.
        let state = unsafe { &mut *self.state.get() };
        // SAFETY: `ptr` is a block of this class that the caller gives up (GlobalAlloc's
        // contract: same layout as allocated), so its first word is ours to write.
        unsafe { *(ptr as *mut usize) = state.free[class as usize] };
        state.free[class as usize] = ptr as usize;
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let Ok(new_layout) = Layout::from_size_align(new_size, layout.align()) else { return null_mut() };
        if class_of(layout).is_some() && class_of(layout) == class_of(new_layout) {
            // Still fits its block (a growing Vec or String mostly lands here).
            return ptr;
        }
        // SAFETY: the GlobalAlloc contract, passed on: `ptr` came from `alloc` with `layout`.
        unsafe {
            let new = self.alloc(new_layout);
            if !new.is_null() {
                std::ptr::copy_nonoverlapping(ptr, new, layout.size().min(new_size));
                self.dealloc(ptr, layout);
            }
            new
        }
    }
}

/// The wasm module's own memory, grown a page at a time.
#[cfg(target_arch = "wasm32")]
pub struct WasmMemory;

#[cfg(target_arch = "wasm32")]
impl Grow for WasmMemory {
    fn grow(&self, bytes: usize) -> Option<usize> {
        let previous_pages = core::arch::wasm32::memory_grow(0, bytes / PAGE);
        (previous_pages != usize::MAX).then(|| previous_pages * PAGE)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    /// A fixed, page-aligned buffer handed out a multiple of PAGE at a time, like wasm memory.
    struct Arena {
        base: usize,
        size: usize,
        used: Cell<usize>,
    }

    // SAFETY (tests): each arena is used from one thread.
    unsafe impl Sync for Arena {}

    impl Arena {
        fn new(size: usize) -> Arena {
            let layout = Layout::from_size_align(size, PAGE).unwrap();
            // SAFETY: non-zero size; freed in Drop with the same layout.
            let base = unsafe { std::alloc::alloc(layout) } as usize;
            assert_ne!(base, 0);
            Arena { base, size, used: Cell::new(0) }
        }
    }

    impl Drop for Arena {
        fn drop(&mut self) {
            // SAFETY: allocated in new with this layout.
            unsafe { std::alloc::dealloc(self.base as *mut u8, Layout::from_size_align(self.size, PAGE).unwrap()) }
        }
    }

    impl Grow for Arena {
        fn grow(&self, bytes: usize) -> Option<usize> {
            assert_eq!(bytes % PAGE, 0, "grows by whole pages");
            let at = self.used.get();
            (at + bytes <= self.size).then(|| {
                self.used.set(at + bytes);
                self.base + at
            })
        }
    }

    fn layout(size: usize, align: usize) -> Layout {
        Layout::from_size_align(size, align).unwrap()
    }

    /// A tiny deterministic generator, so a failure replays.
    struct Lcg(u64);
    impl Lcg {
        fn next(&mut self, below: usize) -> usize {
            self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            ((self.0 >> 33) as usize) % below
        }
    }

    #[test]
    fn blocks_are_aligned_disjoint_and_keep_their_contents() {
        for seed in 1..=4u64 {
            let heap = SizeClassAllocator::new(Arena::new(64 << 20));
            let mut rng = Lcg(seed);
            // (ptr, layout, fill byte)
            let mut live: Vec<(*mut u8, Layout, u8)> = Vec::new();
            let check = |&(p, l, fill): &(*mut u8, Layout, u8)| {
                // SAFETY: p is a live block of l.size() bytes.
                let bytes = unsafe { std::slice::from_raw_parts(p, l.size()) };
                assert!(bytes.iter().all(|&b| b == fill), "a block was overwritten (seed {seed})");
            };
            for step in 0..4000 {
                match rng.next(10) {
                    0..=4 => {
                        let size = if rng.next(20) == 0 { 1 + rng.next(300_000) } else { 1 + rng.next(600) };
                        let align = 1 << rng.next(13);
                        let l = layout(size, align);
                        // SAFETY: non-zero size.
                        let p = unsafe { heap.alloc(l) };
                        assert!(!p.is_null());
                        assert_eq!(p as usize % align, 0, "alignment {align} (seed {seed}, step {step})");
                        let fill = (step % 251) as u8;
                        // SAFETY: a fresh block of l.size() bytes.
                        unsafe { std::ptr::write_bytes(p, fill, size) };
                        live.push((p, l, fill));
                    }
                    5..=7 if !live.is_empty() => {
                        let entry = live.swap_remove(rng.next(live.len()));
                        check(&entry);
                        // SAFETY: allocated with this layout and not freed yet.
                        unsafe { heap.dealloc(entry.0, entry.1) };
                    }
                    8..=9 if !live.is_empty() => {
                        let i = rng.next(live.len());
                        let (p, l, fill) = live[i];
                        check(&live[i]);
                        let new_size = 1 + rng.next(2 * l.size() + 64);
                        // SAFETY: allocated with l, not freed; new_size non-zero.
                        let q = unsafe { heap.realloc(p, l, new_size) };
                        assert!(!q.is_null());
                        assert_eq!(q as usize % l.align(), 0);
                        // SAFETY: q has new_size bytes; the kept prefix must be intact.
                        let kept = unsafe { std::slice::from_raw_parts(q, l.size().min(new_size)) };
                        assert!(kept.iter().all(|&b| b == fill), "realloc lost contents (seed {seed})");
                        // SAFETY: q has new_size bytes.
                        unsafe { std::ptr::write_bytes(q, fill, new_size) };
                        live[i] = (q, layout(new_size, l.align()), fill);
                    }
                    _ => {}
                }
            }
            live.iter().for_each(check);
        }
    }

    #[test]
    fn freed_blocks_are_reused_so_a_steady_load_stops_growing() {
        let arena = Arena::new(8 << 20);
        let heap = SizeClassAllocator::new(arena);
        let sizes = [24, 100, 700, 5000, 40_000];
        let round = || {
            let blocks: Vec<_> = sizes.iter().map(|&s| (unsafe { heap.alloc(layout(s, 8)) }, s)).collect();
            for (p, s) in blocks {
                assert!(!p.is_null());
                unsafe { heap.dealloc(p, layout(s, 8)) };
            }
        };
        round();
        let after_one = heap.source.used.get();
        for _ in 0..10_000 {
            round();
        }
        assert_eq!(heap.source.used.get(), after_one);
    }

    #[test]
    fn realloc_within_its_block_keeps_the_pointer() {
        let heap = SizeClassAllocator::new(Arena::new(1 << 20));
        unsafe {
            let p = heap.alloc(layout(40, 8));
            assert_eq!(heap.realloc(p, layout(40, 8), 64), p);
            let q = heap.realloc(p, layout(64, 8), 65);
            assert_ne!(q, p);
            heap.dealloc(q, layout(65, 8));
        }
    }

    #[test]
    fn running_out_of_memory_is_a_null_pointer_not_a_crash() {
        let heap = SizeClassAllocator::new(Arena::new(4 * PAGE));
        unsafe {
            assert!(heap.alloc(layout(5 * PAGE, 8)).is_null());
            assert!(!heap.alloc(layout(2 * PAGE, 8)).is_null());
            assert!(heap.alloc(layout(3 * PAGE, 8)).is_null());
            assert!(heap.alloc(layout(8, 2 * PAGE)).is_null(), "alignment above a page is refused");
            assert!(heap.alloc(layout(usize::MAX / 2, 1)).is_null());
        }
    }
}
