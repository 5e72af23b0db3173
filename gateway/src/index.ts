export { createGateway, type GatewayOptions } from './server.js';
export type { AdminOptions } from './admin.js';
