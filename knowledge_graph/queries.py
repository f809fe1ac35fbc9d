"""Every Cypher query of the legal knowledge graph, as named constants with $parameters.

The queries are OpenCypher that both FalkorDB and Neo4j 5 accept. Dialect-specific statements
(index/constraint creation, full-text procedures) live in `store.Dialect`, nowhere else.

Schema
------
(:Law {id, name, short_name, aliases, department, level, doc_type, status,
       effective_date, version_date, publish_date, issuing_body})
(:Chapter {id, law_id, title, ordinal})            id = "<law_id>:c<ordinal>"
(:Section {id, chapter_id, title, ordinal})        id = "<chapter_id>:s<ordinal>"
(:Article {id, law_id, law_name, short_name, number, suffix, label, text, text_seg, status,
           version_date, effective_date, paragraph_count, item_counts})
                                                   id = "<law_id>:<number><suffix>", e.g. "abc:133之一"
(:Law)-[:HAS_CHAPTER]->(:Chapter)-[:HAS_SECTION]->(:Section)
(:Chapter|Section)-[:CONTAINS]->(:Article)         (the innermost container only)
(:Law)-[:HAS_ARTICLE]->(:Article)
(:Article)-[:REFERS_TO {kind: "same_law"|"other_law"|"previous_paragraph", quote}]->(:Article)
(:Law)-[:VERSION_OF]->(:Law)                       older version -> the version in force
(:Migration {name, applied_at})
Dates are ISO strings ("2021-01-01"); "" when unknown.
"""

from __future__ import annotations

# Labels and relationship types (for code that needs the names).
LAW = "Law"
CHAPTER = "Chapter"
SECTION = "Section"
ARTICLE = "Article"
MIGRATION = "Migration"
HAS_CHAPTER = "HAS_CHAPTER"
HAS_SECTION = "HAS_SECTION"
CONTAINS = "CONTAINS"
HAS_ARTICLE = "HAS_ARTICLE"
REFERS_TO = "REFERS_TO"
VERSION_OF = "VERSION_OF"

NODE_LABELS = (LAW, CHAPTER, SECTION, ARTICLE, MIGRATION)
REL_TYPES = (HAS_CHAPTER, HAS_SECTION, CONTAINS, HAS_ARTICLE, REFERS_TO, VERSION_OF)

# Article statuses copied from the source database.
STATUS_IN_FORCE = "现行有效"
STATUS_AMENDED = "已被修改"
STATUS_HISTORICAL = "历史版本"
STATUS_REPEALED = "已废止"

# --- Migrations -------------------------------------------------------------------------------

MIGRATION_APPLIED = "MATCH (m:Migration {name: $name}) RETURN m.name AS name"
MIGRATION_RECORD = "MERGE (m:Migration {name: $name}) ON CREATE SET m.applied_at = $applied_at"
MIGRATIONS_LIST = "MATCH (m:Migration) RETURN m.name AS name, m.applied_at AS applied_at ORDER BY m.name"

# --- Import (batched UNWIND writes; $rows is a list of maps) -----------------------------------

UPSERT_LAWS = """
UNWIND $rows AS row
MERGE (l:Law {id: row.id})
SET l.name = row.name, l.short_name = row.short_name, l.aliases = row.aliases,
    l.department = row.department, l.level = row.level, l.doc_type = row.doc_type,
    l.status = row.status, l.effective_date = row.effective_date,
    l.version_date = row.version_date, l.publish_date = row.publish_date,
    l.issuing_body = row.issuing_body
"""

UPSERT_CHAPTERS = """
UNWIND $rows AS row
MATCH (l:Law {id: row.law_id})
MERGE (c:Chapter {id: row.id})
SET c.law_id = row.law_id, c.title = row.title, c.ordinal = row.ordinal
MERGE (l)-[:HAS_CHAPTER]->(c)
"""

UPSERT_SECTIONS = """
UNWIND $rows AS row
MATCH (c:Chapter {id: row.chapter_id})
MERGE (s:Section {id: row.id})
SET s.chapter_id = row.chapter_id, s.title = row.title, s.ordinal = row.ordinal
MERGE (c)-[:HAS_SECTION]->(s)
"""

