// Scheduling: a provider sets up an appointment type; a client books it in the portal and the
// provider sees it on the calendar; the client reschedules, then finds cancelling closed with
// the practice's message; the provider marks a No-Show; with portal booking off the client
// cannot book. A new person books on the public page and is invited to the portal. A provider
// books a client outside their hours with a warning.
import { expect, type Page } from "@playwright/test";
import {
  addClient,
  firstLink,
  hydrated,
  javaScriptOn,
  newClient,
  newPerson,
  openClient,
  receivedEmail,
  reload,
  signUp,
  submit,
  test,
  visit,
} from "./support/helpers";

/** Creates a phone appointment type; cancelling online closes 30 days before it starts. */
async function createType(page: Page): Promise<void> {
  await visit(page, "/app/settings/scheduling");
  await page.getByRole("link", { name: "New appointment type" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "New appointment type" })).toBeVisible();
  await hydrated(page);
  await page.getByLabel("Name").fill("Follow-up");
  await page.getByLabel("Length (minutes)").fill("50");
  await page.getByLabel("Price").fill("80");
  await page.getByLabel("How it happens").selectOption({ label: "Phone call" });
  await page.getByLabel("Minimum notice to cancel (hours)").fill("720");
  await page.getByLabel("Message when clients may not cancel").fill("Please call us to cancel.");
  await page.getByRole("button", { name: "Create appointment type" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Scheduling" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Follow-up" })).toBeVisible();
}

/** Opens the calendar week by week until the client's appointment shows, then opens it. */
async function openFromCalendar(page: Page, client: string): Promise<void> {
  await visit(page, "/app/calendar");
  const appointment = page.getByRole("link", { name: new RegExp(client) }).first();
  for (let week = 0; week < 3 && !(await appointment.isVisible()); week++) {
    // Follow the link by its address: without JavaScript a click only starts the navigation,
    // and checking the old page again would click Next twice and skip the week.
    const next = await page.getByRole("link", { name: "Next", exact: true }).getAttribute("href");
    await visit(page, next ?? "");
  }
  await appointment.click();
  await expect(page.getByRole("heading", { level: 1, name: `Follow-up with ${client}` })).toBeVisible();
  await hydrated(page);
}

