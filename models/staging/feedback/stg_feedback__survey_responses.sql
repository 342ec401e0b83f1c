with

responses as (
    select * from {{ ref('base_raw__survey_responses') }}
    where dq_status = 'clean'
),

final as (
    select
        dq_record_key as survey_answer_id,
        response_id,
        crm_id,
        email,
        submitted_at,
        coalesce(
            survey_type,
            case
                when question_key = 'nps_score' then 'nps'
                when question_key = 'csat_score' then 'csat'
                else 'profile'
            end
        ) as survey_type,
        lower(question_key) as question_key,
        lower(answer_text) as answer_text,
        answer_score
    from responses
)

select * from final