UPSERT_ARTICLES = """
UNWIND $rows AS row
MATCH (l:Law {id: row.law_id})
MERGE (a:Article {id: row.id})
SET a.law_id = row.law_id, a.law_name = row.law_name, a.short_name = row.short_name,
    a.number = row.number, a.suffix = row.suffix, a.label = row.label, a.text = row.text,
    a.text_seg = row.text_seg, a.status = row.status, a.version_date = row.version_date,
    a.effective_date = row.effective_date, a.paragraph_count = row.paragraph_count,
    a.item_counts = row.item_counts
MERGE (l)-[:HAS_ARTICLE]->(a)
"""

LINK_CHAPTER_ARTICLES = """
UNWIND $rows AS row
MATCH (c:Chapter {id: row.container_id}), (a:Article {id: row.article_id})
MERGE (c)-[:CONTAINS]->(a)
"""

LINK_SECTION_ARTICLES = """
UNWIND $rows AS row
MATCH (s:Section {id: row.container_id}), (a:Article {id: row.article_id})
MERGE (s)-[:CONTAINS]->(a)
"""

UPSERT_REFERENCES = """
UNWIND $rows AS row
MATCH (a:Article {id: row.source_id}), (b:Article {id: row.target_id})
MERGE (a)-[r:REFERS_TO {kind: row.kind}]->(b)
SET r.quote = row.quote
"""

UPSERT_VERSIONS = """
UNWIND $rows AS row
MATCH (old:Law {id: row.old_id}), (cur:Law {id: row.current_id})
MERGE (old)-[:VERSION_OF]->(cur)
"""

# --- Status / counts --------------------------------------------------------------------------

COUNT_LAWS = "MATCH (n:Law) RETURN count(n) AS n"
COUNT_CHAPTERS = "MATCH (n:Chapter) RETURN count(n) AS n"
COUNT_SECTIONS = "MATCH (n:Section) RETURN count(n) AS n"
COUNT_ARTICLES = "MATCH (n:Article) RETURN count(n) AS n"
COUNT_MIGRATIONS = "MATCH (n:Migration) RETURN count(n) AS n"
COUNT_HAS_CHAPTER = "MATCH ()-[r:HAS_CHAPTER]->() RETURN count(r) AS n"
COUNT_HAS_SECTION = "MATCH ()-[r:HAS_SECTION]->() RETURN count(r) AS n"
COUNT_CONTAINS = "MATCH ()-[r:CONTAINS]->() RETURN count(r) AS n"
COUNT_HAS_ARTICLE = "MATCH ()-[r:HAS_ARTICLE]->() RETURN count(r) AS n"
COUNT_REFERS_TO = "MATCH ()-[r:REFERS_TO]->() RETURN count(r) AS n"
COUNT_VERSION_OF = "MATCH ()-[r:VERSION_OF]->() RETURN count(r) AS n"

NODE_COUNT_QUERIES = {
    LAW: COUNT_LAWS,
    CHAPTER: COUNT_CHAPTERS,
    SECTION: COUNT_SECTIONS,
    ARTICLE: COUNT_ARTICLES,
    MIGRATION: COUNT_MIGRATIONS,
}
REL_COUNT_QUERIES = {
    HAS_CHAPTER: COUNT_HAS_CHAPTER,
    HAS_SECTION: COUNT_HAS_SECTION,
    CONTAINS: COUNT_CONTAINS,
    HAS_ARTICLE: COUNT_HAS_ARTICLE,
    REFERS_TO: COUNT_REFERS_TO,
    VERSION_OF: COUNT_VERSION_OF,
}

# Content fingerprint: every article's id and text, in id order (hashed by the importer).
ARTICLE_FINGERPRINT = "MATCH (a:Article) RETURN a.id AS id, a.text AS text, a.status AS status ORDER BY a.id"

# Stored segmentations, reused by a re-load for articles whose text did not change.
ARTICLE_SEGMENTS = "MATCH (a:Article) RETURN a.id AS id, a.text AS text, a.text_seg AS text_seg"

# --- Lookups ----------------------------------------------------------------------------------

LAW_BY_ID = "MATCH (l:Law {id: $law_id}) RETURN l {.*} AS law"

# A law by full name, short name or alias; in-force versions first.
LAWS_BY_NAME = """
MATCH (l:Law)
WHERE l.name = $name OR l.short_name = $name OR $name IN l.aliases
RETURN l {.*} AS law
ORDER BY CASE l.status WHEN '现行有效' THEN 0 WHEN '已被修改' THEN 1 ELSE 2 END, l.version_date DESC
"""

