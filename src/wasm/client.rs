//! `SmmClient`: each method validates through the core, exchanges through `transport`, retries
//! as the core's policy says, and hands the core's JSON answer to `JSON.parse`.
use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Array, Function, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::AbortSignal;

use crate::core::action::Action;
use crate::core::batch::{self, BatchPlan};
use crate::core::call::Call;
use crate::core::catalog::{self, Catalog};
use crate::core::config::{CallOptions, ClientConfig};
use crate::core::error::SmmError;
use crate::core::order::OrderType;
use crate::core::request;
use crate::core::retry::RetryPolicy;
use crate::core::watch::Watch;

use super::bindings::{drain_updates, global_fetch, promise_of, sleep, to_wire_json, updates_iterator};
use super::catalog::{CatalogData, ServiceCatalog};
use super::errors::to_js_error;
use super::transport::{exchange, Answer, Exchange};
use super::watch::{OrderWatcher, WatchState};

/// Answers larger than this are refused rather than buffered: a real catalog of 50,000 services
/// is ~10 MB, and a broken panel streaming forever must not exhaust memory.
const MAX_BODY_BYTES: usize = 32 * 1024 * 1024;

#[wasm_bindgen(typescript_custom_section)]
const CLIENT_TYPES: &str = r#"
/** Options of `new SmmClient(...)`. */
export interface SmmClientOptions {
  /** The panel's API URL (e.g. "https://panel.example/api/v2"), or the URL of your own proxy. */
  apiUrl: string;
  /** The API key. Omit it when apiUrl is a proxy that adds the key server-side. */
  key?: string;
  /** Per-request timeout in milliseconds (1..600000). Default 30000. */
  timeoutMs?: number;
  /** Retries for read-only actions (services, balance, status, refill_status). Default 2. */
  maxRetries?: number;
  /** Requests in flight for the batched *Many calls (1..32). Default 4. */
  concurrency?: number;
  /** Allow a plain http: URL that is not localhost (the key would travel unencrypted). */
  allowHttp?: boolean;
  /** A fetch implementation to use instead of the global fetch. */
  fetch?: typeof fetch;
}
/** A default order (`type` may be omitted); drip-fed when `runs` and `interval` are both given. */
export interface DefaultOrder { type?: "default"; service: number; link: string; quantity: number;
  /** Drip-feed: number of runs (with `interval`). */ runs?: number;
  /** Drip-feed: minutes between runs (with `runs`); sent as both `interval` and `intervals`. */ interval?: number }
export interface SeoOrder { type: "seo"; service: number; link: string; quantity: number; keywords: string[] }
/** Quantity is the number of comments (one per line); it is not sent. */
export interface CustomCommentsOrder { type: "custom_comments"; service: number; link: string; comments: string[] }
export interface CustomCommentsPackageOrder { type: "custom_comments_package"; service: number; link: string; comments: string[] }
export interface MentionsWithHashtagsOrder { type: "mentions_with_hashtags"; service: number; link: string; quantity: number; usernames: string[]; hashtags: string[] }
/** Quantity is the number of usernames; it is not sent. */
export interface MentionsCustomListOrder { type: "mentions_custom_list"; service: number; link: string; usernames: string[] }
export interface MentionsHashtagOrder { type: "mentions_hashtag"; service: number; link: string; quantity: number; hashtag: string }
export interface MentionsUserFollowersOrder { type: "mentions_user_followers"; service: number; link: string; quantity: number; username: string }
export interface MentionsMediaLikersOrder { type: "mentions_media_likers"; service: number; link: string; quantity: number; media: string }
export interface MentionsOrder { type: "mentions"; service: number; link: string; quantity: number; usernames: string[] }
/** Priced per order. */
export interface PackageOrder { type: "package"; service: number; link: string }
export interface CommentLikesOrder { type: "comment_likes"; service: number; link: string; quantity: number; username: string }
export interface CommentRepliesOrder { type: "comment_replies"; service: number; link: string; username: string; comments: string[] }
export interface PollOrder { type: "poll"; service: number; link: string; quantity: number; answer_number: number }
export interface InvitesFromGroupsOrder { type: "invites_from_groups"; service: number; link: string; quantity: number; groups: string[] }
/** No link and no quantity: new posts of `username` get min..max each. */
export interface SubscriptionsOrder { type: "subscriptions"; service: number; username: string; min: number; max: number;
  posts?: number; old_posts?: number;
  /** Minutes before each delivery starts (0–600; panels accept a set such as 0, 5, 10, 15, 30, 60, 90…). */ delay: number;
  /** "YYYY-MM-DD" or a Date (its local calendar day); sent as d/m/Y. */ expiry?: string | Date }
