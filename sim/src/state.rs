//! Accounts, orders, refills and simulated time.
//!
//! Every order's progress is a pure function of simulated time and the order's own data, so
//! results do not depend on when anybody looks; `settle` only books what those functions say
//! (partial refunds, drip-feed runs) and is called before every read or write.
//!
//! Because of that, each open order also has a *due time*: the earliest simulated time at which
//! `settle` has something to book for it (see [`State::due_ms`]). Open orders are kept in a queue
//! by due time, so `settle` only touches the orders that are due — none, most of the time —
//! instead of every open order. Simulated time never runs backwards, so a due time stays valid
//! until the order itself changes (cancel, a drip-feed run), and those places re-queue it.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;
use std::time::Instant;

use crate::catalog::{OrderType, Service};
use crate::json::J;
use crate::money::Money;

pub const FIRST_ORDER_ID: u64 = 23501;
pub const FIRST_REFILL_ID: u64 = 1;

/// Simulated time in milliseconds since the server (or the last reset) started.
#[derive(Debug, Clone)]
pub struct Clock {
    real_base: Instant,
    sim_base_ms: i64,
    speed: f64,
}

impl Clock {
    pub fn new(speed: f64) -> Clock {
        Clock { real_base: Instant::now(), sim_base_ms: 0, speed }
    }

    pub fn now_ms(&self) -> i64 {
        self.sim_base_ms + (self.real_base.elapsed().as_secs_f64() * 1000.0 * self.speed) as i64
    }

    pub fn speed(&self) -> f64 {
        self.speed
    }

    fn rebase(&mut self) {
        self.sim_base_ms = self.now_ms();
        self.real_base = Instant::now();
    }

    pub fn set_speed(&mut self, speed: f64) {
        self.rebase();
        self.speed = speed;
    }

    pub fn advance_ms(&mut self, ms: i64) {
        self.rebase();
        self.sim_base_ms += ms.max(0);
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Pending,
    InProgress,
    Completed,
    Partial,
    Canceled,
    Active,
    Expired,
    Rejected,
}

impl Status {
    /// Perfect Panel spelling.
    pub fn name(self) -> &'static str {
        match self {
            Status::Pending => "Pending",
            Status::InProgress => "In progress",
            Status::Completed => "Completed",
            Status::Partial => "Partial",
            Status::Canceled => "Canceled",
            Status::Active => "Active",
            Status::Expired => "Expired",
            Status::Rejected => "Rejected",
        }
    }

    pub fn is_final(self) -> bool {
        matches!(self, Status::Completed | Status::Partial | Status::Canceled | Status::Expired | Status::Rejected)
    }
}

#[derive(Debug, Clone)]
pub struct Drip {
    pub runs: u64,
    pub interval_min: u64,
    pub children: Vec<u64>,
    /// Runs not yet started when the parent was canceled stay unstarted forever.
    pub canceled_at_run: Option<u64>,
}

#[derive(Debug, Clone)]
pub struct Subscription {
    pub username: String,
    pub min: u64,
    pub max: u64,
    pub posts: Option<u64>,
    pub old_posts: Option<u64>,
    pub delay: u64,
    /// Simulated ms at which the subscription expires (end of the expiry day).
    pub expires_ms: Option<i64>,
    pub expiry_text: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Order {
    pub id: u64,
    pub key: String,
    pub service: u64,
    pub kind: OrderType,
    pub link: String,
    pub quantity: u64,
    /// What the account paid for this order (for a drip-feed child: its share, prepaid by the parent).
    pub charge: Money,
    pub refunded: Money,
    pub created_ms: i64,
    pub start_delay_ms: i64,
    pub speed_per_min: u64,
    pub start_count: u64,
    /// Where delivery stops short of `quantity` (a Partial order).
    pub partial_target: Option<u64>,
    /// Set by cancel: (time, delivered at that time).
    pub canceled: Option<(i64, u64)>,
    /// Booked final status (refund done).
    pub settled: Option<Status>,
    pub parent: Option<u64>,
    pub drip: Option<Drip>,
    pub subscription: Option<Subscription>,
    /// Type-specific fields as received (comments, usernames, country...).
    pub extra: Vec<(String, String)>,
}

/// A snapshot of an order at some simulated time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    pub status: Status,
    pub delivered: u64,
    pub start_count: u64,
}

impl Order {
    pub fn is_drip_parent(&self) -> bool {
        self.drip.is_some()
    }

