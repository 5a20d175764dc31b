// A member's own settings: their time zone, the practices they belong to, and the background
// jobs an owner looks after.
import { expect, type Page } from "@playwright/test";
import {
  addClient,
  firstLink,
  javaScriptOn,
  logIn,
  newClient,
  newPerson,
  receivedEmail,
  reload,
  signUp,
  submit,
  test,
  visit,
} from "./support/helpers";

test("a member sets their own time zone and sees times in it", { tag: "@forms" }, async ({ page }, info) => {
  const person = newPerson(info, "Mina");
  await signUp(page, person);
  await visit(page, "/app/settings");
  await page.getByRole("link", { name: "Your name and time zone" }).click();
  await expect(page.getByRole("heading", { name: "Your name and time zone" })).toBeVisible();
  await expect(page.getByLabel("Your time zone")).toHaveValue("America/Chicago");

  await page.getByLabel("Your time zone").selectOption("Europe/Paris");
  await submit(page, "Save");
  // Without JavaScript the form posts and comes back; a success message needs the wasm.
  if (javaScriptOn()) await expect(page.getByText("Saved. Times now show in your time zone.")).toBeVisible();
  await reload(page);
  await expect(page.getByLabel("Your time zone")).toHaveValue("Europe/Paris");

  await visit(page, "/app/outbox");
  await expect(page.getByText(`Welcome to Tend, ${person.name}`)).toBeVisible();
  await expect(page.getByText(/To .* · .* CET · /)).toBeVisible();
});

test("someone in two practices chooses one after logging in and switches to the other", { tag: "@forms" }, async ({
  page,
  elsewhere,
}, info) => {
  test.slow(); // two people, an invitation, two logins and two switches
  const ana = newPerson(info, "Ana");
  const ben = newPerson(info, "Ben");
  await signUp(page, ana);
  await signUp(elsewhere, ben);
  await visit(elsewhere, "/app/settings/members");
  await elsewhere.getByLabel("Email").fill(ana.email);
  await elsewhere.getByLabel("Role").selectOption("provider");
  await elsewhere.getByRole("button", { name: "Send invitation" }).click();
  if (javaScriptOn()) await expect(elsewhere.getByText("Invitation sent.")).toBeVisible();
  const invitation = await receivedEmail(ana.email, `Join ${ben.practice}`);
  await visit(page, firstLink(invitation.text));
  await page.getByLabel("Password").fill(ana.password);
  await page.getByRole("button", { name: "Join practice" }).click();
  await expect(page.getByRole("link", { name: ben.practice })).toBeVisible();
  await page.getByRole("button", { name: "Log out" }).click();

  await logIn(page, ana.email, ana.password);
  await expect(page.getByRole("heading", { name: "Your practices" })).toBeVisible();
  await expect(page.getByText("You are working in this practice.")).toBeVisible();
  await page.getByRole("button", { name: `Work in ${ben.practice}` }).click();

  await expect(page.getByRole("heading", { name: "Welcome, Ana" })).toBeVisible();
  await expect(page.getByRole("link", { name: ben.practice })).toBeVisible();
  await visit(page, "/app/practices");
  await page.getByRole("button", { name: `Work in ${ana.practice}` }).click();
  await expect(page.getByRole("link", { name: ana.practice })).toBeVisible();
});

test("an owner sees an email the mail server refused and retries it", { tag: "@forms" }, async ({ page }, info) => {
  await signUp(page, newPerson(info, "Omar"));
  const client = { ...newClient(info, "Rae", "Stone"), email: `rae.${Date.now().toString(36)}@rejects.example` };
  await addClient(page, client);
  await page.getByRole("button", { name: "Invite to the portal" }).click();
  await expect(page.getByRole("button", { name: "Resend invitation" })).toBeVisible();

  await visit(page, "/app/settings");
  await page.getByRole("link", { name: "Background jobs" }).click();
  await expect(page.getByRole("heading", { name: "Background jobs" })).toBeVisible();
  await untilListed(page, client.email);
  await expect(page.getByText("The mail server refused the message.", { exact: false })).toBeVisible();

  await page.getByRole("button", { name: /^Retry Email/ }).click();
  if (javaScriptOn()) await expect(page.getByText("Queued again. It runs within a few seconds.")).toBeVisible();
  // The mail server refuses it again: it comes back to the list.
  await untilListed(page, client.email);
});

/**
 * Waits (asking the server, as the page does) until a failed email to `address` is listed, then
 * reloads the failed-jobs page once: the worker changes the job in the background, and the page
 * is only read when the job has settled.
 */
async function untilListed(page: Page, address: string): Promise<void> {
  await expect
    .poll(
      async () => {
        const response = await page.request.post("/api/list_failed_jobs", {
          headers: { accept: "application/json", "sec-fetch-site": "same-origin" },
        });
        const jobs = (await response.json()) as { summary: string }[];
        return jobs.some((job) => job.summary.endsWith(`to ${address}`));
      },
      { timeout: 20_000, message: `a failed email to ${address} is listed` },
    )
    .toBe(true);
  await reload(page);
  await expect(page.getByText(`to ${address}`)).toBeVisible();
}
