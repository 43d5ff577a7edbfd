export * from './test-database';
export * from './test-data-source';
export * from './kafka-mock';
export * from './platform-process';
export * from './sipp';
export { selfSignedCertificate } from './self-signed-certificate';
export { isCollected } from './garbage';
