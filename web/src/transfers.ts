// One transfer panel for the whole page: uploads (tus, resumable) and URL imports side by side, per file, surviving
// navigation between folders (it lives outside the folder view) and a reload (unfinished uploads and running imports
// are remembered in localStorage; an upload continues from its last byte when its file is given again, found by the
// tus fingerprint; an import's status is polled again).
import * as tus from 'tus-js-client';
import { ApiError, call, explain, type Session, base64Url } from './api';
import { announce, formatDuration, formatSize, h, yieldToBrowser } from './dom';

export interface Limits {
  canUpload: boolean;
  /** 0 = unlimited */
  maxUploadSize: number;
  /** bytes still free, or null when the package has no storage limit */
  quotaLeft: number | null;
  /** uploads at once (the package's concurrent_uploads, at most 3) */
  concurrency: number;
}

export interface TransferHost {
  session(): Session | null;
  limits(): Limits | null;
  /** The folder a dropped file goes to: its relative directories created (or found) under the base folder. */
  folderFor(baseFolderId: string | null, dirs: string[]): Promise<string | null>;
  folderLabel(folderId: string | null): string;
  /** A file arrived in a folder (the view refreshes if it shows that folder, the storage figure is updated). */
  arrived(folderId: string | null, bytes: number): void;
}

type State = 'queued' | 'preparing' | 'uploading' | 'paused' | 'offline' | 'done' | 'failed' | 'refused' | 'interrupted'
  | 'importing';

interface Transfer {
  id: number;
  kind: 'upload' | 'import';
  name: string;
  target: string;
  size: number;
  sent: number;
  state: State;
  message: string;
  fingerprint: string;
  dirs: string[];
  baseFolderId: string | null;
  folderId?: string | null;
  file?: File;
  upload?: tus.Upload;
  importId?: number;
  speed: number;
  sample?: { at: number; sent: number };
  row?: HTMLLIElement;
  dirty: boolean;
}

interface Remembered {
  kind: 'upload' | 'import';
  fingerprint: string;
  name: string;
  size: number;
  sent: number;
  target: string;
  dirs: string[];
  baseFolderId: string | null;
  importId?: number;
  state?: State;
}

const ACTIVE: State[] = ['preparing', 'uploading'];
const OPEN: State[] = ['queued', 'preparing', 'uploading', 'paused', 'offline'];
/** Rows shown at most: a drop of thousands of files shows the first ones and a count, never thousands of rows. */
const MAX_ROWS = 300;

export class Transfers {
  readonly element: HTMLElement;
  private readonly list: HTMLUListElement;
  private readonly summary: HTMLParagraphElement;
  private readonly more: HTMLParagraphElement;
  private readonly items: Transfer[] = [];
  private nextId = 1;
  private renderScheduled = false;
  private persistScheduled = false;

  constructor(private readonly host: TransferHost) {
    this.list = h('ul', { class: 'transfer-list' });
    this.summary = h('p', { class: 'transfer-summary', 'aria-live': 'polite' }, 'No transfers yet.');
    this.more = h('p', { class: 'transfer-more', hidden: true });
    const clearButton = h('button', { type: 'button', class: 'secondary', onclick: () => this.clearFinished() },
      'Clear finished');
    this.element = h('section', { class: 'transfers', 'aria-labelledby': 'transfers-title', 'data-testid': 'transfers' },
      h('div', { class: 'transfers-head' }, h('h2', { id: 'transfers-title' }, 'Transfers'), clearButton),
      this.summary, this.list, this.more);
    window.addEventListener('online', () => this.items.filter((t) => t.state === 'offline').forEach((t) => this.resume(t)));
    // The progress of the last moments before a reload or a closed tab, which the throttled saving would miss.
    window.addEventListener('pagehide', () => this.persistNow());
  }

  // ---------------------------------------------------------------------------------------------------- state

  private key(): string | null {
    const session = this.host.session();
    return session ? `filehost.transfers.${session.accountId}` : null;
  }

