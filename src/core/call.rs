//! Every call the SDK makes, one row each: its JS method, the wire action, what it takes, the
//! form fields it sends and how its answers name their items. Preparing a request, encoding it,
//! reading a batch's answer and checking what a proxy forwards all read these rows, so adding a
//! call is one row (plus its decoder in `decode` and its tests).

/// The API actions as they are named on the wire; each row of `CALLS` names one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    Services,
    Balance,
    Add,
    Status,
    Refill,
    RefillStatus,
    Cancel,
}

impl Action {
    pub fn wire_name(self) -> &'static str {
        match self {
            Action::Services => "services",
            Action::Balance => "balance",
            Action::Add => "add",
            Action::Status => "status",
            Action::Refill => "refill",
            Action::RefillStatus => "refill_status",
            Action::Cancel => "cancel",
        }
    }

    pub const ALL: [Action; 7] =
        [Action::Services, Action::Balance, Action::Add, Action::Status, Action::Refill, Action::RefillStatus, Action::Cancel];

    pub fn from_wire_name(name: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.wire_name() == name)
    }

    /// Actions that change something at the panel (and may cost money): never sent twice by the
    /// SDK on its own, because the API has no idempotency key.
    pub fn is_write(self) -> bool {
        matches!(self, Action::Add | Action::Refill | Action::Cancel)
    }
}

/// The calls, in the order of `CALLS` (checked when compiling: `Call::spec` indexes the table).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Call {
    Services,
    Balance,
    AddOrder,
    OrderStatus,
    DripfeedStatus,
    Refill,
    RefillStatus,
    Cancel,
    OrderStatusMany,
    DripfeedStatusMany,
    RefillMany,
    RefillStatusMany,
    CancelMany,
}

/// What a call takes besides its options.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arg {
    Nothing,
    /// One order object (`addOrder`).
    Order,
    /// One positive ID, sent as `id_field`.
    Id,
    /// An array of IDs, deduplicated and sent comma-separated as `id_field`, at most 100 a
    /// request (see `batch`).
    Ids,
}

/// One call.
#[derive(Debug)]
pub struct CallSpec {
    pub call: Call,
    /// The method of `SmmClient` that makes it.
    pub method: &'static str,
    pub action: Action,
    pub arg: Arg,
    /// The form field of the ID or the IDs (`order`, `orders`, `refill`, `refills`), or "".
    pub id_field: &'static str,
    /// A field sent after the IDs, always the same value (`type=dripfeed`).
    pub fixed: Option<(&'static str, &'static str)>,
    /// For `Ids` calls: what answers call each item's ID (`order`, `refill`).
    pub item_id: &'static str,
    /// For `Ids` calls: a key only a single item's answer has, to tell one item from a map of
    /// items keyed by ID.
    pub payload_key: &'static str,
}

const fn row(call: Call, method: &'static str, action: Action, arg: Arg, id_field: &'static str) -> CallSpec {
    CallSpec { call, method, action, arg, id_field, fixed: None, item_id: "", payload_key: "" }
}

const fn many(
    call: Call,
    method: &'static str,
    action: Action,
    id_field: &'static str,
    item_id: &'static str,
    payload_key: &'static str,
) -> CallSpec {
    CallSpec { call, method, action, arg: Arg::Ids, id_field, fixed: None, item_id, payload_key }
}

const DRIPFEED: Option<(&str, &str)> = Some(("type", "dripfeed"));

pub const CALLS: [CallSpec; 13] = [
    row(Call::Services, "services", Action::Services, Arg::Nothing, ""),
    row(Call::Balance, "balance", Action::Balance, Arg::Nothing, ""),
    row(Call::AddOrder, "addOrder", Action::Add, Arg::Order, ""),
    row(Call::OrderStatus, "orderStatus", Action::Status, Arg::Id, "order"),
    CallSpec { fixed: DRIPFEED, ..row(Call::DripfeedStatus, "dripfeedStatus", Action::Status, Arg::Id, "order") },
    row(Call::Refill, "refill", Action::Refill, Arg::Id, "order"),
    row(Call::RefillStatus, "refillStatus", Action::RefillStatus, Arg::Id, "refill"),
    row(Call::Cancel, "cancel", Action::Cancel, Arg::Id, "order"),
    many(Call::OrderStatusMany, "orderStatusMany", Action::Status, "orders", "order", "status"),
    CallSpec { fixed: DRIPFEED, ..many(Call::DripfeedStatusMany, "dripfeedStatusMany", Action::Status, "orders", "order", "orders") },
    many(Call::RefillMany, "refillMany", Action::Refill, "orders", "order", "refill"),
    many(Call::RefillStatusMany, "refillStatusMany", Action::RefillStatus, "refills", "refill", "status"),
    many(Call::CancelMany, "cancelMany", Action::Cancel, "orders", "order", "cancel"),
];

