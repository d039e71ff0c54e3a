import { checkThroughHelper, runWithSecretOnStdin } from './run-helper.ts';
import type { OsCredentialCheck } from './types.ts';

// Windows: LogonUserW, written and typechecked here but NOT RUN (no Windows on this machine).
// PowerShell P/Invokes it with the input on stdin ("user\0password\0" as pam-check.c takes it,
// then "admin\0" when the account must be an administrator)
// and answers with pam-check.c's exit statuses, so both platforms share one reading of them.
// A network logon (type 3) checks the password without loading a profile; administrators are
// members of BUILTIN\Administrators (S-1-5-32-544) in the token it returns.
const SCRIPT = String.raw`
$ErrorActionPreference = 'Stop'
Add-Type -TypeDefinition @'
using System; using System.Runtime.InteropServices;
public static class BeckonLogon {
  [DllImport("advapi32.dll", SetLastError = true, CharSet = CharSet.Unicode)]
  public static extern bool LogonUserW(string user, string domain, string password, int type, int provider, out IntPtr token);
  [DllImport("kernel32.dll")] public static extern bool CloseHandle(IntPtr handle);
}
'@
$raw = [Console]::In.ReadToEnd()
$parts = $raw.Split([char]0)
if ($parts.Length -lt 2) { exit 2 }
$user = $parts[0]; $domain = '.'
if ($user.Contains('\')) { $domain, $user = $user.Split('\', 2) }
$token = [IntPtr]::Zero
if (-not [BeckonLogon]::LogonUserW($user, $domain, $parts[1], 3, 0, [ref]$token)) { exit 10 }
try {
  $id = New-Object System.Security.Principal.WindowsIdentity($token)
  $admin = (New-Object System.Security.Principal.WindowsPrincipal($id)).IsInRole([System.Security.Principal.WindowsBuiltInRole]::Administrator)
  if ($parts.Length -ge 3 -and $parts[2] -eq 'admin' -and -not $admin) { exit 11 }
  exit 0
} finally { [BeckonLogon]::CloseHandle($token) | Out-Null }
`;

const ENCODED = Buffer.from(SCRIPT, 'utf16le').toString('base64');

export function windowsCredentialCheck(now: () => Date = () => new Date()): OsCredentialCheck {
  return {
    mechanism: 'logon-user',
    check: (user, password, options = {}) =>
      checkThroughHelper(user, password, now, () =>
        runWithSecretOnStdin(
          'powershell.exe',
          ['-NoProfile', '-NonInteractive', '-EncodedCommand', ENCODED],
          Buffer.from(`${user}\0${password}\0${options.requireAdmin ? 'admin' : ''}\0`, 'utf8'),
          15_000,
        ),
      ),
  };
}
