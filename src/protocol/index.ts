/** The HCP protocol library: pure and isomorphic (Uint8Array in, messages out; no I/O). */
export * from './constants.js';
export * from './errors.js';
export * from './names.js';
export * from './messages.js';
export * from './framed.js';
export * from './classic.js';
export * from './text.js';
export * from './bytes.js';
export * from './extensions.js';
export { utf8Encode, utf8DecodeStrict, lengthWithoutTrailingNuls } from './utf8.js';
