// Provider accounts: sign up, log out, log in; wrong password; bad input keeps what was typed.
import { expect } from "@playwright/test";
import { logIn, newPerson, receivedEmail, signUp, test, visit } from "./support/helpers";

test("a provider signs up, logs out and logs back in", { tag: "@forms" }, async ({ page }, info) => {
  const person = newPerson(info);
  await signUp(page, person);
  await expect(page.getByRole("link", { name: person.practice })).toBeVisible();
  await expect(page.getByText(person.name)).toBeVisible();

  await page.getByRole("button", { name: "Log out" }).click();
  await expect(page.getByRole("heading", { name: "Log in" })).toBeVisible();
  await visit(page, "/app");
  await expect(page.getByRole("heading", { name: "Log in" })).toBeVisible();

  await logIn(page, person.email, person.password);
  await expect(page.getByRole("heading", { name: `Welcome, ${person.name.split(" ")[0]}` })).toBeVisible();
});

test("the app shell offers every section of the practice", async ({ page }, info) => {
  await signUp(page, newPerson(info));
  const nav = page.getByRole("navigation", { name: "Main" });
  for (const section of ["Clients", "Programs", "Calendar", "Payments", "Settings"]) {
    await nav.getByRole("link", { name: section }).click();
    await expect(page.getByRole("heading", { level: 1, name: section })).toBeVisible();
  }
});

test("a wrong password is refused without saying whether the email exists", { tag: "@forms" }, async ({ page }, info) => {
  const person = newPerson(info);
  await signUp(page, person);
  await page.getByRole("button", { name: "Log out" }).click();
  await expect(page.getByRole("heading", { name: "Log in" })).toBeVisible();

  await logIn(page, person.email, "not my password at all");
  await expect(page.getByRole("alert")).toHaveText("That email and password don't match an account.");
  await logIn(page, `nobody-${person.email}`, "not my password at all");
  await expect(page.getByRole("alert")).toHaveText("That email and password don't match an account.");
});

test("sign-up with bad input explains each field and keeps what was typed", async ({ page }, info) => {
  const person = newPerson(info);
  await visit(page, "/signup");
  await page.getByLabel("Your name").fill(person.name);
  await page.getByLabel("Email").fill("dana-at-example");
  await page.getByLabel("Password", { exact: true }).fill("password1234");
  await page.getByLabel("Practice name").fill(person.practice);
  await page.getByLabel("Practice time zone").selectOption("Europe/Paris");
  await page.getByRole("button", { name: "Sign up" }).click();

  await expect(page.getByText("Enter an email address like name@example.com.")).toBeVisible();
  await expect(page.getByText("This password is too common or easy to guess.", { exact: false })).toBeVisible();
  await expect(page.getByLabel("Email")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByLabel("Your name")).toHaveValue(person.name);
  await expect(page.getByLabel("Email")).toHaveValue("dana-at-example");
  await expect(page.getByLabel("Practice name")).toHaveValue(person.practice);
  await expect(page.getByLabel("Practice time zone")).toHaveValue("Europe/Paris");
});

test("signing up with an address that has an account says the same and tells its owner", { tag: "@forms" }, async ({ page }, info) => {
  const person = newPerson(info);
  await signUp(page, person);
  await page.getByRole("button", { name: "Log out" }).click();
  await expect(page.getByRole("heading", { name: "Log in" })).toBeVisible();

  await visit(page, "/signup");
  await page.getByLabel("Your name").fill("Someone Else");
  await page.getByLabel("Email").fill(person.email);
  await page.getByLabel("Password", { exact: true }).fill("a different long passphrase");
  await page.getByLabel("Practice name").fill("Another Practice");
  await page.getByLabel("Practice time zone").selectOption("America/Chicago");
  await page.getByRole("button", { name: "Sign up" }).click();

  await expect(page.getByRole("heading", { name: "Check your inbox" })).toBeVisible();
  const notice = await receivedEmail(person.email, "You already have a Tend account");
  expect(notice.text).toContain("/forgot-password");
});
