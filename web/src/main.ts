// The web file manager: sign-in, folder browser, transfer panel. A client of the public API only (api.ts, tus).
import './style.css';
import { accessPasswordOf, ApiError, call, listing, loadSession, saveSession, type FileEntry, type FolderEntry,
  type FolderInfo, type Listing, type Package, type Session } from './api';
import { announce, append, clear, formatSize, h, yieldToBrowser } from './dom';
import { Transfers, type Limits } from './transfers';

let session: Session | null = loadSession();
let limits: Limits | null = null;
let currentFolder: string | null = null;
let current: Listing = { folders: [], files: [] };
type SortKey = 'name' | 'size' | 'date';
let sortBy: SortKey = 'name';
let descending = false;
let usedBytes = 0;
let storageLimit = 0; // 0 = unlimited
const folderNames = new Map<string, { name: string; parentId: string | null }>();

const root = document.getElementById('app')!;
const status = h('p', { id: 'status', class: 'status', role: 'status', 'aria-live': 'polite' });
const errorLine = h('p', { class: 'error', role: 'alert' });

const transfers = new Transfers({
  session: () => session,
  limits: () => limits,
  folderFor,
  folderLabel: (id) => (id === null ? 'My files' : folderNames.get(id)?.name ?? `folder ${id}`),
  arrived: (_folderId, bytes) => {
    usedBytes += bytes;
    if (limits && limits.quotaLeft !== null) limits.quotaLeft = Math.max(0, limits.quotaLeft - bytes);
    renderStorage();
    // Any arrival changes what the listing shows (a sub-folder's size and counts too): refreshed once per burst.
    scheduleRefresh();
  },
});

function showError(e: unknown): void {
  const error = e as ApiError;
  if (error?.sessionExpired) {
    signedOut('Your session has expired. Please sign in again.');
    return;
  }
  errorLine.textContent = error?.message ?? String(e);
  announce(errorLine.textContent);
}

function clearError(): void {
  errorLine.textContent = '';
}

// ----------------------------------------------------------------------------------------------------- sign-in

async function siteName(): Promise<string> {
  try {
    const answer = await fetch('/app/site.json', { headers: { Accept: 'application/json' } });
    const json = await answer.json();
    return typeof json.name === 'string' ? json.name : location.host;
  } catch {
    return location.host;
  }
}

const siteLabel = h('span', { class: 'site', 'data-testid': 'site-name' });
void siteName().then((name) => {
  siteLabel.textContent = name;
  document.title = `Files · ${name}`;
});

function showSignIn(message = ''): void {
  const key1 = h('input', { id: 'key1', name: 'key1', type: 'password', autocomplete: 'off', required: true,
    minlength: 64, maxlength: 64, spellcheck: 'false' });
  const key2 = h('input', { id: 'key2', name: 'key2', type: 'password', autocomplete: 'off', required: true,
    minlength: 64, maxlength: 64, spellcheck: 'false' });
  const submit = h('button', { type: 'submit' }, 'Sign in');
  const form = h('form', { class: 'signin', 'aria-labelledby': 'signin-title' },
    h('h1', { id: 'signin-title' }, 'Sign in to ', siteLabel),
    h('p', {}, 'Use your account\'s API key pair (key1 and key2, 64 characters each).'),
    h('label', { for: 'key1' }, 'key1'), key1,
    h('label', { for: 'key2' }, 'key2'), key2,
    submit, errorLine, status);
  errorLine.textContent = message;
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    submit.disabled = true;
    clearError();
    try {
      const answer = await call<{ data: { access_token: string; account_id: string } }>('authorize',
        { key1: key1.value.trim(), key2: key2.value.trim() });
      session = { token: answer.data.access_token, accountId: String(answer.data.account_id) };
      saveSession(session);
      await showApp();
    } catch (e) {
      errorLine.textContent = (e as Error).message;
      submit.disabled = false;
    }
  });
  clear(root, h('main', { class: 'signin-page' }, form));
  key1.focus();
}

async function signOut(): Promise<void> {
  const old = session;
  transfers.stopAll();
  if (old) {
    try {
      await call('disable_access_token', {}, old);
    } catch {
      // the token is dropped from this tab either way
    }
  }
  signedOut('You are signed out.');
}