  /** After sign-in: unfinished uploads wait for their file again, imports are polled again. */
  restore(): void {
    const key = this.key();
    if (!key) return;
    let saved: Remembered[] = [];
    try {
      saved = JSON.parse(localStorage.getItem(key) ?? '[]');
    } catch {
      saved = [];
    }
    for (const r of saved) {
      if (this.items.some((t) => t.fingerprint === r.fingerprint)) continue;
      const t = this.create(r.kind, r.name, r.size, r.target, r.fingerprint, r.dirs, r.baseFolderId);
      t.sent = r.sent;
      if (r.kind === 'import') {
        t.importId = r.importId;
        t.state = 'importing';
        t.message = 'Importing…';
        this.poll(t);
      } else {
        t.state = 'interrupted';
        t.message = `Interrupted at ${this.percent(t)} %. Choose or drop the same file again to continue from there.`;
      }
    }
    this.schedule();
  }

  /** Sign-out: uploads stop (they keep their place on the server and continue after the next sign-in). */
  stopAll(): void {
    for (const t of this.items) {
      if (t.upload && OPEN.includes(t.state)) {
        void t.upload.abort();
      }
    }
    this.persistNow();
    this.items.length = 0;
    this.list.replaceChildren();
    this.schedule();
  }

  private persist(): void {
    if (this.persistScheduled) return;
    this.persistScheduled = true;
    setTimeout(() => this.persistNow(), 500);
  }

  private persistNow(): void {
    this.persistScheduled = false;
    const key = this.key();
    if (!key) return;
    const open: Remembered[] = this.items
      .filter((t) => (t.kind === 'upload' && [...OPEN, 'interrupted'].includes(t.state))
        || (t.kind === 'import' && t.state === 'importing'))
      .map((t) => ({ kind: t.kind, fingerprint: t.fingerprint, name: t.name, size: t.size, sent: t.sent,
        target: t.target, dirs: t.dirs, baseFolderId: t.baseFolderId, importId: t.importId }));
    if (open.length) localStorage.setItem(key, JSON.stringify(open));
    else localStorage.removeItem(key);
  }

  private create(kind: Transfer['kind'], name: string, size: number, target: string, fingerprint: string,
    dirs: string[], baseFolderId: string | null): Transfer {
    const t: Transfer = { id: this.nextId++, kind, name, size, target, fingerprint, dirs, baseFolderId, sent: 0,
      state: 'queued', message: 'Waiting', speed: 0, dirty: true };
    this.items.push(t);
    return t;
  }

  // ------------------------------------------------------------------------------------------------- uploads

  /**
   * Files chosen or dropped, each with its relative directories (a dropped folder keeps its tree). Every file is
   * checked against the package before any byte is sent; the refused ones say why.
   */
  async add(entries: { file: File; dirs: string[] }[], baseFolderId: string | null): Promise<void> {
    const session = this.host.session();
    if (!session) return;
    let refused = 0;
    let added = 0;
    for (let i = 0; i < entries.length; i++) {
      const { file, dirs } = entries[i];
      const fingerprint = ['fh', session.accountId, baseFolderId ?? 'root', ...dirs, file.name, file.size,
        file.lastModified].join('/');
      const target = [this.host.folderLabel(baseFolderId), ...dirs].join(' / ');
      let t = this.items.find((x) => x.fingerprint === fingerprint && x.kind === 'upload');
      if (t && OPEN.includes(t.state)) continue; // already on its way
      if (!t || t.state !== 'interrupted') {
        t = this.create('upload', file.name, file.size, target, fingerprint, dirs, baseFolderId);
      }
      t.file = file;
      const reason = this.refusal(file.size);
      if (reason) {
        t.state = 'refused';
        t.message = reason;
        refused++;
      } else {
        t.state = 'queued';
        t.message = t.sent > 0 ? `Waiting to continue from ${this.percent(t)} %` : 'Waiting';
        added++;
      }
      t.dirty = true;
      if (i % 200 === 199) {
        this.schedule();
        await yieldToBrowser();
      }
    }
    announce(`${added} file${added === 1 ? '' : 's'} added to transfers${refused ? `, ${refused} refused (see why in the transfer panel)` : ''}.`);
    this.persist();
    this.schedule();
    this.pump();
  }

