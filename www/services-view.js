// The services table: search, filter, sort, and a capped number of rows with "Show more", so a
// catalog of many thousands of services never puts thousands of rows into the page.
import { sortKey } from "./money.js";

const PAGE_ROWS = 25;

const byId = (a, b) => a.service - b.service;
const byRate = (a, b) => (a.rateKey < b.rateKey ? -1 : a.rateKey > b.rateKey ? 1 : byId(a, b));

export class ServicesView {
  /** @param {{onOrder: (service: object) => void}} options */
  constructor({ onOrder }) {
    this.onOrder = onOrder;
    this.el = {
      search: document.getElementById("service-search"),
      category: document.getElementById("service-category"),
      type: document.getElementById("service-type"),
      sort: document.getElementById("service-sort"),
      count: document.getElementById("services-count"),
      body: document.getElementById("services-body"),
      more: document.getElementById("services-more"),
    };
    this.services = [];
    this.matches = [];
    this.shown = 0;
    for (const input of [this.el.search, this.el.category, this.el.type, this.el.sort]) {
      input.addEventListener(input === this.el.search ? "input" : "change", () => this.update());
    }
    this.el.more.addEventListener("click", () => this.showMore());
    this.el.body.addEventListener("click", (event) => {
      const button = event.target.closest("button[data-service]");
      if (button) this.onOrder(this.byId.get(Number(button.dataset.service)));
    });
  }

  /** Replaces the catalog (the answer of client.services()). */
  setServices(services) {
    performance.mark("services-index-start");
    this.services = services.map((service) => ({
      ...service,
      rateKey: sortKey(service.rate) ?? 0n,
      haystack: `${service.service} ${service.name}`.toLowerCase(),
    }));
    this.byId = new Map(this.services.map((service) => [service.service, service]));
    fillSelect(this.el.category, "All categories", this.services.map((s) => s.category));
    fillSelect(this.el.type, "All types", this.services.map((s) => s.type));
    performance.measure("services-index", "services-index-start");
    this.update();
  }

  get(id) {
    return this.byId?.get(id);
  }

  /** Recomputes the matching services and renders the first rows. */
  update() {
    performance.mark("services-update-start");
    const words = this.el.search.value.toLowerCase().split(/\s+/).filter(Boolean);
    const category = this.el.category.value;
    const type = this.el.type.value;
    this.matches = this.services.filter((s) =>
      (!category || s.category === category) &&
      (!type || s.type === type) &&
      words.every((word) => s.haystack.includes(word)));
    const sort = this.el.sort.value;
    this.matches.sort(sort === "id" ? byId : byRate);
    if (sort === "rate-desc") this.matches.reverse();
    this.el.body.replaceChildren();
    this.shown = 0;
    this.showMore();
    performance.measure("services-update", "services-update-start");
  }

  showMore() {
    const moreHadFocus = document.activeElement === this.el.more;
    const next = this.matches.slice(this.shown, this.shown + PAGE_ROWS);
    const rows = document.createDocumentFragment();
    for (const service of next) rows.append(serviceRow(service));
    this.el.body.append(rows);
    const firstNew = this.shown;
    this.shown += next.length;
    const total = this.matches.length;
    this.el.count.textContent = total === 0
      ? "No service matches."
      : `Showing ${this.shown.toLocaleString("en")} of ${total.toLocaleString("en")} service${total === 1 ? "" : "s"}` +
        (total === this.services.length ? "." : ` (of ${this.services.length.toLocaleString("en")}).`);
    const left = total - this.shown;
    this.el.more.hidden = left <= 0;
    this.el.more.textContent = `Show ${Math.min(left, PAGE_ROWS)} more`;
    // Keyboard users who pressed "Show more" continue at the first new row.
    if (firstNew > 0 && moreHadFocus && left <= 0) {
      this.el.body.rows[firstNew]?.querySelector("button")?.focus();
    }
  }
}

function fillSelect(select, allLabel, values) {
  const current = select.value;
  const options = [...new Set(values)].sort((a, b) => a.localeCompare(b)).map((value) => new Option(value, value));
  select.replaceChildren(new Option(allLabel, ""), ...options);
  select.value = options.some((o) => o.value === current) ? current : "";
}

function cell(label, text, className) {
  const td = document.createElement("td");
  td.dataset.label = label;
  if (className) td.className = className;
  if (text !== undefined) td.textContent = text;
  return td;
}

function categoryCell(service) {
  const td = cell("Category");
  const category = document.createElement("span");
  category.className = "name";
  category.textContent = service.category;
  const type = document.createElement("span");
  type.className = "description";
  type.textContent = service.type;
  td.append(category, type);
  return td;
}

function serviceRow(service) {
  const tr = document.createElement("tr");
  const name = cell("Service");
  const strong = document.createElement("span");
  strong.className = "name";
  strong.textContent = service.name;
  name.append(strong);
  if (service.description) {
    const description = document.createElement("span");
    description.className = "description";
    description.textContent = service.description;
    name.append(description);
  }
  const features = [service.refill && "refill", service.cancel && "cancel", service.dripfeed && "drip-feed"].filter(Boolean);
  const action = cell("", undefined, "action");
  const button = document.createElement("button");
  button.type = "button";
  button.className = "secondary small";
  button.dataset.service = service.service;
  button.textContent = "Order";
  button.setAttribute("aria-label", `Order service ${service.service}: ${service.name}`);
  action.append(button);
  tr.append(
    cell("ID", String(service.service), "id"),
    name,
    categoryCell(service),
    cell("Rate / 1000", service.rate, "num"),
    cell("Min–max", `${service.min.toLocaleString("en")}–${service.max.toLocaleString("en")}`, "num"),
    cell("Features", features.join(", ") || "—"),
    action,
  );
  return tr;
}
