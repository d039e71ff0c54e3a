import * as protocol from '@beckon/protocol';
import { z } from 'zod';

/**
 * The document's named schemas, generated from the protocol's zod schemas so they cannot drift from
 * what the broker parses: every exported `XSchema` of `@beckon/protocol` is the component `X`, and a
 * schema inside another is a `$ref` to it. Requests are described as the broker reads them (defaults
 * make a field optional), answers as it writes them; a schema used both ways whose two readings
 * differ gets a second component, `XInput`.
 */
type Json = Record<string, unknown>;
const REF = '#/components/schemas/';

export class Components {
  private readonly names = new Map<z.ZodType, string>();
  private readonly registry = z.registry<{ id: string }>();
  private built: { input: Record<string, Json>; output: Record<string, Json> } | null = null;

  constructor(extra: Record<string, z.ZodType>) {
    const all = { ...protocol, ...extra } as Record<string, unknown>;
    for (const [key, value] of Object.entries(all)) {
      if (!(value instanceof z.ZodType)) continue;
      const name = key.endsWith('Schema') ? key.slice(0, -'Schema'.length) : key;
      if (this.names.has(value) || !/^[A-Z]/.test(name)) continue;
      this.names.set(value, name);
      this.registry.add(value, { id: name });
    }
  }

  /** A `$ref` to the component of `schema` (which must be named), read as a request or an answer. */
  ref(schema: z.ZodType, io: 'input' | 'output'): Json {
    const name = this.names.get(schema);
    if (!name) throw new Error(`schema without a name in the API document: ${schema.description ?? '?'}`);
    return { $ref: `${REF}${name}${io === 'input' ? '\0in' : ''}` };
  }

  /** An unnamed schema (the query parameters), inline. */
  static inline(schema: z.ZodType): Json {
    const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Json;
    delete json.$schema;
    return withIntegerFormats(json);
  }

  private build() {
    if (this.built) return this.built;
    const gen = (io: 'input' | 'output') => {
      const out = z.toJSONSchema(this.registry, {
        io,
        unrepresentable: 'any',
        uri: (id) => `${REF}${id}${io === 'input' ? '\0in' : ''}`,
      }).schemas as Record<string, Json>;
      for (const s of Object.values(out)) {
        delete s.$schema;
        delete s.$id;
        withIntegerFormats(s);
      }
      return out;
    };
    this.built = { input: gen('input'), output: gen('output') };
    return this.built;
  }

  /**
   * Resolves the request-side references of `doc` (marked while building) to `X` where both readings
   * of X are the same, `XInput` where they differ, and returns the components that `doc` reaches.
   */
  finish(doc: Json): Record<string, Json> {
    const { input, output } = this.build();
    const answers = reach(doc, output, (ref) => !ref.endsWith('\0in'));
    // An input component keeps the plain name where no answer uses that name, or where both
    // readings are the same once its own references are resolved (found by iterating until
    // nothing changes); otherwise it is `XInput`.
    const plain = new Set(Object.keys(input).filter((name) => !answers.has(name)));
    const resolve = (node: unknown): unknown =>
      renameRefs(node, (name) => (plain.has(name) ? name : `${name}Input`));
    for (let changed = true; changed;) {
      changed = false;
      for (const name of Object.keys(input)) {
        if (plain.has(name)) continue;
        if (JSON.stringify(resolve(input[name])) === JSON.stringify(output[name])) {
          plain.add(name);
          changed = true;
        }
      }
    }
    const pool: Record<string, Json> = {};
    for (const name of answers) pool[name] = output[name] as Json;
    for (const name of Object.keys(input))
      if (!answers.has(name) || !plain.has(name))
        pool[plain.has(name) ? name : `${name}Input`] = resolve(input[name]) as Json;
    Object.assign(doc, resolve(doc));
    // Only what the document reaches: an unused component is noise to a client generator.
    const used = reach(doc, pool, () => true);
    // What no request reaches only the broker writes: `readOnly` says so to readers and lets the
    // OWASP length rules (.spectral.yaml) look at what callers send, not at the broker's answers.
    const requestSide = reach(
      Object.values(doc.paths as Json).flatMap((ops) =>
        Object.values(ops as Json).map((op) => {
          const { parameters, requestBody } = op as Json;
          return { parameters, requestBody };
        }),
      ),
      pool,
      () => true,
    );
    return Object.fromEntries(
      [...used].sort().map((name) => {
        const schema = pool[name] as Json;
        return [name, requestSide.has(name) ? schema : { ...schema, readOnly: true }];
      }),
    );
  }
}

/** The names of the components `root` reaches through references that `follow` accepts. */
function reach(root: unknown, pool: Record<string, Json>, follow: (ref: string) => boolean): Set<string> {
  const reached = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string' && value.startsWith(REF) && follow(value)) {
        const name = value.slice(REF.length);
        if (reached.has(name)) continue;
        const schema = pool[name];
        if (!schema) throw new Error(`no component ${name}`);
        reached.add(name);
        visit(schema);
      } else visit(value);
    }
  };
  visit(root);
  return reached;
}

/** Rewrites every `#/components/schemas/X\0in` reference with `rename(X)`. */
function renameRefs(node: unknown, rename: (name: string) => string): unknown {
  if (Array.isArray(node)) return node.map((n) => renameRefs(n, rename));
  if (!node || typeof node !== 'object') return node;
  const out: Json = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === '$ref' && typeof value === 'string' && value.endsWith('\0in'))
      out[key] = REF + rename(value.slice(REF.length, -'\0in'.length));
    else out[key] = renameRefs(value, rename);
  }
  return out;
}

/** OWASP wants a format on every integer: int32 where the bounds fit, else int64. */
function withIntegerFormats<T>(node: T): T {
  if (Array.isArray(node)) node.forEach(withIntegerFormats);
  else if (node && typeof node === 'object') {
    const o = node as Json;
    const type = o.type;
    if ((type === 'integer' || (Array.isArray(type) && type.includes('integer'))) && o.format === undefined) {
      const min = typeof o.minimum === 'number' ? o.minimum : -Infinity;
      const max = typeof o.maximum === 'number' ? o.maximum : Infinity;
      o.format = min >= -(2 ** 31) && max <= 2 ** 31 - 1 ? 'int32' : 'int64';
    }
    Object.values(o).forEach(withIntegerFormats);
  }
  return node;
}
