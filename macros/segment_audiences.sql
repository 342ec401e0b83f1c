{% macro segment_hash_email(expression) -%}
    {#- Ad platforms' customer-match format: SHA-256 hex of the lower-case, trimmed email. -#}
    {{ customer_segments.sha256_hex('lower(trim(' ~ expression ~ '))') }}
{%- endmacro %}


{% macro segment_hash_phone(expression) -%}
    {#- SHA-256 hex of the E.164 phone (`+84912345678`), trimmed. -#}
    {{ customer_segments.sha256_hex('trim(' ~ expression ~ ')') }}
{%- endmacro %}


{% macro segment_create_audience_views(audience_relation) -%}
    {#- Post-hook of audience_members: one view <segment_audience_view_prefix><segment_key> per
        activatable segment of the catalog, in the same schema, selecting that segment's rows.
        Views of segments no longer activatable are dropped. -#}
    {%- if not execute -%}
        {{ return('select 1 as no_audience_views') }}
    {%- endif -%}
    {%- set prefix = var('segment_audience_view_prefix', 'audience_') -%}
    {%- set statements = [] -%}
    {%- for segment in customer_segments.segment_catalog() -%}
        {%- set view = api.Relation.create(database=audience_relation.database, schema=audience_relation.schema, identifier=prefix ~ segment.key, type='view') -%}
        {%- if segment.activatable -%}
            {%- do statements.append(
                'create or replace view ' ~ view ~ ' as select segment_key, customer_id, as_of_date, email_sha256, phone_sha256 from '
                ~ audience_relation ~ " where segment_key = '" ~ segment.key ~ "'") -%}
        {%- else -%}
            {%- do statements.append('drop view if exists ' ~ view) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- for statement in statements -%}
        {%- do run_query(statement) -%}
    {%- endfor -%}
    {{ return('select 1 as audience_views_created') }}
{%- endmacro %}