interface WebTrafficBase { type: "web_traffic"; service: number; link: string; quantity: number; runs?: number; interval?: number;
  country: string; device: 1 | 2 | 3 | 4 | 5 }
/** type_of_traffic: 1 Google keyword (needs google_keyword), 2 custom referrer (needs referring_url), 3 blank. */
export type WebTrafficOrder =
  | (WebTrafficBase & { type_of_traffic: 1; google_keyword: string; referring_url?: never })
  | (WebTrafficBase & { type_of_traffic: 2; referring_url: string; google_keyword?: never })
  | (WebTrafficBase & { type_of_traffic: 3; google_keyword?: never; referring_url?: never });
/** The argument of `addOrder`: one order, its `type` selecting the fields (not sent to the panel). */
export type NewOrder = DefaultOrder | SeoOrder | CustomCommentsOrder | CustomCommentsPackageOrder | MentionsWithHashtagsOrder
  | MentionsCustomListOrder | MentionsHashtagOrder | MentionsUserFollowersOrder | MentionsMediaLikersOrder | MentionsOrder
  | PackageOrder | CommentLikesOrder | CommentRepliesOrder | PollOrder | InvitesFromGroupsOrder | SubscriptionsOrder | WebTrafficOrder;
/** The order type names. */
export type OrderType = NonNullable<NewOrder["type"]>;
/** One order type as the SDK knows it (`orderTypes()`): its fields in form order (besides
 * `service`), how each is checked, and what its charge is computed from. */
export interface OrderTypeInfo {
  type: OrderType;
  fields: { name: string; required: boolean; value: "link" | "text" | "list" | "count" | "range" | "date"; min?: number; max?: number }[];
  /** Per 1000 of `count` (quantity, or the lines of a list), per order, or per post delivered later. */
  charge: { per: "thousand"; count: string } | { per: "package" } | { per: "post" };
  /** Whether `runs` and `interval` (drip-feed) are among its fields. */
  dripfeed: boolean;
}
/** An element of orderStatusMany's result, in the order of the IDs given. */
export type OrderStatusResult = OrderStatusItem | OrderItemError;
/** An element of dripfeedStatusMany's result. */
export type DripfeedStatusResult = DripfeedStatusItem | OrderItemError;
/** An element of refillMany's result. */
export type RefillManyResult = RefillResult | OrderItemError;
/** An element of refillStatusMany's result. */
export type RefillStatusResult = RefillStatus | RefillItemError;
/** An element of cancelMany's result. */
export type CancelManyResult = CancelResult | OrderItemError;
/** Options of `client.catalog()`: the per-call options and how old a cached catalog may be. */
export interface CatalogOptions extends CallOptions {
  /** Reuse this client's catalog if it was fetched less than this long ago (default 300000; 0 refetches). */
  maxAgeMs?: number;
}
/** An order for `watchOrders`: its ID, or the ID with what progress is measured against. */
export type WatchTarget = number | { order: number; quantity?: number; dripfeed?: false }
  | { order: number; dripfeed: true; runs?: number };
