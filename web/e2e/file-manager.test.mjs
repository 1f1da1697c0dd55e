// The web file manager in Debian's Chromium against the running platform (./dev test runs this after the system
// tests; by hand: FH_STATE=… npm run e2e in web/ with the platform up). One account per run; the steps build on each
// other, a screenshot per step under web/target/screenshots/.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  api, authorize, GATEWAY, REPO, STATE, launch, md5, newAccount, newPackage, randomFile, row, shot, signIn, transfersIn, workDir,
} from './support.mjs';

const XSS = '<img src=x onerror=alert(1)>';
let browser;
let context;
let page;
let account;
let creds;
const dialogs = [];
const dir = workDir('files');
const small = randomFile(dir, 'notes.txt', 4096);
const medium = randomFile(dir, 'photo.jpg', 3 * 1024 * 1024);
const big = randomFile(dir, 'big-50MiB.bin', 50 * 1024 * 1024);

before(async () => {
  account = await newAccount(await newPackage());
  creds = await authorize(account);
  browser = await launch();
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
});

after(async () => {
  await browser?.close();
});

/**
 * Kills the gateway (by the pid ./dev keeps) and starts it again with ./dev restart gateway. Whoever runs these tests
 * holds the platform (./dev test, or the platform lock by hand).
 */
function killAndRestartGateway() {
  const pid = Number(readFileSync(join(STATE, 'run', 'gateway.pid'), 'utf8').trim());
  process.kill(pid, 'SIGKILL');
  return new Promise((resolve, reject) => {
    execFile(join(REPO, 'dev'), ['restart', 'gateway'], { env: { ...process.env, FH_STATE: STATE, FH_NO_AOT: '1' } },
      (error, stdout, stderr) => (error ? reject(new Error(`./dev restart gateway: ${stderr || error.message}`)) : resolve(stdout)));
  });
}

async function folderId(name, parent = '') {
  const answer = await api('folder/listing', { parent_folder_id: parent }, creds);
  return answer.data.folders.find((f) => f.folderName === name)?.id;
}

async function filesIn(parent = '') {
  const answer = await api('folder/listing', { parent_folder_id: parent }, creds);
  return answer.data.files;
}

test('the page is served with a strict CSP and nosniff', async () => {
  const answer = await fetch(`${GATEWAY}/app/`);
  const csp = answer.headers.get('content-security-policy');
  assert.match(csp, /script-src 'self'/);
  assert.match(csp, /connect-src 'self'/);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
  assert.equal(answer.headers.get('x-content-type-options'), 'nosniff');
});

test('sign in with key1/key2 shows the tenant and the account', async () => {
  await page.goto(`${GATEWAY}/app/`);
  await page.waitForSelector('#key1');
  await shot(page, 'sign-in');
  await signIn(page, account);
  await page.waitForFunction(() => document.querySelector('[data-testid=site-name]')?.textContent === 'demo');
  await page.waitForFunction(() => /used/.test(document.querySelector('[data-testid=storage]')?.textContent ?? ''));
  assert.match(await page.textContent('[data-testid=account]'), new RegExp(account.username));
  const stored = await page.evaluate(() => ({ session: sessionStorage.length, cookies: document.cookie }));
  assert.equal(stored.session, 1);
  assert.equal(stored.cookies, '');
  await shot(page, 'signed-in');
});

test('create a folder', async () => {
  await page.click('button:has-text("New folder")');
  await page.fill('#dialog-input', 'Docs');
  await page.click('dialog button[value=ok]');
  await row(page, 'Docs').waitFor();
  assert.ok(await folderId('Docs'));
  await shot(page, 'folder-created');
});

