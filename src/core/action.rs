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

    /// Actions that change something at the panel (and may cost money): never sent twice by the
    /// SDK on its own, because the API has no idempotency key.
    pub fn is_write(self) -> bool {
        matches!(self, Action::Add | Action::Refill | Action::Cancel)
    }
}
