/**
 * DescribeConfigs, AlterConfigs and IncrementalAlterConfigs for topics (resource type
 * 2) and this broker (resource type 4, named by its node id or "" for the cluster
 * default). Topic overrides and dynamic broker configs are persisted.
 */
import { KafkaError, KafkaProtocolError } from '../protocol/error-codes.ts';
import { alterConfigsApi } from '../protocol/messages/alter-configs.ts';
import { describeConfigsApi } from '../protocol/messages/describe-configs.ts';
import { incrementalAlterConfigsApi } from '../protocol/messages/incremental-alter-configs.ts';
import {
  BROKER_CONFIGS,
  brokerConfigTypeCode,
  ConfigSource,
  configTypeCode,
  ResourceType,
  TOPIC_CONFIGS,
  validateBrokerConfig,
} from '../topic-configs.ts';
import { adminFailure } from './topics-admin.ts';
import { type BrokerContext, defineHandler } from './handler.ts';

const OP_SET = 0;
const OP_DELETE = 1;
const OP_APPEND = 2;
const OP_SUBTRACT = 3;

interface ConfigEntry {
  name: string;
  value: string | null;
  readOnly: boolean;
  source: number;
  type: number;
  doc: string | null;
}

function checkBrokerName(name: string, broker: BrokerContext): void {
  if (name !== '' && name !== String(broker.nodeId)) {
    throw new KafkaProtocolError(KafkaError.INVALID_REQUEST, `broker ${name} is not this broker (node id ${broker.nodeId})`);
  }
}

function describeResource(resourceType: number, resourceName: string, broker: BrokerContext): ConfigEntry[] {
  if (resourceType === ResourceType.TOPIC) {
    if (!broker.topics.topic(resourceName)) throw new KafkaProtocolError(KafkaError.UNKNOWN_TOPIC_OR_PARTITION, `Topic ${resourceName} does not exist.`);
    return broker.topics.topicConfigs(resourceName).map((c) => {
      const def = TOPIC_CONFIGS.find((d) => d.name === c.name)!;
      return { name: c.name, value: c.value, readOnly: false, source: c.override ? ConfigSource.TOPIC_CONFIG : ConfigSource.DEFAULT_CONFIG, type: configTypeCode(def), doc: def.doc };
    });
  }
  if (resourceType === ResourceType.BROKER) {
    checkBrokerName(resourceName, broker);
    const overrides = broker.brokerConfigOverrides();
    const config = broker.config();
    return BROKER_CONFIGS.map((def) => ({
      name: def.name,
      value: def.value(config),
      readOnly: def.dynamic === undefined,
      source: overrides[def.name] !== undefined ? (resourceName === '' ? ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG : ConfigSource.DYNAMIC_BROKER_CONFIG) : ConfigSource.STATIC_BROKER_CONFIG,
      type: brokerConfigTypeCode(def),
      doc: null,
    }));
  }
  throw new KafkaProtocolError(KafkaError.INVALID_REQUEST, `resource type ${resourceType} is not supported; use 2 (topic) or 4 (broker)`);
}

export const describeConfigsHandler = defineHandler(describeConfigsApi, (request, ctx) => ({
  throttleTimeMs: 0,
  results: request.resources.map((resource) => {
    const base = { resourceType: resource.resourceType, resourceName: resource.resourceName };
    try {
      const wanted = resource.configurationKeys === null ? null : new Set(resource.configurationKeys);
      const entries = describeResource(resource.resourceType, resource.resourceName, ctx.broker).filter((e) => wanted === null || wanted.has(e.name));
      return {
        ...base,
        errorCode: KafkaError.NONE,
        errorMessage: null,
        configs: entries.map((e) => ({
          name: e.name,
          value: e.value,
          readOnly: e.readOnly,
          isDefault: e.source === ConfigSource.DEFAULT_CONFIG || e.source === ConfigSource.STATIC_BROKER_CONFIG,
          configSource: e.source,
          isSensitive: false,
          synonyms: request.includeSynonyms ? [{ name: e.name, value: e.value, source: e.source }] : [],
          configType: e.type,
          documentation: request.includeDocumentation ? e.doc : null,
        })),
      };
    } catch (error) {
      return { ...base, ...adminFailure(error), configs: [] };
    }
  }),
}));

