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
        columns the rule reads, as declared by the entry's `reads`). Raises a compiler error
        naming the segment on any problem.
        available_columns: lower-case column names the rules may read; checked when given. -#}
    {%- set raw = segment_catalog_entries() -%}
    {%- set families = raw['families'] -%}
    {%- set segments = [] -%}
    {%- for entry in raw['segments'] -%}
        {%- set key = (entry.get('key') or '') | string | trim -%}
        {%- set family = (entry.get('family') or '') | string | trim -%}
        {%- set family_config = families.get(family) or {} -%}
        {%- set rule = (entry.get('rule') or '') | string | trim -%}
        {%- set reads = entry.get('reads') -%}
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
            'columns': (reads | map('string') | map('trim') | map('lower') | list) if reads is sequence and reads is not string and reads is not mapping else [],
        }) -%}
    {%- endfor -%}
    {%- do customer_segments.segment_validate_catalog(segments, families, available_columns) -%}
    {{ return(segments | sort(attribute='priority') | sort(attribute='family')) }}
{%- endmacro %}


{% macro segment_validate_catalog(segments, families, available_columns=none) -%}
    {#- Raise a compiler error listing every problem of the catalog, each naming its segment.
        Plain checks only: whether a rule reads nothing but its declared columns is checked by
        the database (segment_probe_rules). -#}
    {%- set problems = [] -%}
    {%- set seen = [] -%}
    {%- for family, config in families.items() -%}
        {%- if (config or {}).get('type') not in ('exclusive', 'overlapping') -%}
            {%- do problems.append("family '" ~ family ~ "': type must be exclusive or overlapping") -%}
        {%- endif -%}
    {%- endfor -%}
    {%- for segment in segments -%}
        {%- set label = "segment '" ~ (segment.key or ('#' ~ loop.index)) ~ "'" -%}
        {%- if not modules.re.match('^[a-z][a-z0-9_]{0,62}$', segment.key) -%}
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
        {#- the rule's text outside string literals: every other piece between single quotes #}
        {%- set rule_words = (rule.split("'")[::2] | join(' ')) | replace('(', ' ') | replace(')', ' ') | replace(',', ' ') -%}
        {%- if not rule -%}
            {%- do problems.append(label ~ ": rule is required") -%}
        {%- elif ';' in rule or '--' in rule or '/*' in rule or '"' in rule or '`' in rule -%}
            {%- do problems.append(label ~ ": rule must be one expression (no ; -- /* or quoted identifiers)") -%}
        {%- elif (rule | replace("''", '') | list | select('equalto', "'") | list | length) % 2 != 0 -%}
            {%- do problems.append(label ~ ": rule has an unterminated string literal") -%}
        {%- elif (rule | list | select('equalto', '(') | list | length) != (rule | list | select('equalto', ')') | list | length) -%}
            {%- do problems.append(label ~ ": rule has unbalanced parentheses") -%}
        {%- elif 'select' in rule_words.split() or 'from' in rule_words.split() -%}
            {%- do problems.append(label ~ ": rule must be a boolean expression over one customer row (no subqueries)") -%}
        {%- endif -%}
        {%- if not segment.columns -%}
            {%- do problems.append(label ~ ": reads is required: the list of the columns the rule reads, e.g. reads: [gender, age]") -%}
        {%- else -%}
            {%- set repeated = [] -%}
            {%- for column in segment.columns -%}
                {%- if column in segment.columns[:loop.index0] and column not in repeated -%}
                    {%- do repeated.append(column) -%}
                {%- endif -%}
            {%- endfor -%}
            {%- if repeated -%}
                {%- do problems.append(label ~ ": reads lists " ~ (repeated | join(', ')) ~ " more than once") -%}
            {%- endif -%}
            {%- set unknown = segment.columns | reject('in', available_columns or []) | list if available_columns else [] -%}
            {%- if unknown -%}
                {%- do problems.append(label ~ ": reads unknown column(s) " ~ (unknown | join(', ')) ~ " (not columns of int_segment_attributes_enriched)") -%}
            {%- endif -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if problems -%}
        {{ exceptions.raise_compiler_error("Invalid segment catalog (segments/catalog.yml):\n  - " ~ (problems | join('\n  - '))) }}
    {%- endif -%}
{%- endmacro %}


{% macro segment_probe_rules(segments, relation) -%}
    {#- Compile every rule with `limit 0` against a projection of the relation holding only the
        columns the segment declares (reads), one query per segment, the way
        int_segment_memberships uses it (where clause). The database's binder rejects a rule
        that reads an undeclared column (or calls an unknown function, aggregates, compares
        mismatched types); the build then stops with a compiler error naming the segment. -#}
    {%- for segment in segments -%}
        {%- set probe -%}
            select count(*) as probe_rows from (
                select 1 as rule_check
                from (
                    select {{ segment.columns | join(', ') }}
                    from {{ relation }}
                ) as segment_{{ segment.key }}__declared_columns
                where ({{ customer_segments.portable_sql(segment.rule) }})
                limit 0
            ) as segment_{{ segment.key }}__rule_check
        {%- endset -%}
        {%- set message -%}
Invalid segment catalog (segments/catalog.yml):
  - segment '{{ segment.key }}': the database cannot compile its rule over the columns it declares (reads: {{ segment.columns | join(', ') }}). Does the rule read a column missing from reads, or call a function this database does not have? The database's own message is in logs/dbt.log. The check was:
{{ probe }}
        {%- endset -%}
        {#- try_or_compiler_error (dbt context): a failing probe raises this message instead of the bare database error, which would not name the segment #}
        {%- do try_or_compiler_error(message, adapter.execute, probe, fetch=false) -%}
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