ARTICLE_BY_ID = "MATCH (a:Article {id: $article_id}) RETURN a {.*} AS article"

# An article of a law given by full or short name, in-force version first.
ARTICLE_BY_LAW_AND_NUMBER = """
MATCH (l:Law)-[:HAS_ARTICLE]->(a:Article {number: $number, suffix: $suffix})
WHERE l.name = $law OR l.short_name = $law OR $law IN l.aliases
RETURN a {.*} AS article, l.status AS law_status
ORDER BY CASE a.status WHEN '现行有效' THEN 0 WHEN '已被修改' THEN 1 ELSE 2 END, a.version_date DESC
"""

# The articles an article refers to, with the kind of reference and the quoted words.
ARTICLE_REFERENCES = """
MATCH (a:Article {id: $article_id})-[r:REFERS_TO]->(b:Article)
RETURN b.id AS target_id, b.label AS label, b.short_name AS short_name, r.kind AS kind, r.quote AS quote
ORDER BY b.law_id, b.number, b.suffix
"""

# The articles that refer to an article.
ARTICLE_REFERRED_BY = """
MATCH (a:Article)-[r:REFERS_TO]->(b:Article {id: $article_id})
RETURN a.id AS source_id, a.label AS label, a.short_name AS short_name, r.kind AS kind, r.quote AS quote
ORDER BY a.law_id, a.number, a.suffix
"""

# The chapter (and section, if any) that holds an article.
ARTICLE_CONTEXT = """
MATCH (l:Law)-[:HAS_CHAPTER]->(c:Chapter)
MATCH (l)-[:HAS_ARTICLE]->(a:Article {id: $article_id})
WHERE (c)-[:CONTAINS]->(a) OR (c)-[:HAS_SECTION]->(:Section)-[:CONTAINS]->(a)
OPTIONAL MATCH (c)-[:HAS_SECTION]->(s:Section)-[:CONTAINS]->(a)
RETURN l.name AS law_name, c.title AS chapter, s.title AS section
"""

# Versions of a law (both directions), for checking a citation against a date.
LAW_VERSIONS = """
MATCH (l:Law {id: $law_id})
OPTIONAL MATCH (l)-[:VERSION_OF]-(v:Law)
RETURN l {.*} AS law, collect(v {.*}) AS versions
"""

# The version of a law (by name) in force on $date (ISO): effective on or before it, newest first.
LAW_VERSION_ON_DATE = """
MATCH (l:Law)
WHERE (l.name = $name OR l.short_name = $name OR $name IN l.aliases)
  AND l.effective_date <> '' AND l.effective_date <= $date AND l.status <> '已废止'
RETURN l {.*} AS law
ORDER BY l.effective_date DESC
LIMIT 1
"""

# ==============================================================================================
# Retrieval queries (owned by the retrieval engineer) — append below this line.
# ==============================================================================================

# --- retrieval and curated layers ---
#
# Curated nodes (written by knowledge_graph.curated.loader.load_curated, idempotent):
# (:Charge {name, aliases, strong, cues, source, penalty_tiers})
#     -[:DEFINED_BY {paragraph, scale}]->(:Article)      paragraph 0 = the whole article
#     -[:PUNISHED_BY {paragraph}]->(:Article)            where the statutory penalty is stated
# (:Circumstance {name, strong, cues, trigger, source})-[:GOVERNED_BY {paragraph, scale}]->(:Article)
# (:Cause {name, strong, cues, source})-[:GOVERNED_BY {paragraph, scale}]->(:Article)
# (:RepealedLaw {name, aliases, repealed_on, source})-[:REPEALED_BY]->(:Article)

CHARGE = "Charge"
CIRCUMSTANCE = "Circumstance"
CAUSE = "Cause"
REPEALED_LAW = "RepealedLaw"
DEFINED_BY = "DEFINED_BY"
PUNISHED_BY = "PUNISHED_BY"
GOVERNED_BY = "GOVERNED_BY"
REPEALED_BY = "REPEALED_BY"

# Every law's names, for recognising citations written without 《》.
LAW_NAMES = "MATCH (l:Law) RETURN l.name AS name, l.short_name AS short_name, l.aliases AS aliases"