/** Options of `client.watchOrders()`. */
export interface WatchOptions extends CallOptions {
  /** Milliseconds between polls (default 10000); after failures it grows, never shrinks. */
  intervalMs?: number;
  /** Called with every update; polling then starts at once (do not also iterate). */
  onUpdate?: (update: OrderUpdate) => void;
  /** Called when a poll fails and will be retried later (outage, timeout, garbled answer). */
  onError?: (error: Error) => void;
}
/** A change of one watched order. `final` is true once it will not change again. */
export type OrderUpdate =
  | { order: number; status: string; charge: string | null; start_count: number | null; remains: number | null;
      currency: string | null; /** 0..1 when the quantity is known */ progress: number | null; final: boolean; dripfeed?: undefined; error?: undefined }
  | { order: number; status: string; dripfeed: true; /** the runs started so far */ orders: number[];
      /** runs started / runs, when runs is known */ progress: number | null; final: boolean; error?: undefined }
  | { order: number; error: string; final: true; status?: undefined };
/** The optional last argument of every method. */
export interface CallOptions {
  signal?: AbortSignal;
  /** Overrides the client's timeoutMs for this call. */
  timeoutMs?: number;
}
"#;

#[wasm_bindgen]
extern "C" {
    /// The optional `{ signal, timeoutMs }` argument; a named type so the declaration reads
    /// `options?: CallOptions` (it is read as a plain JS value).
    #[wasm_bindgen(typescript_type = "CallOptions")]
    pub type CallOptionsArg;
    #[wasm_bindgen(typescript_type = "CatalogOptions")]
    pub type CatalogOptionsArg;
    #[wasm_bindgen(typescript_type = "WatchOptions")]
    pub type WatchOptionsArg;
}

pub(super) struct Inner {
    pub(super) config: ClientConfig,
    fetch: Option<Function>,
    retry: RetryPolicy,
    /// The last catalog fetched, shared by every `catalog()` call while fresh.
    catalog: RefCell<Option<Rc<CatalogData>>>,
}

/// What one method call sends: one request, or a batch of chunks.
enum Job {
    Single(request::Prepared),
    Many(BatchPlan),
}

/// Per-call context: the caller's signal and the effective timeout.
pub(super) struct CallContext {
    pub(super) signal: Option<AbortSignal>,
    pub(super) timeout_ms: u32,
}

#[wasm_bindgen]
pub struct SmmClient {
    inner: Rc<Inner>,
}

#[wasm_bindgen]
impl SmmClient {
    #[wasm_bindgen(constructor)]
    pub fn new(#[wasm_bindgen(unchecked_param_type = "SmmClientOptions")] options: JsValue) -> Result<SmmClient, JsValue> {
        let config = ClientConfig::from_json(to_wire_json(&options).as_deref()).map_err(|e| to_js_error(e, None))?;
        let key = config.key.clone();
        let fetch = optional_member(&options, "fetch")
            .map(|f| f.dyn_into::<Function>().map_err(|_| SmmError::invalid("fetch", "fetch must be a function".into())))
            .transpose()
            .map_err(|e| to_js_error(e, key.as_deref()))?;
        let retry = RetryPolicy::new(config.max_retries);
        Ok(SmmClient { inner: Rc::new(Inner { config, fetch, retry, catalog: RefCell::new(None) }) })
    }

    #[wasm_bindgen(unchecked_return_type = "Promise<Service[]>")]
    pub fn services(&self, options: Option<CallOptionsArg>) -> Promise {
        self.single(Call::Services, None, options)
    }

    #[wasm_bindgen(unchecked_return_type = "Promise<Balance>")]
    pub fn balance(&self, options: Option<CallOptionsArg>) -> Promise {
        self.single(Call::Balance, None, options)
    }

    #[wasm_bindgen(js_name = addOrder, unchecked_return_type = "Promise<AddOrderResult>")]
    pub fn add_order(&self, #[wasm_bindgen(unchecked_param_type = "NewOrder")] order: JsValue, options: Option<CallOptionsArg>) -> Promise {
        self.single(Call::AddOrder, Some(order), options)
    }

    #[wasm_bindgen(js_name = orderStatus, unchecked_return_type = "Promise<OrderStatus>")]
    pub fn order_status(&self, #[wasm_bindgen(unchecked_param_type = "number")] id: JsValue, options: Option<CallOptionsArg>) -> Promise {
        self.single(Call::OrderStatus, Some(id), options)
    }

