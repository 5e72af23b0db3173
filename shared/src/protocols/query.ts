import { unknownOperation, type AwsError } from '../errors.js';
import type { OperationModel, ServiceModel } from './model.js';
import { paramTree, structureDecoder } from './query-decode.js';
import { structureWriter, type StructureWriter } from './query-encode.js';
import { XmlWriter } from './xml.js';

/**
 * The AWS query protocol (SQS's legacy wire, STS, later SNS and IAM): form parameters in, XML out.
 * https://smithy.io/2.0/aws/protocols/aws-query-protocol.html
 */

function operationOf(model: ServiceModel, operation: string): OperationModel {
  const op = model.operation(operation);
  if (!op) throw unknownOperation(operation);
  return op;
}

/**
 * The input of `operation` from its form parameters (`Action` and `Version` are ignored with every
 * other parameter the model does not name). Scalars arrive typed: numbers, booleans, timestamps as
 * epoch milliseconds; blobs stay base64 text. A value that is not of its type is InvalidParameterValue.
 */
export function decodeQuery(model: ServiceModel, operation: string, params: URLSearchParams): Record<string, unknown> {
  const input = operationOf(model, operation).input;
  return input ? (structureDecoder(input)(paramTree(params)) as Record<string, unknown>) : {};
}

interface ResponseEncoder {
  element: string;
  resultWrapper?: string;
  writeOutput?: StructureWriter;
}

const responseEncoders = new WeakMap<OperationModel, ResponseEncoder>();

function responseEncoder(op: OperationModel): ResponseEncoder {
  let enc = responseEncoders.get(op);
  if (!enc) {
    enc = { element: `${op.name}Response`, resultWrapper: op.resultWrapper, writeOutput: op.output && structureWriter(op.output) };
    responseEncoders.set(op, enc);
  }
  return enc;
}

/**
 * `<OpResponse xmlns><OpResult>…</OpResult><ResponseMetadata><RequestId>…` for a handler's output.
 * Operations without output carry only the ResponseMetadata.
 */
export function encodeQueryResponse(model: ServiceModel, operation: string, output: unknown, requestId: string): string {
  const enc = responseEncoder(operationOf(model, operation));
  const w = new XmlWriter().open(enc.element, model.xmlNamespace ? { xmlns: model.xmlNamespace } : undefined);
  if (enc.writeOutput) {
    const value = (output ?? {}) as Record<string, unknown>;
    if (enc.resultWrapper) {
      w.open(enc.resultWrapper);
      enc.writeOutput(w, value);
      w.close(enc.resultWrapper);
    } else {
      enc.writeOutput(w, value);
    }
  }
  return w.open('ResponseMetadata').element('RequestId', requestId).close('ResponseMetadata').close(enc.element).toString();
}

/**
 * `<ErrorResponse xmlns><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>`, with the
 * error's query code (SQS's `AWS.SimpleQueueService.NonExistentQueue`) and its scalar extra fields.
 * SQS (an awsQueryCompatible service) also sends an empty `<Detail/>`; pass `emptyDetail` for it.
 */
export function encodeQueryError(error: AwsError, requestId: string, xmlNamespace?: string, emptyDetail = false): string {
  const w = new XmlWriter()
    .open('ErrorResponse', xmlNamespace ? { xmlns: xmlNamespace } : undefined)
    .open('Error')
    .element('Type', error.fault)
    .element('Code', error.queryCode)
    .element('Message', error.message);
  if (error.fields) {
    for (const [k, v] of Object.entries(error.fields)) {
      // XML error bodies have no place for structured values; the scalar ones become elements.
      if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') w.element(k, String(v));
    }
  }
  if (emptyDetail) w.empty('Detail');
  return w.close('Error').element('RequestId', requestId).close('ErrorResponse').toString();
}
