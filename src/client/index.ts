/** The client library (browser-safe part): the chat client over any Connection, and WebSocket. */
export * from './client.js';
export * from './connection.js';
export * from './history.js';
export * from './notices.js';
export * from './moderation.js';
export * from './rooms.js';
export * from './websocket.js';
export * from './session.js';
export * from './session-storage.js';
export * from './split-text.js';
export * from './statuses.js';
