{% macro identity_components_since() -%}
    {#- For a model of the identity_components materialization with config scoped_by_records:
        the latest computed_at of the edges it holds (`<model>__cc_held_edges`), as a timestamp
        literal, when the next run may give only the edges of the records changed since (on
        DuckDB, not --full-refresh, the model and its held edges with computed_at present);
        none otherwise (the model gives every edge). -#}
    {%- if not execute or flags.FULL_REFRESH or target.type != 'duckdb' or this is none -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set existing = adapter.get_relation(database=this.database, schema=this.schema, identifier=this.identifier) -%}
    {%- set held = adapter.get_relation(
        database=this.database, schema=this.schema, identifier=this.identifier ~ '__cc_held_edges'
    ) -%}
    {%- if existing is none or held is none -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set columns = adapter.get_columns_in_relation(held) | map(attribute='name') | map('lower') | list -%}
    {%- if 'computed_at' not in columns -%}
        {{ return(none) }}
    {%- endif -%}
    {{ return(customer_segments.max_timestamp_literal(held, 'computed_at')) }}
{%- endmacro %}


{% macro identity_written_after(since) -%}
    {#- A condition on a row of a model with computed_at (int_identifiers_guarded,
        int_records_keyed): with `since` (a timestamp literal) the row was written after it,
        i.e. its record was derived again since; true otherwise. -#}
    {%- if since is none -%}
        true
    {%- else -%}
        computed_at > {{ since }}
    {%- endif %}
{%- endmacro %}


{% macro identity_components_scope_markers(since) -%}
    {#- With `since` (identity_components_since): `union all` one row (record node, null, run
        start) for every record whose edges the run gives, those int_identifiers_guarded wrote
        after `since` and those base_raw ranked after it (a record left with no identifier has
        no edge left, but its held edges must go); nothing otherwise. -#}
    {%- if since is not none %}
    union all
    select
        {{ customer_segments.identity_record_node_id('scoped.source', 'scoped.record_key') }} as node_id,
        cast(null as {{ dbt.type_string() }}) as neighbour_id,
        {{ customer_segments.raw_run_time() }} as computed_at
    from (
        select
            guarded.source,
            guarded.record_key
        from {{ ref('int_identifiers_guarded') }} as guarded
        where guarded.computed_at > {{ since }}
        union
        {{ customer_segments.identity_changed_records(since) }}
    ) as scoped
    {%- endif %}
{%- endmacro %}


{% macro identity_components_update_scoped(edges_sql, target_relation, held_relation, max_iterations=none, key_order='node_id') -%}
    {#- Like identity_components_update, for a model that gives the edges of some records only
        (identity_components_since): `edges_sql` has a row (record node, null) for each such
        record and its current edges (node_id the record). Their held edges are compared with
        these; the end nodes of every edge added or removed, and every node of their earlier
        components, are labelled again on the current edges (the held edges of every other
        record, and these); then the held edges of these records are replaced. DuckDB only
        (delete). Returns a dict of records, changed_nodes, nodes and iterations. -#}
    {%- set base = target_relation.identifier -%}
    {%- set given_rel = target_relation.incorporate(path={'identifier': base ~ '__cc_given'}, type='table') -%}
    {%- set scope_rel = target_relation.incorporate(path={'identifier': base ~ '__cc_scope'}, type='table') -%}
    {%- set touched_rel = target_relation.incorporate(path={'identifier': base ~ '__cc_touched'}, type='table') -%}
    {%- set affected_rel = target_relation.incorporate(path={'identifier': base ~ '__cc_affected'}, type='table') -%}
    {%- set part_rel = target_relation.incorporate(path={'identifier': base ~ '__cc_part'}, type='table') -%}
    {%- set helpers = [given_rel, scope_rel, touched_rel, affected_rel, part_rel] -%}
    {%- for rel in helpers -%}
        {%- do adapter.drop_relation(rel) -%}
    {%- endfor -%}
    {%- do run_query(create_table_as(false, given_rel, edges_sql)) -%}
    {%- do run_query(create_table_as(false, scope_rel,
        'select node_id from ' ~ given_rel ~ ' where neighbour_id is null group by node_id')) -%}
    {%- set touched_select -%}
        with current_edges as (
            select node_id, neighbour_id from {{ given_rel }}
            where neighbour_id is not null
        ),

        held_edges as (
            select held.node_id, held.neighbour_id from {{ held_relation }} as held
            where held.node_id in (select scope.node_id from {{ scope_rel }} as scope)
        ),

        changed as (
            (select node_id, neighbour_id from current_edges
            except
            select node_id, neighbour_id from held_edges)
            union all
            (select node_id, neighbour_id from held_edges
            except
            select node_id, neighbour_id from current_edges)
        )

        select node_id from changed
        union
        select neighbour_id as node_id from changed
    {%- endset -%}
    {%- do run_query(create_table_as(false, touched_rel, touched_select)) -%}
    {%- set records = run_query('select count(*) from ' ~ scope_rel).columns[0].values()[0] | int -%}
    {%- set result = {'records': records, 'changed_nodes': 0, 'nodes': 0, 'iterations': 0} -%}
    {%- set touched = run_query('select count(*) from ' ~ touched_rel).columns[0].values()[0] | int -%}
    {%- if touched > 0 -%}
        {%- do run_query(create_table_as(false, affected_rel,
            customer_segments.identity_components_affected_sql(target_relation, touched_rel))) -%}
        {%- set part_edges -%}
            with current_edges as (
                select held.node_id, held.neighbour_id from {{ held_relation }} as held
                where held.node_id not in (select scope.node_id from {{ scope_rel }} as scope)
                union all
                select given.node_id, given.neighbour_id from {{ given_rel }} as given
                where given.neighbour_id is not null
            )

            select current_edges.node_id, current_edges.neighbour_id from current_edges
            where
                current_edges.node_id in (select affected.node_id from {{ affected_rel }} as affected)
                or current_edges.neighbour_id in (select affected.node_id from {{ affected_rel }} as affected)
        {%- endset -%}
        {%- set iterations = customer_segments.identity_connected_components(part_edges, part_rel, max_iterations, key_order) -%}
        {%- do run_query(
            'delete from ' ~ target_relation ~ ' where node_id in (select node_id from ' ~ affected_rel ~ ')'
        ) -%}
        {%- do run_query(
            'insert into ' ~ target_relation ~ ' (node_id, component_id, computed_at)'
            ~ ' select node_id, component_id, computed_at from ' ~ part_rel
        ) -%}
        {%- set affected = run_query('select count(*) from ' ~ affected_rel).columns[0].values()[0] | int -%}
        {%- do result.update({'changed_nodes': touched, 'nodes': affected, 'iterations': iterations}) -%}
    {%- endif -%}
    {%- do run_query(
        'delete from ' ~ held_relation ~ ' where node_id in (select node_id from ' ~ scope_rel ~ ')'
    ) -%}
    {%- do run_query(
        'insert into ' ~ held_relation ~ ' (node_id, neighbour_id, computed_at)'
        ~ ' select node_id, neighbour_id, computed_at from ' ~ given_rel ~ ' where neighbour_id is not null'
    ) -%}
    {%- for rel in helpers -%}
        {%- do adapter.drop_relation(rel) -%}
    {%- endfor -%}
    {{ return(result) }}
{%- endmacro %}
