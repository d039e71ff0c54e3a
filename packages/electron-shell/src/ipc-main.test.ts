import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { handleValidated, noArgs, type InvokeEvent, type InvokeRegistry } from './ipc-main.ts';

type Listener = (event: InvokeEvent, ...args: unknown[]) => unknown;

function fakeRegistry(): InvokeRegistry & {
  invoke(channel: string, sender: number, ...args: unknown[]): unknown;
} {
  const listeners = new Map<string, Listener>();
  return {
    handle(channel, listener) {
      listeners.set(channel, listener);
    },
    invoke(channel, sender, ...args) {
      const listener = listeners.get(channel);
      if (!listener) throw new Error(`no handler for ${channel}`);
      return listener({ sender: { id: sender } } as unknown as InvokeEvent, ...args);
    },
  };
}

const fromWindow1 = (event: InvokeEvent): boolean => event.sender.id === 1;

describe('handleValidated', () => {
  it('passes parsed arguments to the handler', () => {
    const ipc = fakeRegistry();
    handleValidated(ipc, 'set', z.tuple([z.boolean()]), fromWindow1, ([on]) => `on=${on}`);
    assert.equal(ipc.invoke('set', 1, true), 'on=true');
  });

  it('rejects arguments that do not match', () => {
    const ipc = fakeRegistry();
    handleValidated(ipc, 'set', z.tuple([z.boolean()]), fromWindow1, () => 'called');
    assert.throws(() => ipc.invoke('set', 1, 'yes'), /set: invalid arguments/);
    assert.throws(() => ipc.invoke('set', 1), /set: invalid arguments/);
  });

  it('rejects extra arguments to a no-argument channel', () => {
    const ipc = fakeRegistry();
    handleValidated(ipc, 'ping', noArgs, fromWindow1, () => 'pong');
    assert.equal(ipc.invoke('ping', 1), 'pong');
    assert.throws(() => ipc.invoke('ping', 1, { sneaky: true }), /ping: invalid arguments/);
  });

  it('rejects other senders', () => {
    const ipc = fakeRegistry();
    handleValidated(ipc, 'ping', noArgs, fromWindow1, () => 'pong');
    assert.throws(() => ipc.invoke('ping', 2), /ping: sender not allowed/);
  });
});
