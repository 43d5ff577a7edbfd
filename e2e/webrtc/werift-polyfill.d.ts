// werift publishes its browser polyfill as the `werift/polyfill` export; the repository's
// TypeScript resolution (moduleResolution node) does not read package exports, so the types
// are pointed at where the package keeps them.
declare module 'werift/polyfill' {
  export * from 'werift/lib/webrtc/src/polyfill/index';
}
