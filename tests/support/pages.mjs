// The part of Playwright's page API the e2e tests use, in each engine: Chromium is Playwright
// itself; Firefox and WebKit get the same methods over classic WebDriver (webdriver.mjs), so each
// test is written once and runs in every engine. What the WebDriver side does, as Playwright does:
// - locators are lazy descriptions (CSS, label, role and name, text, filters), resolved in the
//   page on every use, strict (an action on a locator that matches several elements fails), and
//   actions wait up to 30 s for the element to be there, visible and enabled;
// - clicks, key presses and `pressSequentially` are WebDriver's own input (real events, the
//   browser's focus and default actions); `fill` replaces the field's text with inserted text and
//   `selectOption` sets the value and fires `input` and `change`, both as Playwright does
//   (WebDriver's Clear would blur the field, which the sample page answers with validation, and
//   WebKitWebDriver types neither "\n" nor characters outside the BMP).
// What classic WebDriver cannot do is absent rather than imitated: request interception
// (`route`) throws, and tests that need it say so (README: compatibility table).
import { writeFileSync } from "node:fs";
import { chromium } from "playwright-core";
import { chromiumLaunchOptions } from "./sim.mjs";
import { ELEMENT, KEYS, WEBDRIVER_ENGINES, startDriver, watchProblems } from "./webdriver.mjs";

const TIMEOUT_MS = 30000;

/**
 * A browser of `engine` with Playwright's `newContext({ viewport })` → `context.newPage()`. Its
 * pages also have `problems()`: the uncaught errors and console errors seen so far.
 */
export async function launchBrowser(engine) {
  if (engine === "chromium") {
    const browser = await chromium.launch(chromiumLaunchOptions());
    return withProblems(browser);
  }
  if (!WEBDRIVER_ENGINES.includes(engine)) throw new Error(`unknown engine ${engine} (known: chromium ${WEBDRIVER_ENGINES.join(" ")})`);
  // geckodriver and WebKitWebDriver hold one session each: a driver (and browser) per context.
  const drivers = new Set();
  return {
    engine,
    async newContext({ viewport } = {}) {
      const driver = await startDriver(engine);
      drivers.add(driver);
      const session = await driver.newSession();
      const page = new WebDriverPage(session);
      if (viewport) await page.setViewportSize(viewport);
      return {
        // One page per context: each is its own WebDriver session.
        newPage: async () => {
          if (page.given) throw new Error(`${engine}: one page per context here`);
          page.given = true;
          return page;
        },
        cookies: () => session.command("GET", "/cookie"),
        route: () => {
          throw new Error(`${engine}: classic WebDriver cannot intercept requests`);
        },
        async close() {
          drivers.delete(driver);
          await driver.close();
        },
      };
    },
    close: () => Promise.all([...drivers].map((driver) => driver.close())),
  };
}

/** Playwright's Chromium, its pages given the same `problems()`. */
function withProblems(browser) {
  const newContext = browser.newContext.bind(browser);
  browser.engine = "chromium";
  browser.newContext = async (options) => {
    const context = await newContext(options);
    const newPage = context.newPage.bind(context);
    context.newPage = async () => {
      const page = await newPage();
      const problems = [];
      page.on("pageerror", (error) => problems.push(`pageerror: ${error.message}`));
      page.on("console", (message) => {
        // The browser itself logs failed requests (the CORS-hidden and unreachable tests cause
        // them); the WebDriver engines do not report those to the page at all.
        if (message.type() === "error" && !/Failed to load resource|CORS policy|ERR_CONNECTION_REFUSED/.test(message.text())) {
          problems.push(`console: ${message.text()}`);
        }
      });
      page.problems = async () => [...problems];
      return page;
    };
    return context;
  };
  return browser;
}

// ---- the WebDriver side --------------------------------------------------------------------------

const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A text or RegExp as JSON, for the page. */
function textMatcher(value, exact = false) {
  return value instanceof RegExp ? { source: value.source, flags: value.flags } : { text: String(value), exact };
}