// Every action once in `Action::ALL`, in declaration order, checked when compiling.
const _: () = {
    let mut i = 0;
    while i < Action::ALL.len() {
        assert!(Action::ALL[i] as usize == i, "Action::ALL is out of the order of Action");
        i += 1;
    }
    assert!(Action::Cancel as usize + 1 == Action::ALL.len(), "an Action missing from Action::ALL");
};

// Every row at its variant's index, checked when compiling: `Call::spec` cannot index past the
// table or land on another call's row.
const _: () = {
    let mut i = 0;
    while i < CALLS.len() {
        assert!(CALLS[i].call as usize == i, "CALLS is out of the order of Call");
        i += 1;
    }
    assert!(Call::CancelMany as usize + 1 == CALLS.len(), "a Call without a row");
};

impl Call {
    pub fn spec(self) -> &'static CallSpec {
        &CALLS[self as usize]
    }

    pub fn action(self) -> Action {
        self.spec().action
    }

    /// Whether the call takes many IDs (a `*Many` method).
    pub fn is_many(self) -> bool {
        self.spec().arg == Arg::Ids
    }

    pub fn all() -> impl Iterator<Item = Call> {
        CALLS.iter().map(|spec| spec.call)
    }

    /// The call a method name of `SmmClient` makes.
    pub fn from_method(method: &str) -> Option<Call> {
        Call::all().find(|call| call.spec().method == method)
    }

    /// The form field carrying a `*Many` call's comma-separated IDs (its argument's name too).
    pub(crate) fn list_field(self) -> &'static str {
        self.spec().id_field
    }

    /// What a `*Many` call's answers call each item's ID.
    pub(crate) fn id_key(self) -> &'static str {
        self.spec().item_id
    }

    /// The error for a call given the other kind of argument (one ID where it takes many, or
    /// the reverse): the SDK's own misuse, never the caller's input. One copy for every caller.
    #[inline(never)]
    pub(crate) fn wrong_arg(self) -> crate::core::error::SmmError {
        let spec = self.spec();
        let how = if spec.arg == Arg::Ids {
            "this call takes many IDs: it is planned as a batch"
        } else {
            "this call takes one argument: it is not batched"
        };
        crate::core::error::SmmError::invalid_for(spec.action, "call", how.to_owned())
    }

    /// A `*Many` item's error when the panel's answer left it out.
    pub(crate) fn no_answer(self) -> &'static str {
        if self.spec().item_id == "refill" {
            "No answer for this refill"
        } else {
            "No answer for this order"
        }
    }
}

/// The fields a request of `action` may carry besides `key`, `action` and an order's own fields:
/// every call's ID field and fixed field for that action, with the most IDs each may hold.
pub(crate) fn id_fields(action: Action) -> impl Iterator<Item = (&'static str, usize)> {
    CALLS.iter().filter(move |spec| spec.action == action && !spec.id_field.is_empty()).map(|spec| {
        let most = if spec.arg == Arg::Ids { crate::core::batch::CHUNK_SIZE } else { 1 };
        (spec.id_field, most)
    })
}

/// The fixed fields (`type=dripfeed`) calls of `action` send.
pub(crate) fn fixed_fields(action: Action) -> impl Iterator<Item = (&'static str, &'static str)> {
    CALLS.iter().filter(move |spec| spec.action == action).filter_map(|spec| spec.fixed)
}

/// The table as the JavaScript driver reads it: `[method, takes an argument]` per row, in row
/// order (a row's index is how the driver names its call).
pub fn calls_json() -> String {
    let mut out = String::from("[");
    for (i, spec) in CALLS.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str("[\"");
        out.push_str(spec.method);
        out.push_str(if spec.arg == Arg::Nothing { "\",false]" } else { "\",true]" });
    }
    out.push(']');
    out
}
