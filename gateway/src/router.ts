import type { IncomingMessage } from 'node:http';
import { AwsError, CORAL_SERVICE_NAMESPACE } from '@stratus/shared';
import type { ServiceWire } from './wire.js';
import type { Credential } from './sigv4.js';

export type Protocol = 'json' | 'query';

/** Where a request goes: which service, in which protocol, which operation. */
export interface Route {
  wire: ServiceWire;
  protocol: Protocol;
  operation: string;
}

/**
 * Finds service and protocol from what AWS clients send: `X-Amz-Target` for the JSON protocols, the
 * SigV4 credential scope and a form body's `Action=` for query (the operation itself is read from the
 * body later). Built once from the service wires.
 */
export class Router {
  private readonly byTargetPrefix = new Map<string, ServiceWire>();
  private readonly bySigningName = new Map<string, ServiceWire>();
  private readonly queryWires: ServiceWire[];

  constructor(wires: ServiceWire[]) {
    for (const w of wires) {
      if (w.json) this.byTargetPrefix.set(w.json.targetPrefix, w);
      for (const n of w.signingNames) this.bySigningName.set(n, w);
    }
    this.queryWires = wires.filter((w) => w.query);
  }

  /** JSON protocol: `X-Amz-Target: AmazonSQS.SendMessage`. */
  jsonRoute(target: string): Route {
    const dot = target.lastIndexOf('.');
    const wire = dot > 0 ? this.byTargetPrefix.get(target.slice(0, dot)) : undefined;
    const operation = target.slice(dot + 1);
    if (!wire || !wire.model.hasOperation(operation)) throw unknownJsonOperation();
    return { wire, protocol: 'json', operation };
  }

  /** Query protocol: the credential scope decides the service when present, else the one that knows the action. */
  queryRoute(action: string | null, credential: Credential | undefined): Route {
    const scoped = credential?.service ? this.bySigningName.get(credential.service) : undefined;
    const wire = scoped?.query ? scoped : this.queryWires.find((w) => action !== null && w.model.hasOperation(action));
    if (!action) throw new AwsError('MissingAction', 'Missing Action', 400);
    if (!wire || !wire.model.hasOperation(action)) {
      throw new AwsError('InvalidAction', `The action ${action} is not valid for this endpoint.`, 400);
    }
    return { wire, protocol: 'query', operation: action };
  }

  /** The service a request's signature names, if Stratus has it. */
  wireForCredential(credential: Credential | undefined): ServiceWire | undefined {
    return credential?.service ? this.bySigningName.get(credential.service) : undefined;
  }
}

export function isFormRequest(req: IncomingMessage): boolean {
  const type = req.headers['content-type'];
  return type !== undefined && type.startsWith('application/x-www-form-urlencoded');
}

export function unknownJsonOperation(): AwsError {
  return new AwsError('UnknownOperationException', '', 400, { typeNamespace: CORAL_SERVICE_NAMESPACE });
}
