{#-
    Connected components of an undirected graph by iterative min-label propagation with
    pointer jumping. Always converges: labels only decrease, and the loop runs until a count
    query finds no changed label. It fails (never stops silently) at the safety cap
    `identity_max_iterations`. Portable: CREATE TABLE AS, joins and GROUP BY only, no
    recursive CTE; helper tables are created with the adapter's create_table_as. Node ids are
    mapped to unique integer keys (numbered in config key_order) for the loop; at the end each component
    is named by its smallest node id.
-#}

{% macro identity_label_step_sql(edges_relation, labels_relation) -%}
    {#- One iteration: each node takes the smallest label of itself and its neighbours
        (propagation), then the label of that label (pointer jumping). -#}
    with

    neighbour_labels as (
        select
            edges.node_id as node_id,
            labels.label as label
        from {{ edges_relation }} as edges
        inner join {{ labels_relation }} as labels
            on edges.neighbour_id = labels.node_id
        union all
        select
            node_id,
            label
        from {{ labels_relation }}
    ),

    propagated as (
        select
            node_id,
            min(label) as label
        from neighbour_labels
        group by node_id
    )

    select
        propagated.node_id as node_id,
        coalesce(jumped.label, propagated.label) as label
    from propagated
    left join propagated as jumped
        on propagated.label = jumped.node_id
{%- endmacro %}


{% macro identity_connected_components(edges_sql, target_relation, max_iterations=none, key_order='node_id') -%}
    {#- Builds `target_relation` (node_id, component_id) from `edges_sql` (node_id,
        neighbour_id). Returns the number of iterations used. component_id is the smallest
        node_id of the component. key_order: SQL ordering of node_id for the integer keys. -#}
    {%- set cap = max_iterations if max_iterations is not none else var('identity_max_iterations', 10000) | int -%}
    {%- set base = target_relation.identifier -%}
    {%- set edges_rel = target_relation.incorporate(path={'identifier': base ~ '__cc_edges'}, type='table') -%}
    {%- set labels_rel = target_relation.incorporate(path={'identifier': base ~ '__cc_labels'}, type='table') -%}
    {%- set next_rel = target_relation.incorporate(path={'identifier': base ~ '__cc_next'}, type='table') -%}
    {%- set nodes_rel = target_relation.incorporate(path={'identifier': base ~ '__cc_nodes'}, type='table') -%}
    {%- set helpers = [nodes_rel, edges_rel, labels_rel, next_rel] -%}
    {%- for rel in helpers -%}
        {%- do adapter.drop_relation(rel) -%}
    {%- endfor -%}

    {#- Every node, isolated ones too, gets a unique integer key numbered in key_order (smaller
        keys win the propagation, so ordering hub-like nodes first saves iterations): the loop
        then joins and compares integers only. -#}
    {%- set nodes_select -%}
        with given as (
            {{ edges_sql }}
        ),

        nodes as (
            select node_id from given
            union all
            select neighbour_id as node_id from given
        ),

        distinct_nodes as (
            select node_id from nodes group by node_id
        )

        select
            node_id,
            row_number() over (order by {{ key_order }}) as node_key
        from distinct_nodes
    {%- endset -%}
    {%- do run_query(create_table_as(false, nodes_rel, nodes_select)) -%}
    {%- set edges_select -%}
        with given as (
            {{ edges_sql }}
        ),

        keyed as (
            select
                node_nodes.node_key as node_id,
                neighbour_nodes.node_key as neighbour_id
            from given
            inner join {{ nodes_rel }} as node_nodes
                on given.node_id = node_nodes.node_id
            inner join {{ nodes_rel }} as neighbour_nodes
                on given.neighbour_id = neighbour_nodes.node_id
            where given.node_id <> given.neighbour_id
        )

        {#- Both directions; duplicate edges are harmless to min-label propagation. -#}
        select node_id, neighbour_id from keyed
        union all
        select neighbour_id as node_id, node_id as neighbour_id from keyed
    {%- endset -%}
    {%- do run_query(create_table_as(false, edges_rel, edges_select)) -%}
    {%- set labels_select -%}
        select node_key as node_id, node_key as label from {{ nodes_rel }}
    {%- endset -%}
    {%- do run_query(create_table_as(false, labels_rel, labels_select)) -%}

    {%- set state = namespace(converged=false, iterations=0) -%}
    {%- for iteration in range(1, cap + 1) -%}
        {%- do run_query(create_table_as(false, next_rel, customer_segments.identity_label_step_sql(edges_rel, labels_rel))) -%}
        {%- set changed_sql -%}
            select count(*) as changed_count
            from {{ next_rel }} as next_labels
            inner join {{ labels_rel }} as labels
                on next_labels.node_id = labels.node_id
            where next_labels.label <> labels.label
        {%- endset -%}
        {%- set changed = run_query(changed_sql).columns[0].values()[0] | int -%}
        {%- do adapter.drop_relation(labels_rel) -%}
        {%- do adapter.rename_relation(next_rel, labels_rel) -%}
        {%- set state.iterations = iteration -%}
        {%- do log('identity components ' ~ base ~ ': iteration ' ~ iteration ~ ', ' ~ changed ~ ' labels changed') -%}
        {%- if changed == 0 -%}
            {%- set state.converged = true -%}
            {%- break -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if not state.converged -%}
        {%- for rel in helpers -%}
            {%- do adapter.drop_relation(rel) -%}
        {%- endfor -%}
        {{ exceptions.raise_compiler_error('identity_connected_components: ' ~ base ~ ' did not converge within identity_max_iterations = ' ~ cap ~ ' iterations; raise the cap or check the graph.') }}
    {%- endif -%}

    {#- A component is named by its smallest node_id, whatever the integer keys were. -#}
    {%- set final_select -%}
        with labelled as (
            select
                nodes.node_id as node_id,
                labels.label as label
            from {{ labels_rel }} as labels
            inner join {{ nodes_rel }} as nodes
                on labels.node_id = nodes.node_key
        ),

        components as (
            select
                label,
                min(node_id) as component_id
            from labelled
            group by label
        )

        select
            labelled.node_id as node_id,
            components.component_id as component_id,
            {{ customer_segments.raw_run_time() }} as computed_at
        from labelled
        inner join components
            on labelled.label = components.label
    {%- endset -%}
    {%- do adapter.drop_relation(target_relation) -%}
    {%- do run_query(create_table_as(false, target_relation, final_select)) -%}
    {%- for rel in helpers -%}
        {%- do adapter.drop_relation(rel) -%}
    {%- endfor -%}
    {{ return(state.iterations) }}
{%- endmacro %}


{% macro identity_components_affected_sql(target_relation, touched_relation) -%}
    {#- The nodes to label again: those of `touched_relation` (end nodes of changed edges) and
        every node of the components `target_relation` (node_id, component_id) gave them. -#}
    select node_id from {{ target_relation }}
    where component_id in (
        select component_id from {{ target_relation }}
        where node_id in (select node_id from {{ touched_relation }})
    )
    union
    select node_id from {{ touched_relation }}
{%- endmacro %}


{% macro identity_components_update(edges_sql, target_relation, held_relation, max_iterations=none, key_order='node_id') -%}
    {#- Updates `target_relation` (node_id, component_id, built from the edges now held in
        `held_relation`) to the edges of `edges_sql`: the nodes of an edge added or removed
        since, and every node of their earlier components, are labelled again on the current
        edges; every other component stays as it is (its edges did not change, and no current
        edge leaves it). Then `held_relation` holds the current edges. Returns a dict of
        changed_nodes (end nodes of changed edges), nodes (labelled again) and iterations. -#}
    {%- set base = target_relation.identifier -%}
    {%- set given_rel = target_relation.incorporate(path={'identifier': base ~ '__cc_given'}, type='table') -%}
    {%- set touched_rel = target_relation.incorporate(path={'identifier': base ~ '__cc_touched'}, type='table') -%}
    {%- set affected_rel = target_relation.incorporate(path={'identifier': base ~ '__cc_affected'}, type='table') -%}
    {%- set part_rel = target_relation.incorporate(path={'identifier': base ~ '__cc_part'}, type='table') -%}
    {%- set new_rel = target_relation.incorporate(path={'identifier': base ~ '__cc_new'}, type='table') -%}
    {%- set helpers = [given_rel, touched_rel, affected_rel, part_rel, new_rel] -%}
    {%- for rel in helpers -%}
        {%- do adapter.drop_relation(rel) -%}
    {%- endfor -%}
    {%- do run_query(create_table_as(false, given_rel, edges_sql)) -%}
    {%- set touched_select -%}
        with added as (
            select node_id, neighbour_id from {{ given_rel }}
            except
            select node_id, neighbour_id from {{ held_relation }}
        ),

        removed as (
            select node_id, neighbour_id from {{ held_relation }}
            except
            select node_id, neighbour_id from {{ given_rel }}
        ),

        changed as (
            select node_id, neighbour_id from added
            union all
            select node_id, neighbour_id from removed
        )

        select node_id from changed
        union
        select neighbour_id as node_id from changed
    {%- endset -%}
    {%- do run_query(create_table_as(false, touched_rel, touched_select)) -%}
    {%- set result = {'changed_nodes': 0, 'nodes': 0, 'iterations': 0} -%}
    {%- set touched = run_query('select count(*) from ' ~ touched_rel).columns[0].values()[0] | int -%}
    {%- if touched > 0 -%}
        {%- do run_query(create_table_as(false, affected_rel,
            customer_segments.identity_components_affected_sql(target_relation, touched_rel))) -%}
        {%- set part_edges -%}
            select given.node_id, given.neighbour_id from {{ given_rel }} as given
            where
                given.node_id in (select affected.node_id from {{ affected_rel }} as affected)
                or given.neighbour_id in (select affected.node_id from {{ affected_rel }} as affected)
        {%- endset -%}
        {%- set iterations = customer_segments.identity_connected_components(part_edges, part_rel, max_iterations, key_order) -%}
        {%- set new_select -%}
            select node_id, component_id, computed_at from {{ target_relation }}
            where node_id not in (select affected.node_id from {{ affected_rel }} as affected)
            union all
            select node_id, component_id, computed_at from {{ part_rel }}
        {%- endset -%}
        {%- do run_query(create_table_as(false, new_rel, new_select)) -%}
        {%- do adapter.drop_relation(target_relation) -%}
        {%- do adapter.rename_relation(new_rel, target_relation) -%}
        {%- set affected = run_query('select count(*) from ' ~ affected_rel).columns[0].values()[0] | int -%}
        {%- do result.update({'changed_nodes': touched, 'nodes': affected, 'iterations': iterations}) -%}
    {%- endif -%}
    {#- the target first: a run stopped between the two leaves edges held that the next run
        compares again, which only labels more nodes again -#}
    {%- do adapter.drop_relation(held_relation) -%}
    {%- do adapter.rename_relation(given_rel, held_relation) -%}
    {%- for rel in helpers -%}
        {%- do adapter.drop_relation(rel) -%}
    {%- endfor -%}
    {{ return(result) }}
{%- endmacro %}


{% materialization identity_components, default %}
    {#- A table of (node_id, component_id) from a model whose SQL selects the graph's edges
        as (node_id, neighbour_id); a node paired with itself is an isolated node. The edges
        are kept beside it (`<model>__cc_held_edges`), so that a later run labels again only
        the components whose edges changed (identity_components_update); --full-refresh, or
        a missing table, labels every node. With config scoped_by_records, on DuckDB, a later
        run gives only the edges of the records changed since (identity_components_since) and
        identity_components_update_scoped compares those. -#}
    {%- set target_relation = this.incorporate(type='table') -%}
    {%- set existing_relation = load_cached_relation(this) -%}
    {%- set held_relation = this.incorporate(path={'identifier': this.identifier ~ '__cc_held_edges'}, type='table') -%}
    {%- set held_existing = adapter.get_relation(
        database=held_relation.database, schema=held_relation.schema, identifier=held_relation.identifier
    ) -%}
    {%- set max_iterations, key_order = config.get('max_iterations'), config.get('key_order', 'node_id') -%}
    {{ run_hooks(pre_hooks, inside_transaction=False) }}
    {{ run_hooks(pre_hooks, inside_transaction=True) }}
    {%- if existing_relation is not none and existing_relation.type != 'table' -%}
        {%- do adapter.drop_relation(existing_relation) -%}
        {%- set existing_relation = none -%}
    {%- endif -%}
    {%- set since = customer_segments.identity_components_since() if config.get('scoped_by_records', false) else none -%}
    {%- if since is not none -%}
        {%- set updated = customer_segments.identity_components_update_scoped(
            compiled_code, target_relation, held_relation, max_iterations, key_order
        ) -%}
        {%- do log(
            'identity components ' ~ this.identifier ~ ': ' ~ updated.records ~ ' records given, '
            ~ updated.changed_nodes ~ ' nodes of changed edges, ' ~ updated.nodes
            ~ ' nodes labelled again in ' ~ updated.iterations ~ ' iterations', info=true
        ) -%}
    {%- elif existing_relation is not none and held_existing is not none and not should_full_refresh() -%}
        {%- set updated = customer_segments.identity_components_update(
            compiled_code, target_relation, held_relation, max_iterations, key_order
        ) -%}
        {%- do log(
            'identity components ' ~ this.identifier ~ ': ' ~ updated.changed_nodes
            ~ ' nodes of changed edges, ' ~ updated.nodes ~ ' nodes labelled again in '
            ~ updated.iterations ~ ' iterations', info=true
        ) -%}
    {%- else -%}
        {%- set given_rel = this.incorporate(path={'identifier': this.identifier ~ '__cc_given'}, type='table') -%}
        {%- do adapter.drop_relation(given_rel) -%}
        {%- do run_query(create_table_as(false, given_rel, compiled_code)) -%}
        {%- set iterations = customer_segments.identity_connected_components(
            'select node_id, neighbour_id from ' ~ given_rel, target_relation, max_iterations, key_order
        ) -%}
        {%- do adapter.drop_relation(held_relation) -%}
        {%- do adapter.rename_relation(given_rel, held_relation) -%}
        {%- do log('identity components ' ~ this.identifier ~ ' converged after ' ~ iterations ~ ' iterations', info=true) -%}
    {%- endif -%}
    {% call statement('main') -%}
        select count(*) as node_count from {{ target_relation }}
    {%- endcall %}
    {{ run_hooks(post_hooks, inside_transaction=True) }}
    {%- do persist_docs(target_relation, model) -%}
    {{ adapter.commit() }}
    {{ run_hooks(post_hooks, inside_transaction=False) }}
    {{ return({'relations': [target_relation]}) }}
{% endmaterialization %}
