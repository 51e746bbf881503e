// Debian's Chromium, headless, as every browser test here launches it: playwright-core never
// downloads a browser, and the flags keep Chromium from calling home (this machine's network is
// closed). Playwright starts each launch on a fresh temporary profile (user-data-dir).
import { chromium } from 'playwright-core';

export function launchChromium() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      '--no-first-run',
    ],
  });
}