    pub fn progress(&self, now: i64) -> Progress {
        if let Some(sub) = &self.subscription {
            let status = match (self.canceled, sub.expires_ms) {
                (Some(_), _) => Status::Canceled,
                (None, Some(exp)) if now >= exp => Status::Expired,
                _ => Status::Active,
            };
            return Progress { status, delivered: 0, start_count: 0 };
        }
        let start = self.created_ms + self.start_delay_ms;
        if let Some((at, delivered)) = self.canceled {
            let status = if delivered == 0 { Status::Canceled } else { Status::Partial };
            let start_count = if at >= start { self.start_count } else { 0 };
            return Progress { status, delivered, start_count };
        }
        if now < start {
            return Progress { status: Status::Pending, delivered: 0, start_count: 0 };
        }
        let target = self.partial_target.unwrap_or(self.quantity);
        let elapsed_ms = (now - start) as u128;
        let delivered = ((elapsed_ms * self.speed_per_min as u128) / 60_000).min(target as u128) as u64;
        let status = if delivered < target {
            Status::InProgress
        } else if target < self.quantity {
            Status::Partial
        } else {
            Status::Completed
        };
        Progress { status, delivered, start_count: self.start_count }
    }

    pub fn remains(&self, p: Progress) -> u64 {
        self.quantity.saturating_sub(p.delivered)
    }

    /// The charge a panel shows: what was paid less what was refunded.
    pub fn shown_charge(&self) -> Money {
        self.charge - self.refunded
    }
}

#[derive(Debug, Clone)]
pub struct Refill {
    pub id: u64,
    pub order: u64,
    pub key: String,
    pub created_ms: i64,
}

impl Refill {
    pub fn status(&self, now: i64) -> Status {
        let age = now - self.created_ms;
        if age < 60_000 {
            Status::Pending
        } else if age < 600_000 {
            Status::InProgress
        } else if self.id % 10 == 9 {
            // Some refills are refused, deterministically, so clients see that status too.
            Status::Rejected
        } else {
            Status::Completed
        }
    }
}

#[derive(Debug, Clone)]
pub struct State {
    pub services: Arc<Vec<Service>>,
    pub service_index: Arc<HashMap<u64, usize>>,
    pub accounts: HashMap<String, Money>,
    pub orders: BTreeMap<u64, Order>,
    /// Orders (and drip-feed parents) not yet in a final state.
    pub open: BTreeSet<u64>,
    /// The open orders by (due time, ID): the first entry is the next time `settle` has work.
    due: BTreeSet<(i64, u64)>,
    /// The due time each open order is queued under.
    due_at: HashMap<u64, i64>,
    /// Open non-subscription orders by `dup_hash(key, service, link)`, for the duplicate check.
    open_by_link: HashMap<u64, Vec<u64>>,
    /// Tests: settle by going through every open order, as before the due queue, to compare.
    #[cfg(test)]
    brute_force: bool,
    pub refills: BTreeMap<u64, Refill>,
    pub next_order: u64,
    pub next_refill: u64,
    pub clock: Clock,
    /// Unix seconds that simulated time 0 stands for (subscription expiry dates need a calendar).
    pub epoch_unix: i64,
}

