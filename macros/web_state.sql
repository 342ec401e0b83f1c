{% macro web_state_events() -%}
    {#- The clean web events a web state model groups: every event, or in an incremental run
        those of the devices and days whose event rows base_raw ranked after the model's
        latest computed_at (web_state_touched). -#}
    {%- set since = customer_segments.latest_written_at('computed_at') %}
    select * from {{ ref('stg_web__events') }}
    {%- if since is not none %}
        where (anonymous_id, cast(occurred_at as date)) in ({{ customer_segments.web_state_touched(since) }})
    {%- endif %}
{%- endmacro %}


{% macro web_state_touched(since) -%}
    {#- The (anonymous_id, event_date) pairs of the web event rows base_raw ranked after `since`
        (a timestamp literal): every version of a key that a new file carried, so both the day
        an event left and the day it moved to. -#}
    select
        touched.anonymous_id,
        cast(touched.occurred_at as date) as event_date
    from {{ ref('base_raw__web_events') }} as touched
    where
        touched.dq_ranked_at > {{ since }}
        and touched.anonymous_id is not null
        and touched.occurred_at is not null
{%- endmacro %}
