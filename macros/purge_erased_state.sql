{% macro purge_erased_state(erased_relation) -%}
    {{ return(adapter.dispatch('purge_erased_state', 'customer_segments')(erased_relation)) }}
{%- endmacro %}

{% macro default__purge_erased_state(erased_relation) -%}
    {#- Engines without row deletes (Spark on plain Parquet tables): each state table holding an
        erased customer is rewritten without them, through a copy (Spark cannot overwrite a
        table it reads). STATIC: the overwrite replaces every partition; the run logs' own
        insert_overwrite sets DYNAMIC again before it writes. -#}
    {%- if execute -%}
        {%- set erased = 'select erased.customer_id from ' ~ erased_relation ~ ' as erased' -%}
        {%- for node in graph.nodes.values()
            if node.resource_type == 'model' and node.package_name == project_name and node.fqn[1] == 'state' -%}
            {%- set relation = adapter.get_relation(database=node.database, schema=node.schema, identifier=node.alias) -%}
            {%- if relation is not none -%}
                {%- set touched = 'select count(*) from ' ~ relation ~ ' as state where state.customer_id in (' ~ erased ~ ')' -%}
                {%- set column_names = adapter.get_columns_in_relation(relation) | map(attribute='name') | map('lower') | list -%}
                {%- if 'previous_customer_id' in column_names -%}
                    {%- set touched = touched ~ ' or state.previous_customer_id in (' ~ erased ~ ')' -%}
                {%- endif -%}
                {%- if run_query(touched).columns[0].values()[0] > 0 -%}
                    {%- set copy = relation.incorporate(path={'identifier': relation.identifier ~ '__purge'}) -%}
                    {%- set columns = [] -%}
                    {%- for name in column_names -%}
                        {%- if name == 'previous_customer_id' -%}
                            {%- do columns.append('case when state.previous_customer_id in (' ~ erased ~ ') then null else state.previous_customer_id end as previous_customer_id') -%}
                        {%- else -%}
                            {%- do columns.append('state.' ~ name) -%}
                        {%- endif -%}
                    {%- endfor -%}
                    {%- do run_query('drop table if exists ' ~ copy) -%}
                    {%- do run_query('create table ' ~ copy ~ ' using parquet as select ' ~ (columns | join(', ')) ~ ' from ' ~ relation ~ ' as state where state.customer_id not in (' ~ erased ~ ')') -%}
                    {%- do run_query('set spark.sql.sources.partitionOverwriteMode = STATIC') -%}
                    {%- do run_query('insert overwrite table ' ~ relation ~ ' select * from ' ~ copy) -%}
                    {%- do run_query('drop table ' ~ copy) -%}
                {%- endif -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    select 1 as erased_state_purged
{%- endmacro %}

{% macro duckdb__purge_erased_state(erased_relation) -%}
    {#- Every model of the state folder that exists: rows of erased customers deleted, links to
        them (previous_customer_id) blanked. Then the incremental marts derived from the run
        logs (config meta erasure_purge): `rows` deletes the erased customers' rows, `all`
        empties the mart (it counts customers, so it is derived again) when an erased customer
        was in a run. -#}
    {%- if execute -%}
        {%- set erased_ids = 'select erased.customer_id from ' ~ erased_relation ~ ' as erased' -%}
        {%- set base_log = customer_segments.hook_model_relation('state_segment_attribute_snapshots') -%}
        {%- set in_runs = base_log is not none and run_query(
            'select count(*) from ' ~ base_log ~ ' where customer_id in (' ~ erased_ids ~ ')'
        ).columns[0].values()[0] > 0 -%}
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
        {%- for node in graph.nodes.values()
            if node.resource_type == 'model' and node.package_name == project_name
            and node.config.meta.get('erasure_purge') in ('rows', 'all') -%}
            {%- set relation = adapter.get_relation(database=node.database, schema=node.schema, identifier=node.alias) -%}
            {%- if relation is not none and relation.is_table -%}
                {%- if node.config.meta['erasure_purge'] == 'rows' -%}
                    {%- do run_query('delete from ' ~ relation ~ ' where customer_id in (' ~ erased_ids ~ ')') -%}
                {%- elif in_runs -%}
                    {%- do run_query('delete from ' ~ relation) -%}
                {%- endif -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    select 1 as erased_state_purged
{%- endmacro %}
