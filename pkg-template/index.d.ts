// wasm-bindgen declares SmmClient[Symbol.dispose] (for `using`): bring that lib in, so projects
// whose "lib" stops at es2022 compile without skipLibCheck (TypeScript >= 5.2).
/// <reference lib="esnext.disposable" />
// Public types. SmmClient, its options and every model are generated from the Rust types by
// wasm-bindgen and tsify (smm_panel_sdk.d.ts); this file adds the error class and re-exports.
export { SmmClient, validateOrder, orderTypeOf, createProxy, ServiceCatalog } from "./smm_panel_sdk.js";
export type * from "./smm_panel_sdk.js";

/** Every rejection and every thrown error of the SDK. */
export declare class SmmError extends Error {
  readonly name: "SmmError";
  /** What went wrong, machine-readable. */
  readonly code: "invalid_request" | "api" | "http" | "network" | "timeout" | "aborted" | "decode";
  /** Whether the panel may have acted: "unknown" means do not blindly retry a write. */
  readonly delivery: "not_sent" | "unknown" | "received";
  /** The API action ("add", "status", ...), when the error belongs to one. */
  readonly action?: string;
  /** For invalid_request: the offending field or option. */
  readonly field?: string;
  /** The HTTP status, when the panel answered. */
  readonly status?: number;
  /** The panel's own error text, for code "api". */
  readonly apiMessage?: string;
}

/**
 * True when `value` is an SmmError from any copy of this package, including another installed
 * version (where `instanceof SmmError` is false because each copy has its own class).
 */
export declare function isSmmError(value: unknown): value is SmmError;
