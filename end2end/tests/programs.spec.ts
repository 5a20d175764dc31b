// Programs: a provider builds a program, adds a client and a group with their own start dates;
// the client follows it in the portal; removal ends access at once; the x of a group member
// explains the group rule.
import { expect, type Page } from "@playwright/test";
import {
  addClient,
  firstLink,
  hydrated,
  newClient,
  newPerson,
  receivedEmail,
  signUp,
  test,
  visit,
} from "./support/helpers";

/** Adds a lesson released on `day` at `time` (the first one at midnight, so it is open whatever
 * the time of day the test runs: at 9:00 it failed between midnight and 9:00 in Chicago). */
async function addModule(page: Page, title: string, day: string, body: string, time = "09:00"): Promise<void> {
  // The form stays open after a module is added.
  if (!(await page.getByLabel("Module title").isVisible())) await page.getByText("Add a module").click();
  await page.getByLabel("Module title").fill(title);
  await page.getByLabel("Text", { exact: true }).fill(body);
  await page.getByLabel("Release day").fill(day);
  await page.getByLabel("Release time").fill(time);
  await page.getByRole("button", { name: "Add module" }).click();
  await expect(page.getByRole("link", { name: title, exact: true })).toBeVisible();
}

async function choose(page: Page, typed: string, option: string): Promise<void> {
  const box = page.getByRole("combobox", { name: "Add Clients and Groups" });
  await box.fill(typed);
  await expect(page.getByRole("option", { name: new RegExp(option) })).toBeVisible();
  await box.press("ArrowDown");
  await box.press("Enter");
  await expect(page.getByRole("status").filter({ hasText: `Chosen: ${option}` })).toBeVisible();
}