    #[wasm_bindgen(js_name = orderStatusMany, unchecked_return_type = "Promise<OrderStatusResult[]>")]
    pub fn order_status_many(
        &self,
        #[wasm_bindgen(unchecked_param_type = "number[]")] ids: JsValue,
        options: Option<CallOptionsArg>,
    ) -> Promise {
        self.many(Call::OrderStatusMany, ids, options)
    }

    #[wasm_bindgen(js_name = dripfeedStatus, unchecked_return_type = "Promise<DripfeedStatus>")]
    pub fn dripfeed_status(
        &self,
        #[wasm_bindgen(unchecked_param_type = "number")] id: JsValue,
        options: Option<CallOptionsArg>,
    ) -> Promise {
        self.single(Call::DripfeedStatus, Some(id), options)
    }

    #[wasm_bindgen(js_name = dripfeedStatusMany, unchecked_return_type = "Promise<DripfeedStatusResult[]>")]
    pub fn dripfeed_status_many(
        &self,
        #[wasm_bindgen(unchecked_param_type = "number[]")] ids: JsValue,
        options: Option<CallOptionsArg>,
    ) -> Promise {
        self.many(Call::DripfeedStatusMany, ids, options)
    }

    #[wasm_bindgen(unchecked_return_type = "Promise<RefillResult>")]
    pub fn refill(&self, #[wasm_bindgen(unchecked_param_type = "number")] id: JsValue, options: Option<CallOptionsArg>) -> Promise {
        self.single(Call::Refill, Some(id), options)
    }

    #[wasm_bindgen(js_name = refillMany, unchecked_return_type = "Promise<RefillManyResult[]>")]
    pub fn refill_many(&self, #[wasm_bindgen(unchecked_param_type = "number[]")] ids: JsValue, options: Option<CallOptionsArg>) -> Promise {
        self.many(Call::RefillMany, ids, options)
    }

    #[wasm_bindgen(js_name = refillStatus, unchecked_return_type = "Promise<RefillStatus>")]
    pub fn refill_status(
        &self,
        #[wasm_bindgen(js_name = refillId, unchecked_param_type = "number")] refill_id: JsValue,
        options: Option<CallOptionsArg>,
    ) -> Promise {
        self.single(Call::RefillStatus, Some(refill_id), options)
    }

    #[wasm_bindgen(js_name = refillStatusMany, unchecked_return_type = "Promise<RefillStatusResult[]>")]
    pub fn refill_status_many(
        &self,
        #[wasm_bindgen(js_name = refillIds, unchecked_param_type = "number[]")] refill_ids: JsValue,
        options: Option<CallOptionsArg>,
    ) -> Promise {
        self.many(Call::RefillStatusMany, refill_ids, options)
    }

    #[wasm_bindgen(unchecked_return_type = "Promise<CancelResult>")]
    pub fn cancel(&self, #[wasm_bindgen(unchecked_param_type = "number")] id: JsValue, options: Option<CallOptionsArg>) -> Promise {
        self.single(Call::Cancel, Some(id), options)
    }

    #[wasm_bindgen(js_name = cancelMany, unchecked_return_type = "Promise<CancelManyResult[]>")]
    pub fn cancel_many(&self, #[wasm_bindgen(unchecked_param_type = "number[]")] ids: JsValue, options: Option<CallOptionsArg>) -> Promise {
        self.many(Call::CancelMany, ids, options)
    }
}

