import fs from "node:fs";
import path from "node:path";
import { expect } from "@playwright/test";

const mailDir = (): string => {
  const dir = process.env.E2E_MAIL_DIR;
  if (!dir) throw new Error("E2E_MAIL_DIR is not set (playwright.config.ts sets it)");
  return dir;
};

/** Decodes a quoted-printable body part enough to read links from it. */
function decodeQuotedPrintable(text: string): string {
  return text
    .replace(/=\r?\n/g, "")
    .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
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
        // The SMTP server's Maildir: delivered messages are files in new/.
        const dir = path.join(mailDir(), "new");
        if (!fs.existsSync(dir)) return "";
        for (const name of fs.readdirSync(dir)) {
          const raw = decodeQuotedPrintable(fs.readFileSync(path.join(dir, name), "utf8"));
          if (!raw.toLowerCase().includes(`to: ${to.toLowerCase()}`)) continue;
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
