import type { CallContext, Handler } from '@stratus/shared';
import { validationError } from '../errors.js';
import type { TableRecord } from '../model.js';
import * as shapes from '../validation/shapes.js';
import { requireNamedTable, validate, type DynamoDeps, type Input } from './support.js';

/**
 * UpdateTimeToLive and DescribeTimeToLive. The setting is part of the table record; the service's
 * sweeper (service.ts) deletes expired items on the clock, and the store writes their stream REMOVE
 * records with the TTL service as userIdentity.
 */

function description(record: TableRecord): Record<string, unknown> {
  const ttl = record.ttl;
  if (!ttl?.enabled) return { TimeToLiveStatus: 'DISABLED' };
  return { TimeToLiveStatus: 'ENABLED', AttributeName: ttl.attributeName };
}

export function ttlOperations(deps: DynamoDeps, onChange: () => void): Record<string, Handler> {
  const { store } = deps;
  return {
    async UpdateTimeToLive(input: Input, ctx: CallContext) {
      validate(shapes.UpdateTimeToLive, input);
      const model = await requireNamedTable(deps, ctx, input.TableName);
      const spec = input.TimeToLiveSpecification as { Enabled: boolean; AttributeName: string };
      const current = model.record.ttl;
      if (spec.Enabled) {
        if (current?.enabled) {
          if (current.attributeName !== spec.AttributeName) {
            throw validationError(`TimeToLive is active on a different AttributeName: current AttributeName is ${current.attributeName}`);
          }
          throw validationError('TimeToLive is already enabled');
        }
      } else if (!current?.enabled) {
        throw validationError('TimeToLive is already disabled');
      }
      const record: TableRecord = { ...model.record, ttl: { attributeName: spec.AttributeName, enabled: spec.Enabled } };
      await store.replaceTable(record);
      onChange();
      return { TimeToLiveSpecification: { Enabled: spec.Enabled, AttributeName: spec.AttributeName } };
    },

    async DescribeTimeToLive(input: Input, ctx: CallContext) {
      validate(shapes.DescribeTimeToLive, input);
      const model = await requireNamedTable(deps, ctx, input.TableName);
      return { TimeToLiveDescription: description(model.record) };
    },
  };
}
