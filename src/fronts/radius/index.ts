// Public surface of the RADIUS front: what the authentication step needs to write a handler and start a server.
export * from './attributes.ts';
export * from './authenticators.ts';
export * from './packet.ts';
export * from './password.ts';
export * from './pipeline.ts';
export * from './reply.ts';
export * from './request.ts';
export * from './retransmit-cache.ts';
export * from './server.ts';