/** Applies a complete new set of overrides (AlterConfigs) or an edited one (IncrementalAlterConfigs). */
function alterResource(resourceType: number, resourceName: string, next: (current: Record<string, string>) => Record<string, string>, validateOnly: boolean, broker: BrokerContext): void {
  if (resourceType === ResourceType.TOPIC) {
    const topic = broker.topics.topic(resourceName);
    if (!topic) throw new KafkaProtocolError(KafkaError.UNKNOWN_TOPIC_OR_PARTITION, `Topic ${resourceName} does not exist.`);
    broker.topics.alterTopicConfigs(resourceName, next({ ...topic.meta.configs }), validateOnly);
    return;
  }
  if (resourceType === ResourceType.BROKER) {
    checkBrokerName(resourceName, broker);
    const configs = next({ ...broker.brokerConfigOverrides() });
    for (const [name, value] of Object.entries(configs)) {
      const problem = validateBrokerConfig(name, value);
      if (problem) throw new KafkaProtocolError(KafkaError.INVALID_CONFIG, `Invalid config ${name}=${value}: ${problem}`);
    }
    if (!validateOnly) broker.alterBrokerConfigs(configs);
    return;
  }
  throw new KafkaProtocolError(KafkaError.INVALID_REQUEST, `resource type ${resourceType} is not supported; use 2 (topic) or 4 (broker)`);
}

export const alterConfigsHandler = defineHandler(alterConfigsApi, (request, ctx) => ({
  throttleTimeMs: 0,
  responses: request.resources.map((resource) => {
    const base = { resourceType: resource.resourceType, resourceName: resource.resourceName };
    try {
      const replacement: Record<string, string> = {};
      for (const c of resource.configs) if (c.value !== null) replacement[c.name] = c.value;
      alterResource(resource.resourceType, resource.resourceName, () => replacement, request.validateOnly, ctx.broker);
      return { ...base, errorCode: KafkaError.NONE, errorMessage: null };
    } catch (error) {
      return { ...base, ...adminFailure(error) };
    }
  }),
}));

export const incrementalAlterConfigsHandler = defineHandler(incrementalAlterConfigsApi, (request, ctx) => ({
  throttleTimeMs: 0,
  responses: request.resources.map((resource) => {
    const base = { resourceType: resource.resourceType, resourceName: resource.resourceName };
    try {
      alterResource(
        resource.resourceType,
        resource.resourceName,
        (current) => {
          for (const c of resource.configs) {
            const list = (current[c.name] ?? '').split(',').filter((v) => v !== '');
            const values = (c.value ?? '').split(',').filter((v) => v !== '');
            switch (c.configOperation) {
              case OP_SET:
                if (c.value === null) delete current[c.name];
                else current[c.name] = c.value;
                break;
              case OP_DELETE:
                delete current[c.name];
                break;
              case OP_APPEND:
                current[c.name] = [...list, ...values.filter((v) => !list.includes(v))].join(',');
                break;
              case OP_SUBTRACT:
                current[c.name] = list.filter((v) => !values.includes(v)).join(',');
                break;
              default:
                throw new KafkaProtocolError(KafkaError.INVALID_REQUEST, `unknown config operation ${c.configOperation} for ${c.name}`);
            }
          }
          return current;
        },
        request.validateOnly,
        ctx.broker,
      );
      return { ...base, errorCode: KafkaError.NONE, errorMessage: null };
    } catch (error) {
      return { ...base, ...adminFailure(error) };
    }
  }),
}));