# Every version of a law given by any of its names, newest effective date first.
LAW_VERSIONS_BY_NAME = """
MATCH (l:Law)
WHERE l.name = $name OR l.short_name = $name OR $name IN l.aliases
RETURN l {.*} AS law
ORDER BY l.effective_date DESC, l.version_date DESC
"""

# One article of one law version.
ARTICLE_IN_LAW = """
MATCH (l:Law {id: $law_id})-[:HAS_ARTICLE]->(a:Article {number: $number, suffix: $suffix})
RETURN a {.*} AS article
"""

# The articles of one law version numbered lo..hi (a quote checked against the articles around the cited one).
ARTICLES_IN_RANGE = """
MATCH (l:Law {id: $law_id})-[:HAS_ARTICLE]->(a:Article)
WHERE a.number >= $lo AND a.number <= $hi
RETURN a.number AS number, a.suffix AS suffix, a.label AS label, a.text AS text
ORDER BY a.number, a.suffix
"""

# The highest article number of a law version (to tell "no such article" from "beyond the law").
LAW_ARTICLE_RANGE = """
MATCH (l:Law {id: $law_id})-[:HAS_ARTICLE]->(a:Article)
RETURN max(a.number) AS max_number, count(a) AS articles
"""

# Curated links: the in-force article for each (law, number, suffix); $rows = [{key, law, number, suffix}].
ARTICLES_FOR_LINKS = """
UNWIND $rows AS row
MATCH (l:Law {name: row.law})-[:HAS_ARTICLE]->(a:Article {number: row.number, suffix: row.suffix})
WHERE l.status IN ['现行有效', '已被修改']
RETURN row.key AS key, a.id AS id, a.text AS text
"""

UPSERT_CHARGES = """
UNWIND $rows AS row
MERGE (c:Charge {name: row.name})
SET c.aliases = row.aliases, c.strong = row.strong, c.cues = row.cues, c.source = row.source,
    c.penalty_tiers = row.penalty_tiers
"""

UPSERT_CIRCUMSTANCES = """
UNWIND $rows AS row
MERGE (c:Circumstance {name: row.name})
SET c.strong = row.strong, c.cues = row.cues, c.trigger = row.trigger, c.source = row.source
"""

UPSERT_CAUSES = """
UNWIND $rows AS row
MERGE (c:Cause {name: row.name})
SET c.strong = row.strong, c.cues = row.cues, c.source = row.source
"""

UPSERT_REPEALED_LAWS = """
UNWIND $rows AS row
MERGE (r:RepealedLaw {name: row.name})
SET r.aliases = row.aliases, r.repealed_on = row.repealed_on, r.source = row.source
"""

# Links are cleared and re-created so that a changed curated file leaves no stale edge.
CLEAR_CHARGE_LINKS = "MATCH (:Charge)-[r:DEFINED_BY|PUNISHED_BY]->(:Article) DELETE r"
CLEAR_CIRCUMSTANCE_LINKS = "MATCH (:Circumstance)-[r:GOVERNED_BY]->(:Article) DELETE r"
CLEAR_CAUSE_LINKS = "MATCH (:Cause)-[r:GOVERNED_BY]->(:Article) DELETE r"
CLEAR_REPEALED_LINKS = "MATCH (:RepealedLaw)-[r:REPEALED_BY]->(:Article) DELETE r"

# Curated nodes whose entry left the files.
PRUNE_CHARGES = "MATCH (c:Charge) WHERE NOT c.name IN $names DETACH DELETE c"
PRUNE_CIRCUMSTANCES = "MATCH (c:Circumstance) WHERE NOT c.name IN $names DETACH DELETE c"
PRUNE_CAUSES = "MATCH (c:Cause) WHERE NOT c.name IN $names DETACH DELETE c"
PRUNE_REPEALED_LAWS = "MATCH (r:RepealedLaw) WHERE NOT r.name IN $names DETACH DELETE r"

# $rows = [{name, article_id, paragraph, scale}]
LINK_CHARGES_DEFINED_BY = """
UNWIND $rows AS row
MATCH (c:Charge {name: row.name}), (a:Article {id: row.article_id})
MERGE (c)-[r:DEFINED_BY {paragraph: row.paragraph}]->(a)
SET r.scale = row.scale
"""

