"""Searches with elasticsearch-py 7.17 (Debian python3-elasticsearch) against an index the
JS test filled: query_string, bool + range, terms + date_histogram + avg, search_after
through every hit, and scroll. Prints one JSON line of results for the test to check."""
import json
import sys

from elasticsearch import Elasticsearch, helpers

url, index = sys.argv[1], sys.argv[2]
es = Elasticsearch(url)
out = {}
r = es.search(index=index, body={"query": {"query_string": {"query": "level:ERROR AND service:svc-3"}}, "track_total_hits": True})
out["query_string"] = r["hits"]["total"]["value"]
r = es.search(index=index, body={"query": {"bool": {"filter": [{"term": {"level": "WARN"}}, {"range": {"seq": {"gte": 1000, "lt": 2000}}}]}}})
out["bool_range"] = r["hits"]["total"]["value"]
r = es.search(index=index, body={"size": 0, "aggs": {"levels": {"terms": {"field": "level"}, "aggs": {"per_minute": {"date_histogram": {"field": "@timestamp", "fixed_interval": "1m"}, "aggs": {"avg_seq": {"avg": {"field": "seq"}}}}}}}})
out["agg_levels"] = {b["key"]: b["doc_count"] for b in r["aggregations"]["levels"]["buckets"]}
out["agg_first_avg"] = r["aggregations"]["levels"]["buckets"][0]["per_minute"]["buckets"][0]["avg_seq"]["value"]
seen, after, ordered = 0, None, True
last = -1
while True:
    body = {"size": 5000, "sort": [{"seq": "asc"}], "_source": ["seq"]}
    if after is not None:
        body["search_after"] = after
    hits = es.search(index=index, body=body)["hits"]["hits"]
    if not hits:
        break
    for h in hits:
        ordered = ordered and h["_source"]["seq"] == last + 1
        last = h["_source"]["seq"]
    seen += len(hits)
    after = hits[-1]["sort"]
out["search_after"] = {"seen": seen, "ordered": ordered}
scrolled = sum(1 for _ in helpers.scan(es, index=index, query={"query": {"term": {"level": "ERROR"}}}, size=2000, scroll="1m"))
out["scroll"] = scrolled
print(json.dumps(out))