/** How WebDriver spells a Playwright key (`"Enter"`, `"Control+A"`). */
function keyChords(spec) {
  return spec.split("+").map((key) => {
    if (KEYS[key]) return KEYS[key];
    if ([...key].length === 1) return key.toLowerCase();
    throw new Error(`no WebDriver key code for "${key}" (add it to KEYS in webdriver.mjs)`);
  });
}

class WebDriverPage {
  constructor(session) {
    this.session = session;
    this.viewport = null;
    this.keyboard = {
      press: (spec) => this.#keys(keyChords(spec)),
      type: (text) => this.#typeText(text),
    };
  }

  async goto(url) {
    await this.session.command("POST", "/url", { url });
    await this.session.execute(watchProblems);
  }

  async reload() {
    await this.session.command("POST", "/refresh", {});
    await this.session.execute(watchProblems);
  }

  /** The page's URL. A promise here (Playwright's is a string): await it. */
  url() {
    return this.session.command("GET", "/url");
  }

  content() {
    return this.session.command("GET", "/source");
  }

  evaluate(fn, arg) {
    return this.session.execute(fn, arg);
  }

  async waitForFunction(fn, arg, { timeout = TIMEOUT_MS } = {}) {
    const deadline = Date.now() + timeout;
    let lastError = null;
    for (;;) {
      const met = await this.session.execute(fn, arg).catch((error) => {
        lastError = error;
        return false;
      });
      if (met) return;
      if (Date.now() > deadline) {
        throw new Error(`${this.session.engine}: timed out after ${timeout} ms waiting for ${fn}${lastError ? ` (last error: ${lastError.message})` : ""}`);
      }
      await pause(100);
    }
  }

  async problems() {
    // No watcher means the page navigated by itself (not goto or reload): that is worth a failure.
    return this.session
      .execute(() => window.__pageProblems ?? ["no problem watcher: the page navigated on its own"])
      .catch((error) => [`the page could not be read: ${error.message}`]);
  }

  viewportSize() {
    return this.viewport;
  }

  /**
   * The window is sized so that its viewport (window.innerWidth × innerHeight) is the size asked;
   * throws if the engine does not get there (a test of a narrow screen must not run wide). The
   * error's `reached` is the size the window stopped at: a window has a minimum width (headless
   * Firefox 500 px, MiniBrowser 447 px).
   */
  async setViewportSize({ width, height }) {
    let [outerWidth, outerHeight] = [width, height];
    let inner = [];
    for (let attempt = 0; attempt < 10; attempt++) {
      await this.session.command("POST", "/window/rect", { width: Math.max(outerWidth, 1), height: Math.max(outerHeight, 1) });
      // Some engines resize asynchronously: read the size once it has settled.
      const before = inner;
      inner = await this.session.execute(async () => {
        let last = [];
        for (let i = 0; i < 20; i++) {
          const now = [window.innerWidth, window.innerHeight];
          if (now[0] === last[0] && now[1] === last[1]) return now;
          last = now;
          await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 20)));
        }
        return last;
      });
      if (inner[0] === width && inner[1] === height) {
        this.viewport = { width, height };
        return;
      }
      if (inner[0] === before[0] && inner[1] === before[1]) break; // the window will not go further
      outerWidth += width - inner[0];
      outerHeight += height - inner[1];
    }
    this.viewport = { width: inner[0], height: inner[1] };
    const error = new Error(`${this.session.engine}: the viewport is ${inner.join("×")}, not the ${width}×${height} asked`);
    error.reached = { ...this.viewport };
    throw error;
  }

  async screenshot({ path, fullPage = false } = {}) {
    const size = this.viewport;
    if (fullPage && size) {
      // The viewport grown to the document's height, as a full-page capture is.
      const height = await this.session.execute(() => document.documentElement.scrollHeight);
      await this.setViewportSize({ width: size.width, height: Math.max(size.height, Math.min(height, 8000)) });
    }
    const png = await this.session.command("GET", "/screenshot");
    if (fullPage && size) await this.setViewportSize(size);
    writeFileSync(path, Buffer.from(png, "base64"));
  }

  locator(selector) {
    return new WebDriverLocator(this, [{ css: selector }]);
  }

  getByLabel(text, { exact = false } = {}) {
    return new WebDriverLocator(this, [{ label: textMatcher(text, exact) }]);
  }

  getByRole(role, { name, exact = false } = {}) {
    return new WebDriverLocator(this, [{ role, name: name === undefined ? null : textMatcher(name, exact) }]);
  }

  getByText(text, { exact = false } = {}) {
    return new WebDriverLocator(this, [{ text: textMatcher(text, exact) }]);
  }

  async #keys(chord) {
    // A chord: every key down in order, then up in reverse (Control+A).
    const actions = [...chord.map((value) => ({ type: "keyDown", value })), ...[...chord].reverse().map((value) => ({ type: "keyUp", value }))];
    await this.session.command("POST", "/actions", { actions: [{ type: "key", id: "keyboard", actions }] });
    await this.session.command("DELETE", "/actions");
  }

  async #typeText(text) {
    const actions = [...text].flatMap((value) => [{ type: "keyDown", value }, { type: "keyUp", value }]);
    await this.session.command("POST", "/actions", { actions: [{ type: "key", id: "keyboard", actions }] });
  }
}