LINK_CHARGES_PUNISHED_BY = """
UNWIND $rows AS row
MATCH (c:Charge {name: row.name}), (a:Article {id: row.article_id})
MERGE (c)-[r:PUNISHED_BY {paragraph: row.paragraph}]->(a)
"""

LINK_CIRCUMSTANCES = """
UNWIND $rows AS row
MATCH (c:Circumstance {name: row.name}), (a:Article {id: row.article_id})
MERGE (c)-[r:GOVERNED_BY {paragraph: row.paragraph}]->(a)
SET r.scale = row.scale
"""

LINK_CAUSES = """
UNWIND $rows AS row
MATCH (c:Cause {name: row.name}), (a:Article {id: row.article_id})
MERGE (c)-[r:GOVERNED_BY {paragraph: row.paragraph}]->(a)
SET r.scale = row.scale
"""

LINK_REPEALED_LAWS = """
UNWIND $rows AS row
MATCH (r:RepealedLaw {name: row.name}), (a:Article {id: row.article_id})
MERGE (r)-[:REPEALED_BY]->(a)
"""

COUNT_CHARGES = "MATCH (n:Charge) RETURN count(n) AS n"
COUNT_CIRCUMSTANCES = "MATCH (n:Circumstance) RETURN count(n) AS n"
COUNT_CAUSES = "MATCH (n:Cause) RETURN count(n) AS n"
COUNT_REPEALED_LAWS = "MATCH (n:RepealedLaw) RETURN count(n) AS n"
COUNT_DEFINED_BY = "MATCH (:Charge)-[r:DEFINED_BY]->(:Article) RETURN count(r) AS n"

# Retrieval: the defining and penalty articles of charges, with the penalty text.
CHARGE_ARTICLES = """
MATCH (c:Charge)-[r:DEFINED_BY|PUNISHED_BY]->(a:Article)
WHERE c.name IN $names
RETURN c.name AS name, type(r) AS rel, r.paragraph AS paragraph,
       a.id AS id, a.law_name AS law_name, a.short_name AS short_name, a.number AS number,
       a.suffix AS suffix, a.label AS label, a.text AS text
"""

# Retrieval: articles the charges' articles refer to within the same law (第二百六十九条 -> 第二百六十三条).
CHARGE_REFERENCES = """
MATCH (c:Charge)-[:DEFINED_BY|PUNISHED_BY]->(a:Article)-[:REFERS_TO]->(b:Article)
WHERE c.name IN $names AND b.law_id = a.law_id
RETURN DISTINCT c.name AS name, a.id AS source_id, a.short_name AS source_short_name,
       a.number AS source_number, a.suffix AS source_suffix, a.label AS source_label, a.law_name AS source_law,
       b.id AS id, b.law_name AS law_name, b.short_name AS short_name, b.number AS number,
       b.suffix AS suffix, b.label AS label
"""

# Retrieval: the articles governing circumstances / causes.
CIRCUMSTANCE_ARTICLES = """
MATCH (c:Circumstance)-[r:GOVERNED_BY]->(a:Article)
WHERE c.name IN $names
RETURN c.name AS name, r.paragraph AS paragraph, r.scale AS scale,
       a.id AS id, a.law_name AS law_name, a.short_name AS short_name, a.number AS number,
       a.suffix AS suffix, a.label AS label
"""

CAUSE_ARTICLES = """
MATCH (c:Cause)-[r:GOVERNED_BY]->(a:Article)
WHERE c.name IN $names
RETURN c.name AS name, r.paragraph AS paragraph, r.scale AS scale,
       a.id AS id, a.law_name AS law_name, a.short_name AS short_name, a.number AS number,
       a.suffix AS suffix, a.label AS label
"""

# Citation check: a repealed law the statute database does not hold, by any of its names.
REPEALED_LAW_BY_NAME = """
MATCH (r:RepealedLaw)-[:REPEALED_BY]->(a:Article)
WHERE r.name = $name OR $name IN r.aliases
RETURN r.name AS name, r.repealed_on AS repealed_on, a.law_name AS repealed_by_law, a.label AS repealed_by_label,
       a.id AS repealed_by_id
"""

# Retrieval: several articles by id (to fill in law names and texts of hits in one round trip).
ARTICLES_BY_IDS = """
MATCH (a:Article) WHERE a.id IN $ids
RETURN a.id AS id, a.law_name AS law_name, a.short_name AS short_name, a.text AS text, a.status AS status
"""