#[wasm_bindgen]
impl SmmClient {
    /// The panel's services as a `ServiceCatalog`, fetched with `services()` and cached on this
    /// client for `maxAgeMs` (default five minutes).
    #[wasm_bindgen(unchecked_return_type = "Promise<ServiceCatalog>")]
    pub fn catalog(&self, options: Option<CatalogOptionsArg>) -> Promise {
        let key = self.key();
        let options: Option<JsValue> = options.map(Into::into);
        let setup = catalog::max_age_ms(options.as_ref().and_then(to_wire_json).as_deref())
            .and_then(|max_age| Ok((max_age, self.call_context(options.clone().map(JsCast::unchecked_into))?)))
            .and_then(|(max_age, context)| Ok((max_age, context, request::prepare(Call::Services, None)?)));
        let (max_age, context, prepared) = match setup {
            Ok(ready) => ready,
            Err(error) => return Promise::reject(&to_js_error(error, key.as_deref())),
        };
        let now = js_sys::Date::now();
        if let Some(cached) = self.inner.catalog.borrow().as_ref() {
            if catalog::is_fresh(cached.fetched_at_ms, now, max_age) {
                let catalog: JsValue = ServiceCatalog::new(cached.clone()).into();
                return Promise::resolve(&catalog);
            }
        }
        let inner = self.inner.clone();
        promise_of(async move {
            let fetched = async {
                let text = inner.call_text(&prepared, &context).await?;
                let core = Catalog::from_services_json(&text)?;
                let services = Array::from(&parse_json(Action::Services, &text)?);
                Ok::<_, SmmError>(Rc::new(CatalogData { core, services, fetched_at_ms: js_sys::Date::now() }))
            };
            let data = fetched.await.map_err(|e| to_js_error(e, key.as_deref()))?;
            *inner.catalog.borrow_mut() = Some(data.clone());
            Ok(ServiceCatalog::new(data).into())
        })
    }

    /// Polls the orders' statuses with the batched calls every `intervalMs` and yields each
    /// change until every order is final (or `signal` aborts). Use it with `for await`, or pass
    /// `onUpdate`. Throws `SmmError` at once for bad arguments.
    #[wasm_bindgen(js_name = watchOrders, unchecked_return_type = "AsyncIterableIterator<OrderUpdate>")]
    pub fn watch_orders(
        &self,
        #[wasm_bindgen(unchecked_param_type = "WatchTarget[]")] orders: JsValue,
        options: Option<WatchOptionsArg>,
    ) -> Result<JsValue, JsValue> {
        let key = self.key();
        let options: Option<JsValue> = options.map(Into::into);
        let callback = |name: &str| -> Result<Option<Function>, SmmError> {
            options
                .as_ref()
                .and_then(|o| optional_member(o, name))
                .map(|f| f.dyn_into::<Function>().map_err(|_| SmmError::invalid(name, format!("{name} must be a function"))))
                .transpose()
        };
        let setup = Watch::new(to_wire_json(&orders).as_deref(), options.as_ref().and_then(to_wire_json).as_deref())
            .and_then(|watch| Ok((watch, self.call_context(options.clone().map(JsCast::unchecked_into))?)))
            .and_then(|(watch, context)| Ok((watch, context, callback("onUpdate")?, callback("onError")?)));
        let (watch, context, on_update, on_error) = setup.map_err(|e| to_js_error(e, key.as_deref()))?;
        let drive = on_update.is_some();
        let watcher =
            OrderWatcher::new(self.inner.clone(), WatchState { watch, context: Rc::new(context), on_update, on_error, polled_once: false });
        let iterator = updates_iterator(watcher.into());
        if drive {
            drain_updates(&iterator);
        }
        Ok(iterator)
    }
}

impl SmmClient {
    fn key(&self) -> Option<String> {
        self.inner.config.key.clone()
    }

    fn single(&self, call: Call, arg: Option<JsValue>, options: Option<CallOptionsArg>) -> Promise {
        self.start(self.call_context(options).and_then(|context| {
            let arg_json = arg.as_ref().and_then(to_wire_json);
            Ok((Job::Single(request::prepare(call, arg_json.as_deref())?), context))
        }))
    }

    fn many(&self, call: Call, ids: JsValue, options: Option<CallOptionsArg>) -> Promise {
        self.start(
            self.call_context(options).and_then(|context| Ok((Job::Many(batch::plan(call, to_wire_json(&ids).as_deref())?), context))),
        )
    }

