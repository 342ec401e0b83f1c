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
            components.component_id as component_id
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


{% materialization identity_components, default %}
    {#- A table of (node_id, component_id) from a model whose SQL selects the graph's edges
        as (node_id, neighbour_id); a node paired with itself is an isolated node. -#}
    {%- set target_relation = this.incorporate(type='table') -%}
    {%- set existing_relation = load_cached_relation(this) -%}
    {{ run_hooks(pre_hooks, inside_transaction=False) }}
    {{ run_hooks(pre_hooks, inside_transaction=True) }}
    {%- if existing_relation is not none and existing_relation.type != 'table' -%}
        {%- do adapter.drop_relation(existing_relation) -%}
    {%- endif -%}
    {%- set iterations = customer_segments.identity_connected_components(
        compiled_code, target_relation, config.get('max_iterations'), config.get('key_order', 'node_id')
    ) -%}
    {% call statement('main') -%}
        select count(*) as node_count from {{ target_relation }}
    {%- endcall %}
    {%- do log('identity components ' ~ this.identifier ~ ' converged after ' ~ iterations ~ ' iterations', info=true) -%}
    {{ run_hooks(post_hooks, inside_transaction=True) }}
    {%- do persist_docs(target_relation, model) -%}
    {{ adapter.commit() }}
    {{ run_hooks(post_hooks, inside_transaction=False) }}
    {{ return({'relations': [target_relation]}) }}
{% endmaterialization %}
