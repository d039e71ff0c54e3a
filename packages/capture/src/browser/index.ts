// Browser-side capture for sessions without the native assist client (for
// example a browser-only, view-only session). A placeholder for now.

/** The parts of `navigator` the browser backend looks at. */
export interface NavigatorLike {
  readonly mediaDevices?: { readonly getDisplayMedia?: unknown } | undefined;
}

export interface BrowserCaptureSupport {
  /** `navigator.mediaDevices.getDisplayMedia` exists (screen sharing with the browser's own prompt). */
  readonly displayMedia: boolean;
  /** Browsers cannot inject input into the operating system. */
  readonly input: false;
}

export function browserCaptureSupport(nav: NavigatorLike | undefined): BrowserCaptureSupport {
  return { displayMedia: typeof nav?.mediaDevices?.getDisplayMedia === 'function', input: false };
}