    /// Rejects at once when the arguments were refused; otherwise runs the job and resolves to
    /// the core's answer, parsed.
    fn start(&self, ready: Result<(Job, CallContext), SmmError>) -> Promise {
        let key = self.key();
        let (job, context) = match ready {
            Ok(ready) => ready,
            Err(error) => return Promise::reject(&to_js_error(error, key.as_deref())),
        };
        let inner = self.inner.clone();
        promise_of(async move {
            let (action, answer) = match job {
                Job::Single(prepared) => (prepared.action(), inner.call_text(&prepared, &context).await),
                Job::Many(plan) => (plan.call().action(), inner.clone().run_batch(plan, Rc::new(context)).await),
            };
            answer.and_then(|json| parse_json(action, &json)).map_err(|e| to_js_error(e, key.as_deref()))
        })
    }

    fn call_context(&self, options: Option<CallOptionsArg>) -> Result<CallContext, SmmError> {
        let options = options.map(JsValue::from).filter(|o| !o.is_undefined() && !o.is_null());
        let parsed = CallOptions::from_json(options.as_ref().and_then(to_wire_json).as_deref())?;
        let signal = match options.as_ref().and_then(|o| optional_member(o, "signal")) {
            None => None,
            Some(value) if value.is_instance_of::<AbortSignal>() || looks_like_signal(&value) => {
                Some(value.unchecked_into::<AbortSignal>())
            }
            Some(_) => return Err(SmmError::invalid("signal", "signal must be an AbortSignal".into())),
        };
        Ok(CallContext { signal, timeout_ms: parsed.timeout_ms.unwrap_or(self.inner.config.timeout_ms) })
    }
}

impl Inner {
    /// One call's answer as the core's JSON text (retries included).
    pub(super) async fn call_text(&self, prepared: &request::Prepared, context: &CallContext) -> Result<String, SmmError> {
        let form_body = prepared.form_body(self.config.key.as_deref());
        self.exchange_with_retries(prepared.action(), form_body, context, &mut |answer| {
            prepared.interpret(answer.status, answer.retry_after.as_deref(), &answer.body)
        })
        .await
    }

    /// Sends one request, retrying as the core's policy allows (never for writes), and returns
    /// what `interpret` makes of the first acceptable answer.
    /// Not generic, and `interpret` is a trait object: every caller shares one copy of this
    /// state machine in the .wasm instead of inlining its own.
    async fn exchange_with_retries(
        &self,
        action: Action,
        form_body: String,
        context: &CallContext,
        interpret: &mut dyn FnMut(&Answer) -> Result<String, SmmError>,
    ) -> Result<String, SmmError> {
        let fetch = match self.fetch.clone().or_else(global_fetch) {
            Some(fetch) => fetch,
            None => return Err(SmmError::invalid("fetch", "no global fetch in this runtime: pass the fetch option".into())),
        };
        let mut attempts_made = 0;
        loop {
            attempts_made += 1;
            let outcome = exchange(Exchange {
                fetch: &fetch,
                url: &self.config.api_url,
                form_body: form_body.clone(),
                action,
                timeout_ms: context.timeout_ms,
                signal: context.signal.as_ref(),
                max_body_bytes: MAX_BODY_BYTES,
            })
            .await
            .and_then(|answer| interpret(&answer));
            let failure = match outcome {
                Ok(value) => return Ok(value),
                Err(failure) => failure,
            };
            let Some(delay_ms) = self.retry.delay_before_retry(action, attempts_made, &failure, js_sys::Math::random()) else {
                return Err(failure);
            };
            let _ = JsFuture::from(sleep(delay_ms, context.signal.clone())).await;
            if context.signal.as_ref().is_some_and(AbortSignal::aborted) {
                return Err(SmmError::aborted(action, true));
            }
        }
    }

