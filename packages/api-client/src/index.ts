import createClient, { type Client, type ClientOptions } from 'openapi-fetch';
import type { components, operations, paths } from './schema.ts';

// The Beckon broker's REST API for integrators, typed from its OpenAPI document (`openapi.json`,
// exported by `beckon-broker openapi`; `schema.ts` is generated from it by openapi-typescript).
// Every path, parameter, body and answer is typed, error answers included.

export type { components, operations, paths };
/** The document's named schemas: `Schemas['ServiceCaseCreate']`, `Schemas['ServiceCase']`, … */
export type Schemas = components['schemas'];
/** Every error answer: `{"error": {"code", "message", "details?"}}`. */
export type ApiErrorBody = Schemas['ErrorBody'];
export type BeckonClient = Client<paths>;

export interface BeckonClientOptions extends Omit<ClientOptions, 'baseUrl'> {
  /** The broker's public URL, e.g. `https://support.example.com`. */
  baseUrl: string;
  /** An API token (`bkt_…`) or a user's sign-in token, sent as `Authorization: Bearer`. */
  token?: string;
}

/** A client for one broker; `client.POST('/api/v1/service-cases', { body })` and so on. */
export function createBeckonClient({ baseUrl, token, headers, ...rest }: BeckonClientOptions): BeckonClient {
  return createClient<paths>({
    ...rest,
    baseUrl: baseUrl.replace(/\/+$/, ''),
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(headers as Record<string, string>),
    },
  });
}
