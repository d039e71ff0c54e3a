import type { BrokerConfig } from '../config.ts';
import type { AccountService } from '../domain/account-service.ts';
import type { AuthService } from '../domain/auth.ts';
import type { JoinService } from '../domain/join-service.ts';
import type { RequestService } from '../domain/request-service.ts';
import type { Storage } from '../storage/types.ts';

/** What routes may call. Routes hold no rules of their own. */
export interface Services {
  config: BrokerConfig;
  storage: Storage;
  auth: AuthService;
  accounts: AccountService;
  requests: RequestService;
  join: JoinService;
}