function signedOut(message: string): void {
  session = null;
  saveSession(null);
  limits = null;
  showSignIn(message);
}

// ---------------------------------------------------------------------------------------------------- the app

const accountLabel = h('span', { class: 'account', 'data-testid': 'account' });
const storageText = h('span', { class: 'storage-text', 'data-testid': 'storage' });
const storageBar = h('progress', { class: 'storage-bar', max: 100, value: 0, 'aria-label': 'Storage used' });
const breadcrumbs = h('ol', { class: 'breadcrumbs' });
const listElement = h('ul', { class: 'listing', 'aria-labelledby': 'listing-title', 'data-testid': 'listing' });
const listingTitle = h('h2', { id: 'listing-title', class: 'visually-hidden' }, 'Folder contents');
/** Column headers that sort: a click sorts by that column, a second click reverses it (dates start newest first). */
const sortButtons: Record<SortKey, HTMLButtonElement> = {
  name: sortButton('name', 'Name'),
  size: sortButton('size', 'Size'),
  date: sortButton('date', 'Date'),
};
const listingHead = h('div', { class: 'listing-head', role: 'group', 'aria-label': 'Sort the folder contents' },
  sortButtons.name, sortButtons.size, sortButtons.date);

function sortButton(key: SortKey, label: string): HTMLButtonElement {
  return h('button', { type: 'button', class: `sort sort-${key}`, 'data-sort': key, onclick: () => {
    descending = sortBy === key ? !descending : key !== 'name';
    sortBy = key;
    renderListing();
  } }, label);
}

function renderSortButtons(): void {
  const words: Record<SortKey, [string, string]> = { name: ['A to Z', 'Z to A'], size: ['smallest first', 'largest first'],
    date: ['oldest first', 'newest first'] };
  for (const key of Object.keys(sortButtons) as SortKey[]) {
    const button = sortButtons[key];
    const active = key === sortBy;
    button.setAttribute('aria-pressed', String(active));
    button.dataset.direction = active ? (descending ? 'desc' : 'asc') : '';
    button.setAttribute('aria-label', `Sort by ${button.textContent?.toLowerCase()}`
      + (active ? `, now ${words[key][descending ? 1 : 0]}` : ''));
  }
}
const fileInput = h('input', { type: 'file', multiple: true, id: 'file-input', class: 'visually-hidden',
  tabindex: -1, 'aria-hidden': 'true' });
const folderInput = h('input', { type: 'file', multiple: true, id: 'folder-input', class: 'visually-hidden',
  tabindex: -1, 'aria-hidden': 'true', webkitdirectory: true });
const dropOverlay = h('div', { class: 'drop-overlay', hidden: true, 'aria-hidden': 'true' },
  h('p', {}, 'Drop files or folders to upload them here'));

function renderStorage(): void {
  const limit = storageLimit;
  storageText.textContent = limit > 0 ? `${formatSize(usedBytes)} of ${formatSize(limit)} used`
    : `${formatSize(usedBytes)} used (no storage limit)`;
  storageBar.value = limit > 0 ? Math.min(100, (usedBytes / limit) * 100) : 0;
  storageBar.hidden = limit <= 0;
}

async function loadAccount(): Promise<void> {
  const [info, pkg, top] = await Promise.all([
    call<{ data: any }>('account/info', {}, session),
    call<{ data: Package }>('account/package', {}, session),
    listing(session!, null),
  ]);
  const p = pkg.data;
  const override = info.data.storageLimitOverride ? Number(info.data.storageLimitOverride) : 0;
  storageLimit = override > 0 ? override : Number(p.max_storage_bytes ?? 0);
  // Storage used: the active files, as the listing counts them (folders' totalSize is recursive).
  usedBytes = top.files.reduce((s, f) => s + Number(f.fileSize ?? 0), 0)
    + top.folders.reduce((s, f) => s + Number(f.totalSize ?? 0), 0);
  const concurrent = Number(p.concurrent_uploads ?? 0);
  limits = {
    canUpload: p.can_upload === '1' || p.can_upload === 'true' || (p.can_upload as unknown) === true,
    maxUploadSize: Number(p.max_upload_size ?? 0),
    quotaLeft: storageLimit > 0 ? Math.max(0, storageLimit - usedBytes) : null,
    concurrency: concurrent > 0 ? Math.min(3, concurrent) : 3,
  };
  clear(accountLabel, info.data.username ?? `account ${session!.accountId}`, ' · ', `${p.label} package`,
    limits.maxUploadSize > 0 ? ` · max ${formatSize(limits.maxUploadSize)} per file` : '',
    limits.canUpload ? '' : ' · uploads not allowed');
  renderStorage();
}

