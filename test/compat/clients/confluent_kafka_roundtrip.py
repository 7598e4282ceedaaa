"""confluent-kafka-python (Debian python3-confluent-kafka 1.7, librdkafka 2.0): produce
with acks=all, batch size and linger, then consume from earliest without a consumer
group (assign). Prints JSON."""
import json
import sys

from confluent_kafka import OFFSET_BEGINNING, Consumer, Producer, TopicPartition

bootstrap, topic, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
acked = 0
errors = []


def delivered(err, msg):
    global acked
    if err is None:
        acked += 1
    else:
        errors.append(str(err))


producer = Producer({'bootstrap.servers': bootstrap, 'acks': 'all', 'linger.ms': 5, 'batch.size': 16384, 'compression.type': 'zstd'})
for i in range(count):
    producer.produce(topic, key=b'k%d' % (i % 10), value=b'confluent-%d' % i, headers=[('n', str(i).encode())], on_delivery=delivered)
    producer.poll(0)
producer.flush(30)

metadata = producer.list_topics(topic, timeout=10)
partitions = list(metadata.topics[topic].partitions)
consumer = Consumer({'bootstrap.servers': bootstrap, 'group.id': 'unused', 'enable.auto.commit': False})
consumer.assign([TopicPartition(topic, p, OFFSET_BEGINNING) for p in partitions])
seen = []
idle = 0
while len(seen) < count and idle < 10:
    message = consumer.poll(1.0)
    if message is None:
        idle += 1
        continue
    if message.error():
        errors.append(str(message.error()))
        continue
    seen.append([message.key().decode(), message.value().decode(), dict(message.headers())['n'].decode()])
consumer.close()
print(json.dumps({'acked': acked, 'errors': errors, 'records': seen}))
