export * from './call-routing.port';
export * from './media-control.port';
export * from './tokens';