async function showApp(): Promise<void> {
  clearError();
  const header = h('header', { class: 'top' },
    h('div', { class: 'brand' }, siteLabel),
    h('div', { class: 'who' }, accountLabel, h('div', { class: 'storage' }, storageBar, storageText)),
    h('button', { type: 'button', class: 'secondary', onclick: () => void signOut() }, 'Sign out'));
  const importUrl = h('input', { type: 'url', id: 'import-url', placeholder: 'https://example.com/file.zip',
    required: true });
  const importForm = h('form', { class: 'import', 'aria-label': 'Import from a URL' },
    h('label', { for: 'import-url' }, 'Import from URL'), importUrl, h('button', { type: 'submit' }, 'Import'));
  importForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearError();
    try {
      await transfers.addImport(importUrl.value.trim(), currentFolder);
      importUrl.value = '';
    } catch (e) {
      showError(e);
    }
  });
  const dropZone = h('div', { class: 'dropzone', role: 'button', tabindex: 0, id: 'dropzone',
    'aria-describedby': 'dropzone-help', 'aria-label': 'Upload files: drop files or folders here, or press Enter to choose files' },
  h('span', { 'aria-hidden': 'true' }, 'Drop files or folders anywhere on the page, or press here to choose files'),
  h('span', { id: 'dropzone-help', class: 'visually-hidden' }, 'Files go to the folder shown. Progress appears in the transfer panel.'));
  dropZone.addEventListener('click', () => fileInput.click());
  dropZone.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      fileInput.click();
    }
  });
  const toolbar = h('div', { class: 'toolbar', role: 'toolbar', 'aria-label': 'Folder actions' },
    h('button', { type: 'button', onclick: () => void newFolder() }, 'New folder'),
    h('button', { type: 'button', onclick: () => fileInput.click() }, 'Upload files'),
    h('button', { type: 'button', onclick: () => folderInput.click() }, 'Upload a folder'));
  const main = h('main', { class: 'files' },
    h('nav', { 'aria-label': 'Breadcrumbs' }, breadcrumbs), toolbar, dropZone, importForm, errorLine, status,
    listingTitle, listingHead, listElement, fileInput, folderInput);
  clear(root, header, h('div', { class: 'layout' }, main, transfers.element), dropOverlay);
  try {
    await loadAccount();
    transfers.restore();
    await navigate();
  } catch (e) {
    showError(e);
  }
}

// --------------------------------------------------------------------------------------------------- folders

function folderFromHash(): string | null {
  const match = /^#\/folder\/(\d+)$/.exec(location.hash);
  return match ? match[1] : null;
}

async function navigate(): Promise<void> {
  if (!session) return;
  currentFolder = folderFromHash();
  await refresh();
}

let refreshTimer = 0;
function scheduleRefresh(): void {
  clearTimeout(refreshTimer);
  refreshTimer = window.setTimeout(() => void refresh(), 400);
}

async function refresh(): Promise<void> {
  if (!session) return;
  try {
    current = await listing(session, currentFolder);
    for (const f of current.folders) folderNames.set(f.id, { name: f.folderName, parentId: currentFolder });
    await renderBreadcrumbs();
    renderListing();
  } catch (e) {
    if ((e as ApiError).message?.startsWith('Could not find folder')) {
      announce('That folder no longer exists; showing My files.');
      location.hash = '#/';
      return;
    }
    showError(e);
  }
}

async function folderInfo(id: string): Promise<{ name: string; parentId: string | null }> {
  const known = folderNames.get(id);
  if (known) return known;
  const answer = await call<{ data: FolderEntry }>('folder/info', { folder_id: id }, session);
  const entry = { name: answer.data.folderName, parentId: answer.data.parentId ?? null };
  folderNames.set(id, entry);
  return entry;
}