    /// Runs a plan's chunks with at most `concurrency` in flight, telling the plan how each one
    /// ended; the plan decides what to start next and what the call answers (see `BatchPlan`).
    pub(super) async fn run_batch(self: Rc<Self>, plan: BatchPlan, context: Rc<CallContext>) -> Result<String, SmmError> {
        let worker_count = (self.config.concurrency as usize).clamp(1, plan.chunks().len().max(1));
        // In an Option so the finished plan can be taken out whatever the executor still holds.
        let plan = Rc::new(RefCell::new(Some(plan)));
        let workers = Array::new();
        for _ in 0..worker_count {
            let (inner, plan, context) = (self.clone(), plan.clone(), context.clone());
            workers.push(&promise_of(async move {
                loop {
                    let next = {
                        let mut plan = plan.borrow_mut();
                        plan.as_mut().and_then(|p| {
                            let index = p.next_chunk()?;
                            let chunk = p.chunks().get(index)?;
                            Some((index, chunk.action(), chunk.form_body(inner.config.key.as_deref())))
                        })
                    };
                    let Some((index, action, form_body)) = next else { break };
                    let accepted = inner
                        .exchange_with_retries(action, form_body, &context, &mut |answer| {
                            match plan.borrow_mut().as_mut() {
                                Some(plan) => plan.accept(index, answer.status, answer.retry_after.as_deref(), &answer.body),
                                None => Ok(()),
                            }
                            .map(|()| String::new())
                        })
                        .await;
                    if let (Err(failure), Some(plan)) = (accepted, plan.borrow_mut().as_mut()) {
                        plan.fail(index, failure);
                    }
                }
                Ok(JsValue::UNDEFINED)
            }));
        }
        let _ = JsFuture::from(Promise::all(&workers)).await;
        let finished = plan.borrow_mut().take();
        match finished {
            Some(plan) => plan.finish(),
            None => Ok("[]".to_owned()),
        }
    }
}

fn parse_json(action: Action, text: &str) -> Result<JsValue, SmmError> {
    js_sys::JSON::parse(text).map_err(|_| SmmError::unreadable_result(action))
}

/// `options[name]`, or None when options is not an object or the member is undefined/null.
fn optional_member(options: &JsValue, name: &str) -> Option<JsValue> {
    if !options.is_object() {
        return None;
    }
    Reflect::get(options, &JsValue::from_str(name)).ok().filter(|v| !v.is_undefined() && !v.is_null())
}

/// Signals from another realm (an iframe, a Node polyfill) fail `instanceof`; accept anything
/// shaped like one.
fn looks_like_signal(value: &JsValue) -> bool {
    value.is_object()
        && Reflect::get(value, &"aborted".into()).map(|a| a.as_bool().is_some()).unwrap_or(false)
        && Reflect::get(value, &"addEventListener".into()).map(|f| f.is_function()).unwrap_or(false)
}

/// Checks an order exactly as `addOrder` would, without sending anything: returns nothing for a
/// valid order and throws the same `SmmError` (`invalid_request`, with `field`) otherwise. Lets a
/// form validate as the user types with the SDK's own messages.
#[wasm_bindgen(js_name = validateOrder)]
pub fn validate_order(#[wasm_bindgen(unchecked_param_type = "NewOrder")] order: JsValue) -> Result<(), JsValue> {
    request::prepare(Call::AddOrder, to_wire_json(&order).as_deref()).map(|_| ()).map_err(|e| to_js_error(e, None))
}

/// Every order type the SDK knows, with its fields and charge basis: the one table validation
/// and encoding use, for forms that show each type's fields.
#[wasm_bindgen(js_name = orderTypes, unchecked_return_type = "OrderTypeInfo[]")]
pub fn order_types() -> JsValue {
    js_sys::JSON::parse(&crate::core::order::order_types_json()).unwrap_or(JsValue::UNDEFINED)
}

/// The order type (`addOrder`'s `type`) a service's panel-spelled type stands for ("Custom
/// Comments" → "custom_comments"), or undefined for a type the SDK does not know.
#[wasm_bindgen(js_name = orderTypeOf, unchecked_return_type = "OrderType | undefined")]
pub fn order_type_of(#[wasm_bindgen(unchecked_param_type = "Service | string")] service: JsValue) -> JsValue {
    let panel_type = service.as_string().or_else(|| optional_member(&service, "type").and_then(|t| t.as_string()));
    panel_type.and_then(|t| OrderType::of_service_type(&t)).map_or(JsValue::UNDEFINED, |t| JsValue::from_str(t.name()))
}
