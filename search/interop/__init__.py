"""The archive handed to other tools: an OpenSearch/Elasticsearch export."""
