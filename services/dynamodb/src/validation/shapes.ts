import type { ElementSpec, MemberSpec } from './constraints.js';

/**
 * The model constraints of each operation's input, in the order AWS checks (and reports) them.
 * See constraints.ts for how they are applied.
 */

const NAME_PATTERN = '[a-zA-Z0-9_.-]+';

const tableName: MemberSpec = { name: 'TableName', notNull: true, orArn: true, pattern: NAME_PATTERN, minLength: 3, maxLength: 255 };
/** The table-level operations check TableName the older way. */
const tableNameRequired: MemberSpec = { name: 'TableName', required: true, tableNameLength: true, pattern: NAME_PATTERN };
/** Operations that take a table name or ARN. */
const tableNameOrArn: MemberSpec = { name: 'TableName', notNull: true, minLength: 1, maxLength: 1024 };
const indexName: MemberSpec = { name: 'IndexName', pattern: NAME_PATTERN, minLength: 3, maxLength: 255 };
const returnConsumedCapacity: MemberSpec = { name: 'ReturnConsumedCapacity', enum: ['INDEXES', 'TOTAL', 'NONE'] };
const returnItemCollectionMetrics: MemberSpec = { name: 'ReturnItemCollectionMetrics', enum: ['SIZE', 'NONE'] };
const returnValues: MemberSpec = { name: 'ReturnValues', enum: ['ALL_NEW', 'UPDATED_OLD', 'ALL_OLD', 'NONE', 'UPDATED_NEW'] };
const returnValuesOnFailure: MemberSpec = { name: 'ReturnValuesOnConditionCheckFailure', enum: ['ALL_OLD', 'NONE'] };
const conditionalOperator: MemberSpec = { name: 'ConditionalOperator', enum: ['OR', 'AND'] };
const comparisonOperators = ['IN', 'NULL', 'BETWEEN', 'LT', 'NOT_CONTAINS', 'EQ', 'GT', 'NOT_NULL', 'NE', 'LE', 'BEGINS_WITH', 'GE', 'CONTAINS'];
const attributesToGet: MemberSpec = { name: 'AttributesToGet', minLength: 1, maxLength: 255 };
const select: MemberSpec = { name: 'Select', enum: ['SPECIFIC_ATTRIBUTES', 'COUNT', 'ALL_ATTRIBUTES', 'ALL_PROJECTED_ATTRIBUTES'] };
const limit: MemberSpec = { name: 'Limit', min: 1 };

const expected: MemberSpec = {
  name: 'Expected',
  element: { struct: [{ name: 'ComparisonOperator', enum: comparisonOperators }] },
};

const conditionMap = (name: string): MemberSpec => ({
  name,
  element: { struct: [{ name: 'ComparisonOperator', notNull: true, enum: comparisonOperators }] },
});

const throughput = (name: string, notNull = false): MemberSpec => ({
  name,
  notNull,
  struct: [
    { name: 'WriteCapacityUnits', notNull: true, min: 1 },
    { name: 'ReadCapacityUnits', notNull: true, min: 1 },
  ],
});

const keySchema = (enumKeyType: boolean): MemberSpec => ({
  name: 'KeySchema',
  notNull: true,
  minLength: 1,
  maxLength: 2,
  element: {
    struct: [
      { name: 'AttributeName', notNull: true },
      enumKeyType ? { name: 'KeyType', notNull: true, enum: ['HASH', 'RANGE'] } : { name: 'KeyType', notNull: true },
    ],
  },
});

const projection: MemberSpec = {
  name: 'Projection',
  notNull: true,
  struct: [
    { name: 'ProjectionType', enum: ['ALL', 'INCLUDE', 'KEYS_ONLY'] },
    { name: 'NonKeyAttributes', minLength: 1 },
  ],
};

const indexNameRequired: MemberSpec = { name: 'IndexName', notNull: true, pattern: NAME_PATTERN, minLength: 3, maxLength: 255 };

const streamSpecification: MemberSpec = {
  name: 'StreamSpecification',
  struct: [
    { name: 'StreamEnabled', notNull: true },
    { name: 'StreamViewType', enum: ['NEW_IMAGE', 'OLD_IMAGE', 'NEW_AND_OLD_IMAGES', 'KEYS_ONLY'] },
  ],
};

const sseSpecification: MemberSpec = { name: 'SSESpecification', struct: [{ name: 'SSEType', enum: ['AES256', 'KMS'] }] };

const tags: MemberSpec = {
  name: 'Tags',
  element: {
    struct: [
      { name: 'Key', notNull: true, minLength: 1, maxLength: 128 },
      { name: 'Value', notNull: true, minLength: 0, maxLength: 256 },
    ],
  },
};

const billingMode: MemberSpec = { name: 'BillingMode', enum: ['PROVISIONED', 'PAY_PER_REQUEST'] };
const tableClass: MemberSpec = { name: 'TableClass', enum: ['STANDARD', 'STANDARD_INFREQUENT_ACCESS'] };

