import { after, before } from 'node:test';
import { RedisS3Store } from '../src/store/redis.js';
import { startRedisServer, type RedisServer } from '@stratus/shared/testing/redis-server';
import { storeContract } from './store-contract.js';

let server: RedisServer;
before(async () => {
  server = await startRedisServer();
});
after(async () => {
  await server.stop();
});

storeContract(
  'redis',
  () => RedisS3Store.connect(server.url),
  (store) => store.close(),
);
