//! `watchOrders`: runs the core `Watch`'s polling loop with the batched status calls and hands
//! each poll's updates to an async iterator (and to `onUpdate`, when given).
use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Array, Function, Promise};
use smm_panel_wire::text::join;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::AbortSignal;

use crate::core::batch;
use crate::core::call::Call;
use crate::core::error::SmmError;
use crate::core::watch::{is_transient, Watch};

use super::bindings::{promise_of, sleep};
use super::client::{CallContext, Inner};
use super::errors::to_js_error;

pub(super) struct WatchState {
    pub watch: Watch,
    pub context: Rc<CallContext>,
    pub on_update: Option<Function>,
    pub on_error: Option<Function>,
    pub polled_once: bool,
}

/// Drives one `watchOrders` call; JS sees it only through the async iterator.
#[wasm_bindgen]
pub struct OrderWatcher {
    inner: Rc<Inner>,
    state: Rc<RefCell<WatchState>>,
}

impl OrderWatcher {
    pub(super) fn new(inner: Rc<Inner>, state: WatchState) -> OrderWatcher {
        OrderWatcher { inner, state: Rc::new(RefCell::new(state)) }
    }
}

#[wasm_bindgen]
impl OrderWatcher {
    /// The next non-empty batch of updates, or undefined once every order is final or the
    /// caller's signal aborted. Rejects when the panel refuses (e.g. a wrong key).
    #[wasm_bindgen(skip_typescript)]
    pub fn poll(&self) -> Promise {
        let (inner, state) = (self.inner.clone(), self.state.clone());
        promise_of(async move {
            let key = inner.config.key.clone();
            loop {
                let (context, delay, first) = {
                    let s = state.borrow();
                    (s.context.clone(), s.watch.next_delay_ms(), !s.polled_once)
                };
                let aborted = |c: &CallContext| c.signal.as_ref().is_some_and(AbortSignal::aborted);
                if state.borrow().watch.is_done() || aborted(&context) {
                    return Ok(JsValue::UNDEFINED);
                }
                if !first {
                    let _ = JsFuture::from(sleep(delay, context.signal.clone())).await;
                    if aborted(&context) {
                        return Ok(JsValue::UNDEFINED);
                    }
                }
                state.borrow_mut().polled_once = true;
                let updates = Array::new();
                let mut failure = None;
                for (call, dripfeed) in [(Call::OrderStatusMany, false), (Call::DripfeedStatusMany, true)] {
                    let ids = {
                        let s = state.borrow();
                        if dripfeed {
                            s.watch.dripfeed_ids()
                        } else {
                            s.watch.order_ids()
                        }
                    };
                    if ids.is_empty() {
                        continue;
                    }
                    match poll_once(&inner, call, &ids, &context).await {
                        Ok(text) => {
                            let accepted = state.borrow_mut().watch.accept(&text, dripfeed);
                            match accepted.and_then(|json| parse(&json)) {
                                Ok(batch) => {
                                    for update in Array::from(&batch).iter() {
                                        updates.push(&update);
                                    }
                                }
                                Err(e) => failure = Some(e),
                            }
                        }
                        Err(e) => failure = Some(e),
                    }
                }
                if let Some(failure) = failure {
                    if !is_transient(&failure) {
                        return Err(to_js_error(failure, key.as_deref()));
                    }
                    state.borrow_mut().watch.record_failure();
                    if let Some(on_error) = state.borrow().on_error.clone() {
                        let _ = on_error.call1(&JsValue::NULL, &to_js_error(failure, key.as_deref()));
                    }
                }
                if updates.length() > 0 {
                    if let Some(on_update) = state.borrow().on_update.clone() {
                        for update in updates.iter() {
                            // A throwing callback is the caller's bug; it must not stop the watch.
                            let _ = on_update.call1(&JsValue::NULL, &update);
                        }
                    }
                    return Ok(updates.into());
                }
            }
        })
    }
}

async fn poll_once(inner: &Rc<Inner>, call: Call, ids: &[u64], context: &Rc<CallContext>) -> Result<String, SmmError> {
    let ids_json = format!("[{}]", join(&ids.iter().map(u64::to_string).collect::<Vec<_>>(), ","));
    let plan = batch::plan(call, Some(&ids_json))?;
    inner.clone().run_batch(plan, context.clone()).await
}

fn parse(json: &str) -> Result<JsValue, SmmError> {
    js_sys::JSON::parse(json).map_err(|_| SmmError::unreadable_result(crate::core::Action::Status))
}
