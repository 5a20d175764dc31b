// The practice: clients and their portal, members and permissions, the test client, groups.
// Every test fails if the wasm crashes in one of its pages (see `test` in support/helpers.ts).
import { expect } from "@playwright/test";
import {
  addClient,
  firstLink,
  hydrated,
  javaScriptOn,
  mainWasm,
  newClient,
  newPerson,
  openClient,
  portalSlug,
  receivedEmail,
  reload,
  signUp,
  test,
  visit,
} from "./support/helpers";

test("an invited client sets a password, sees their branded portal, logs out and back in", async ({
  page,
  elsewhere,
}, info) => {
  const provider = newPerson(info);
  const client = newClient(info, "Jordan", "Lee");
  await signUp(page, provider);
  await addClient(page, client, provider.name);
  await page.getByRole("button", { name: "Invite to the portal" }).click();
  await expect(page.getByRole("status")).toHaveText(`Invitation sent to ${client.email}.`);
  await expect(page.getByRole("button", { name: "Resend invitation" })).toBeVisible();

  const email = await receivedEmail(client.email, "invites you to your client portal");
  expect(email.subject).toBe(`${provider.practice} invites you to your client portal`);
  const link = firstLink(email.text);
  const slug = portalSlug(link);
  expect(new URL(link).pathname).toBe(`/p/${slug}/welcome`);

  const portal = elsewhere;
  await visit(portal, link);
  await expect(portal.getByRole("heading", { name: "Welcome to your client portal" })).toBeVisible();
  const password = "velvet quarry lantern moss";
  await portal.getByLabel("Choose a password").fill(password);
  await portal.getByRole("button", { name: "Set password and continue" }).click();

  await expect(portal.getByRole("heading", { level: 1, name: "Hello, Jordan" })).toBeVisible();
  await expect(portal).toHaveURL(new RegExp(`/p/${slug}$`));
  await expect(portal.getByRole("banner").getByRole("link", { name: provider.practice })).toBeVisible();
  await expect(portal.getByRole("heading", { name: "Your provider" })).toBeVisible();
  await expect(portal.getByText(provider.name, { exact: true })).toBeVisible();
  await expect(portal.getByRole("note")).toHaveCount(0);

  await portal.getByRole("button", { name: "Log out" }).click();
  await expect(portal.getByRole("heading", { name: "Log in to your portal" })).toBeVisible();
  await expect(portal).toHaveURL(new RegExp(`/p/${slug}/login$`));
  await visit(portal, `/p/${slug}`);
  await expect(portal.getByRole("heading", { name: "Log in to your portal" })).toBeVisible();

  await visit(portal, `/p/${slug}/login`);
  await expect(portal.getByRole("banner").getByRole("link", { name: provider.practice })).toBeVisible();
  await portal.getByLabel("Email").fill(client.email);
  await portal.getByLabel("Password").fill("not my password at all");
  await portal.getByRole("button", { name: "Log in" }).click();
  await expect(portal.getByRole("alert")).toHaveText("That email and password don't match an account.");
  await portal.getByLabel("Password").fill(password);
  await portal.getByRole("button", { name: "Log in" }).click();
  await expect(portal.getByRole("heading", { level: 1, name: "Hello, Jordan" })).toBeVisible();
  await expect(portal.getByText(provider.name, { exact: true })).toBeVisible();

  // The provider sees that the client now has a portal login.
  await visit(page, "/app/clients");
  const row = page.getByRole("listitem").filter({ hasText: client.name });
  await expect(row.getByText("Portal", { exact: true })).toBeVisible();
  await openClient(page, client.name);
  await expect(page.getByText("This client has set a password and can log in to the portal.")).toBeVisible();
  await expect(page.getByRole("button", { name: "Resend invitation" })).toHaveCount(0);
});

