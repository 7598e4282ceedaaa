"""The seeds' validation step with elasticsearch-py 7.17 (Debian python3-elasticsearch):
helpers.bulk of 50 log documents into index `logs`, then count == 50."""
import json
import sys

from elasticsearch import Elasticsearch, helpers

url = sys.argv[1]
es = Elasticsearch(url)
info = es.info()
docs = [
    {
        "_index": "logs",
        "_source": {
            "@timestamp": "2024-05-01T12:00:%02dZ" % i,
            "level": ["INFO", "WARN", "ERROR"][i % 3],
            "service": "checkout",
            "message": "order %d processed" % i,
        },
    }
    for i in range(50)
]
success, errors = helpers.bulk(es, docs)
es.indices.refresh(index="logs")
count = es.count(index="logs")["count"]
print(json.dumps({"version": info["version"]["number"], "success": success, "errors": errors, "count": count}))