async function pathOf(id: string | null): Promise<{ id: string | null; name: string }[]> {
  const path: { id: string | null; name: string }[] = [];
  for (let at = id, depth = 0; at !== null && depth < 64; depth++) {
    const info = await folderInfo(at);
    path.unshift({ id: at, name: info.name });
    at = info.parentId && info.parentId !== '0' ? info.parentId : null;
  }
  path.unshift({ id: null, name: 'My files' });
  return path;
}

async function renderBreadcrumbs(): Promise<void> {
  const path = await pathOf(currentFolder);
  clear(breadcrumbs, ...path.map((p, i) => h('li', {}, i === path.length - 1
    ? h('span', { 'aria-current': 'page' }, p.name)
    : h('a', { href: p.id === null ? '#/' : `#/folder/${p.id}` }, p.name))));
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/** Ascending order by the chosen column; ties by name. Dates are "Y-m-d H:i:s", so text order is time order. */
function compareBy<T>(name: (x: T) => string, size: (x: T) => number, date: (x: T) => string): (a: T, b: T) => number {
  return (a, b) => {
    const byColumn = sortBy === 'size' ? size(a) - size(b) : sortBy === 'date' ? date(a).localeCompare(date(b)) : 0;
    const order = byColumn || collator.compare(name(a), name(b));
    return descending ? -order : order;
  };
}

function renderListing(): void {
  renderSortButtons();
  const folders = [...current.folders].sort(compareBy((f) => f.folderName, (f) => Number(f.totalSize ?? 0),
    (f) => f.date_added ?? ''));
  const files = [...current.files].sort(compareBy((f) => f.filename, (f) => Number(f.fileSize),
    (f) => f.uploadedDate ?? ''));
  const rows: HTMLLIElement[] = [];
  for (const folder of folders) rows.push(folderRow(folder));
  for (const file of files) rows.push(fileRow(file));
  if (!rows.length) rows.push(h('li', { class: 'empty' }, 'This folder is empty. Drop files here or use “Upload files”.'));
  clear(listElement, ...rows);
  listingTitle.textContent = `Folder contents: ${folders.length} folders, ${files.length} files`;
}

function actionButton(label: string, name: string, action: () => void): HTMLButtonElement {
  return h('button', { type: 'button', class: 'small', 'aria-label': `${label} ${name}`, onclick: action }, label);
}

function folderRow(folder: FolderEntry): HTMLLIElement {
  const name = folder.folderName;
  return h('li', { class: 'row folder', 'data-name': name },
    h('a', { class: 'name', href: `#/folder/${folder.id}`, 'aria-label': `Folder ${name}` }, name),
    h('span', { class: 'meta' }, `${folder.file_count} files, ${folder.child_folder_count} folders · `
      + privacy(folder.isPublic)),
    sizeCell(Number(folder.totalSize ?? 0)), dateCell(folder.date_added, 'Added'),
    h('span', { class: 'actions' },
      actionButton('Rename', name, () => void renameFolder(folder)),
      actionButton('Move', name, () => void moveItem('folder', folder.id, name)),
      actionButton('Sharing', name, () => void sharing(folder)),
      actionButton('Password', name, () => void folderPassword(folder)),
      actionButton('Delete', name, () => void deleteItem('folder', folder.id, name))));
}

function fileRow(file: FileEntry): HTMLLIElement {
  const name = file.filename;
  return h('li', { class: 'row file', 'data-name': name, 'data-file-id': file.id },
    h('span', { class: 'name' }, name),
    h('span', { class: 'meta' }, `${file.fileType} · ${file.downloads} downloads`),
    sizeCell(Number(file.fileSize)), dateCell(file.uploadedDate, 'Uploaded'),
    h('span', { class: 'actions' },
      actionButton('Download', name, () => void download(file)),
      actionButton('Links', name, () => void links(file)),
      actionButton('Info', name, () => void info(file)),
      actionButton('Rename', name, () => void renameFile(file)),
      actionButton('Move', name, () => void moveItem('file', file.id, name)),
      actionButton('Copy', name, () => void copyFile(file)),
      actionButton('Delete', name, () => void deleteItem('file', file.id, name))));
}

function sizeCell(bytes: number): HTMLSpanElement {
  return h('span', { class: 'size', title: `${bytes} bytes` }, formatSize(bytes));
}

/** The API's "Y-m-d H:i:s" (tenant time zone), shown as it comes: the same text as the info dialog's. */
function dateCell(date: string | null | undefined, what: string): HTMLSpanElement {
  return h('span', { class: 'date' }, date
    ? h('time', { datetime: date.replace(' ', 'T'), 'aria-label': `${what} ${date}` }, date) : '—');
}

function privacy(isPublic: string): string {
  return isPublic === '2' ? 'public' : isPublic === '1' ? 'unlisted' : 'private';
}

/** Runs an action, shows its error in words, refreshes the listing and announces the result. */
async function act(done: string, action: () => Promise<unknown>): Promise<void> {
  clearError();
  try {
    await action();
    announce(done);
    await refresh();
    void loadAccount().catch(() => undefined);
  } catch (e) {
    showError(e);
  }
}

// ----------------------------------------------------------------------------------------------------- dialogs

function dialog(title: string, body: Node[], buttons: { label: string; value: string; primary?: boolean }[]):
  Promise<{ value: string; form: HTMLFormElement }> {
  return new Promise((resolve) => {
    const form = h('form', { method: 'dialog' },
      h('h2', { id: 'dialog-title' }, title), ...body,
      h('div', { class: 'dialog-buttons' }, ...buttons.map((b) => h('button', { value: b.value,
        class: b.primary ? '' : 'secondary', type: 'submit' }, b.label))));
    const d = h('dialog', { 'aria-labelledby': 'dialog-title' }, form);
    d.addEventListener('close', () => {
      d.remove();
      resolve({ value: d.returnValue || 'cancel', form });
    });
    document.body.append(d);
    d.showModal();
  });
}

async function ask(title: string, label: string, initial: string, action: string): Promise<string | null> {
  const input = h('input', { id: 'dialog-input', name: 'value', required: true, value: initial, autocomplete: 'off' });
  const promise = dialog(title, [h('label', { for: 'dialog-input' }, label), input],
    [{ label: 'Cancel', value: 'cancel' }, { label: action, value: 'ok', primary: true }]);
  input.select();
  const { value } = await promise;
  const text = input.value.trim();
  return value === 'ok' && text ? text : null;
}

async function confirmAction(title: string, text: string, action: string): Promise<boolean> {
  const { value } = await dialog(title, [h('p', {}, text)],
    [{ label: 'Cancel', value: 'cancel' }, { label: action, value: 'ok', primary: true }]);
  return value === 'ok';
}

/** What a folder password does here, said once for both dialogs (public-folder pages have no password prompt yet). */
const PASSWORD_HINT = 'Protects the folder\'s public page: while a password is set, the page at the folder link is not '
  + 'shown to visitors. The files\' own links still work. Only an md5 digest of the password is sent and stored.';

function passwordInput(id: string, label: string): [HTMLLabelElement, HTMLInputElement] {
  return [h('label', { for: id }, label), h('input', { id, name: id, type: 'password', autocomplete: 'new-password',
    spellcheck: 'false' })];
}

async function newFolder(): Promise<void> {
  const nameInput = h('input', { id: 'dialog-input', name: 'value', required: true, autocomplete: 'off' });
  const [passwordLabel, password] = passwordInput('dialog-password', 'Folder page password (optional)');
  const promise = dialog('New folder', [h('label', { for: 'dialog-input' }, 'Folder name'), nameInput, passwordLabel,
    password, h('p', { class: 'hint' }, PASSWORD_HINT)],
  [{ label: 'Cancel', value: 'cancel' }, { label: 'Create', value: 'ok', primary: true }]);
  nameInput.focus();
  const { value } = await promise;
  const name = nameInput.value.trim();
  if (value !== 'ok' || !name) return;
  // Empty = no password (the API's empty access_password); the typed text itself is never sent.
  const accessPassword = password.value ? accessPasswordOf(password.value) : '';
  password.value = '';
  await act(`Folder ${name} created.`, () => call('folder/create', { folder_name: name, parent_id: currentFolder ?? '',
    access_password: accessPassword }, session));
}

async function renameFolder(folder: FolderEntry): Promise<void> {
  const name = await ask('Rename folder', 'New name', folder.folderName, 'Rename');
  if (!name || name === folder.folderName) return;
  folderNames.delete(folder.id);
  await act(`Folder renamed to ${name}.`, () => call('folder/edit', { folder_id: folder.id, folder_name: name }, session));
}

async function renameFile(file: FileEntry): Promise<void> {
  const name = await ask('Rename file', 'New name', file.filename, 'Rename');
  if (!name || name === file.filename) return;
  await act(`File renamed to ${name}.`, () => call('file/edit', { file_id: file.id, filename: name }, session));
}

async function deleteItem(kind: 'file' | 'folder', id: string, name: string): Promise<void> {
  const ok = await confirmAction(`Delete ${kind}`, kind === 'folder'
    ? `Move the folder “${name}” with everything in it to the trash?` : `Move “${name}” to the trash?`, 'Delete');
  if (!ok) return;
  await act(`${name} moved to the trash.`, () => call(`${kind}/delete`, kind === 'file' ? { file_id: id } : { folder_id: id }, session));
}

async function sharing(folder: FolderEntry): Promise<void> {
  const select = h('select', { id: 'dialog-privacy', name: 'privacy' },
    h('option', { value: '0' }, 'Private'), h('option', { value: '1' }, 'Unlisted (anyone with the link)'),
    h('option', { value: '2' }, 'Public'));
  select.value = String(folder.isPublic ?? '0');
  const { value } = await dialog(`Sharing of “${folder.folderName}”`,
    [h('label', { for: 'dialog-privacy' }, 'Who can see it'), select,
      h('p', {}, 'Folder page: ', h('a', { href: folder.url_folder, target: '_blank', rel: 'noopener' }, folder.url_folder))],
    [{ label: 'Cancel', value: 'cancel' }, { label: 'Save', value: 'ok', primary: true }]);
  if (value !== 'ok') return;
  await act('Sharing saved.', () => call('folder/edit', { folder_id: folder.id, is_public: select.value }, session));
}

/** Sets, changes or removes a folder's password; folder/info tells whether it has one (the listing does not). */
async function folderPassword(folder: FolderEntry): Promise<void> {
  clearError();
  let hasPassword: boolean;
  try {
    const answer = await call<{ data: FolderInfo }>('folder/info', { folder_id: folder.id }, session);
    hasPassword = answer.data.accessPassword !== null;
  } catch (e) {
    showError(e);
    return;
  }
  const [passwordLabel, password] = passwordInput('dialog-password', hasPassword ? 'New password' : 'Password');
  const remove = h('input', { id: 'dialog-remove-password', name: 'remove', type: 'checkbox' });
  remove.addEventListener('change', () => { password.disabled = remove.checked; });
  const body: Node[] = [
    h('p', { 'data-testid': 'password-state' }, hasPassword ? 'This folder has a password.' : 'This folder has no password.'),
    passwordLabel, password];
  if (hasPassword) body.push(h('label', { class: 'check' }, remove, 'Remove the password'));
  body.push(h('p', { class: 'hint' }, PASSWORD_HINT));
  const promise = dialog(`Password of “${folder.folderName}”`, body,
    [{ label: 'Cancel', value: 'cancel' }, { label: 'Save', value: 'ok', primary: true }]);
  password.focus();
  const { value } = await promise;
  const typed = password.value;
  password.value = '';
  if (value !== 'ok') return;
  if (remove.checked) {
    // The API clears the password with the literal null (an empty value would leave it unchanged).
    await act('Password removed.', () => call('folder/edit', { folder_id: folder.id, access_password: null }, session));
  } else if (typed) {
    await act('Password set.', () => call('folder/edit', { folder_id: folder.id,
      access_password: accessPasswordOf(typed) }, session));
  }
}

/** A folder chooser: browse from "My files" into sub-folders, then choose. Resolves to a folder id, "null" (root) or undefined. */
async function chooseFolder(title: string, action: string, exclude?: string): Promise<string | undefined> {
  let at: string | null = null;
  const list = h('ul', { class: 'chooser' });
  const where = h('p', { class: 'chooser-where' });
  const load = async () => {
    const path = await pathOf(at);
    where.textContent = `Chosen: ${path.map((p) => p.name).join(' / ')}`;
    const items: HTMLLIElement[] = [];
    if (at !== null) {
      const parent = path.length > 1 ? path[path.length - 2].id : null;
      items.push(h('li', {}, h('button', { type: 'button', class: 'small', onclick: () => { at = parent; void load(); } }, '↑ Up')));
    }
    const content = await listing(session!, at);
    for (const f of content.folders.sort((a, b) => collator.compare(a.folderName, b.folderName))) {
      folderNames.set(f.id, { name: f.folderName, parentId: at });
      if (f.id === exclude) continue;
      items.push(h('li', {}, h('button', { type: 'button', class: 'small', 'data-folder': f.folderName,
        onclick: () => { at = f.id; void load(); } }, f.folderName)));
    }
    clear(list, ...items);
  };
  await load();
  const { value } = await dialog(title, [where, list],
    [{ label: 'Cancel', value: 'cancel' }, { label: action, value: 'ok', primary: true }]);
  if (value !== 'ok') return undefined;
  return at ?? 'null';
}

async function moveItem(kind: 'file' | 'folder', id: string, name: string): Promise<void> {
  const target = await chooseFolder(`Move “${name}” to…`, 'Move here', kind === 'folder' ? id : undefined);
  if (target === undefined) return;
  folderNames.delete(id);
  await act(`${name} moved.`, () => call(`${kind}/move`, kind === 'file'
    ? { file_id: id, new_parent_folder_id: target } : { folder_id: id, new_parent_folder_id: target }, session));
}

async function copyFile(file: FileEntry): Promise<void> {
  const target = await chooseFolder(`Copy “${file.filename}” to…`, 'Copy here');
  if (target === undefined) return;
  await act(`${file.filename} copied.`, () => call('file/copy', { file_id: file.id, copy_to_folder_id: target }, session));
}

async function downloadUrl(file: FileEntry): Promise<string> {
  const answer = await call<{ data: { download_url: string } }>('file/download', { file_id: file.id }, session);
  return answer.data.download_url;
}

async function download(file: FileEntry): Promise<void> {
  clearError();
  try {
    const a = h('a', { href: await downloadUrl(file), download: file.filename, class: 'visually-hidden' });
    document.body.append(a);
    a.click();
    a.remove();
    announce(`Downloading ${file.filename}.`);
  } catch (e) {
    showError(e);
  }
}

function copyRow(label: string, value: string, id: string): HTMLElement {
  const input = h('input', { id, readonly: true, value, class: 'link' });
  return h('div', { class: 'copy-row' }, h('label', { for: id }, label), input,
    h('button', { type: 'button', class: 'small', 'aria-label': `Copy ${label}`, onclick: async () => {
      try {
        await navigator.clipboard.writeText(value);
        announce(`${label} copied.`);
      } catch {
        input.select();
        announce('Press Ctrl+C to copy the selected link.');
      }
    } }, 'Copy'));
}

async function links(file: FileEntry): Promise<void> {
  clearError();
  try {
    const url = await downloadUrl(file);
    await dialog(`Links of “${file.filename}”`, [
      copyRow('Download link', url, 'link-download'),
      copyRow('Public page', file.url_file, 'link-page'),
      h('p', { class: 'hint' }, 'The download link expires; the public page link does not.')],
    [{ label: 'Close', value: 'ok', primary: true }]);
  } catch (e) {
    showError(e);
  }
}

async function info(file: FileEntry): Promise<void> {
  clearError();
  try {
    const answer = await call<{ data: Record<string, string | null> }>('file/info', { file_id: file.id }, session);
    const d = answer.data;
    const rows: [string, string][] = [['Name', d.filename ?? ''], ['Size', `${formatSize(Number(d.fileSize))} (${d.fileSize} bytes)`],
      ['Type', d.fileType ?? ''], ['Downloads', d.downloads ?? '0'], ['Uploaded', d.uploadedDate ?? ''],
      ['Last accessed', d.lastAccessed ?? '—'], ['Status', d.file_status ?? ''], ['Public page', d.url_file ?? '']];
    if (d.hash) rows.splice(2, 0, ['MD5', d.hash]);
    const dl = h('dl', { class: 'info' });
    for (const [k, v] of rows) append(dl, h('dt', {}, k), h('dd', {}, v));
    await dialog(`About “${file.filename}”`, [dl], [{ label: 'Close', value: 'ok', primary: true }]);
  } catch (e) {
    showError(e);
  }
}

// ------------------------------------------------------------------------------------------------- uploading

/** Folders created on the way of a dropped tree, one request per folder even when hundreds of files share it. */
const ensured = new Map<string, Promise<string>>();

async function folderFor(baseFolderId: string | null, dirs: string[]): Promise<string | null> {
  let parent = baseFolderId;
  for (let i = 0; i < dirs.length; i++) {
    const key = `${session?.accountId}|${baseFolderId ?? 'root'}|${dirs.slice(0, i + 1).join('/')}`;
    let pending = ensured.get(key);
    if (!pending) {
      const parentId = parent;
      const name = dirs[i];
      // An existing folder of that name is reused: a re-dropped folder continues its upload instead of doubling.
      pending = listing(session!, parentId).then((content) => {
        const existing = content.folders.find((f) => f.folderName === name);
        if (existing) return existing.id;
        return call<{ data: FolderEntry }>('folder/create', { folder_name: name, parent_id: parentId ?? '' }, session)
          .then((answer) => answer.data.id);
      }).then((id) => {
        folderNames.set(id, { name, parentId });
        if (parentId === currentFolder) scheduleRefresh();
        return id;
      });
      pending.catch(() => ensured.delete(key));
      ensured.set(key, pending);
    }
    parent = await pending;
  }
  return parent;
}

fileInput.addEventListener('change', () => {
  const files = Array.from(fileInput.files ?? []);
  fileInput.value = '';
  void transfers.add(files.map((file) => ({ file, dirs: [] })), currentFolder);
});

folderInput.addEventListener('change', () => {
  const files = Array.from(folderInput.files ?? []);
  folderInput.value = '';
  void transfers.add(files.map((file) => {
    const parts = (file.webkitRelativePath || file.name).split('/');
    return { file, dirs: parts.slice(0, -1) };
  }), currentFolder);
});

/** Walks dropped folders without freezing: directory readers are read in batches, yielding between them. */
async function collect(items: DataTransferItemList): Promise<{ file: File; dirs: string[] }[]> {
  const out: { file: File; dirs: string[] }[] = [];
  const roots: FileSystemEntry[] = [];
  const loose: File[] = [];
  for (const item of Array.from(items)) {
    if (item.kind !== 'file') continue;
    const entry = item.webkitGetAsEntry?.();
    if (entry) roots.push(entry);
    else {
      const file = item.getAsFile();
      if (file) loose.push(file);
    }
  }
  for (const file of loose) out.push({ file, dirs: [] });
  const fileOf = (entry: FileSystemFileEntry) => new Promise<File>((resolve, reject) => entry.file(resolve, reject));
  const stack: { entry: FileSystemEntry; dirs: string[] }[] = roots.map((entry) => ({ entry, dirs: [] }));
  let seen = 0;
  while (stack.length) {
    const { entry, dirs } = stack.pop()!;
    if (entry.isFile) {
      out.push({ file: await fileOf(entry as FileSystemFileEntry), dirs });
      if (++seen % 250 === 0) {
        announce(`Reading the dropped folder: ${seen} files so far…`);
        await yieldToBrowser();
      }
    } else if (entry.isDirectory) {
      const reader = (entry as FileSystemDirectoryEntry).createReader();
      const childDirs = [...dirs, entry.name];
      for (;;) {
        const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
        if (!batch.length) break;
        for (const child of batch) stack.push({ entry: child, dirs: childDirs });
      }
    }
  }
  return out;
}

let dragDepth = 0;
document.addEventListener('dragenter', (event) => {
  if (!session || !event.dataTransfer?.types.includes('Files')) return;
  event.preventDefault();
  dragDepth++;
  dropOverlay.hidden = false;
});
document.addEventListener('dragover', (event) => {
  if (!session || !event.dataTransfer?.types.includes('Files')) return;
  event.preventDefault();
  event.dataTransfer.dropEffect = 'copy';
});
document.addEventListener('dragleave', () => {
  dragDepth = Math.max(0, dragDepth - 1);
  if (dragDepth === 0) dropOverlay.hidden = true;
});
document.addEventListener('drop', async (event) => {
  dragDepth = 0;
  dropOverlay.hidden = true;
  if (!session || !event.dataTransfer) return;
  event.preventDefault();
  const folder = currentFolder;
  try {
    const entries = await collect(event.dataTransfer.items);
    await transfers.add(entries, folder);
  } catch (e) {
    showError(new Error(`The dropped items could not be read: ${(e as Error).message}`));
  }
});

window.addEventListener('hashchange', () => void navigate());

if (session) void showApp();
else showSignIn();
