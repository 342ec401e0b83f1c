{% macro segment_catalog_entries() -%}
    {#- The raw catalog: {'families': {...}, 'segments': [...]} from segments/catalog.yml, which
        dbt parses as the properties (config.meta) of the model segment_catalog, plus the
        entries of the var segment_extra_segments. Empty before execution (parse time).
        Unit tests override this macro to use a small fixed catalog. -#}
    {%- set node = (graph.get('nodes') or {}).get('model.' ~ project_name ~ '.segment_catalog') if execute and graph is mapping else none -%}
    {%- if node is none -%}
        {{ return({'families': {}, 'segments': []}) }}
    {%- endif -%}
    {%- set meta = node.config.meta -%}
    {%- set segments = (meta.get('segments') or []) + (var('segment_extra_segments', []) or []) -%}
    {{ return({'families': meta.get('families') or {}, 'segments': segments}) }}
{%- endmacro %}


{% macro segment_catalog(available_columns=none) -%}
    {#- The validated, normalised catalog: a list of segments, each a dict with key, name,
        description, family, family_type, owner, priority, rule, activatable and columns (the
        columns the rule reads). Raises a compiler error naming the segment on any problem.
        available_columns: lower-case column names the rules may read; checked when given. -#}
    {%- set raw = segment_catalog_entries() -%}
    {%- set families = raw['families'] -%}
    {%- set segments = [] -%}
    {%- for entry in raw['segments'] -%}
        {%- set key = (entry.get('key') or '') | string | trim -%}
        {%- set family = (entry.get('family') or '') | string | trim -%}
        {%- set family_config = families.get(family) or {} -%}
        {%- set rule = (entry.get('rule') or '') | string | trim -%}
        {%- do segments.append({
            'key': key,
            'name': (entry.get('name') or key) | string | trim,
            'description': (entry.get('description') or '') | string | trim,
            'family': family,
            'family_type': (family_config.get('type') or '') | string | trim,
            'owner': (entry.get('owner') or '') | string | trim,
            'priority': entry.get('priority'),
            'rule': rule,
            'activatable': entry.get('activatable'),
            'columns': customer_segments.segment_rule_columns(rule),
        }) -%}
    {%- endfor -%}
    {%- do customer_segments.segment_validate_catalog(segments, families, available_columns) -%}
    {{ return(segments | sort(attribute='priority') | sort(attribute='family')) }}
{%- endmacro %}


{% macro segment_rule_keywords() -%}
    {#- Words of a rule that are SQL, not column names. -#}
    {{ return([
        'and', 'or', 'not', 'is', 'null', 'in', 'between', 'like', 'ilike', 'rlike', 'escape',
        'true', 'false', 'case', 'when', 'then', 'else', 'end', 'cast', 'as', 'distinct', 'from',
        'date', 'timestamp', 'interval', 'day', 'days', 'month', 'year', 'hour', 'minute', 'second',
        'current_date', 'current_timestamp', 'varchar', 'string', 'integer', 'int', 'bigint',
        'double', 'float', 'decimal', 'numeric', 'boolean', 'text',
    ]) }}
{%- endmacro %}


{% macro segment_rule_functions() -%}
    {#- Functions a rule may call: the ones that exist with the same meaning on DuckDB, Spark
        SQL and the usual warehouses. -#}
    {{ return([
        'lower', 'upper', 'trim', 'ltrim', 'rtrim', 'length', 'replace', 'substr', 'substring',
        'concat', 'coalesce', 'nullif', 'abs', 'round', 'floor', 'ceil', 'greatest', 'least',
        'cast',
    ]) }}
{%- endmacro %}


{% macro segment_rule_unknown_functions(rule) -%}
    {#- Function names a rule calls that are not in segment_rule_functions(). -#}
    {%- set re = modules.re -%}
    {%- set without_literals = re.sub("'(?:[^']|'')*'", ' ', rule | lower) -%}
    {%- set allowed = customer_segments.segment_rule_functions() + customer_segments.segment_rule_keywords() -%}
    {%- set unknown = [] -%}
    {%- for match in re.finditer('(?<![a-z0-9_.])([a-z_][a-z0-9_]*)\\s*\\(', without_literals) -%}
        {%- if match.group(1) not in allowed and match.group(1) not in unknown -%}
            {%- do unknown.append(match.group(1)) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(unknown) }}
{%- endmacro %}


{% macro segment_rule_columns(rule) -%}
    {#- Column names a rule reads, lower-case, in order of first appearance: its identifiers
        outside string literals that are neither SQL words nor function names. -#}
    {%- set re = modules.re -%}
    {%- set without_literals = re.sub("'(?:[^']|'')*'", ' ', rule | lower) -%}
    {%- set keywords = customer_segments.segment_rule_keywords() -%}
    {%- set columns = [] -%}
    {%- for match in re.finditer('(?<![a-z0-9_.])([a-z_][a-z0-9_]*)(\\s*\\()?', without_literals) -%}
        {%- set word = match.group(1) -%}
        {%- if match.group(2) is none and word not in keywords and word not in columns -%}
            {%- do columns.append(word) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(columns) }}
{%- endmacro %}


{% macro segment_validate_catalog(segments, families, available_columns=none) -%}
    {#- Raise a compiler error listing every problem of the catalog, each naming its segment. -#}
    {%- set re = modules.re -%}
    {%- set problems = [] -%}
    {%- set seen = [] -%}
    {%- for family, config in families.items() -%}
        {%- if (config or {}).get('type') not in ('exclusive', 'overlapping') -%}
            {%- do problems.append("family '" ~ family ~ "': type must be exclusive or overlapping") -%}
        {%- endif -%}
    {%- endfor -%}
    {%- for segment in segments -%}
        {%- set label = "segment '" ~ (segment.key or ('#' ~ loop.index)) ~ "'" -%}
        {%- if not re.match('^[a-z][a-z0-9_]{0,62}$', segment.key) -%}
            {%- do problems.append(label ~ ": key must be lower-case letters, digits and _ (max 63), starting with a letter") -%}
        {%- elif segment.key in seen -%}
            {%- do problems.append(label ~ ": duplicate key") -%}
        {%- endif -%}
        {%- do seen.append(segment.key) -%}
        {%- if segment.family not in families -%}
            {%- do problems.append(label ~ ": unknown family '" ~ segment.family ~ "' (declare it under families)") -%}
        {%- endif -%}
        {%- if not segment.owner -%}
            {%- do problems.append(label ~ ": owner is required") -%}
        {%- endif -%}
        {%- if segment.priority is not number or segment.priority < 1 -%}
            {%- do problems.append(label ~ ": priority must be a positive integer") -%}
        {%- endif -%}
        {%- if segment.activatable is not sameas true and segment.activatable is not sameas false -%}
            {%- do problems.append(label ~ ": activatable must be true or false") -%}
        {%- endif -%}
        {%- set rule = segment.rule | lower -%}
        {%- if not rule -%}
            {%- do problems.append(label ~ ": rule is required") -%}
        {%- elif ';' in rule or '--' in rule or '/*' in rule or '"' in rule or '`' in rule -%}
            {%- do problems.append(label ~ ": rule must be one expression (no ; -- /* or quoted identifiers)") -%}
        {%- elif re.search('(?<![a-z0-9_])(select|from|join|union|where|with|limit|over)(?![a-z0-9_])', re.sub("'(?:[^']|'')*'", ' ', rule)) -%}
            {%- do problems.append(label ~ ": rule must be a boolean expression over one customer row (no subqueries or window functions)") -%}
        {%- elif (rule | replace("''", '') | list | select('equalto', "'") | list | length) % 2 != 0 -%}
            {%- do problems.append(label ~ ": rule has an unterminated string literal") -%}
        {%- elif (rule | list | select('equalto', '(') | list | length) != (rule | list | select('equalto', ')') | list | length) -%}
            {%- do problems.append(label ~ ": rule has unbalanced parentheses") -%}
        {%- elif customer_segments.segment_rule_unknown_functions(segment.rule) -%}
            {%- do problems.append(label ~ ": rule calls function(s) " ~ (customer_segments.segment_rule_unknown_functions(segment.rule) | join(', ')) ~ " outside the cross-database list (macro segment_rule_functions)") -%}
        {%- elif not segment.columns -%}
            {%- do problems.append(label ~ ": rule reads no column") -%}
        {%- elif available_columns -%}
            {%- set unknown = segment.columns | reject('in', available_columns) | list -%}
            {%- if unknown -%}
                {%- do problems.append(label ~ ": rule references unknown column(s) " ~ (unknown | join(', ')) ~ " (not in customer_attributes)") -%}
            {%- endif -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if problems -%}
        {{ exceptions.raise_compiler_error("Invalid segment catalog (segments/catalog.yml):\n  - " ~ (problems | join('\n  - '))) }}
    {%- endif -%}
{%- endmacro %}


{% macro segment_probe_rules(segments, relation) -%}
    {#- Compile every rule against the relation with `limit 0`, one query per segment, so that a
        rule the database rejects (bad function, type mismatch) fails with the segment's key
        in the query and in the log line just before the error. -#}
    {%- for segment in segments -%}
        {%- do log("segment catalog: compiling rule of segment '" ~ segment.key ~ "'", info=false) -%}
        {%- set probe -%}
            select count(*) as probe_rows from (
                select customer_id as segment_{{ segment.key }}__rule_check
                from {{ relation }}
                where ({{ segment.rule }})
                limit 0
            ) as segment_{{ segment.key }}__rule_check
        {%- endset -%}
        {%- set outcome = adapter.execute(probe, fetch=false) -%}
    {%- endfor -%}
{%- endmacro %}


{% macro segment_available_columns(relation) -%}
    {#- Lower-case column names of a built relation; empty when it does not exist (parse time,
        unit tests that mock it). -#}
    {%- if not execute or relation.identifier is none or relation.schema is none -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set existing = adapter.get_relation(database=relation.database, schema=relation.schema, identifier=relation.identifier) -%}
    {%- if existing is none -%}
        {{ return([]) }}
    {%- endif -%}
    {{ return(adapter.get_columns_in_relation(existing) | map(attribute='name') | map('lower') | list) }}
{%- endmacro %}


{% macro segment_families(segments, family_type=none) -%}
    {#- Distinct family names of the catalog, optionally only those of one type. -#}
    {%- set names = [] -%}
    {%- for segment in segments -%}
        {%- if (family_type is none or segment.family_type == family_type) and segment.family not in names -%}
            {%- do names.append(segment.family) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(names) }}
{%- endmacro %}


{% macro segment_reason_columns(segments) -%}
    {#- Union of the columns all rules read, in catalog order. -#}
    {%- set columns = [] -%}
    {%- for segment in segments -%}
        {%- for column in segment.columns if column not in columns -%}
            {%- do columns.append(column) -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ return(columns) }}
{%- endmacro %}


{% macro segment_sql_string(value) -%}
    {#- A SQL string literal of a text value (single quotes doubled). -#}
    '{{ (value | string) | replace("'", "''") }}'
{%- endmacro %}
