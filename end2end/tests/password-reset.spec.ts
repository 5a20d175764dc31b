// Forgot password: ask, follow the emailed link, set a new password, log in with it.
import { expect } from "@playwright/test";
import { firstLink, javaScriptOn, logIn, newPerson, receivedEmail, signUp, test, visit } from "./support/helpers";

test("a provider resets a forgotten password from the emailed link", { tag: "@forms" }, async ({ page }, info) => {
  const person = newPerson(info, "Robin");
  await signUp(page, person);
  await page.getByRole("button", { name: "Log out" }).click();
  await expect(page.getByRole("heading", { name: "Log in" })).toBeVisible();

  await page.getByRole("link", { name: "Forgot your password?" }).click();
  await expect(page.getByRole("heading", { name: "Reset your password" })).toBeVisible();
  await page.getByLabel("Email").fill(person.email);
  await page.getByRole("button", { name: "Send reset link" }).click();
  // Without JavaScript the form posts and comes back; a success message needs the wasm.
  if (javaScriptOn()) await expect(page.getByRole("status")).toContainText("If an account uses that email");

  const email = await receivedEmail(person.email, "Reset your Tend password");
  await visit(page, firstLink(email.text));
  const newPassword = "lighthouse saffron canoe";
  await page.getByLabel("New password").fill(newPassword);
  await page.getByRole("button", { name: "Save new password" }).click();
  await expect(page.getByText("Your password was changed. Log in with the new one.")).toBeVisible();

  await logIn(page, person.email, person.password);
  await expect(page.getByRole("alert")).toHaveText("That email and password don't match an account.");
  await logIn(page, person.email, newPassword);
  await expect(page.getByRole("heading", { name: "Welcome, Robin" })).toBeVisible();
});

test("a used reset link is refused with a way forward", { tag: "@forms" }, async ({ page }, info) => {
  const person = newPerson(info, "Sasha");
  await signUp(page, person);
  await page.getByRole("button", { name: "Log out" }).click();
  await visit(page, "/forgot-password");
  await page.getByLabel("Email").fill(person.email);
  await page.getByRole("button", { name: "Send reset link" }).click();
  const link = firstLink((await receivedEmail(person.email, "Reset your Tend password")).text);

  await visit(page, link);
  await page.getByLabel("New password").fill("harbor violet sparrow");
  await page.getByRole("button", { name: "Save new password" }).click();
  await expect(page.getByText("Your password was changed.")).toBeVisible();

  await visit(page, link);
  await page.getByLabel("New password").fill("another fresh passphrase");
  await page.getByRole("button", { name: "Save new password" }).click();
  await expect(page.getByText("This reset link has expired or was already used.")).toBeVisible();
  await expect(page.getByRole("link", { name: "Send a new link" })).toBeVisible();
});
