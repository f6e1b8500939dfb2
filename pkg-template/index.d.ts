// Public types. SmmClient, its options and the order types are declared with the driver
// (smm_panel_sdk.d.ts, from src/wasm/driver.d.ts); the models are derived from the Rust types by
// tsify (smm_panel_sdk_types.d.ts). This file adds the error class and re-exports.
export { SmmClient, validateOrder, orderTypeOf, orderTypes, ServiceCatalog } from "./smm_panel_sdk.js";
export type * from "./smm_panel_sdk.js";
import type {
  CancelManyResult, DripfeedStatusResult, OrderStatusResult, RefillManyResult, RefillStatusResult,
} from "./smm_panel_sdk.js";

/** Why an ID of a failed `…Many` call has no answer (see `SmmError.results`). */
interface UnansweredFields {
  /** The failed request's error message, or that the request was never sent. */
  error: string;
  /** The failed request's own code; for a request never sent, the call's (`SmmError.code`). */
  code: SmmError["code"];
  /** "not_sent": the request never left, sending this ID again is safe; "unknown": the panel may
   * have acted (check before repeating a refill or cancel); "received": the panel answered. */
  delivery: SmmError["delivery"];
}
/** An entry of `SmmError.results` for an order ID whose request got no answer. */
export type UnansweredOrder = { order: number } & UnansweredFields;
/** An entry of `SmmError.results` of `refillStatusMany` for a refill ID whose request got no answer. */
export type UnansweredRefill = { refill: number } & UnansweredFields;
/** An element of `SmmError.results`: the call's own result type, or an unanswered entry (it has `delivery`). */
export type ManyCallResult = OrderStatusResult | DripfeedStatusResult | RefillManyResult | RefillStatusResult
  | CancelManyResult | UnansweredOrder | UnansweredRefill;

/** Every rejection and every thrown error of the SDK. */
export declare class SmmError extends Error {
  readonly name: "SmmError";
  /** What went wrong, machine-readable. */
  readonly code: "invalid_request" | "api" | "http" | "network" | "timeout" | "aborted" | "decode";
  /** Whether the panel may have acted: "unknown" means do not blindly retry a write. A write
   * (add, refill, cancel) answered with anything but a readable result or the panel's refusal
   * (an empty body, HTML, a cut-off or odd answer, a redirect) is "unknown", whatever the status. */
  readonly delivery: "not_sent" | "unknown" | "received";
  /** The API action ("add", "status", ...), when the error belongs to one. */
  readonly action?: string;
  /** For invalid_request: the offending field or option. */
  readonly field?: string;
  /** The HTTP status, when the panel answered. */
  readonly status?: number;
  /** The panel's own error text, for code "api". */
  readonly apiMessage?: string;
  /**
   * Only when a `…Many` call fails after sending: one entry per ID given, in input order (a
   * repeated ID at each position) — what every request that finished answered, as the call would
   * have resolved, and for the IDs of the request(s) that failed or were never sent an entry with
   * `error`, `code` and `delivery`. After `refillMany`, the refill IDs the panel created are here.
   */
  readonly results?: ManyCallResult[];
}

/**
 * True when `value` is an SmmError from any copy of this package, including another installed
 * version (where `instanceof SmmError` is false because each copy has its own class).
 */
export declare function isSmmError(value: unknown): value is SmmError;
