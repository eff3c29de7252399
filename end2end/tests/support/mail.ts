import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { expect } from "@playwright/test";

const mailDir = (): string => {
  const dir = process.env.E2E_MAIL_DIR;
  if (!dir) throw new Error("E2E_MAIL_DIR is not set (playwright.config.ts sets it)");
  return dir;
};

/** The messages delivered to `to` so far, newest first, as the SMTP server stored them. */
function messagesTo(to: string): string[] {
  // The SMTP server's Maildir: delivered messages are files in new/.
  const dir = path.join(mailDir(), "new");
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .map((name) => path.join(dir, name))
    .sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs)
    .map((file) => fs.readFileSync(file, "utf8"))
    .filter((raw) => raw.toLowerCase().includes(`to: ${to.toLowerCase()}`));
}

/** Decodes quoted-printable text: soft line breaks go, each run of =XX bytes is UTF-8. */
function decodeQuotedPrintable(text: string): string {
  return text
    .replace(/=\r?\n/g, "")
    .replace(/(?:=[0-9A-F]{2})+/g, (run) => Buffer.from(run.replace(/=/g, ""), "hex").toString("utf8"));
}

/**
 * Waits for the e-mail to `to` whose subject contains `subject` and returns the first
 * link in it that contains `linkPart`.
 */
export async function linkFromMail(to: string, subject: string, linkPart: string): Promise<string> {
  let link = "";
  await expect
    .poll(
      () => {
        for (const message of messagesTo(to)) {
          const raw = decodeQuotedPrintable(message);
          if (!raw.includes(subject) && !raw.includes("Subject: =?utf-8")) continue;
          const found = raw.match(new RegExp(`https?://[^\\s"<>]*${linkPart}[^\\s"<>]*`));
          if (found) {
            link = found[0];
            return link;
          }
        }
        return "";
      },
      { message: `an e-mail to ${to} with a ${linkPart} link`, timeout: 15_000 },
    )
    .not.toBe("");
  return link;
}

/** `broar send-digests --now` on the journeys' server database, as an admin runs it. */
export function sendDigestsNow(): string {
  const port = Number(process.env.E2E_PORT ?? 3100);
  const dataDir = process.env.E2E_DATA_DIR;
  if (!dataDir) throw new Error("E2E_DATA_DIR is not set (playwright.config.ts sets it)");
  return execFileSync(path.join(__dirname, "../../../target/debug/broar"), ["send-digests", "--now"], {
    env: {
      ...process.env,
      DATABASE_URL: `sqlite://${dataDir}/broar.sqlite?mode=rwc`,
      SMTP_URL: `smtp://127.0.0.1:${port + 1}`,
      BROAR_BASE_URL: `http://127.0.0.1:${port}`,
      RUST_LOG: "warn",
    },
    encoding: "utf8",
  });
}

/** One MIME part's body, decoded from its transfer encoding. */
function decodePart(part: string): string {
  const split = part.search(/\r?\n\r?\n/);
  const headers = part.slice(0, split).toLowerCase();
  const body = part.slice(split).replace(/^\r?\n\r?\n/, "");
  if (headers.includes("content-transfer-encoding: base64")) return Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8");
  if (headers.includes("content-transfer-encoding: quoted-printable")) return decodeQuotedPrintable(body);
  return body;
}

/**
 * Waits for an e-mail to `to` whose HTML part contains `text`, and returns that part,
 * decoded. The newest such message wins.
 */
export async function htmlFromMail(to: string, text: string): Promise<string> {
  let html = "";
  await expect
    .poll(
      () => {
        for (const raw of messagesTo(to)) {
          // Every boundary, so that parts nested in multipart/alternative come apart too.
          const boundaries = [...raw.matchAll(/boundary="?([^";\r\n]+)"?/gi)].map((m) => m[1].replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
          if (boundaries.length === 0) continue;
          for (const part of raw.split(new RegExp(`--(?:${boundaries.join("|")})`))) {
            const head = part.replace(/^\r?\n/, "").split(/\r?\n\r?\n/)[0];
            if (!/content-type: text\/html/i.test(head)) continue;
            const decoded = decodePart(part.replace(/^\r?\n/, ""));
            if (decoded.includes(text)) {
              html = decoded;
              return html;
            }
          }
        }
        return "";
      },
      { message: `an HTML e-mail to ${to} with ${text}`, timeout: 15_000 },
    )
    .not.toBe("");
  return html;
}
