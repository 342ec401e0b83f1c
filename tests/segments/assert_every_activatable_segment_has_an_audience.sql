{#- Every activatable segment of the built catalog has its audience model
    (models/marts/segments/audiences, written by scripts/gen_audience_models.py), and every
    audience model belongs to an activatable segment. A catalog edited without running the
    script fails here, naming the segment. Segments tried through var segment_extra_segments
    are in audience_members only. -#}
{%- set extra_keys = [] -%}
{%- for entry in var('segment_extra_segments', []) or [] -%}
    {%- do extra_keys.append(entry.get('key')) -%}
{%- endfor -%}
{%- set audience_keys = [] -%}
{%- if execute -%}
    {%- for node in graph.nodes.values()
        if node.resource_type == 'model' and node.package_name == project_name
        and node.path.startswith('marts/segments/audiences/') -%}
        {%- do audience_keys.append(node.name[9:]) -%}
    {%- endfor -%}
{%- endif %}

with

catalog as (
    select * from {{ ref('int_segment_catalog') }}
),

audience_models as (
    {%- for key in audience_keys %}
    select '{{ key }}' as segment_key
    {{ 'union all' if not loop.last }}
    {%- else %}
    select segment_key from catalog where 1 = 0
    {%- endfor %}
),

missing_models as (
    select
        catalog.segment_key,
        'activatable segment without an audience model' as problem
    from catalog
    left join audience_models
        on catalog.segment_key = audience_models.segment_key
    where
        catalog.is_activatable
        and audience_models.segment_key is null
        {%- for key in extra_keys %}
        and catalog.segment_key <> '{{ key }}'
        {%- endfor %}
),

orphan_models as (
    select
        audience_models.segment_key,
        'audience model of a segment that is not activatable' as problem
    from audience_models
    left join catalog
        on
            audience_models.segment_key = catalog.segment_key
            and catalog.is_activatable
    where catalog.segment_key is null
)

select * from missing_models
union all
select * from orphan_models