export const CreateTable: readonly MemberSpec[] = [
  {
    name: 'AttributeDefinitions',
    notNull: true,
    element: {
      struct: [
        { name: 'AttributeName', notNull: true },
        { name: 'AttributeType', notNull: true, enum: ['B', 'N', 'S'] },
      ],
    },
  },
  tableNameRequired,
  billingMode,
  throughput('ProvisionedThroughput'),
  keySchema(true),
  {
    name: 'LocalSecondaryIndexes',
    element: { struct: [indexNameRequired, keySchema(false), projection] },
  },
  {
    name: 'GlobalSecondaryIndexes',
    element: { struct: [indexNameRequired, keySchema(false), projection, throughput('ProvisionedThroughput')] },
  },
  streamSpecification,
  sseSpecification,
  tags,
  tableClass,
];

export const DescribeTable: readonly MemberSpec[] = [tableNameRequired];
export const DeleteTable: readonly MemberSpec[] = [tableNameRequired];

export const ListTables: readonly MemberSpec[] = [
  { name: 'Limit', min: 1, max: 100 },
  { name: 'ExclusiveStartTableName', pattern: NAME_PATTERN, minLength: 3, maxLength: 255 },
];

export const UpdateTable: readonly MemberSpec[] = [
  tableNameRequired,
  throughput('ProvisionedThroughput'),
  billingMode,
  {
    name: 'GlobalSecondaryIndexUpdates',
    element: {
      struct: [
        { name: 'Update', struct: [indexNameRequired, throughput('ProvisionedThroughput', true)] },
        { name: 'Create', struct: [projection, indexNameRequired, throughput('ProvisionedThroughput'), keySchema(false)] },
        { name: 'Delete', struct: [indexNameRequired] },
      ],
    },
  },
  streamSpecification,
  sseSpecification,
  tableClass,
];

const attributeValueMap = (name: string, notNull = false): MemberSpec => ({ name, notNull });

export const PutItem: readonly MemberSpec[] = [
  returnConsumedCapacity,
  tableName,
  attributeValueMap('Item', true),
  conditionalOperator,
  expected,
  returnValues,
  returnItemCollectionMetrics,
  returnValuesOnFailure,
];

export const GetItem: readonly MemberSpec[] = [returnConsumedCapacity, attributesToGet, tableName, attributeValueMap('Key', true)];

export const DeleteItem: readonly MemberSpec[] = [
  returnConsumedCapacity,
  tableName,
  returnValues,
  returnItemCollectionMetrics,
  attributeValueMap('Key', true),
  conditionalOperator,
  expected,
  returnValuesOnFailure,
];

export const UpdateItem: readonly MemberSpec[] = [
  returnConsumedCapacity,
  tableName,
  returnItemCollectionMetrics,
  returnValues,
  attributeValueMap('Key', true),
  conditionalOperator,
  expected,
  returnValuesOnFailure,
];

export const Query: readonly MemberSpec[] = [
  select,
  indexName,
  returnConsumedCapacity,
  conditionMap('QueryFilter'),
  tableName,
  conditionalOperator,
  attributesToGet,
  limit,
  conditionMap('KeyConditions'),
];

export const Scan: readonly MemberSpec[] = [
  select,
  indexName,
  { name: 'TotalSegments', min: 1, max: 1000000 },
  returnConsumedCapacity,
  tableName,
  conditionalOperator,
  conditionMap('ScanFilter'),
  { name: 'Segment', min: 0, max: 999999 },
  limit,
  attributesToGet,
];

const keysAndAttributes: ElementSpec = {
  struct: [
    { name: 'Keys', notNull: true, minLength: 1, maxLength: 100 },
    attributesToGet,
  ],
};

export const BatchGetItem: readonly MemberSpec[] = [
  returnConsumedCapacity,
  {
    name: 'RequestItems',
    notNull: true,
    minLength: 1,
    keys: { maxLength: 255, minLength: 3, pattern: NAME_PATTERN, orArn: true },
    element: keysAndAttributes,
  },
];

export const BatchWriteItem: readonly MemberSpec[] = [
  returnConsumedCapacity,
  returnItemCollectionMetrics,
  {
    name: 'RequestItems',
    notNull: true,
    minLength: 1,
    keys: { maxLength: 255, minLength: 3, pattern: NAME_PATTERN, orArn: true },
    values: { maxLength: 25, minLength: 1 },
    element: {
      kind: 'list',
      element: {
        struct: [
          { name: 'DeleteRequest', struct: [{ name: 'Key', notNull: true }] },
          { name: 'PutRequest', struct: [{ name: 'Item', notNull: true }] },
        ],
      },
    },
  },
];

const transactTableName: MemberSpec = { name: 'TableName', notNull: true, minLength: 1, maxLength: 1024 };