  /** Why the package refuses a file of this size now, or null. Counts the bytes already queued against the quota. */
  private refusal(size: number): string | null {
    const limits = this.host.limits();
    if (!limits) return null;
    if (!limits.canUpload) return 'Refused: your account package does not allow uploads.';
    if (size === 0) return 'Refused: the file is empty (0 bytes); empty files cannot be stored.';
    if (limits.maxUploadSize > 0 && size > limits.maxUploadSize) {
      return `Refused: ${formatSize(size)} is larger than your package's maximum upload size of ${formatSize(limits.maxUploadSize)}.`;
    }
    if (limits.quotaLeft !== null) {
      const pending = this.items.filter((t) => t.kind === 'upload' && OPEN.includes(t.state))
        .reduce((sum, t) => sum + (t.size - t.sent), 0);
      const left = Math.max(0, limits.quotaLeft - pending);
      if (size > left) {
        return `Refused: not enough storage left — the file needs ${formatSize(size)}, ${formatSize(left)} is free${pending ? ' after the uploads already queued' : ''}.`;
      }
    }
    return null;
  }

  private pump(): void {
    const limit = this.host.limits()?.concurrency ?? 2;
    let active = this.items.filter((t) => ACTIVE.includes(t.state)).length;
    for (const t of this.items) {
      if (active >= limit) break;
      if (t.state === 'queued' && t.file) {
        active++;
        void this.start(t);
      }
    }
  }

  private async start(t: Transfer): Promise<void> {
    const session = this.host.session();
    if (!session || !t.file) return;
    this.set(t, 'preparing', t.dirs.length ? 'Creating its folders…' : 'Starting…');
    try {
      t.folderId = await this.host.folderFor(t.baseFolderId, t.dirs);
    } catch (e) {
      this.set(t, 'failed', `Its folder could not be created: ${(e as Error).message}`);
      this.pump();
      return;
    }
    const metadata: Record<string, string> = { filename: t.file.name, filetype: t.file.type || 'application/octet-stream' };
    if (t.folderId) metadata.folder_id = t.folderId;
    const upload = new tus.Upload(t.file, {
      endpoint: '/api/v2/file/tus',
      headers: { Authorization: `Bearer ${session.token}`, 'X-Account-Id': session.accountId },
      metadata,
      // Our fingerprint: the same file for the same account and destination continues where it stopped.
      fingerprint: async () => t.fingerprint,
      removeFingerprintOnSuccess: true,
      // A dropped connection is retried for about a minute; after that the row waits for the browser's "online".
      retryDelays: [0, 1000, 2000, 3000, 5000, 5000, 10000, 10000, 15000],
      onShouldRetry: (error, attempt) => {
        const status = error.originalResponse?.getStatus() ?? 0;
        const retry = status === 0 || [409, 423, 429, 500, 502, 503, 504].includes(status);
        if (retry) this.set(t, 'uploading', `Connection problem — retrying (attempt ${attempt + 1})…`);
        return retry;
      },
      onProgress: (sent, total) => this.progress(t, sent, total),
      onSuccess: ({ lastResponse }) => {
        const fileId = lastResponse.getHeader('Filehost-File-Id');
        t.sent = t.size;
        this.set(t, 'done', fileId ? 'Uploaded' : 'Uploaded (the server did not name the file)');
        this.host.arrived(t.folderId ?? null, t.size);
        this.pump();
      },
      onError: (error) => {
        const status = (error as tus.DetailedError).originalResponse?.getStatus() ?? 0;
        if (status === 0) {
          this.set(t, 'offline', 'Connection lost. The upload continues by itself when the connection is back.');
        } else {
          this.set(t, 'failed', tusMessage(error as tus.DetailedError));
        }
        this.pump();
      },
    });
    t.upload = upload;
    try {
      const previous = await upload.findPreviousUploads();
      if (previous.length) upload.resumeFromPreviousUpload(previous[0]);
    } catch {
      // no storage: starts from the beginning
    }
    this.set(t, 'uploading', t.sent > 0 ? 'Continuing…' : 'Uploading…');
    t.sample = { at: performance.now(), sent: t.sent };
    upload.start();
  }

  private progress(t: Transfer, sent: number, total: number): void {
    t.sent = sent;
    t.size = total;
    const now = performance.now();
    if (!t.sample) t.sample = { at: now, sent };
    const elapsed = (now - t.sample.at) / 1000;
    if (elapsed >= 0.5) {
      const rate = (sent - t.sample.sent) / elapsed;
      // Smoothed, so "time left" does not jump with every progress event.
      t.speed = t.speed ? t.speed * 0.6 + rate * 0.4 : rate;
      t.sample = { at: now, sent };
    }
    if (t.state !== 'uploading' || t.message !== 'Uploading…') {
      t.state = 'uploading';
      t.message = 'Uploading…';
    }
    t.dirty = true;
    this.persist();
    this.schedule();
  }

