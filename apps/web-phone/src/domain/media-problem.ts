/** Why the page could not use a microphone, as getUserMedia reports it (DOMException names). */
export type MediaProblem = 'not-allowed' | 'not-found' | 'in-use' | 'insecure' | 'other';

export function classifyMediaError(name: string | undefined): MediaProblem {
  switch (name) {
    case 'NotAllowedError':
    case 'PermissionDeniedError':
      return 'not-allowed';
    case 'NotFoundError':
    case 'DevicesNotFoundError':
    case 'OverconstrainedError':
      return 'not-found';
    case 'NotReadableError':
    case 'TrackStartError':
    case 'AbortError':
      return 'in-use';
    case 'SecurityError':
    case 'TypeError':
      // Chromium throws these when there is no mediaDevices: a page not served over HTTPS.
      return 'insecure';
    default:
      return 'other';
  }
}

export function mediaProblemMessage(problem: MediaProblem): string {
  switch (problem) {
    case 'not-allowed':
      return 'Microphone access is blocked. Allow the microphone for this page in the browser (the icon in the address bar), then try again.';
    case 'not-found':
      return 'No microphone found. Connect a microphone or headset, then try again.';
    case 'in-use':
      return 'The microphone could not be started: another application may be using it.';
    case 'insecure':
      return 'The browser offers no microphone to this page: open the web phone over HTTPS.';
    case 'other':
      return 'The microphone could not be started.';
    default:
      return assertNever(problem);
  }
}

export function assertNever(value: never): never {
  throw new TypeError(`unexpected value ${JSON.stringify(value)}`);
}
