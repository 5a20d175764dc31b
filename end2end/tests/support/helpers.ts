// Shared steps of the journeys: unique people, hydration, and reading received email.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test as base, expect, type Page, type TestInfo } from "@playwright/test";

const MAIL_DIR = process.env.TEND_E2E_MAIL_DIR ?? join(__dirname, "..", "..", ".mail");

export interface Person {
  name: string;
  email: string;
  password: string;
  practice: string;
}

/** A person no other test uses, so journeys run in parallel on one database. */
export function newPerson(info: TestInfo, first = "Dana"): Person {
  const tag = `${info.project.name}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 7)}`;
  return {
    name: `${first} Rivers`,
    email: `${first.toLowerCase()}.${tag}@example.com`,
    password: "orchard kettle maple drift",
    practice: `Rivers Nutrition ${tag}`,
  };
}

/** Whether this run has JavaScript (the "no-javascript" project runs the @forms journeys without). */
export function javaScriptOn(): boolean {
  return base.info().project.use.javaScriptEnabled !== false;
}

/** Waits until the wasm has hydrated the page, so clicks reach Leptos; nothing to wait for without JavaScript. */
export async function hydrated(page: Page): Promise<void> {
  if (javaScriptOn()) {
    await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  }
}

/** The address of the page's main wasm: the provider app's or the portal's (app/src/bundles.rs). */
export async function mainWasm(page: Page): Promise<string> {
  // The page's hydration script names its bundle's main wasm (bundles::Hydration).
  const scripts = await page
    .locator('head script[type="module"]')
    .evaluateAll((elements) => elements.map((element) => element.textContent ?? ""));
  const main = scripts.flatMap((text) => text.match(/\/pkg\/tend\.[^"/]+\.wasm/g) ?? []);
  expect(main).toHaveLength(1);
  return main[0];
}

/** Opens a page and waits until the wasm has hydrated it, so clicks reach Leptos. */
export async function visit(page: Page, path: string): Promise<void> {
  await page.goto(path);
  await hydrated(page);
}

/**
 * Presses a form's button. Without JavaScript the form posts and the browser navigates: wait
 * for that page, or a following visit or reload races the navigation ("Not attached to an
 * active page").
 */
export async function submit(page: Page, button: string): Promise<void> {
  const click = page.getByRole("button", { name: button }).click();
  if (javaScriptOn()) await click;
  else await Promise.all([page.waitForNavigation({ waitUntil: "load" }), click]);
}

/** Reloads the page and waits for hydration as `visit` does. */
export async function reload(page: Page): Promise<void> {
  await page.reload();
  await hydrated(page);
}

/**
 * Records what breaks the wasm in `page`: uncaught errors (a Rust panic shows as one) and
 * Leptos's hydration errors. `data-hydrated` is set before every <Suspense> has hydrated, so
 * a page can look hydrated and still die just after; journeys check this list at the end.
 */
export function watchForCrashes(page: Page): string[] {
  const crashes: string[] = [];
  page.on("pageerror", (error) => crashes.push(`${page.url()}: ${error.message.split("\n")[0]}`));
  page.on("console", (message) => {
    const text = message.text();
    if (message.type() === "error" && /hydration error|panicked at/i.test(text)) {
      crashes.push(`${page.url()}: ${text.split("\n")[0]}`);
    }
  });
  return crashes;
}

/**
 * `test` whose `page` fails the test when the wasm crashed in it, plus `elsewhere`: a second
 * browser with its own cookies (and the same device) for the other person of a journey.
 */
export const test = base.extend<{ elsewhere: Page }>({
  page: async ({ page }, use) => {
    const crashes = watchForCrashes(page);
    await use(page);
    expect(crashes, "the page crashed").toEqual([]);
  },
  elsewhere: async ({ browser }, use) => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const crashes = watchForCrashes(page);
    await use(page);
    await context.close();
    expect(crashes, "the second browser's page crashed").toEqual([]);
  },
});

export async function signUp(page: Page, person: Person): Promise<void> {
  await visit(page, "/signup");
  await page.getByLabel("Your name").fill(person.name);
  await page.getByLabel("Email").fill(person.email);
  await page.getByLabel("Password", { exact: true }).fill(person.password);
  await page.getByLabel("Practice name").fill(person.practice);
  await page.getByLabel("Practice time zone").selectOption("America/Chicago");
  await page.getByRole("button", { name: "Sign up" }).click();
  await expect(page.getByRole("heading", { name: "Check your inbox" })).toBeVisible();
  const email = await receivedEmail(person.email, "Confirm your email");
  await visit(page, firstLink(email.text));
  await page.getByRole("button", { name: "Create my practice" }).click();
  await expect(page.getByRole("heading", { name: `Welcome, ${person.name.split(" ")[0]}` })).toBeVisible();
}

export async function logIn(page: Page, email: string, password: string): Promise<void> {
  await visit(page, "/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Log in" }).click();
}

interface ReceivedEmail {
  to: string[];
  subject: string;
  text: string;
}

/** Waits for the SMTP server to receive a message to `to` whose subject contains `subject`. */
export async function receivedEmail(to: string, subject: string): Promise<ReceivedEmail> {
  let found: ReceivedEmail | undefined;
  await expect
    .poll(
      () => {
        if (!existsSync(MAIL_DIR)) return false;
        for (const file of readdirSync(MAIL_DIR).filter((name) => name.endsWith(".json"))) {
          const mail = JSON.parse(readFileSync(join(MAIL_DIR, file), "utf8")) as ReceivedEmail;
          if (mail.to.includes(to.toLowerCase()) && mail.subject.includes(subject)) {
            found = mail;
            return true;
          }
        }
        return false;
      },
      { timeout: 30_000, message: `email "${subject}" to ${to}` },
    )
    .toBe(true);
  return found!;
}

export function firstLink(text: string): string {
  const match = text.match(/https?:\/\/\S+/);
  if (!match) throw new Error(`no link in: ${text}`);
  return match[0];
}

export interface NewClient {
  first: string;
  last: string;
  name: string;
  email: string;
}

/** A client no other test uses (the email is unique across the whole run). */
export function newClient(info: TestInfo, first = "Jordan", last = "Lee"): NewClient {
  const tag = `${info.project.name}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 7)}`;
  return { first, last, name: `${first} ${last}`, email: `${first.toLowerCase()}.${tag}@example.net` };
}

/** Adds a client with the add-client form and waits for their profile. */
export async function addClient(page: Page, client: NewClient, provider?: string): Promise<void> {
  await visit(page, "/app/clients/new");
  await page.getByLabel("First name").fill(client.first);
  await page.getByLabel("Last name").fill(client.last);
  await page.getByLabel("Email").fill(client.email);
  await page.getByLabel("Client's time zone").selectOption("America/Chicago");
  if (provider) await page.getByLabel("Primary provider").selectOption({ label: provider });
  await page.getByRole("button", { name: "Add client" }).click();
  await expect(page.getByRole("heading", { level: 1, name: client.name })).toBeVisible();
}

/** The practice slug in a portal address such as http://host/p/{slug}/welcome?token=… */
export function portalSlug(link: string): string {
  const match = new URL(link).pathname.match(/^\/p\/([^/]+)/);
  if (!match) throw new Error(`not a portal link: ${link}`);
  return match[1];
}

/**
 * Opens a client's profile from the client list, as people do. (Loading a profile address
 * directly sometimes breaks hydration: see the fixme test in practice.spec.ts.)
 */
export async function openClient(page: Page, name: string): Promise<void> {
  await visit(page, "/app/clients");
  await page.getByRole("link", { name, exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
}
