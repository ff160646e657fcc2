export * from './capabilities.js';
export * from './permissions.js';
export * from './licences.js';
export * from './plans.js';
export * from './regions.js';
export * from './role-permissions.js';
export * from './errors.js';