  pause(t: Transfer): void {
    void t.upload?.abort();
    this.set(t, 'paused', `Paused at ${this.percent(t)} %`);
    this.pump();
  }

  resume(t: Transfer): void {
    if (!t.upload) {
      // paused before it started: back in the queue
      this.set(t, 'queued', 'Waiting');
      this.pump();
      return;
    }
    this.set(t, 'uploading', 'Continuing…');
    t.sample = undefined;
    t.upload.start();
  }

  async cancel(t: Transfer): Promise<void> {
    try {
      if (t.upload && [...OPEN, 'failed'].includes(t.state)) {
        await t.upload.abort(true); // termination: the server releases the parts and the reserved quota at once
      } else if (t.state === 'interrupted') {
        // Interrupted by a reload: its upload URL is only in the tus storage.
        const session = this.host.session();
        const storage = tus.defaultOptions.urlStorage;
        for (const previous of await storage.findUploadsByFingerprint(t.fingerprint)) {
          if (previous.uploadUrl && session) {
            await tus.Upload.terminate(previous.uploadUrl, {
              headers: { Authorization: `Bearer ${session.token}`, 'X-Account-Id': session.accountId },
            }).catch(() => undefined);
          }
          await storage.removeUpload(previous.urlStorageKey);
        }
      }
    } catch {
      // an upload the server no longer knows is as good as cancelled
    }
    this.set(t, 'failed', 'Cancelled');
    this.remove(t);
    this.pump();
  }

  // ------------------------------------------------------------------------------------------------- imports

  async addImport(url: string, folderId: string | null): Promise<void> {
    const session = this.host.session();
    if (!session) return;
    const answer = await call<{ data: { scheduled_item_id: number; url: string } }>('file/url_upload_add',
      { file_url_base64: base64Url(url), folder_id: folderId ?? undefined }, session);
    const id = answer.data.scheduled_item_id;
    const fingerprint = `import/${id}`;
    if (this.items.some((t) => t.fingerprint === fingerprint)) {
      announce('This URL is already being imported.');
      return;
    }
    const t = this.create('import', url, 0, this.host.folderLabel(folderId), fingerprint, [], folderId);
    t.importId = id;
    t.folderId = folderId;
    this.set(t, 'importing', 'Scheduled…');
    announce(`Import of ${url} scheduled.`);
    this.poll(t);
  }

  private async poll(t: Transfer, delay = 700): Promise<void> {
    await new Promise((r) => setTimeout(r, delay));
    const session = this.host.session();
    if (!session || !this.items.includes(t)) return;
    try {
      const answer = await call<{ data: any }>('file/url_upload_status', { scheduled_item_id: t.importId }, session);
      const d = answer.data;
      t.size = Number(d.total_size ?? 0);
      t.sent = Number(d.downloaded_size ?? 0);
      switch (d.status) {
        case 'complete':
          if (d.downloaded_file?.name) t.name = `${d.downloaded_file.name} (from ${t.name})`;
          t.sent = t.size = Number(d.downloaded_file?.size ?? t.size);
          this.set(t, 'done', 'Imported');
          this.host.arrived(t.folderId ?? t.baseFolderId, t.size);
          return;
        case 'failed':
        case 'cancelled':
          this.set(t, 'failed', `Import ${d.status}${d.error ? `: ${d.error}` : ''}`);
          return;
        default:
          this.set(t, 'importing', d.status === 'pending' ? 'Waiting for the importer…' : `Importing (${d.status})…`);
      }
    } catch (e) {
      const error = e as ApiError;
      if (error.sessionExpired) return;
      this.set(t, 'importing', `Cannot ask for the status right now (${error.message}); asking again…`);
    }
    void this.poll(t, Math.min(delay * 1.3, 3000));
  }

  // ------------------------------------------------------------------------------------------------- display

  private percent(t: Transfer): number {
    return t.size > 0 ? Math.floor((t.sent / t.size) * 100) : 0;
  }

  private set(t: Transfer, state: State, message: string): void {
    t.state = state;
    t.message = message;
    t.dirty = true;
    this.persist();
    this.schedule();
  }

