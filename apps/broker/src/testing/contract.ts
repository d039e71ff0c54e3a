import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import assert from 'node:assert/strict';

// ajv-formats is CommonJS: its default export arrives wrapped under Node's ESM loader.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (
  ajv: Ajv2020,
) => Ajv2020;

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- an OpenAPI document, walked by key

export interface CallInput {
  params?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
  /** A bearer token; `null` sends none. */
  token?: string | null;
  headers?: Record<string, string>;
}

export interface Answer {
  status: number;
  contentType: string;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- checked against the document, then read field by field
  headers: Headers;
}

/**
 * Calls operations of the API document by operationId against a real broker, and checks every
 * answer against the document: the status must be one the operation documents, the content type one
 * documented for that status, and the body must validate (ajv, JSON Schema 2020-12) against its
 * schema. Remembers which documented answers it has seen, so a test can require all of them.
 */
export class Contract {
  readonly seen = new Set<string>();
  private readonly ops = new Map<string, { path: string; method: string; op: Json }>();
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly ajv: Ajv2020;
  readonly doc: Json;
  private readonly url: string;
  private readonly defaultToken: string;

  constructor(doc: Json, url: string, defaultToken: string) {
    this.doc = doc;
    this.url = url;
    this.defaultToken = defaultToken;
    for (const [path, item] of Object.entries(doc.paths as Json))
      for (const [method, op] of Object.entries(item as Json))
        this.ops.set(op.operationId, { path, method, op });
    this.ajv = new Ajv2020({ allErrors: true, strict: true });
    addFormats(this.ajv);
    // The components, addressable as in the document: `#/components/schemas/X` inside them
    // resolves against this schema's root.
    this.ajv.addKeyword('components');
    this.ajv.addSchema({ $id: 'beckon:api', components: { schemas: doc.components.schemas } });
  }

  /** Every documented answer but 500, which a healthy broker never gives: "operationId status". */
  documented(): string[] {
    const out: string[] = [];
    for (const { op } of this.ops.values())
      for (const status of Object.keys(op.responses))
        if (status !== '500') out.push(`${op.operationId} ${status}`);
    return out.sort();
  }

  async call(operationId: string, input: CallInput = {}, expect?: number): Promise<Answer> {
    const found = this.ops.get(operationId);
    assert.ok(found, `no operation ${operationId}`);
    const { path, method, op } = found;
    const filled = path.replace(/\{(\w+)\}/g, (_, name: string) => {
      const value = input.params?.[name];
      assert.ok(value !== undefined, `${operationId}: no value for {${name}}`);
      return encodeURIComponent(value);
    });
    const query = input.query ? `?${new URLSearchParams(input.query)}` : '';
    const token = input.token === undefined ? this.defaultToken : input.token;
    const res = await fetch(`${this.url}${filled}${query}`, {
      method: method.toUpperCase(),
      headers: {
        ...(input.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...input.headers,
      },
      body:
        input.body === undefined
          ? undefined
          : typeof input.body === 'string'
            ? input.body
            : JSON.stringify(input.body),
    });
    const text = await res.text();
    const contentType = (res.headers.get('content-type') ?? '').split(';')[0]!.trim();
    const what = `${method.toUpperCase()} ${path} (${operationId}) answered ${res.status} ${text.slice(0, 300)}`;
    if (expect !== undefined) assert.equal(res.status, expect, what);
    const documented = op.responses[String(res.status)];
    assert.ok(documented, `${what}: status not in the document`);
    const response: Json = documented.$ref ? this.resolve(documented.$ref) : documented;
    let body: unknown = text;
    if (!response.content) {
      assert.equal(text, '', `${what}: the document says no body`);
    } else {
      const media = response.content[contentType];
      assert.ok(
        media,
        `${what}: content type ${contentType} not documented (${Object.keys(response.content)})`,
      );
      if (contentType === 'application/json') body = JSON.parse(text);
      const validate = this.validator(JSON.stringify(media.schema));
      assert.ok(validate(body), `${what}: ${this.ajv.errorsText(validate.errors, { separator: '\n' })}`);
    }
    this.seen.add(`${operationId} ${res.status}`);
    return { status: res.status, contentType, body, headers: res.headers };
  }

  private resolve(ref: string): Json {
    let node: Json = this.doc;
    for (const part of ref.replace(/^#\//, '').split('/')) node = node[part];
    return node;
  }

  private validator(schemaJson: string): ValidateFunction {
    let v = this.validators.get(schemaJson);
    if (!v) {
      // References inside point into the components registered under `beckon:api`.
      const schema = JSON.parse(schemaJson.replaceAll('"#/components/', '"beckon:api#/components/'));
      v = this.ajv.compile(schema);
      this.validators.set(schemaJson, v);
    }
    return v;
  }
}