/**
 * Resolves a locator's steps in the page: the matching elements, each marked with a
 * data-webdriver-target attribute so that WebDriver can find it by CSS for a real click or typing.
 * Runs in the page (serialised), so it uses nothing from this module.
 */
function resolveInPage({ steps, mark }) {
  const normal = (text) => (text ?? "").replace(/\s+/g, " ").trim();
  const matches = (matcher, text) => {
    const value = normal(text);
    if (matcher.source !== undefined) return new RegExp(matcher.source, matcher.flags).test(value);
    return matcher.exact ? value === matcher.text : value.toLowerCase().includes(normal(matcher.text).toLowerCase());
  };
  const visible = (el) => {
    const box = el.getBoundingClientRect();
    return box.width > 0 && box.height > 0 && getComputedStyle(el).visibility !== "hidden";
  };
  // Hidden from assistive technology, as getByRole skips it.
  const accessible = (el) => el.getClientRects().length > 0 && !el.closest("[hidden], [aria-hidden='true']") &&
    getComputedStyle(el).visibility !== "hidden";
  const textOf = (el) => (el instanceof HTMLElement ? el.innerText : el.textContent);
  const byIds = (ids) => ids.split(/\s+/).map((id) => document.getElementById(id)).filter(Boolean).map(textOf).join(" ");
  // A label's text without the text of the control it wraps (a <select>'s options).
  const labelText = (label) => {
    const copy = label.cloneNode(true);
    copy.querySelectorAll("select, textarea, input").forEach((control) => control.remove());
    return copy.textContent;
  };
  const labels = (el) => [
    ...(el.labels ? [...el.labels].map(labelText) : []),
    el.getAttribute("aria-label"),
    el.getAttribute("aria-labelledby") && byIds(el.getAttribute("aria-labelledby")),
  ].filter((t) => t !== null && t !== undefined && t !== "");
  const ROLES = {
    button: "button, input[type=button], input[type=submit], input[type=reset], [role=button]",
    link: "a[href], [role=link]",
    checkbox: "input[type=checkbox], [role=checkbox]",
    radio: "input[type=radio], [role=radio]",
    combobox: "select, [role=combobox]",
    heading: "h1, h2, h3, h4, h5, h6, [role=heading]",
    textbox: "input:not([type]), input[type=text], input[type=url], input[type=search], input[type=email], textarea, [role=textbox]",
  };
  const accessibleName = (el) => {
    if (el.getAttribute("aria-labelledby")) return byIds(el.getAttribute("aria-labelledby"));
    if (el.getAttribute("aria-label")) return el.getAttribute("aria-label");
    if (el.labels?.length) return [...el.labels].map(labelText).join(" ");
    if (el instanceof HTMLInputElement && ["button", "submit", "reset"].includes(el.type)) return el.value;
    return el.textContent || el.getAttribute("title") || "";
  };
  const within = (scopes, selector) => scopes.flatMap((scope) => [...scope.querySelectorAll(selector)]);
  let found = [document.documentElement];
  let top = true; // the first step searches the document itself too (`html`)
  for (const step of steps) {
    const scopes = found;
    if (step.css !== undefined) {
      // Playwright's own `:visible`, at the end of a selector (the only place the tests use it).
      const css = step.css.replace(/:visible$/, "");
      if (css.includes(":visible")) throw new Error(`:visible is supported at the end of a selector only: ${step.css}`);
      found = within(top ? [document] : scopes, css).filter((el) => css === step.css || visible(el));
    } else if (step.label !== undefined) {
      found = within(scopes, "input, select, textarea, button, meter, progress, output, [aria-label], [aria-labelledby]")
        .filter((el) => labels(el).some((text) => matches(step.label, text)));
    } else if (step.role !== undefined) {
      const selector = ROLES[step.role] ?? `[role=${step.role}]`;
      found = within(scopes, selector).filter((el) => accessible(el) && (!step.name || matches(step.name, accessibleName(el))));
    } else if (step.text !== undefined) {
      const all = within(scopes, "body, body *").filter((el) => !["SCRIPT", "STYLE", "TEMPLATE"].includes(el.tagName));
      const hits = all.filter((el) => matches(step.text, textOf(el)));
      // The innermost elements holding the text, not every ancestor around them.
      found = hits.filter((el) => !hits.some((other) => other !== el && el.contains(other)));
    } else if (step.hasText !== undefined) {
      found = scopes.filter((el) => matches(step.hasText, textOf(el)));
    } else if (step.nth !== undefined) {
      const index = step.nth < 0 ? found.length + step.nth : step.nth;
      found = found[index] ? [found[index]] : [];
    }
    found = [...new Set(found)];
    top = false;
  }
  document.querySelectorAll("[data-webdriver-target]").forEach((el) => el.removeAttribute("data-webdriver-target"));
  if (mark) found.forEach((el, i) => el.setAttribute("data-webdriver-target", String(i)));
  return found.map((el) => ({
    visible: visible(el),
    enabled: !(el.disabled || el.closest("fieldset[disabled]") || el.getAttribute("aria-disabled") === "true"),
  }));
}