export const TransactWriteItems: readonly MemberSpec[] = [
  {
    name: 'TransactItems',
    notNull: true,
    minLength: 1,
    maxLength: 100,
    element: {
      struct: [
        { name: 'ConditionCheck', struct: [{ name: 'Key', notNull: true }, transactTableName, { name: 'ConditionExpression', notNull: true }, returnValuesOnFailure] },
        { name: 'Put', struct: [{ name: 'Item', notNull: true }, transactTableName, returnValuesOnFailure] },
        { name: 'Delete', struct: [{ name: 'Key', notNull: true }, transactTableName, returnValuesOnFailure] },
        { name: 'Update', struct: [{ name: 'Key', notNull: true }, { name: 'UpdateExpression', notNull: true }, transactTableName, returnValuesOnFailure] },
      ],
    },
  },
  returnConsumedCapacity,
  returnItemCollectionMetrics,
  { name: 'ClientRequestToken', minLength: 1, maxLength: 36 },
];

export const TransactGetItems: readonly MemberSpec[] = [
  {
    name: 'TransactItems',
    notNull: true,
    minLength: 1,
    maxLength: 100,
    element: { struct: [{ name: 'Get', notNull: true, struct: [{ name: 'Key', notNull: true }, transactTableName] }] },
  },
  returnConsumedCapacity,
];

const statement: MemberSpec = { name: 'Statement', notNull: true, minLength: 1, maxLength: 8192 };
const parameters: MemberSpec = { name: 'Parameters', minLength: 1 };

export const ExecuteStatement: readonly MemberSpec[] = [
  statement,
  parameters,
  { name: 'NextToken', minLength: 1, maxLength: 32768 },
  returnConsumedCapacity,
  limit,
  returnValuesOnFailure,
];

export const BatchExecuteStatement: readonly MemberSpec[] = [
  {
    name: 'Statements',
    notNull: true,
    minLength: 1,
    maxLength: 25,
    element: { struct: [statement, parameters, returnValuesOnFailure] },
  },
  returnConsumedCapacity,
];

export const ExecuteTransaction: readonly MemberSpec[] = [
  {
    name: 'TransactStatements',
    notNull: true,
    minLength: 1,
    maxLength: 100,
    element: { struct: [statement, parameters, returnValuesOnFailure] },
  },
  { name: 'ClientRequestToken', minLength: 1, maxLength: 36 },
  returnConsumedCapacity,
];

export const UpdateTimeToLive: readonly MemberSpec[] = [
  { name: 'TableName', notNull: true, pattern: NAME_PATTERN, minLength: 3, maxLength: 255 },
  {
    name: 'TimeToLiveSpecification',
    notNull: true,
    struct: [
      { name: 'Enabled', notNull: true },
      { name: 'AttributeName', notNull: true, minLength: 1, maxLength: 255 },
    ],
  },
];

export const DescribeTimeToLive: readonly MemberSpec[] = [tableNameRequired];

export const TagResource: readonly MemberSpec[] = [];
export const UntagResource: readonly MemberSpec[] = [];
export const ListTagsOfResource: readonly MemberSpec[] = [];

export const DescribeContinuousBackups: readonly MemberSpec[] = [tableNameOrArn];
export const UpdateContinuousBackups: readonly MemberSpec[] = [
  tableNameOrArn,
  { name: 'PointInTimeRecoverySpecification', notNull: true, struct: [{ name: 'PointInTimeRecoveryEnabled', notNull: true }] },
];

// ---- DynamoDB Streams ----

const streamArnSpec: MemberSpec = { name: 'StreamArn', notNull: true, minLength: 37, maxLength: 1024 };

export const ListStreams: readonly MemberSpec[] = [
  { name: 'TableName', pattern: NAME_PATTERN, minLength: 3, maxLength: 255 },
  { name: 'Limit', min: 1, max: 100 },
  { name: 'ExclusiveStartStreamArn', minLength: 37, maxLength: 1024 },
];

export const DescribeStream: readonly MemberSpec[] = [
  streamArnSpec,
  { name: 'Limit', min: 1, max: 100 },
  { name: 'ExclusiveStartShardId', minLength: 28, maxLength: 65 },
];

export const GetShardIterator: readonly MemberSpec[] = [
  streamArnSpec,
  { name: 'ShardId', notNull: true, minLength: 28, maxLength: 65 },
  { name: 'ShardIteratorType', notNull: true, enum: ['TRIM_HORIZON', 'LATEST', 'AT_SEQUENCE_NUMBER', 'AFTER_SEQUENCE_NUMBER'] },
  { name: 'SequenceNumber', minLength: 21, maxLength: 40 },
];

export const GetRecords: readonly MemberSpec[] = [
  { name: 'ShardIterator', notNull: true, minLength: 1, maxLength: 2048 },
  { name: 'Limit', min: 1, max: 1000 },
];
