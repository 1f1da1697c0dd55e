// Shared by the browser tests: the running platform (./dev up), its admin API for fresh accounts and packages, Debian's
// Chromium driven by playwright-core, screenshots per step, files to upload.
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
export const GATEWAY = process.env.FH_GATEWAY_URL ?? 'http://127.0.0.1:8080';
const AUTH = process.env.FH_AUTH_URL ?? 'http://127.0.0.1:8081';
export const STATE = process.env.FH_STATE ?? join(here, '..', '..', '.local');
export const REPO = process.env.FH_REPO ?? join(here, '..', '..');
export const SCREENSHOTS = join(here, '..', 'target', 'screenshots');
rmSync(SCREENSHOTS, { recursive: true, force: true }); // this run's steps only
mkdirSync(SCREENSHOTS, { recursive: true });

function adminKey() {
  return readFileSync(join(STATE, 'keys', 'admin-key'), 'utf8').trim();
}

async function admin(path, body) {
  const answer = await fetch(AUTH + path, {
    method: 'POST',
    headers: { 'X-Admin-Key': adminKey(), 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await answer.text();
  if (!answer.ok) throw new Error(`admin ${path}: HTTP ${answer.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

const unique = () => randomBytes(6).toString('hex');

/** A package of the demo tenant with every limit open but these (0 = unlimited). */
export async function newPackage({ maxUploadSize = 0, maxStorageBytes = 0 } = {}) {
  const name = `web-${unique()}`;
  await admin('/admin/packages', {
    tenant: 'demo', name, label: `Browser test ${name}`, max_upload_size: maxUploadSize, can_upload: true,
    wait_between_downloads: 0, download_speed: 0, max_storage_bytes: maxStorageBytes, show_site_adverts: false,
    show_upgrade_screen: false, days_to_keep_inactive_files: 0, concurrent_uploads: 0, concurrent_downloads: 0,
    downloads_per_24_hours: 0, download_size_per_24_hours: 0, max_download_filesize_allowed: 0,
    max_remote_download_urls: 0, level_type: 'paid user', on_upgrade_page: false,
  });
  return name;
}

export async function newAccount(packageName) {
  return admin('/admin/accounts', { tenant: 'demo', username: `web-${unique()}`, package: packageName });
}

/** The API from the test itself (to check what the page did). */
export async function api(path, params, creds) {
  const body = new URLSearchParams(params);
  if (creds) {
    body.set('access_token', creds.token);
    body.set('account_id', creds.accountId);
  }
  const answer = await fetch(`${GATEWAY}/api/v2/${path}`, { method: 'POST', body });
  return answer.json();
}

export async function authorize(account) {
  const answer = await api('authorize', { key1: account.key1, key2: account.key2 });
  return { token: answer.data.access_token, accountId: String(answer.data.account_id) };
}

export async function launch() {
  return chromium.launch({
    executablePath: process.env.FH_CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    // The flags this machine needs (see the machine notes): no sandbox as root, no GPU, and none of Chromium's own
    // background traffic, which the closed network refuses.
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
}

let shotNumber = 0;
export async function shot(page, name) {
  shotNumber++;
  const path = join(SCREENSHOTS, `${String(shotNumber).padStart(2, '0')}-${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

export function workDir(name) {
  const dir = join(tmpdir(), `filehost-web-e2e-${process.pid}`, name);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** A file of random bytes (not compressible, not deduplicated against another run). */
export function randomFile(dir, name, size) {
  const path = join(dir, name);
  const chunk = 1024 * 1024;
  const parts = [];
  for (let done = 0; done < size; done += chunk) parts.push(randomBytes(Math.min(chunk, size - done)));
  writeFileSync(path, Buffer.concat(parts));
  return path;
}

export function md5(buffer) {
  return createHash('md5').update(buffer).digest('hex');
}

export async function signIn(page, account) {
  await page.goto(`${GATEWAY}/app/`);
  await page.fill('#key1', account.key1);
  await page.fill('#key2', account.key2);
  await page.click('button[type=submit]');
  await page.waitForSelector('[data-testid=listing]');
}

/** Rows of the transfer panel in a state. */
export function transfersIn(page, state) {
  return page.locator(`[data-testid=transfers] li.transfer[data-state="${state}"]`);
}

export function row(page, name) {
  return page.locator(`[data-testid=listing] li.row[data-name="${name.replace(/["\\]/g, '\\$&')}"]`);
}
