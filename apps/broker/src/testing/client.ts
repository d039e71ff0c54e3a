/** The first administrator every test broker is set up with (in-process or as a process). */
export const ADMIN = { email: 'admin@example.com', password: 'correct horse battery staple' };

export interface ApiResult {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- test responses are asserted field by field
  headers: Headers;
}

/** One REST call; never throws on a status, so a test can assert refusals. A string body is sent as it is. */
export async function request(
  url: string,
  method: string,
  path: string,
  body?: unknown,
  token?: string | null,
  headers: Record<string, string> = {},
): Promise<ApiResult> {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: {
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, body: parsed, headers: res.headers };
}

export async function login(url: string, email: string, password: string): Promise<string> {
  const res = await request(url, 'POST', '/api/v1/auth/login', { email, password });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.token as string;
}

/** A created request as the broker answers it (the fields tests read, and the rest). */
export interface Created extends Record<string, unknown> {
  id: string;
  displayCode: string;
  customerLink: string;
  status: string;
  recipientName: string;
}

/** What a request is made with when a test does not care. */
const SOME_REQUEST = { recipientName: 'Ada', comment: 'printer' };

/** The REST API with a bearer token: what an agent or an integration would do. */
export class BrokerClient {
  readonly url: string;
  readonly token: string;
  constructor(url: string, token: string) {
    this.url = url;
    this.token = token;
  }

  static async signIn(url: string, email = ADMIN.email, password = ADMIN.password): Promise<BrokerClient> {
    return new BrokerClient(url, await login(url, email, password));
  }

  /** Any call, answered as it is (status, parsed body, headers). */
  request(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<ApiResult> {
    return request(this.url, method, path, body, this.token, headers);
  }

  /** A call that must succeed: its parsed body, or an error naming the status. */
  async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await this.request(method, path, body);
    if (res.status < 200 || res.status > 299) {
      throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    }
    return res.body as T;
  }

  /** A new session request (`Ada`, `printer` unless a body is given). */
  createRequest(body: Record<string, unknown> = SOME_REQUEST): Promise<Created> {
    return this.call('POST', '/api/v1/session-requests', body);
  }

  close(id: string): Promise<Created> {
    return this.call('POST', `/api/v1/session-requests/${id}/close`);
  }

  async status(id: string): Promise<string> {
    return (await this.call<Created>('GET', `/api/v1/session-requests/${id}`)).status;
  }

  async waitForStatus(id: string, status: string, timeoutMs = 15_000): Promise<void> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const last = await this.status(id);
      if (last === status) return;
      if (Date.now() > end) throw new Error(`status stayed ${last}, expected ${status}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Creates `count` requests, `parallel` at a time; returns how long it took. */
  async seed(count: number, parallel = 24): Promise<number> {
    const started = Date.now();
    let next = 0;
    const worker = async () => {
      while (next < count) {
        const n = next++;
        await this.createRequest({ recipientName: `Bulk ${String(n).padStart(5, '0')}`, comment: 'seeded' });
      }
    };
    await Promise.all(Array.from({ length: parallel }, worker));
    return Date.now() - started;
  }
}
