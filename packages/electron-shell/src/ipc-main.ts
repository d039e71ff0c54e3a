import type { IpcMainInvokeEvent } from 'electron';
import { z } from 'zod';

/**
 * What a main-process handler learns about the call: Electron's event, named
 * here so that plain modules outside main (the assist client's `desktop/`)
 * never import `electron` themselves.
 */
export type InvokeEvent = IpcMainInvokeEvent;

/** The part of `ipcMain` the handlers need; a fake in tests. */
export interface InvokeRegistry {
  handle(channel: string, listener: (event: InvokeEvent, ...args: unknown[]) => unknown): void;
}

/** No arguments at all. */
export const noArgs = z.tuple([]);

/**
 * Registers an `ipcMain.handle` handler that only answers `isAllowedSender`
 * and parses the arguments with `args` before `handler` sees them. Anything
 * else is rejected with an error (the renderer's invoke promise rejects).
 */
export function handleValidated<S extends z.ZodTuple, R>(
  registry: InvokeRegistry,
  channel: string,
  args: S,
  isAllowedSender: (event: InvokeEvent) => boolean,
  handler: (parsed: z.infer<S>, event: InvokeEvent) => R,
): void {
  registry.handle(channel, (event, ...raw) => {
    if (!isAllowedSender(event)) throw new Error(`${channel}: sender not allowed`);
    const parsed = args.safeParse(raw);
    if (!parsed.success) throw new Error(`${channel}: invalid arguments: ${z.prettifyError(parsed.error)}`);
    return handler(parsed.data, event);
  });
}
