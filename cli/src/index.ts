export { startEmbedded, type RunningStratus } from './embedded.js';
export { startGateway, startService, type RunningService } from './distributed.js';
export { SERVICE_FACTORIES } from './services.js';
