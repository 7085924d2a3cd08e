export { createIdentityService, type IdentityService, type NewClientInput } from './service.js';
export * from './model.js';
