// `[Symbol.dispose]` (for `using`): bring that lib in, so projects whose "lib" stops at es2022
// compile without skipLibCheck (TypeScript >= 5.2).
/// <reference lib="esnext.disposable" />
// Declarations of the driver (src/wasm/driver.js): the classes and functions of the package's
// main entry, their options and the order types. The models the calls resolve to (Service,
// Balance, OrderStatus, …) are derived from the Rust types (smm_panel_sdk_types.d.ts).
import type {
  AddOrderResult, Balance, CancelResult, DripfeedStatus, DripfeedStatusItem, OrderItemError, OrderStatus, OrderStatusItem,
  RefillItemError, RefillResult, RefillStatus, Service,
} from "./smm_panel_sdk_types.js";
export type * from "./smm_panel_sdk_types.js";

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
/** The API's actions as they are named on the wire (e.g. a proxy's `allowedActions`). */
export type ActionName = "services" | "balance" | "add" | "status" | "refill" | "refill_status" | "cancel";
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

/** A client of one panel (or of your own proxy). Every method validates its arguments first: a
 * bad argument rejects with an `SmmError` (`invalid_request`, with `field`) and nothing is sent. */
export declare class SmmClient {
  /** Throws `SmmError` (`invalid_request`) for bad options. */
  constructor(options: SmmClientOptions);
  services(options?: CallOptions): Promise<Service[]>;
  balance(options?: CallOptions): Promise<Balance>;
  /** Places an order. Never retried: on an unknown outcome the error's `delivery` says so. */
  addOrder(order: NewOrder, options?: CallOptions): Promise<AddOrderResult>;
  orderStatus(id: number, options?: CallOptions): Promise<OrderStatus>;
  /** Any number of IDs, sent 100 a request; one result per ID, in input order. */
  orderStatusMany(ids: number[], options?: CallOptions): Promise<OrderStatusResult[]>;
  dripfeedStatus(id: number, options?: CallOptions): Promise<DripfeedStatus>;
  dripfeedStatusMany(ids: number[], options?: CallOptions): Promise<DripfeedStatusResult[]>;
  refill(id: number, options?: CallOptions): Promise<RefillResult>;
  refillMany(ids: number[], options?: CallOptions): Promise<RefillManyResult[]>;
  refillStatus(refillId: number, options?: CallOptions): Promise<RefillStatus>;
  refillStatusMany(refillIds: number[], options?: CallOptions): Promise<RefillStatusResult[]>;
  cancel(id: number, options?: CallOptions): Promise<CancelResult>;
  cancelMany(ids: number[], options?: CallOptions): Promise<CancelManyResult[]>;
  /** The panel's services as a `ServiceCatalog`, fetched with `services()` and cached on this
   * client for `maxAgeMs` (default five minutes). */
  catalog(options?: CatalogOptions): Promise<ServiceCatalog>;
  /** Polls the orders' statuses with the batched calls every `intervalMs` and yields each
   * change until every order is final (or `signal` aborts). Use it with `for await`, or pass
   * `onUpdate`. Throws `SmmError` at once for bad arguments. */
  watchOrders(orders: WatchTarget[], options?: WatchOptions): AsyncIterableIterator<OrderUpdate>;
  /** Releases the client now rather than when it is garbage-collected; it cannot be used after. */
  free(): void;
  /** `using client = new SmmClient(…)`: `free()` at the end of the block. */
  [Symbol.dispose](): void;
}

/** The panel's services with lookup, search, order checks and exact charge estimates. Get one
 * with `client.catalog()`; it is cached per client for `maxAgeMs`. */
export declare class ServiceCatalog {
  private constructor();
  /** Every service, in the panel's order. */
  readonly services: Service[];
  /** When this catalog was fetched (milliseconds since the epoch). */
  readonly fetchedAt: number;
  /** The service with this ID, or undefined. */
  get(id: number): Service | undefined;
  /** The categories, in the panel's order. */
  categories(): string[];
  /** The panel-spelled service types, in the panel's order (see `orderTypeOf`). */
  types(): string[];
  /** Services whose name, category or type contain every word of `query`, case-insensitive. */
  search(query: string): Service[];
  /** Throws `SmmError` (`invalid_request`, with `field`) unless `order` would be accepted by
   * `addOrder` and fits its service (type, min/max, drip-feed). Sends nothing. */
  validate(order: NewOrder): void;
  /** The exact charge of `order` as a decimal string (e.g. "0.09000"); throws like `validate`. */
  estimateCharge(order: NewOrder): string;
  /** Lets go of this object (its methods throw afterwards); the catalog's index is released once
   * no object of it is left. */
  free(): void;
  /** `using catalog = await client.catalog()`: `free()` at the end of the block. */
  [Symbol.dispose](): void;
}

/** Checks an order exactly as `addOrder` would, without sending anything: returns nothing for a
 * valid order and throws the same `SmmError` (`invalid_request`, with `field`) otherwise. */
export declare function validateOrder(order: NewOrder): void;
/** Every order type the SDK knows, with its fields and charge basis. */
export declare function orderTypes(): OrderTypeInfo[];
/** The order type (`addOrder`'s `type`) a service's panel-spelled type stands for ("Custom
 * Comments" → "custom_comments"), or undefined for a type the SDK does not know. */
export declare function orderTypeOf(service: Service | string): OrderType | undefined;