test("a provider builds a program, enrolls a client and a group, and removing the client ends their access", async ({
  page,
  elsewhere,
}, info) => {
  test.setTimeout(240_000);
  const provider = newPerson(info);
  const jordan = newClient(info, "Jordan", "Lee");
  const kim = newClient(info, "Kim", "Park");
  await signUp(page, provider);

  // Jordan gets a portal login.
  await addClient(page, jordan, provider.name);
  await page.getByRole("button", { name: "Invite to the portal" }).click();
  const link = firstLink((await receivedEmail(jordan.email, "invites you to your client portal")).text);
  const portal = elsewhere;
  await visit(portal, link);
  await portal.getByLabel("Choose a password").fill("velvet quarry lantern moss");
  await portal.getByRole("button", { name: "Set password and continue" }).click();
  await expect(portal.getByRole("heading", { level: 1, name: "Hello, Jordan" })).toBeVisible();

  // Kim is in a group.
  await addClient(page, kim, provider.name);
  await visit(page, "/app/groups");
  await page.getByLabel("Group name").fill("Tuesday cohort");
  await page.getByRole("button", { name: "Create group" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Tuesday cohort" })).toBeVisible();
  await page.getByLabel("Find a client").fill("Kim");
  await page.getByRole("button", { name: "Find" }).click();
  await page.getByRole("button", { name: `Add ${kim.name} to the group` }).click();
  await expect(page.getByRole("link", { name: kim.name })).toBeVisible();

  // The program, three modules, published.
  await visit(page, "/app/programs");
  await page.getByRole("link", { name: "New program" }).click();
  await page.getByLabel("Title").fill("Gut reset");
  await page.getByLabel("Description").fill("Four weeks to calmer digestion.");
  await page.getByRole("button", { name: "Create program" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Gut reset" })).toBeVisible();
  await addModule(page, "Welcome", "0", "# Week one\n\nEat **more** greens.", "00:00");
  await addModule(page, "Fibre", "7", "Beans, lentils, oats.");
  await addModule(page, "Sleep", "14", "Lights out by ten.");
  await page.getByRole("button", { name: "Publish" }).click();
  await expect(page.getByText("Active", { exact: true })).toBeVisible();

  // Preview: on day 7, the second module is open and the third still locked.
  await page.getByRole("link", { name: "Preview as a client" }).click();
  await page.getByLabel("Day of the program (0 is the start date)").fill("7");
  await page.getByRole("button", { name: "Show" }).click();
  await expect(page.getByRole("listitem").filter({ hasText: "Fibre" })).toContainText("Lesson · Open");
  await expect(page.getByRole("listitem").filter({ hasText: "Sleep" })).toContainText("Opens");
  await hydrated(page);
  await page.getByRole("link", { name: "Gut reset" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Gut reset" })).toBeVisible();
  await hydrated(page);

  // Jordan starts today, the group a week ago.
  await choose(page, "Jordan", jordan.name);
  await page.getByRole("button", { name: `Add ${jordan.name}` }).click();
  await expect(page.getByText("Added to the program.")).toBeVisible();
  await choose(page, "Tuesday", "Tuesday cohort");
  const weekAgo = new Date(Date.now() - 7 * 86_400_000).toISOString().slice(0, 10);
  await page.getByLabel("Start date", { exact: true }).fill(weekAgo);
  await page.getByRole("button", { name: "Add Tuesday cohort" }).click();
  await expect(page.getByRole("link", { name: "Tuesday cohort" })).toBeVisible();
  await expect(page.getByText(`added ${jordan.name}`)).toBeVisible();

  // Jordan sees the first module open and the next one locked with its date.
  await portal.getByRole("link", { name: "Programs" }).click();
  await portal.getByRole("link", { name: "Gut reset" }).click();
  await expect(portal.getByRole("heading", { level: 1, name: "Gut reset" })).toBeVisible();
  await expect(portal.getByRole("listitem").filter({ hasText: "Fibre" })).toContainText("Opens");
  await expect(portal.getByRole("link", { name: "Fibre" })).toHaveCount(0);
  await portal.getByRole("link", { name: "Welcome" }).click();
  await expect(portal.getByRole("heading", { name: "Week one" })).toBeVisible();
  await expect(portal.locator("strong", { hasText: "more" })).toBeVisible();
  await portal.getByRole("button", { name: "Mark complete" }).click();
  await expect(portal.getByText("You completed this module.")).toBeVisible();
  const moduleAddress = portal.url();

  // The Clients tab: Kim through the group (the x explains), Jordan directly (the x removes).
  await page.getByRole("link", { name: /Clients tab/ }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Clients" })).toBeVisible();
  const kimRow = page.getByRole("listitem").filter({ hasText: kim.name });
  await expect(kimRow).toContainText("Through group Tuesday cohort");
  await kimRow.getByRole("button", { name: `Remove ${kim.name}` }).click();
  await expect(kimRow.getByRole("status")).toContainText("remove them from");
  await expect(kimRow.getByRole("link", { name: "the group Tuesday cohort" })).toBeVisible();
  const jordanRow = page.getByRole("listitem").filter({ hasText: jordan.name });
  await expect(jordanRow).toContainText("1 of 1 released modules completed");
  page.once("dialog", (dialog) => dialog.accept());
  await jordanRow.getByRole("button", { name: `Remove ${jordan.name}` }).click();
  await expect(page.getByText("Removed: they no longer have access to this program.")).toBeVisible();
  await expect(page.getByRole("listitem").filter({ hasText: jordan.name })).toHaveCount(0);

  // Jordan's links stop working.
  await visit(portal, moduleAddress);
  await expect(portal.getByRole("heading", { name: "You no longer have access to this program" })).toBeVisible();
  await portal.getByRole("link", { name: "Your programs" }).click();
  await expect(portal.getByText("You are not enrolled in any program yet.")).toBeVisible();
});

// A 1×1 PNG and a small PDF, as a provider's files would be.
const PNG = Buffer.from(
  "89504E470D0A1A0A0000000D4948445200000001000000010806000000" +
    "1F15C4890000000D49444154789C6360F8FFFF3F0005FE02FE0DEF46B80000000049454E44AE426082",
  "hex",
);
const PDF = Buffer.from("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");

test("a cover image and a document module reach the client, and staff without program permissions cannot enroll or remove", async ({
  page,
  elsewhere,
}, info) => {
  test.setTimeout(240_000);
  const owner = newPerson(info, "Dana");
  const staff = newPerson(info, "Sam");
  await signUp(page, owner);

  // The owner tries the program as their own test client.
  await visit(page, "/app/clients");
  await page.getByRole("button", { name: "Add yourself as a test client" }).click();
  await expect(page.getByText("Test client: left out of counts and reports.")).toBeVisible();

  await visit(page, "/app/programs");
  await page.getByRole("link", { name: "New program" }).click();
  await page.getByLabel("Title").fill("Meal basics");
  await page.getByRole("button", { name: "Create program" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Meal basics" })).toBeVisible();

  // A file that is not an image is refused by its bytes, whatever its name says.
  await page.getByLabel("Cover image").setInputFiles({ name: "cover.png", mimeType: "image/png", buffer: PDF });
  await page.getByRole("button", { name: "Upload cover image" }).click();
  await expect(page.getByRole("alert")).toHaveText("The cover image must be a PNG, JPEG or WebP image.");
  await page.getByLabel("Cover image").setInputFiles({ name: "cover.png", mimeType: "image/png", buffer: PNG });
  await page.getByRole("button", { name: "Upload cover image" }).click();
  await expect(page.getByText("Cover image saved.")).toBeVisible();
  await expect(page.getByRole("img", { name: "Cover of Meal basics" })).toBeVisible();

  // A document module, then its file.
  await page.getByText("Add a module").click();
  await page.getByLabel("Kind").selectOption("document");
  await page.getByLabel("Module title").fill("Meal plan");
  await page.getByLabel("Text", { exact: true }).fill("Print it and keep it on the fridge.");
  await page.getByLabel("Release day").fill("0");
  await page.getByLabel("Release time").fill("00:00");
  await page.getByRole("button", { name: "Add module" }).click();
  await page.getByRole("link", { name: "Meal plan", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Meal plan" })).toBeVisible();
  await expect(page.getByText("No file yet")).toBeVisible();
  await page.getByLabel("Document file").setInputFiles({ name: "meal-plan.pdf", mimeType: "application/pdf", buffer: PDF });
  await page.getByRole("button", { name: "Upload document" }).click();
  await expect(page.getByText("Document saved.")).toBeVisible();
  await expect(page.getByRole("link", { name: "meal-plan.pdf" })).toBeVisible();

  await page.getByRole("link", { name: "Meal basics" }).click();
  await page.getByRole("button", { name: "Publish" }).click();
  await expect(page.getByText("Active", { exact: true })).toBeVisible();
  await hydrated(page);
  await choose(page, owner.name.split(" ")[0], owner.name);
  await page.getByRole("button", { name: `Add ${owner.name}` }).click();
  await expect(page.getByText("Added to the program.")).toBeVisible();
  const programAddress = page.url();

  // In the portal: the cover on the list and the program, the document to download.
  await visit(page, "/app/clients");
  await page.getByRole("link", { name: owner.name }).click();
  await page.getByRole("button", { name: "Open the portal as this client" }).click();
  await expect(page.getByRole("note")).toContainText("You are viewing the portal as a test client.");
  await page.getByRole("link", { name: "Programs" }).click();
  await page.getByRole("link", { name: "Meal basics" }).click();
  await expect(page.getByRole("img", { name: "Cover of Meal basics" })).toBeVisible();
  await page.getByRole("link", { name: "Meal plan" }).click();
  await expect(page.getByText("Print it and keep it on the fridge.")).toBeVisible();
  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Open meal-plan.pdf" }).click();
  expect((await download).suggestedFilename()).toBe("meal-plan.pdf");

  // Staff joins without either program permission.
  await visit(page, "/app/settings/members");
  await page.getByLabel("Email").fill(staff.email);
  await page.getByLabel("Role").selectOption("staff");
  await page.getByRole("button", { name: "Send invitation" }).click();
  await expect(page.getByRole("status")).toHaveText("Invitation sent.");
  const invitation = firstLink((await receivedEmail(staff.email, `Join ${owner.practice} on Tend`)).text);
  await visit(elsewhere, invitation);
  await elsewhere.getByLabel("Your name").fill(staff.name);
  await elsewhere.getByLabel("Password").fill(staff.password);
  await elsewhere.getByRole("button", { name: "Join practice" }).click();
  await expect(elsewhere.getByRole("heading", { name: "Welcome, Sam" })).toBeVisible();

  // They see the program and who follows it, but cannot add, remove or edit.
  await visit(elsewhere, new URL(programAddress).pathname);
  await expect(elsewhere.getByRole("heading", { level: 1, name: "Meal basics" })).toBeVisible();
  await expect(elsewhere.getByRole("combobox", { name: "Add Clients and Groups" })).toHaveCount(0);
  await expect(elsewhere.getByRole("button", { name: "Upload cover image" })).toHaveCount(0);
  await elsewhere.getByRole("link", { name: /Clients tab/ }).click();
  await expect(elsewhere.getByRole("heading", { level: 1, name: "Clients" })).toBeVisible();
  const row = elsewhere.getByRole("listitem").filter({ hasText: owner.name });
  await expect(row).toBeVisible();
  await expect(row.getByRole("button", { name: `Remove ${owner.name}` })).toHaveCount(0);
});
