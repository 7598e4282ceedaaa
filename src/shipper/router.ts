/**
 * Where an event goes: the lane topic (when lanes decide), else the first `topics` rule
 * whose condition holds, else the `topic` template; and its message key (a template, or
 * none for round-robin). Templates and conditions are the indexer's (Logstash syntax).
 */
import { compileCondition } from '../indexer/conditions/condition.ts';
import { Event } from '../indexer/event.ts';
import { compileTemplate } from '../indexer/sprintf.ts';
import type { KafkaConfig } from './config.ts';
import type { Fields } from './event.ts';
import type { Lanes } from './lanes.ts';

export interface Route {
  topic: string;
  key: string | undefined;
}

export type Router = (fields: Fields) => Route;

export function createRouter(kafka: Pick<KafkaConfig, 'topic' | 'topics' | 'key'>, lanes?: Lanes): Router {
  const fallback = compileTemplate(kafka.topic);
  const rules = kafka.topics.map((rule) => ({ condition: compileCondition(rule.if), topic: compileTemplate(rule.topic) }));
  const key = kafka.key == null ? undefined : compileTemplate(kafka.key);
  if (fallback.constant && rules.length === 0 && key === undefined && lanes === undefined) {
    const route: Route = { topic: fallback.source, key: undefined };
    return () => route;
  }
  return (fields) => {
    const event = new Event(fields);
    let topic = lanes?.topic(event);
    if (topic === undefined) {
      for (const rule of rules) {
        if (rule.condition(event)) {
          topic = rule.topic.render(event);
          break;
        }
      }
    }
    topic ??= fallback.render(event);
    return { topic, key: key?.render(event) };
  };
}

/** Kafka's rule for topic names (a template that left `%{...}` unresolved fails it). */
export function validTopic(name: string): boolean {
  return /^[A-Za-z0-9._-]{1,249}$/.test(name) && name !== '.' && name !== '..';
}
