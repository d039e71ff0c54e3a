// One API operation as the operation lists (openapi-*.ts) describe it and
// openapi.ts turns it into the document.
import type { ApiScope } from '@beckon/protocol';
import type { z } from 'zod';

/** Who may call an operation: anyone, a signed-in user, an administrator, or also an API token with this scope. */
export type Access = 'public' | 'user' | 'admin' | ApiScope;

export type Op = {
  /** The operationId: a generated client's method name. Stable API, like error codes. */
  id: string;
  summary: string;
  description?: string;
  access: Access;
  body?: z.ZodType;
  query?: z.ZodType;
  response?: z.ZodType;
  status?: number;
  /** Answers only some operations give, with why. */
  errors?: Partial<Record<401 | 404 | 409 | 422 | 429, string>>;
  /** The answer may also be CSV (`Accept: text/csv` or `format=csv`). */
  csv?: boolean;
};
