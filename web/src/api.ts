// The public API (File Upload API v2) as the page uses it: POST, urlencoded, credentials in the body (never in a URL
// that could end up in a log or a Referer).
import SparkMD5 from 'spark-md5';

export interface Session {
  token: string;
  accountId: string;
}

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status = 0,
    readonly sessionExpired = false,
  ) {
    super(message);
  }
}

const EXPIRED = 'Could not validate access_token and account_id';
const SESSION_KEY = 'filehost.session';

/** The token lives in this tab's session storage only: gone with the tab, never in a cookie or a URL. */
export function loadSession(): Session | null {
  try {
    const raw = sessionStorage.getItem(SESSION_KEY);
    return raw ? (JSON.parse(raw) as Session) : null;
  } catch {
    return null;
  }
}

export function saveSession(session: Session | null): void {
  if (session) sessionStorage.setItem(SESSION_KEY, JSON.stringify(session));
  else sessionStorage.removeItem(SESSION_KEY);
}

export type Params = Record<string, string | number | null | undefined>;

export async function call<T = any>(path: string, params: Params, session?: Session | null): Promise<T> {
  const body = new URLSearchParams();
  if (session) {
    body.set('access_token', session.token);
    body.set('account_id', session.accountId);
  }
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined) body.set(key, value === null ? 'null' : String(value));
  }
  let response: Response;
  try {
    response = await fetch(`/api/v2/${path}`, { method: 'POST', body, headers: { Accept: 'application/json' } });
  } catch {
    throw new ApiError('The server cannot be reached. Check the connection and try again.');
  }
  let json: any;
  try {
    json = await response.json();
  } catch {
    throw new ApiError(`The server answered HTTP ${response.status} without a readable answer. Try again shortly.`,
      response.status);
  }
  if (json?._status === 'error' || json?.status === 'error' || !response.ok) {
    const message = typeof json?.response === 'string' ? json.response : `HTTP ${response.status}`;
    throw new ApiError(explain(message, response.status), response.status, message.startsWith(EXPIRED));
  }
  return json as T;
}

/** The API's messages are mostly clear; these few get words a person understands. */
export function explain(message: string, status: number): string {
  if (message.startsWith(EXPIRED)) return 'Your session has expired. Please sign in again.';
  if (status === 429) return 'Too many requests just now. Wait a moment and try again.';
  if (status === 503 || status === 504) return 'The service is busy or briefly unavailable. Try again in a few seconds.';
  return message;
}

// ------------------------------------------------------------------------------------------------ typed answers

export interface FolderEntry {
  id: string;
  parentId: string | null;
  folderName: string;
  totalSize: string | number | null;
  isPublic: string;
  date_added: string | null;
  date_updated: string | null;
  url_folder: string;
  total_downloads: number;
  child_folder_count: number;
  file_count: number;
}

export interface FileEntry {
  id: string;
  filename: string;
  shortUrl: string;
  fileType: string;
  extension: string;
  fileSize: string;
  status: string;
  downloads: string;
  folderId: string | null;
  url_file: string;
  /** Our addition to the listing (docs/internal-api.md), "Y-m-d H:i:s" in the tenant's time zone. */
  uploadedDate?: string | null;
}

/** folder/info's data: a listing entry plus the md5 of its password, or null when it has none. */
export interface FolderInfo extends FolderEntry {
  accessPassword: string | null;
}

export interface Listing {
  folders: FolderEntry[];
  files: FileEntry[];
}

export interface Package {
  label: string;
  max_upload_size: string;
  can_upload: string;
  max_storage_bytes: string;
  concurrent_uploads: string;
  max_remote_download_urls: string;
}

export async function listing(session: Session, folderId: string | null): Promise<Listing> {
  const answer = await call<{ data: Listing }>('folder/listing', { parent_folder_id: folderId ?? '' }, session);
  return { folders: answer.data.folders ?? [], files: answer.data.files ?? [] };
}

/**
 * `access_password` as the API takes it: the md5 hex of the password's UTF-8 bytes (spark-md5, a small, widely
 * used library: WebCrypto has no md5). Only this digest is sent; the typed password never leaves the page.
 */
export function accessPasswordOf(password: string): string {
  return SparkMD5.ArrayBuffer.hash(new TextEncoder().encode(password).buffer as ArrayBuffer);
}

/** Unicode-safe base64 of a URL (url_upload_add's file_url_base64). */
export function base64Url(url: string): string {
  const bytes = new TextEncoder().encode(url);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}