/// FNV-1a: a stable hash for deterministic start counts.
pub fn stable_hash(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// The bucket of `State::open_by_link`; collisions are harmless (candidates are compared in full).
fn dup_hash(key: &str, service: u64, link: &str) -> u64 {
    let mut h = stable_hash(key);
    for b in service.to_le_bytes().into_iter().chain([0xff]).chain(link.bytes()) {
        h ^= b as u64;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

pub struct NewOrder {
    pub key: String,
    pub service: Service,
    pub link: String,
    pub quantity: u64,
    pub charge: Money,
    pub drip: Option<(u64, u64)>,
    pub subscription: Option<Subscription>,
    pub extra: Vec<(String, String)>,
}

impl State {
    pub fn new(services: Arc<Vec<Service>>, accounts: HashMap<String, Money>, speed: f64, epoch_unix: i64) -> State {
        let service_index = Arc::new(services.iter().enumerate().map(|(i, s)| (s.id, i)).collect());
        State {
            services,
            service_index,
            accounts,
            orders: BTreeMap::new(),
            open: BTreeSet::new(),
            due: BTreeSet::new(),
            due_at: HashMap::new(),
            open_by_link: HashMap::new(),
            #[cfg(test)]
            brute_force: false,
            refills: BTreeMap::new(),
            next_order: FIRST_ORDER_ID,
            next_refill: FIRST_REFILL_ID,
            clock: Clock::new(speed),
            epoch_unix,
        }
    }

    pub fn now(&self) -> i64 {
        self.clock.now_ms()
    }

    pub fn service(&self, id: u64) -> Option<&Service> {
        self.service_index.get(&id).and_then(|&i| self.services.get(i))
    }

    fn alloc_order_id(&mut self) -> u64 {
        let id = self.next_order;
        self.next_order += 1;
        id
    }

    fn make_order(&mut self, key: &str, svc: &Service, link: &str, quantity: u64, charge: Money, created_ms: i64) -> Order {
        let id = self.alloc_order_id();
        // Orders whose ID ends in 7 stop at 80% and end Partial: predictable for tests.
        let partial = id % 10 == 7 && !svc.kind.is_package() && svc.kind != OrderType::Subscriptions;
        Order {
            id,
            key: key.to_string(),
            service: svc.id,
            kind: svc.kind,
            link: link.to_string(),
            quantity,
            charge,
            refunded: Money::ZERO,
            created_ms,
            start_delay_ms: svc.start_delay_s as i64 * 1000,
            speed_per_min: svc.speed_per_min.max(1),
            start_count: 100 + stable_hash(link) % 9900,
            partial_target: partial.then_some(quantity * 4 / 5),
            canceled: None,
            settled: None,
            parent: None,
            drip: None,
            subscription: None,
            extra: Vec::new(),
        }
    }

    /// Places an order whose validation and pricing are done; charges the account.
    pub fn place(&mut self, new: NewOrder) -> u64 {
        let now = self.now();
        if let Some(bal) = self.accounts.get_mut(&new.key) {
            *bal -= new.charge;
        }
        let mut order = self.make_order(&new.key, &new.service, &new.link, new.quantity, new.charge, now);
        order.extra = new.extra;
        order.subscription = new.subscription;
        if let Some((runs, interval_min)) = new.drip {
            order.drip = Some(Drip { runs, interval_min, children: Vec::new(), canceled_at_run: None });
            order.partial_target = None;
        }
        let id = order.id;
        self.orders.insert(id, order);
        self.open_insert(id);
        self.settle();
        id
    }

    /// Puts an order (already in `orders`) among the open ones: queue and duplicate index.
    fn open_insert(&mut self, id: u64) {
        self.open.insert(id);
        if let Some(o) = self.orders.get(&id) {
            if o.subscription.is_none() {
                self.open_by_link.entry(dup_hash(&o.key, o.service, &o.link)).or_default().push(id);
            }
        }
        self.requeue(id);
    }

    fn open_remove(&mut self, id: u64) {
        self.open.remove(&id);
        if let Some(at) = self.due_at.remove(&id) {
            self.due.remove(&(at, id));
        }
        if let Some(o) = self.orders.get(&id) {
            let h = dup_hash(&o.key, o.service, &o.link);
            if let Some(ids) = self.open_by_link.get_mut(&h) {
                ids.retain(|&x| x != id);
                if ids.is_empty() {
                    self.open_by_link.remove(&h);
                }
            }
        }
    }

    /// (Re)computes an open order's due time and queues it under that; call after any change
    /// to the order other than time passing.
    fn requeue(&mut self, id: u64) {
        if !self.open.contains(&id) {
            return;
        }
        let at = self.orders.get(&id).map_or(i64::MIN, |o| self.due_ms(o));
        if let Some(old) = self.due_at.insert(id, at) {
            self.due.remove(&(old, id));
        }
        self.due.insert((at, id));
    }

    /// The earliest simulated time at which `settle` has something to book for this order:
    /// a drip-feed run to start or a final status to reach. Before it, the order's booking
    /// cannot change (progress only moves with time, and time only moves forward).
    pub fn due_ms(&self, o: &Order) -> i64 {
        if let Some(sub) = &o.subscription {
            return match (o.canceled, sub.expires_ms) {
                (Some(_), _) => i64::MIN,
                (None, Some(exp)) => exp,
                (None, None) => i64::MAX,
            };
        }
        if let Some(d) = &o.drip {
            let limit = d.canceled_at_run.unwrap_or(d.runs);
            let spawned = d.children.len() as u64;
            if spawned < limit {
                // The next run (runs are due at created + run × interval).
                return o.created_ms.saturating_add((spawned * d.interval_min * 60_000) as i64);
            }
            // All runs started: final once every child is final (see `drip_status`).
            return d.children.iter().map(|c| self.orders.get(c).map_or(i64::MIN, |c| self.due_ms(c))).max().unwrap_or(i64::MIN);
        }
        if o.canceled.is_some() {
            return i64::MIN;
        }
        // Final once delivered reaches the target: elapsed × speed / 60000 >= target.
        let start = o.created_ms + o.start_delay_ms;
        let target = o.partial_target.unwrap_or(o.quantity) as u128;
        let speed = o.speed_per_min.max(1) as u128;
        let need = (target * 60_000).div_ceil(speed);
        i64::try_from(need).ok().and_then(|n| start.checked_add(n)).unwrap_or(i64::MAX)
    }

    /// The simulated time of the next booking `settle` would make (i64::MAX: none ever).
    pub fn next_due_ms(&self) -> i64 {
        self.due.first().map_or(i64::MAX, |&(at, _)| at)
    }

    /// Books everything simulated time has brought: drip-feed runs, final statuses, refunds.
    /// Only orders whose due time has come are looked at; the result is the same as going
    /// through every open order (the tests compare it with that).
    pub fn settle(&mut self) {
        let now = self.now();
        #[cfg(test)]
        if self.brute_force {
            let all: Vec<u64> = self.open.iter().copied().collect();
            self.spawn_due_runs(now, &all);
            let all: Vec<u64> = self.open.iter().copied().collect();
            for id in all {
                self.settle_order(id, now);
            }
            return;
        }
        if now < self.next_due_ms() {
            return;
        }
        // A parent with a run due is itself due (its due time is its next run).
        let due: Vec<u64> = self.due.range(..=(now, u64::MAX)).map(|&(_, id)| id).collect();
        self.spawn_due_runs(now, &due);
        // Spawning re-queued the parents and queued the children, so this is everything due.
        let due: Vec<u64> = self.due.range(..=(now, u64::MAX)).map(|&(_, id)| id).collect();
        for id in due {
            self.settle_order(id, now);
            // Still open (not expected for a due order): queue it again, later.
            self.requeue(id);
        }
    }

    /// Starts the drip-feed runs due by `now` of these open orders.
    fn spawn_due_runs(&mut self, now: i64, candidates: &[u64]) {
        // Every due run across all parents, in time order, so child IDs follow simulated time.
        let mut due: Vec<(i64, u64, u64)> = Vec::new();
        for id in candidates {
            let Some(o) = self.orders.get(id) else { continue };
            let Some(d) = &o.drip else { continue };
            let limit = d.canceled_at_run.unwrap_or(d.runs);
            for run in d.children.len() as u64..limit {
                let at = o.created_ms + (run * d.interval_min * 60_000) as i64;
                if at > now {
                    break;
                }
                due.push((at, *id, run));
            }
        }
        due.sort();
        let mut parents: Vec<u64> = due.iter().map(|&(_, p, _)| p).collect();
        for (at, parent_id, _run) in due {
            let Some(parent) = self.orders.get(&parent_id) else { continue };
            let Some(svc) = self.service(parent.service).cloned() else { continue };
            let (key, link, qty, extra) = (parent.key.clone(), parent.link.clone(), parent.quantity, parent.extra.clone());
            let per_run = match &parent.drip {
                Some(d) => parent.charge.mul_div(1, d.runs),
                None => continue,
            };
            let mut child = self.make_order(&key, &svc, &link, qty, per_run, at);
            child.parent = Some(parent_id);
            child.extra = extra;
            let child_id = child.id;
            self.orders.insert(child_id, child);
            self.open_insert(child_id);
            if let Some(d) = self.orders.get_mut(&parent_id).and_then(|p| p.drip.as_mut()) {
                d.children.push(child_id);
            }
        }
        parents.sort_unstable();
        parents.dedup();
        for p in parents {
            self.requeue(p);
        }
    }

    fn settle_order(&mut self, id: u64, now: i64) {
        let Some(order) = self.orders.get(&id) else {
            self.open_remove(id);
            return;
        };
        if order.is_drip_parent() {
            let status = self.drip_status(order, now);
            if status.is_final() {
                if let Some(o) = self.orders.get_mut(&id) {
                    o.settled = Some(status);
                }
                self.open_remove(id);
            }
            return;
        }
        let p = order.progress(now);
        if !p.status.is_final() {
            return;
        }
        let refund = match p.status {
            Status::Partial | Status::Canceled if order.quantity > 0 => {
                order.charge.mul_div(order.remains(p), order.quantity) - order.refunded
            }
            _ => Money::ZERO,
        };
        let key = order.key.clone();
        if let Some(o) = self.orders.get_mut(&id) {
            o.refunded += refund;
            o.settled = Some(p.status);
        }
        if let Some(bal) = self.accounts.get_mut(&key) {
            *bal += refund;
        }
        self.open_remove(id);
    }

    /// Drip-feed parents: Active while runs remain or run, then Completed (or Canceled).
    pub fn drip_status(&self, order: &Order, now: i64) -> Status {
        let Some(d) = &order.drip else { return Status::Pending };
        let all_children_done =
            d.children.iter().all(|c| self.orders.get(c).is_none_or(|o| o.settled.is_some() || o.progress(now).status.is_final()));
        match d.canceled_at_run {
            Some(_) if all_children_done => Status::Canceled,
            Some(_) => Status::Active,
            None if d.children.len() as u64 == d.runs && all_children_done => Status::Completed,
            None => Status::Active,
        }
    }

    /// An open order of this account on the same service and link blocks a new one.
    pub fn has_active_duplicate(&self, key: &str, service: u64, link: &str) -> bool {
        let now = self.now();
        let Some(candidates) = self.open_by_link.get(&dup_hash(key, service, link)) else { return false };
        candidates.iter().filter_map(|id| self.orders.get(id)).any(|o| {
            o.key == key && o.service == service && o.link == link && o.subscription.is_none() && {
                if o.is_drip_parent() {
                    !self.drip_status(o, now).is_final()
                } else {
                    !o.progress(now).status.is_final()
                }
            }
        })
    }

    pub fn order_of(&self, key: &str, id: u64) -> Option<&Order> {
        self.orders.get(&id).filter(|o| o.key == key)
    }

    /// Cancels an order; the caller has checked ownership and the service flag.
    pub fn cancel(&mut self, id: u64) -> Result<(), &'static str> {
        let now = self.now();
        let Some(order) = self.orders.get(&id) else { return Err("Incorrect order ID") };
        if order.is_drip_parent() {
            if self.drip_status(order, now).is_final() {
                return Err("This order cannot be canceled");
            }
            let (spawned, runs) = match &order.drip {
                Some(d) => (d.children.len() as u64, d.runs),
                None => return Err("Incorrect order ID"),
            };
            let refund = order.charge.mul_div(runs - spawned, runs);
            let key = order.key.clone();
            if let Some(o) = self.orders.get_mut(&id) {
                o.refunded += refund;
                if let Some(d) = o.drip.as_mut() {
                    d.canceled_at_run = Some(spawned);
                }
            }
            if let Some(bal) = self.accounts.get_mut(&key) {
                *bal += refund;
            }
            self.requeue(id);
            self.settle();
            return Ok(());
        }
        let p = order.progress(now);
        if p.status.is_final() {
            return Err("This order cannot be canceled");
        }
        let parent = order.parent;
        if let Some(o) = self.orders.get_mut(&id) {
            o.canceled = Some((now, p.delivered));
        }
        self.requeue(id);
        // A drip-feed parent's due time follows its children's.
        if let Some(parent) = parent {
            self.requeue(parent);
        }
        self.settle();
        Ok(())
    }

    pub fn add_refill(&mut self, key: &str, order: u64) -> u64 {
        let id = self.next_refill;
        self.next_refill += 1;
        let created_ms = self.now();
        self.refills.insert(id, Refill { id, order, key: key.to_string(), created_ms });
        id
    }

    pub fn open_refill_for(&self, order: u64) -> bool {
        let now = self.now();
        self.refills.values().any(|r| r.order == order && !r.status(now).is_final())
    }

    /// Simulated date (day, month, year) and ms for a d/m/Y text, at the end of that day.
    pub fn end_of_day_ms(&self, d: u32, m: u32, y: i32) -> i64 {
        let days = days_from_civil(y, m, d);
        (days + 1) * 86_400 * 1000 - self.epoch_unix * 1000
    }

    pub fn order_view(&self, o: &Order) -> J {
        let now = self.now();
        let mut v = J::obj([
            ("id", J::int(o.id)),
            ("key", J::str(mask_key(&o.key))),
            ("service", J::int(o.service)),
            ("type", J::str(o.kind.name())),
            ("link", J::str(o.link.clone())),
            ("quantity", J::int(o.quantity)),
            ("charge", J::str(o.charge.to_string())),
            ("refunded", J::str(o.refunded.to_string())),
            ("created_at", J::int(o.created_ms / 1000)),
        ]);
        if let Some(d) = &o.drip {
            v.push("status", J::str(self.drip_status(o, now).name()));
            v.push("runs", J::int(d.runs));
            v.push("interval", J::int(d.interval_min));
            v.push("children", J::Arr(d.children.iter().map(|c| J::int(*c)).collect()));
        } else {
            let p = o.progress(now);
            v.push("status", J::str(p.status.name()));
            v.push("start_count", J::int(p.start_count));
            v.push("delivered", J::int(p.delivered));
            v.push("remains", J::int(o.remains(p)));
            v.push("starts_at", J::int((o.created_ms + o.start_delay_ms) / 1000));
            v.push("speed_per_min", J::int(o.speed_per_min));
            v.push("partial_target", o.partial_target.map_or(J::Null, J::int));
        }
        v.push("parent", o.parent.map_or(J::Null, J::int));
        if let Some(s) = &o.subscription {
            v.push(
                "subscription",
                J::obj([
                    ("username", J::str(s.username.clone())),
                    ("min", J::int(s.min)),
                    ("max", J::int(s.max)),
                    ("posts", s.posts.map_or(J::Null, J::int)),
                    ("old_posts", s.old_posts.map_or(J::Null, J::int)),
                    ("delay", J::int(s.delay)),
                    ("expiry", s.expiry_text.clone().map_or(J::Null, J::Str)),
                ]),
            );
        }
        v.push("fields", J::Obj(o.extra.iter().map(|(k, val)| (k.clone(), J::str(val.clone()))).collect()));
        v.push(
            "refills",
            J::Arr(
                self.refills
                    .values()
                    .filter(|r| r.order == o.id)
                    .map(|r| J::obj([("id", J::int(r.id)), ("status", J::str(r.status(now).name()))]))
                    .collect(),
            ),
        );
        v
    }
}

/// `****` and the last two characters: enough to tell test keys apart, not enough to use.
pub fn mask_key(key: &str) -> String {
    let chars: Vec<char> = key.chars().collect();
    let tail: String = chars[chars.len().saturating_sub(2)..].iter().collect();
    format!("****{tail}")
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
pub fn days_from_civil(y: i32, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y } as i64;
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = m as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Parses `d/m/Y` (Perfect Panel's expiry format), checking the day exists.
pub fn parse_dmy(s: &str) -> Option<(u32, u32, i32)> {
    let mut it = s.trim().split('/');
    let d: u32 = it.next()?.parse().ok()?;
    let m: u32 = it.next()?.parse().ok()?;
    let y: i32 = it.next()?.parse().ok()?;
    if it.next().is_some() || !(1..=12).contains(&m) || !(1970..=9999).contains(&y) || d == 0 {
        return None;
    }
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days_in = [31, if leap { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    (d <= days_in[(m - 1) as usize]).then_some((d, m, y))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11017);
        assert_eq!(parse_dmy("29/02/2024"), Some((29, 2, 2024)));
        assert_eq!(parse_dmy("29/02/2023"), None);
        assert_eq!(parse_dmy("1/13/2024"), None);
    }

    use crate::catalog;

    impl State {
        /// The duplicate check as it was: a scan of every open order.
        fn has_active_duplicate_scan(&self, key: &str, service: u64, link: &str) -> bool {
            let now = self.now();
            self.open.iter().filter_map(|id| self.orders.get(id)).any(|o| {
                o.key == key && o.service == service && o.link == link && o.subscription.is_none() && {
                    if o.is_drip_parent() {
                        !self.drip_status(o, now).is_final()
                    } else {
                        !o.progress(now).status.is_final()
                    }
                }
            })
        }

        /// Everything observable, in a comparable form.
        fn snapshot(&self) -> String {
            let accounts: BTreeMap<_, _> = self.accounts.iter().collect();
            format!("{:?}\n{:?}\n{:?}\n{} {}", self.orders, accounts, self.open, self.next_order, self.now())
        }

        /// The queue and the duplicate index agree with `open` and with the orders' data.
        fn check_indexes(&self) {
            let queued: BTreeSet<u64> = self.due.iter().map(|&(_, id)| id).collect();
            assert_eq!(queued, self.open, "queue = open orders");
            assert_eq!(self.due.len(), self.open.len());
            for &(at, id) in &self.due {
                assert_eq!(self.due_at.get(&id), Some(&at));
                assert_eq!(at, self.due_ms(&self.orders[&id]), "due time of {id} is current");
            }
            let indexed: BTreeSet<u64> = self.open_by_link.values().flatten().copied().collect();
            let expected: BTreeSet<u64> = self.open.iter().copied().filter(|id| self.orders[id].subscription.is_none()).collect();
            assert_eq!(indexed, expected, "duplicate index = open non-subscription orders");
            for (h, ids) in &self.open_by_link {
                for id in ids {
                    let o = &self.orders[id];
                    assert_eq!(*h, dup_hash(&o.key, o.service, &o.link));
                }
            }
        }
    }

    /// A small deterministic generator (no dependencies).
    struct Lcg(u64);
    impl Lcg {
        fn next(&mut self, n: u64) -> u64 {
            self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            (self.0 >> 33) % n
        }
    }

    /// The due queue and the duplicate index change nothing: the same script of orders, cancels,
    /// clock steps and settles on a state that settles through every open order (as before)
    /// and on one that uses the queue gives the same orders, statuses, refunds and balances
    /// after every step.
    #[test]
    fn due_queue_settles_like_a_full_pass() {
        for seed in 1..=6u64 {
            let services = Arc::new(catalog::builtin());
            let accounts: HashMap<String, Money> =
                [("ka".to_string(), Money::parse("1000000").unwrap()), ("kb".to_string(), Money::parse("1000000").unwrap())]
                    .into_iter()
                    .collect();
            let mut fast = State::new(services.clone(), accounts, 0.0, 1_700_000_000);
            let mut slow = fast.clone();
            slow.brute_force = true;
            let mut rng = Lcg(seed);
            let plain = [101u64, 102, 103, 104, 114, 201, 303, 305, 116, 204];
            let drips = [101u64, 102, 103, 114, 203];
            let mut finals_seen = 0;
            for step in 0..500 {
                let key = if rng.next(3) == 0 { "kb" } else { "ka" };
                let link = format!("https://x.com/p/{}", rng.next(25));
                match rng.next(10) {
                    0..=2 => {
                        let svc = fast.service(plain[rng.next(plain.len() as u64) as usize]).cloned().unwrap();
                        let dup = fast.has_active_duplicate(key, svc.id, &link);
                        assert_eq!(dup, slow.has_active_duplicate_scan(key, svc.id, &link), "step {step}");
                        assert_eq!(dup, fast.has_active_duplicate_scan(key, svc.id, &link), "step {step}");
                        if !dup {
                            let quantity = if svc.kind.is_package() { 1 } else { svc.min + rng.next(svc.min * 5 + 50) };
                            let charge = svc.rate.mul_div(quantity, 1000);
                            let new = || NewOrder {
                                key: key.into(),
                                service: svc.clone(),
                                link: link.clone(),
                                quantity,
                                charge,
                                drip: None,
                                subscription: None,
                                extra: Vec::new(),
                            };
                            assert_eq!(fast.place(new()), slow.place(new()));
                        }
                    }
                    3 => {
                        let svc = fast.service(drips[rng.next(drips.len() as u64) as usize]).cloned().unwrap();
                        let dup = fast.has_active_duplicate(key, svc.id, &link);
                        assert_eq!(dup, slow.has_active_duplicate_scan(key, svc.id, &link), "step {step}");
                        if !dup {
                            let (runs, interval) = (1 + rng.next(5), 1 + rng.next(20));
                            let quantity = svc.min + rng.next(200);
                            let charge = svc.rate.mul_div(quantity, 1000).mul_div(runs, 1);
                            let new = || NewOrder {
                                key: key.into(),
                                service: svc.clone(),
                                link: link.clone(),
                                quantity,
                                charge,
                                drip: Some((runs, interval)),
                                subscription: None,
                                extra: Vec::new(),
                            };
                            assert_eq!(fast.place(new()), slow.place(new()));
                        }
                    }
                    4 => {
                        let svc = fast.service(115).cloned().unwrap();
                        let expires_ms = (rng.next(2) == 0).then(|| fast.now() + 1 + rng.next(3_600_000) as i64);
                        let sub = Subscription {
                            username: "u".into(),
                            min: 50,
                            max: 100,
                            posts: None,
                            old_posts: None,
                            delay: 0,
                            expires_ms,
                            expiry_text: None,
                        };
                        let new = || NewOrder {
                            key: key.into(),
                            service: svc.clone(),
                            link: String::new(),
                            quantity: 0,
                            charge: Money::ZERO,
                            drip: None,
                            subscription: Some(sub.clone()),
                            extra: Vec::new(),
                        };
                        assert_eq!(fast.place(new()), slow.place(new()));
                    }
                    5 => {
                        if fast.next_order > FIRST_ORDER_ID {
                            // Any order, open or not; children of drip-feed parents included.
                            let id = FIRST_ORDER_ID + rng.next(fast.next_order - FIRST_ORDER_ID);
                            assert_eq!(fast.cancel(id), slow.cancel(id), "cancel {id} at step {step}");
                        }
                    }
                    _ => {
                        // Mostly small steps, sometimes a jump over many finish times at once.
                        let open: Vec<u64> = fast.open.iter().copied().collect();
                        let ms = match rng.next(10) {
                            0 => 0,
                            1 => 3_600_000 + rng.next(36_000_000) as i64,
                            // To 1 ms before, or right at, some open order's due time: a due time
                            // that is too late shows as a booking the full pass makes and we don't.
                            2..=4 if !open.is_empty() => {
                                let o = &fast.orders[&open[rng.next(open.len() as u64) as usize]];
                                let due = fast.due_ms(o).clamp(fast.now(), fast.now() + 100_000_000);
                                (due - fast.now() - rng.next(2) as i64).max(0)
                            }
                            _ => rng.next(120_000) as i64,
                        };
                        fast.clock.advance_ms(ms);
                        slow.clock.advance_ms(ms);
                        if rng.next(4) != 0 {
                            fast.settle();
                            slow.settle();
                        }
                    }
                }
                assert_eq!(fast.snapshot(), slow.snapshot(), "seed {seed}, step {step}");
                fast.check_indexes();
                if fast.next_due_ms() > fast.now() {
                    // Nothing due: every open order is still unfinished.
                    let now = fast.now();
                    for id in &fast.open {
                        let o = &fast.orders[id];
                        let st = if o.is_drip_parent() { fast.drip_status(o, now) } else { o.progress(now).status };
                        assert!(!st.is_final(), "{id} is final but not due");
                    }
                }
                finals_seen = fast.orders.values().filter(|o| o.settled.is_some()).count();
            }
            // The script reached the interesting cases.
            let partials = fast.orders.values().filter(|o| o.settled == Some(Status::Partial) && o.canceled.is_none()).count();
            let drip_done = fast.orders.values().filter(|o| o.drip.is_some() && o.settled.is_some()).count();
            let expired = fast.orders.values().filter(|o| o.settled == Some(Status::Expired)).count();
            assert!(
                finals_seen > 50 && partials > 0 && drip_done > 0 && expired > 0,
                "seed {seed}: {finals_seen} {partials} {drip_done} {expired}"
            );
        }
    }

    /// Due times are exact: 1 ms before, settle books nothing for the order; at it, it does.
    #[test]
    fn due_times_are_exact() {
        let services = Arc::new(catalog::builtin());
        let base = State::new(services, [("k".to_string(), Money::parse("1000").unwrap())].into_iter().collect(), 0.0, 0);
        let mut svc = base.service(101).cloned().unwrap();
        let sub_svc = base.service(115).cloned().unwrap();
        let mut n = 0;
        // Speeds that do not divide a minute's 60000 ms, so rounding up matters.
        for speed in [7u64, 13, 100, 250, 999] {
            svc.speed_per_min = speed;
            for kind in 0..4 {
                for q in [50u64, 51, 63, 77] {
                    n += 1;
                    let mut st = base.clone();
                    st.clock.advance_ms(n * 37);
                    let (drip, subscription) = match kind {
                        1 => (Some((3, 2)), None),
                        2 => (
                            None,
                            Some(Subscription {
                                username: "u".into(),
                                min: 50,
                                max: 60,
                                posts: None,
                                old_posts: None,
                                delay: 0,
                                expires_ms: Some(st.now() + 1234 * n),
                                expiry_text: None,
                            }),
                        ),
                        _ => (None, None),
                    };
                    let service = if kind == 2 { sub_svc.clone() } else { svc.clone() };
                    // Orders 23501.. : placing a few first makes the last one end in 7 (Partial) for kind 3.
                    if kind == 3 {
                        while st.next_order % 10 != 7 {
                            st.next_order += 1;
                        }
                    }
                    let id = st.place(NewOrder {
                        key: "k".into(),
                        service,
                        link: format!("l{n}"),
                        quantity: q,
                        charge: Money::parse("1").unwrap(),
                        drip,
                        subscription,
                        extra: Vec::new(),
                    });
                    // Step through every due time of this order (drip runs, children, the parent).
                    while st.open.contains(&id) {
                        let due = st.next_due_ms();
                        assert!(due > st.now() && due < i64::MAX, "something is due later");
                        let before = st.snapshot();
                        st.clock.advance_ms(due - 1 - st.now());
                        st.settle();
                        assert_eq!(st.snapshot().split('\n').next(), before.split('\n').next(), "nothing booked 1 ms early");
                        st.clock.advance_ms(1);
                        let open = st.open.len();
                        let children = st.orders.len();
                        st.settle();
                        assert!(
                            st.open.len() < open || st.orders.len() > children,
                            "something booked at the due time (speed {speed}, kind {kind}, q {q})"
                        );
                        st.check_indexes();
                    }
                    if kind == 3 {
                        assert_eq!(st.orders[&id].settled, Some(Status::Partial));
                        assert!(st.orders[&id].refunded > Money::ZERO);
                    }
                }
            }
        }
    }

    #[test]
    fn masks() {
        assert_eq!(mask_key("demo-key"), "****ey");
        assert_eq!(mask_key("k"), "****k");
    }
}