test('upload three files (one of 50 MiB) by the file input, the network cut in the middle, the panel intact across folders', async () => {
  // Slow the upload down (CDP network emulation) so that the cut lands in the middle of the 50 MiB.
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions',
    { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: 8 * 1024 * 1024 });
  const heads = [];
  page.on('request', (r) => {
    if (r.method() === 'HEAD' && r.url().includes('/api/v2/file/tus/')) heads.push(r.url());
  });
  await page.setInputFiles('#file-input', [small, medium, big]);
  const bigRow = page.locator('li.transfer', { hasText: 'big-50MiB.bin' });
  await bigRow.waitFor();
  await page.waitForFunction(() => {
    const rows = [...document.querySelectorAll('li.transfer')].filter((li) => li.textContent.includes('big-50MiB.bin'));
    return rows.length === 1 && rows[0].querySelector('progress').value >= 15;
  }, null, { timeout: 60000 });
  await shot(page, 'uploading');

  // Away into a folder and back: the transfer panel is the same, the upload goes on.
  await row(page, 'Docs').locator('a.name').click();
  await page.waitForSelector('[aria-current=page]:has-text("Docs")');
  assert.equal(await bigRow.count(), 1);
  await shot(page, 'panel-kept-in-subfolder');
  await page.click('.breadcrumbs a:has-text("My files")');
  await page.waitForSelector('[aria-current=page]:has-text("My files")');

  // The cut: the connection drops for real while bytes flow — the gateway is killed (SIGKILL: a graceful stop would
  // let the PATCH finish) and started again. The browser's offline emulation does not do: it spares a request
  // already sending its body.
  const before = await bigRow.locator('progress').evaluate((p) => p.value);
  assert.ok(before < 100, `the upload was already done (${before} %) before the cut`);
  const restarted = killAndRestartGateway();
  await page.waitForFunction(() => [...document.querySelectorAll('li.transfer')]
    .some((li) => /retrying|Connection lost/.test(li.textContent)), null, { timeout: 15000 });
  await shot(page, 'network-cut');
  await restarted;
  await cdp.send('Network.emulateNetworkConditions',
    { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });

  await page.waitForFunction(() => document.querySelectorAll('li.transfer[data-state=done]').length === 3,
    null, { timeout: 180000 });
  for (const value of await page.locator('li.transfer progress').evaluateAll((ps) => ps.map((p) => p.value))) {
    assert.equal(value, 100);
  }
  assert.ok(heads.length >= 1, 'the upload resumed with a HEAD (tus) after the cut');
  const names = (await filesIn()).map((f) => f.filename).sort();
  assert.deepEqual(names, ['big-50MiB.bin', 'notes.txt', 'photo.jpg']);
  await row(page, 'big-50MiB.bin').waitFor();
  await shot(page, 'uploaded');
});

const DATE = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/;

/** The dates the listing shows for its files, top to bottom. */
function shownFileDates() {
  return page.locator('[data-testid=listing] li.row.file .date time').allTextContents();
}

test('the listing shows each file\'s upload date and sorts by it', async () => {
  const files = await filesIn();
  for (const name of ['big-50MiB.bin', 'notes.txt', 'photo.jpg']) {
    const entry = files.find((f) => f.filename === name);
    assert.match(entry.uploadedDate, DATE);
    assert.equal(await row(page, name).locator('.date time').textContent(), entry.uploadedDate);
  }
  assert.match(await row(page, 'Docs').locator('.date time').textContent(), DATE); // a folder's date_added

  await page.click('[data-sort=date]'); // newest first
  assert.equal(await page.getAttribute('[data-sort=date]', 'aria-pressed'), 'true');
  const newestFirst = await shownFileDates();
  assert.equal(newestFirst.length, 3);
  assert.deepEqual(newestFirst, [...newestFirst].sort().reverse());
  await shot(page, 'listing-by-date');
  await page.click('[data-sort=date]'); // oldest first
  assert.match(await page.getAttribute('[data-sort=date]', 'aria-label'), /oldest first/);
  const oldestFirst = await shownFileDates();
  assert.deepEqual(oldestFirst, [...oldestFirst].sort());
  await page.click('[data-sort=name]');
  assert.deepEqual(await page.locator('[data-testid=listing] li.row.file .name').allTextContents(),
    ['big-50MiB.bin', 'notes.txt', 'photo.jpg']);
});

