import { checkThroughHelper, runWithSecretOnStdin } from './run-helper.ts';
import type { OsCredentialCheck } from './types.ts';

// macOS: Open Directory's verifyPassword, written and typechecked here but NOT RUN (no macOS on
// this machine). JavaScript for Automation reads "user\0password\0[admin]\0" from stdin (never argv) and
// exits with pam-check.c's statuses; an administrator is a member of the local `admin` group.
const SCRIPT = String.raw`
ObjC.import('OpenDirectory');
ObjC.import('Foundation');
function run() {
  const data = $.NSFileHandle.fileHandleWithStandardInput.readDataToEndOfFile;
  const text = ObjC.unwrap($.NSString.alloc.initWithDataEncoding(data, $.NSUTF8StringEncoding));
  const parts = text.split('\u0000');
  if (parts.length < 2) $.exit(2);
  const node = $.ODNode.nodeWithSessionTypeError($.ODSession.defaultSession, $.kODNodeTypeLocalNodes, null);
  const user = node.recordWithRecordTypeNameAttributesError($.kODRecordTypeUsers, parts[0], null, null);
  if (!user || user.isNil() || !user.verifyPasswordError(parts[1], null)) $.exit(10);
  if (parts[2] === 'admin') {
    const admin = node.recordWithRecordTypeNameAttributesError($.kODRecordTypeGroups, 'admin', null, null);
    if (!admin || admin.isNil() || !admin.isMemberRecordError(user, null)) $.exit(11);
  }
  $.exit(0);
}
`;

export function macosCredentialCheck(now: () => Date = () => new Date()): OsCredentialCheck {
  return {
    mechanism: 'open-directory',
    check: (user, password, options = {}) =>
      checkThroughHelper(user, password, now, () =>
        runWithSecretOnStdin(
          '/usr/bin/osascript',
          ['-l', 'JavaScript', '-e', SCRIPT],
          Buffer.from(`${user}\0${password}\0${options.requireAdmin ? 'admin' : ''}\0`, 'utf8'),
          15_000,
        ),
      ),
  };
}
