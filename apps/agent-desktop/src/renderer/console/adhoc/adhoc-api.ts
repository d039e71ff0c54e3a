import {
  AdhocCreatedSchema,
  AdhocListSchema,
  AdhocSeatsSchema,
  AdhocSummarySchema,
  type AdhocCreate,
  type AdhocCreated,
  type AdhocSeats,
  type AdhocSummary,
} from '@beckon/protocol';
import type { HttpClient } from '../api/http.ts';

/** Ad-hoc support as the console uses it (`/api/v1/adhoc-sessions`, `/api/v1/adhoc-seats`). */
export interface AdhocApi {
  list(): Promise<AdhocSummary[]>;
  seats(): Promise<AdhocSeats>;
  /** The answer carries the predefined password: the console shows it once and keeps it nowhere. */
  create(body: AdhocCreate): Promise<AdhocCreated>;
  end(id: string): Promise<AdhocSummary>;
}

export function createAdhocApi(http: HttpClient): AdhocApi {
  return {
    list: async () => (await http.call('GET', '/api/v1/adhoc-sessions', AdhocListSchema)).items,
    seats: () => http.call('GET', '/api/v1/adhoc-seats', AdhocSeatsSchema),
    create: (body) => http.call('POST', '/api/v1/adhoc-sessions', AdhocCreatedSchema, { body }),
    end: (id) =>
      http.call('POST', `/api/v1/adhoc-sessions/${encodeURIComponent(id)}/end`, AdhocSummarySchema),
  };
}