test('an upload interrupted by a reload continues from where it was when its file is given again', async () => {
  const file = randomFile(dir, 'reload-20MiB.bin', 20 * 1024 * 1024);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions',
    { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: 4 * 1024 * 1024 });
  await page.setInputFiles('#file-input', file);
  const progressOf = () => page.locator('li.transfer', { hasText: 'reload-20MiB.bin' }).locator('progress')
    .evaluate((p) => p.value);
  await page.waitForFunction(() => [...document.querySelectorAll('li.transfer')]
    .some((li) => li.textContent.includes('reload-20MiB.bin') && li.querySelector('progress').value >= 30),
  null, { timeout: 60000 });
  await page.reload();
  await page.waitForSelector('li.transfer[data-state=interrupted]');
  const interrupted = page.locator('li.transfer[data-state=interrupted]');
  assert.match(await interrupted.textContent(), /Interrupted at \d+ %/);
  const at = await progressOf();
  assert.ok(at >= 20, `kept ${at} % across the reload`);
  await shot(page, 'interrupted-by-reload');
  await cdp.send('Network.emulateNetworkConditions',
    { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
  const heads = [];
  const creations = [];
  page.on('request', (r) => {
    if (r.url().includes('/api/v2/file/tus')) (r.method() === 'HEAD' ? heads : r.method() === 'POST' ? creations : []).push(r.url());
  });
  await page.setInputFiles('#file-input', file);
  await page.waitForSelector('li.transfer[data-state=done]:has-text("reload-20MiB.bin")', { timeout: 60000 });
  assert.ok(heads.length >= 1, 'continued with a HEAD');
  assert.deepEqual(creations, [], 'no new upload created');
  const stored = (await filesIn()).filter((f) => f.filename === 'reload-20MiB.bin');
  assert.equal(stored.length, 1);
  assert.equal(Number(stored[0].fileSize), 20 * 1024 * 1024);
});

test('the download link gives back the same bytes; the public page link is shown', async () => {
  await row(page, 'big-50MiB.bin').locator('button:has-text("Links")').click();
  const link = await page.inputValue('#link-download');
  const pageLink = await page.inputValue('#link-page');
  assert.match(pageLink, /^http:\/\/127\.0\.0\.1:8080\/[0-9a-zA-Z]+$/);
  await shot(page, 'links');
  await page.click('dialog button[value=ok]');
  const answer = await fetch(link);
  assert.equal(answer.status, 200);
  const bytes = Buffer.from(await answer.arrayBuffer());
  assert.equal(bytes.length, 50 * 1024 * 1024);
  assert.equal(md5(bytes), md5(readFileSync(big)));

  await row(page, 'photo.jpg').locator('button:has-text("Info")').click();
  const info = await page.textContent('dialog dl');
  assert.match(info, /3145728 bytes/);
  assert.match(info, /image\/jpeg/);
  assert.equal(await page.textContent('dialog dt:text-is("MD5") + dd'), md5(readFileSync(medium)));
  await shot(page, 'file-info');
  await page.click('dialog button[value=ok]');
});

test('rename, move into a folder, copy, delete with confirmation', async () => {
  await row(page, 'notes.txt').locator('button:has-text("Rename")').click();
  await page.fill('#dialog-input', 'renamed.txt');
  await page.click('dialog button[value=ok]');
  await row(page, 'renamed.txt').waitFor();

  await row(page, 'renamed.txt').locator('button:has-text("Move")').click();
  await page.click('dialog button[data-folder="Docs"]');
  await page.waitForSelector('dialog .chooser-where:has-text("Docs")');
  await shot(page, 'move-chooser');
  await page.click('dialog button[value=ok]');
  await row(page, 'renamed.txt').waitFor({ state: 'detached' });
  const docs = await folderId('Docs');
  assert.deepEqual((await filesIn(docs)).map((f) => f.filename), ['renamed.txt']);

  await row(page, 'photo.jpg').locator('button:has-text("Copy")').click();
  await page.click('dialog button[data-folder="Docs"]');
  await page.waitForSelector('dialog .chooser-where:has-text("Docs")');
  await page.click('dialog button[value=ok]');
  await page.waitForSelector('#status:has-text("copied")');
  assert.deepEqual((await filesIn(docs)).map((f) => f.filename).sort(), ['photo.jpg', 'renamed.txt']);

  await row(page, 'photo.jpg').locator('button:has-text("Delete")').click();
  await page.waitForSelector('dialog:has-text("to the trash")');
  await shot(page, 'delete-confirmation');
  await page.click('dialog button[value=ok]');
  await row(page, 'photo.jpg').waitFor({ state: 'detached' });
  assert.ok(!(await filesIn()).some((f) => f.filename === 'photo.jpg'));
  await shot(page, 'after-rename-move-copy-delete');
});

test('a folder password is set, shown and removed; only its md5 is sent', async () => {
  const sent = [];
  const listen = (r) => { if (r.url().includes('/api/v2/folder/')) sent.push(r.postData() ?? ''); };
  page.on('request', listen);
  const first = 'pässwörd one';
  const second = 'second secret';
  try {
    await page.click('button:has-text("New folder")');
    await page.fill('#dialog-input', 'Locked');
    await page.fill('#dialog-password', first);
    await shot(page, 'folder-create-with-password');
    await page.click('dialog button[value=ok]');
    await row(page, 'Locked').waitFor();
    const locked = await folderId('Locked');
    const folderInfo = async () => (await api('folder/info', { folder_id: locked }, creds)).data;
    assert.equal((await folderInfo()).accessPassword, md5(Buffer.from(first, 'utf8')));

    await row(page, 'Locked').locator('button:has-text("Password")').click();
    assert.equal(await page.textContent('[data-testid=password-state]'), 'This folder has a password.');
    await page.check('#dialog-remove-password');
    await shot(page, 'folder-password-remove');
    await page.click('dialog button[value=ok]');
    await page.waitForSelector('#status:has-text("Password removed")');
    assert.equal((await folderInfo()).accessPassword, null);

    await row(page, 'Locked').locator('button:has-text("Password")').click();
    assert.equal(await page.textContent('[data-testid=password-state]'), 'This folder has no password.');
    await page.fill('#dialog-password', second);
    await page.click('dialog button[value=ok]');
    await page.waitForSelector('#status:has-text("Password set")');
    assert.equal((await folderInfo()).accessPassword, md5(Buffer.from(second, 'utf8')));
    await row(page, 'Locked').locator('button:has-text("Password")').click();
    assert.equal(await page.textContent('[data-testid=password-state]'), 'This folder has a password.');
    await shot(page, 'folder-password-set');
    await page.click('dialog button[value=cancel]');
  } finally {
    page.off('request', listen);
  }
  const plain = [first, second].flatMap((p) => [p, encodeURIComponent(p), new URLSearchParams({ p }).toString().slice(2)]);
  assert.ok(sent.length >= 3);
  assert.ok(!sent.some((body) => plain.some((p) => body.includes(p))), 'a plain password was sent');
});

test('URL import from the local allowed source completes', async () => {
  const size = 2 * 1024 * 1024 + 17;
  const body = Buffer.alloc(size, 7);
  const server = createServer((req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': size });
    res.end(body);
  });
  await new Promise((resolve) => server.listen(18090, '127.0.0.1', resolve));
  try {
    await page.fill('#import-url', 'http://127.0.0.1:18090/imported.bin');
    await page.click('form.import button[type=submit]');
    const importRow = page.locator('li.transfer[data-kind=import]');
    await importRow.waitFor();
    await shot(page, 'import-scheduled');
    await page.waitForSelector('li.transfer[data-kind=import][data-state=done]', { timeout: 60000 });
    await row(page, 'imported.bin').waitFor();
    const file = (await filesIn()).find((f) => f.filename === 'imported.bin');
    assert.equal(Number(file.fileSize), size);
    await shot(page, 'import-done');
  } finally {
    server.close();
  }
});

test('a dropped folder of 200 small files keeps its tree', async () => {
  const tree = workDir('drop/tree200');
  mkdirSync(join(tree, 'letters'), { recursive: true });
  mkdirSync(join(tree, 'deep', 'er'), { recursive: true });
  for (let i = 0; i < 100; i++) writeFileSync(join(tree, 'letters', `letter-${i}.txt`), `letter ${i}\n`);
  for (let i = 0; i < 100; i++) writeFileSync(join(tree, 'deep', 'er', `note-${i}.txt`), `note ${i}\n`);
  // A real drop (CDP drag events with the folder's path, as the OS would hand it over), onto the page.
  const cdp = await context.newCDPSession(page);
  const data = { items: [], files: [tree], dragOperationsMask: 1 };
  for (const type of ['dragEnter', 'dragOver']) await cdp.send('Input.dispatchDragEvent', { type, x: 300, y: 300, data });
  await shot(page, 'drop-overlay');
  await cdp.send('Input.dispatchDragEvent', { type: 'drop', x: 300, y: 300, data });
  await page.waitForFunction(() => /200 files added/.test(document.getElementById('status')?.textContent ?? ''),
    null, { timeout: 30000 });
  await page.waitForFunction(() => /^0 in progress/.test(document.querySelector('.transfer-summary')?.textContent ?? ''),
    null, { timeout: 180000 });
  const top = await folderId('tree200');
  assert.ok(top, 'tree200 created');
  const letters = await folderId('letters', top);
  const er = await folderId('er', await folderId('deep', top));
  assert.equal((await filesIn(letters)).length, 100);
  assert.equal((await filesIn(er)).length, 100);
  assert.equal(await transfersIn(page, 'failed').count(), 0);
  await row(page, 'tree200').waitFor();
  await shot(page, 'folder-dropped');
  await page.click('button:has-text("Clear finished")');
});

test('names are text, never HTML', async () => {
  await page.click('button:has-text("New folder")');
  await page.fill('#dialog-input', XSS);
  await page.click('dialog button[value=ok]');
  await row(page, XSS).waitFor();
  await page.setInputFiles('#file-input', { name: XSS, mimeType: 'text/plain', buffer: Buffer.from('xss test') });
  await row(page, XSS).nth(1).waitFor({ timeout: 30000 });
  assert.equal(await page.locator('[data-testid=listing] img, [data-testid=transfers] img').count(), 0);
  const texts = await row(page, XSS).locator('.name').allTextContents();
  assert.ok(texts.length === 2 && texts.every((t) => t.includes(XSS)), texts.join(' | '));
  assert.deepEqual(dialogs, []);
  await shot(page, 'xss-as-text');
});

test('works at 360 px: no sideways scrolling, the drop zone is a keyboard-reachable, labelled button', async () => {
  await page.setViewportSize({ width: 360, height: 780 });
  await page.waitForTimeout(200);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(overflow <= 360, `page is ${overflow} px wide at 360`);
  const zone = page.getByRole('button', { name: /Upload files: drop files/ });
  assert.equal(await zone.getAttribute('tabindex'), '0');
  await zone.focus();
  await shot(page, 'narrow-360');
  await page.setViewportSize({ width: 1280, height: 900 });
});

test('sign out ends the token', async () => {
  const session = await page.evaluate(() => JSON.parse(sessionStorage.getItem('filehost.session')));
  await page.click('button:has-text("Sign out")');
  await page.waitForSelector('#key1');
  assert.equal(await page.evaluate(() => sessionStorage.length), 0);
  const answer = await api('account/info', {}, session);
  assert.equal(answer._status, 'error');
  await shot(page, 'signed-out');
});

test('a quota refusal is shown before any byte is sent', async () => {
  const limited = await newAccount(await newPackage({ maxStorageBytes: 1024 * 1024 }));
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const p = await ctx.newPage();
  const tusRequests = [];
  p.on('request', (r) => { if (r.url().includes('/file/tus')) tusRequests.push(r.method()); });
  try {
    await signIn(p, limited);
    await p.waitForFunction(() => /of 1\.0 MiB used/.test(document.querySelector('[data-testid=storage]')?.textContent ?? ''));
    await p.setInputFiles('#file-input', { name: 'too-big.bin', mimeType: 'application/octet-stream',
      buffer: Buffer.alloc(2 * 1024 * 1024, 1) });
    const refused = p.locator('li.transfer[data-state=refused]');
    await refused.waitFor();
    assert.match(await refused.textContent(), /not enough storage left/);
    assert.deepEqual(tusRequests, []);
    await shot(p, 'quota-refused');
  } finally {
    await ctx.close();
  }
});
