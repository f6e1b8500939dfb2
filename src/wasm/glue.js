// The two pieces of the wasm layer that must be JavaScript.

// A real Error subclass: `instanceof SmmError` and `instanceof Error` work and a stack is
// captured. Rust builds every instance through `newSmmError`, the one place errors reach JS.
export class SmmError extends Error {
  constructor(message, fields) {
    super(message);
    this.name = "SmmError";
    this.code = fields.code;
    this.delivery = fields.delivery;
    this.action = fields.action;
    this.field = fields.field;
    this.status = fields.status;
    this.apiMessage = fields.apiMessage;
  }
}

export function smmErrorClass() {
  return SmmError;
}

export function newSmmError(message, code, delivery, action, field, status, apiMessage) {
  return new SmmError(message, { code, delivery, action, field, status, apiMessage });
}

// Caller input crosses into Rust as JSON text: one crossing instead of one per field. JSON
// cannot say NaN, Infinity or BigInt (and JSON.stringify throws on BigInt and cycles), so those
// become a tagged object that the core's validation names in its message.
function replaceUnrepresentable(_key, value) {
  switch (typeof value) {
    case "number":
      return Number.isFinite(value) ? value : { __smm_unrepresentable: String(value) };
    case "bigint":
      return { __smm_unrepresentable: `${value}n` };
    case "function":
    case "symbol":
      return { __smm_unrepresentable: typeof value };
    default:
      return value;
  }
}

export function toWireJson(value) {
  if (value === undefined) return undefined;
  try {
    return JSON.stringify(value, replaceUnrepresentable);
  } catch {
    return '{"__smm_unrepresentable":"a value that cannot be serialised"}';
  }
}
