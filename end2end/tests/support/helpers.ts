// Shared steps of the journeys: unique people, hydration, and reading received email.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, type Page, type TestInfo } from "@playwright/test";

const MAIL_DIR = join(__dirname, "..", "..", ".mail");

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

/** Opens a page and waits until the wasm has hydrated it, so clicks reach Leptos. */
export async function visit(page: Page, path: string): Promise<void> {
  await page.goto(path);
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
}

export async function signUp(page: Page, person: Person): Promise<void> {
  await visit(page, "/signup");
  await page.getByLabel("Your name").fill(person.name);
  await page.getByLabel("Email").fill(person.email);
  await page.getByLabel("Password", { exact: true }).fill(person.password);
  await page.getByLabel("Practice name").fill(person.practice);
  await page.getByLabel("Practice time zone").selectOption("America/Chicago");
  await page.getByRole("button", { name: "Create practice" }).click();
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
        for (const file of readdirSync(MAIL_DIR)) {
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