  private remove(t: Transfer): void {
    const index = this.items.indexOf(t);
    if (index >= 0) this.items.splice(index, 1);
    t.row?.remove();
    this.persist();
    this.schedule();
  }

  private clearFinished(): void {
    for (const t of [...this.items]) {
      if (['done', 'failed', 'refused'].includes(t.state)) this.remove(t);
    }
    announce('Finished transfers cleared.');
  }

  /** Rows are redrawn at most once a frame, only those that changed. */
  private schedule(): void {
    if (this.renderScheduled) return;
    this.renderScheduled = true;
    requestAnimationFrame(() => this.render());
  }

  private render(): void {
    this.renderScheduled = false;
    const shown = this.items.slice(0, MAX_ROWS);
    shown.forEach((t, index) => {
      if (!t.row) {
        t.row = this.row(t);
        t.dirty = true;
      }
      if (this.list.children[index] !== t.row) this.list.insertBefore(t.row, this.list.children[index] ?? null);
      if (t.dirty) this.update(t);
    });
    const hidden = this.items.length - shown.length;
    this.more.hidden = hidden <= 0;
    this.more.textContent = hidden > 0 ? `…and ${hidden} more (shown as the first ones finish and are cleared).` : '';
    const count = (s: State[]) => this.items.filter((t) => s.includes(t.state)).length;
    const open = count([...OPEN, 'importing']);
    const done = count(['done']);
    const bad = count(['failed', 'refused']);
    const waiting = count(['interrupted']);
    this.summary.textContent = this.items.length === 0 ? 'No transfers yet.'
      : `${open} in progress, ${done} done${bad ? `, ${bad} failed or refused` : ''}${waiting ? `, ${waiting} interrupted` : ''}.`;
  }

  private row(t: Transfer): HTMLLIElement {
    const li = h('li', { class: 'transfer', 'data-kind': t.kind });
    li.append(
      h('div', { class: 'transfer-name' }),
      h('div', { class: 'transfer-target' }),
      h('progress', { max: 100, value: 0 }),
      h('div', { class: 'transfer-status' }),
      h('div', { class: 'transfer-actions' }),
    );
    return li;
  }

  private update(t: Transfer): void {
    t.dirty = false;
    const li = t.row!;
    const [name, target, bar, status, actions] = Array.from(li.children) as HTMLElement[];
    li.dataset.state = t.state;
    name.textContent = t.name;
    target.textContent = `${t.kind === 'import' ? 'Import into' : 'To'}: ${t.target}`;
    const percent = t.state === 'done' ? 100 : this.percent(t);
    const progress = bar as HTMLProgressElement;
    progress.value = percent;
    progress.setAttribute('aria-label', `${t.name}: ${percent} %`);
    let text = `${percent} % · ${t.message}`;
    if (t.size > 0) text += ` · ${formatSize(t.sent)} of ${formatSize(t.size)}`;
    if (t.state === 'uploading' && t.speed > 0) {
      text += ` · ${formatSize(t.speed)}/s · ${formatDuration((t.size - t.sent) / t.speed)} left`;
    }
    status.textContent = text;
    const buttons: HTMLButtonElement[] = [];
    const button = (label: string, action: () => void) => buttons.push(h('button', { type: 'button',
      class: 'small', 'aria-label': `${label} ${t.name}`, onclick: action }, label));
    if (t.kind === 'upload') {
      if (t.state === 'uploading' || t.state === 'queued') button('Pause', () => this.pause(t));
      if (t.state === 'paused' || t.state === 'offline') button('Resume', () => this.resume(t));
      if (t.state === 'failed' && t.upload) button('Retry', () => this.resume(t));
      if ([...OPEN, 'interrupted', 'failed'].includes(t.state)) button('Cancel', () => void this.cancel(t));
    }
    if (['done', 'refused', 'failed'].includes(t.state)) button('Remove', () => this.remove(t));
    actions.replaceChildren(...buttons);
  }
}

function tusMessage(error: tus.DetailedError): string {
  const response = error.originalResponse;
  if (!response) return error.message;
  const status = response.getStatus();
  try {
    const body = JSON.parse(response.getBody());
    if (typeof body?.response === 'string') return `Refused by the server: ${explain(body.response, status)}`;
  } catch {
    // not the envelope
  }
  return `The server refused the upload (HTTP ${status}).`;
}
