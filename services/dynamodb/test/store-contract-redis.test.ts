import { after, before } from 'node:test';
import { startRedisServer, type RedisServer } from '@stratus/shared/testing/redis-server';
import { RedisDynamoStore } from '../src/store/redis.js';
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
  () => RedisDynamoStore.connect(server.url),
  (store) => store.close(),
);