class WebDriverLocator {
  constructor(page, steps) {
    this.page = page;
    this.steps = steps;
  }

  #then(step) {
    return new WebDriverLocator(this.page, [...this.steps, step]);
  }

  locator(selector) {
    return this.#then({ css: selector });
  }

  getByLabel(text, { exact = false } = {}) {
    return this.#then({ label: textMatcher(text, exact) });
  }

  getByRole(role, { name, exact = false } = {}) {
    return this.#then({ role, name: name === undefined ? null : textMatcher(name, exact) });
  }

  getByText(text, { exact = false } = {}) {
    return this.#then({ text: textMatcher(text, exact) });
  }

  filter({ hasText }) {
    return this.#then({ hasText: textMatcher(hasText) });
  }

  first() {
    return this.#then({ nth: 0 });
  }

  last() {
    return this.#then({ nth: -1 });
  }

  nth(index) {
    return this.#then({ nth: index });
  }

  #resolve(mark = false) {
    return this.page.session.execute(resolveInPage, { steps: this.steps, mark });
  }

  toString() {
    return `locator ${JSON.stringify(this.steps)}`;
  }

  /**
   * Waits until exactly one element matches and meets `ready` (e.g. visible and enabled), then
   * resolves to its WebDriver reference. More than one match fails at once, as Playwright's strict
   * locators do.
   */
  async #one(ready, what) {
    const deadline = Date.now() + TIMEOUT_MS;
    for (;;) {
      const states = await this.#resolve(true);
      if (states.length > 1) throw new Error(`${this}: strict mode: ${states.length} elements match`);
      if (states.length === 1 && ready(states[0])) {
        const element = await this.page.session.command("POST", "/element", { using: "css selector", value: '[data-webdriver-target="0"]' });
        return element[ELEMENT];
      }
      if (Date.now() > deadline) throw new Error(`${this}: no ${what} element after ${TIMEOUT_MS} ms (${states.length} matched)`);
      await pause(100);
    }
  }

  #actionable() {
    return this.#one((state) => state.visible && state.enabled, "visible and enabled");
  }

  /**
   * Runs `fn(element, arg)` in the page on the one element, waiting until it is there. Resolving
   * and running are one script, so a re-render between them cannot hand `fn` another element.
   */
  async evaluate(fn, arg) {
    const deadline = Date.now() + TIMEOUT_MS;
    for (;;) {
      const outcome = await this.page.session.execute(
        `async ({ steps, arg }) => {
          const states = (${resolveInPage})({ steps, mark: true });
          if (states.length !== 1) return { count: states.length };
          return { value: await (${fn})(document.querySelector('[data-webdriver-target="0"]'), arg) };
        }`,
        { steps: this.steps, arg },
      );
      if (outcome.count === undefined) return outcome.value;
      if (outcome.count > 1) throw new Error(`${this}: strict mode: ${outcome.count} elements match`);
      if (Date.now() > deadline) throw new Error(`${this}: no element after ${TIMEOUT_MS} ms`);
      await pause(100);
    }
  }

  async evaluateAll(fn, arg) {
    await this.#resolve(true);
    return this.page.session.execute(`async (arg) => (${fn})([...document.querySelectorAll("[data-webdriver-target]")], arg)`, arg);
  }

  async count() {
    return (await this.#resolve()).length;
  }

  async waitFor({ state = "visible", timeout = TIMEOUT_MS } = {}) {
    const deadline = Date.now() + timeout;
    for (;;) {
      const states = await this.#resolve();
      if (state !== "detached" && state !== "hidden" && states.length > 1) throw new Error(`${this}: strict mode: ${states.length} elements match`);
      const met = {
        attached: states.length === 1,
        detached: states.length === 0,
        visible: states.length === 1 && states[0].visible,
        hidden: states.every((s) => !s.visible),
      }[state];
      if (met) return;
      if (Date.now() > deadline) throw new Error(`${this}: not ${state} after ${timeout} ms`);
      await pause(100);
    }
  }

  async click() {
    const deadline = Date.now() + TIMEOUT_MS;
    for (;;) {
      const id = await this.#actionable();
      try {
        await this.page.session.command("POST", `/element/${id}/click`, {});
        return;
      } catch (error) {
        // Covered for a moment (an overlay, a layout in progress): Playwright waits too.
        const passing = ["element click intercepted", "element not interactable", "stale element reference"].includes(error.webdriverError);
        if (!passing || Date.now() > deadline) throw error;
        await pause(100);
      }
    }
  }

  async dblclick() {
    const id = await this.#actionable();
    // Actions, unlike Element Click, do not scroll: the element is brought to the middle first.
    // (tests/e2e/pages.test.mjs checks that two clicks and a dblclick arrive.)
    await this.evaluate((el) => el.scrollIntoView({ block: "center", inline: "center" }));
    const click = [{ type: "pointerDown", button: 0 }, { type: "pointerUp", button: 0 }];
    const actions = [{ type: "pointerMove", duration: 0, origin: { [ELEMENT]: id }, x: 0, y: 0 }, ...click, ...click];
    await this.page.session.command("POST", "/actions", {
      actions: [{ type: "pointer", id: "mouse", parameters: { pointerType: "mouse" }, actions }],
    });
    await this.page.session.command("DELETE", "/actions");
  }

  async check() {
    await this.#setChecked(true);
  }

  async uncheck() {
    await this.#setChecked(false);
  }

  async #setChecked(checked) {
    if ((await this.isChecked()) !== checked) await this.click();
    if ((await this.isChecked()) !== checked) throw new Error(`${this}: clicking did not make it ${checked ? "checked" : "unchecked"}`);
  }

  async fill(value) {
    await this.#actionable();
    // As Playwright's fill: the field focused, its text selected and replaced by inserted text (an
    // `input` event, and `change` on blur as after typing). Date, time, colour and range inputs
    // take no inserted text: their value is set, with input and change.
    const done = await this.evaluate((el, value) => {
      el.focus();
      const direct = el instanceof HTMLInputElement && ["date", "datetime-local", "month", "week", "time", "color", "range"].includes(el.type);
      if (direct) {
        el.value = value;
        el.dispatchEvent(new Event("input", { bubbles: true }));
        el.dispatchEvent(new Event("change", { bubbles: true }));
        return true;
      }
      el.select();
      if (value === "") document.execCommand("delete");
      else document.execCommand("insertText", false, value);
      // What the field holds now, as Playwright checks: not appended to old text, not cut short.
      return el.value === value;
    }, String(value));
    if (!done) throw new Error(`${this}: the page did not take the text`);
  }

  async pressSequentially(text) {
    const id = await this.#actionable();
    await this.page.session.command("POST", `/element/${id}/value`, { text: String(text) });
  }

  async type(text) {
    await this.pressSequentially(text);
  }

  async press(spec) {
    const id = await this.#actionable();
    await this.page.session.command("POST", `/element/${id}/value`, { text: keyChords(spec).join("") });
  }

  async focus() {
    await this.evaluate((el) => el.focus());
  }

  async blur() {
    await this.evaluate((el) => el.blur());
  }

  async selectOption(choice) {
    // The option may arrive later (a list filled after connecting): wait for it, as Playwright does.
    const deadline = Date.now() + TIMEOUT_MS;
    while (!(await this.#select(choice))) {
      if (Date.now() > deadline) throw new Error(`${this}: no option ${JSON.stringify(choice)} after ${TIMEOUT_MS} ms`);
      await pause(100);
    }
  }

  async #select(choice) {
    await this.#actionable();
    return this.evaluate((select, choice) => {
      const wanted = typeof choice === "string" ? choice : choice.value ?? choice.label;
      const option = [...select.options].find((o) =>
        typeof choice === "string" ? o.value === wanted || o.label === wanted : choice.value !== undefined ? o.value === wanted : o.label === wanted);
      if (!option) return false;
      select.value = option.value;
      select.dispatchEvent(new Event("input", { bubbles: true }));
      select.dispatchEvent(new Event("change", { bubbles: true }));
      return true;
    }, choice);
  }

  innerText() {
    return this.evaluate((el) => el.innerText);
  }

  textContent() {
    return this.evaluate((el) => el.textContent);
  }

  inputValue() {
    return this.evaluate((el) => el.value);
  }

  getAttribute(name) {
    return this.evaluate((el, name) => el.getAttribute(name), name);
  }

  isChecked() {
    return this.evaluate((el) => el.checked);
  }

  async isEnabled() {
    await this.#one(() => true, "attached");
    return (await this.#resolve())[0].enabled;
  }

  async isDisabled() {
    return !(await this.isEnabled());
  }

  async isVisible() {
    const states = await this.#strict();
    return states.length === 1 && states[0].visible;
  }

  async isHidden() {
    return (await this.#strict()).every((s) => !s.visible);
  }

  /** The matches, at most one (Playwright's strict mode), else an error. */
  async #strict() {
    const states = await this.#resolve();
    if (states.length > 1) throw new Error(`${this}: strict mode: ${states.length} elements match`);
    return states;
  }

  allInnerTexts() {
    return this.evaluateAll((els) => els.map((el) => el.innerText));
  }

  async screenshot({ path }) {
    const id = await this.#one((state) => state.visible, "visible");
    const png = await this.page.session.command("GET", `/element/${id}/screenshot`);
    writeFileSync(path, Buffer.from(png, "base64"));
  }
}