test("a client books in the portal, reschedules, cannot cancel inside the window, and the provider marks a No-Show @forms", async ({
  page,
  elsewhere,
}, info) => {
  test.setTimeout(240_000);
  const provider = newPerson(info);
  const jordan = newClient(info, "Jordan", "Lee");
  await signUp(page, provider);
  await createType(page);
  await page.getByLabel("Practice phone for clients").fill("555-0100");
  await submit(page, "Save booking rules");
  if (javaScriptOn()) await expect(page.getByText("Booking rules saved.")).toBeVisible();

  await addClient(page, jordan, provider.name);
  await page.getByRole("button", { name: "Invite to the portal" }).click();
  const link = firstLink((await receivedEmail(jordan.email, "invites you to your client portal")).text);
  const portal = elsewhere;
  await visit(portal, link);
  await portal.getByLabel("Choose a password").fill("velvet quarry lantern moss");
  await portal.getByRole("button", { name: "Set password and continue" }).click();
  await expect(portal.getByRole("heading", { level: 1, name: "Hello, Jordan" })).toBeVisible();

  // The client books the first free time, shown in their zone.
  await portal.getByRole("link", { name: "Book an appointment" }).first().click();
  await expect(portal.getByRole("heading", { level: 1, name: "Book an appointment" })).toBeVisible();
  await expect(portal.getByRole("heading", { name: /Available times \(America\/Chicago/ })).toBeVisible();
  await hydrated(portal);
  await portal.getByLabel("Show times in").selectOption("Europe/London");
  await portal.getByRole("button", { name: "Show times" }).click();
  await expect(portal.getByRole("heading", { name: /Available times \(Europe\/London/ })).toBeVisible();
  await hydrated(portal);
  await portal.locator(".slot-list a").first().click();
  await expect(portal.getByRole("heading", { name: "Confirm your appointment" })).toBeVisible();
  await expect(portal.getByText(new RegExp(`Follow-up with ${provider.name}, .*(GMT|BST)`))).toBeVisible();
  await hydrated(portal);
  await portal.getByRole("button", { name: "Confirm booking" }).click();
  await expect(portal.getByText("Your appointment is booked.")).toBeVisible();
  await expect(portal.getByRole("heading", { name: `Follow-up with ${provider.name}` })).toBeVisible();
  const confirmation = await receivedEmail(jordan.email, "Appointment booked: Follow-up");
  expect(confirmation.text).toContain("Your appointment is booked.");
  await receivedEmail(provider.email, `New appointment: ${jordan.name}`);

  // The provider sees it on the calendar.
  await openFromCalendar(page, jordan.name);
  await expect(page.getByText("None yet", { exact: true }).first()).toBeVisible();

  // The client moves it to the first time of another day.
  await hydrated(portal);
  await portal.getByRole("link", { name: "Reschedule" }).click();
  await expect(portal.getByRole("heading", { level: 1, name: "Reschedule your appointment" })).toBeVisible();
  const before = await portal.getByText(/^Currently: /).textContent();
  await hydrated(portal);
  await portal.locator(".slot-list").nth(1).locator("a").first().click();
  await hydrated(portal);
  await portal.getByRole("button", { name: "Confirm new time" }).click();
  await expect(portal.getByText("Your appointment was moved.")).toBeVisible();
  await receivedEmail(jordan.email, "Appointment moved: Follow-up");
  const after = await portal.locator(".appointment-card p").first().textContent();
  expect(`Currently: ${after}`).not.toEqual(before);

  // Cancelling closes 30 days ahead: no button, the practice's words and phone instead.
  await expect(portal.getByRole("button", { name: "Cancel appointment" })).toHaveCount(0);
  await expect(portal.getByText("Please call us to cancel.")).toBeVisible();
  await expect(portal.getByText("Contact the practice: 555-0100")).toBeVisible();

  // The provider marks a No-Show.
  await openFromCalendar(page, jordan.name);
  await page.getByLabel("Appointment status").selectOption({ label: "No-Show" });
  await page.getByRole("button", { name: "Save status" }).click();
  if (javaScriptOn()) await expect(page.getByText("Status saved.")).toBeVisible();
  await expect(page.locator("dd").filter({ hasText: "No-Show" })).toBeVisible();

  // The No-Show is in the appointments report.
  await visit(page, "/app/calendar");
  await page.getByRole("link", { name: "Appointments report" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Appointments report" })).toBeVisible();
  await hydrated(page);
  const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
  await page.getByLabel("From", { exact: true }).fill(day(-1));
  await page.getByLabel("To", { exact: true }).fill(day(40));
  await page.getByLabel("Status", { exact: true }).selectOption({ label: "No-Show" });
  await page.getByRole("button", { name: "Show report" }).click();
  await expect(page.getByRole("cell", { name: jordan.name })).toBeVisible();
  await expect(page.locator(".report-counts div").filter({ hasText: "No-Show" }).locator("dd")).toHaveText("1");
  await expect(page.getByRole("link", { name: "Download CSV" })).toBeVisible();

  // Portal booking off: no way in for the client.
  await visit(page, "/app/settings/scheduling");
  await page.getByLabel("Clients can book appointments in the portal").uncheck();
  await submit(page, "Save portal booking");
  if (javaScriptOn()) await expect(page.getByText("Saved.", { exact: true })).toBeVisible();
  await visit(portal, new URL(link).pathname.replace(/\/welcome$/, ""));
  await expect(portal.getByRole("heading", { level: 1, name: "Hello, Jordan" })).toBeVisible();
  await expect(portal.getByRole("link", { name: "Book an appointment" })).toHaveCount(0);
  await visit(portal, `${new URL(link).pathname.replace(/\/welcome$/, "")}/book`);
  await expect(portal.getByText("Online booking is not available.")).toBeVisible();
});

test("a provider sets weekly hours and books a client outside them with a warning @forms", async ({ page }, info) => {
  test.setTimeout(180_000);
  const provider = newPerson(info);
  const kim = newClient(info, "Kim", "Park");
  await signUp(page, provider);
  await createType(page);
  await addClient(page, kim, provider.name);

  await visit(page, "/app/availability");
  await expect(page.getByRole("heading", { name: `Weekly hours of ${provider.name}` })).toBeVisible();
  await expect(page.getByLabel("Monday from (1)")).toHaveValue("09:00");
  await page.getByLabel("Saturday from (1)").fill("10:00");
  if (javaScriptOn()) {
    // The refusal is shown next to the day, and what was typed stays.
    await page.getByLabel("Saturday until (1)").fill("09:00");
    await page.getByRole("button", { name: "Save weekly hours" }).click();
    await expect(page.getByText("End after the start.")).toBeVisible();
    await expect(page.getByLabel("Saturday from (1)")).toHaveValue("10:00");
  }
  await page.getByLabel("Saturday until (1)").fill("12:00");
  await submit(page, "Save weekly hours");
  if (javaScriptOn()) await expect(page.getByText("Weekly hours saved.")).toBeVisible();
  await reload(page);
  await expect(page.getByLabel("Saturday from (1)")).toHaveValue("10:00");
  await expect(page.getByLabel("Saturday until (1)")).toHaveValue("12:00");

  // A private calendar feed address that a calendar app can read.
  await expect(page.getByText("No feed address yet.")).toBeVisible();
  await submit(page, "Make a new feed address");
  await expect(page.getByLabel("Feed address")).toHaveValue(/\/calendar\/[A-Za-z0-9_-]{43}\.ics$/);
  const feed = await page.request.get(await page.getByLabel("Feed address").inputValue());
  expect(feed.status()).toBe(200);
  expect(await feed.text()).toContain("BEGIN:VCALENDAR");

  await visit(page, "/app/calendar");
  await page.getByRole("link", { name: "New appointment", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "New appointment" })).toBeVisible();
  await hydrated(page);
  await page.getByLabel("Find a client").fill("Kim");
  await page.getByRole("button", { name: "Search clients" }).click();
  await expect(page.getByLabel("Client", { exact: true })).toContainText(kim.name);
  await hydrated(page);
  await page.getByLabel("Client", { exact: true }).selectOption({ label: kim.name });
  const nextYear = new Date().getFullYear() + 1;
  await page.getByLabel("Date").fill(`${nextYear}-03-02`);
  await page.getByLabel("Start time").fill("20:00");
  await page.getByRole("button", { name: "Book appointment" }).click();
  await expect(page.getByRole("heading", { level: 1, name: `Follow-up with ${kim.name}` })).toBeVisible();
  await expect(page.getByText("Booked outside the provider's available hours.")).toBeVisible();

  // Cancelled, it stays; deleted, it is gone.
  await hydrated(page);
  await page.getByRole("button", { name: "Cancel appointment" }).click();
  await expect(page.locator("dd").filter({ hasText: "Cancelled" })).toBeVisible();
  await page.getByRole("button", { name: "Delete appointment" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Calendar" })).toBeVisible();
});

test("a new person books on the public page and receives the invitation @forms", async ({ page, elsewhere }, info) => {
  test.setTimeout(180_000);
  const provider = newPerson(info);
  const nora = newClient(info, "Nora", "Quinn");
  await signUp(page, provider);
  await createType(page);
  const bookingPage = await page.getByRole("link", { name: "Public booking page" }).getAttribute("href");

  // Someone who is not a client yet picks a time on the practice's page.
  const visitor = elsewhere;
  await visit(visitor, bookingPage!);
  await expect(visitor.getByRole("heading", { level: 1, name: "Book an appointment" })).toBeVisible();
  await expect(visitor.getByRole("link", { name: "Log in to book" })).toBeVisible();
  await hydrated(visitor);
  await visitor.locator(".slot-list a").first().click();
  await expect(visitor.getByRole("heading", { name: "Confirm your appointment" })).toBeVisible();
  await expect(visitor.getByText(new RegExp(`Follow-up with ${provider.name}, `))).toBeVisible();
  await hydrated(visitor);
  await visitor.getByLabel("First name").fill(nora.first);
  await visitor.getByLabel("Last name").fill(nora.last);
  await visitor.getByLabel("Email").fill(nora.email);
  if (javaScriptOn()) {
    // Without a phone number: the message is next to the field and what was typed stays.
    await visitor.getByRole("button", { name: "Confirm booking" }).click();
    await expect(visitor.getByText("Enter a phone number the practice can reach you at.")).toBeVisible();
    await expect(visitor.getByLabel("First name")).toHaveValue(nora.first);
    await expect(visitor.getByLabel("Email")).toHaveValue(nora.email);
  }
  await visitor.getByLabel("Phone").fill("+1 312 555 0142");
  await visitor.getByLabel("Your time zone").selectOption("America/Chicago");
  await visitor.getByRole("button", { name: "Confirm booking" }).click();
  await expect(visitor.getByRole("heading", { level: 1, name: "Check your email" })).toBeVisible();

  // The confirmation, the invitation, and the provider's notice.
  const confirmation = await receivedEmail(nora.email, "Appointment booked: Follow-up");
  expect(confirmation.text).toContain("Your appointment is booked.");
  const invitation = await receivedEmail(nora.email, "invites you to your client portal");
  expect(invitation.text).toContain(`Thank you for booking Follow-up with ${provider.name}`);
  await receivedEmail(provider.email, `New appointment: ${nora.name}`);

  // The invitation opens the portal, where the appointment waits.
  await visit(visitor, firstLink(invitation.text));
  await visitor.getByLabel("Choose a password").fill("velvet quarry lantern moss");
  await visitor.getByRole("button", { name: "Set password and continue" }).click();
  await expect(visitor.getByRole("heading", { level: 1, name: "Hello, Nora" })).toBeVisible();
  await visitor.getByRole("link", { name: "Appointments", exact: true }).first().click();
  await expect(visitor.getByRole("heading", { name: `Follow-up with ${provider.name}` })).toBeVisible();

  // The provider has a new client, theirs, and the appointment on the calendar.
  await openClient(page, nora.name);
  await expect(page.getByText(nora.email)).toBeVisible();
  await openFromCalendar(page, nora.name);
});