test("staff is refused what needs a permission until the owner turns it on", async ({ page, elsewhere }, info) => {
  const owner = newPerson(info, "Dana");
  const staff = newPerson(info, "Sam");
  await signUp(page, owner);

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Settings" }).click();
  await page.getByRole("link", { name: "Members and permissions" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Members" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Invite a member" })).toBeVisible();
  await page.getByLabel("Email").fill(staff.email);
  await page.getByLabel("Role").selectOption("staff");
  await page.getByRole("button", { name: "Send invitation" }).click();
  await expect(page.getByRole("status")).toHaveText("Invitation sent.");
  await expect(page.getByRole("heading", { name: "Pending invitations" })).toBeVisible();
  await expect(page.getByRole("button", { name: `Revoke invitation to ${staff.email}` })).toBeVisible();

  const email = await receivedEmail(staff.email, `Join ${owner.practice} on Tend`);
  const link = firstLink(email.text);
  expect(new URL(link).pathname).toBe("/join");

  const other = elsewhere;
  await visit(other, link);
  await expect(other.getByRole("heading", { name: "Join your practice" })).toBeVisible();
  await other.getByLabel("Your name").fill(staff.name);
  await other.getByLabel("Password").fill(staff.password);
  await other.getByRole("button", { name: "Join practice" }).click();
  await expect(other.getByRole("heading", { name: "Welcome, Sam" })).toBeVisible();
  await expect(other.getByRole("link", { name: owner.practice })).toBeVisible();

  // Staff starts without "Can manage members": the switches are read-only and inviting is refused.
  await visit(other, "/app/settings/members");
  const staffCanManage = other.getByRole("switch", { name: `Can manage members (${staff.name})` });
  await expect(staffCanManage).toHaveAttribute("aria-checked", "false");
  await expect(staffCanManage).toBeDisabled();
  await expect(other.getByRole("switch", { name: `Can see all clients (${staff.name})` })).toHaveAttribute(
    "aria-checked",
    "true",
  );
  await expect(other.getByRole("heading", { name: "Pending invitations" })).toHaveCount(0);
  const colleague = newPerson(info, "Lee");
  await other.getByLabel("Email").fill(colleague.email);
  await other.getByRole("button", { name: "Send invitation" }).click();
  await expect(other.getByRole("alert")).toHaveText(
    "You need the permission “Can manage members” to do this. Ask the owner of the practice.",
  );
  await expect(other.getByRole("status")).toHaveCount(0);

  // The owner sees the new member and turns the permission on.
  await visit(page, "/app/settings/members");
  await expect(page.getByRole("heading", { name: staff.name })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Pending invitations" })).toHaveCount(0);
  const canManage = page.getByRole("switch", { name: `Can manage members (${staff.name})` });
  await expect(canManage).toHaveAttribute("aria-checked", "false");
  await expect(canManage).toBeEnabled();
  await canManage.click();
  await expect(canManage).toHaveAttribute("aria-checked", "true");
  await reload(page);
  await expect(page.getByRole("switch", { name: `Can manage members (${staff.name})` })).toHaveAttribute(
    "aria-checked",
    "true",
  );
  // Only that permission changed.
  await expect(page.getByRole("switch", { name: `Can issue refunds (${staff.name})` })).toHaveAttribute(
    "aria-checked",
    "false",
  );

  // The change applies to the staff member at once; their own switches stay theirs to ask for.
  await visit(other, "/app/settings/members");
  const own = other.getByRole("switch", { name: `Can manage members (${staff.name})` });
  await expect(own).toHaveAttribute("aria-checked", "true");
  await expect(own).toBeDisabled();
  await other.getByLabel("Email").fill(colleague.email);
  await other.getByRole("button", { name: "Send invitation" }).click();
  await expect(other.getByRole("status")).toHaveText("Invitation sent.");
  await receivedEmail(colleague.email, `Join ${owner.practice} on Tend`);
});

