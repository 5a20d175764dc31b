// Forms work before the wasm arrives (or without JavaScript at all): plain HTML posts.
import { expect, test } from "@playwright/test";
import { newPerson } from "./support/helpers";

test.use({ javaScriptEnabled: false });

test("without JavaScript a provider signs up, logs out, and sees a wrong password refused", async ({ page }, info) => {
  const person = newPerson(info, "Noor");
  await page.goto("/signup");
  await page.getByLabel("Your name").fill(person.name);
  await page.getByLabel("Email").fill(person.email);
  await page.getByLabel("Password", { exact: true }).fill(person.password);
  await page.getByLabel("Practice name").fill(person.practice);
  await page.getByLabel("Practice time zone").selectOption("Europe/Lisbon");
  await page.getByRole("button", { name: "Create practice" }).click();
  await expect(page.getByRole("heading", { name: "Welcome, Noor" })).toBeVisible();

  await page.getByRole("button", { name: "Log out" }).click();
  await expect(page.getByRole("heading", { name: "Log in" })).toBeVisible();

  await page.getByLabel("Email").fill(person.email);
  await page.getByLabel("Password").fill("not my password at all");
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page.getByRole("alert")).toHaveText("That email and password don't match an account.");

  await page.getByLabel("Email").fill(person.email);
  await page.getByLabel("Password").fill(person.password);
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page.getByRole("heading", { name: "Welcome, Noor" })).toBeVisible();
});
