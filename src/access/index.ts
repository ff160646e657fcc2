/**
 * The access engine's public API (ARCHITECTURE "access"): pure decisions over plain data.
 * Slow path with reasons (explain, grants), fast compiled path (compile), what clients receive
 * (effective-config), the change rules (change-rules) and the dial check (dial).
 */
export * from './types.js';
export * from './grants.js';
export * from './explain.js';
export * from './compile.js';
export * from './effective-config.js';
export * from './change-rules.js';
export * from './dial.js';
