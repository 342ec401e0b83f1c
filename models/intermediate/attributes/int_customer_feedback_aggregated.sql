with

survey_responses as (
    select * from {{ ref('stg_feedback__survey_responses') }}
),

support_tickets as (
    select * from {{ ref('stg_feedback__support_tickets') }}
),

survey_records as (
    select * from {{ ref('int_records_resolved') }}
    where source = 'survey_responses'
),

ticket_records as (
    select * from {{ ref('int_records_resolved') }}
    where source = 'support_tickets'
),

as_of as (
    select * from {{ ref('int_as_of_date') }}
),

customer_answers as (
    select
        survey_records.customer_id,
        survey_responses.response_id,
        survey_responses.question_key,
        survey_responses.answer_text,
        survey_responses.answer_score,
        survey_responses.submitted_at
    from survey_responses
    inner join survey_records
        on survey_responses.response_id = survey_records.record_key
    cross join as_of
    where survey_responses.submitted_at < as_of.as_of_end_at
),

customer_tickets as (
    select
        ticket_records.customer_id,
        support_tickets.ticket_id,
        support_tickets.category,
        support_tickets.created_at
    from support_tickets
    inner join ticket_records
        on support_tickets.ticket_id = ticket_records.record_key
    cross join as_of
    where support_tickets.created_at < as_of.as_of_end_at
),

latest_answers as (
    select
        customer_id,
        question_key,
        answer_text,
        answer_score,
        row_number() over (
            partition by customer_id, question_key
            order by submitted_at desc, response_id desc
        ) as answer_rank
    from customer_answers
    where
        (question_key = 'nps_score' and answer_score is not null)
        or (question_key = 'pain_point' and answer_text is not null)
),

survey_summary as (
    select
        customer_id,
        max(case when question_key = 'nps_score' and answer_rank = 1 then answer_score end) as latest_nps_score,
        max(case when question_key = 'pain_point' and answer_rank = 1 then answer_text end) as survey_pain_point
    from latest_answers
    group by customer_id
),

csat as (
    select
        customer_id,
        round(avg(answer_score), 2) as avg_csat
    from customer_answers
    where question_key = 'csat_score' and answer_score is not null
    group by customer_id
),

ticket_summary as (
    select
        customer_id,
        {% for category in var('ticket_categories') -%}
            count(case when category = '{{ category }}' then 1 end) as {{ category }}_tickets_count,
        {% endfor -%}
        count(*) as tickets_count
    from customer_tickets
    group by customer_id
),

top_ticket_categories as (
    {{ attr_top_value(
        'customer_tickets',
        'customer_id',
        'category',
        recency_column='created_at',
        output_column='top_ticket_category'
    ) }}
),

feedback_customers as (
    select customer_id from customer_answers
    union
    select customer_id from customer_tickets
),

final as (
    select
        feedback_customers.customer_id,
        cast(survey_summary.latest_nps_score as integer) as latest_nps_score,
        case
            when survey_summary.latest_nps_score is null then 'unknown'
            when survey_summary.latest_nps_score >= {{ var('attr_nps_promoter_min') }} then 'promoter'
            when survey_summary.latest_nps_score <= {{ var('attr_nps_detractor_max') }} then 'detractor'
            else 'passive'
        end as nps_category,
        csat.avg_csat,
        coalesce(ticket_summary.tickets_count, 0) as tickets_count,
        {%- for category in var('ticket_categories') %}
            coalesce(ticket_summary.{{ category }}_tickets_count, 0) as {{ category }}_tickets_count,
        {%- endfor %}
        coalesce(survey_summary.survey_pain_point, top_ticket_categories.top_ticket_category) as main_pain_point
    from feedback_customers
    left join survey_summary
        on feedback_customers.customer_id = survey_summary.customer_id
    left join csat
        on feedback_customers.customer_id = csat.customer_id
    left join ticket_summary
        on feedback_customers.customer_id = ticket_summary.customer_id
    left join top_ticket_categories
        on feedback_customers.customer_id = top_ticket_categories.customer_id
)

select * from final
