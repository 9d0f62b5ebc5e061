"""Full-text search behind one interface (egov.search.backends); tantivy is the default engine."""
