{% macro purge_erased_state(erased_relation) -%}
    {{ return(adapter.dispatch('purge_erased_state', 'customer_segments')(erased_relation)) }}
{%- endmacro %}

{% macro default__purge_erased_state(erased_relation) -%}
    {#- Engines without row deletes (Spark on plain Parquet tables): nothing yet. -#}
    select 1 as nothing_to_purge
{%- endmacro %}

{% macro duckdb__purge_erased_state(erased_relation) -%}
    {#- Every model of the state folder that exists: rows of erased customers deleted, links to
        them (previous_customer_id) blanked. -#}
    {%- if execute -%}
        {%- set erased_ids = 'select erased.customer_id from ' ~ erased_relation ~ ' as erased' -%}
        {%- for node in graph.nodes.values()
            if node.resource_type == 'model' and node.package_name == project_name and node.fqn[1] == 'state' -%}
            {%- set relation = adapter.get_relation(database=node.database, schema=node.schema, identifier=node.alias) -%}
            {%- if relation is not none -%}
                {%- set column_names = adapter.get_columns_in_relation(relation) | map(attribute='name') | map('lower') | list -%}
                {%- do run_query('delete from ' ~ relation ~ ' where customer_id in (' ~ erased_ids ~ ')') -%}
                {%- if 'previous_customer_id' in column_names -%}
                    {%- do run_query('update ' ~ relation ~ ' set previous_customer_id = null where previous_customer_id in (' ~ erased_ids ~ ')') -%}
                {%- endif -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    select 1 as erased_state_purged
{%- endmacro %}
