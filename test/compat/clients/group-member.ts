/**
 * One consumer-group member for the group compatibility test, run as its own process so
 * the test can SIGKILL it: `node group-member.ts <kafkajs|platformatic> <bootstrap> <topic> <group> <member>`.
 * Prints one JSON line per record: {"member","partition","offset","value"}, and "ready" once subscribed.
 */
import { Consumer, stringDeserializers } from '@platformatic/kafka';
import { Kafka, logLevel } from 'kafkajs';

const [client, bootstrap, topic, groupId, member] = process.argv.slice(2) as [string, string, string, string, string];
const emit = (partition: number, offset: string | bigint, value: string): void => {
  process.stdout.write(`${JSON.stringify({ member, partition, offset: Number(offset), value })}\n`);
};

if (client === 'kafkajs') {
  const kafka = new Kafka({ brokers: [bootstrap], clientId: member, logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId, sessionTimeout: 6000, heartbeatInterval: 500, maxWaitTimeInMs: 200, rebalanceTimeout: 10000 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    autoCommitInterval: 200,
    eachMessage: async ({ partition, message }) => {
      emit(partition, message.offset, String(message.value));
    },
  });
} else if (client === 'platformatic') {
  const consumer = new Consumer({
    clientId: member,
    groupId,
    bootstrapBrokers: [bootstrap],
    deserializers: stringDeserializers,
    sessionTimeout: 6000,
    heartbeatInterval: 500,
    rebalanceTimeout: 10000,
    maxWaitTime: 200,
    autocommit: 200,
  });
  const stream = await consumer.consume({ topics: [topic], mode: 'committed', fallbackMode: 'earliest' });
  for await (const message of stream) emit(message.partition, message.offset, message.value as string);
} else {
  process.stderr.write(`unknown client ${client}\n`);
  process.exit(2);
}
