// A real SMTP server on loopback for the whole run. Each message it receives is written to
// .mail/ as JSON, where tests (in other processes) read it.
import { mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { SMTPServer } from "smtp-server";
import { simpleParser } from "mailparser";

// TEND_E2E_MAIL_DIR lets two runs share one checkout without wiping each other's mail.
export const MAIL_DIR = process.env.TEND_E2E_MAIL_DIR ?? join(__dirname, "..", "..", ".mail");

export default async function globalSetup(): Promise<() => Promise<void>> {
  rmSync(MAIL_DIR, { recursive: true, force: true });
  mkdirSync(MAIL_DIR, { recursive: true });
  let count = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    // Like a real mail server refusing an address: the job fails for good and an owner sees it.
    onRcptTo(address, _session, callback) {
      if (address.address.toLowerCase().endsWith("@rejects.example")) {
        const refusal = new Error("No such mailbox") as Error & { responseCode: number };
        refusal.responseCode = 550;
        callback(refusal);
      } else {
        callback();
      }
    },
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((mail) => {
          count += 1;
          const to = session.envelope.rcptTo.map((r) => r.address.toLowerCase());
          const record = { to, subject: mail.subject ?? "", text: mail.text ?? "" };
          // Written aside, then renamed: a test reading the folder never sees half a message.
          const name = join(MAIL_DIR, `${Date.now()}-${count}.json`);
          writeFileSync(`${name}.part`, JSON.stringify(record));
          renameSync(`${name}.part`, name);
          callback();
        })
        .catch(callback);
    },
  });
  const port = Number(process.env.TEND_E2E_SMTP_PORT ?? "2526");
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
}
