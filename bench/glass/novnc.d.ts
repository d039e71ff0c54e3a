// The slice of noVNC's RFB object (docs/API.md of @novnc/novnc 1.7) that the
// glass bench's noVNC page uses: the package ships JavaScript without types.
declare module '@novnc/novnc' {
  export default class RFB extends EventTarget {
    constructor(target: HTMLElement, url: string, options?: { shared?: boolean; wsProtocols?: string[] });
    viewOnly: boolean;
    scaleViewport: boolean;
    clipViewport: boolean;
    resizeSession: boolean;
    qualityLevel: number;
    compressionLevel: number;
    showDotCursor: boolean;
    disconnect(): void;
  }
}
