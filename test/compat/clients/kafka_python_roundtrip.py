"""kafka-python (Debian python3-kafka 2.0): produce with acks='all', batch_size and
linger_ms, then consume from earliest without a consumer group (assign). Prints JSON."""
import json
import sys

from kafka import KafkaConsumer, KafkaProducer, TopicPartition

bootstrap, topic, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
producer = KafkaProducer(bootstrap_servers=bootstrap, acks='all', batch_size=16384, linger_ms=5, retries=5)
futures = [producer.send(topic, key=b'k%d' % (i % 10), value=b'kafka-python-%d' % i, headers=[('n', str(i).encode())]) for i in range(count)]
producer.flush()
acked = sum(1 for f in futures if f.get(timeout=30) is not None)
producer.close()

consumer = KafkaConsumer(bootstrap_servers=bootstrap, group_id=None, auto_offset_reset='earliest', consumer_timeout_ms=5000)
partitions = [TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic)]
consumer.assign(partitions)
consumer.seek_to_beginning()
seen = []
for message in consumer:
    seen.append([message.key.decode(), message.value.decode(), dict(message.headers)['n'].decode()])
    if len(seen) == count:
        break
consumer.close()
print(json.dumps({'acked': acked, 'records': seen}))
