//! The API actions as they are named on the wire.

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