test("a provider opens the portal as their own test client, left out of the client count", async ({
  page,
}, info) => {
  const provider = newPerson(info, "Dana");
  await signUp(page, provider);
  await visit(page, "/app/clients");
  await expect(page.getByText("No clients yet. Add your first client to get started.")).toBeVisible();

  await page.getByRole("button", { name: "Add yourself as a test client" }).click();
  await expect(page.getByRole("heading", { level: 1, name: provider.name })).toBeVisible();
  await expect(page.getByText("Test client: left out of counts and reports.")).toBeVisible();
  const providerWasm = await mainWasm(page);

  // The provider app redirects into the portal: a page of the other app, with its own wasm.
  await page.getByRole("button", { name: "Open the portal as this client" }).click();
  await expect(page.getByRole("note")).toContainText("You are viewing the portal as a test client.");
  await expect(page.getByRole("heading", { level: 1, name: "Hello, Dana" })).toBeVisible();
  await expect(page).toHaveURL(/\/p\/[^/]+$/);
  await hydrated(page);
  const portalWasm = await mainWasm(page);
  expect(portalWasm).not.toBe(providerWasm);
  if (javaScriptOn()) {
    const downloaded = await page.evaluate(() => performance.getEntriesByType("resource").map((entry) => entry.name));
    expect(downloaded.some((url) => url.endsWith(portalWasm))).toBe(true);
    expect(downloaded.some((url) => url.endsWith(providerWasm))).toBe(false);
  }
  await expect(page.getByRole("banner").getByRole("link", { name: provider.practice })).toBeVisible();
  await expect(page.getByText(provider.name, { exact: true })).toBeVisible();

  await page.getByRole("link", { name: "Back to the provider app" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Clients" })).toBeVisible();
  await hydrated(page);
  expect(await mainWasm(page)).toBe(providerWasm);
  await expect(page.getByRole("link", { name: provider.name })).toBeVisible();
  const testClient = page.getByRole("listitem").filter({ hasText: provider.name });
  await expect(testClient.getByText("Test client", { exact: true })).toBeVisible();
  await expect(page.getByText("0 clients", { exact: true })).toBeVisible();

  // A real client is counted; the test client still is not.
  const client = newClient(info, "Ada", "Moss");
  await addClient(page, client);
  await visit(page, "/app/clients");
  await expect(page.getByRole("link", { name: client.name })).toBeVisible();
  await expect(page.getByText("1 client", { exact: true })).toBeVisible();

  // Asking again opens the same test client instead of making another.
  await page.getByRole("button", { name: "Add yourself as a test client" }).click();
  await expect(page.getByRole("heading", { level: 1, name: provider.name })).toBeVisible();
  await visit(page, "/app/clients");
  await expect(page.getByRole("link", { name: provider.name })).toHaveCount(1);
});

test("adding a client with bad input explains each field and keeps what was typed", async ({ page }, info) => {
  await signUp(page, newPerson(info));
  await visit(page, "/app/clients/new");
  await page.getByLabel("First name").fill("Ada");
  await page.getByLabel("Last name").fill("Moss");
  await page.getByLabel("Email").fill("ada-at-example");
  await page.getByLabel("Phone").fill("12");
  await page.getByLabel("Client's time zone").selectOption("Europe/Paris");
  await page.getByRole("button", { name: "Add client" }).click();

  await expect(page.getByRole("alert")).toHaveText("Please correct the fields marked below.");
  const email = page.getByLabel("Email");
  const phone = page.getByLabel("Phone");
  await expect(email).toHaveAttribute("aria-invalid", "true");
  await expect(email).toHaveAccessibleDescription(/Enter an email address like name@example\.com\./);
  await expect(phone).toHaveAttribute("aria-invalid", "true");
  await expect(phone).toHaveAccessibleDescription("Enter a phone number with 7 to 15 digits, like +1 312 555 0142.");
  await expect(page.getByLabel("First name")).toHaveAttribute("aria-invalid", "false");
  await expect(page.getByText("Enter an email address like name@example.com.")).toBeVisible();
  await expect(page.getByText("Enter a phone number with 7 to 15 digits, like +1 312 555 0142.")).toBeVisible();

  await expect(page.getByRole("heading", { level: 1, name: "Add client" })).toBeVisible();
  await expect(page.getByLabel("First name")).toHaveValue("Ada");
  await expect(page.getByLabel("Last name")).toHaveValue("Moss");
  await expect(email).toHaveValue("ada-at-example");
  await expect(phone).toHaveValue("12");
  await expect(page.getByLabel("Client's time zone")).toHaveValue("Europe/Paris");

  // Nothing was saved.
  await visit(page, "/app/clients");
  await expect(page.getByText("No clients yet. Add your first client to get started.")).toBeVisible();
});

test("a client joins a group from the group page and moves to another from their profile", async ({
  page,
}, info) => {
  const provider = newPerson(info);
  const client = newClient(info, "Noor", "Haddad");
  await signUp(page, provider);
  await addClient(page, client);

  await visit(page, "/app/clients");
  await page.getByRole("navigation", { name: "Client lists" }).getByRole("link", { name: "Groups" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Client groups" })).toBeVisible();
  await expect(page.getByText("No groups yet.")).toBeVisible();
  await page.getByLabel("Group name").fill("Morning walkers");
  await page.getByRole("button", { name: "Create group" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Morning walkers" })).toBeVisible();
  await expect(page.getByText("No clients in this group yet.")).toBeVisible();
  const walkers = new URL(page.url()).pathname;
  expect(walkers).toMatch(/^\/app\/groups\/[0-9a-f-]{36}$/);

  await page.getByLabel("Find a client").fill(client.name);
  await page.getByRole("button", { name: "Find", exact: true }).click();
  const add = page.getByRole("button", { name: `Add ${client.name} to the group` });
  await add.click();
  await expect(page.getByRole("status")).toHaveText("Client added to the group.");
  await expect(page.getByRole("link", { name: client.name })).toBeVisible();
  await expect(page.getByRole("button", { name: `Remove ${client.name} from the group` })).toBeVisible();
  await expect(page.getByText("No clients in this group yet.")).toHaveCount(0);
  await expect(page.getByText("Now in: Morning walkers")).toBeVisible();

  await visit(page, "/app/groups");
  await page.getByLabel("Group name").fill("Evening swimmers");
  await page.getByRole("button", { name: "Create group" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Evening swimmers" })).toBeVisible();
  const swimmers = new URL(page.url()).pathname;

  await openClient(page, client.name);
  await expect(page.getByRole("definition").filter({ hasText: "Morning walkers" })).toBeVisible();
  await expect(page.getByLabel("Client group")).toHaveValue(walkers.split("/").pop()!);
  await page.getByLabel("Client group").selectOption({ label: "Evening swimmers" });
  await page.getByRole("button", { name: "Save group" }).click();
  await expect(page.getByRole("status")).toHaveText("Group saved.");
  await expect(page.getByRole("definition").filter({ hasText: "Evening swimmers" })).toBeVisible();
  await expect(page.getByLabel("Client group")).toHaveValue(swimmers.split("/").pop()!);

  await visit(page, walkers);
  await expect(page.getByRole("heading", { level: 1, name: "Morning walkers" })).toBeVisible();
  await expect(page.getByText("No clients in this group yet.")).toBeVisible();
  await expect(page.getByRole("button", { name: `Remove ${client.name} from the group` })).toHaveCount(0);

  await visit(page, swimmers);
  await expect(page.getByRole("button", { name: `Remove ${client.name} from the group` })).toBeVisible();

  await visit(page, "/app/groups");
  // (The group list says "1 clients": accept the singular too.)
  const walkersItem = page.getByRole("listitem").filter({ hasText: "Morning walkers" });
  await expect(walkersItem.getByText(/^0 clients$/)).toBeVisible();
  const swimmersItem = page.getByRole("listitem").filter({ hasText: "Evening swimmers" });
  await expect(swimmersItem.getByText(/^1 clients?$/)).toBeVisible();

  await visit(page, "/app/clients");
  await expect(page.getByRole("listitem").filter({ hasText: client.name })).toContainText("Group: Evening swimmers");
});

// Regression: opening a client's profile, or a group page with a search (?q=), by its address
// used to fail to hydrate a third to a half of the time (resources made inside an async view
// were fetched again in the browser and rendered differently). Loads each page five times.
test("a client's profile and a group search work when opened by their address", async ({ page }, info) => {
  await signUp(page, newPerson(info));
  const client = newClient(info);
  await addClient(page, client);
  const profile = new URL(page.url()).pathname;
  await visit(page, "/app/groups");
  await page.getByLabel("Group name").fill("Morning walkers");
  await page.getByRole("button", { name: "Create group" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Morning walkers" })).toBeVisible();
  const group = new URL(page.url()).pathname;

  for (let attempt = 0; attempt < 5; attempt++) {
    await visit(page, `${group}?q=${client.last}`);
    await expect(page.getByRole("button", { name: `Add ${client.name} to the group` })).toBeVisible();
    await page.waitForLoadState("networkidle");
    await visit(page, profile);
    await expect(page.getByLabel("Client group")).toBeVisible();
    await page.waitForLoadState("networkidle");
  }
  await page.getByLabel("Client group").selectOption({ label: "Morning walkers" });
  await page.getByRole("button", { name: "Save group" }).click();
  await expect(page.getByRole("status")).toHaveText("Group saved.");
  // The `page` fixture then fails the test if any of those loads crashed the wasm.
});
